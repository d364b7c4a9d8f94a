// Clinic-ready plan in Chromium: dose check at the plan and at start, pump mL/h and mL, pause/resume semantics, planner words, one-page print.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectClean, launch, openPage, planHash, waitForMetric } from './support.ts';

/** An 82-kg adult (the clinician's case) with a regimen. */
const plan82 = (regimen: unknown[], horizonMin = 120) => ({
  patient: { weightKg: 82, ageYears: 45, sex: 'male', heightCm: 180 },
  model: { id: 'domino-1984' },
  regimen,
  horizonMin,
  resolutionSec: 10,
});

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const open = (regimen: unknown[], horizonMin?: number) =>
  openPage(browser, `${inject('baseUrl')}/${planHash(plan82(regimen, horizonMin))}`);

const findings = (page: Page) => page.getByTestId('dose-findings');

describe('dose safety at the plan', () => {
  it('50 mg/kg over 40 min is named above the cited limit beside the regimen; a clinic limit persists; starting a session asks for confirmation', async () => {
    const { page, watch } = await open([{ at: 0, dose: 50, unit: 'mg/kg', overMin: 40 }]);
    await findings(page).waitFor();
    const text = await findings(page).textContent();
    expect(text).toContain(
      'Above the dose limit: Event 1: 50 mg/kg over 40 min (4,100 mg) is above the single-dose limit of 4.5 mg/kg',
    );
    expect(text).toContain('Ketalar');
    // the cited defaults are listed with their sources
    await page.getByText('Dose limits in force (clinic settings)').click();
    await expect
      .poll(() => page.locator('[data-limit=singleDoseMgPerKg]').textContent())
      .toMatch(/4\.5 mg\/kg.*\(cited\).*KETALAR/);
    // a clinic setting: 60 mg/kg (a test value), stored in this browser
    await page.getByTestId('limit-singleDoseMgPerKg').fill('60');
    await page.getByTestId('dose-ok').waitFor();
    await expect.poll(() => page.locator('[data-limit=singleDoseMgPerKg]').textContent()).toContain('60 mg/kg (clinic setting)');
    await page.reload();
    await page.getByText('Dose limits in force (clinic settings)').click();
    await expect.poll(() => page.getByTestId('limit-singleDoseMgPerKg').inputValue()).toBe('60');
    await page.getByTestId('dose-ok').waitFor();
    // bad input names the field
    await page.getByTestId('limit-singleDoseMgPerKg').fill('-3');
    await page.getByText('Largest single IV dose: must be a number > 0 mg/kg, got "-3"').waitFor();
    // back to the defaults: the finding is back
    await page.getByRole('button', { name: 'Reset limits to the cited defaults' }).click();
    await findings(page).waitFor();

    // starting a live session from this plan needs an explicit confirmation naming the finding
    await page.getByRole('tab', { name: 'Live mode' }).click();
    await page.getByTestId('live-patient').selectOption('anonymous');
    await page.getByTestId('live-findings').waitFor();
    await expect
      .poll(() => page.getByTestId('live-findings').textContent())
      .toContain('above the single-dose limit of 4.5 mg/kg');
    await page.getByTestId('live-start-button').click();
    await page.getByText('Dose check: confirm the finding above (above the dose limit) before starting.').waitFor();
    await expect.poll(() => page.getByTestId('live-session').count()).toBe(0);
    await page.getByTestId('live-confirm-findings').check();
    await page.getByTestId('live-start-button').click();
    await page.getByTestId('live-session').waitFor();
    // the live buttons show the pump volume at the concentration set
    await page.getByTestId('rate-value').fill('0.75');
    await expect
      .poll(() => page.getByTestId('rate-pump-volume').textContent())
      .toBe('pump: set the syringe concentration (mg/mL) to see the volume');
    await page.getByRole('tab', { name: 'Plan & predict' }).click();
    await page.getByTestId('plan-concentration').fill('1');
    await page.getByRole('tab', { name: 'Live mode' }).click();
    await page.getByTestId('rate-value').fill('0.75');
    await expect
      .poll(() => page.getByTestId('rate-pump-volume').textContent())
      .toBe('pump: 61.5 mL/h delivers 0.75 mg/kg/h (61.5 mg/h), ±0 %');
    await page.getByTestId('bolus-value').fill('0.1');
    await expect
      .poll(() => page.getByTestId('bolus-pump-volume').textContent())
      .toBe('pump: 8.2 mL delivers 8.2 mg (0.1 mg/kg), ±0 %');
    expectClean(watch);
    await page.context().close();
  });

  it('a unit slip (0.5 mg for 0.5 mg/kg) is named with the likely meant unit', async () => {
    const { page, watch } = await open([{ at: 0, dose: 0.5, unit: 'mg', overMin: 40 }]);
    await findings(page).waitFor();
    const text = await findings(page).textContent();
    expect(text).toContain('Possible unit slip: Event 1: 0.5 mg over 40 min is 0.0061 mg/kg for 82 kg');
    expect(text).toContain('(was 0.5 mg/kg meant?)');
    expectClean(watch);
    await page.context().close();
  });
});

