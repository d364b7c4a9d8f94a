// Live mode on a controlled clock: record actions, reload restores state, 30-min-old session, planner; numbers from engine.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectClean, launch, openPage } from './support.ts';
import { dumpCourseDb, engineAt, putCourseRecords, validPlan, waitForCourseDb, waitForText } from './live-support.ts';
import { whatIfForPlan, emptyLog } from '../../engine/live/index.ts';
import { conc, formatMg } from '../../ui/format.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';
import { leaveText } from '../../ui/live/live-model.ts';
import { UNREACHABLE_WORDS } from '../../ui/live/planner-model.ts';
import { logOf } from '../engine/live/fixtures.ts';

/**
 * Live mode in the built app, in a real Chromium, on a controlled wall clock (playwright's
 * page.clock.setFixedTime: Date.now() returns the set time, timers keep running): start a session,
 * record actions, reload mid-session, and open a session that started 30 minutes ago. Every number
 * checked here is recomputed in node by the engine (predict, whatIf), independently of the page.
 */
const shots = join(import.meta.dirname, '../../test-results');
mkdirSync(shots, { recursive: true });

const MIN = 60_000;
const T0 = Date.parse('2026-03-02T09:00:00Z');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function openLive(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Live mode' }).click();
  await page.getByTestId('live-view').waitFor();
}

/** Wait until the Cp and Ce readouts (computed in the live worker) show these texts, then return them as shown. */
const readouts = async (page: Page, expected: { cp: string; ce: string }) => {
  await waitForText(page, 'live-cp', expected.cp);
  await waitForText(page, 'live-ce', expected.ce);
  return { cp: await page.getByTestId('live-cp').textContent(), ce: await page.getByTestId('live-ce').textContent() };
};

