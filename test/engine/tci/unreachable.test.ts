// Unreachable windows return codes (max-rate, too-late, cp-cap, step, not-held) with numbers checked independently.
import { describe, expect, it } from 'vitest';
import { planTitration, type TitrationRequest, type TitrationUnreachable } from '../../../engine/tci/index.ts';
import { predict } from '../../../engine/predict.ts';
import type { Plan } from '../../../engine/plan.ts';

/**
 * A window the planner cannot hold is a value with a stable code and the reason in numbers, never a
 * programme. Proven reasons are checked against an independent prediction of the best the pump can do.
 */
const P = { patient: { weightKg: 70, ageYears: 40 }, model: { id: 'domino-1984' } } as const;

function unreachable(req: TitrationRequest): TitrationUnreachable {
  const r = planTitration(req);
  if (r.ok) throw new Error(`expected unreachable, got a proposal holding ${r.metrics.fractionInWindow}`);
  expect(r.code).toBe(r.reasons[0].code);
  expect(r.reasons.every((x) => x.message.length > 0)).toBe(true);
  expect('regimen' in r).toBe(false);
  return r;
}

/** Ce and Cp of the maximum programme (maximum rate all session, optional bolus), predicted directly. */
function maxProgramme(rateMgKgH: number, durationMin: number, bolusMgKg = 0) {
  const plan: Plan = {
    ...P,
    regimen: [
      ...(bolusMgKg > 0 ? [{ at: 0, bolus: bolusMgKg, unit: 'mg/kg' as const }] : []),
      { at: 0, rate: rateMgKgH, unit: 'mg/kg/h' },
      { at: durationMin, rate: 0, unit: 'mg/kg/h' },
    ],
    horizonMin: durationMin,
    resolutionSec: 10,
  };
  return predict(plan).trajectory;
}

describe('unreachable windows', () => {
  it('1000–1010 ng/mL at ≤ 1 mg/kg/h: unreachable-max-rate, quoting the peak Ce an independent prediction gives', () => {
    const r = unreachable({
      ...P,
      window: { lowNgMl: 1000, highNgMl: 1010 },
      reachMin: 10,
      durationMin: 40,
      pump: { maxRate: 1 },
    });
    expect(r.code).toBe('unreachable-max-rate');
    expect(r.reasons[0].proven).toBe(true);
    const peak = Math.max(...maxProgramme(1, 40).ce);
    expect(peak).toBeLessThan(1000);
    expect(Math.abs(r.reasons[0].values.peakNgMl - peak) / peak).toBeLessThan(1e-9);
    expect(r.reasons[0].message).toContain(`${Number(peak.toPrecision(4))} ng/mL`);
    expect(r.search).toBeNull();
  });

  it('also when a loading dose is allowed but cannot get there (plasma mode: the bolus peak is Cp at t = 0)', () => {
    const r = unreachable({
      ...P,
      mode: 'plasma',
      window: { lowNgMl: 5000, highNgMl: 6000 },
      reachMin: 10,
      durationMin: 40,
      pump: { maxRate: 1, maxBolusMgPerKg: 0.2 },
    });
    expect(r.code).toBe('unreachable-max-rate');
    const peak = Math.max(...maxProgramme(1, 40, 0.2).cp);
    expect(Math.abs(r.reasons[0].values.peakNgMl - peak) / peak).toBeLessThan(1e-9);
  });

  it('reach by 2 min at ≤ 0.5 mg/kg/h: too-late, with the time the maximum programme first reaches the low bound', () => {
    const r = unreachable({
      ...P,
      window: { lowNgMl: 100, highNgMl: 250 },
      reachMin: 2,
      durationMin: 40,
      pump: { maxRate: 0.5 },
    });
    expect(r.code).toBe('too-late');
    expect(r.reasons[0].proven).toBe(true);
    const ce = maxProgramme(0.5, 40).ce;
    const j = ce.findIndex((c) => c >= 100);
    const tCross = (j - 1 + (100 - ce[j - 1]) / (ce[j] - ce[j - 1])) / 6; // linear between 10-s points
    expect(Math.abs(r.reasons[0].values.earliestMin - tCross)).toBeLessThan(1e-9);
    expect(r.reasons[0].values.fractionBound).toBeCloseTo((40 - tCross) / 38, 12);
  });

  it('150–160 ng/mL by 10 min with Cp ≤ 160: too-late, since Ce ≤ 160·(1 − e^{−ke0·t}) reaches 150 only at −ln(1 − 150/160)/0.238 min', () => {
    const r = unreachable({ ...P, window: { lowNgMl: 150, highNgMl: 160 }, reachMin: 10, durationMin: 40 });
    expect(r.code).toBe('too-late');
    expect(r.reasons[0].values.earliestMin).toBeCloseTo(-Math.log(1 - 150 / 160) / 0.238, 12);
    expect(r.reasons[0].message).toContain('cap 160 ng/mL');
  });

  it('a Cp cap at or below the window: cp-cap-below-window', () => {
    const r = unreachable({ ...P, window: { lowNgMl: 100, highNgMl: 250 }, reachMin: 10, durationMin: 40, maxCpNgMl: 90 });
    expect(r.code).toBe('cp-cap-below-window');
    expect(r.reasons).toHaveLength(1);
  });

  it("a 5 ng/mL window with a 0.5 mg/kg/h step: window-too-narrow-for-step, with the step's effect over the session", () => {
    const r = unreachable({
      ...P,
      window: { lowNgMl: 150, highNgMl: 155 },
      reachMin: 20,
      durationMin: 40,
      pump: { rateStep: 0.5 },
      maxCpNgMl: 1200,
    });
    expect(r.code).toBe('window-too-narrow-for-step');
    // One step held through the session: Ce at 40 min of 0.5 mg/kg/h from 0 to 40 min.
    const ce40 = maxProgramme(0.5, 40).ce.at(-1)!;
    expect(Math.abs(r.reasons[0].values.stepSessionNgMl - ce40) / ce40).toBeLessThan(1e-9);
    // Steady state of one step: rate / CL = (0.5·70/60 mg/min) / (0.063·70 L · 0.4381 /min), in ng/mL.
    expect(r.reasons[0].values.stepSteadyStateNgMl).toBeCloseTo(((0.5 * 70) / 60 / (0.063 * 70 * 0.4381)) * 1000, 9);
    expect(r.reasons.at(-1)!.code).toBe('window-not-held');
  });

  it('a search that falls short says what its best programme achieved (window-not-held is always the last reason)', () => {
    const r = unreachable({
      ...P,
      window: { lowNgMl: 150, highNgMl: 170 },
      reachMin: 10,
      durationMin: 40,
      minFractionInWindow: 1,
      pump: { minIntervalMin: 1 },
    });
    const last = r.reasons.at(-1)!;
    expect(last.code).toBe('window-not-held');
    expect(last.proven).toBe(false);
    expect(last.values.bestFraction).toBeGreaterThan(0.9);
    expect(last.values.bestFraction).toBeLessThan(1);
    expect(r.search).not.toBeNull();
  });
});
