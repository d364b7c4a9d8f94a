// Independent fine-step RK4 integrator of the compartment ODEs with effect site (no shared engine code).
import type { DoseAction } from '../../engine/dosing/actions.ts';
import type { Mammillary } from '../../engine/pk/mammillary.ts';
import type { LinearSystem } from '../../engine/pk/linear-system.ts';

/**
 * An independent fine-step classical Runge–Kutta (RK4) integrator of the linear compartment ODEs with
 * an effect site, written from the plain ODE definition. It shares no code with the engine's modal or
 * matrix-exponential paths; it reads only the model records (the micro-constants of a mammillary
 * model, the matrix of a general linear system) and the engine's `DoseAction` list.
 *
 *   dA/dt  = K·A + e_input·r(t)            amounts A (mg), K (1/min), r piecewise constant (mg/min)
 *   dCe/dt = ke0·(A_central / V − Ce)       Ce (mg/L)
 *
 * A bolus of D mg adds D to A_input at its own time. The integrator steps from event to event and from
 * output time to output time, splitting each such interval into equal sub-steps no longer than
 * `stepMin`, so no step ever straddles a discontinuity of the input and the only error is RK4's
 * O(step⁴) truncation error. Used by the property tests as a cross-check and by bench/engine.bench.ts
 * as the baseline.
 */
export interface OdeModel {
  /** Number of compartments (the effect site is extra). */
  readonly n: number;
  /** n×n compartment matrix K, row-major, 1/min. */
  readonly k: Float64Array;
  /** Compartment receiving boluses and infusions. */
  readonly input: number;
  /** Compartment whose concentration is cp. */
  readonly central: number;
  /** Volume of the central compartment, L. */
  readonly volume: number;
}

/** The ODE of a mammillary model, from its micro-constants (peripheral compartments with k1j > 0 only). */
export function odeFromMammillary(m: Mammillary): OdeModel {
  const periph: [number, number][] = [];
  if (m.k12 > 0) periph.push([m.k12, m.k21]);
  if (m.k13 > 0) periph.push([m.k13, m.k31]);
  const n = 1 + periph.length;
  const k = new Float64Array(n * n);
  // dA1/dt = −k10·A1 + Σ_j (−k1j·A1 + kj1·Aj);  dAj/dt = k1j·A1 − kj1·Aj
  k[0] = -m.k10;
  periph.forEach(([out, back], idx) => {
    const j = idx + 1;
    k[0] -= out;
    k[0 * n + j] += back;
    k[j * n + 0] += out;
    k[j * n + j] -= back;
  });
  return { n, k, input: 0, central: 0, volume: m.v1 };
}

/** The ODE of a general linear system: its matrix as given. */
export function odeFromLinearSystem(s: LinearSystem): OdeModel {
  return { n: s.names.length, k: Float64Array.from(s.a), input: s.input, central: s.central, volume: s.volume };
}

/** Either model record → its ODE. */
export function odeOf(pk: Mammillary | LinearSystem): OdeModel {
  return pk.kind === 'mammillary' ? odeFromMammillary(pk) : odeFromLinearSystem(pk);
}

/** Two times closer than this (relative) are one instant: the plan contract's float noise of `at + overMin`. */
const SAME_INSTANT_RTOL = 1e-12;
const sameInstant = (a: number, b: number): boolean =>
  Math.abs(a - b) <= SAME_INSTANT_RTOL * Math.max(1, Math.abs(a), Math.abs(b));

/** Output of `rk4Simulate`: cp and ce (ng/mL) at the output times, the final amounts (mg), the step count. */
export interface Rk4Result {
  readonly cp: Float64Array;
  readonly ce: Float64Array;
  /** Amounts (mg) in each compartment at the last output time. */
  readonly amounts: Float64Array;
  /** RK4 steps taken. */
  readonly steps: number;
}

/**
 * A reusable RK4 integrator for one model and ke0. The state is [A_0 … A_{n−1}, Ce]; scratch arrays are
 * allocated once, so `run` allocates only its outputs (or nothing, given buffers).
 */
export class Rk4Integrator {
  readonly ode: OdeModel;
  readonly ke0: number;
  private readonly x: Float64Array;
  private readonly k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly y: Float64Array;
  private readonly x0: Float64Array;
  private readonly f1: Float64Array;
  private readonly k: Float64Array;
  private readonly n: number;
  private readonly input: number;
  private readonly central: number;
  private readonly perVolume: number;
  steps = 0;

