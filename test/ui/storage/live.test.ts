// Live log committed before resolve; recovered after reload and renderer crash; one running session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN, startHarness, type Harness } from './harness.ts';

/** Live logging in a real Chromium: written before confirmed, recoverable after a reload and a crash. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('live session storage in Chromium', () => {
  it('an event is committed before recordLiveAction resolves: a separate raw IndexedDB connection sees it at once', async () => {
    const out = await h.page.evaluate(async (plan) => {
      const { CourseStore } = window.ks.storage;
      const store = CourseStore.open('confirm');
      const p = await store.createPatient({ alias: 'C-1', weightKg: 70 }, 1);
      if (!p.ok) throw new Error('patient');
      const s = await store.createSession(p.value.id, plan, 1);
      if (!s.ok) throw new Error('session');
      await store.startSession(s.value.id, Date.now());
      // Read through a second, raw connection (no dexie): it only ever sees committed data.
      const rawCount = () =>
        new Promise<number>((resolve, reject) => {
          const req = indexedDB.open('confirm');
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const db = req.result;
            const tx = db.transaction('liveEntries', 'readonly');
            const c = tx.objectStore('liveEntries').count();
            c.onsuccess = () => {
              db.close();
              resolve(c.result);
            };
            c.onerror = () => reject(c.error);
          };
        });
      const confirmed: string[] = [];
      const seenAtConfirm: number[] = [];
      for (const [i, action] of [
        { kind: 'pause', atMin: 1 },
        { kind: 'resume', atMin: 2 },
        { kind: 'bolus', atMin: 3, amount: 5, unit: 'mg' },
      ].entries()) {
        const r = await store.recordLiveAction(s.value.id, action, action.atMin);
        if (r.ok) {
          seenAtConfirm.push(await rawCount());
          confirmed.push(r.entry.eventId);
        }
        void i;
      }
      // A refused action writes nothing.
      const refused = await store.recordLiveAction(s.value.id, { kind: 'resume', atMin: 4 }, 4);
      const countAfterRefusal = await rawCount();
      // A write that fails after validation succeeded (the add itself rejects, as on a full disk):
      // the call rejects, so the UI never confirms it, and nothing is stored.
      const add = store.db.liveEntries.add.bind(store.db.liveEntries);
      store.db.liveEntries.add = (() => Promise.reject(new Error('QuotaExceeded (simulated)'))) as unknown as typeof add;
      let failedWrite = '';
      try {
        const r = await store.recordLiveAction(s.value.id, { kind: 'pause', atMin: 4.5 }, 4.5);
        if (r.ok) confirmed.push(r.entry.eventId);
      } catch (e) {
        failedWrite = (e as Error).message;
      }
      store.db.liveEntries.add = add;
      const countAfterFailedWrite = await rawCount();
      // A closed database rejects too.
      store.close();
      let rejected = '';
      try {
        await store.recordLiveAction(s.value.id, { kind: 'pause', atMin: 5 }, 5);
      } catch (e) {
        rejected = (e as Error).name;
      }
      return {
        confirmed,
        seenAtConfirm,
        refused,
        countAfterRefusal,
        failedWrite,
        countAfterFailedWrite,
        rejected,
        countAfterFailure: await rawCount(),
      };
    }, PLAN);
    expect(out.confirmed).toEqual(['e1', 'e2', 'e3']);
    expect(out.seenAtConfirm).toEqual([1, 2, 3]);
    expect(out.refused.ok).toBe(false);
    expect(out.countAfterRefusal).toBe(3);
    expect(out.failedWrite).toMatch(/QuotaExceeded/);
    expect(out.countAfterFailedWrite).toBe(3);
    expect(out.rejected).toMatch(/DatabaseClosed/);
    expect(out.countAfterFailure).toBe(3);
  });

  it('a running session is recovered after a real page.reload() and after a crashed renderer, with every event and the right clock', async () => {
    const page = await h.newPage();
    const written = await page.evaluate(async (plan) => {
      const { CourseStore } = window.ks.storage;
      const store = CourseStore.open('recover');
      const p = await store.createPatient({ alias: 'RC-1', weightKg: 70 }, 1);
      if (!p.ok) throw new Error('patient');
      const s = await store.createSession(p.value.id, plan, 1);
      if (!s.ok) throw new Error('session');
      const start = Date.now() - 20 * 60000; // started 20 min ago
      await store.startSession(s.value.id, start);
      for (const a of [
        { kind: 'pause', atMin: 10 },
        { kind: 'resume', atMin: 12.5 },
        { kind: 'bolus', atMin: 15, amount: 10, unit: 'mg' },
      ]) {
        const r = await store.recordLiveAction(s.value.id, a, a.atMin);
        if (!r.ok) throw new Error(JSON.stringify(r.problems));
      }
      const c = await store.correctLiveAction(s.value.id, 'e3', { amount: 8 }, 19, 'syringe misread');
      if (!c.ok) throw new Error('correct');
      const got = await store.getSession(s.value.id);
      // No close(): the page is reloaded with the connection open, as a user would.
      return { sessionId: s.value.id, start, entries: got!.log.entries };
    }, PLAN);
    await page.reload();
    await page.waitForFunction(() => typeof window.ks === 'object');
    const afterReload = await page.evaluate(async () => {
      const { CourseStore } = window.ks.storage;
      const { buildCourse, currentActions, LiveTracker, liveKernel } = window.ks.live;
      const store = CourseStore.open('recover');
      const r = await store.resumeRunningSession();
      if (!r) return null;
      // What the Live view does next: rebuild the clock and the now-state from the stored start.
      const nowMin = (Date.now() - r.startEpochMs) / 60000;
      const course = buildCourse(r.session.plan, currentActions(r.log));
      const tracker = new LiveTracker(liveKernel(r.session.plan).kernel, course);
      const s = tracker.now(nowMin);
      // One more event, then the renderer crashes before anything else happens.
      const more = await store.recordLiveAction(r.session.id, { kind: 'stop', atMin: nowMin }, nowMin);
      return {
        sessionId: r.session.id,
        start: r.startEpochMs,
        alias: r.patient.alias,
        entries: r.log.entries,
        nowMin,
        ce: s.ceNgMl,
        more: more.ok,
      };
    });
    expect(afterReload).not.toBeNull();
    expect(afterReload!.sessionId).toBe(written.sessionId);
    expect(afterReload!.start).toBe(written.start);
    expect(afterReload!.alias).toBe('RC-1');
    expect(afterReload!.entries).toEqual(written.entries);
    expect(afterReload!.entries.map((e) => e.change)).toEqual(['record', 'record', 'record', 'correct']);
    expect(afterReload!.nowMin).toBeGreaterThanOrEqual(20);
    expect(afterReload!.nowMin).toBeLessThan(21);
    expect(afterReload!.ce).toBeGreaterThan(0);
    expect(afterReload!.more).toBe(true);

    const cdp = await page.context().newCDPSession(page);
    // Page.crash never answers (the renderer is gone): wait for playwright's crash event instead.
    const crashed = page.waitForEvent('crash');
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;
    const fresh = await h.newPage();
    const afterCrash = await fresh.evaluate(async () => {
      const store = window.ks.storage.CourseStore.open('recover');
      const r = await store.resumeRunningSession();
      return r ? { id: r.session.id, kinds: r.log.entries.map((e) => e.action?.kind ?? 'deleted'), start: r.startEpochMs } : null;
    });
    expect(afterCrash).toEqual({
      id: written.sessionId,
      kinds: ['pause', 'resume', 'bolus', 'bolus', 'stop'],
      start: written.start,
    });
    await fresh.close();
  });

  it('one running session at a time; finish is refused while the pump runs; a finished session takes corrections only', async () => {
    const out = await h.page.evaluate(async (plan) => {
      const { CourseStore } = window.ks.storage;
      const store = CourseStore.open('lifecycle');
      const p = await store.createPatient({ alias: 'L-1', weightKg: 70 }, 1);
      if (!p.ok) throw new Error('patient');
      const a = await store.createSession(p.value.id, plan, 1);
      const b = await store.createSession(p.value.id, plan, 2);
      if (!a.ok || !b.ok) throw new Error('sessions');
      const notStarted = await store.recordLiveAction(a.value.id, { kind: 'pause', atMin: 0 }, 0);
      const startA = await store.startSession(a.value.id, 1_700_000_000_000);
      const startB = await store.startSession(b.value.id, 1_700_000_000_000);
      await store.recordLiveAction(a.value.id, { kind: 'rate', atMin: 20, rate: 1, unit: 'mg/kg/h' }, 20);
      const finishRunning = await store.finishSession(a.value.id, 50);
      await store.recordLiveAction(a.value.id, { kind: 'stop', atMin: 45 }, 45);
      const finishEarly = await store.finishSession(a.value.id, 44);
      const finish = await store.finishSession(a.value.id, 50);
      const recordAfter = await store.recordLiveAction(a.value.id, { kind: 'bolus', atMin: 51, amount: 1, unit: 'mg' }, 51);
      const correctAfter = await store.correctLiveAction(a.value.id, 'e2', { atMin: 46 }, 60, 'clock check');
      const planChange = await store.updateSessionPlan(a.value.id, plan);
      const startB2 = await store.startSession(b.value.id, 1_700_000_100_000);
      const resumed = await store.resumeRunningSession();
      store.close();
      return {
        notStarted,
        startA: startA.ok,
        startB,
        finishRunning,
        finishEarly,
        finish: finish.ok,
        recordAfter,
        correctAfter: correctAfter.ok,
        planChange,
        startB2: startB2.ok,
        resumedId: resumed?.session.id,
        bId: b.value.id,
      };
    }, PLAN);
    const msg = (r: { ok: boolean; problems?: { message: string }[] }) => (r.ok ? 'ok' : r.problems![0].message);
    expect(msg(out.notStarted)).toMatch(/start it first/);
    expect(out.startA).toBe(true);
    expect(msg(out.startB)).toMatch(/already running/);
    expect(msg(out.finishRunning)).toMatch(/still runs at 50 min \(1 mg\/kg\/h\)/);
    expect(msg(out.finishEarly)).toMatch(/before the last recorded action/);
    expect(out.finish).toBe(true);
    expect(msg(out.recordAfter)).toMatch(/corrections only/);
    expect(out.correctAfter).toBe(true);
    expect(msg(out.planChange)).toMatch(/cannot change/);
    expect(out.startB2).toBe(true);
    expect(out.resumedId).toBe(out.bId);
  });
});
