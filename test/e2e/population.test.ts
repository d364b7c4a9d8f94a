// Population toggle: bands follow an edit, numbers = Node engine, N = 100,000 cancel, heap far below N × T (timings: bench/ui.bench.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectClean, field, launch, openPage, type PageWatch } from './support.ts';
import { parsePlan, type Plan } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { preparePopulation } from '../../engine/population/spec.ts';
import { runPopulationLocal } from '../../engine/population/local.ts';
import type { PopulationResult } from '../../engine/population/types.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';

/**
 * The population toggle of the built dashboard in Chromium (served cross-origin isolated by vite
 * preview): bands behind the typical-patient curve at N = 10,000, an edit's recomputation (its timing and
 * long tasks are measured in bench/ui.bench.ts), the panel's numbers against the engine run in node with the same
 * seed, N = 100,000 with progress and cancel, the page's JS heap, a clean console and no off-origin request.
 */
const shots = join(import.meta.dirname, '../../test-results');
mkdirSync(shots, { recursive: true });

/** What the engine computes in node, on one thread, for the panel's defaults (seed 1, CV 30%). */
async function enginePopulation(plan: Plan, n: number): Promise<PopulationResult> {
  const parsed = parsePlan(plan, MODEL_IDS);
  if (!parsed.ok) throw new Error('invalid plan in test');
  const prepared = preparePopulation(parsed.plan, { n, seed: 1, cv: 0.3 });
  if (!prepared.ok) throw new Error('population request rejected in test');
  return runPopulationLocal(prepared.job);
}

let browser: Browser;
let page: Page;
let watch: PageWatch;
beforeAll(async () => {
  browser = await launch();
  ({ page, watch } = await openPage(browser, inject('baseUrl')));
});
afterAll(async () => {
  await browser?.close();
});

const outerD = (p: Page) => p.locator('path.population-ce-outer').getAttribute('d');
/** Bands drawn for the current plan: an outer area path, results present and not stale, no run in progress. */
const bandsReady = () => {
  const d = document.querySelector('path.population-ce-outer')?.getAttribute('d') ?? '';
  const res = document.querySelector('[data-testid=population-results]');
  return (
    d.length > 50 &&
    !!res &&
    !res.hasAttribute('data-stale') &&
    !document.querySelector('[data-testid=population-progress]') &&
    !document.querySelector('.ketasim-areas[data-stale]')
  );
};

/** The displayed numbers a run gives at minute 30 (the panel's default minute). */
async function shownAt30(p: Page) {
  const median = await p.locator('[data-testid=population-ce-at] td[data-percentile="50"]').textContent();
  const p95 = await p.locator('[data-testid=population-ce-at] td[data-percentile="95"]').textContent();
  const dissoc = await p
    .locator('[data-testid=population-probabilities] tr[data-band="dissociation"][data-bound="low"] td.value')
    .textContent();
  return { median, p95, dissoc };
}
function engineAt30(r: PopulationResult) {
  const j = Math.round((30 * 60) / r.job.grid.resolutionSec);
  const q = (x: number) => r.percentiles.indexOf(x);
  const prob = r.probabilities.find((x) => x.band === 'dissociation' && x.bound === 'low')!;
  return {
    median: r.ce[q(50)][j].toPrecision(3),
    p95: r.ce[q(95)][j].toPrecision(3),
    dissoc: `${(100 * prob.atLeast[j]).toFixed(1)}%`,
  };
}

/** The page's JS heap (main thread), from the DevTools protocol. */
async function heapMb(p: Page): Promise<number> {
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 2 ** 20;
}

