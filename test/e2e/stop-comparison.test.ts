// "IV can be stopped, intranasal cannot" in the Sweet spot tab, in Chromium: both Ce curves, the decision marked, the minutes equal to the engine's stop comparison; inputs validated naming the field.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectClean, launch, openPage } from './support.ts';
import { compareStop, type StopComparison, type StopCandidate } from '../../engine/research/stop-comparison.ts';
import { STOP_COMPARISON_PRESET as PRESET } from '../../engine/pd/presets.ts';
import { defaultBandSet } from '../../engine/pd/bands.ts';
import { conc, formatMin } from '../../ui/format.ts';
import { fallText } from '../../ui/sweet-spot/stop-comparison-text.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The engine's comparison in the test process: the preset with this decision minute and IV dose, Ce every second (the panel's grid). */
function engine(stopAtMin: number, ivDoseMgPerKg: number): Extract<StopComparison, { ok: true }> {
  const candidates: StopCandidate[] = PRESET.regimens.map((r) => ({
    id: r.id,
    label: r.label,
    plan: {
      patient: PRESET.patient,
      model: { id: PRESET.modelId },
      regimen: r.id === 'iv' ? [{ at: 0, dose: ivDoseMgPerKg, unit: 'mg/kg', overMin: 40 }] : r.regimen,
      horizonMin: PRESET.horizonMin,
      resolutionSec: 1,
    },
  }));
  const r = compareStop(candidates, stopAtMin, PRESET.level);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
}

async function openStopPanel(): Promise<{ page: Page; watch: Awaited<ReturnType<typeof openPage>>['watch'] }> {
  const opened = await openPage(browser, inject('baseUrl'));
  await opened.page.getByRole('tab', { name: 'Sweet spot' }).click();
  await opened.page.getByTestId('stop-comparison').waitFor();
  return opened;
}

/** Wait until the panel shows the answer for this decision minute (its table header names it). */
async function waitForDecision(page: Page, stopAtMin: number): Promise<void> {
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid=stop-table] thead th')?.textContent === `After the decision at ${s} min`,
    String(stopAtMin),
  );
}

/** The panel's per-regimen cells, as read on screen. */
async function cells(page: Page, id: string) {
  const row = page.locator(`[data-testid=stop-table] tr[data-regimen="${id}"]`);
  return {
    level: await page.getByTestId(`stop-minutes-${id}`).textContent(),
    levelRaw: await page.getByTestId(`stop-minutes-${id}`).getAttribute('data-minutes'),
    back: await page.getByTestId(`stop-back-${id}`).textContent(),
    backRaw: await page.getByTestId(`stop-back-${id}`).getAttribute('data-minutes'),
    ceAtStop: await row.locator('[data-ce-at-stop]').textContent(),
    peak: await row.locator('[data-peak-after]').textContent(),
  };
}

/** What the screen must show for one engine outcome. */
function expected(o: Extract<StopComparison, { ok: true }>['outcomes'][number]) {
  return {
    level: fallText(o.minutesToFallBelowLevel, PRESET.horizonMin),
    levelRaw: String(o.minutesToFallBelowLevel ?? ''),
    back: fallText(o.minutesToFallBelowStopValue, PRESET.horizonMin),
    backRaw: String(o.minutesToFallBelowStopValue ?? ''),
    ceAtStop: conc(o.ceAtStopNgMl),
    peak: `${conc(o.peakAfterStopNgMl)} at ${formatMin(o.peakAfterStopAtMin)} min (rises ${conc(o.riseAfterStopNgMl)} after the decision)`,
  };
}

