// Unit tests of the identifying-text heuristic: the true positives it must flag and the false positives it must not.
import { describe, expect, it } from 'vitest';
import { findIdentifying, identifyingReason } from '../../../ui/privacy/identifying.ts';

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
