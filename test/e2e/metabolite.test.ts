// The metabolite series in the built app: toggle (keyboard, off by default, remembered), drawn values = the engine's cm, readout, legend, PNG legend, apparent label, absent for other models.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectClean, launch, metric, openPage, waitForMetric } from './support.ts';
import { parsePlan } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { predict } from '../../engine/predict.ts';
import { trajectoryCsv } from '../../engine/output.ts';
import { readFileSync } from 'node:fs';
import { conc, formatMin } from '../../ui/format.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';

/**
 * Issue 9 item 7 in Chromium: the default page (Domino 1984, no metabolite) offers no metabolite; choosing
 * Simons 2022 offers "S-norketamine Cp", off by default. Switched on with the keyboard, the series is drawn
 * and every point of its path, read back through the chart's scales, is the engine's `cm` (computed here,
 * in node) at that grid time within the path's 0.1-px rounding; the peak, the readout and both legends say
 * the same. The choice survives a reload (this browser's storage) but never enters the share link; off →
 * gone. Perez-Ruixo 2021's noresketamine is labelled apparent.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const SIMONS = 'simons-2022-s-ketamine-arterial';
const PEREZ = 'perez-ruixo-2021-esketamine';

function engine(modelId: string) {
  const r = parsePlan({ ...DEFAULT_PLAN, model: { id: modelId } }, MODEL_IDS);
  if (!r.ok) throw new Error('invalid plan in test');
  const tr = predict(r.plan).trajectory;
  if (!tr.cm) throw new Error(`${modelId}: the engine gave no cm`);
  return { ...tr, cm: tr.cm };
}
const peakOf = (xs: Float64Array) => xs.reduce((a, b) => Math.max(a, b), 0);

const toggle = (page: Page) => page.getByTestId('metabolite-toggle');

/** The metabolite path's points as (t min, value ng/mL), through the chart's own geometry (ConcentrationChart plotGeometry). */
async function drawnPoints(page: Page): Promise<{ t: number; v: number; tolT: number; tolV: number }[]> {
  return page.evaluate(() => {
    const svg = document.querySelector('svg.ketasim-chart[data-y-max]')!;
    const path = svg.querySelector('path.series-cm')!;
    const width = Number(svg.getAttribute('width'));
    const height = Number(svg.getAttribute('height'));
    const yMax = Number(svg.getAttribute('data-y-max'));
    const [d0, d1] = svg.getAttribute('data-domain')!.split(',').map(Number);
    // MARGIN { top 10, right 20, bottom 4, left 8 }, Y_AXIS_WIDTH 64, X_AXIS_HEIGHT 34.
    const left = 72,
      right = width - 20,
      top = 10,
      bottom = height - 4 - 34;
    const pts = [...path.getAttribute('d')!.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    return pts.map(([x, y]) => ({
      t: d0 + ((x - left) / (right - left)) * (d1 - d0),
      v: ((bottom - y) / (bottom - top)) * yMax,
      tolT: (0.05 / (right - left)) * (d1 - d0) + 1e-9,
      tolV: (0.05 / (bottom - top)) * yMax + 1e-9,
    }));
  });
}

describe('the metabolite series on the plan chart', () => {
  it('Simons 2022: off by default, on by keyboard, drawn at the engine’s cm, remembered across a reload, off again; absent for Domino 1984', async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    // Domino 1984 (the default) has no metabolite: the toggle is disabled with the reason.
    await expect.poll(() => toggle(page).isDisabled()).toBe(true);
    await expect
      .poll(() => page.getByTestId('metabolite-unavailable').textContent())
      .toContain('Domino 1984 predicts no metabolite');
    await expect.poll(() => page.locator('path.series-cm').count()).toBe(0);

    const simons = engine(SIMONS);
    await page.locator('#model-select').selectOption(`id:${SIMONS}`);
    await waitForMetric(page, 'peak-cp', conc(peakOf(simons.cp)));
    await expect.poll(() => toggle(page).isEnabled()).toBe(true);
    const label = page.locator('label', { has: toggle(page) });
    await expect.poll(() => label.textContent()).toContain('Show S-norketamine Cp (metabolite)');
    await expect.poll(() => toggle(page).isChecked()).toBe(false);
    await expect.poll(() => page.locator('path.series-cm').count()).toBe(0);

    // On with the keyboard.
    await toggle(page).focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (document.querySelector('path.series-cm')?.getAttribute('d')?.length ?? 0) > 20);
    await expect.poll(() => toggle(page).isChecked()).toBe(true);

    // Every drawn point is a grid sample of the engine's cm (10 s grid), within the path's 0.1-px rounding.
    const pts = await drawnPoints(page);
    expect(pts.length).toBeGreaterThan(100);
    for (const p of pts) {
      const j = Math.round(p.t * 6);
      expect(Math.abs(p.t - j / 6)).toBeLessThanOrEqual(p.tolT);
      expect(Math.abs(p.v - simons.cm[j])).toBeLessThanOrEqual(p.tolV);
    }
    // The peak (min/max decimation keeps it), with its unit, labelled as the metabolite.
    const peak = peakOf(simons.cm);
    const jPeak = simons.cm.indexOf(peak);
    await expect
      .poll(() => page.getByTestId('metabolite-peak').textContent())
      .toBe(`Peak S-norketamine Cp (metabolite) in 0.0–240.0 min: ${conc(peak)} at ${formatMin(jPeak / 6)} min`);
    expect(pts.some((p) => Math.abs(p.v - peak) <= p.tolV)).toBe(true);
    const note = await page.getByTestId('metabolite-note').textContent();
    expect(note).toContain('Not scored against the ketamine bands');
    expect(note).not.toContain('Apparent scale');
    await expect.poll(() => page.getByTestId('metabolite-source').textContent()).toContain('Simons 2022');
    await expect
      .poll(() => page.locator('[data-testid=legend] li[data-legend=cm]').textContent())
      .toContain('S-norketamine Cp (metabolite in plasma, ng/mL; not scored against the bands)');
    // The metrics stay the parent drug's.
    await expect.poll(() => metric(page, 'peak-cp')).toBe(conc(peakOf(simons.cp)));
    await expect.poll(() => page.getByTestId('metrics').textContent()).not.toContain('norketamine');

    // The readout at the keyboard cursor gives the metabolite at the same grid sample as t.
    await page.getByTestId('chart-overlay').focus();
    for (let k = 0; k < 6; k++) await page.keyboard.press('Shift+ArrowRight');
    await page.getByTestId('readout-cm').waitFor();
    const readout = (await page.getByTestId('readout').textContent())!;
    const tShown = Number(/t\s*([\d.]+) min/.exec(readout)![1]);
    expect(tShown).toBeGreaterThan(0);
    const j = Math.round(tShown * 6);
    await expect
      .poll(() => page.getByTestId('readout-cm').textContent())
      .toBe(`S-norketamine Cp ${conc(simons.cm[j])} (metabolite)`);

    // The PNG's legend names the series too.
    await page.getByRole('button', { name: 'Download PNG' }).click();
    await page.locator('[data-testid=png-legend] li[data-legend=cm]').waitFor({ state: 'attached' });
    await expect
      .poll(() => page.locator('[data-testid=png-legend] li[data-legend=cm]').textContent())
      .toContain('S-norketamine Cp');

    // The CSV is the CLI's, with the metabolite column, and the status names the file's columns.
    // (the PNG's download above may arrive late: wait for the CSV's by its name)
    const [csvDl] = await Promise.all([
      page.waitForEvent('download', { predicate: (d) => d.suggestedFilename() === 'ketasim-prediction.csv' }),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(readFileSync((await csvDl.path())!, 'utf8')).toBe(trajectoryCsv(simons));
    const csvStatus = page.getByRole('status').filter({ hasText: 'CSV ready' });
    await csvStatus.waitFor();
    await expect
      .poll(() => csvStatus.textContent())
      .toMatch(/^CSV ready: \d+ rows \(t_min, cp_ng_per_ml, ce_ng_per_ml, cm_ng_ml\)\.$/);

    // Remembered in this browser across a reload; never in the share link (docs/PLAN-FORMAT.md: window and y-axis mode only).
    await page.waitForFunction(() => location.hash.startsWith('#plan='));
    expect(page.url()).not.toMatch(/metabolite|[&#]cm=/);
    await page.reload();
    await page.waitForFunction(() => (document.querySelector('path.series-cm')?.getAttribute('d')?.length ?? 0) > 20);
    await expect.poll(() => toggle(page).isChecked()).toBe(true);

    // Off → gone (series, legend entry, note).
    await toggle(page).click();
    await page.waitForFunction(() => document.querySelector('path.series-cm') === null);
    await expect.poll(() => page.locator('[data-testid=legend] li[data-legend=cm]').count()).toBe(0);
    await expect.poll(() => page.getByTestId('metabolite-note').count()).toBe(0);
    await expect.poll(() => toggle(page).isChecked()).toBe(false);
    expectClean(watch);
    await page.context().close();
  });

  it('Perez-Ruixo 2021: noresketamine is labelled apparent; back to Domino 1984 the toggle is disabled and nothing is drawn', async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    const perez = engine(PEREZ);
    await page.locator('#model-select').selectOption(`id:${PEREZ}`);
    await waitForMetric(page, 'peak-cp', conc(peakOf(perez.cp)));
    await expect.poll(() => toggle(page).isEnabled()).toBe(true);
    await expect
      .poll(() => page.locator('label', { has: toggle(page) }).textContent())
      .toContain('Show noresketamine (apparent) Cp (metabolite)');
    await toggle(page).check();
    await page.waitForFunction(() => (document.querySelector('path.series-cm')?.getAttribute('d')?.length ?? 0) > 20);
    for (const p of await drawnPoints(page)) expect(Math.abs(p.v - perez.cm[Math.round(p.t * 6)])).toBeLessThanOrEqual(p.tolV);
    await expect.poll(() => page.getByTestId('metabolite-note').getAttribute('data-apparent')).toBe('true');
    await expect.poll(() => page.getByTestId('metabolite-note').textContent()).toContain('Apparent scale');
    await expect.poll(() => page.locator('[data-testid=legend] li[data-legend=cm]').textContent()).toContain('apparent scale');
    await expect.poll(() => page.getByTestId('metabolite-source').textContent()).toContain('Perez-Ruixo');

    await page.locator('#model-select').selectOption('id:domino-1984');
    await expect.poll(() => toggle(page).isDisabled()).toBe(true);
    await page.waitForFunction(() => document.querySelector('path.series-cm') === null);
    await expect.poll(() => toggle(page).isChecked()).toBe(false);
    await expect.poll(() => page.locator('[data-testid=legend] li[data-legend=cm]').count()).toBe(0);
    expectClean(watch);
    await page.context().close();
  });
});
