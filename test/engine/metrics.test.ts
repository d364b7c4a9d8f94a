// Band metrics and `lastDoseEnd` vs formulas: piecewise-linear Ce and one-compartment closed forms.
import { describe, expect, it } from 'vitest';
import { bandMetrics, computeMetrics, lastDoseEnd, type Metrics } from '../../engine/metrics.ts';
import { parsePlan, type Band } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { predict } from '../../engine/predict.ts';
import { DEFAULT_BANDS, bandsForPlan } from '../../engine/pd/bands.ts';
import { expectNear } from '../support/tolerance.ts';

/**
 * engine/metrics.ts against values computed here from formulas, never from the code under test:
 * (1) piecewise-linear Ce, where the metrics' linear interpolation is exact, so every crossing is a
 * ratio; (2) a one-compartment model with an effect site, whose Ce after a bolus or an infusion has a
 * closed form, its peak time ln(ke0/k)/(ke0 − k) and its crossings found here by bisection of that
 * closed form.
 */

const F64 = (xs: number[]) => Float64Array.from(xs);

describe('bandMetrics on piecewise-linear Ce (interpolation is exact, so crossings are ratios)', () => {
  const band: Band = { id: 'b', lowNgMl: 100, highNgMl: 300 };
  it('up through the band, above it, and back down: entry, time inside and above, last exit', () => {
    // 0 → 200 → 400 → 200 → 0 over 4 min: Ce = 100 at 0.5 and 3.5, = 300 at 1.5 and 2.5.
    const m = bandMetrics(F64([0, 1, 2, 3, 4]), F64([0, 200, 400, 200, 0]), band);
    expect(m).toEqual({
      id: 'b',
      lowNgMl: 100,
      highNgMl: 300,
      minutesInside: 2,
      minutesAbove: 1,
      firstEntryMin: 0.5,
      lastExitMin: 3.5,
    });
  });
  it('straight through the band within one grid step, up and down: the exit is where Ce passes the far bound', () => {
    // 0 → 500 → 0: Ce = 100 at 0.2 and 1.8, = 300 at 0.6 and 1.4.
    const m = bandMetrics(F64([0, 1, 2]), F64([0, 500, 0]), band);
    expect(m.firstEntryMin).toBeCloseTo(0.2, 14);
    expect(m.minutesInside).toBeCloseTo(0.4 + 0.4, 14);
    expect(m.minutesAbove).toBeCloseTo(0.8, 14);
    expect(m.lastExitMin).toBeCloseTo(1.8, 14);
  });
  it('starting inside: entry at t0; ending inside after a re-entry: no last exit', () => {
    const m = bandMetrics(F64([0, 2, 4, 6]), F64([150, 50, 150, 250]), band);
    expect(m.firstEntryMin).toBe(0);
    // Inside from 0 to 1 (150 → 100 at t = 1), below until 3, inside from 3 to 6.
    expect(m.minutesInside).toBeCloseTo(1 + 3, 14);
    expect(m.minutesAbove).toBe(0);
    expect(m.lastExitMin).toBeNull();
  });
  it('leaving upwards last: the last exit is the upward crossing of the high bound', () => {
    const m = bandMetrics(F64([0, 10, 20]), F64([0, 200, 400]), band);
    expect(m.firstEntryMin).toBe(5);
    expect(m.lastExitMin).toBe(15);
    expect(m.minutesInside).toBe(10);
    expect(m.minutesAbove).toBe(5);
  });
  it('never entering the band: nothing inside, no entry, no exit', () => {
    const m = bandMetrics(F64([0, 1, 2]), F64([0, 99.999, 50]), band);
    expect(m).toEqual({
      id: 'b',
      lowNgMl: 100,
      highNgMl: 300,
      minutesInside: 0,
      minutesAbove: 0,
      firstEntryMin: null,
      lastExitMin: null,
    });
  });
  it('an open-ended band counts everything at or above its low bound and nothing above it', () => {
    const m = bandMetrics(F64([0, 1, 2, 3, 4]), F64([0, 200, 400, 200, 0]), { id: 'open', lowNgMl: 300 });
    expect(m).toEqual({
      id: 'open',
      lowNgMl: 300,
      highNgMl: null,
      minutesInside: 1,
      minutesAbove: 0,
      firstEntryMin: 1.5,
      lastExitMin: 2.5,
    });
  });
});

