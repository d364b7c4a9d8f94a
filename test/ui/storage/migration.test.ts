// V1 database opens under v2 with data intact and logs moved to `liveEntries`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN, startHarness, type Harness } from './harness.ts';

/** Schema v1 (log inside the session) → v2 (log in its own table), in a real Chromium. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('schema migration v1 → v2', () => {
  it('a v1 database with data opens under v2 with the data intact and the logs moved to liveEntries', async () => {
    const out = await h.page.evaluate(async (planJson) => {
      const { openCourseDbV1, CourseStore } = window.ks.storage;
      const { recordAction, correctAction, emptyLog } = window.ks.live;
      const { parsePlan, MODEL_IDS } = window.ks.engine;
      // Raw IndexedDB view, independent of dexie.
      const raw = (name: string) =>
        new Promise<{ version: number; stores: string[]; sessions: Record<string, unknown>[]; entries: number }>(
          (resolve, reject) => {
            const req = indexedDB.open(name);
            req.onerror = () => reject(req.error);
            req.onsuccess = () => {
              const db = req.result;
              const stores = [...db.objectStoreNames];
              const tx = db.transaction(stores, 'readonly');
              const all = tx.objectStore('sessions').getAll();
              const cnt = stores.includes('liveEntries') ? tx.objectStore('liveEntries').count() : null;
              tx.oncomplete = () => {
                db.close();
                resolve({ version: db.version, stores, sessions: all.result, entries: cnt ? cnt.result : -1 });
              };
            };
          },
        );

      // --- what the first release wrote ---
      const v1 = openCourseDbV1('mig');
      const parsed = parsePlan(planJson, MODEL_IDS);
      if (!parsed.ok) throw new Error('plan');
      const plan = parsed.plan;
      let log = emptyLog();
      for (const a of [
        { kind: 'pause', atMin: 10 },
        { kind: 'resume', atMin: 12 },
        { kind: 'bolus', atMin: 20, amount: 10, unit: 'mg' },
      ]) {
        const r = recordAction(plan, log, a, a.atMin);
        if (!r.ok) throw new Error('record');
        log = r.log;
      }
      const c = correctAction(plan, log, 'e3', { amount: 8 }, 30, 'misread');
      if (!c.ok) throw new Error('correct');
      log = c.log;
      const patient = {
        id: 'p1',
        alias: 'M-1',
        weightKg: 70,
        ageYears: 40,
        sex: 'female' as const,
        heightCm: 168,
        createdAtMs: 1_700_000_000_000,
      };
      const notes = { sideEffects: ['nausea' as const], dissociationIntensity: 5, lamotrigine: true, benzodiazepine: false };
      const running = {
        id: 's1',
        patientId: 'p1',
        createdAtMs: 1_700_000_000_000,
        plan,
        status: 'running' as const,
        startEpochMs: 1_700_000_000_000,
        endedAtMin: null,
        notes,
        scores: { phq9: 12 },
        log: log.entries,
      };
      const planned = {
        id: 's2',
        patientId: 'p1',
        createdAtMs: 1_700_000_500_000,
        plan,
        status: 'planned' as const,
        startEpochMs: null,
        endedAtMin: null,
        notes: { sideEffects: [], lamotrigine: false, benzodiazepine: false },
        scores: {},
        log: [],
      };
      await v1.patients.add(patient);
      await v1.sessions.bulkAdd([running, planned]);
      v1.close();
      const before = await raw('mig');

      // --- the current release opens it ---
      const store = CourseStore.open('mig');
      const resumed = await store.resumeRunningSession();
      const listed = (await store.listSessions('p1')).map((s) => s.id);
      const s1 = await store.getSession('s1');
      const s2 = await store.getSession('s2');
      // The migrated session keeps working: one more event goes into the new table.
      const more = await store.recordLiveAction('s1', { kind: 'stop', atMin: 40 }, 40);
      const dump = await store.dump();
      store.close();
      const after = await raw('mig');
      return {
        before,
        after,
        resumed,
        listed,
        s1,
        s2,
        more: more.ok,
        dump,
        original: { patient, running, planned, log: log.entries },
      };
    }, PLAN);

    // Before: dexie's v1 layout (IndexedDB version = dexie version × 10), the log inside the session.
    expect(out.before.version).toBe(10);
    expect(out.before.stores.sort()).toEqual(['patients', 'sessions']);
    expect((out.before.sessions.find((s) => s.id === 's1')!.log as unknown[]).length).toBe(4);

    // After: v2 layout, no log field left in any session, the entries in their own table.
    expect(out.after.version).toBe(20);
    expect(out.after.stores.sort()).toEqual(['liveEntries', 'patients', 'sessions']);
    for (const s of out.after.sessions) expect('log' in s).toBe(false);
    expect(out.after.entries).toBe(5);

    // Intact: every field of every record, and the log exactly as written.
    const { log: _l1, ...running } = out.original.running;
    const { log: _l2, ...planned } = out.original.planned;
    expect(out.dump.patients).toEqual([out.original.patient]);
    expect(out.s1!.session).toEqual(running);
    expect(out.s2!.session).toEqual(planned);
    expect(out.s1!.log.entries).toEqual(out.original.log);
    expect(out.s2!.log.entries).toEqual([]);
    expect(out.dump.liveEntries.slice(0, 4).map(({ sessionId, ...e }) => ({ sessionId, e }))).toEqual(
      out.original.log.map((e) => ({ sessionId: 's1', e })),
    );
    // The v2 indexes work on migrated data.
    expect(out.resumed?.session.id).toBe('s1');
    expect(out.resumed?.log.entries).toEqual(out.original.log);
    expect(out.listed).toEqual(['s1', 's2']);
    expect(out.more).toBe(true);
  });
});
