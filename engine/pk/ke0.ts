// `timeToPeakCe` and `ke0ForTimeToPeak`: exact effect-site peak times after a bolus, for derived ke0 values.
import { detExp, detLog } from '../population/detmath.ts';
import { freeResponse, type LinearSystem } from './linear-system.ts';
import { stepperFor, type PkStructure } from './stepper.ts';

/**
 * Why this is exact and cheap: after an IV bolus into the central compartment, Cp falls monotonically
 * and Ce' = ke0 · (Cp − Ce), so Ce rises while Cp > Ce and peaks at the one time where Cp = Ce. The
 * stepper jumps to any time in one exact step, so both searches below find the sign change of Cp − Ce
 * with one step per evaluation instead of scanning a grid (the earlier scan + parabola was accurate to
 * ~1e-3 min and cost up to 24,000 steps per evaluation). The root finder is the Illinois variant of
 * regula falsi, which keeps a bracket like bisection but converges superlinearly: about 10–15
 * evaluations instead of ~45, which matters on the general path, where each evaluation at a new ke0 or
 * a new time is a fresh matrix exponential.
 */

/**
 * A root of `f` in [a, b] where f(a) and f(b) have opposite signs (Illinois regula falsi), to an
 * absolute width `tol` of the bracket or an exact zero.
 */
function illinois(f: (x: number) => number, a: number, b: number, fa: number, fb: number, tol: number): number {
  let side = 0;
  for (let i = 0; i < 200; i++) {
    let c = (a * fb - b * fa) / (fb - fa);
    // Fall back to the midpoint if the secant lands on or outside the bracket (round-off).
    if (!(c > Math.min(a, b) && c < Math.max(a, b))) c = 0.5 * (a + b);
    const fc = f(c);
    if (fc === 0) return c;
    if (fc * fb > 0) {
      b = c;
      fb = fc;
      if (side === -1) fa /= 2; // the same end moved twice: halve the stale one's value (Illinois)
      side = -1;
    } else {
      a = c;
      fa = fc;
      if (side === 1) fb /= 2;
      side = 1;
    }
    if (Math.abs(b - a) <= tol) break;
  }
  return (a * fb - b * fa) / (fb - fa);
}

/** Longest time searched for a peak, min. */
const PEAK_LIMIT_MIN = 120;

/** Cp − Ce (mg/L) at `t` min after a 1-mg bolus, for the structure and ke0. */
function gapAfterBolus(pk: PkStructure, ke0: number, t: number): number {
  const s = stepperFor(pk, ke0);
  s.bolus(1);
  s.advance(t, 0);
  return s.cp() - s.ce();
}

/**
 * The root of a decreasing `f` in [lo, hi] by plain bisection down to `width`, with the sign of each
 * midpoint taken from the estimate `est` (from `illinois`) unless the midpoint is within a margin of
 * it, where `f` is evaluated. Why: the result then depends only on sign decisions, which agree across
 * JavaScript engines, while the secant formula's last bits follow ulp-level differences in Math
 * functions (Node and Chromium differ there); a seed must give the same bits in both
 * (test/engine/population/cross-engine.test.ts). Costs ~10–15 evaluations near the root.
 */