describe('pump programming', () => {
  it('with a concentration, every rate shows mL/h and every bolus mL, rounded to the step with the effect on the dose', async () => {
    const { page, watch } = await open([
      { at: 0, bolus: 0.1, unit: 'mg/kg' },
      { at: 0, rate: 0.75, unit: 'mg/kg/h' },
      { at: 40, rate: 0, unit: 'mg/kg/h' },
    ]);
    await page.getByTestId('event-desc-2').waitFor();
    await expect.poll(() => page.getByTestId('event-desc-2').textContent()).not.toContain('mL/h');
    await page.getByTestId('plan-concentration').fill('1');
    await expect
      .poll(() => page.getByTestId('event-desc-2').textContent())
      .toBe('61.5 mg/h = 0.750 mg/kg/h until 40 min (event 3) · pump: 61.5 mL/h delivers 0.75 mg/kg/h (61.5 mg/h), ±0 %');
    await page.getByTestId('plan-concentration').fill('10');
    await expect
      .poll(() => page.getByTestId('event-desc-1').textContent())
      .toContain('pump: 0.8 mL delivers 8 mg (0.0976 mg/kg), −2.4 %');
    await expect
      .poll(() => page.getByTestId('event-desc-2').textContent())
      .toContain('pump: 6.2 mL/h delivers 0.756 mg/kg/h (62 mg/h), +0.8 %');
    await page.getByTestId('plan-concentration').fill('abc');
    await page.getByText('Syringe / bag concentration: must be a number > 0 mg/mL, got "abc"').waitFor();
    expectClean(watch);
    await page.context().close();
  });
});