  constructor(pk: Mammillary | LinearSystem, ke0: number) {
    this.ode = odeOf(pk);
    this.ke0 = ke0;
    this.k = this.ode.k;
    this.n = this.ode.n;
    this.input = this.ode.input;
    this.central = this.ode.central;
    this.perVolume = 1 / this.ode.volume;
    const s = this.ode.n + 1;
    this.x = new Float64Array(s);
    this.k1 = new Float64Array(s);
    this.k2 = new Float64Array(s);
    this.k3 = new Float64Array(s);
    this.k4 = new Float64Array(s);
    this.y = new Float64Array(s);
    this.x0 = new Float64Array(s);
    this.f1 = new Float64Array(s);
  }

  /** Right-hand side f(x) at constant rate r (mg/min), into `dx`. */
  private rhs(x: Float64Array, rate: number, dx: Float64Array): void {
    const k = this.k,
      n = this.n;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) acc += k[row + j] * x[j];
      dx[i] = acc;
    }
    dx[this.input] += rate;
    dx[n] = this.ke0 * (x[this.central] * this.perVolume - x[n]);
  }

  /** Integrate the state across `h` min at constant `rate`, in sub-steps of at most `maxStep` min. */
  private integrate(h: number, rate: number, maxStep: number): void {
    if (!(h > 0)) return;
    const nsub = Math.max(1, Math.ceil(h / maxStep - 1e-9));
    const dt = h / nsub,
      half = 0.5 * dt,
      sixth = dt / 6;
    const { x, k1, k2, k3, k4, y } = this;
    const s = x.length;
    for (let step = 0; step < nsub; step++) {
      this.rhs(x, rate, k1);
      for (let i = 0; i < s; i++) y[i] = x[i] + half * k1[i];
      this.rhs(y, rate, k2);
      for (let i = 0; i < s; i++) y[i] = x[i] + half * k2[i];
      this.rhs(y, rate, k3);
      for (let i = 0; i < s; i++) y[i] = x[i] + dt * k3[i];
      this.rhs(y, rate, k4);
      for (let i = 0; i < s; i++) x[i] += sixth * (k1[i] + 2 * (k2[i] + k3[i]) + k4[i]);
    }
    this.steps += nsub;
  }

  /**
   * Integrate from zero drug over the output times `times` (min, increasing, starting at ≥ 0), applying
   * `actions` (time-ordered) at their own times. An action at an output time (within float noise) is
   * applied before that output is recorded (right-continuous), as the plan contract states. Writes cp
   * and ce in ng/mL.
   */
  run(
    actions: readonly DoseAction[],
    times: ArrayLike<number>,
    maxStepMin: number,
    out?: { cp: Float64Array; ce: Float64Array },
  ): Rk4Result {
    if (!(maxStepMin > 0)) throw new Error(`maxStepMin: must be > 0, got ${maxStepMin}`);
    const count = times.length;
    const cp = out?.cp ?? new Float64Array(count);
    const ce = out?.ce ?? new Float64Array(count);
    const { x } = this;
    const { n, input, central, volume } = this.ode;
    x.fill(0);
    this.steps = 0;
    let t = 0;
    let rate = 0;
    let ai = 0;
    const apply = (a: DoseAction) => {
      x[input] += a.bolusMg;
      if (a.rateMgPerMin !== null) rate = a.rateMgPerMin;
    };
    for (let j = 0; j < count; j++) {
      const tj = times[j];
      while (ai < actions.length && actions[ai].t < tj && !sameInstant(actions[ai].t, tj)) {
        const a = actions[ai++];
        this.integrate(a.t - t, rate, maxStepMin);
        t = Math.max(t, a.t);
        apply(a);
      }
      this.integrate(tj - t, rate, maxStepMin);
      t = tj;
      while (ai < actions.length && sameInstant(actions[ai].t, tj)) apply(actions[ai++]);
      cp[j] = (x[central] / volume) * 1000;
      ce[j] = x[n] * 1000;
    }
    return { cp, ce, amounts: x.slice(0, n), steps: this.steps };
  }

  /**
   * Like `run`, but the steps do not stop at output times: each interval between actions is crossed in
   * equal steps of at most `maxStepMin`, and outputs inside a step are read from the cubic Hermite
   * interpolant through the step's end states and derivatives (RK4's usual dense output, error O(h⁴)).
   * This is RK4 at its cheapest when outputs are denser than the accuracy needs (a 1-s grid). The
   * derivative at a step's end is reused as the next step's first stage (same rate), so a step costs
   * four evaluations of the right-hand side.
   */
  runDense(
    actions: readonly DoseAction[],
    times: ArrayLike<number>,
    maxStepMin: number,
    out?: { cp: Float64Array; ce: Float64Array },
  ): Rk4Result {
    if (!(maxStepMin > 0)) throw new Error(`maxStepMin: must be > 0, got ${maxStepMin}`);
    const count = times.length;
    const cp = out?.cp ?? new Float64Array(count);
    const ce = out?.ce ?? new Float64Array(count);
    const { x, x0, k1, k2, k3, k4, y, f1 } = this;
    const n = this.n,
      s = x.length,
      central = this.central,
      perVolume = this.perVolume;
    x.fill(0);
    this.steps = 0;
    const tEnd = times[count - 1];
    let t = 0,
      rate = 0,
      ai = 0,
      j = 0;
    for (;;) {
      // Actions at t apply before outputs at t are recorded (right-continuous).
      while (ai < actions.length && (actions[ai].t <= t || sameInstant(actions[ai].t, t))) {
        x[this.input] += actions[ai].bolusMg;
        if (actions[ai].rateMgPerMin !== null) rate = actions[ai].rateMgPerMin!;
        ai++;
      }
      while (j < count && (times[j] <= t || sameInstant(times[j], t))) {
        cp[j] = x[central] * perVolume * 1000;
        ce[j] = x[n] * 1000;
        j++;
      }
      if (j >= count) break;
      const segEnd = ai < actions.length ? Math.min(actions[ai].t, tEnd) : tEnd;
      const nsub = Math.max(1, Math.ceil((segEnd - t) / maxStepMin - 1e-9));
      const dt = (segEnd - t) / nsub,
        half = 0.5 * dt,
        sixth = dt / 6;
      this.rhs(x, rate, k1);
      for (let step = 0; step < nsub; step++) {
        const t0 = t + step * dt;
        const t1 = step === nsub - 1 ? segEnd : t + (step + 1) * dt;
        x0.set(x);
        for (let i = 0; i < s; i++) y[i] = x[i] + half * k1[i];
        this.rhs(y, rate, k2);
        for (let i = 0; i < s; i++) y[i] = x[i] + half * k2[i];
        this.rhs(y, rate, k3);
        for (let i = 0; i < s; i++) y[i] = x[i] + dt * k3[i];
        this.rhs(y, rate, k4);
        for (let i = 0; i < s; i++) x[i] += sixth * (k1[i] + 2 * (k2[i] + k3[i]) + k4[i]);
        this.rhs(x, rate, f1);
        // Outputs inside (t0, t1); one at t1 itself is recorded from x after any action there.
        while (j < count && times[j] < t1 && !sameInstant(times[j], t1)) {
          const th = (times[j] - t0) / (t1 - t0);
          const th2 = th * th,
            th3 = th2 * th;
          const h00 = 2 * th3 - 3 * th2 + 1,
            h10 = (th3 - 2 * th2 + th) * dt,
            h01 = 3 * th2 - 2 * th3,
            h11 = (th3 - th2) * dt;
          cp[j] = (h00 * x0[central] + h10 * k1[central] + h01 * x[central] + h11 * f1[central]) * perVolume * 1000;
          ce[j] = (h00 * x0[n] + h10 * k1[n] + h01 * x[n] + h11 * f1[n]) * 1000;
          j++;
        }
        if (step < nsub - 1) {
          while (j < count && sameInstant(times[j], t1)) {
            cp[j] = x[central] * perVolume * 1000;
            ce[j] = x[n] * 1000;
            j++;
          }
        }
        k1.set(f1);
      }
      this.steps += nsub;
      t = segEnd;
    }
    return { cp, ce, amounts: x.slice(0, n), steps: this.steps };
  }
}

/** Output times of a uniform grid: t_j = j·resolutionSec/60 min, j = 0 … count−1. */
export function gridTimes(resolutionSec: number, count: number): Float64Array {
  const t = new Float64Array(count);
  for (let j = 0; j < count; j++) t[j] = (j * resolutionSec) / 60;
  return t;
}

/** One-shot RK4 simulation on a uniform grid (see `Rk4Integrator.run`). */
export function rk4Simulate(
  pk: Mammillary | LinearSystem,
  ke0: number,
  actions: readonly DoseAction[],
  grid: { resolutionSec: number; count: number },
  maxStepMin: number,
): Rk4Result {
  return new Rk4Integrator(pk, ke0).run(actions, gridTimes(grid.resolutionSec, grid.count), maxStepMin);
}
