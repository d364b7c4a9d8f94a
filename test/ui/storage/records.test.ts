// Pure record checks (node): patient fields, identifying aliases, score ranges, notes.
import { describe, expect, it } from 'vitest';
import { identifyingAlias, parseNotes, parsePatient, parseScores, SCORE_RANGES } from '../../../ui/storage/records.ts';

/** The pure checks behind every write and every import (node; the browser suites test them through IndexedDB). */
describe('records: field checks', () => {
  it('parsePatient keeps exactly the given fields', () => {
    expect(parsePatient({ alias: 'K-17', weightKg: 70 })).toEqual({ ok: true, value: { alias: 'K-17', weightKg: 70 } });
    expect(parsePatient({ alias: 'K-17', weightKg: 70, ageYears: 40, sex: 'male', heightCm: 180 })).toEqual({
      ok: true,
      value: { alias: 'K-17', weightKg: 70, ageYears: 40, sex: 'male', heightCm: 180 },
    });
  });

  it('parsePatient reports every problem at once, each with its field', () => {
    const r = parsePatient({ alias: ' K ', weightKg: 0.1, ageYears: 130, sex: 'x', heightCm: 10, surname: 'Doe', phone: '0123' });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.path).sort()).toEqual([
        'patient.ageYears',
        'patient.alias',
        'patient.heightCm',
        'patient.phone',
        'patient.sex',
        'patient.surname',
        'patient.weightKg',
      ]);
  });

  it('identifyingAlias: dates, long digit runs and e-mail addresses; short clinic codes pass', () => {
    for (const a of ['1980-01-02', '02/01/1980', '2.1.80', 'MRN 4417782', '44-17-782-11', 'a@b.c'])
      expect(identifyingAlias(a), a).not.toBeNull();
    for (const a of ['K-17', 'Blue heron', 'P 0042', 'T3-B']) expect(identifyingAlias(a), a).toBeNull();
  });

  it('scores: each instrument at both ends of its range, integers only', () => {
    for (const [id, r] of Object.entries(SCORE_RANGES)) {
      expect(parseScores({ [id]: r.min }).ok, `${id} min`).toBe(true);
      expect(parseScores({ [id]: r.max }).ok, `${id} max`).toBe(true);
      const over = parseScores({ [id]: r.max + 1 });
      expect(!over.ok && over.problems[0]).toEqual({
        path: `scores.${id}`,
        message: `${r.name} total must be between ${r.min} and ${r.max}, got ${r.max + 1}`,
      });
      const frac = parseScores({ [id]: r.min + 0.5 });
      expect(!frac.ok && frac.problems[0].path).toBe(`scores.${id}`);
      const nan = parseScores({ [id]: Number.NaN });
      expect(!nan.ok && nan.problems[0].path).toBe(`scores.${id}`);
    }
    expect(parseScores({})).toEqual({ ok: true, value: {} });
  });

  it('notes: the 0–10 dissociation scale, onset minutes, side effects from the list, flags required', () => {
    const ok = parseNotes({
      sideEffects: ['nausea', 'headache'],
      dissociationIntensity: 0,
      dissociationOnsetMin: 0,
      lamotrigine: true,
      benzodiazepine: false,
    });
    expect(ok).toEqual({
      ok: true,
      value: {
        sideEffects: ['nausea', 'headache'],
        dissociationIntensity: 0,
        dissociationOnsetMin: 0,
        lamotrigine: true,
        benzodiazepine: false,
      },
    });
    const bad = parseNotes({ sideEffects: ['nausea', 'nausea'], dissociationIntensity: 7.5, lamotrigine: true });
    expect(!bad.ok && bad.problems.map((p) => p.path)).toEqual([
      'notes.sideEffects[1]',
      'notes.dissociationIntensity',
      'notes.benzodiazepine',
    ]);
  });
});
