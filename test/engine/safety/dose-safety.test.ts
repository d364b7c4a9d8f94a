// Dose safety: dose-above-limit and dose-unit-suspect per event and for the total; defaults pinned to ketamine-pd.json; custom limits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DOSE_LIMITS,
  DOSE_LIMIT_UNITS,
  doseSafetyWarnings,
  formatAmount,
  parseDoseLimits,
  type DoseLimits,
} from '../../../engine/safety/dose-safety.ts';
import { PRESETS } from '../../../engine/pd/presets.ts';
import { parsePlan, type Plan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';

type ResearchRecord = { id: string; values: Record<string, unknown> };
const research: ResearchRecord[] = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../docs/research/ketamine-pd.json'), 'utf8'),
);
const values = (id: string): Record<string, unknown> => {
  const r = research.find((x) => x.id === id);
  if (!r) throw new Error(`${id} not in ketamine-pd.json`);
  return r.values;
};

/** A validated plan (through the contract's own parser) for a patient of `weightKg`. */
function plan(regimen: unknown[], weightKg = 82, horizonMin = 240): Plan {
  const r = parsePlan({ patient: { weightKg }, model: { id: 'domino-1984' }, regimen, horizonMin, resolutionSec: 10 }, MODEL_IDS);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.plan;
}
const codes = (p: Plan, limits?: DoseLimits) => doseSafetyWarnings(p, limits).map((w) => w.code);

