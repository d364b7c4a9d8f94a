// Closed-form modal (eigen) solution with effect site: `modalForm`, `phi`, `stepCoefficients`, `advanceConstantRate`; no step error.
import type { Mammillary } from './mammillary.ts';

/**
 * The modal (eigen) form of a mammillary model with an effect site.
 *
 * For input r(t) (mg/min) and boluses into the central compartment, plasma concentration is a sum of
 * independent exponential modes, cp(t) = Σ z_i(t), with z_i' = −λ_i z_i + c_i r and a bolus of D mg
 * adding c_i·D to every z_i. The λ_i are the roots of the characteristic polynomial of the
 * compartment matrix and c_i (1/L) are the partial-fraction coefficients of the unit-bolus response:
 *
 *   c_i = Π_j (k_j1 − λ_i) / Π_{m≠i} (λ_m − λ_i) / V1          (j over the peripheral compartments)
 *
 * The effect site follows ce' = ke0·(cp − ce). Both are advanced across an interval of constant rate
 * with closed-form coefficients (see `stepCoefficients`), so the solution has no step error.
 */
export interface ModalForm {
  /** Number of plasma modes (1–3). */
  readonly n: number;
  /** Mode rate constants λ_i, 1/min, in decreasing order. */
  readonly lambda: Float64Array;
  /** Unit-bolus plasma coefficients c_i, 1/L (mg/L of cp per mg given). */
  readonly coef: Float64Array;
  /** Effect-site equilibration rate constant, 1/min. */
  readonly ke0: number;
}

/** Roots of λ² − bλ + c = 0 (both real and positive for a mammillary model), larger first. */
function quadraticRoots(b: number, c: number): [number, number] {
  const disc = Math.sqrt(Math.max(0, b * b - 4 * c));
  const large = (b + disc) / 2;
  return [large, c / large]; // the small root from the product, free of cancellation
}

/**
 * Roots of λ³ − a2·λ² + a1·λ − a0 = 0 for a 3-compartment mammillary model, largest first. The roots
 * are real and positive (the compartment matrix is similar to a symmetric one); they are found with
 * the trigonometric formula and then polished with Newton steps on the cubic.
 */
function cubicRoots(a2: number, a1: number, a0: number): [number, number, number] {
  // Depressed cubic for x = λ − a2/3: x³ + p x + q = 0.
  const p = a1 - (a2 * a2) / 3;
  const q = (-2 * a2 * a2 * a2) / 27 + (a2 * a1) / 3 - a0;
  const r = Math.sqrt(Math.max(0, -p / 3));
  let roots: number[];
  if (r === 0) {
    roots = [a2 / 3, a2 / 3, a2 / 3];
  } else {
    const arg = Math.min(1, Math.max(-1, -q / 2 / (r * r * r)));
    const phi = Math.acos(arg) / 3;
    roots = [0, 1, 2].map((k) => 2 * r * Math.cos(phi - (2 * Math.PI * k) / 3) + a2 / 3);
  }
  const f = (x: number) => ((x - a2) * x + a1) * x - a0;
  const df = (x: number) => (3 * x - 2 * a2) * x + a1;
  roots = roots.map((x) => {
    for (let i = 0; i < 8; i++) {
      const d = df(x);
      if (d === 0) break;
      const nx = x - f(x) / d;
      if (!Number.isFinite(nx) || nx === x) break;
      x = nx;
    }
    return x;
  });
  roots.sort((a, b) => b - a);
  return roots as [number, number, number];
}

/** The peripheral return rates k_j1 of the compartments present. */
function peripheralReturns(m: Mammillary): number[] {
  const out: number[] = [];
  if (m.k12 > 0) out.push(m.k21);
  if (m.k13 > 0) out.push(m.k31);
  return out;
}

/**
 * Mode rate constants λ_i (1/min) of a mammillary model, largest first: the negated eigenvalues of
 * its compartment matrix.
 */
export function modeRates(m: Mammillary): number[] {
  const k10 = m.k10,
    k12 = m.k12,
    k13 = m.k13;
  const k21 = m.k12 > 0 ? m.k21 : 0;
  const k31 = m.k13 > 0 ? m.k31 : 0;
  const periph = peripheralReturns(m);
  if (periph.length === 0) return [k10];
  if (periph.length === 1) {
    const kin = k12 > 0 ? k12 : k13;
    const kout = periph[0];
    return quadraticRoots(k10 + kin + kout, k10 * kout);
  }
  const a2 = k10 + k12 + k13 + k21 + k31;
  const a1 = k10 * k31 + k21 * k31 + k21 * k13 + k10 * k21 + k31 * k12;
  const a0 = k10 * k21 * k31;
  return cubicRoots(a2, a1, a0);
}

