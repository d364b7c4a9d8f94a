// One-pump reading of a draft regimen and the pause-inside-a-dose edits: what each row gives, and resuming gives the rest exactly.
import { describe, expect, it } from 'vitest';
import { doseRowRate, pausedDose, resumeNewRate, resumeRest, rowOutcomes } from '../../../ui/components/regimen-outcome.ts';
import type { DraftEvent } from '../../../ui/state/scenario.ts';
import { parsePlan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { predict } from '../../../engine/predict.ts';
import { totalDoseMg } from '../../../engine/dosing/actions.ts';

const W = 82;
/** 0.5 mg/kg over 40 min from 0, a pause at 10 min, a resume at 0.75 mg/kg/h at 20 min (the clinician's case). */
const paused: DraftEvent[] = [
  { uid: 'a', at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
  { uid: 'b', at: 10, rate: 0, unit: 'mg/kg/h' },
  { uid: 'c', at: 20, rate: 0.75, unit: 'mg/kg/h' },
];

const totalMg = (regimen: readonly DraftEvent[], horizonMin = 120) => {
  const r = parsePlan(
    {
      patient: { weightKg: W, ageYears: 40, sex: 'male', heightCm: 175 },
      model: { id: 'domino-1984' },
      resolutionSec: 10,
      regimen: regimen.map(({ uid: _, ...e }) => e),
      horizonMin,
    },
    MODEL_IDS,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return totalDoseMg(predict(r.plan).actions, horizonMin);
};

describe('rowOutcomes (one pump)', () => {
  it('a dose cut by a pause gives only what ran before it; the resumed rate stops at the dose end', () => {
    const o = rowOutcomes(paused, W);
    expect(o[0].givenMg).toBeCloseTo(10.25, 12); // 41 mg × 10/40
    expect(o[0].plannedMg).toBeCloseTo(41, 12);
    expect(o[0]).toMatchObject({ endMin: 10, endedBy: 1, endedByDoseEnd: false });
    expect(o[2]).toMatchObject({ startMin: 20, endMin: 40, endedBy: 0, endedByDoseEnd: true });
    // The engine agrees: 10.25 mg + 0.75 × 82 × 20/60 mg = 30.75 mg.
    expect(totalMg(paused)).toBeCloseTo(10.25 + 20.5, 9);
  });
});

describe('pause inside a dose', () => {
  it('finds the dose a pause interrupts, and nothing for a pause outside any dose', () => {
    expect(pausedDose(paused, 1)).toEqual({
      pauseIndex: 1,
      doseIndex: 0,
      pauseMin: 10,
      doseStartMin: 0,
      doseEndMin: 40,
      givenFraction: 0.25,
    });
    expect(pausedDose(paused, 2)).toBeNull();
    expect(pausedDose([paused[0], { uid: 'x', at: 50, rate: 0, unit: 'mg/kg/h' }], 1)).toBeNull();
  });

  it('"resume and give the rest": the whole dose is given, the rest over the remaining 30 min', () => {
    const p = pausedDose(paused, 1)!;
    const r = resumeRest(paused.slice(0, 2), p, 25);
    expect(r.map(({ uid: _, ...e }) => e)).toEqual([
      { at: 0, dose: 0.125, unit: 'mg/kg', overMin: 10 },
      { at: 10, rate: 0, unit: 'mg/kg/h' },
      { at: 25, dose: 0.375, unit: 'mg/kg', overMin: 30 },
    ]);
    expect(totalMg(r)).toBeCloseTo(41, 9);
    expect(rowOutcomes(r, W)[2].givenMg).toBeCloseTo(30.75, 12);
  });

  it('"resume at a new rate until …": a rate row and a stop row', () => {
    const p = pausedDose(paused, 1)!;
    const rr = doseRowRate(paused[0])!;
    expect(rr).toEqual({ rate: 0.75, unit: 'mg/kg/h' });
    const r = resumeNewRate(paused.slice(0, 2), p, 20, 1, rr.unit, 50);
    expect(r.map(({ uid: _, ...e }) => e)).toEqual([
      { at: 0, dose: 0.125, unit: 'mg/kg', overMin: 10 },
      { at: 10, rate: 0, unit: 'mg/kg/h' },
      { at: 20, rate: 1, unit: 'mg/kg/h' },
      { at: 50, rate: 0, unit: 'mg/kg/h' },
    ]);
    expect(totalMg(r)).toBeCloseTo(10.25 + 82 * 0.5, 9);
  });
});
