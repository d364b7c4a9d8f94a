// Course file export → import round trip; malformed file refused with fields, database unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN, startHarness, type Harness } from './harness.ts';

/** Export → import round trip and all-or-nothing import, in a real Chromium. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // One course, written through the store as the app would: a finished session with a corrected and a
  // deleted event, notes and scores; a second finished session; a planned one.
  await h.page.evaluate(async (plan) => {
    const { CourseStore } = window.ks.storage;
    const store = CourseStore.open('file');
    const p = await store.createPatient(
      { alias: 'F-1', weightKg: 70, ageYears: 40, sex: 'female', heightCm: 168 },
      1_700_000_000_000,
    );
    if (!p.ok) throw new Error('patient');
    const day = 24 * 3600 * 1000;
    for (let i = 0; i < 3; i++) {
      const s = await store.createSession(p.value.id, plan, 1_700_000_000_000 + i * 3 * day);
      if (!s.ok) throw new Error('session');
      if (i === 2) break;
      await store.startSession(s.value.id, 1_700_000_000_000 + i * 3 * day + 3600_000);
      const rec = async (a: { atMin: number } & Record<string, unknown>) => {
        const r = await store.recordLiveAction(s.value.id, a, a.atMin);
        if (!r.ok) throw new Error(JSON.stringify(r.problems));
      };
      await rec({ kind: 'pause', atMin: 10 });
      await rec({ kind: 'resume', atMin: 12 });
      await rec({ kind: 'bolus', atMin: 20, amount: 10, unit: 'mg' });
      await store.correctLiveAction(s.value.id, 'e3', { amount: 8 }, 25, 'misread');
      await rec({ kind: 'bolus', atMin: 26, amount: 5, unit: 'mg' });
      await store.deleteLiveAction(s.value.id, 'e4', 27, 'entered twice');
      await rec({ kind: 'stop', atMin: 42 });
      const f = await store.finishSession(s.value.id, 45);
      if (!f.ok) throw new Error('finish');
      await store.updateNotes(s.value.id, {
        sideEffects: ['nausea', 'other'],
        sideEffectsText: 'mild, settled',
        dissociationIntensity: 6,
        dissociationOnsetMin: 14,
        lamotrigine: false,
        benzodiazepine: i === 1,
      });
      await store.updateScores(s.value.id, { phq9: 16 - i * 4, gad7: 10, pcl5: 40 - i });
    }
    store.close();
  }, PLAN);
});
afterAll(async () => {
  await h?.close();
});

describe('course file: export and import', () => {
  it('round trip: export → JSON text → import → export gives the same course (new ids, new alias)', async () => {
    const out = await h.page.evaluate(async () => {
      const { CourseStore, exportCourse, importCourse } = window.ks.storage;
      const store = CourseStore.open('file');
      const [p] = await store.listPatients();
      const exported = await exportCourse(store, p.id, 1_800_000_000_000);
      if (!exported.ok) throw new Error('export');
      const text = JSON.stringify(exported.value, null, 2);
      const imported = await importCourse(store, text, 1_800_000_000_001, { alias: 'F-1-copy' });
      if (!imported.ok) return { problems: imported.problems };
      const again = await exportCourse(store, imported.value.id, 1_800_000_000_000);
      const before = (await store.listSessions(p.id)).map((s) => s.id);
      const after = (await store.listSessions(imported.value.id)).map((s) => s.id);
      store.close();
      return {
        first: exported.value,
        second: again.ok ? again.value : null,
        text,
        importedId: imported.value.id,
        originalId: p.id,
        before,
        after,
      };
    });
    if ('problems' in out) throw new Error(JSON.stringify(out.problems));
    expect(out.second).not.toBeNull();
    expect(out.first.format).toBe('ketasim-course');
    expect(out.first.formatVersion).toBe(1);
    expect(out.first.sessions.map((s) => s.status)).toEqual(['finished', 'finished', 'planned']);
    expect(out.first.sessions[0].log.map((e) => e.change)).toEqual([
      'record',
      'record',
      'record',
      'correct',
      'record',
      'delete',
      'record',
    ]);
    // Internal ids stay in the database: not the patient's, not a session's.
    expect(out.text).not.toMatch(/patientId|sessionId/);
    for (const id of [out.originalId, ...out.before]) expect(out.text).not.toContain(id);
    expect({ ...out.second!, patient: { ...out.second!.patient, alias: 'F-1' } }).toEqual(out.first);
    expect(out.importedId).not.toBe(out.originalId);
    expect(out.after.some((id) => out.before.includes(id))).toBe(false);
  });

  it('a malformed file is refused with every field named, and the database is unchanged (full dump compared)', async () => {
    const out = await h.page.evaluate(async () => {
      const { CourseStore, exportCourse, importCourse } = window.ks.storage;
      const store = CourseStore.open('file');
      const p = (await store.listPatients()).find((x) => x.alias === 'F-1')!;
      const good = await exportCourse(store, p.id, 1_800_000_000_000);
      if (!good.ok) throw new Error('export');
      // biome-ignore lint/suspicious/noExplicitAny: a raw course file, deliberately mutated into invalid shapes
      const base = () => JSON.parse(JSON.stringify(good.value)) as Record<string, any>;
      const variants: Record<string, unknown> = {
        notJson: '{"format": "ketasim-course",',
        wrongFormat: { ...base(), format: 'something-else' },
        futureVersion: { ...base(), formatVersion: 2 },
        phq9: (() => {
          const f = base();
          f.sessions[0].scores.phq9 = 28;
          return f;
        })(),
        pcl5: (() => {
          const f = base();
          f.sessions[1].scores.pcl5 = 80.5;
          return f;
        })(),
        planUnit: (() => {
          const f = base();
          f.sessions[2].plan.regimen[0].unit = 'mg/kg/hour';
          return f;
        })(),
        logSeq: (() => {
          const f = base();
          f.sessions[0].log[2].seq = 7;
          return f;
        })(),
        logAfterStop: (() => {
          const f = base();
          f.sessions[1].log.push({
            seq: 7,
            eventId: 'e6',
            version: 1,
            change: 'record',
            recordedAtMin: 44,
            action: { kind: 'bolus', atMin: 44, amount: 1, unit: 'mg' },
          });
          return f;
        })(),
        plannedWithLog: (() => {
          const f = base();
          f.sessions[2].log = f.sessions[0].log;
          return f;
        })(),
        pumpRunning: (() => {
          const f = base();
          f.sessions[0].log = f.sessions[0].log.slice(0, 6);
          return f;
        })(),
        patientName: (() => {
          const f = base();
          f.patient.name = 'Jane Doe';
          return f;
        })(),
        aliasDate: (() => {
          const f = base();
          f.patient.alias = '02/01/1980';
          return f;
        })(),
        aliasTaken: base(),
        notes: (() => {
          const f = base();
          f.sessions[0].notes.dissociationIntensity = 12;
          delete f.sessions[1].notes.lamotrigine;
          return f;
        })(),
        status: (() => {
          const f = base();
          f.sessions[1].status = 'done';
          return f;
        })(),
        lastSessionOnly: (() => {
          const f = base();
          f.patient.alias = 'F-9';
          f.sessions[2].createdAtMs = -5;
          return f;
        })(),
      };
      const before = await store.dump();
      const results: Record<string, { ok: boolean; paths: string[]; messages: string[] }> = {};
      for (const [name, v] of Object.entries(variants)) {
        const r = await importCourse(store, v, 1_800_000_000_002);
        results[name] = r.ok
          ? { ok: true, paths: [], messages: [] }
          : { ok: false, paths: r.problems.map((x) => x.path), messages: r.problems.map((x) => x.message) };
      }
      // The write itself is one transaction: a failure in its last step leaves nothing behind.
      const original = store.db.liveEntries.bulkAdd.bind(store.db.liveEntries);
      store.db.liveEntries.bulkAdd = (() => Promise.reject(new Error('disk full (simulated)'))) as unknown as typeof original;
      let writeError = '';
      try {
        await importCourse(store, { ...base(), patient: { ...base().patient, alias: 'F-2' } }, 1_800_000_000_003);
      } catch (e) {
        writeError = (e as Error).message;
      }
      store.db.liveEntries.bulkAdd = original;
      const after = await store.dump();
      store.close();
      return {
        results,
        same: JSON.stringify(before) === JSON.stringify(after),
        counts: [after.patients.length, after.sessions.length, after.liveEntries.length],
        writeError,
      };
    });
    const r = out.results;
    for (const [name, v] of Object.entries(r)) expect(v.ok, name).toBe(false);
    expect(r.notJson.paths).toEqual(['file']);
    expect(r.wrongFormat.paths).toEqual(['format']);
    expect(r.futureVersion.paths).toEqual(['formatVersion']);
    expect(r.phq9).toEqual({
      ok: false,
      paths: ['sessions[0].scores.phq9'],
      messages: ['PHQ-9 total must be between 0 and 27, got 28'],
    });
    expect(r.pcl5.paths).toEqual(['sessions[1].scores.pcl5']);
    expect(r.planUnit.paths).toEqual(['sessions[2].plan.regimen[0].unit']);
    expect(r.logSeq.paths).toEqual(['sessions[0].log[2].seq']);
    expect(r.logAfterStop.paths).toEqual(['sessions[1].log[7].action']);
    expect(r.logAfterStop.messages[0]).toMatch(/after the stop/);
    expect(r.plannedWithLog.paths).toEqual(['sessions[2].log']);
    expect(r.pumpRunning.paths).toEqual(['sessions[0].endedAtMin']);
    expect(r.patientName.paths).toEqual(['patient.name']);
    expect(r.aliasDate.paths).toEqual(['patient.alias']);
    expect(r.aliasTaken.paths).toEqual(['patient.alias']);
    expect(r.aliasTaken.messages[0]).toMatch(/already exists/);
    expect(r.notes.paths).toEqual(['sessions[0].notes.dissociationIntensity', 'sessions[1].notes.lamotrigine']);
    expect(r.status.paths).toEqual(['sessions[1].status']);
    expect(r.lastSessionOnly.paths).toEqual(['sessions[2].createdAtMs']);
    expect(out.writeError).toMatch(/disk full/);
    expect(out.same).toBe(true);
    expect(out.counts).toEqual([2, 6, 28]);
  });
});
