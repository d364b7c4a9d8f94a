// `launch` Chromium and `openPage` watching console errors, page errors and off-origin requests.
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { chromiumExecutable, CHROMIUM_ARGS } from '../support/chromium.ts';

/**
 * How long any wait for a value may take before the test gives up: a cap for a hung page, not a
 * budget. Generous because `npm test` must pass on a machine busy with other work (two CPU-bound
 * processes beside it on two cores can make a worker's first answer take tens of seconds); every wait
 * is for a value, so a fast machine never waits this long. Used as the default timeout of every
 * Playwright wait (contexts made by `newContext`) and of `expect.poll` (vitest.config.ts).
 */
export const VALUE_WAIT_MS = 120_000;

/** A browser context whose waits default to VALUE_WAIT_MS (use this instead of browser.newContext). */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(VALUE_WAIT_MS);
  return context;
}

/** One Chromium per e2e file. */
export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS });
}

/** What a page did that it should not: console errors, uncaught exceptions, requests off its origin. */
export interface PageWatch {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly foreignRequests: string[];
}

/** Assert the page stayed clean: no uncaught exception, no console error, no request off its origin. */
export function expectClean(watch: PageWatch): void {
  expect(watch.pageErrors).toEqual([]);
  expect(watch.consoleErrors).toEqual([]);
  expect(watch.foreignRequests).toEqual([]);
}

/** A page of the dashboard with everything it logs and requests watched. */
export async function openPage(
  browser: Browser,
  url: string,
  viewport = { width: 1440, height: 1000 },
): Promise<{ page: Page; watch: PageWatch }> {
  const context = await newContext(browser, { viewport, acceptDownloads: true });
  const page = await context.newPage();
  const origin = new URL(url).origin;
  const watch: PageWatch = { consoleErrors: [], pageErrors: [], foreignRequests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') watch.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => watch.pageErrors.push(e.message));
  const onRequest = (u: string) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    if (new URL(u).origin !== origin) watch.foreignRequests.push(u);
  };
  page.on('request', (r) => onRequest(r.url()));
  context.on('request', (r) => onRequest(r.url())); // includes the worker's requests
  await page.goto(url);
  await waitForChart(page);
  return { page, watch };
}

/** The Ce line of the edited scenario has been drawn. */
export async function waitForChart(page: Page): Promise<void> {
  await page.locator('path.series-ce').waitFor({ state: 'attached' });
  await page.waitForFunction(() => (document.querySelector('path.series-ce')?.getAttribute('d')?.length ?? 0) > 20);
}

export const ceD = (page: Page) => page.locator('path.series-ce').getAttribute('d');
export const cpD = (page: Page) => page.locator('path.series-cp').getAttribute('d');

/** The value cell of a metric row (text with its unit). */
export const metric = (page: Page, id: string) =>
  page.locator(`[data-testid=metrics] tr[data-metric="${id}"] td.value`).textContent();
export const metricDetail = (page: Page, id: string) =>
  page.locator(`[data-testid=metrics] tr[data-metric="${id}"] td.detail`).textContent();

/** Wait until a metric shows `text`. */
export async function waitForMetric(page: Page, id: string, text: string): Promise<void> {
  await page.waitForFunction(([sel, t]) => document.querySelector(sel)?.textContent === t, [
    `[data-testid=metrics] tr[data-metric="${id}"] td.value`,
    text,
  ] as const);
}

/** The compare table's column headers (the panels follow the chart by one task: poll, e.g. `expect.poll(() => compareHeaders(page))`). */
export const compareHeaders = (page: Page) => page.locator('[data-testid=compare] thead th').allTextContents();

/** The input bound to a plan field path. */
export const field = (page: Page, path: string) => page.locator(`[data-path="${path}"]`);

/** A share-link hash for a plan object. */
export const planHash = (plan: unknown): string => `#plan=${Buffer.from(JSON.stringify(plan), 'utf8').toString('base64url')}`;
