// Offline app: the service worker precaches the build; with the server down and the browser offline the app predicts, runs Live mode and keeps its course; a new build shows "Update available — reload".
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SECURITY_HEADERS } from '../../scripts/headers.mjs';
import { ensureBuilt } from '../../scripts/app-build.mjs';
import { buildVersion, CACHE_PREFIX, precacheList, serviceWorkerSource, SW_FILE } from '../../scripts/vite-sw-plugin.mjs';
import { parsePlan, type Plan } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { predict } from '../../engine/predict.ts';
import { computeMetrics } from '../../engine/metrics.ts';
import { DEFAULT_BANDS } from '../../engine/pd/bands.ts';
import { conc } from '../../ui/format.ts';
import { UPDATE_NOTICE_ID } from '../../ui/offline.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';
import { expectClean, field, launch, newContext, waitForChart, waitForMetric, type PageWatch } from './support.ts';
import { dumpCourseDb, waitForText } from './live-support.ts';

/**
 * The built app made installable and offline (scripts/vite-sw-plugin.mjs writes sw.js; ui/offline.ts
 * registers it). Each test serves its own copy of dist/ from a plain node static server with the
 * headers of scripts/headers.mjs (as the README's "any static server" does), so the test can take the
 * server down, and change the build, without touching the e2e suite's shared preview server.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** A copy of dist/ in a temp folder (so it can be changed), served on a free localhost port with the app's headers. */