describe('the population toggle (built dashboard, Chromium)', () => {
  it('is served cross-origin isolated (COOP/COEP), so the pool can share memory', async () => {
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
    await expect.poll(() => page.locator('[data-testid=population-panel]').count()).toBe(0); // off by default: nothing runs
  });

  it("toggled on from the keyboard at N = 10,000: bands behind the curve, numbers equal the engine's", async () => {
    const toggle = page.getByTestId('population-toggle');
    await expect.poll(() => page.getByRole('switch', { name: 'Population' }).count()).toBe(1);
    await toggle.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await page.waitForFunction(bandsReady);
    await expect.poll(() => page.locator('[aria-label="N"]').inputValue()).toBe('10000');
    // the areas sit under the lines: in the SVG, before the Ce path
    const order = await page.evaluate(() => {
      const all = [...document.querySelectorAll('#chart-export path')];
      return {
        area: all.findIndex((e) => e.classList.contains('population-ce-outer')),
        ce: all.findIndex((e) => e.classList.contains('series-ce')),
      };
    });
    expect(order.area).toBeGreaterThanOrEqual(0);
    expect(order.area).toBeLessThan(order.ce);
    await expect.poll(() => page.locator('path.population-ce-inner').count()).toBe(1);
    await expect.poll(() => page.locator('path.population-ce-median').count()).toBe(1);
    // assumptions labelled, with the published sources in the table
    await expect.poll(() => page.getByTestId('population-assumption').textContent()).toMatch(/ASSUMPTION/);
    // the numbers shown are the engine's (node, one thread, same seed), to display precision
    const engine = engineAt30(await enginePopulation(DEFAULT_PLAN, 10_000));
    expect(await shownAt30(page)).toEqual(engine);
    console.log(
      `[population e2e] N=10,000 at 30 min: median Ce ${engine.median} ng/mL, 95th ${engine.p95}, P(Ce ≥ dissociation) ${engine.dissoc} (page = engine)`,
    );
    await page.locator('[data-testid=chart]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'e2e-population.png'), fullPage: false });
    await page.getByTestId('population-panel').screenshot({ path: join(shots, 'e2e-population-panel.png') });
    expectClean(watch);
  });

  it('recomputes after an edit (debounced): the bands and figures become those of the edited plan', async () => {
    // (a plain dose change would scale every curve and the y axis alike, leaving the paths' pixels as they were)
    // How long this takes and the main thread's long tasks are measured in bench/ui.bench.ts, not asserted here.
    const before = { d: await outerD(page), at30: await page.locator('[data-testid=population-ce-at]').textContent() };
    await field(page, 'regimen[0].overMin').fill('30');
    await page.waitForFunction(
      (prev) => {
        const d = document.querySelector('path.population-ce-outer')?.getAttribute('d') ?? '';
        const res = document.querySelector('[data-testid=population-results]');
        const at30 = document.querySelector('[data-testid=population-ce-at]')?.textContent;
        return (
          d.length > 50 &&
          d !== prev.d &&
          at30 !== prev.at30 &&
          !!res &&
          !res.hasAttribute('data-stale') &&
          !document.querySelector('[data-testid=population-progress]') &&
          !document.querySelector('.ketasim-areas[data-stale]')
        );
      },
      before,
      { polling: 'raf' },
    );
    const engine = engineAt30(
      await enginePopulation({ ...DEFAULT_PLAN, regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 30 }] }, 10_000),
    );
    expect(await shownAt30(page)).toEqual(engine);
    expectClean(watch);
  });

  it('N = 100,000 shows progress and can be cancelled; the page never holds N × T', async () => {
    await page.locator('[aria-label="preset N"]').selectOption('100000');
    const progress = page.getByTestId('population-progress');
    await progress.waitFor({ state: 'visible' });
    await page.waitForFunction(
      () =>
        Number((document.querySelector('[data-testid=population-progress]') as HTMLProgressElement | null)?.value ?? 0) > 0.05,
    );
    const heapRunning = await heapMb(page);
    const at = await progress.evaluate((e) => (e as HTMLProgressElement).value);
    await page.getByTestId('population-cancel').click();
    await page.getByTestId('population-cancelled').waitFor({ state: 'visible' });
    await expect.poll(() => page.getByTestId('population-progress').count()).toBe(0);
    await expect.poll(() => page.getByTestId('population-run').isEnabled()).toBe(true);
    // no bands for a cancelled run
    await expect.poll(() => page.getByTestId('population-cancelled').count()).toBe(1);
    await expect.poll(() => page.locator('path.population-ce-outer').count()).toBe(0);
    console.log(
      `[population e2e] N=100,000 cancelled at ${(100 * at).toFixed(0)}%; JS heap while running ${heapRunning.toFixed(1)} MB`,
    );

    // run it to the end: the main thread receives percentiles and probabilities, not 10^5 × 1441 doubles (1.15 GB)
    const t0 = Date.now();
    await page.getByTestId('population-run').click();
    await page.waitForFunction(
      () => !!document.querySelector('path.population-ce-outer') && !document.querySelector('[data-testid=population-progress]'),
      undefined,
      { timeout: 120_000, polling: 250 },
    );
    const seconds = (Date.now() - t0) / 1000;
    const heapDone = await heapMb(page);
    console.log(
      `[population e2e] N=100,000 run: ${seconds.toFixed(2)} s (click → bands); JS heap after ${heapDone.toFixed(1)} MB`,
    );
    expect(heapDone).toBeLessThan(200);
    expect(heapRunning).toBeLessThan(200);
    expectClean(watch);
  }, 300_000); // waits for values only; a run of 100,000 patients on a machine busy with other work can take minutes

  it('toggled off: the bands go and nothing runs', async () => {
    await page.getByTestId('population-toggle').click();
    await expect.poll(() => page.locator('path.population-ce-outer').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid=population-panel]').count()).toBe(0);
    expectClean(watch);
  });
});