describe('lastDoseEnd: the last bolus or the last time the pump stops', () => {
  const a = (t: number, bolusMg: number, rateMgPerMin: number | null) => ({ t, bolusMg, rateMgPerMin });
  it('a bolus, then an infusion that stops: the stop', () =>
    expect(lastDoseEnd([a(0, 10, null), a(5, 0, 1), a(30, 0, 0)], 60)).toBe(30));
  it('an infusion that stops, then a bolus: the bolus', () =>
    expect(lastDoseEnd([a(0, 0, 1), a(30, 0, 0), a(45, 5, null)], 60)).toBe(45));
  it('a rate change is not an end, a redundant stop is not a later end', () =>
    expect(lastDoseEnd([a(0, 0, 1), a(10, 0, 2), a(20, 0, 0), a(50, 0, 0)], 60)).toBe(20));
  it('still infusing at the horizon: null', () => expect(lastDoseEnd([a(0, 10, 1)], 60)).toBeNull());
  it('a stop after the horizon does not count: null', () => expect(lastDoseEnd([a(0, 0, 1), a(70, 0, 0)], 60)).toBeNull());
  it('no dose at all: null', () => expect(lastDoseEnd([], 60)).toBeNull());
});

// ── a one-compartment model with an effect site, in closed form ──
const V = 20; // L
const K = 0.1; // k10, 1/min
const KE0 = 0.5; // 1/min
const WT = 70; // kg
/** Ce (ng/mL) at t after a bolus of D mg at 0: (D/V)·ke0/(ke0−k)·(e^−kt − e^−ke0·t). */
const ceBolus = (D: number, t: number): number =>
  t < 0 ? 0 : 1000 * (D / V) * (KE0 / (KE0 - K)) * (Math.exp(-K * t) - Math.exp(-KE0 * t));
/** Ce (ng/mL) at t of an infusion of R mg/min from 0: R/(kV)·(1 − (ke0·e^−kt − k·e^−ke0·t)/(ke0 − k)). */
const ceInfusion = (R: number, t: number): number =>
  t < 0 ? 0 : 1000 * (R / (K * V)) * (1 - (KE0 * Math.exp(-K * t) - K * Math.exp(-KE0 * t)) / (KE0 - K));
/** The root of f in [a, b] (f(a), f(b) of opposite signs), by bisection to float resolution. */
function root(f: (t: number) => number, a: number, b: number): number {
  let fa = f(a);
  if (fa * f(b) > 0) throw new Error(`no sign change in [${a}, ${b}]`);
  for (let i = 0; i < 200 && b - a > 1e-13; i++) {
    const m = 0.5 * (a + b),
      fm = f(m);
    if (fm > 0 === fa > 0) {
      a = m;
      fa = fm;
    } else b = m;
  }
  return 0.5 * (a + b);
}

const GRID_SEC = 1;
function run(regimen: object[], horizonMin: number, thresholds?: Band[], recoveryLevel?: number | null): Metrics {
  const r = parsePlan(
    {
      patient: { weightKg: WT },
      model: { v1: V, k10: K, ke0: KE0 },
      regimen,
      horizonMin,
      resolutionSec: GRID_SEC,
      ...(thresholds && { thresholds }),
    },
    MODEL_IDS,
  );
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  const p = predict(r.plan);
  const bands = bandsForPlan(r.plan.thresholds);
  return recoveryLevel === undefined
    ? computeMetrics(p.trajectory, bands, p.actions, WT)
    : computeMetrics(p.trajectory, bands, p.actions, WT, recoveryLevel);
}
/** Crossing times located by linear interpolation on a 1-s grid: within 1e-4 min of the true ones here. */
const CROSS_TOL_MIN = 1e-4;
const expectTime = (actual: number | null, expected: number, what: string) => {
  expect(actual, what).not.toBeNull();
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(CROSS_TOL_MIN);
};

