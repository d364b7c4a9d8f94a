// Live alerts in Chromium: Ce below/above the chosen band said in words and colour with the forecast; restart after a stop; the live y-axis choice.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectClean, launch, openPage } from './support.ts';
import { dumpCourseDb, waitForText } from './live-support.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-03-02T09:00:00Z');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function startSession(page: Page, alias: string): Promise<void> {
  await page.getByRole('tab', { name: 'Live mode' }).click();
  await page.getByTestId('live-view').waitFor();
  await page.getByTestId('live-patient').selectOption('new');
  await page.getByTestId('live-start').locator('[data-field=alias]').fill(alias);
  await page.getByTestId('live-start-button').click();
  await page.getByTestId('live-session').waitFor();
}

const alertAt = (page: Page, position: string) => page.locator(`[data-testid=live-alert][data-position=${position}]`).waitFor();

describe('Live alerts, restart after a stop, live y axis (built app, Chromium, controlled clock)', () => {
  it('says when Ce is below and above the dissociation band, with the forecast; a stopped infusion restarts with a new rate event', async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    await page.clock.setFixedTime(T0);
    await startSession(page, 'ALERT-1');
    // at the start Ce is 0: below the band, said in words, as an alert
    await alertAt(page, 'below');
    const below = page.getByTestId('live-alert');
    await expect.poll(() => below.getAttribute('role')).toBe('alert');
    await expect
      .poll(() => below.textContent())
      .toMatch(/BELOW the Dissociation \(psychedelic effects\) band \(100–250 ng\/mL\)\. Forecast: /);
    await expect.poll(() => page.getByTestId('alert-sound').isChecked()).toBe(false);

    // a bolus: a few minutes later Ce is above the band (0.3 mg/kg keeps Ce below the next bands' bounds, so the next
    // crossing is this band's top; 3 mg/kg overshoots to ~4,800 ng/mL and crosses the anaesthesia bounds first)
    await page.getByTestId('bolus-value').fill('0.3');
    await page.getByTestId('act-bolus').click();
    await waitForText(page, 'live-feedback', '✓ Bolus 0.3 mg/kg recorded at 0.0 min (0:00:00) and saved.');
    await page.clock.setFixedTime(T0 + 3 * MIN);
    await waitForText(page, 'live-clock', '0:03:00');
    await alertAt(page, 'above');
    const above = (await page.getByTestId('live-alert').textContent())!;
    const ce = (await page.getByTestId('live-ce').textContent())!;
    expect(above).toContain(`Ce ${ce} is ABOVE the Dissociation (psychedelic effects) band (100–250 ng/mL).`);
    expect(above).toMatch(
      /Forecast: Ce is back in the band \(falls below 250 ng\/mL\) in \d+\.\d min if nothing more is recorded\./,
    );

    // stop, then restart with a new rate: both in the log
    await page.clock.setFixedTime(T0 + 4 * MIN);
    await waitForText(page, 'live-clock', '0:04:00');
    await page.getByTestId('act-stop').click();
    await page.getByTestId('act-stop-confirm').click();
    await waitForText(page, 'live-feedback', '✓ Stop recorded at 4.0 min (0:04:00) and saved.');
    await page.getByTestId('restart-hint').waitFor();
    await page.clock.setFixedTime(T0 + 6 * MIN);
    await waitForText(page, 'live-clock', '0:06:00');
    await page.getByTestId('rate-value').fill('0');
    await page.getByTestId('act-rate').click();
    await page
      .locator('.live-actions .field-error')
      .filter({ hasText: 'Restart rate: must be a number > 0 mg/kg/h, got 0' })
      .waitFor();
    await page.getByTestId('rate-value').fill('0.5');
    await page.getByTestId('act-rate').click();
    await waitForText(page, 'live-feedback', '✓ Restart at 0.5 mg/kg/h recorded at 6.0 min (0:06:00) and saved.');
    await waitForText(page, 'live-pump', 'set by hand to 0.5 mg/kg/h');
    const rows = page.locator('[data-testid=live-log] tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    await expect.poll(() => rows.nth(0).getByTestId('event-action').textContent()).toBe('Restarted at 0.5 mg/kg/h');
    await expect.poll(() => rows.nth(1).getByTestId('event-action').textContent()).toBe('Stop');
    const db = await dumpCourseDb(page);
    expect(db.liveEntries.map((e) => (e as { action: { kind: string } }).action.kind)).toEqual(['bolus', 'stop', 'restart']);

    // the live chart's y axis: fit all, zoom to the bands, a fixed top (a bad one named)
    await page.locator('path.series-forecast-ce').waitFor({ state: 'attached' });
    await page.getByTestId('live-y-axis').selectOption('bands');
    // the highest finite bound of the default racemic bands is the anaesthesia top, 2400 ng/mL: × 1.2 = 2880, rounded up to 3000
    await waitForText(page, 'live-y-top', 'top 3000 ng/mL (higher values are cut off)');
    await expect
      .poll(() => page.locator('[data-testid=live-chart] svg[data-y-scale]').getAttribute('data-y-scale'))
      .toBe('linear');
    // the plan chart's logarithmic axis (1 ng/mL up): the same chart, drawn on a log scale, nothing cut off
    await page.getByTestId('live-y-axis').selectOption('log');
    await expect.poll(() => page.locator('[data-testid=live-chart] svg[data-y-scale]').getAttribute('data-y-scale')).toBe('log');
    await expect.poll(() => page.getByTestId('live-y-top').textContent()).not.toContain('cut off');
    await expect.poll(() => page.locator('.live-y-axis label').first().textContent()).toBe('Y axis (ng/mL, logarithmic from 1)');
    await page.getByTestId('live-y-axis').selectOption('fixed');
    await page.getByTestId('live-y-max').fill('x');
    await page.locator('.live-y-axis .field-error').filter({ hasText: 'Y-axis top: must be a number > 0' }).waitFor();
    await page.getByTestId('live-y-max').fill('2000');
    await expect.poll(() => page.getByTestId('live-y-top').textContent()).toMatch(/^top 2000 ng\/mL/);
    expectClean(watch);
  });
});
