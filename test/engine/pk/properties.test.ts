// Property tests: mass balance, non-negativity, superposition, steady state, limits, modal = general, agreement with RK4.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regimenToActions, type DoseAction } from '../../../engine/dosing/actions.ts';
import {
  parsePlan,
  gridPointCount,
  type CustomClearanceModel,
  type CustomMicroModel,
  type DoseEvent,
} from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { predict, resolveModel } from '../../../engine/predict.ts';
import { linearFromMammillary, linearSystem, type LinearSystem } from '../../../engine/pk/linear-system.ts';
import type { Mammillary } from '../../../engine/pk/mammillary.ts';
import { modeRates } from '../../../engine/pk/modal.ts';
import { GeneralStepper, ModalStepper, type Stepper } from '../../../engine/pk/stepper.ts';
import { runGrid, simulate, type Grid } from '../../../engine/simulate.ts';
import { DOSE_UNITS, RATE_UNITS, type DoseUnit, type MgPerL, type RateUnit } from '../../../engine/units.ts';
import { gridTimes, Rk4Integrator, rk4Simulate } from '../../support/rk4.ts';
import { expectClose, expectNear, maxRelativeError } from '../../support/tolerance.ts';

/**
 * Invariants of the exact engine as property tests (DESIGN.md rule 9) over random 1-, 2- and
 * 3-compartment models, given as clearances or as micro-constants with the ranges of
 * ../shared/oracle/make_cases.py, and random regimens: boluses (also at, just before and just after
 * grid times, at rate changes, and twice at one instant), infusions in every rate unit, doses spread
 * over a duration, pauses, back-to-back rate changes, overridden same-time rate changes (the last one
 * wins), events past the horizon, and file order shuffled. Seeds are random; fast-check prints the
 * seed and the shrunk counterexample of any failure.
 */

// ---------------------------------------------------------------------------------------------------
// Random models

/** Log-uniform on [a, b]. */
const logUniform = (a: number, b: number) =>
  fc.double({ min: Math.log10(a), max: Math.log10(b), noNaN: true }).map((x) => 10 ** x);

interface ModelCase {
  /** The model as a plan gives it (clearances or micro-constants). */
  readonly ref: CustomClearanceModel | CustomMicroModel;
  /** The same model in the other form, computed here (not by the engine). */
  readonly other: CustomClearanceModel | CustomMicroModel;
  readonly n: 1 | 2 | 3;
  /** The engine's structure for `ref`. */
  readonly pk: Mammillary;
  readonly ke0: number;
  /** Total clearance CL = V1·k10, L/min. */
  readonly cl: number;
}

const rawModel = fc.record({
  n: fc.constantFrom(1, 2, 3, 3),
  fromClearances: fc.boolean(),
  v1: logUniform(5, 60),
  cl1: logUniform(0.3, 2.5),
  v2: logUniform(10, 200),
  cl2: logUniform(0.3, 4),
  v3: logUniform(20, 400),
  cl3: logUniform(0.1, 1.5),
  k10: logUniform(0.01, 0.5),
  k12: logUniform(0.01, 0.8),
  k21: logUniform(0.01, 0.3),
  k13: logUniform(0.005, 0.3),
  k31: logUniform(0.001, 0.05),
  ke0: logUniform(0.05, 1.5),
});

function modelCase(r: typeof rawModel extends fc.Arbitrary<infer T> ? T : never): ModelCase {
  const n = r.n as 1 | 2 | 3;
  let cl: CustomClearanceModel, micro: CustomMicroModel;
  if (r.fromClearances) {
    cl = { v1: r.v1, cl1: r.cl1, ke0: r.ke0, ...(n >= 2 && { v2: r.v2, cl2: r.cl2 }), ...(n >= 3 && { v3: r.v3, cl3: r.cl3 }) };
    micro = {
      v1: r.v1,
      k10: r.cl1 / r.v1,
      ke0: r.ke0,
      ...(n >= 2 && { k12: r.cl2 / r.v1, k21: r.cl2 / r.v2 }),
      ...(n >= 3 && { k13: r.cl3 / r.v1, k31: r.cl3 / r.v3 }),
    };
  } else {
    micro = {
      v1: r.v1,
      k10: r.k10,
      ke0: r.ke0,
      ...(n >= 2 && { k12: r.k12, k21: r.k21 }),
      ...(n >= 3 && { k13: r.k13, k31: r.k31 }),
    };
    cl = {
      v1: r.v1,
      cl1: r.v1 * r.k10,
      ke0: r.ke0,
      ...(n >= 2 && { v2: (r.v1 * r.k12) / r.k21, cl2: r.v1 * r.k12 }),
      ...(n >= 3 && { v3: (r.v1 * r.k13) / r.k31, cl3: r.v1 * r.k13 }),
    };
  }
  const ref = r.fromClearances ? cl : micro;
  const pk = resolveModel(ref, { weightKg: 70 }).structure;
  if (pk.kind !== 'mammillary') throw new Error('a custom model must resolve to a mammillary structure');
  return { ref, other: r.fromClearances ? micro : cl, n, pk, ke0: r.ke0, cl: r.fromClearances ? r.cl1 : r.v1 * r.k10 };
}
const modelArb = rawModel.map(modelCase);

