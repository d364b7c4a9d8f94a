/**
 * The dashboard's hard edges in a real Chromium: a result that cannot be computed or shown names its field
 * (never a blank chart or "0.0 min"), a share link beyond the plan format's limits or the link size cap is
 * refused with a message, and the largest plan the limits allow keeps the page answering. Every wait is for a
 * value on the page, never for time.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';
import { MAX_SHARE_PAYLOAD_CHARS } from '../../ui/state/share.ts';
import { expectClean, field, launch, metric, openPage, planHash, waitForMetric } from './support.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const DEFAULT_SHOWN = 'showing the default plan (70 kg adult, Domino 1984, 0.5 mg/kg over 40 min, 4-hour view) instead';

describe('results that cannot be computed or shown', () => {
  it('a 1e308-mg bolus in a link is refused naming the field; the default plan is shown, not a blank chart', async () => {
    const plan = { ...DEFAULT_PLAN, regimen: [{ at: 0, bolus: 1e308, unit: 'mg' }] };
    const { page, watch } = await openPage(browser, inject('baseUrl') + planHash(plan));
    const notice = page.getByTestId('link-notice');
    await notice.waitFor();
    const text = (await notice.textContent())!;
    expect(text).toMatch(/regimen\[0\]\.bolus/);
    expect(text).toContain(DEFAULT_SHOWN);
    await waitForMetric(page, 'total-dose', '35.0 mg');
    expectClean(watch);
    await page.context().close();
  });

  it('a 1e308 dose typed in the editor is flagged naming the field, and the last valid prediction stays', async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    await waitForMetric(page, 'total-dose', '35.0 mg');
    await field(page, 'regimen[0].dose').fill('1e308');
    const summary = page.getByTestId('problem-summary');
    await summary.waitFor();
    await expect.poll(() => summary.textContent()).toMatch(/regimen\[0\]/);
    await expect.poll(() => metric(page, 'total-dose')).toBe('35.0 mg');
    expectClean(watch);
    await page.context().close();
  });
});

describe('share links beyond the limits', () => {
  it('a link with 10,000 events is refused naming `regimen`, and the page answers at once', async () => {
    const regimen = Array.from({ length: 10_000 }, (_, i) => ({ at: i * 0.01, bolus: 0.001, unit: 'mg' }));
    const hash = planHash({ ...DEFAULT_PLAN, regimen });
    expect(hash.length).toBeLessThan(MAX_SHARE_PAYLOAD_CHARS); // the plan format's limit refuses it, not the size cap
    const { page, watch } = await openPage(browser, inject('baseUrl') + hash);
    const notice = page.getByTestId('link-notice');
    await notice.waitFor();
    const text = (await notice.textContent())!;
    expect(text).toMatch(/regimen: at most 1000 dose events, got 10000/);
    expect(text).toContain(DEFAULT_SHOWN);
    await waitForMetric(page, 'total-dose', '35.0 mg');
    expectClean(watch);
    await page.context().close();
  });

  it('a link above the size cap is refused before it is decoded, with a message stating the cap', async () => {
    const { page, watch } = await openPage(browser, `${inject('baseUrl')}#plan=${'A'.repeat(MAX_SHARE_PAYLOAD_CHARS + 4)}`);
    const notice = page.getByTestId('link-notice');
    await notice.waitFor();
    await expect.poll(() => notice.textContent()).toMatch(/more than the 1,000,000 a share link may carry/);
    await waitForMetric(page, 'total-dose', '35.0 mg');
    expectClean(watch);
    await page.context().close();
  });
});

describe('the largest plan the limits allow', () => {
  it('1000 events over 7 days on a 10-million-point grid: the page answers a click, then shows the result', async () => {
    // 7 days at 0.061 s: 9,914,755 points, the format's largest grid (0.0605 s would exceed 10 million)
    const regimen = Array.from({ length: 1000 }, (_, i) => ({ at: i * 10, bolus: 1, unit: 'mg' }));
    const plan = { ...DEFAULT_PLAN, regimen, horizonMin: 7 * 24 * 60, resolutionSec: 0.061 };
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    await waitForMetric(page, 'total-dose', '35.0 mg');
    await page.goto('about:blank');
    await page.goto(inject('baseUrl') + planHash(plan));
    // while the worker predicts, the page answers: a typed value shows up in the field it was typed into
    await field(page, 'patient.ageYears').fill('41');
    await expect.poll(() => field(page, 'patient.ageYears').inputValue()).toBe('41');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=metrics] tr[data-metric="total-dose"] td.value')?.textContent === '1000.0 mg',
      undefined,
      { timeout: 240_000, polling: 500 },
    );
    await expect.poll(() => page.getByTestId('link-notice').count()).toBe(0);
    // and after: a field still takes a typed value
    await field(page, 'patient.weightKg').fill('71');
    await expect.poll(() => field(page, 'patient.weightKg').inputValue()).toBe('71');
    expectClean(watch);
    await page.context().close();
  });
});
