// Non-IV routes in the regimen editor, in Chromium: an intranasal dose on Perez-Ruixo esketamine read in words and predicted as the engine does; a model without the route names the field and keeps the row.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectClean, field, metric, metricDetail, openPage, planHash, launch } from './support.ts';
import { parsePlan, type Plan } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { predictChecked } from '../../engine/predict.ts';
import { computeMetrics } from '../../engine/metrics.ts';
import { bandsForPlan } from '../../engine/pd/bands.ts';
import { conc, minutes } from '../../ui/format.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A typical adult of Perez-Ruixo's 18–60-year stratum with one IV dose, the row the test turns into an intranasal one. */
const START = {
  patient: { weightKg: 70, ageYears: 45 },
  model: { id: 'perez-ruixo-2021-esketamine' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin: 240,
  resolutionSec: 10,
};

/** The engine's metrics for a plan, computed here in the test process, formatted as the metrics panel formats them. */
function engineMetrics(input: unknown) {
  const parsed = parsePlan(input, MODEL_IDS);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const plan: Plan = parsed.plan;
  const r = predictChecked(plan);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const m = computeMetrics(r.prediction.trajectory, bandsForPlan(plan.thresholds, plan.model), r.prediction.actions, 70);
  return {
    peakCe: conc(m.peakCeNgMl),
    peakCeAt: `at ${minutes(m.peakCeMin)}`,
    peakCp: conc(m.peakCpNgMl),
    peakCpAt: `at ${minutes(m.peakCpMin)}`,
    raw: m,
  };
}

/** Wait until a metric's value cell reads `text` (the worker has run the plan on screen). */
async function waitForMetricText(page: Page, id: string, text: string): Promise<void> {
  await page.waitForFunction(([sel, t]) => document.querySelector(sel)?.textContent === t, [
    `[data-testid=metrics] tr[data-metric="${id}"] td.value`,
    text,
  ] as const);
}

const routeSelect = (page: Page, n: number) => page.getByLabel(`Route of event ${n}`, { exact: true });

describe('an intranasal dose in the regimen editor', () => {
  it('is offered for Perez-Ruixo esketamine, reads in words with its devices, shows no pump rate, and predicts as the engine does', async () => {
    const { page, watch } = await openPage(browser, `${inject('baseUrl')}${planHash(START)}`);
    // IV, and the two routes this model has.
    await expect
      .poll(async () => (await routeSelect(page, 1).locator('option').allTextContents()).sort())
      .toEqual(['IV', 'intranasal', 'oral']);
    // With a syringe concentration set, the IV row shows its pump programming; the same row as intranasal must not.
    await page.getByTestId('plan-concentration').fill('10');
    const firstRow = page.locator('[data-testid=event-row]').first();
    await expect.poll(() => firstRow.locator('[data-testid=pump-text]').count()).toBe(1);
    await routeSelect(page, 1).selectOption('intranasal');
    // 0.5 mg/kg = 35 mg is not a whole number of 28-mg devices: the row becomes the nearest whole number (1 device).
    await expect.poll(() => field(page, 'regimen[0].dose').inputValue()).toBe('28');
    await field(page, 'regimen[0].dose').fill('56');
    const desc = page.getByTestId('event-desc-1');
    await expect.poll(() => desc.textContent()).toBe('56 mg intranasal (2 devices, 5 min apart) at 0 min — not part of the pump');
    await expect.poll(() => page.getByLabel('Event 1 type', { exact: true }).inputValue()).toBe('non-iv');
    await expect
      .poll(() => page.getByTestId('route-form-1').textContent())
      .toContain('esketamine nasal spray (Spravato), 28-mg devices');
    await expect.poll(() => page.getByTestId('route-form-1').textContent()).toContain('Perez-Ruixo 2021 (doses of 28-mg devices');
    // A non-IV dose never shows pump mL/h, even with a syringe concentration set.
    await expect.poll(() => firstRow.locator('[data-testid=pump-text]').count()).toBe(0);
    await expect.poll(() => page.locator('[data-path="regimen[0].overMin"]').count()).toBe(0);

    const want = engineMetrics({ ...START, regimen: [{ at: 0, dose: 56, unit: 'mg', route: 'intranasal' }] });
    // Perez-Ruixo's typical 56-mg intranasal peak is about 73 ng/mL (engine test of the model); a sanity bound, the equality below is the check.
    expect(want.raw.peakCpNgMl).toBeGreaterThan(40);
    await waitForMetricText(page, 'peak-ce', want.peakCe);
    await expect.poll(() => metric(page, 'peak-cp')).toBe(want.peakCp);
    await expect.poll(() => metricDetail(page, 'peak-cp')).toBe(want.peakCpAt);
    await expect.poll(() => metricDetail(page, 'peak-ce')).toBe(want.peakCeAt);
    // The chart follows the same plan (its Ce path is drawn).
    expect((await page.locator('path.series-ce').getAttribute('d'))?.length ?? 0).toBeGreaterThan(20);
    expectClean(watch);
    await page.context().close();
  });

  it('a device count that is not whole is a message naming the dose field', async () => {
    const plan = { ...START, regimen: [{ at: 0, dose: 56, unit: 'mg', route: 'intranasal' }] };
    const { page, watch } = await openPage(browser, `${inject('baseUrl')}${planHash(plan)}`);
    await field(page, 'regimen[0].dose').fill('40');
    const row = page.locator('[data-testid=event-row]').first();
    await expect
      .poll(() => row.locator('.event-error:not([data-testid])').textContent())
      .toMatch(/^Event 1 dose: 40 mg; an intranasal dose with perez-ruixo-2021-esketamine is a whole number of devices/);
    await expect.poll(() => page.getByTestId('event-desc-1').textContent()).toContain('not a whole number of 28-mg devices');
    expectClean(watch);
    await page.context().close();
  });

  it('switching to a model without the route: a message naming the field, the row kept; switching back runs it again', async () => {
    const plan = { ...START, regimen: [{ at: 0, dose: 56, unit: 'mg', route: 'intranasal' }] };
    const want = engineMetrics(plan);
    const { page, watch } = await openPage(browser, `${inject('baseUrl')}${planHash(plan)}`);
    await waitForMetricText(page, 'peak-ce', want.peakCe);
    const model = page.getByLabel('Model', { exact: true });
    await model.selectOption('id:domino-1984');
    const why = page.getByTestId('route-unavailable-1');
    await expect
      .poll(() => why.textContent())
      .toMatch(
        /^Route: intranasal is not available for Domino 1984, so this dose cannot run; the row is kept\. Models with an intranasal route: Perez-Ruixo 2021 \(esketamine\)\./,
      );
    const row = page.locator('[data-testid=event-row]').first();
    await expect
      .poll(() => row.locator('.event-error:not([data-testid])').textContent())
      .toMatch(/^Event 1 route: model domino-1984 has no intranasal route/);
    // The row is kept as it was.
    await expect.poll(() => page.locator('[data-testid=event-row]').count()).toBe(1);
    await expect.poll(() => field(page, 'regimen[0].dose').inputValue()).toBe('56');
    await expect.poll(() => routeSelect(page, 1).inputValue()).toBe('intranasal');
    await expect
      .poll(() => routeSelect(page, 1).locator('option:checked').textContent())
      .toBe('intranasal (not available for this model)');
    // Back to the model that has it: the same numbers again.
    await model.selectOption('id:perez-ruixo-2021-esketamine');
    await expect.poll(() => why.count()).toBe(0);
    await waitForMetricText(page, 'peak-ce', want.peakCe);
    expectClean(watch);
    await page.context().close();
  });

  it('"+ Intranasal dose" is offered only for a model with the route and adds one device', async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    // Domino 1984 (the default) has IV only: no route choice, no add button.
    await expect.poll(() => page.getByLabel('Event 1 type', { exact: true }).count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: '+ Intranasal dose' }).count()).toBe(0);
    await expect.poll(() => routeSelect(page, 1).count()).toBe(0);
    await page.getByLabel('Model', { exact: true }).selectOption('id:perez-ruixo-2021-esketamine');
    await page.getByRole('button', { name: '+ Intranasal dose' }).click();
    await expect
      .poll(() => page.getByTestId('event-desc-2').textContent())
      .toBe('28 mg intranasal (1 device) at 50 min — not part of the pump');
    expectClean(watch);
    await page.context().close();
  });

  it('Live mode and the virtual population refuse the plan in words naming the reason, not with an error', async () => {
    const plan = { ...START, regimen: [{ at: 0, dose: 56, unit: 'mg', route: 'intranasal' }] };
    const { page, watch } = await openPage(browser, `${inject('baseUrl')}${planHash(plan)}`);
    await page.getByTestId('population-toggle').click();
    await expect
      .poll(() => page.getByTestId('population-refused').textContent())
      .toBe(
        'The virtual population runs IV plans only (its kernels have no intranasal absorption), so it does not run this plan (event 1: 56 mg intranasal at 0 min). The chart shows the typical patient.',
      );
    await expect.poll(() => page.getByTestId('population-run').isDisabled()).toBe(true);
    await expect.poll(() => page.getByText('Population run failed').count()).toBe(0);
    await page.getByRole('tab', { name: 'Live mode' }).click();
    await expect
      .poll(() => page.getByTestId('live-start-refused').textContent())
      .toMatch(
        /^Live mode follows an IV pump; intranasal doses cannot be paused or stopped once given, so this plan cannot start a session \(event 1: 56 mg intranasal at 0 min\)\./,
      );
    await expect.poll(() => page.getByTestId('live-start-button').isDisabled()).toBe(true);
    expectClean(watch);
    await page.context().close();
  });
});