describe('"IV can be stopped, intranasal cannot" panel', () => {
  it('the preset (stop at 15 min, 0.5 mg/kg): both curves, the decision marked, the engine’s minutes, band set and model named', async () => {
    const { page, watch } = await openStopPanel();
    await waitForDecision(page, PRESET.stopAtMin);
    const want = engine(PRESET.stopAtMin, 0.5);
    for (const o of want.outcomes) expect(await cells(page, o.id)).toEqual(expected(o));
    // The contrast the preset teaches: IV only falls, intranasal keeps rising after the decision.
    expect(want.outcomes[1].riseAfterStopNgMl).toBeGreaterThan(10);
    await expect
      .poll(() => page.locator('path.stop-series-iv').getAttribute('d'))
      .toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){20,}$/);
    await expect
      .poll(() => page.locator('path.stop-series-intranasal').getAttribute('d'))
      .toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){20,}$/);
    await expect.poll(() => page.getByTestId('stop-decision-mark').count()).toBe(1);
    await expect.poll(() => page.getByTestId('stop-chart').textContent()).toContain('decision to stop: 15 min');
    await expect.poll(() => page.getByLabel('Decision to stop at (min from the start)').inputValue()).toBe('15');
    await expect.poll(() => page.getByLabel('IV dose (mg/kg over 40 min from t = 0)').inputValue()).toBe('0.5');
    // Which band set the engine applies, which model, which level, with their sources.
    const set = defaultBandSet({ id: PRESET.modelId });
    expect(set.drug).toBe('s-ketamine');
    await expect.poll(() => page.getByTestId('stop-band-set').textContent()).toContain('Band set the engine applies: S-ketamine');
    await expect.poll(() => page.getByTestId('stop-model').textContent()).toContain('Perez-Ruixo 2021 (esketamine)');
    const level = await page.getByTestId('stop-level').textContent();
    expect(level).toContain(`${PRESET.level.ngMl} ng/mL`);
    expect(level).toContain(PRESET.level.citation);
    expectClean(watch);
    await page.context().close();
  });

  it('editing the decision minute and the IV dose gives the engine’s numbers for those inputs; bad input names the field', async () => {
    const { page, watch } = await openStopPanel();
    await waitForDecision(page, PRESET.stopAtMin);
    const stopInput = page.getByLabel('Decision to stop at (min from the start)');
    const doseInput = page.getByLabel('IV dose (mg/kg over 40 min from t = 0)');
    await doseInput.fill('2');
    await stopInput.fill('30');
    await waitForDecision(page, 30);
    // Wait for the answer to the dose as well (the IV peak grows with the dose).
    const want = engine(30, 2);
    await page.waitForFunction(
      (t) => document.querySelector('[data-testid=stop-minutes-iv]')?.textContent === t,
      expected(want.outcomes[0]).level,
    );
    for (const o of want.outcomes) expect(await cells(page, o.id)).toEqual(expected(o));
    // At 2 mg/kg the IV Ce is above the level at the decision: it falls below it a measurable time later.
    expect(want.outcomes[0].minutesToFallBelowLevel!).toBeGreaterThan(0);

    await stopInput.fill('abc');
    await expect
      .poll(() => page.locator('[data-field-error=stopAtMin]').textContent())
      .toBe('Decision to stop at: must be a number (min), got "abc"');
    await expect.poll(() => stopInput.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.locator('[data-testid=stop-table]').count()).toBe(0);
    await stopInput.fill('900');
    await expect
      .poll(() => page.locator('[data-field-error=stopAtMin]').textContent())
      .toBe(`Decision to stop at: must be a time in minutes from 0 to ${PRESET.horizonMin}, got 900`);
    await stopInput.fill('30');
    await doseInput.fill('0');
    await expect
      .poll(() => page.locator('[data-field-error=ivDoseMgPerKg]').textContent())
      .toBe('IV dose: must be a dose in mg/kg > 0, got 0');
    await page.getByRole('button', { name: /^Back to the preset/ }).click();
    await waitForDecision(page, PRESET.stopAtMin);
    await expect.poll(() => page.locator('[data-field-error]').count()).toBe(0);
    expectClean(watch);
    await page.context().close();
  });
});