/** The modal form of a mammillary model with effect-site rate constant `ke0` (1/min). */
export function modalForm(m: Mammillary, ke0: number): ModalForm {
  const lambda = modeRates(m);
  const periph = peripheralReturns(m);
  const n = lambda.length;
  const coef = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let num = 1;
    for (const kj1 of periph) num *= kj1 - lambda[i];
    let den = 1;
    for (let j = 0; j < n; j++) if (j !== i) den *= lambda[j] - lambda[i];
    coef[i] = num / den / m.v1;
  }
  return { n, lambda: Float64Array.from(lambda), coef, ke0 };
}

/**
 * φ(a, b, h) = ∫₀ʰ e^{−b(h−s)} e^{−a s} ds = (e^{−a h} − e^{−b h}) / (b − a), evaluated without
 * cancellation or overflow for any a, b ≥ 0 (it tends to h·e^{−a h} as b → a).
 */
export function phi(a: number, b: number, h: number): number {
  const lo = Math.min(a, b);
  const d = Math.abs(b - a);
  const x = d * h;
  const ratio = x === 0 ? h : -Math.expm1(-x) / d;
  return Math.exp(-lo * h) * ratio;
}

/**
 * Coefficients that advance the modal state across an interval of length h (min) at constant rate:
 * `decay[i] = e^{−λ_i h}`, `grow[i] = 1 − e^{−λ_i h}` (from expm1, exact also for tiny λ_i·h),
 * `decayCe = e^{−ke0 h}`, `cross[i] = ke0·φ(λ_i, ke0, h)` (what a unit of mode i at the start adds to
 * ce) and `fill[i] = (1 − e^{−ke0 h}) − cross[i] = ∫₀ʰ ke0·e^{−ke0(h−s)}(1 − e^{−λ_i s}) ds ≥ 0` (what
 * a unit of mode i's steady state, building up over the interval, adds to ce).
 * Written into caller-owned arrays so that the hot loop allocates nothing.
 */
export interface StepCoefficients {
  decay: Float64Array;
  grow: Float64Array;
  cross: Float64Array;
  fill: Float64Array;
  decayCe: number;
  h: number;
}

export function newStepCoefficients(n: number): StepCoefficients {
  return {
    decay: new Float64Array(n),
    grow: new Float64Array(n),
    cross: new Float64Array(n),
    fill: new Float64Array(n),
    decayCe: 0,
    h: NaN,
  };
}

export function stepCoefficients(form: ModalForm, h: number, out: StepCoefficients): StepCoefficients {
  if (out.h === h) return out;
  const growCe = -Math.expm1(-form.ke0 * h);
  for (let i = 0; i < form.n; i++) {
    out.decay[i] = Math.exp(-form.lambda[i] * h);
    out.grow[i] = -Math.expm1(-form.lambda[i] * h);
    out.cross[i] = form.ke0 * phi(form.lambda[i], form.ke0, h);
    // Non-negative in exact arithmetic; the subtraction can round below 0 only by an ulp of growCe.
    out.fill[i] = Math.max(0, growCe - out.cross[i]);
  }
  out.decayCe = Math.exp(-form.ke0 * h);
  out.h = h;
  return out;
}

/**
 * Advance the state (modes `z`, mg/L; effect site `ce`, mg/L) across one interval at constant
 * `rate` (mg/min), in place; returns the new ce. Exact: with z_i* = c_i·rate/λ_i the rate's steady
 * state of mode i,
 *
 *   z_i ← z_i·e^{−λ_i h} + z_i*·(1 − e^{−λ_i h})
 *   ce  ← ce·e^{−ke0 h} + Σ_i (z_i·cross_i + z_i*·fill_i)      (z_i before the step)
 *
 * Every term is a product of non-negative numbers (c_i > 0 for a mammillary model), so cp = Σ z_i and
 * ce never round below zero, and a short step after a rate change keeps full relative accuracy (the
 * form z* + (z − z*)·e^{−λh} loses it to cancellation when λh is small).
 */
export function advanceConstantRate(form: ModalForm, k: StepCoefficients, z: Float64Array, ce: number, rate: number): number {
  const n = form.n;
  let c = ce * k.decayCe;
  for (let i = 0; i < n; i++) {
    const zi = z[i];
    const zs = rate === 0 ? 0 : (form.coef[i] * rate) / form.lambda[i];
    c += zi * k.cross[i] + zs * k.fill[i];
    const next = zi * k.decay[i] + zs * k.grow[i];
    z[i] = Math.abs(next) < NEGLIGIBLE_MG_PER_L ? 0 : next;
  }
  return Math.abs(c) < NEGLIGIBLE_MG_PER_L ? 0 : c;
}

/**
 * Concentrations (mg/L; amounts in mg on the general path) below which a state variable is set to
 * exactly 0. Without it a fast mode decays into the subnormal range after some hours without drug
 * input and stays there (x·e^{−λh} rounds back to x for the smallest subnormals), and subnormal
 * arithmetic is ~100× slower on x86: a 24-hour plan at 1-s resolution took 5× longer. 1e-200 is ~190
 * orders of magnitude below any concentration of interest, so no output changes.
 */
export const NEGLIGIBLE_MG_PER_L = 1e-200;
