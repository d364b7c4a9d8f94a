// `CourseStore.addSessionByHand`, `listSessionsChecked` and the course file's `enteredByHand`, against the real IndexedDB of a real Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const DAY = 24 * 3600 * 1000;

describe('sessions entered by hand and unreadable records (Chromium IndexedDB)', () => {
  it('stores a finished session flagged enteredByHand; refuses bad fields naming them; exports and re-imports the flag', async () => {
    const out = await h.page.evaluate(
      async ([plan, day]) => {
        const { CourseStore, exportCourse, importCourse } = window.ks.storage;
        const store = CourseStore.open('by-hand');
        const now = Date.now();
        const p = await store.createPatient({ alias: 'H-1', weightKg: 70 }, now);
        if (!p.ok) throw new Error('patient');
        const given = { ...plan, regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }] };
        const input = {
          startEpochMs: now - 3 * day,
          endedAtMin: 60,
          plan: given,
          notes: { sideEffects: [], lamotrigine: false, benzodiazepine: false },
          scores: { phq9: 9 },
        };
        const ok = await store.addSessionByHand(p.value.id, input, now);
        const paths = async (v: object) => {
          const r = await store.addSessionByHand(p.value.id, { ...input, ...v }, now);
          return r.ok ? [] : r.problems.map((x) => x.path);
        };
        const early = await paths({ startEpochMs: Date.UTC(1999, 11, 31) });
        const micro = await paths({ startEpochMs: (now - day) * 1000 });
        const stillRunning = await paths({ endedAtMin: 30 });
        const noDose = await paths({ plan: { ...plan, regimen: [] } });
        const badScore = await paths({ scores: { phq9: 40 } });
        const checked = await store.listSessionsChecked(p.value.id, now);
        const file = await exportCourse(store, p.value.id, now);
        if (!file.ok) throw new Error('export');
        const again = await importCourse(store, JSON.stringify(file.value), now, { alias: 'H-2' });
        const reimported = again.ok ? await store.listSessions(again.value.id) : [];
        // a record written with a start in microseconds (as an old version or another program could) is listed as unreadable
        await store.db.sessions.put({ ...(ok.ok ? ok.value : ({} as never)), id: 'bad-1', startEpochMs: now * 1000 });
        const withBad = await store.listSessionsChecked(p.value.id, now);
        store.close();
        return {
          ok: ok.ok ? [ok.value.status, ok.value.enteredByHand, ok.value.endedAtMin] : null,
          early,
          micro,
          stillRunning,
          noDose,
          badScore,
          checked: [checked.sessions.length, checked.unreadable.length],
          exported: file.value.sessions.map((s) => s.enteredByHand),
          reimported: reimported.map((s) => s.enteredByHand),
          withBad: [withBad.sessions.length, withBad.unreadable.map((u) => u.id), withBad.unreadable[0]?.problems.slice(0, 26)],
        };
      },
      [PLAN, DAY] as const,
    );
    expect(out.ok).toEqual(['finished', true, 60]);
    expect(out.early).toEqual(['startEpochMs']);
    expect(out.micro).toEqual(['startEpochMs']);
    expect(out.stillRunning).toEqual(['endedAtMin']);
    expect(out.noDose).toEqual(['plan.regimen']);
    expect(out.badScore).toEqual(['scores.phq9']);
    expect(out.checked).toEqual([1, 0]);
    expect(out.exported).toEqual([true]);
    expect(out.reimported).toEqual([true]);
    expect(out.withBad).toEqual([1, ['bad-1'], 'startEpochMs: must be a ti']);
  });

  it('refuses a session label that looks identifying, naming plan.label, and stores a clean one', async () => {
    const out = await h.page.evaluate(
      async ([plan, day]) => {
        const { CourseStore } = window.ks.storage;
        const store = CourseStore.open('by-hand-label');
        const now = Date.now();
        const p = await store.createPatient({ alias: 'H-3', weightKg: 70 }, now);
        if (!p.ok) throw new Error('patient');
        const input = (label: string) => ({
          startEpochMs: now - 3 * day,
          endedAtMin: 60,
          plan: { ...plan, regimen: [{ at: 0, bolus: 0.5, unit: 'mg/kg' }], label },
          notes: { sideEffects: [], lamotrigine: false, benzodiazepine: false },
          scores: {},
        });
        const bad = await store.addSessionByHand(p.value.id, input('John Smith, MRN 1234567'), now);
        const good = await store.addSessionByHand(p.value.id, input('paper record, site B'), now);
        const stored = (await store.listSessions(p.value.id)).map((s) => s.plan.label);
        store.close();
        return { bad: bad.ok ? null : bad.problems, good: good.ok, stored };
      },
      [PLAN, DAY] as const,
    );
    expect(out.bad?.map((x) => x.path)).toEqual(['plan.label']);
    expect(out.bad?.[0].message).toMatch(/^looks identifying \(.*looks like a record number.*looks like a person's name/);
    expect(out.good).toBe(true);
    expect(out.stored).toEqual(['paper record, site B']);
  });
});