describe('computeMetrics on a one-compartment model (V 20 L, k 0.1 /min, ke0 0.5 /min, 70 kg)', () => {
  const D = 10; // mg: cp(0) = D/V = 500 ng/mL
  const bands: Band[] = [
    { id: 'dissociation', lowNgMl: 150, highNgMl: 250 },
    { id: 'high', lowNgMl: 300 },
    { id: 'anaesthesia', lowNgMl: 1200, highNgMl: 2400 },
  ];
  const f = (t: number) => ceBolus(D, t);
  const tPeak = Math.log(KE0 / K) / (KE0 - K); // dCe/dt = 0 where Ce = Cp
  const cePeak = 1000 * (D / V) * Math.pow(KE0 / K, -K / (KE0 - K));

  it('a 10-mg bolus: peak cp at 0 (500 ng/mL), peak ce at ln(ke0/k)/(ke0 − k), bands, recovery, dose', () => {
    const m = run([{ at: 0, bolus: D, unit: 'mg' }], 60, bands);
    expectNear(m.peakCpNgMl, (1000 * D) / V, 1e-12, 'peak cp');
    expect(m.peakCpMin).toBe(0);
    expectNear(m.peakCeNgMl, cePeak, 1e-5, 'peak ce');
    expect(Math.abs(m.peakCeMin - tPeak)).toBeLessThanOrEqual((0.5 * GRID_SEC) / 60 + 1e-12);
    // The dissociation band [150, 250): up through both bounds, then down through both.
    const up150 = root((t) => f(t) - 150, 0, tPeak),
      up250 = root((t) => f(t) - 250, 0, tPeak);
    const down250 = root((t) => f(t) - 250, tPeak, 60),
      down150 = root((t) => f(t) - 150, tPeak, 60);
    const [dis, high, anaes] = m.bands;
    expectTime(dis.firstEntryMin, up150, 'dissociation entry');
    expectTime(dis.lastExitMin, down150, 'dissociation last exit');
    expect(Math.abs(dis.minutesInside - (up250 - up150 + (down150 - down250)))).toBeLessThanOrEqual(2 * CROSS_TOL_MIN);
    expect(Math.abs(dis.minutesAbove - (down250 - up250))).toBeLessThanOrEqual(2 * CROSS_TOL_MIN);
    // The open band ≥ 300 ng/mL (peak 334): inside between the two crossings of 300, never "above".
    const up300 = root((t) => f(t) - 300, 0, tPeak),
      down300 = root((t) => f(t) - 300, tPeak, 60);
    expect(high.highNgMl).toBeNull();
    expect(high.minutesAbove).toBe(0);
    expectTime(high.firstEntryMin, up300, 'open band entry');
    expectTime(high.lastExitMin, down300, 'open band exit');
    expect(Math.abs(high.minutesInside - (down300 - up300))).toBeLessThanOrEqual(2 * CROSS_TOL_MIN);
    // Never reaches anaesthesia.
    expect(anaes).toEqual({
      id: 'anaesthesia',
      lowNgMl: 1200,
      highNgMl: 2400,
      minutesInside: 0,
      minutesAbove: 0,
      firstEntryMin: null,
      lastExitMin: null,
    });
    // Recovery: from the bolus (the last dose, t = 0) to Ce falling below the dissociation low bound.
    expect(m.lastDoseEndMin).toBe(0);
    expect(m.recoveryLevelNgMl).toBe(150);
    expectTime(m.recoveryMin, down150 - 0, 'recovery');
    expectNear(m.totalDoseMg, D, 1e-15, 'total mg');
    expectNear(m.totalDoseMgPerKg, D / WT, 1e-15, 'total mg/kg');
  });

  it('an infusion of 2 mg/min for 30 min: recovery from the stop, by superposition of the closed form', () => {
    const R = 2,
      T = 30;
    const g = (t: number) => ceInfusion(R, t) - ceInfusion(R, t - T);
    const m = run(
      [
        { at: 0, rate: R, unit: 'mg/min' },
        { at: T, rate: 0 },
      ],
      120,
      bands,
    );
    expect(m.lastDoseEndMin).toBe(T);
    expectTime(m.recoveryMin, root((t) => g(t) - 150, T, 120) - T, 'recovery after the stop');
    // Ce rises monotonically while infusing and peaks after the stop, where Ce = Cp.
    const cp = (t: number) => 1000 * (R / (K * V)) * ((1 - Math.exp(-K * Math.min(t, T))) * Math.exp(-K * Math.max(0, t - T)));
    const tCePeak = root((t) => g(t) - cp(t), T + 1e-9, T + 30);
    expect(Math.abs(m.peakCeMin - tCePeak)).toBeLessThanOrEqual(0.5 / 60 + 1e-9);
    expectNear(m.peakCeNgMl, g(tCePeak), 1e-6, 'peak ce');
    expectNear(m.peakCpNgMl, cp(T), 1e-9, 'peak cp at the stop');
    expect(m.peakCpMin).toBe(T);
    expectNear(m.totalDoseMg, R * T, 1e-12, 'total mg');
    expectNear(m.totalDoseMgPerKg, (R * T) / WT, 1e-12, 'mg/kg');
    expectTime(
      m.bands[0].firstEntryMin,
      root((t) => g(t) - 150, 0, T),
      'entry while infusing',
    );
  });

  it('the same dose as { dose, overMin } gives the same metrics (it is exactly a rate change and a stop)', () => {
    const asRate = run(
      [
        { at: 0, rate: 2, unit: 'mg/min' },
        { at: 30, rate: 0 },
      ],
      120,
      bands,
    );
    const asDose = run([{ at: 0, dose: 60, unit: 'mg', overMin: 30 }], 120, bands);
    expect(asDose).toEqual(asRate);
  });

  it('per-kg units: 0.5 mg/kg bolus + 0.75 mg/kg/h for 40 min at 70 kg is 35 + 35 mg = 1 mg/kg', () => {
    const m = run(
      [
        { at: 0, bolus: 0.5, unit: 'mg/kg' },
        { at: 5, rate: 0.75, unit: 'mg/kg/h' },
        { at: 45, rate: 0 },
      ],
      240,
      bands,
    );
    expectNear(m.totalDoseMg, 70, 1e-12, 'total mg');
    expectNear(m.totalDoseMgPerKg, 1, 1e-12, 'mg/kg');
    expect(m.lastDoseEndMin).toBe(45);
  });

  it('two boluses: recovery counts from the second', () => {
    const h = (t: number) => ceBolus(D, t) + ceBolus(D, t - 20);
    const m = run(
      [
        { at: 0, bolus: D, unit: 'mg' },
        { at: 20, bolus: D, unit: 'mg' },
      ],
      90,
      bands,
    );
    expect(m.lastDoseEndMin).toBe(20);
    const tp2 = root((t) => h(t + 1e-6) - h(t - 1e-6), 20.01, 30); // peak after the second bolus
    expectTime(m.recoveryMin, root((t) => h(t) - 150, tp2, 90) - 20, 'recovery after the second bolus');
  });

  it('still infusing at the horizon: no end of dosing, recovery null; the dose counts up to the horizon', () => {
    const m = run([{ at: 0, rate: 2, unit: 'mg/min' }], 60, bands);
    expect(m.lastDoseEndMin).toBeNull();
    expect(m.recoveryMin).toBeNull();
    expectNear(m.totalDoseMg, 120, 1e-12, 'total mg');
  });

  it('a dose spread beyond the horizon: still infusing, only the part inside the horizon counts', () => {
    const m = run([{ at: 0, dose: 90, unit: 'mg', overMin: 90 }], 60, bands);
    expect(m.lastDoseEndMin).toBeNull();
    expect(m.recoveryMin).toBeNull();
    expectNear(m.totalDoseMg, 60, 1e-12, 'total mg');
  });

  it('Ce still above the recovery level at the horizon: recovery null', () => {
    expect(f(10)).toBeGreaterThan(150); // 226 ng/mL at 10 min
    const m = run([{ at: 0, bolus: D, unit: 'mg' }], 10, bands);
    expect(m.lastDoseEndMin).toBe(0);
    expect(m.recoveryMin).toBeNull();
  });

  it('Ce never reaches the recovery level after the last dose: recovery 0 (already below when dosing ends)', () => {
    const m = run([{ at: 0, bolus: 1, unit: 'mg' }], 30, bands); // peak 33 ng/mL
    expect(m.peakCeNgMl).toBeLessThan(150);
    expect(m.recoveryMin).toBe(0);
  });

  it('an explicit recovery level overrides the default; without a dissociation band there is none', () => {
    const m = run([{ at: 0, bolus: D, unit: 'mg' }], 60, bands, 200);
    expect(m.recoveryLevelNgMl).toBe(200);
    expectTime(
      m.recoveryMin,
      root((t) => f(t) - 200, tPeak, 60),
      'recovery to 200',
    );
    const none = run([{ at: 0, bolus: D, unit: 'mg' }], 60, [{ id: 'analgesia', lowNgMl: 70, highNgMl: 160 }]);
    expect(none.recoveryLevelNgMl).toBeNull();
    expect(none.recoveryMin).toBeNull();
  });

  it('default bands (no thresholds in the plan): recovery to the dissociation low bound, 100 ng/mL (Zanos 2018)', () => {
    expect(DEFAULT_BANDS.find((b) => b.id === 'dissociation')?.lowNgMl).toBe(100);
    const m = run([{ at: 0, bolus: D, unit: 'mg' }], 60);
    expect(m.bands.map((b) => b.id)).toEqual(DEFAULT_BANDS.map((b) => b.id));
    expect(m.recoveryLevelNgMl).toBe(100);
    expectTime(
      m.recoveryMin,
      root((t) => f(t) - 100, tPeak, 60),
      'recovery to 100',
    );
  });

  it('an empty regimen: zero concentrations, no entries, no dose, no recovery', () => {
    const m = run([], 30, [...bands, { id: 'all', lowNgMl: 0 }]);
    expect(m.peakCpNgMl).toBe(0);
    expect(m.peakCeNgMl).toBe(0);
    expect([m.peakCpMin, m.peakCeMin]).toEqual([0, 0]);
    for (const b of m.bands.slice(0, 3))
      expect([b.minutesInside, b.minutesAbove, b.firstEntryMin, b.lastExitMin]).toEqual([0, 0, null, null]);
    // An open band from 0 holds Ce = 0 for the whole horizon.
    expect(m.bands[3].minutesInside).toBeCloseTo(30, 12);
    expect(m.bands[3].firstEntryMin).toBe(0);
    expect(m.lastDoseEndMin).toBeNull();
    expect(m.recoveryMin).toBeNull();
    expect(m.totalDoseMg).toBe(0);
    expect(m.totalDoseMgPerKg).toBe(0);
  });
});