describe('editor semantics', () => {
  it('a pause inside a dose over 40 min says what is given; "resume and give the rest" gives the whole dose', async () => {
    const { page, watch } = await open([
      { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
      { at: 10, rate: 0, unit: 'mg/kg/h' },
    ]);
    await expect
      .poll(() => page.getByTestId('event-desc-1').textContent())
      .toBe('gives 10.3 mg of the 41.0 mg (0.750 mg/kg/h from 0 min until 10 min (event 2)): the rest is not given');
    await expect
      .poll(() => page.getByTestId('event-desc-2').textContent())
      .toContain('pump paused: stops event 1 at 10 min after 25 % of it');
    await waitForMetric(page, 'total-dose', '10.3 mg');
    // the resume time is required, named
    await page.getByRole('button', { name: 'Resume and give the rest' }).click();
    await page.getByText('Resume at: required: the minute the pump restarts').waitFor();
    await page.getByTestId('resume-at').fill('20');
    await page.getByRole('button', { name: 'Resume and give the rest' }).click();
    await expect.poll(() => page.getByTestId('event-desc-3').textContent()).toBe('30.8 mg = 0.750 mg/kg/h from 20 min to 50 min');
    await expect.poll(() => page.getByTestId('event-desc-1').textContent()).toBe('10.3 mg = 0.750 mg/kg/h from 0 min to 10 min');
    await waitForMetric(page, 'total-dose', '41.0 mg');
    expectClean(watch);
    await page.context().close();
  });

  it('"resume at a new rate until …" adds the rate and its stop; overlapping doses show the engine warning', async () => {
    const { page, watch } = await open([
      { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
      { at: 10, rate: 0, unit: 'mg/kg/h' },
    ]);
    await page.getByTestId('resume-at').fill('15');
    await page.getByRole('button', { name: 'Resume at a new rate until …' }).click();
    await expect
      .poll(() => page.getByTestId('event-desc-3').textContent())
      .toBe('61.5 mg/h = 0.750 mg/kg/h until 45 min (event 4)');
    await waitForMetric(page, 'total-dose', '41.0 mg');
    const { page: p2, watch: w2 } = await open([
      { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
      { at: 20, dose: 0.5, unit: 'mg/kg', overMin: 40 },
    ]);
    await p2.getByTestId('overlap-findings').waitFor();
    await expect
      .poll(() => p2.getByTestId('overlap-findings').textContent())
      .toContain('Overlapping doses: Event 2 starts at 20 min while event 1 runs until 40 min');
    expectClean(watch);
    expectClean(w2);
    await page.context().close();
    await p2.context().close();
  });
});

describe('the planner', () => {
  it('a unit change converts the limits; outcomes are in words; no loading bolus below the smallest one', async () => {
    const { page, watch } = await open([{ at: 0, rate: 0.75, unit: 'mg/kg/h' }]);
    await page.getByRole('tab', { name: 'Live mode' }).click();
    await page.getByTestId('planner-proposal').waitFor();
    await page.locator('#planner-unit').selectOption('mg/h');
    await expect.poll(() => page.getByLabel('Maximum rate', { exact: true }).inputValue()).toBe('164');
    await expect.poll(() => page.getByLabel('Rate step', { exact: true }).inputValue()).toBe('4.1');
    await page.getByTestId('planner-window').selectOption('custom');
    await page.getByLabel('Window low bound').fill('900');
    await page.getByLabel('Window high bound').fill('1000');
    await page.getByTestId('planner-unreachable-words').waitFor();
    await expect.poll(() => page.getByTestId('planner-unreachable-words').textContent()).toMatch(/^The maximum rate is too low/);
    // a small loading-dose cap: no token bolus
    await page.getByTestId('planner-window').selectOption('dissociation');
    await page.getByLabel('Loading dose cap').fill('0.05');
    await page.getByTestId('planner-min-bolus-hint').filter({ hasText: 'below it, so no loading dose is proposed' }).waitFor();
    await page.getByTestId('planner-proposal').waitFor();
    await expect.poll(() => page.locator('[data-testid=planner-steps] tbody tr').first().textContent()).not.toContain('bolus');
    // with a concentration the steps show mL/h
    await page.getByTestId('live-concentration').fill('1');
    await expect.poll(() => page.locator('[data-testid=planner-steps]').textContent()).toContain('mL/h delivers');
    expectClean(watch);
    await page.context().close();
  });
});

describe('the printable plan sheet', () => {
  it('prints one A4 page with the model, covariates, programme in mg/kg/h, mg/h and mL/h, chart, metrics and disclaimer', async () => {
    const { page, watch } = await open([
      { at: 0, bolus: 0.1, unit: 'mg/kg' },
      { at: 0, rate: 0.75, unit: 'mg/kg/h' },
      { at: 40, rate: 0, unit: 'mg/kg/h' },
    ]);
    await page.getByTestId('plan-concentration').fill('1');
    await page.getByTestId('print-plan').waitFor();
    await expect.poll(() => page.getByTestId('print-sheet').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'print' });
    await expect.poll(() => page.getByTestId('print-sheet').isVisible()).toBe(true);
    await expect.poll(() => page.locator('#root').isVisible()).toBe(false);
    await expect.poll(() => page.getByTestId('print-model').textContent()).toMatch(/Domino/);
    await expect
      .poll(() => page.getByTestId('print-covariates').textContent())
      .toBe('Weight 82 kg · age 45 y · male · height 180 cm');
    const rows = await page.locator('[data-testid=print-programme] tbody tr').allTextContents();
    expect(rows[1]).toBe('0 min → 40 minrate 0.75 mg/kg/h0.750 mg/kg/h61.5 mg/h61.5 mL/h (±0 %)––');
    expect(rows[0]).toContain('8.20 mg (0.100 mg/kg)8.2 mL (±0 %)');
    await expect.poll(() => page.locator('.print-sheet path.print-ce').getAttribute('d')).toMatch(/^M.{40,}/);
    await expect.poll(() => page.locator('.print-sheet rect.print-band').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('print-metrics').textContent()).toContain('Peak Ce');
    await expect.poll(() => page.getByTestId('print-disclaimer').textContent()).toContain('not a medical device');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length).toBe(1);
    expectClean(watch);
    await page.context().close();
  });
});