describe('doseSafetyWarnings (engine/safety/dose-safety.ts)', () => {
  it('50 mg/kg over 40 min for 82 kg (4,100 mg) is dose-above-limit, naming the event, the limit and its source', () => {
    const w = doseSafetyWarnings(plan([{ at: 0, dose: 50, unit: 'mg/kg', overMin: 40 }]));
    expect(w).toHaveLength(1);
    expect(w[0].code).toBe('dose-above-limit');
    expect(w[0].message).toBe(
      'regimen[0]: 50 mg/kg over 40 min (4,100 mg) is above the single-dose limit of 4.5 mg/kg (369 mg for 82 kg; top of the Ketalar label IV induction range, 1–4.5 mg/kg) (was 50 mg meant?)',
    );
  });

  it('0.5 mg (not 0.5 mg/kg) for 82 kg is dose-unit-suspect, with the likely meant unit', () => {
    for (const ev of [
      { at: 0, dose: 0.5, unit: 'mg', overMin: 40 },
      { at: 0, bolus: 0.5, unit: 'mg' },
    ]) {
      const w = doseSafetyWarnings(plan([ev]));
      expect(w.map((x) => x.code)).toEqual(['dose-unit-suspect']);
      expect(w[0].message).toMatch(
        /^regimen\[0\]: (bolus )?0\.5 mg( over 40 min)? is 0\.0061 mg\/kg for 82 kg, at or below 0\.01 mg\/kg/,
      );
      expect(w[0].message).toContain('KetaSim heuristic');
      expect(w[0].message).toMatch(/a unit slip is likely \(was 0\.5 mg\/kg meant\?\)$/);
    }
    // 500 µg = 0.5 mg: one slip away are 500 ug/kg (0.5 mg/kg) and 500 mg (6.1 mg/kg, above the cited range).
    const ug = doseSafetyWarnings(plan([{ at: 0, bolus: 500, unit: 'µg' }]));
    expect(ug.map((x) => x.code)).toEqual(['dose-unit-suspect']);
    expect(ug[0].message).toContain('(was 500 ug/kg meant?)');
  });

  it('0.5 mg/kg over 40 min and every preset give no warning, at any weight', () => {
    for (const weightKg of [0.3, 3, 20, 70, 82, 150, 400]) {
      expect(codes(plan([{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }], weightKg))).toEqual([]);
      for (const p of PRESETS)
        expect(codes(plan([...p.regimen], weightKg, p.horizonMin)), `${p.id} at ${weightKg} kg`).toEqual([]);
    }
    // The contract's own example regimen (PLAN-FORMAT.md, 70 kg) is clean too.
    expect(
      codes(
        plan(
          [
            { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
            { at: 25, rate: 0 },
            { at: 28, rate: 0.75, unit: 'mg/kg/h' },
            { at: 60, bolus: 10, unit: 'mg' },
          ],
          70,
        ),
      ),
    ).toEqual([]);
  });

  it('the single-dose limit is inclusive: 4.5 mg/kg passes, just above warns; boluses and doses over a duration alike', () => {
    expect(codes(plan([{ at: 0, bolus: 4.5, unit: 'mg/kg' }]))).toEqual([]);
    expect(codes(plan([{ at: 0, bolus: 4.51, unit: 'mg/kg' }]))).toEqual(['dose-above-limit']);
    expect(codes(plan([{ at: 0, dose: 370, unit: 'mg', overMin: 1 }]))).toEqual(['dose-above-limit']);
    const w = doseSafetyWarnings(plan([{ at: 0, bolus: 370, unit: 'mg' }]));
    expect(w[0].message).toBe(
      'regimen[0]: bolus 370 mg (4.51 mg/kg, 370 mg) is above the single-dose limit of 4.5 mg/kg (369 mg for 82 kg; top of the Ketalar label IV induction range, 1–4.5 mg/kg)',
    );
  });

  it('a pump rate above the cited rate limit warns (0.5 mg/kg/min for 0.5 mg/kg/h); 7 mg/kg/h passes', () => {
    expect(codes(plan([{ at: 0, rate: 7, unit: 'mg/kg/h' }]))).toEqual([]);
    const w = doseSafetyWarnings(plan([{ at: 0, rate: 0.5, unit: 'mg/kg/min' }]));
    expect(w.map((x) => x.code)).toEqual(['dose-above-limit']);
    expect(w[0].message).toBe(
      'regimen[0]: rate 0.5 mg/kg/min (30 mg/kg/h, 2,460 mg/h) is above the infusion-rate limit of 7 mg/kg/h (574 mg/h for 82 kg; ASRA/AAPM/ASA 2018 chronic-pain guideline, up to 7 mg/kg/h in refractory ICU cases) (was 0.5 mg/kg/h or 0.5 mg/min meant?)',
    );
  });

  it('a pump rate so small that a unit slip is likely warns (0.75 mg/h for 0.75 mg/kg/h); the CRPS 22 mg/h does not', () => {
    const w = doseSafetyWarnings(plan([{ at: 0, rate: 0.75, unit: 'mg/h' }]));
    expect(w.map((x) => x.code)).toEqual(['dose-unit-suspect']);
    expect(w[0].message).toMatch(/^regimen\[0\]: rate 0\.75 mg\/h is 0\.00915 mg\/kg\/h for 82 kg, at or below 0\.035 mg\/kg\/h/);
    expect(w[0].message).toContain('a unit slip is likely (was 0.75 mg/kg/h or 0.75 mg/min meant?)');
    // ASRA 2018 CRPS regimen A: 22 mg/h (research §4), at 82 kg and at 150 kg.
    expect(codes(plan([{ at: 0, rate: 22, unit: 'mg/h' }]))).toEqual([]);
    expect(codes(plan([{ at: 0, rate: 22, unit: 'mg/h' }], 150))).toEqual([]);
  });

  it('gives one warning per finding, in regimen order, and ignores zero doses and pump stops', () => {
    const w = doseSafetyWarnings(
      plan([
        { at: 0, bolus: 0, unit: 'mg' },
        { at: 0, bolus: 0.5, unit: 'mg' },
        { at: 10, rate: 0 },
        { at: 20, dose: 50, unit: 'mg/kg', overMin: 40 },
        { at: 90, rate: 20, unit: 'mg/kg/h' },
        { at: 100, rate: 0 },
      ]),
    );
    expect(w.map((x) => `${x.message.slice(0, 12)} ${x.code}`)).toEqual([
      'regimen[1]:  dose-unit-suspect',
      'regimen[3]:  dose-above-limit',
      'regimen[4]:  dose-above-limit',
    ]);
  });

  it('has no default total limit (no source gives one), and checks a clinic’s total over the plan horizon', () => {
    expect(DEFAULT_DOSE_LIMITS.totalDoseMgPerKg).toBeNull();
    const regimen = [
      { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
      { at: 60, rate: 0.75, unit: 'mg/kg/h' },
      { at: 120, rate: 0 },
    ];
    // 0.5 + 0.75 × 1 h = 1.25 mg/kg = 102.5 mg for 82 kg.
    expect(codes(plan(regimen))).toEqual([]);
    const clinic: DoseLimits = {
      ...DEFAULT_DOSE_LIMITS,
      totalDoseMgPerKg: { value: 1, unit: 'mg/kg', basis: 'clinic', citation: 'Clinic protocol 2025', label: 'clinic setting' },
    };
    const w = doseSafetyWarnings(plan(regimen), clinic);
    expect(w).toEqual([
      {
        code: 'dose-above-limit',
        message:
          'regimen: the total of 103 mg (1.25 mg/kg) given over the 240-min plan is above the total-dose limit of 1 mg/kg (82 mg for 82 kg; clinic setting)',
      },
    ]);
    // Only what is given by the horizon counts: cut at 90 min, 0.5 + 0.375 = 0.875 mg/kg.
    expect(codes(plan(regimen, 82, 90), clinic)).toEqual([]);
  });

  it('respects custom limits: a raised, lowered or switched-off check', () => {
    const big = plan([{ at: 0, dose: 50, unit: 'mg/kg', overMin: 40 }]);
    expect(codes(big, { ...DEFAULT_DOSE_LIMITS, singleDoseMgPerKg: null })).toEqual([]);
    const strict: DoseLimits = {
      ...DEFAULT_DOSE_LIMITS,
      singleDoseMgPerKg: {
        value: 1,
        unit: 'mg/kg',
        basis: 'clinic',
        citation: 'Clinic protocol',
        label: 'clinic single-dose limit',
      },
    };
    const sedation = PRESETS.find((p) => p.id === 'procedural-sedation')!;
    const w = doseSafetyWarnings(plan([...sedation.regimen], 70), strict);
    expect(w.map((x) => x.code)).toEqual(['dose-above-limit']);
    expect(w[0].message).toContain('single-dose limit of 1 mg/kg (70 mg for 70 kg; clinic single-dose limit)');
    const fast = plan([{ at: 0, rate: 0.5, unit: 'mg/kg/min' }]);
    expect(
      codes(fast, {
        ...DEFAULT_DOSE_LIMITS,
        rateMgPerKgPerH: {
          value: 30,
          unit: 'mg/kg/h',
          basis: 'clinic',
          citation: 'Ketalar label induction infusion',
          label: 'x',
        },
      }),
    ).toEqual([]);
    const slip = plan([{ at: 0, bolus: 0.5, unit: 'mg' }]);
    expect(codes(slip, { ...DEFAULT_DOSE_LIMITS, unitSlipFraction: null })).toEqual([]);
    expect(codes(slip, { ...DEFAULT_DOSE_LIMITS, smallestDoseMgPerKg: null })).toEqual([]);
    // A stricter heuristic (a half) flags 4 mg for 82 kg (0.049 mg/kg), which the default (a tenth) does not.
    const four = plan([{ at: 0, bolus: 4, unit: 'mg' }]);
    expect(codes(four)).toEqual([]);
    expect(
      codes(four, {
        ...DEFAULT_DOSE_LIMITS,
        unitSlipFraction: { value: 0.5, unit: 'fraction', basis: 'clinic', citation: 'clinic', label: 'clinic rule' },
      }),
    ).toEqual(['dose-unit-suspect']);
  });

  it('does not check a non-IV dose against the IV limits', () => {
    const p = plan([{ at: 0, bolus: 0.5, unit: 'mg' }]);
    const nasal = { ...p, regimen: [{ ...p.regimen[0], route: 'intranasal' }] } as unknown as Plan;
    expect(codes(nasal)).toEqual([]);
    const iv = { ...p, regimen: [{ ...p.regimen[0], route: 'iv' }] } as unknown as Plan;
    expect(codes(iv)).toEqual(['dose-unit-suspect']);
  });
});

describe('DEFAULT_DOSE_LIMITS: every default is a named, cited record', () => {
  it('has a citation and a label for every default, and says which one is the project’s heuristic', () => {
    for (const [key, limit] of Object.entries(DEFAULT_DOSE_LIMITS)) {
      if (limit === null) continue;
      expect(limit.citation.length, key).toBeGreaterThan(40);
      expect(limit.label.length, key).toBeGreaterThan(10);
      expect(limit.unit, key).toBe(DOSE_LIMIT_UNITS[key as keyof DoseLimits]);
      expect(limit.basis, key).toBe(key === 'unitSlipFraction' ? 'project-heuristic' : 'cited');
    }
    expect(DEFAULT_DOSE_LIMITS.unitSlipFraction?.citation).toMatch(/heuristic, not from a source/);
  });

  it('pins each cited number to docs/research/ketamine-pd.json', () => {
    // Ketalar US label: IV induction 1–4.5 mg/kg (research §4).
    expect(DEFAULT_DOSE_LIMITS.singleDoseMgPerKg?.value).toBe(
      values('protocol-anaesthesia-induction-ketalar').IV_induction_mg_per_kg_high,
    );
    // ASRA/AAPM/ASA 2018 chronic pain (Cohen, RAPM 43:521): up to 7 mg/kg/h in refractory ICU cases.
    expect(DEFAULT_DOSE_LIMITS.rateMgPerKgPerH?.value).toBe(
      values('protocol-chronic-pain-asra2018').infusion_ICU_refractory_max_mg_per_kg_per_h,
    );
    // Same guideline, CRPS 0.35 mg/kg/h: the smallest rate stated as a rate.
    expect(DEFAULT_DOSE_LIMITS.smallestRateMgPerKgPerH?.value).toBe(
      values('protocol-chronic-pain-asra2018').CRPS_regimen_B_mg_per_kg_per_h,
    );
    // Fava 2020 lowest arm and Navarrete 2025's bolus: 0.1 mg/kg, no cited dose smaller.
    const fava = values('dose-ranging-fava2020').doses_mg_per_kg as number[];
    expect(DEFAULT_DOSE_LIMITS.smallestDoseMgPerKg?.value).toBe(Math.min(...fava));
    expect(DEFAULT_DOSE_LIMITS.smallestDoseMgPerKg?.value).toBe(values('ani-ke0-navarrete2025').bolus_mg_per_kg);
    const perKgDoses = research.flatMap((r) =>
      Object.entries(r.values)
        .filter(([k]) =>
          /^(bolus_mg_per_kg|dose_IV_mg_per_kg(_low)?|doses_mg_per_kg|dose_mg_per_kg|IV_induction_mg_per_kg_low)$/.test(k),
        )
        .flatMap(([, v]) => (Array.isArray(v) ? v : [v]) as number[]),
    );
    expect(Math.min(...perKgDoses)).toBe(DEFAULT_DOSE_LIMITS.smallestDoseMgPerKg?.value);
  });
});

describe('parseDoseLimits (stored clinic settings)', () => {
  it('reads the defaults back from JSON unchanged, and fills left-out fields with them', () => {
    const r = parseDoseLimits(JSON.parse(JSON.stringify(DEFAULT_DOSE_LIMITS)));
    expect(r).toEqual({ ok: true, limits: DEFAULT_DOSE_LIMITS });
    const partial = parseDoseLimits({
      totalDoseMgPerKg: { value: 2, unit: 'mg/kg', basis: 'clinic', citation: 'c', label: 'l' },
    });
    expect(partial.ok && partial.limits.totalDoseMgPerKg?.value).toBe(2);
    expect(partial.ok && partial.limits.singleDoseMgPerKg).toEqual(DEFAULT_DOSE_LIMITS.singleDoseMgPerKg);
  });

  it('names every bad field and its accepted values; nothing passes silently', () => {
    const r = parseDoseLimits({
      singleDoseMgPerKg: { value: -1, unit: 'mg', basis: 'guess', citation: '', label: 'x', extra: 1 },
      rateMgPerKgPerH: 7,
      unitSlipFraction: { value: 2, unit: 'fraction', basis: 'clinic', citation: 'c', label: 'l' },
      maxDose: 1,
    });
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    expect(paths).toEqual([
      'limits.maxDose: unknown dose limit; expected one of singleDoseMgPerKg, totalDoseMgPerKg, rateMgPerKgPerH, smallestDoseMgPerKg, smallestRateMgPerKgPerH, unitSlipFraction',
      'limits.singleDoseMgPerKg.extra: unknown field of a dose limit; expected one of value, unit, basis, citation, label',
      'limits.singleDoseMgPerKg.value: must be a number > 0 (mg/kg), got -1',
      'limits.singleDoseMgPerKg.unit: must be "mg/kg", got "mg"',
      'limits.singleDoseMgPerKg.basis: must be one of cited, project-heuristic, clinic, got "guess"',
      'limits.singleDoseMgPerKg.citation: required; must be a non-empty string saying where the number comes from, got ""',
      'limits.rateMgPerKgPerH: must be null (check off) or { value, unit: "mg/kg/h", basis, citation, label }, got 7',
      'limits.unitSlipFraction.value: must be a number > 0 and ≤ 1 (fraction), got 2',
    ]);
    expect(parseDoseLimits('strict')).toEqual({
      ok: false,
      problems: [{ path: 'limits', message: expect.stringContaining('must be an object') }],
    });
  });

  it('doseSafetyWarnings refuses malformed limits with an error naming the field (a programmer error)', () => {
    const bad = { ...DEFAULT_DOSE_LIMITS, rateMgPerKgPerH: { ...DEFAULT_DOSE_LIMITS.rateMgPerKgPerH!, value: Number.NaN } };
    expect(() => doseSafetyWarnings(plan([{ at: 0, rate: 1 }]), bad)).toThrow(
      /^limits\.rateMgPerKgPerH\.value: must be a number > 0/,
    );
  });
});

describe('formatAmount', () => {
  it('groups thousands from 100 up and keeps three significant digits below', () => {
    expect([4100, 369, 2460, 102.5, 30, 0.006097560975609756, 0.0091463, 1.25, 12345.6].map(formatAmount)).toEqual([
      '4,100',
      '369',
      '2,460',
      '103',
      '30',
      '0.0061',
      '0.00915',
      '1.25',
      '12,346',
    ]);
  });
});
