// One Chromium per file on a 127.0.0.1 page running the esbuild-bundled storage code.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../support/chromium.ts';

/**
 * One real Chromium per test file, on a page served from http://127.0.0.1:<port>/ (IndexedDB needs a
 * real origin) whose script is the storage code bundled by esbuild for the browser.
 */
export interface Harness {
  readonly browser: Browser;
  readonly page: Page;
  readonly url: string;
  /** A new page on the same origin (same IndexedDB), ready. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

const HTML = '<!doctype html><meta charset="utf-8"><title>storage test</title><script type="module" src="/ks.js"></script>';

export async function startHarness(): Promise<Harness> {
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, 'page-entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0].text;
  const server: Server = createServer((req, res) => {
    if (req.url === '/ks.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(js);
    } else if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(HTML);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  const url = `http://127.0.0.1:${address.port}/`;
  const browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS });
  const context = await browser.newContext();
  const errors: string[] = [];
  const newPage = async () => {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => typeof window.ks === 'object');
    return page;
  };
  const page = await newPage();
  return {
    browser,
    page,
    url,
    newPage,
    close: async () => {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    },
  };
}

/** A plan (plain JSON, docs/PLAN-FORMAT.md): the antidepressant preset on Domino 1984. */
export const PLAN = {
  patient: { weightKg: 70, ageYears: 40, sex: 'female', heightCm: 168 },
  model: { id: 'domino-1984' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin: 120,
  resolutionSec: 10,
};
