// `CourseStore` refuses a live-log write based on a log version the writer has not seen (two tabs, one session), and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN, startHarness, type Harness } from './harness.ts';

/** Two store connections to one database (as two tabs would hold) in a real Chromium. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('stale live-log writes (two connections, real IndexedDB)', () => {
  it('a write based on an older log count is refused naming basedOn, nothing is written; a write based on the current count succeeds', async () => {
    const out = await h.page.evaluate(async (plan) => {
      const { CourseStore, STALE_LOG_PATH } = window.ks.storage;
      const a = CourseStore.open('stale');
      const b = CourseStore.open('stale');
      const p = await a.createPatient({ alias: 'ST-1', weightKg: 70 }, Date.now());
      if (!p.ok) throw new Error('patient');
      const s = await a.createSession(p.value.id, plan, Date.now());
      if (!s.ok) throw new Error('session');
      await a.startSession(s.value.id, Date.now());
      // both tabs have seen 0 entries; A records a bolus (based on 0: accepted)
      const first = await a.recordLiveAction(s.value.id, { kind: 'bolus', atMin: 1, amount: 0.5, unit: 'mg/kg' }, 1, 0);
      // A stops (based on 1: accepted)
      const stop = await a.recordLiveAction(s.value.id, { kind: 'stop', atMin: 2 }, 2, 1);
      // B has seen only the bolus (1 entry) and pauses: refused
      const stale = await b.recordLiveAction(s.value.id, { kind: 'pause', atMin: 3 }, 3, 1);
      const afterStale = (await b.getSession(s.value.id))?.log.entries.length;
      // a correction based on a stale count is refused too
      const staleCorrect = first.ok
        ? await b.correctLiveAction(s.value.id, first.entry.eventId, { amount: 0.4 }, 3, 'typo', 0)
        : null;
      // B re-reads (2 entries) and acts on what it now sees: accepted by the log rules (restart after the stop)
      const fresh = await b.recordLiveAction(s.value.id, { kind: 'restart', atMin: 3, rate: 0.5, unit: 'mg/kg/h' }, 3, 2);
      const final = (await a.getSession(s.value.id))?.log.entries.length;
      a.close();
      b.close();
      return {
        path: STALE_LOG_PATH,
        first: first.ok,
        stop: stop.ok,
        stale: stale.ok ? null : stale.problems,
        afterStale,
        staleCorrect: staleCorrect && !staleCorrect.ok ? staleCorrect.problems[0].path : null,
        fresh: fresh.ok ? true : fresh.problems,
        final,
      };
    }, PLAN);
    expect(out.first).toBe(true);
    expect(out.stop).toBe(true);
    expect(out.stale).toEqual([
      {
        path: out.path,
        message:
          'the session changed in another tab or window (1 log entry this view had not seen); nothing was recorded — the view now shows the latest state, check it and act again',
      },
    ]);
    expect(out.afterStale).toBe(2);
    expect(out.staleCorrect).toBe('basedOn');
    expect(out.fresh).toBe(true);
    expect(out.final).toBe(3);
  });
});