function bisectNear(f: (x: number) => number, lo: number, hi: number, est: number, width: number): number {
  const margin = 1e-7 * Math.max(1, Math.abs(est));
  while (hi - lo > width) {
    const mid = 0.5 * (lo + hi);
    const positive = mid < est - margin ? true : mid > est + margin ? false : f(mid) > 0;
    if (positive) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Cp − Ce at a fixed time T after a 1-mg bolus as a function of ke0, for a general linear system, from
 * ONE matrix exponential: with x(T) = e^{A·T}·x0 (x0 the bolus), Ce' = ke0·(Cp − Ce) and Ce(0) = 0 give
 * Ce(T) = (ke0/V)·e_cᵀ·(A + ke0·I)⁻¹·(x(T) − e^{−ke0·T}·x0), one small linear solve per ke0. The solve
 * loses digits when ke0 is close to a decay rate of A (A + ke0·I nearly singular), so the root found
 * this way is checked with the full stepper and the search repeated with it if they disagree.
 */
function linearGapAtTime(sys: LinearSystem, t: number): { gap: (ke0: number) => number; cpT: number } {
  const n = sys.names.length;
  const x0 = new Float64Array(n);
  x0[sys.input] = 1;
  const xT = freeResponse(sys, x0, t);
  const cpT = xT[sys.central] / sys.volume;
  const m = new Float64Array(n * n);
  const y = new Float64Array(n);
  const gap = (ke0: number): number => {
    m.set(sys.a);
    for (let i = 0; i < n; i++) {
      m[i * n + i] += ke0;
      y[i] = xT[i] - Math.exp(-ke0 * t) * x0[i];
    }
    solveInPlace(m, y, n);
    return cpT - (ke0 * y[sys.central]) / sys.volume;
  };
  return { gap, cpT };
}

/** Solve M·y = b in place (b becomes y) by Gaussian elimination with partial pivoting; M is n×n row-major. */
function solveInPlace(m: Float64Array, b: Float64Array, n: number): void {
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]) > Math.abs(m[p * n + k])) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) [m[k * n + j], m[p * n + j]] = [m[p * n + j], m[k * n + j]];
      [b[k], b[p]] = [b[p], b[k]];
    }
    const d = m[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = m[i * n + k] / d;
      if (f === 0) continue;
      for (let j = k; j < n; j++) m[i * n + j] -= f * m[k * n + j];
      b[i] -= f * b[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let acc = b[k];
    for (let j = k + 1; j < n; j++) acc -= m[k * n + j] * b[j];
    b[k] = acc / m[k * n + k];
  }
}

/**
 * Time (min) at which the effect-site concentration peaks after an IV bolus, for a structure and ke0:
 * the root of Cp(t) = Ce(t), to ~1e-13 min. `PEAK_LIMIT_MIN` when Ce still rises then.
 */
export function timeToPeakCe(pk: PkStructure, ke0: number): number {
  if (gapAfterBolus(pk, ke0, PEAK_LIMIT_MIN) > 0) return PEAK_LIMIT_MIN;
  const gap = (t: number) => gapAfterBolus(pk, ke0, t);
  // Cp − Ce at t → 0+ is Cp(0) = 1/V1 > 0; the bracket starts just after the bolus.
  const lo = 1e-9;
  const est = illinois(gap, lo, PEAK_LIMIT_MIN, gap(lo), gap(PEAK_LIMIT_MIN), 1e-13);
  return bisectNear(gap, lo, PEAK_LIMIT_MIN, est, 1e-11);
}

/**
 * The ke0 (1/min) that gives `pk` a time to peak Ce after a bolus of `targetMin`: at that ke0,
 * Cp = Ce at `targetMin`; a larger ke0 peaks earlier (Cp < Ce at `targetMin`), a smaller one later.
 * Searched in log space over [1e-4, 1e3] /min; null when no ke0 there reaches the target.
 */
export function ke0ForTimeToPeak(pk: PkStructure, targetMin: number): number | null {
  const full = (logKe0: number) => gapAfterBolus(pk, Math.exp(logKe0), targetMin);
  if (pk.kind === 'linear') {
    const { gap, cpT } = linearGapAtTime(pk, targetMin);
    const k = searchKe0((logKe0) => gap(Math.exp(logKe0)));
    // Accept the one-exponential answer only if the full stepper agrees that Cp = Ce there.
    if (k !== null && Math.abs(full(Math.log(k))) <= 1e-9 * cpT) return k;
  }
  return searchKe0(full);
}

/** The ke0 in [1e-4, 1e3] /min where `gap(ln ke0)` changes sign from + to −, or null. */
function searchKe0(gap: (logKe0: number) => number): number | null {
  // detLog/detExp (fdlibm ports) at the ends, so the log-space grid and the answer have the same bits in
  // every JavaScript engine; Math.exp inside `gap` only decides signs.
  const lo = detLog(1e-4),
    hi = detLog(1e3);
  const gLo = gap(lo),
    gHi = gap(hi);
  if (!(gHi <= 0 && gLo >= 0)) return null;
  const est = illinois(gap, lo, hi, gLo, gHi, 1e-13);
  return detExp(bisectNear(gap, lo, hi, est, 1e-11));
}