// ---------------------------------------------------------------------------------------------------
// Random regimens, with an independent account of the drug given

const RATE_UNIT_LIST: readonly RateUnit[] = [
  'mg/kg/h',
  'mg/kg/min',
  'mg/h',
  'mg/min',
  'ug/kg/min',
  'ug/kg/h',
  'µg/kg/h',
  'mcg/kg/min',
];
const DOSE_UNIT_LIST: readonly DoseUnit[] = ['mg', 'mg/kg', 'ug', 'ug/kg', 'µg', 'mcg/kg'];

const segmentArb = fc.record({
  /** Pause before this segment, min (0: starts when the previous one ends). */
  gap: fc.oneof(fc.constant(0), logUniform(0.01, 30)),
  duration: logUniform(0.05, 90),
  /** Pump rate, mg/min (0: an explicit rate-0 pause). */
  mgPerMin: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 5, arbitrary: logUniform(0.005, 5) }),
  unit: fc.nat(RATE_UNIT_LIST.length - 1),
  asDoseOver: fc.boolean(),
  /** Precede the rate change with another one at the same instant, which it must override. */
  decoy: fc.boolean(),
});
const bolusArb = fc.record({
  where: fc.constantFrom('free', 'free', 'grid', 'grid-float', 'just-after-grid', 'just-before-grid', 'rate-change', 'zero'),
  u: fc.double({ min: 0, max: 1, noNaN: true }),
  mg: logUniform(0.1, 100),
  unit: fc.nat(DOSE_UNIT_LIST.length - 1),
  twice: fc.boolean(),
});
const regimenArb = fc.record({
  weightKg: fc.double({ min: 40, max: 140, noNaN: true }),
  horizonMin: fc.constantFrom(60, 120, 240, 480),
  resolutionSec: fc.constantFrom(1, 2.5, 5, 7, 10, 15, 30, 60),
  start: fc.oneof(fc.constant(0), logUniform(0.001, 20)),
  segments: fc.array(segmentArb, { maxLength: 8 }),
  boluses: fc.array(bolusArb, { maxLength: 5 }),
  shuffle: fc.integer(),
});
type RegimenSpec = typeof regimenArb extends fc.Arbitrary<infer T> ? T : never;

interface Regimen {
  readonly events: DoseEvent[];
  readonly weightKg: number;
  readonly grid: Grid;
  readonly horizonMin: number;
  /** Boluses as given, mg. */
  readonly boluses: { at: number; mg: number }[];
  /** The pump, as intended: rate (mg/min) on [from, to). */
  readonly pump: { from: number; to: number; mgPerMin: number }[];
  /** Latest time of any event, min. */
  readonly lastEventMin: number;
}

/** A tiny deterministic PRNG (mulberry32) for the file-order shuffle; tests take seeds, never Math.random. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rateIn = (mgPerMin: number, u: RateUnit, wt: number) =>
  mgPerMin / (RATE_UNITS[u].toMgPerMin * (RATE_UNITS[u].perKg ? wt : 1));
const doseIn = (mg: number, u: DoseUnit, wt: number) => mg / (DOSE_UNITS[u].toMg * (DOSE_UNITS[u].perKg ? wt : 1));

/**
 * Turn a spec into plan events and, separately, into the intended boluses and pump profile. The file
 * order is shuffled, except that events at one instant keep their order (a same-time rate change
 * overrides the one before it). `offsetMin` shifts the whole regimen (for superposition).
 */
