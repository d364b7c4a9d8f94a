// Unit tests of the identifying-text heuristic (true positives it must flag, false positives it must not) and of the label check built on it.
import { describe, expect, it } from 'vitest';
import { findIdentifying, identifyingReason, LABEL_MAX_CHARS, labelProblem } from '../../../ui/privacy/identifying.ts';
import { MAX_LABEL_LENGTH, parsePlan, type Plan } from '../../../engine/plan.ts';
import { MODEL_IDS, MODELS } from '../../../engine/models/registry.ts';
import { describePlan, editedLabel } from '../../../ui/state/scenario.ts';

const kinds = (t: string) => findIdentifying(t).map((f) => f.kind);

describe('findIdentifying', () => {
  it('flags names, record numbers, dates of birth, phone numbers and e-mail addresses (true positives)', () => {
    const cases: [string, string][] = [
      ['John Smith', 'name'],
      ['seen with Mary Ann Jones today', 'name'],
      ['Mr Patel', 'name'],
      ['Dr. Okafor said fine', 'name'],
      ['MRN 1234567', 'record'],
      ['mrn: 88', 'record'],
      ['NHS 943 476 5919', 'record'],
      ['hospital number 4521', 'record'],
      ['chart 123456', 'record'],
      ['DOB 12/03/1980', 'date'],
      ['born 1980', 'date'],
      ['12 March 1980', 'date'],
      ['March 12, 1980', 'date'],
      ['1980-03-12', 'date'],
      ['call 020 7946 0958', 'phone'],
      ['+44 7700 900123', 'phone'],
      ['mobile 07700900123', 'phone'],
      ['j.smith@example.org', 'email'],
      ['K17@clinic', 'email'],
    ];
    for (const [text, kind] of cases) expect(kinds(text), text).toContain(kind);
  });

  it('a label with an MRN and a date of birth is flagged for both', () => {
    const k = kinds('Smith MRN 1234567 DOB 01/02/1975');
    expect(k).toContain('record');
    expect(k).toContain('date');
  });

  it('does not flag clinic codes, doses, scores, times or clinical sentences (false positives avoided)', () => {
    const clean = [
      'K-17',
      'Blue heron',
      'P 0042',
      'T3-B',
      'Mild nausea after 40 min, settled by 60 min',
      'Felt Dizzy at 20 min',
      'Blood Pressure 150/95 at 30 min',
      'PHQ-9 went from 21 to 14',
      'Ondansetron 4 mg IV given',
      'Lamotrigine taken in the Morning',
      '0.5 mg/kg over 40 min',
      'Monday Session',
      'Room 4, chair 2',
      'Ce 212 ng/mL at 35 min',
    ];
    for (const t of clean) expect(findIdentifying(t), t).toEqual([]);
  });

  it('known false positives, stated: two capitalised non-medical words are flagged even when they are not a name', () => {
    expect(kinds('Green Lantern')).toContain('name');
    expect(kinds('Lovely Weather')).toContain('name');
  });

  it('identifyingReason gives the first reason, or null', () => {
    expect(identifyingReason('K-17')).toBeNull();
    expect(identifyingReason('John Smith')).toMatch(/name/);
    expect(identifyingReason('a@b.c')).toMatch(/^looks like an e-mail address/);
    expect(identifyingReason('12/03/1980')).toMatch(/^looks like a date/);
    expect(identifyingReason('')).toBeNull();
  });
});

describe('labelProblem (labels typed for a pinned plan or a session)', () => {
  it('names the field and every finding for identifying text, and accepts ordinary labels', () => {
    expect(labelProblem('John Smith MRN 1234567', 'Session label')).toBe(
      'Session label: looks identifying ("MRN 1234567" looks like a record number; "John Smith" looks like a person\'s name (two capitalised words)); a label names a scenario or a session, never a person',
    );
    expect(labelProblem('call 020 7946 0958')).toMatch(/^Label: looks identifying \(.*looks like a phone number/);
    expect(labelProblem('born 12/03/1980')).toMatch(/looks like a date/);
    for (const ok of ['low dose, teaching', 'paper record, site B', '0.5 mg/kg over 40 min', 'Pinned 1', ''])
      expect(labelProblem(ok)).toBeNull();
  });

  it('applies the plan contract to a label: at most MAX_LABEL_LENGTH characters, no control or text-direction character', () => {
    expect(LABEL_MAX_CHARS).toBe(MAX_LABEL_LENGTH);
    const long = 'a'.repeat(LABEL_MAX_CHARS + 1);
    expect(labelProblem(long)).toBe(`Label: must be at most ${LABEL_MAX_CHARS} characters, got ${LABEL_MAX_CHARS + 1}`);
    expect(labelProblem('a'.repeat(LABEL_MAX_CHARS))).toBeNull();
    // the same texts the plan parser refuses (or accepts) as a label
    const plan = { patient: { weightKg: 70 }, model: { id: 'domino-1984' }, regimen: [], horizonMin: 60, resolutionSec: 60 };
    for (const t of [long, 'tab\there', 'right\u202Eto left', 'isolate\u2066x', 'fine label']) {
      const parsed = parsePlan({ ...plan, label: t }, MODEL_IDS);
      expect(labelProblem(t) === null, JSON.stringify(t)).toBe(parsed.ok);
    }
  });

  it('never flags a label the dashboard writes itself (model, weight and regimen of every registry model)', () => {
    const regimens: Plan['regimen'][] = [
      [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
      [{ at: 0, bolus: 10, unit: 'mg' }],
      [
        { at: 0, rate: 0.75, unit: 'mg/kg/h' },
        { at: 30, rate: 0, unit: 'mg/kg/h' },
      ],
      [],
    ];
    const names = [...MODELS.map((m) => m.name), 'Custom model'];
    for (const name of names)
      for (const regimen of regimens)
        for (const weightKg of [3.5, 70, 182.5]) {
          const plan = {
            patient: { weightKg },
            model: { id: 'domino-1984' },
            regimen,
            horizonMin: 60,
            resolutionSec: 60,
          } as Plan;
          expect(labelProblem(describePlan(plan, name)), describePlan(plan, name)).toBeNull();
          expect(labelProblem(editedLabel(plan, name)), editedLabel(plan, name)).toBeNull();
        }
  });
});