describe('Live mode (built app, Chromium, controlled clock)', () => {
  it('starts a session, records a pause and a rate change (stored before confirmed); after a reload the events, the clock and the forecast are back', async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    await page.clock.setFixedTime(T0);
    await openLive(page);
    // who the session is for: a new patient, alias only, covariates from the plan
    await page.getByTestId('live-patient').selectOption('new');
    const form = page.getByTestId('live-start');
    await expect.poll(() => form.locator('[data-field=weightKg]').inputValue()).toBe('70');
    await form.locator('[data-field=alias]').fill('12/03/1980');
    await page.getByTestId('live-start-button').click();
    await expect.poll(() => form.locator('.field-error').first().textContent()).toMatch(/^Alias: looks like a date/);
    await expect.poll(() => page.getByTestId('live-session').count()).toBe(0);
    await form.locator('[data-field=alias]').fill('E2E-1');
    await page.getByTestId('live-start-button').click();
    await page.getByTestId('live-session').waitFor();
    await waitForText(page, 'live-clock', '0:00:00');
    await expect.poll(() => page.getByTestId('live-alias').textContent()).toBe('E2E-1');

    // minute 5: pause
    await page.clock.setFixedTime(T0 + 5 * MIN);
    await waitForText(page, 'live-clock', '0:05:00');
    await page.getByTestId('act-pause').click();
    await waitForText(page, 'live-feedback', '✓ Pause recorded at 5.0 min (0:05:00) and saved.');
    // confirmed only after the write: the entry is in IndexedDB now
    const afterPause = await dumpCourseDb(page);
    expect(afterPause.liveEntries).toHaveLength(1);
    expect(afterPause.liveEntries[0]).toMatchObject({ eventId: 'e1', action: { kind: 'pause', atMin: 5 } });

    // minute 8: rate change, value + unit (mg/kg/h by default); a bad value is named and not recorded
    await page.clock.setFixedTime(T0 + 8 * MIN);
    await waitForText(page, 'live-clock', '0:08:00');
    await expect.poll(() => page.getByTestId('rate-unit').inputValue()).toBe('mg/kg/h');
    await page.getByTestId('rate-value').fill('-1');
    await page.getByTestId('act-rate').click();
    await page
      .locator('.live-actions .field-error')
      .filter({ hasText: 'New rate: must be a number ≥ 0 mg/kg/h, got -1' })
      .waitFor();
    expect((await dumpCourseDb(page)).liveEntries).toHaveLength(1);
    await page.getByTestId('rate-value').fill('1');
    await page.getByTestId('act-rate').click();
    await waitForText(page, 'live-feedback', '✓ Rate 1 mg/kg/h recorded at 8.0 min (0:08:00) and saved.');
    await expect.poll(() => page.locator('[data-testid=live-log] tbody tr').count()).toBe(2);

    // minute 12: reload (as after a crash); the app reopens Live mode on the running session by itself
    await page.clock.setFixedTime(T0 + 12 * MIN);
    await page.reload();
    await page.getByTestId('live-session').waitFor();
    await waitForText(page, 'live-clock', '0:12:00');
    await expect.poll(() => page.getByTestId('live-alias').textContent()).toBe('E2E-1');
    const rows = page.locator('[data-testid=live-log] tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => rows.nth(0).getByTestId('event-action').textContent()).toBe('Rate set to 1 mg/kg/h');
    await expect.poll(() => rows.nth(0).getByTestId('event-at').textContent()).toBe('8.0 min (0:08:00)');
    await expect.poll(() => rows.nth(1).getByTestId('event-action').textContent()).toBe('Pause');
    await expect.poll(() => rows.nth(1).getByTestId('event-at').textContent()).toBe('5.0 min (0:05:00)');
    // the state at minute 12 is the engine's, for the course the log describes
    const plan = validPlan(DEFAULT_PLAN);
    const log = logOf(plan, [
      { kind: 'pause', atMin: 5 },
      { kind: 'rate', atMin: 8, rate: 1, unit: 'mg/kg/h' },
    ]);
    const at12 = engineAt(plan, log, 12);
    expect(await readouts(page, { cp: conc(at12.cp), ce: conc(at12.ce) })).toEqual({ cp: conc(at12.cp), ce: conc(at12.ce) });
    await expect.poll(() => page.getByTestId('live-pump').textContent()).toBe('set by hand to 1 mg/kg/h');
    // the chart: solid so far, dashed forecast, the "now" line
    await page.locator('path.series-forecast-ce').waitFor({ state: 'attached' });
    for (const cls of ['series-given-ce', 'series-given-cp', 'series-forecast-ce', 'series-forecast-cp']) {
      expect((await page.locator(`path.${cls}`).getAttribute('d'))!.length, cls).toBeGreaterThan(20);
    }
    await expect.poll(() => page.locator('path.series-forecast-ce').getAttribute('stroke-dasharray')).toBe('6 4');
    await expect.poll(() => page.locator('path.series-given-ce').getAttribute('stroke-dasharray')).toBeNull();
    await page.getByTestId('live-now-line').waitFor();
    await page.screenshot({ path: join(shots, 'e2e-live-reloaded.png'), fullPage: true });

    // correct afterwards: the pause was really at 4.5 min; the original stays in the history
    await page.getByRole('button', { name: 'Correct e1: Pause' }).click();
    await page.getByTestId('correct-at').fill('4.5');
    await page.getByLabel('Reason (optional)').fill('pressed late');
    await page.getByTestId('correct-save').click();
    await page.locator('tr[data-event=e1] [data-testid=event-at]').filter({ hasText: '4.5 min (0:04:30)' }).waitFor();
    await expect.poll(() => page.locator('tr[data-event=e1]').textContent()).toContain('corrected (version 2)');
    const corrected = logOf(plan, [
      { kind: 'pause', atMin: 4.5 },
      { kind: 'rate', atMin: 8, rate: 1, unit: 'mg/kg/h' },
    ]);
    const c12 = engineAt(plan, corrected, 12);
    await waitForText(page, 'live-ce', conc(c12.ce));
    await expect.poll(() => page.getByTestId('live-cp').textContent()).toBe(conc(c12.cp));
    const stored = (await dumpCourseDb(page)).liveEntries as { eventId: string; version: number; reason?: string }[];
    expect(stored.map((e) => [e.eventId, e.version, e.reason])).toEqual([
      ['e1', 1, undefined],
      ['e2', 1, undefined],
      ['e1', 2, 'pressed late'],
    ]);

    // a bolus (mg/kg shows its mg), then stop and finish at minute 20
    await page.getByTestId('bolus-value').fill('0.1');
    await page.getByTestId('act-bolus').click();
    await waitForText(page, 'live-feedback', '✓ Bolus 0.1 mg/kg recorded at 12.0 min (0:12:00) and saved.');
    await page.clock.setFixedTime(T0 + 20 * MIN);
    await waitForText(page, 'live-clock', '0:20:00');
    await expect.poll(() => page.getByTestId('act-finish').isDisabled()).toBe(true); // the pump still runs
    await page.getByTestId('act-stop').click();
    await page.getByTestId('act-stop-confirm').click();
    await waitForText(page, 'live-feedback', '✓ Stop recorded at 20.0 min (0:20:00) and saved.');
    const final = logOf(plan, [
      { kind: 'pause', atMin: 4.5 },
      { kind: 'rate', atMin: 8, rate: 1, unit: 'mg/kg/h' },
      { kind: 'bolus', atMin: 12, amount: 0.1, unit: 'mg/kg' },
      { kind: 'stop', atMin: 20 },
    ]);
    await waitForText(page, 'live-ce', conc(engineAt(plan, final, 20).ce));
    await expect.poll(() => page.getByTestId('live-pump').textContent()).toBe('stopped (0 mg/kg/h)');
    await page.getByTestId('act-finish').click();
    await page.getByTestId('live-finished').waitFor();
    const sessions = (await dumpCourseDb(page)).sessions as { status: string; endedAtMin: number }[];
    expect(sessions.map((x) => [x.status, x.endedAtMin])).toEqual([['finished', 20]]);
    expectClean(watch);
    await page.context().close();
  });

  it("a session started 30 minutes ago (seeded in IndexedDB) opens on its 30-minute state: Cp, Ce and the what-ifs are the engine's", async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    await waitForCourseDb(page);
    const now = T0 + 7 * 24 * 60 * MIN;
    const plan = validPlan({ ...DEFAULT_PLAN, patient: { weightKg: 64, ageYears: 38 } });
    await putCourseRecords(page, {
      patients: [{ id: 'p-seed', createdAtMs: now - 40 * MIN, alias: 'S-30', weightKg: 64, ageYears: 38 }],
      sessions: [
        {
          id: 's-seed',
          patientId: 'p-seed',
          createdAtMs: now - 31 * MIN,
          plan,
          status: 'running',
          startEpochMs: now - 30 * MIN,
          endedAtMin: null,
          notes: { sideEffects: [], lamotrigine: false, benzodiazepine: false },
          scores: {},
        },
      ],
    });
    await page.clock.setFixedTime(now);
    await page.reload();
    await page.getByTestId('live-session').waitFor();
    await waitForText(page, 'live-clock', '0:30:00');
    await expect.poll(() => page.getByTestId('live-alias').textContent()).toBe('S-30');
    const at30 = engineAt(plan, emptyLog(), 30);
    expect(await readouts(page, { cp: conc(at30.cp), ce: conc(at30.ce) })).toEqual({ cp: conc(at30.cp), ce: conc(at30.ce) });
    // 0.5 mg/kg over 40 min at 64 kg: 0.8 mg/min for 30 min so far
    await expect.poll(() => page.getByTestId('live-given').textContent()).toBe(`${formatMg(0.8 * 30)} mg`);
    await expect.poll(() => page.getByTestId('live-pump').textContent()).toBe('following the plan at 0.75 mg/kg/h (0.8 mg/min)');
    // the what-ifs, from the worker, are the engine's time to leave the dissociation band
    const stop = whatIfForPlan(plan, emptyLog(), 30, { kind: 'stop' }, { horizonMin: 120 });
    if (!stop.ok) throw new Error('refused');
    await waitForText(page, 'whatif-stopped', leaveText(stop.minutesToLeave, stop.lowNgMl, 120));
    expect(stop.minutesToLeave).toBeGreaterThan(0);
    await page.getByTestId('whatif-rate-value').fill('0.25');
    const r = whatIfForPlan(plan, emptyLog(), 30, { kind: 'rate', rate: 0.25, unit: 'mg/kg/h' }, { horizonMin: 120 });
    if (!r.ok) throw new Error('refused');
    await waitForText(page, 'whatif-rate', leaveText(r.minutesToLeave, r.lowNgMl, 120));
    // ghosts are drawn on demand and never recorded
    await page.getByLabel('Show the rate what-if on the chart').check();
    await page.locator('path.series-ghost-rate').waitFor({ state: 'attached' });
    expect((await dumpCourseDb(page)).liveEntries).toEqual([]);
    await page.screenshot({ path: join(shots, 'e2e-live-30min.png'), fullPage: true });
    expectClean(watch);
    await page.context().close();
  });

  it('the titration planner proposes a programme for the plan and "Use this plan" loads it into Plan & predict', async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    await openLive(page);
    const proposal = page.getByTestId('planner-proposal');
    await proposal.waitFor();
    await expect
      .poll(() => proposal.locator('h3').textContent())
      .toBe('Proposed programme: Ce in 100–250 ng/mL from 10 to 40 min');
    const steps = await page.locator('[data-testid=planner-steps] tbody tr').allTextContents();
    expect(steps[steps.length - 1]).toBe('40 minstop (0)');
    // an impossible window gets the planner's reason, not a crash
    await page.getByTestId('planner-window').selectOption('custom');
    await page.getByLabel('Window low bound').fill('900');
    await page.getByLabel('Window high bound').fill('1000');
    await page.getByTestId('planner-unreachable').waitFor();
    // in words a clinician reads, and only words: the reason code is a data attribute for tools, never visible text
    const unreachable = page.getByTestId('planner-unreachable');
    await expect
      .poll(() => page.getByTestId('planner-unreachable-words').textContent())
      .toBe(UNREACHABLE_WORDS['unreachable-max-rate']);
    await expect.poll(() => unreachable.getAttribute('data-reason-code')).toBe('unreachable-max-rate');
    const shown = (await unreachable.textContent()) ?? '';
    expect(shown).toContain('The maximum rate is too low');
    for (const code of Object.keys(UNREACHABLE_WORDS)) expect(shown).not.toContain(code);
    expect(shown).not.toMatch(/reason code/);
    await page.getByLabel('Window low bound').fill('abc');
    await page
      .getByTestId('planner-form-errors')
      .filter({ hasText: 'Window low bound: must be a number ≥ 0 ng/mL, got "abc"' })
      .waitFor();
    await page.getByTestId('planner-window').selectOption('dissociation');
    await proposal.waitFor();
    const n = await page.locator('[data-testid=planner-steps] tbody tr').count();
    await page.getByTestId('planner-use').click();
    await page.getByTestId('planner-loaded').waitFor();
    await page.getByRole('tab', { name: 'Plan & predict' }).click();
    await page.locator('[data-path="regimen[0].at"]').waitFor();
    await expect.poll(() => page.locator('[data-path$="].at"]').count()).toBe(n);
    await expect.poll(() => page.locator('[data-path="horizonMin"]').inputValue()).toBe('100');
    expectClean(watch);
    await page.context().close();
  });
});