function buildRegimen(s: RegimenSpec, offsetMin = 0, grid?: Grid): Regimen {
  const wt = s.weightKg;
  const g: Grid = grid ?? { resolutionSec: s.resolutionSec, count: gridPointCount(s.horizonMin, s.resolutionSec) };
  const horizonMin = ((g.count - 1) * g.resolutionSec) / 60;
  const events: DoseEvent[] = [];
  const pump: Regimen['pump'] = [];
  const boluses: Regimen['boluses'] = [];
  const edges: number[] = [];
  let t = offsetMin + s.start;
  s.segments.forEach((seg, i) => {
    const from = t + seg.gap;
    const to = from + seg.duration;
    t = to;
    const next = s.segments[i + 1];
    const stops = next === undefined || next.gap > 0; // otherwise the next segment's start sets the rate at `to`
    const unit = RATE_UNIT_LIST[seg.unit];
    pump.push({ from, to, mgPerMin: seg.mgPerMin });
    edges.push(from, to);
    if (seg.asDoseOver && seg.mgPerMin > 0 && stops) {
      const doseUnit = DOSE_UNIT_LIST[seg.unit % DOSE_UNIT_LIST.length];
      events.push({ at: from, dose: doseIn(seg.mgPerMin * seg.duration, doseUnit, wt), unit: doseUnit, overMin: seg.duration });
      return;
    }
    if (seg.decoy) events.push({ at: from, rate: rateIn(seg.mgPerMin * 3 + 0.1, unit, wt), unit });
    events.push({ at: from, rate: rateIn(seg.mgPerMin, unit, wt), unit });
    if (stops) events.push({ at: to, rate: 0, unit: RATE_UNIT_LIST[(seg.unit + 1) % RATE_UNIT_LIST.length] });
  });
  const dtMin = g.resolutionSec / 60;
  for (const b of s.boluses) {
    const k = Math.floor(b.u * (g.count - 1));
    let at: number;
    switch (b.where) {
      case 'grid':
        at = (k * g.resolutionSec) / 60;
        break; // the engine's own grid-time float
      case 'grid-float':
        at = k * dtMin;
        break; // the same instant, possibly a different float
      case 'just-after-grid':
        at = (k * g.resolutionSec) / 60 + 1e-7;
        break;
      case 'just-before-grid':
        at = Math.max(0, (k * g.resolutionSec) / 60 - 1e-7);
        break;
      case 'rate-change':
        at = edges.length > 0 ? edges[Math.floor(b.u * edges.length) % edges.length] : 0;
        break;
      case 'zero':
        at = offsetMin;
        break;
      default:
        at = offsetMin + b.u * horizonMin * 0.95;
    }
    const unit = DOSE_UNIT_LIST[b.unit];
    for (let c = 0; c < (b.twice ? 2 : 1); c++) {
      events.push({ at, bolus: doseIn(b.mg, unit, wt), unit });
      boluses.push({ at, mg: b.mg });
    }
  }
  if (boluses.length === 0 && !pump.some((p) => p.mgPerMin > 0 && p.from < horizonMin)) {
    // Something must be given for relative measures to mean anything.
    events.push({ at: offsetMin, bolus: 1, unit: 'mg' });
    boluses.push({ at: offsetMin, mg: 1 });
  }
  // Shuffle the file order; events at one float instant keep their relative order.
  const rnd = prng(s.shuffle);
  const order = events.map((e, i) => ({ e, i, key: rnd() }));
  order.sort((a, b) => a.key - b.key);
  const byAt = new Map<number, DoseEvent[]>();
  for (const e of events) {
    const list = byAt.get(e.at) ?? [];
    list.push(e);
    byAt.set(e.at, list);
  }
  const taken = new Map<number, number>();
  const shuffled = order.map(({ e }) => {
    const k = taken.get(e.at) ?? 0;
    taken.set(e.at, k + 1);
    return byAt.get(e.at)![k];
  });
  const lastEventMin = Math.max(0, ...events.map((e) => ('overMin' in e ? e.at + e.overMin : e.at)));
  return { events: shuffled, weightKg: wt, grid: g, horizonMin, boluses, pump, lastEventMin };
}

/** Two instants closer than the plan contract's float noise are one (PLAN-FORMAT.md, right-continuous). */
const atOrBefore = (at: number, t: number) => at <= t + 1e-12 * Math.max(1, Math.abs(t));

/**
 * Drug given up to and including time t (min), mg, from the intended boluses and pump profile. A rate
 * change at the same instant as t (within float noise) has not yet run at t.
 */
