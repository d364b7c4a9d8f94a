// Security headers of the served build: every header on the document, workers and sw.js; no CSP violation through the app's flows; framing refused.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CSP_DIRECTIVES, nginxAddHeaders, SECURITY_HEADERS } from '../../scripts/headers.mjs';
import { expectClean, field, launch, newContext, waitForChart, waitForMetric, type PageWatch } from './support.ts';

/**
 * The built app as `npm start` serves it (vite preview, headers from scripts/headers.mjs), in a real
 * Chromium: the headers arrive on every kind of response, the built page has no inline script, the app
 * runs its main flows without one CSP violation (a `securitypolicyviolation` listener installed before
 * any app code, plus console errors), the CSP is really enforced (an inline script and a style
 * attribute injected at the end are refused), and a page of another origin cannot frame the app.
 */

/** Violations seen by the page, recorded by an init script that runs before the app's own code. */
declare global {
  interface Window {
    __cspViolations: string[];
  }
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The app in a fresh context, with CSP violations, console errors, page errors, off-origin requests and workers watched. */
async function openWatched(url: string): Promise<{
  page: Page;
  watch: PageWatch;
  workers: string[];
  responses: Map<string, Response>;
  documentHeaders: Record<string, string>;
}> {
  const context = await newContext(browser, { viewport: { width: 1440, height: 1000 } });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(
        `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile}:${e.lineNumber}`,
      ),
    );
  });
  const page = await context.newPage();
  const origin = new URL(url).origin;
  const watch: PageWatch = { consoleErrors: [], pageErrors: [], foreignRequests: [] };
  const workers: string[] = [];
  const responses = new Map<string, Response>(); // every response the context received, by URL (workers' scripts included)
  page.on('console', (m) => {
    if (m.type() === 'error') watch.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => watch.pageErrors.push(e.message));
  page.on('worker', (w) => {
    workers.push(w.url());
    // A worker's violations fire in the worker, not the document: report them on the console, which
    // playwright forwards to the page's (installed as the worker appears; a blocked module import
    // would fail the worker, and the flows below would not complete).
    w.evaluate(() =>
      self.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation in a worker: ${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`),
      ),
    ).catch(() => undefined); // a worker that already ended has nothing more to report
  });
  context.on('response', (r) => responses.set(r.url(), r));
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin) watch.foreignRequests.push(u);
  });
  const response = await page.goto(url);
  if (!response) throw new Error(`no response for ${url}`);
  await waitForChart(page);
  return { page, watch, workers, responses, documentHeaders: response.headers() };
}

/** Assert a response's headers (lower-cased names, as fetch and playwright give them) carry the whole set. */
function expectSecurityHeaders(headers: Record<string, string> | Headers, what: string): void {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name.toLowerCase()]);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(get(name), `${name} on ${what}`).toBe(value);
}

const violations = (page: Page) => page.evaluate(() => window.__cspViolations);

/** A throwaway HTTP server on another localhost port serving one HTML page. */
async function htmlServer(html: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}/` };
}

describe('security headers of the served build (vite preview, Chromium)', () => {
  it('states each directive the brief requires, and the nginx lines carry the same set', () => {
    const csp = SECURITY_HEADERS['Content-Security-Policy'];
    for (const d of [
      "script-src 'self'",
      "worker-src 'self'",
      "connect-src 'self'",
      "style-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ])
      expect(csp.split('; ')).toContain(d);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(CSP_DIRECTIVES['worker-src']).not.toContain('blob:');
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
    expect(SECURITY_HEADERS['Referrer-Policy']).toBe('no-referrer');
    expect(SECURITY_HEADERS['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(SECURITY_HEADERS['Cross-Origin-Embedder-Policy']).toBe('require-corp');
    const nginx = nginxAddHeaders().split('\n');
    expect(nginx).toEqual(Object.entries(SECURITY_HEADERS).map(([n, v]) => `add_header ${n} "${v}" always;`));
  });

  it('the built index.html has no inline script, no <style> element and no style attribute', () => {
    const html = readFileSync(join(inject('distDir'), 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\.\/assets\/[^"]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/); // no inline event handler
  });

  it('sends every header on the document, each worker script, sw.js, the manifest and an icon; the page is cross-origin isolated', async () => {
    const base = inject('baseUrl');
    const { page, watch, workers, responses, documentHeaders } = await openWatched(base);
    expectSecurityHeaders(documentHeaders, 'the document');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // the simulation worker starts with the first prediction; the population pool with the toggle
    await page.getByTestId('population-toggle').click();
    await page.waitForFunction(() => document.querySelector('path.population-ce-outer') !== null, undefined);
    await expect.poll(() => workers.length).toBeGreaterThanOrEqual(2);
    for (const w of workers) {
      expect(new URL(w).origin).toBe(new URL(base).origin);
      expect(w).toMatch(/\/assets\/[\w.-]+\.js$/);
      // the response the browser started the worker from (a build written meanwhile by another process cannot change it)
      const r = responses.get(w);
      expect(r, `the response of ${w}`).toBeDefined();
      expect(r!.status()).toBe(200);
      const headers = r!.headers(); // as the page sees them (allHeaders gives a 304 revalidation's raw set)
      expect(headers['content-type']).toMatch(/^text\/javascript/);
      expectSecurityHeaders(headers, w);
    }
    for (const file of ['sw.js', 'manifest.webmanifest', 'icon-192.png']) {
      const r = await fetch(new URL(file, base));
      expect(r.status, file).toBe(200);
      expectSecurityHeaders(r.headers, file);
    }
    expect(await violations(page)).toEqual([]);
    expectClean(watch);
    await page.context().close();
  });

  it('runs a prediction, the population toggle, Live mode and the Course tab without a CSP violation; injected inline code is refused', async () => {
    const { page, watch } = await openWatched(inject('baseUrl'));
    // a prediction: add a rate change and type a rate; the total dose follows (35 mg + 1.2 mg/kg/h × 70 kg × 190 min)
    await page.getByRole('button', { name: '+ Rate change' }).click();
    await field(page, 'regimen[1].rate').fill('1.2');
    await waitForMetric(page, 'total-dose', `${(35 + (1.2 * 70 * 190) / 60).toFixed(1)} mg`);
    // the population toggle: bands drawn
    await page.getByTestId('population-toggle').click();
    await page.waitForFunction(() => document.querySelector('path.population-ce-outer') !== null, undefined);
    // Live mode: a session started for a new patient (alias only), its clock and readouts running
    await page.getByRole('tab', { name: 'Live mode' }).click();
    await page.getByTestId('live-view').waitFor();
    await page.getByTestId('live-patient').selectOption('new');
    await page.getByTestId('live-start').locator('[data-field=alias]').fill('CSP-1');
    await page.getByTestId('live-start-button').click();
    await page.getByTestId('live-session').waitFor();
    await page.waitForFunction(() => /ng\/mL/.test(document.querySelector('[data-testid="live-ce"]')?.textContent ?? ''));
    // the Course tab: the session's patient is listed; its course (chart, calendar) is drawn
    await page.getByRole('tab', { name: 'Course' }).click();
    await page.getByTestId('course-view').waitFor();
    await page.getByTestId('patient-list').getByText('CSP-1').click();
    await page.getByTestId('patient-course').waitFor();
    expect(await violations(page)).toEqual([]);
    expectClean(watch);

    // the policy is enforced (and the listener hears it): an inline script and a style attribute are refused
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true;';
      document.head.append(s);
      const d = document.createElement('div');
      d.setAttribute('style', 'color: red');
      document.body.append(d);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => violations(page)).toHaveLength(2);
    const seen = (await violations(page)).map((v) => v.split(' ')[0]).sort();
    expect(seen).toEqual(['script-src-elem', 'style-src-attr']);
    await page.context().close();
  });

  it('refuses to be framed by a page on another localhost port (frame-ancestors), while that page can frame an ordinary one', async () => {
    const plain = await htmlServer('<!doctype html><p id="plain">an ordinary page</p>');
    const framer = await htmlServer(
      `<!doctype html><iframe id="app" src="${inject('baseUrl')}"></iframe><iframe id="control" src="${plain.url}"></iframe>`,
    );
    try {
      const context = await newContext(browser);
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      await page.goto(framer.url);
      // the control frame shows its page: framing across localhost ports works when nothing forbids it
      await page.frameLocator('#control').locator('#plain').waitFor();
      // the app's frame is refused: Chromium names the directive and leaves the frame without the app
      await expect.poll(() => consoleErrors.some((m) => m.includes("frame-ancestors 'none'"))).toBe(true);
      const appFrame = await (await page.$('#app'))!.contentFrame();
      expect(appFrame).not.toBeNull();
      await expect.poll(() => appFrame!.locator('#root').count()).toBe(0);
      await context.close();
    } finally {
      plain.server.close();
      framer.server.close();
    }
  });
});