async function serveCopy(): Promise<{ dir: string; url: string; server: Server; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ketasim-offline-'));
  // dist/ is shared with other test runs that may rebuild it: copy a consistent build (the files sw.js lists, with its hashes)
  for (let attempt = 1; ; attempt++) {
    await ensureBuilt(); // waits for a build in progress (the build lock), rebuilds if stale
    rmSync(dir, { recursive: true, force: true });
    cpSync(inject('distDir'), dir, { recursive: true });
    const listed = /const PRECACHE = (\[[\s\S]*?\]);\n/.exec(readFileSync(join(dir, SW_FILE), 'utf8'))?.[1];
    if (listed && JSON.stringify(JSON.parse(listed)) === JSON.stringify(precacheList(dir))) break;
    if (attempt === 3) throw new Error(`dist/ kept changing while it was copied to ${dir}`);
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    let body: Buffer | null = null;
    if (file.startsWith(dir + sep)) {
      try {
        body = readFileSync(file);
      } catch {
        body = null;
      }
    }
    if (!body) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}/`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { dir, url, server, close };
}

/** A fresh context's page on `url`, watched like support.ts openPage does, with the chart drawn. */
async function open(url: string): Promise<{ page: Page; watch: PageWatch }> {
  const context = await newContext(browser, { viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const origin = new URL(url).origin;
  const watch: PageWatch = { consoleErrors: [], pageErrors: [], foreignRequests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') watch.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => watch.pageErrors.push(e.message));
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin) watch.foreignRequests.push(u);
  });
  await page.goto(url);
  await waitForChart(page);
  return { page, watch };
}

/** Wait until the service worker controls the page (it has precached the build: activation follows install). */
const waitForControl = (page: Page) => page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined);

/** The names of the caches the page's origin holds. */
const cacheNames = (page: Page) => page.evaluate(() => caches.keys());

/** What the engine predicts for a plan (node, independent of the page). */
function engineMetrics(plan: Plan) {
  const r = parsePlan(plan, MODEL_IDS);
  if (!r.ok) throw new Error('invalid plan in test');
  const p = predict(r.plan);
  return computeMetrics(p.trajectory, DEFAULT_BANDS, p.actions, r.plan.patient.weightKg);
}

let browser: Browser;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await browser?.close();
});

describe('the app offline (service worker, Chromium)', () => {
  it('is installable: the built page links a manifest (name, start_url, standalone, theme colour) whose PNG icons have their stated sizes', async () => {
    const base = inject('baseUrl');
    const html = await (await fetch(base)).text();
    expect(html).toContain('<link rel="manifest" href="./manifest.webmanifest"');
    const res = await fetch(new URL('manifest.webmanifest', base));
    expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const manifest = (await res.json()) as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      theme_color: string;
      icons: { src: string; sizes: string; type: string }[];
    };
    expect(manifest).toMatchObject({ short_name: 'KetaSim', start_url: './', display: 'standalone', theme_color: '#4a148c' });
    expect(manifest.name).toMatch(/not a medical device/);
    const pngs = manifest.icons.filter((i) => i.type === 'image/png');
    expect(pngs.map((i) => i.sizes).sort()).toEqual(['192x192', '512x512']);
    for (const icon of pngs) {
      const bytes = Buffer.from(await (await fetch(new URL(icon.src, base))).arrayBuffer());
      expect(bytes.subarray(1, 4).toString('latin1'), icon.src).toBe('PNG');
      // IHDR: width and height, big-endian, at bytes 16 and 20
      expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
    }
    const svg = manifest.icons.find((i) => i.type === 'image/svg+xml');
    expect((await fetch(new URL(svg!.src, base))).status).toBe(200);
  });

  it('precaches the build; offline with the server down it reloads, predicts, runs a Live session and keeps the course', async () => {
    const served = await serveCopy();
    cleanups.push(served.close, () => rmSync(served.dir, { recursive: true, force: true }));
    const { page, watch } = await open(served.url);
    await waitForControl(page);
    const sw = readFileSync(join(served.dir, SW_FILE), 'utf8');
    const version = /const VERSION = "([0-9a-f]{16})";/.exec(sw)?.[1];
    expect(version).toBe(buildVersion(precacheList(served.dir)));
    expect(await cacheNames(page)).toEqual([`${CACHE_PREFIX}${version}`]);
    // every file of the build is in the cache, including the workers, the manifest and the icons
    const cached = await page.evaluate(async (name) => {
      const cache = await caches.open(name);
      return (await cache.keys()).map((r) => new URL(r.url).pathname.slice(1)).sort();
    }, `${CACHE_PREFIX}${version}`);
    expect(cached).toEqual(precacheList(served.dir).map((f) => f.path));
    expect(cached).toEqual(expect.arrayContaining(['index.html', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png']));
    expect(cached.filter((p) => /\.worker-[\w-]+\.js$/.test(p)).length).toBeGreaterThanOrEqual(2);
    // the first version took over by itself: no update notice
    await expect.poll(() => page.locator(`#${UPDATE_NOTICE_ID}`).count()).toBe(0);

    // online: a patient added to the course
    await page.getByRole('tab', { name: 'Course' }).click();
    await page.getByTestId('course-view').waitFor();
    const form = page.getByTestId('new-patient');
    await form.locator('[data-field=alias]').fill('OFF-1');
    await form.locator('[data-field=weightKg]').fill('82');
    await form.locator('[data-field=ageYears]').fill('45');
    await form.getByRole('button', { name: 'Add patient' }).click();
    await page.getByTestId('patient-list').getByText('OFF-1').waitFor();
    const before = await dumpCourseDb(page);
    expect(before.patients).toHaveLength(1);

    // offline: the browser has no network and the server is gone
    await page.context().setOffline(true);
    await served.close();
    await page.reload();
    await waitForChart(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null && crossOriginIsolated)).toBe(true);

    // a prediction: a rate change typed in; the metrics become the engine's
    await page.getByRole('button', { name: '+ Rate change' }).click();
    await field(page, 'regimen[1].rate').fill('1.2');
    const m = engineMetrics({ ...DEFAULT_PLAN, regimen: [DEFAULT_PLAN.regimen[0], { at: 50, rate: 1.2, unit: 'mg/kg/h' }] });
    await waitForMetric(page, 'total-dose', `${m.totalDoseMg.toFixed(1)} mg`);
    await waitForMetric(page, 'peak-ce', conc(m.peakCeNgMl));

    // a Live session starts and its clock ticks
    await page.getByRole('tab', { name: 'Live mode' }).click();
    await page.getByTestId('live-view').waitFor();
    await page.getByTestId('live-patient').selectOption('new');
    await page.getByTestId('live-start').locator('[data-field=alias]').fill('OFF-LIVE');
    await page.getByTestId('live-start-button').click();
    await page.getByTestId('live-session').waitFor();
    await waitForText(page, 'live-alias', 'OFF-LIVE');
    await page.waitForFunction(() =>
      /^0:00:0[1-9]$/.test(document.querySelector('[data-testid="live-clock"]')?.textContent ?? ''),
    );
    await page.waitForFunction(() => /ng\/mL/.test(document.querySelector('[data-testid="live-ce"]')?.textContent ?? ''));

    // the course stored online is intact
    await page.getByRole('tab', { name: 'Course' }).click();
    await page.getByTestId('patient-list').getByText('OFF-1').click();
    await expect.poll(() => page.getByTestId('patient-course').locator('h2').textContent()).toBe('OFF-1 82 kg · 45 y');
    const after = await dumpCourseDb(page);
    expect(after.patients).toEqual(expect.arrayContaining(before.patients));
    expect(after.patients).toHaveLength(2); // OFF-1 and the Live session's OFF-LIVE
    expectClean(watch);
    await page.context().close();
  });

  it('a new build on the server shows "Update available — reload"; the button loads the new version', async () => {
    const served = await serveCopy();
    cleanups.push(served.close, () => rmSync(served.dir, { recursive: true, force: true }));
    const { page, watch } = await open(served.url);
    await waitForControl(page);
    const oldVersion = buildVersion(precacheList(served.dir));
    expect(await cacheNames(page)).toEqual([`${CACHE_PREFIX}${oldVersion}`]);
    await expect.poll(() => page.locator(`#${UPDATE_NOTICE_ID}`).count()).toBe(0);

    // a new build: index.html changes and sw.js is written again, as the build's plugin does
    const index = join(served.dir, 'index.html');
    writeFileSync(
      index,
      readFileSync(index, 'utf8').replace('</head>', '<meta name="ketasim-test-build" content="next" />\n  </head>'),
    );
    const list = precacheList(served.dir);
    const newVersion = buildVersion(list);
    expect(newVersion).not.toBe(oldVersion);
    writeFileSync(join(served.dir, SW_FILE), serviceWorkerSource(newVersion, list));

    // the next load finds it: the old version still serves the page, the new one waits and is offered
    await page.reload();
    await waitForChart(page);
    const button = page.locator(`#${UPDATE_NOTICE_ID} button`);
    await button.waitFor();
    await expect.poll(() => button.textContent()).toBe('Update available — reload');
    await expect.poll(() => page.locator('meta[name="ketasim-test-build"]').count()).toBe(0);

    const reloaded = page.waitForEvent('load');
    await button.click();
    await reloaded;
    await waitForChart(page);
    await expect.poll(() => page.locator('meta[name="ketasim-test-build"]').getAttribute('content')).toBe('next');
    await expect.poll(() => cacheNames(page)).toEqual([`${CACHE_PREFIX}${newVersion}`]);
    await expect.poll(() => page.locator(`#${UPDATE_NOTICE_ID}`).count()).toBe(0);
    expectClean(watch);
    await page.context().close();
  });
});