function doseGivenMg(r: Regimen, t: number): number {
  let mg = 0;
  for (const b of r.boluses) if (atOrBefore(b.at, t)) mg += b.mg;
  for (const p of r.pump) if (!atOrBefore(t, p.from)) mg += p.mgPerMin * Math.max(0, Math.min(t, p.to) - p.from);
  return mg;
}

const gridTimeOf = (g: Grid, j: number) => (j * g.resolutionSec) / 60;
const actionsOf = (r: Regimen): DoseAction[] => regimenToActions(r.events, r.weightKg);

// ---------------------------------------------------------------------------------------------------
// Independent bookkeeping of where the drug is

/**
 * A stepper wrapper that lets runGrid drive the engine and, at each recorded grid point, checks the
 * mass balance with `check(j)`. It knows the grid index because runGrid records points in order: one
 * cp() call per point on the point-by-point path, `count` points per advanceSampled call on the fast
 * path (checked at the end of the run).
 */
abstract class AuditedStepper implements Stepper {
  protected next = 0;
  abstract readonly inner: Stepper;
  abstract check(j: number): void;
  protected abstract integrate(h: number, rate: number): void;
  reset(): void {
    this.inner.reset();
  }
  advance(h: number, rate: number): void {
    this.integrate(h, rate);
    this.inner.advance(h, rate);
  }
  bolus(mg: number): void {
    this.inner.bolus(mg);
  }
  cp(): MgPerL {
    this.check(this.next++);
    return this.inner.cp();
  }
  ce(): MgPerL {
    return this.inner.ce();
  }
  advanceSampled(h: number, rate: number, count: number, cpOut: Float64Array, ceOut: Float64Array, offset: number): void {
    expect(offset).toBe(this.next);
    this.integrate(h * count, rate);
    this.inner.advanceSampled!(h, rate, count, cpOut, ceOut, offset);
    this.next = offset + count;
    this.check(this.next - 1);
  }
}

/**
 * Mass balance of the modal path, reconstructed from the modes alone: central = V1·Σ z_i; peripheral
 * j = Σ_i z_i·V1·k1j/(kj1 − λ_i) (each mode's eigenvector: −λ a_j = k1j a_1 − kj1 a_j); eliminated =
 * k10·V1·∫cp, with ∫z_i over each interval of constant rate r in closed form,
 * z_i* h + (z_i(0) − z_i*)(1 − e^{−λ_i h})/λ_i, z_i* = c_i r/λ_i. None of this is the engine's stepping.
 */
class ModalAudit extends AuditedStepper {
  readonly inner: ModalStepper;
  readonly m: Mammillary;
  readonly auc: Float64Array;
  readonly regimen: Regimen;
  worst = 0;
  constructor(m: Mammillary, ke0: number, regimen: Regimen) {
    super();
    this.m = m;
    this.inner = new ModalStepper(m, ke0);
    this.auc = new Float64Array(this.inner.form.n);
    this.regimen = regimen;
  }
  protected integrate(h: number, rate: number): void {
    const { lambda, coef, n } = this.inner.form;
    const z = this.inner.modes();
    for (let i = 0; i < n; i++) {
      const zs = (coef[i] * rate) / lambda[i];
      this.auc[i] += zs * h + ((z[i] - zs) * -Math.expm1(-lambda[i] * h)) / lambda[i];
    }
  }
  /** Amounts (mg): central, the peripherals present (2 then 3), and the amount eliminated. */
  amounts(): number[] {
    const { v1, k10 } = this.m;
    const { lambda, n } = this.inner.form;
    const z = this.inner.modes();
    const periph: [number, number][] = [];
    if (this.m.k12 > 0) periph.push([this.m.k12, this.m.k21]);
    if (this.m.k13 > 0) periph.push([this.m.k13, this.m.k31]);
    let central = 0,
      auc = 0;
    for (let i = 0; i < n; i++) {
      central += v1 * z[i];
      auc += this.auc[i];
    }
    const p = periph.map(([k1j, kj1]) => {
      let a = 0;
      // A mode with z_i = 0 adds nothing (and kj1 = λ_i, where c_i = 0 exactly, would give 0/0).
      for (let i = 0; i < n; i++) if (z[i] !== 0) a += (z[i] * v1 * k1j) / (kj1 - lambda[i]);
      return a;
    });
    return [central, ...p, k10 * v1 * auc];
  }
  check(j: number): void {
    const given = doseGivenMg(this.regimen, gridTimeOf(this.regimen.grid, j));
    const held = this.amounts().reduce((a, b) => a + b, 0);
    this.worst = Math.max(this.worst, given > 0 ? Math.abs(held - given) / given : Math.abs(held));
  }
}

