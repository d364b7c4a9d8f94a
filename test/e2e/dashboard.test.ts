// Built dashboard: default plan matches engine, hover, edits, inline errors, zoom, compare, CSV/PNG export, model info.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  compareHeaders,
  expectClean,
  ceD,
  cpD,
  field,
  launch,
  metric,
  metricDetail,
  openPage,
  waitForMetric,
  type PageWatch,
} from './support.ts';
import { parsePlan, type Plan } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { predict } from '../../engine/predict.ts';
import { computeMetrics } from '../../engine/metrics.ts';
import { DEFAULT_BANDS } from '../../engine/pd/bands.ts';
import { trajectoryCsv } from '../../cli/main.ts';
import { conc } from '../../ui/format.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';

/** The built dashboard in a real Chromium: the default plan, editing, bad input, hover, zoom, compare, export. */
const shots = join(import.meta.dirname, '../../test-results');
mkdirSync(shots, { recursive: true });

/** What the engine itself predicts for a plan (computed here in node, independently of the page). */
function engineMetrics(plan: Plan) {
  const r = parsePlan(plan, MODEL_IDS);
  if (!r.ok) throw new Error('invalid plan in test');
  const p = predict(r.plan);
  return { metrics: computeMetrics(p.trajectory, DEFAULT_BANDS, p.actions, r.plan.patient.weightKg), trajectory: p.trajectory };
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

describe('the dashboard (built, in Chromium)', () => {
  it('opens on the worked default with a chart, the dose track and metrics that match the engine', async () => {
    await expect.poll(() => field(page, 'patient.weightKg').inputValue()).toBe('70');
    await expect.poll(() => page.locator('#model-select').inputValue()).toBe('id:domino-1984');
    await expect.poll(() => field(page, 'regimen[0].dose').inputValue()).toBe('0.5');
    await expect.poll(() => field(page, 'regimen[0].overMin').inputValue()).toBe('40');
    await expect.poll(() => field(page, 'horizonMin').inputValue()).toBe('240');
    await expect
      .poll(() => page.getByTestId('disclaimer').textContent())
      .toMatch(/a planning and teaching tool, not a medical device/i);
    // the chart: both lines, the bands behind them, the time axis to 240 min, the dose track
    expect((await ceD(page))!.length).toBeGreaterThan(100);
    expect((await cpD(page))!.length).toBeGreaterThan(100);
    await expect.poll(() => page.locator('.chart-band').count()).toBeGreaterThanOrEqual(4);
    await expect
      .poll(() => page.locator('#chart-export svg.ketasim-chart >> nth=0 >> .chart-x-ticks text').last().textContent())
      .toBe('240');
    await expect.poll(() => page.locator('#chart-export svg.ketasim-chart').count()).toBe(2);
    // metrics: the engine's numbers, formatted, with units
    const { metrics } = engineMetrics(DEFAULT_PLAN);
    await expect.poll(() => metric(page, 'peak-cp')).toBe(conc(metrics.peakCpNgMl));
    await expect.poll(() => metric(page, 'peak-ce')).toBe(conc(metrics.peakCeNgMl));
    await expect.poll(() => metric(page, 'total-dose')).toBe('35.0 mg');
    await expect.poll(() => metricDetail(page, 'total-dose')).toBe('0.500 mg/kg');
    await expect.poll(() => metric(page, 'recovery')).toBe(`${metrics.recoveryMin!.toFixed(1)} min`);
    await expect.poll(() => metricDetail(page, 'band-anaesthesia')).toBe('never reached within the 240-min horizon');
    await page.screenshot({ path: join(shots, 'e2e-default.png'), fullPage: true });
    expectClean(watch);
  });

  it('shows time, Cp, Ce and the band under the pointer, with units', async () => {
    await page.getByTestId('chart-overlay').scrollIntoViewIfNeeded();
    const box = (await page.getByTestId('chart-overlay').boundingBox())!;
    const plotLeft = 72,
      plotRight = box.width - 20;
    await page.mouse.move(box.x + plotLeft + (plotRight - plotLeft) * (40 / 240), box.y + 150);
    // the full-resolution series is fetched from the worker when the pointer arrives: wait for the values
    await page.waitForFunction(() => /Cp \d/.test(document.querySelector('[data-testid=readout]')?.textContent ?? ''));
    const text = (await page.getByTestId('readout').textContent())!;
    expect(text).toMatch(/t (39|4\d)\.\d min \(0:(39|4\d):\d\d\)/);
    expect(text).toMatch(/Cp \d+(\.\d+)? ng\/mL/);
    expect(text).toMatch(/Ce \d+(\.\d+)? ng\/mL/);
    expect(text).toMatch(/Ce band .*(Analgesia|Dissociation).*ng\/mL/);
    // the keyboard reaches it too
    await page.getByTestId('chart-overlay').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('readout').textContent()).toMatch(/Ce \d/);
    await page.mouse.move(5, 5);
    expectClean(watch);
  });

  it('re-predicts on every edit: adding and editing a rate changes the chart and the metrics', async () => {
    const before = await ceD(page);
    await page.getByRole('button', { name: '+ Rate change' }).click();
    // the new row: a rate change at 50 min, 0.5 mg/kg/h by default
    await expect.poll(() => field(page, 'regimen[1].at').inputValue()).toBe('50');
    await waitForMetric(page, 'total-dose', `${(35 + 0.5 * 70 * (190 / 60)).toFixed(1)} mg`);
    const afterAdd = await ceD(page);
    expect(afterAdd).not.toBe(before);
    // type a new rate: every keystroke re-predicts, no Run button
    await field(page, 'regimen[1].rate').fill('1.2');
    const expected: Plan = { ...DEFAULT_PLAN, regimen: [DEFAULT_PLAN.regimen[0], { at: 50, rate: 1.2, unit: 'mg/kg/h' }] };
    const { metrics } = engineMetrics(expected);
    await waitForMetric(page, 'total-dose', `${metrics.totalDoseMg.toFixed(1)} mg`);
    await expect.poll(() => metric(page, 'total-dose')).toBe('301.0 mg');
    await expect.poll(() => metric(page, 'peak-ce')).toBe(conc(metrics.peakCeNgMl));
    expect(await ceD(page)).not.toBe(afterAdd);
    await expect.poll(() => metric(page, 'recovery')).toBe('not reached');
    await expect.poll(() => metricDetail(page, 'recovery')).toBe('the pump is still running at the end of the 240-min horizon');
    // the dose track shows the new rate on the same time axis (a step at 1.2 mg/kg/h)
    await expect.poll(() => page.locator('#chart-export svg.ketasim-chart').nth(1).locator('.dose-rate-area').count()).toBe(1);
    expectClean(watch);
  });

  it('names the field of a bad entry inline, keeps the last valid prediction, and recovers', async () => {
    const d = await ceD(page);
    const dose = await metric(page, 'total-dose');
    await field(page, 'patient.weightKg').fill('abc');
    const weightError = page.locator('.field.invalid .field-error').filter({ hasText: 'Weight' });
    await weightError.waitFor();
    await expect.poll(() => weightError.textContent()).toMatch(/^Weight: .*"abc"/);
    await expect.poll(() => field(page, 'patient.weightKg').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.getByTestId('problem-summary').textContent()).toContain('patient.weightKg');
    await field(page, 'regimen[1].rate').fill('-1');
    await page.locator('.field-error:visible').filter({ hasText: 'Event 2 rate: must be ≥ 0, got -1' }).waitFor();
    await field(page, 'horizonMin').fill('0');
    await page
      .locator('.field-error:visible')
      .filter({ hasText: /^Horizon: .*0/ })
      .waitFor();
    await field(page, 'regimen[0].overMin').fill('');
    await page.locator('.field-error:visible').filter({ hasText: 'Event 1 duration: required' }).waitFor();
    // the last valid prediction stays on screen
    expect(await ceD(page)).toBe(d);
    await expect.poll(() => metric(page, 'total-dose')).toBe(dose);
    await expect.poll(() => page.getByRole('button', { name: 'Copy share link' }).isDisabled()).toBe(true);
    // fix everything: the messages go and the prediction follows
    await field(page, 'patient.weightKg').fill('80');
    await field(page, 'regimen[1].rate').fill('0');
    await field(page, 'horizonMin').fill('240');
    await field(page, 'regimen[0].overMin').fill('40');
    await waitForMetric(page, 'total-dose', '40.0 mg');
    await expect.poll(() => page.getByTestId('problem-summary').count()).toBe(0);
    await expect.poll(() => page.locator('.field-error:visible').count()).toBe(0);
    expectClean(watch);
  });

  it('zooms to a time window by dragging, and back to the whole horizon', async () => {
    await page.getByTestId('chart-overlay').scrollIntoViewIfNeeded();
    const box = (await page.getByTestId('chart-overlay').boundingBox())!;
    const x = (t: number) => box.x + 72 + (box.width - 92) * (t / 240);
    await page.mouse.move(x(30), box.y + 100);
    await page.mouse.down();
    await page.mouse.move(x(60), box.y + 100, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() =>
      /Window (29|3\d)\.\d–\d+\.\d min \(zoomed\)/.test(document.querySelector('.zoom-controls')?.textContent ?? ''),
    );
    const ticks = await page.locator('#chart-export svg.ketasim-chart >> nth=0 >> .chart-x-ticks text').allTextContents();
    expect(Number(ticks[0])).toBeGreaterThanOrEqual(29);
    expect(Number(ticks[ticks.length - 1])).toBeLessThanOrEqual(61);
    await expect.poll(() => page.locator('.zoom-controls').textContent()).toMatch(/Window (29|30)\.\d–(59|60)\.\d min/);
    await page.getByRole('button', { name: 'Whole horizon' }).click();
    await page.waitForFunction(() => document.querySelector('.zoom-controls')?.textContent?.includes('Window 0.0–240.0 min'));
    expectClean(watch);
  });

  it('pins scenarios for comparison: overlaid lines and a side-by-side metrics table', async () => {
    await page.getByRole('button', { name: 'Pin current scenario' }).click();
    await page.getByTestId('compare').waitFor();
    await field(page, 'regimen[0].dose').fill('1');
    await waitForMetric(page, 'total-dose', '80.0 mg');
    await page.locator('path.series-pinned').first().waitFor({ state: 'attached' });
    await expect.poll(async () => (await compareHeaders(page))[2]).toContain('Domino 1984 · 80 kg · 0.5 mg/kg over 40 min');
    expect((await compareHeaders(page))[1]).toContain('Current');
    const doseRow = () =>
      page.locator('[data-testid=compare] tbody tr').filter({ hasText: 'Total dose' }).locator('td').allTextContents();
    await expect.poll(async () => (await doseRow())[0]).toContain('80.0 mg');
    expect((await doseRow())[1]).toContain('40.0 mg');
    await page.screenshot({ path: join(shots, 'e2e-compare.png'), fullPage: true });
    expectClean(watch);
  });

  it("exports the prediction as the CLI's CSV and the chart as a PNG", async () => {
    const [csvDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(csvDl.suggestedFilename()).toBe('ketasim-prediction.csv');
    const csv = readFileSync((await csvDl.path())!, 'utf8');
    const plan: Plan = {
      patient: { weightKg: 80, ageYears: 40 },
      model: { id: 'domino-1984' },
      regimen: [
        { at: 0, dose: 1, unit: 'mg/kg', overMin: 40 },
        { at: 50, rate: 0, unit: 'mg/kg/h' },
      ],
      horizonMin: 240,
      resolutionSec: 10,
    };
    expect(csv).toBe(trajectoryCsv(engineMetrics(plan).trajectory));
    const [pngDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PNG' }).click(),
    ]);
    expect(pngDl.suggestedFilename()).toBe('ketasim-chart.png');
    const png = readFileSync((await pngDl.path())!);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const width = png.readUInt32BE(16),
      height = png.readUInt32BE(20);
    expect(width).toBeGreaterThan(1000); // 2× the chart width
    expect(height).toBeGreaterThan(800);
    expect(png.length).toBeGreaterThan(20_000);
    expectClean(watch);
  });

  it("shows each model's provenance, the out-of-population warning, and a ke0 override", async () => {
    const card = page.getByTestId('model-card');
    await expect
      .poll(() => card.textContent())
      .toMatch(/Citation.*Domino EF.*Population.*Sampling site.*ke0.*0\.2380 \/min.*published.*Navarrete/s);
    await page.locator('#model-select').selectOption('id:kamp-2020');
    // wait for the value, not the badge: the badge comes from the catalogue, the number from the model's prediction
    await page.waitForFunction(() =>
      /^\d\.\d{3} \/min derived/.test(document.querySelector('[data-testid=ke0]')?.textContent ?? ''),
    );
    await expect.poll(() => card.textContent()).toMatch(/doi:10\.1097\/ALN\.0000000000003577/);
    await expect.poll(() => page.getByTestId('ke0').textContent()).toMatch(/^\d\.\d{3} \/min derived/);
    await field(page, 'patient.ageYears').fill('6');
    const warning = page.getByTestId('population-warning');
    await warning.waitFor();
    await expect.poll(() => warning.textContent()).toMatch(/Outside the studied population:.*ageYears 6 .*18–120 years/);
    await field(page, 'patient.ageYears').fill('40');
    await warning.waitFor({ state: 'detached' });
    const peak = await metric(page, 'peak-ce');
    await field(page, 'model.ke0').fill('1.5');
    await page.waitForFunction(() => document.querySelector('[data-testid=ke0]')?.textContent?.startsWith('1.500 /min override'));
    await page.waitForFunction(
      (p) => document.querySelector('[data-testid=metrics] tr[data-metric="peak-ce"] td.value')?.textContent !== p,
      peak,
    );
    expectClean(watch);
  });
});
