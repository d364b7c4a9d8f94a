// Every proposal is pump-settable (step, max, interval, bolus cap), parses, metrics = independent `predict()`.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planTitration, type TitrationProposal, type TitrationRequest } from '../../../engine/tci/index.ts';
import { isBolus, isRate, parsePlan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { predict } from '../../../engine/predict.ts';
import { RATE_UNITS, type RateUnit } from '../../../engine/units.ts';

/**
 * Whatever the window, patient, model and pump, a proposal is a programme a person can set on the
 * pump: every rate a whole multiple of the step and within the maximum, changes only at 0, N, 2N, …
 * (so at least N apart), a bolus only at 0 and within its cap, a plan parsePlan accepts — and its
 * reported figures are those of an independent prediction of that plan.
 */

/** Minutes of the linear segment (t0, a) → (t1, b) with low ≤ y < high, solved for the segment's parameter. */
function insideMinutes(t0: number, t1: number, a: number, b: number, low: number, high: number): number {
  if (a === b) return a >= low && a < high ? t1 - t0 : 0;
  // y(s) = a + (b − a)s, s ∈ [0, 1]; low ≤ y ⇔ s ≥ or ≤ (low − a)/(b − a) depending on the slope's sign.
  const sl = (low - a) / (b - a),
    sh = (high - a) / (b - a);
  const [s0, s1] = b > a ? [sl, sh] : [sh, sl];
  const lo = Math.max(0, s0),
    hi = Math.min(1, s1);
  return hi > lo ? (hi - lo) * (t1 - t0) : 0;
}

function independentFraction(t: Float64Array, y: Float64Array, low: number, high: number, from: number, to: number): number {
  let inside = 0,
    span = 0;
  for (let j = 1; j < t.length; j++) {
    if (t[j - 1] < from - 1e-9 || t[j] > to + 1e-9) continue;
    inside += insideMinutes(t[j - 1], t[j], y[j - 1], y[j], low, high);
    span += t[j] - t[j - 1];
  }
  return inside / span;
}

const units: RateUnit[] = ['mg/kg/h', 'mg/h', 'ug/kg/min'];
/** A plausible programmable step per unit (user settings to exercise the planner, not doses). */
const steps: Record<string, number[]> = { 'mg/kg/h': [0.05, 0.1, 0.25], 'mg/h': [1, 2.5, 5], 'ug/kg/min': [0.5, 1, 2.5] };

const request = fc.record({
  id: fc.constantFrom(...MODEL_IDS),
  weightKg: fc.double({ min: 15, max: 130, noNaN: true }),
  low: fc.integer({ min: 40, max: 600 }),
  width: fc.integer({ min: 15, max: 400 }),
  reachMin: fc.integer({ min: 0, max: 20 }),
  extra: fc.integer({ min: 5, max: 40 }),
  mode: fc.constantFrom<'effect' | 'plasma'>('effect', 'plasma'),
  unitIndex: fc.integer({ min: 0, max: 2 }),
  stepIndex: fc.integer({ min: 0, max: 2 }),
  levels: fc.integer({ min: 1, max: 80 }),
  offStep: fc.boolean(),
  interval: fc.constantFrom(2, 2.5, 3, 5, 7, 10),
  bolusCap: fc.constantFrom(0, 0, 0.2, 0.35, 0.5),
  bolusStep: fc.constantFrom(0.01, 0.05),
  cap: fc.option(fc.integer({ min: 50, max: 2500 }), { nil: undefined }),
  res: fc.constantFrom(5, 7, 10, 15),
  minFraction: fc.double({ min: 0.3, max: 0.95, noNaN: true }),
});

describe('constraints of every proposal (property)', () => {
  it('rates on the step grid ≤ max, changes only at k·N, bolus ≤ cap at 0, parses, and the metrics equal an independent predict()', () => {
    let proposals = 0,
      unreachable = 0;
    fc.assert(
      fc.property(request, (g) => {
        const unit = units[g.unitIndex];
        const step = steps[unit][g.stepIndex];
        const maxRate = step * g.levels + (g.offStep ? step * 0.37 : 0);
        const req: TitrationRequest = {
          patient: { weightKg: g.weightKg, ageYears: 40, sex: 'female', heightCm: 165 },
          model: { id: g.id },
          window: { lowNgMl: g.low, highNgMl: g.low + g.width },
          reachMin: g.reachMin,
          durationMin: g.reachMin + g.extra,
          mode: g.mode,
          ...(g.mode === 'effect' && g.cap !== undefined && { maxCpNgMl: g.cap }),
          pump: {
            unit,
            rateStep: step,
            maxRate,
            minIntervalMin: g.interval,
            maxBolusMgPerKg: g.bolusCap,
            bolusStepMgPerKg: g.bolusStep,
          },
          resolutionSec: g.res,
          minFractionInWindow: g.minFraction,
          horizonMin: g.reachMin + g.extra + 15,
        };
        const r = planTitration(req);
        if (!r.ok) {
          unreachable++;
          expect([
            'cp-cap-below-window',
            'unreachable-max-rate',
            'too-late',
            'window-too-narrow-for-step',
            'window-not-held',
          ]).toContain(r.code);
          return;
        }
        proposals++;
        checkProposal(r, req, step, maxRate, unit);
      }),
      { numRuns: 70, seed: 20240611 },
    );
    // The generator must exercise both outcomes, or the property above says little.
    expect(proposals).toBeGreaterThan(15);
    expect(unreachable).toBeGreaterThan(5);
  });
});

function checkProposal(r: TitrationProposal, req: TitrationRequest, step: number, maxRate: number, unit: RateUnit): void {
  const D = req.durationMin,
    N = req.pump!.minIntervalMin!;
  const rates = r.regimen.filter(isRate);
  const boluses = r.regimen.filter(isBolus);
  expect(r.regimen.length).toBe(rates.length + boluses.length);
  for (const e of rates) {
    expect(e.unit).toBe(unit);
    expect(Math.abs(e.rate / step - Math.round(e.rate / step))).toBeLessThan(1e-9);
    expect(e.rate).toBeLessThanOrEqual(maxRate * (1 + 1e-12));
  }
  // Changes at 0, N, 2N, … < D; the one exception is the stop (rate 0) at the session end.
  const changes = rates.filter((e) => !(e.at === D && e.rate === 0));
  expect(changes[0].at).toBe(0);
  for (const e of changes) {
    expect(Math.abs(e.at / N - Math.round(e.at / N))).toBeLessThan(1e-9);
    expect(e.at).toBeLessThan(D);
  }
  for (let i = 1; i < changes.length; i++) {
    expect(changes[i].at - changes[i - 1].at).toBeGreaterThanOrEqual(N - 1e-9);
    expect(changes[i].rate).not.toBe(changes[i - 1].rate);
  }
  if (changes.at(-1)!.rate > 0) expect(rates.at(-1)).toEqual({ at: D, rate: 0, unit });
  expect(boluses.length).toBeLessThanOrEqual(1);
  for (const b of boluses) {
    expect(b.at).toBe(0);
    expect(b.unit).toBe('mg/kg');
    expect(b.bolus).toBeGreaterThan(0);
    expect(b.bolus).toBeLessThanOrEqual(req.pump!.maxBolusMgPerKg! * (1 + 1e-12));
    const k = b.bolus / req.pump!.bolusStepMgPerKg!;
    expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-9);
  }
  expect(r.metrics.bolusMgPerKg).toBe(boluses[0]?.bolus ?? 0);

  // The plan the CLI prints, through the ordinary edge and engine.
  const parsed = parsePlan(
    JSON.parse(
      JSON.stringify({
        patient: req.patient,
        model: req.model,
        regimen: r.regimen,
        horizonMin: req.horizonMin,
        resolutionSec: req.resolutionSec,
      }),
    ),
    MODEL_IDS,
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const { trajectory: tr } = predict(parsed.plan);
  const { lowNgMl: lo, highNgMl: hi } = req.window!;
  const target = req.mode === 'plasma' ? tr.cp : tr.ce;
  const fraction = independentFraction(tr.t, target, lo, hi, req.reachMin, D);
  expect(Math.abs(r.metrics.fractionInWindow - fraction)).toBeLessThan(1e-9);
  expect(Math.abs(r.metrics.ce.fractionInWindow - independentFraction(tr.t, tr.ce, lo, hi, req.reachMin, D))).toBeLessThan(1e-9);
  expect(Math.abs(r.metrics.cp.fractionInWindow - independentFraction(tr.t, tr.cp, lo, hi, req.reachMin, D))).toBeLessThan(1e-9);
  expect(r.metrics.fractionInWindow).toBeGreaterThanOrEqual(req.minFractionInWindow!);
  const maxCe = Math.max(...tr.ce),
    maxCp = Math.max(...tr.cp);
  expect(Math.abs(r.metrics.maxCeNgMl - maxCe)).toBeLessThanOrEqual(1e-9 * maxCe);
  expect(Math.abs(r.metrics.maxCpNgMl - maxCp)).toBeLessThanOrEqual(1e-9 * maxCp);
  if (req.mode !== 'plasma') expect(maxCp).toBeLessThanOrEqual(req.maxCpNgMl ?? hi);
  // First time the target reaches the low bound, from the prediction.
  const j = target.findIndex((c) => c >= lo);
  const first =
    j <= 0 ? (j === 0 ? 0 : null) : tr.t[j - 1] + ((lo - target[j - 1]) / (target[j] - target[j - 1])) * (tr.t[j] - tr.t[j - 1]);
  if (first === null) expect(r.metrics.firstInWindowMin).toBeNull();
  else expect(r.metrics.firstInWindowMin!).toBeCloseTo(first, 9);
  // Total dose in the session: boluses plus Σ rate × duration, in mg.
  let mg = (boluses[0]?.bolus ?? 0) * req.patient.weightKg;
  const perMin = (x: number) => x * RATE_UNITS[unit].toMgPerMin * (RATE_UNITS[unit].perKg ? req.patient.weightKg : 1);
  for (let i = 0; i < rates.length; i++) mg += perMin(rates[i].rate) * ((rates[i + 1]?.at ?? D) - rates[i].at);
  expect(Math.abs(r.metrics.totalDoseMg - mg)).toBeLessThanOrEqual(1e-9 * Math.max(1, mg));
  expect(Array.from(r.trajectory.ce)).toEqual(Array.from(tr.ce));
}