/** The mammillary model as a general linear system whose elimination flows into an explicit sink. */
function withSink(m: Mammillary): LinearSystem {
  const names = ['central'];
  const flows: { from: number; to: number | null; k: number }[] = [];
  if (m.k12 > 0) {
    names.push('peripheral 2');
    flows.push({ from: 0, to: names.length - 1, k: m.k12 }, { from: names.length - 1, to: 0, k: m.k21 });
  }
  if (m.k13 > 0) {
    names.push('peripheral 3');
    flows.push({ from: 0, to: names.length - 1, k: m.k13 }, { from: names.length - 1, to: 0, k: m.k31 });
  }
  names.push('eliminated');
  flows.push({ from: 0, to: names.length - 1, k: m.k10 });
  return linearSystem({ names, flows, input: 0, central: 0, volume: m.v1 });
}

/** Mass balance of the general path: every amount, the sink included, adds up to the drug given. */
class SinkAudit extends AuditedStepper {
  readonly inner: GeneralStepper;
  readonly regimen: Regimen;
  readonly compartments: number;
  worst = 0;
  constructor(system: LinearSystem, ke0: number, regimen: Regimen) {
    super();
    this.inner = new GeneralStepper(system, ke0);
    this.regimen = regimen;
    this.compartments = system.names.length;
  }
  protected integrate(): void {}
  check(j: number): void {
    const given = doseGivenMg(this.regimen, gridTimeOf(this.regimen.grid, j));
    let held = 0;
    for (let i = 0; i < this.compartments; i++) held += this.inner.state[i];
    this.worst = Math.max(this.worst, given > 0 ? Math.abs(held - given) / given : Math.abs(held));
  }
}

/** A stepper without the fast path, so runGrid steps it one grid point at a time. */
class PointByPoint implements Stepper {
  readonly inner: Stepper;
  constructor(inner: Stepper) {
    this.inner = inner;
  }
  reset(): void {
    this.inner.reset();
  }
  advance(h: number, rate: number): void {
    this.inner.advance(h, rate);
  }
  bolus(mg: number): void {
    this.inner.bolus(mg);
  }
  cp(): MgPerL {
    return this.inner.cp();
  }
  ce(): MgPerL {
    return this.inner.ce();
  }
}

const buffers = (count: number) => ({ cp: new Float64Array(count), ce: new Float64Array(count) });
const maxOf = (a: ArrayLike<number>) => {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]);
  return m;
};
/** How many entries of two arrays are not the same float (Object.is). */
const bitDifferences = (a: Float64Array, b: Float64Array) => {
  let d = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (!Object.is(a[i], b[i])) d++;
  return d;
};
const minOf = (a: ArrayLike<number>) => {
  let m = Infinity;
  for (let i = 0; i < a.length; i++) m = Math.min(m, a[i]);
  return m;
};

// ---------------------------------------------------------------------------------------------------

