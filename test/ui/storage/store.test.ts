// `CourseStore` in Chromium IndexedDB: CRUD, range checks write nothing, alias-only rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN, startHarness, type Harness } from './harness.ts';

/** CRUD, range checks and the alias-only rule, against the real IndexedDB of a real Chromium. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('CourseStore in Chromium: patients and sessions', () => {
  it('creates, reads, updates, lists and deletes patients and sessions', async () => {
    const out = await h.page.evaluate(async (plan) => {
      const { CourseStore } = window.ks.storage;
      const store = CourseStore.open('crud');
      const a = await store.createPatient(
        { alias: 'K-17', weightKg: 70, ageYears: 40, sex: 'female', heightCm: 168 },
        1_700_000_000_000,
      );
      const b = await store.createPatient({ alias: 'B-02', weightKg: 82 }, 1_700_000_000_000);
      if (!a.ok || !b.ok) throw new Error('create failed');
      const dupe = await store.createPatient({ alias: 'K-17', weightKg: 60 }, 1_700_000_000_000);
      const upd = await store.updatePatient(a.value.id, {
        alias: 'K-17',
        weightKg: 72,
        ageYears: 40,
        sex: 'female',
        heightCm: 168,
      });
      const clash = await store.updatePatient(a.value.id, { alias: 'B-02', weightKg: 72 });
      const s1 = await store.createSession(a.value.id, plan, 1_700_000_000_000);
      const s2 = await store.createSession(a.value.id, plan, 1_700_100_000_000);
      if (!s1.ok || !s2.ok) throw new Error('session create failed');
      const notes = await store.updateNotes(s1.value.id, {
        sideEffects: ['nausea'],
        dissociationIntensity: 6,
        dissociationOnsetMin: 14.5,
        lamotrigine: false,
        benzodiazepine: true,
      });
      const scores = await store.updateScores(s1.value.id, { phq9: 14, gad7: 9, pcl5: 31 });
      const got = await store.getSession(s1.value.id);
      const list = (await store.listSessions(a.value.id)).map((s) => s.id);
      const patients = (await store.listPatients()).map((p) => p.alias);
      const delSession = await store.deleteSession(s2.value.id);
      const delPatient = await store.deletePatient(b.value.id);
      const dump = await store.dump();
      store.close();
      return {
        a: a.value,
        dupe,
        upd,
        clash,
        s1: s1.value,
        notes,
        scores,
        got,
        list,
        expectedList: [s1.value.id, s2.value.id],
        patients,
        delSession,
        delPatient,
        counts: [dump.patients.length, dump.sessions.length, dump.liveEntries.length],
        weightAfter: dump.patients[0].weightKg,
      };
    }, PLAN);
    expect(out.a).toMatchObject({
      alias: 'K-17',
      weightKg: 70,
      ageYears: 40,
      sex: 'female',
      heightCm: 168,
      createdAtMs: 1_700_000_000_000,
    });
    expect(typeof out.a.id).toBe('string');
    expect(out.dupe).toEqual({
      ok: false,
      problems: [{ path: 'patient.alias', message: 'a patient with the alias "K-17" already exists' }],
    });
    expect(out.upd.ok).toBe(true);
    expect(out.clash.ok).toBe(false);
    expect(out.s1).toMatchObject({
      status: 'planned',
      startEpochMs: null,
      endedAtMin: null,
      scores: {},
      notes: { sideEffects: [], lamotrigine: false, benzodiazepine: false },
    });
    expect(out.s1.plan.regimen).toEqual(PLAN.regimen);
    expect(out.notes.ok && out.scores.ok).toBe(true);
    expect(out.got?.session.notes).toEqual({
      sideEffects: ['nausea'],
      dissociationIntensity: 6,
      dissociationOnsetMin: 14.5,
      lamotrigine: false,
      benzodiazepine: true,
    });
    expect(out.got?.session.scores).toEqual({ phq9: 14, gad7: 9, pcl5: 31 });
    expect(out.got?.log).toEqual({ entries: [] });
    expect(out.list).toEqual(out.expectedList);
    expect(out.patients).toEqual(['B-02', 'K-17']);
    expect(out.delSession.ok && out.delPatient.ok).toBe(true);
    expect(out.counts).toEqual([1, 1, 0]);
    expect(out.weightAfter).toBe(72);
  });

  it('range-checks scores per instrument and notes, naming the field, and writes nothing when refused', async () => {
    const out = await h.page.evaluate(async (plan) => {
      const { CourseStore } = window.ks.storage;
      const store = CourseStore.open('ranges');
      const p = await store.createPatient({ alias: 'R-1', weightKg: 70 }, 1);
      if (!p.ok) throw new Error('create failed');
      const s = await store.createSession(p.value.id, plan, 2);
      if (!s.ok) throw new Error('session failed');
      const before = await store.dump();
      const results = {
        phq9: await store.updateScores(s.value.id, { phq9: 28 }),
        gad7: await store.updateScores(s.value.id, { gad7: 22 }),
        pcl5: await store.updateScores(s.value.id, { pcl5: 81 }),
        fraction: await store.updateScores(s.value.id, { phq9: 3.5 }),
        negative: await store.updateScores(s.value.id, { gad7: -1 }),
        text: await store.updateScores(s.value.id, { pcl5: '12' }),
        unknown: await store.updateScores(s.value.id, { madrs: 20 }),
        intensity: await store.updateNotes(s.value.id, {
          sideEffects: [],
          dissociationIntensity: 11,
          lamotrigine: false,
          benzodiazepine: false,
        }),
        effect: await store.updateNotes(s.value.id, {
          sideEffects: ['nausea', 'hiccups'],
          lamotrigine: false,
          benzodiazepine: false,
        }),
        flag: await store.updateNotes(s.value.id, { sideEffects: [], lamotrigine: 'yes', benzodiazepine: false }),
        onset: await store.updateNotes(s.value.id, {
          sideEffects: [],
          dissociationOnsetMin: -2,
          lamotrigine: false,
          benzodiazepine: false,
        }),
        badPlan: await store.createSession(p.value.id, { ...plan, patient: { weightKg: 0 } }, 3),
        edges: await store.updateScores(s.value.id, { phq9: 27, gad7: 0, pcl5: 80 }),
      };
      const after = await store.dump();
      store.close();
      return {
        results,
        beforeScores: before.sessions[0].scores,
        afterScores: after.sessions[0].scores,
        sessionsAfter: after.sessions.length,
      };
    }, PLAN);
    const r = out.results;
    const first = (x: { ok: boolean; problems?: { path: string; message: string }[] }) => (x.ok ? null : x.problems![0]);
    expect(first(r.phq9)).toEqual({ path: 'scores.phq9', message: 'PHQ-9 total must be between 0 and 27, got 28' });
    expect(first(r.gad7)).toEqual({ path: 'scores.gad7', message: 'GAD-7 total must be between 0 and 21, got 22' });
    expect(first(r.pcl5)).toEqual({ path: 'scores.pcl5', message: 'PCL-5 total must be between 0 and 80, got 81' });
    expect(first(r.fraction)?.path).toBe('scores.phq9');
    expect(first(r.fraction)?.message).toMatch(/whole number/);
    expect(first(r.negative)?.path).toBe('scores.gad7');
    expect(first(r.text)?.path).toBe('scores.pcl5');
    expect(first(r.unknown)?.path).toBe('scores.madrs');
    expect(first(r.intensity)?.path).toBe('notes.dissociationIntensity');
    expect(first(r.effect)?.path).toBe('notes.sideEffects[1]');
    expect(first(r.flag)?.path).toBe('notes.lamotrigine');
    expect(first(r.onset)?.path).toBe('notes.dissociationOnsetMin');
    expect(first(r.badPlan)?.path).toBe('plan.patient.weightKg');
    expect(r.edges.ok).toBe(true);
    expect(out.beforeScores).toEqual({});
    expect(out.afterScores).toEqual({ phq9: 27, gad7: 0, pcl5: 80 });
    expect(out.sessionsAfter).toBe(1);
  });

  it('stores an alias only: identifying fields and aliases are refused and nothing is written', async () => {
    const out = await h.page.evaluate(async () => {
      const { CourseStore } = window.ks.storage;
      const store = CourseStore.open('alias');
      const tries = [
        { alias: 'K-1', weightKg: 70, name: 'Jane Doe' },
        { alias: 'K-2', weightKg: 70, dateOfBirth: '1980-01-02' },
        { alias: 'K-3', weightKg: 70, mrn: '12345678' },
        { alias: 'K-4', weightKg: 70, favouriteColour: 'blue' },
        { alias: '1980-01-02', weightKg: 70 },
        { alias: 'MRN 4417782', weightKg: 70 },
        { alias: 'jane@example.org', weightKg: 70 },
        { alias: '', weightKg: 70 },
        { alias: 'K-5' },
        { alias: 'K-6', weightKg: 500 },
      ];
      const results = [];
      for (const t of tries) results.push(await store.createPatient(t, 1));
      const dump = await store.dump();
      store.close();
      return { results, patients: dump.patients.length };
    });
    const paths = out.results.map((r) => (r.ok ? 'ok' : r.problems.map((p) => p.path).join(',')));
    expect(paths).toEqual([
      'patient.name',
      'patient.dateOfBirth',
      'patient.mrn',
      'patient.favouriteColour',
      'patient.alias',
      'patient.alias',
      'patient.alias',
      'patient.alias',
      'patient.weightKg',
      'patient.weightKg',
    ]);
    const msg = (i: number) => (out.results[i].ok ? '' : out.results[i].problems[0].message);
    expect(msg(0)).toMatch(/alias only/);
    expect(msg(1)).toMatch(/alias only/);
    expect(msg(2)).toMatch(/alias only/);
    expect(msg(3)).toMatch(/unknown field/);
    expect(msg(4)).toMatch(/date/);
    expect(msg(5)).toMatch(/record number/);
    expect(msg(6)).toMatch(/e-mail/);
    expect(out.patients).toBe(0);
  });
});