describe('engine invariants over random models and regimens (property tests)', () => {
  it('mass balance on the modal path: drug given = central + peripherals + eliminated at every grid point, to 1e-10', () => {
    fc.assert(
      fc.property(modelArb, regimenArb, (mc, spec) => {
        const r = buildRegimen(spec);
        const audit = new ModalAudit(mc.pk, mc.ke0, r);
        runGrid(audit, actionsOf(r), r.grid, buffers(r.grid.count));
        expect(audit.worst).toBeLessThanOrEqual(1e-10);
      }),
      { numRuns: 2000 },
    );
  });

  it('mass balance on the general path with an elimination sink, and its compartments equal the modal reconstruction (1e-10, 1e-9)', () => {
    fc.assert(
      fc.property(modelArb, regimenArb, (mc, spec) => {
        const r = buildRegimen(spec);
        const actions = actionsOf(r);
        const sink = new SinkAudit(withSink(mc.pk), mc.ke0, r);
        runGrid(sink, actions, r.grid, buffers(r.grid.count));
        expect(sink.worst).toBeLessThanOrEqual(1e-10);
        const modal = new ModalAudit(mc.pk, mc.ke0, r);
        runGrid(modal, actions, r.grid, buffers(r.grid.count));
        const general = Array.from(sink.inner.state.subarray(0, sink.compartments));
        const given = doseGivenMg(r, r.horizonMin);
        expect(
          maxRelativeError(
            modal.amounts().map((a) => a / given),
            general.map((a) => a / given),
          ),
        ).toBeLessThanOrEqual(1e-9);
      }),
      { numRuns: 500 },
    );
  });

  it('cp and ce are never negative (modal and general paths)', () => {
    fc.assert(
      fc.property(modelArb, regimenArb, fc.boolean(), (mc, spec, general) => {
        const r = buildRegimen(spec);
        const out = simulate(general ? linearFromMammillary(mc.pk) : mc.pk, mc.ke0, actionsOf(r), r.grid);
        expect(minOf(out.cp)).toBeGreaterThanOrEqual(0);
        expect(minOf(out.ce)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('superposition: the plan A ∪ B predicts A + B, to 1e-12 of the maximum', () => {
    fc.assert(
      fc.property(modelArb, regimenArb, regimenArb, (mc, specA, specB) => {
        // One pump: B's infusions start once A's have stopped (boluses may fall anywhere).
        const a = buildRegimen(specA);
        const b = buildRegimen({ ...specB, weightKg: specA.weightKg }, Math.max(0, ...a.pump.map((p) => p.to)), a.grid);
        // Times of A and B closer than float noise but not equal would be grouped into one instant at the
        // earlier of them in A ∪ B, shifting the other by up to 1e-12·t (and across a grid point's
        // same-instant window): a legitimate 1e-12-relative effect of the plan contract's time
        // tolerance, not of linearity. Such pairs (only made by a bolus drawn at A's end) are skipped.
        const times = (r: Regimen) => r.events.flatMap((e) => ('overMin' in e ? [e.at, e.at + e.overMin] : [e.at]));
        const tb = times(b);
        fc.pre(!times(a).some((x) => tb.some((y) => x !== y && Math.abs(x - y) <= 1e-9 * Math.max(1, x))));
        const union = [...a.events, ...b.events];
        const run = (events: DoseEvent[]) => simulate(mc.pk, mc.ke0, regimenToActions(events, a.weightKg), a.grid);
        const ra = run(a.events),
          rb = run(b.events),
          rab = run(union);
        const sum = (x: Float64Array, y: Float64Array) => x.map((v, i) => v + y[i]);
        expectClose(sum(ra.cp, rb.cp), rab.cp, 1e-12, 'cp');
        expectClose(sum(ra.ce, rb.ce), rab.ce, 1e-12, 'ce');
      }),
      { numRuns: 1000 },
    );
  });

  it('steady state: after a long constant infusion cp = rate/CL and ce = cp, to 1e-9 (modal and general paths)', () => {
    fc.assert(
      fc.property(modelArb, regimenArb, logUniform(0.01, 5), fc.boolean(), (mc, spec, mgPerMin, general) => {
        const prefix = buildRegimen(spec);
        const start = prefix.lastEventMin + 1;
        const slowest = Math.min(...modeRates(mc.pk), mc.ke0); // only to choose a long enough horizon
        const horizon = start + 45 / slowest;
        const events: DoseEvent[] = [...prefix.events, { at: start, rate: mgPerMin, unit: 'mg/min' }];
        const grid = { resolutionSec: (horizon * 60) / 400, count: 401 };
        const out = simulate(
          general ? linearFromMammillary(mc.pk) : mc.pk,
          mc.ke0,
          regimenToActions(events, prefix.weightKg),
          grid,
        );
        const cpEnd = out.cp[400] / 1000;
        expectNear(cpEnd, mgPerMin / mc.cl, 1e-9, 'cp at steady state vs rate/CL');
        expectNear(out.ce[400] / 1000, cpEnd, 1e-9, 'ce at steady state vs cp');
      }),
      { numRuns: 1000 },
    );
  });

  it('a model given as clearances predicts exactly what the same model given as micro-constants does (1e-12)', () => {
    fc.assert(
      fc.property(modelArb, regimenArb, (mc, spec) => {
        const r = buildRegimen(spec);
        const plan = (model: CustomClearanceModel | CustomMicroModel) => {
          const p = parsePlan(
            {
              patient: { weightKg: r.weightKg },
              model,
              regimen: r.events,
              horizonMin: spec.horizonMin,
              resolutionSec: spec.resolutionSec,
            },
            MODEL_IDS,
          );
          if (!p.ok) throw new Error(p.problems.map((x) => `${x.path}: ${x.message}`).join('\n'));
          return predict(p.plan).trajectory;
        };
        const a = plan(mc.ref),
          b = plan(mc.other);
        expectClose(a.cp, b.cp, 1e-12, 'cp');
        expectClose(a.ce, b.ce, 1e-12, 'ce');
      }),
      { numRuns: 1000 },
    );
  });

  it('limits: a vanishing third (or second) compartment gives the 2- (or 1-) compartment answer', () => {
    const eps = 1e-12; // 1/min into the vanishing compartment: it takes ≤ eps·480 min ≈ 5e-10 of the drug in 8 h
    fc.assert(
      fc.property(
        modelArb.filter((mc) => mc.n < 3),
        regimenArb,
        logUniform(0.001, 0.3),
        (mc, spec, kBack) => {
          const r = buildRegimen(spec);
          const m = mc.pk;
          const bigger: Mammillary =
            mc.n === 2
              ? { ...m, k13: eps as Mammillary['k13'], k31: kBack as Mammillary['k31'] }
              : { ...m, k12: eps as Mammillary['k12'], k21: kBack as Mammillary['k21'] };
          const actions = actionsOf(r);
          const small = simulate(m, mc.ke0, actions, r.grid);
          const big = simulate(bigger, mc.ke0, actions, r.grid);
          expectClose(big.cp, small.cp, 1e-9, 'cp');
          expectClose(big.ce, small.ce, 1e-9, 'ce');
        },
      ),
      { numRuns: 800 },
    );
  });

  it('the general path (matrix exponential) equals the modal path on mammillary models, to 1e-9 of the maximum', () => {
    fc.assert(
      fc.property(modelArb, regimenArb, (mc, spec) => {
        const r = buildRegimen(spec);
        const actions = actionsOf(r);
        const modal = simulate(mc.pk, mc.ke0, actions, r.grid);
        const general = simulate(linearFromMammillary(mc.pk), mc.ke0, actions, r.grid);
        expectClose(general.cp, modal.cp, 1e-9, 'cp');
        expectClose(general.ce, modal.ce, 1e-9, 'ce');
      }),
      { numRuns: 600 },
    );
  });

  it('the exact engine agrees with an independent fine-step RK4 integration (grid-stepped and dense output), to 1e-6 of the maximum', () => {
    fc.assert(
      fc.property(modelArb, regimenArb, (mc, spec) => {
        const r = buildRegimen(spec);
        const actions = actionsOf(r);
        const exact = simulate(mc.pk, mc.ke0, actions, r.grid);
        const rk = rk4Simulate(mc.pk, mc.ke0, actions, r.grid, 0.02);
        expectClose(exact.cp, rk.cp, 1e-6, 'cp');
        expectClose(exact.ce, rk.ce, 1e-6, 'ce');
        // Its dense-output variant (the bench baseline), steps not aligned with the grid.
        const dense = new Rk4Integrator(mc.pk, mc.ke0).runDense(actions, gridTimes(r.grid.resolutionSec, r.grid.count), 0.02);
        expectClose(exact.cp, dense.cp, 1e-6, 'cp (dense output)');
        expectClose(exact.ce, dense.ce, 1e-6, 'ce (dense output)');
      }),
      { numRuns: 500 },
    );
  });

  it('runs of grid points stepped in one call (advanceSampled) equal point-by-point stepping, bit for bit', () => {
    fc.assert(
      fc.property(modelArb, regimenArb, fc.boolean(), (mc, spec, general) => {
        const r = buildRegimen(spec);
        const actions = actionsOf(r);
        const make = () => (general ? new GeneralStepper(linearFromMammillary(mc.pk), mc.ke0) : new ModalStepper(mc.pk, mc.ke0));
        const fast = buffers(r.grid.count),
          slow = buffers(r.grid.count);
        runGrid(make(), actions, r.grid, fast);
        runGrid(new PointByPoint(make()), actions, r.grid, slow);
        expect(bitDifferences(fast.cp, slow.cp), 'cp values that differ').toBe(0);
        expect(bitDifferences(fast.ce, slow.ce), 'ce values that differ').toBe(0);
        expect(maxOf(fast.cp)).toBeGreaterThan(0);
      }),
      { numRuns: 600 },
    );
  });
});
