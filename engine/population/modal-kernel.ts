// Hot loop for mammillary models: deterministic modal setup (`modalSetup`) and `runModalBlock` over patient runs.
import type { Mammillary } from '../pk/mammillary.ts';
import { mgPerLToNgPerMl, type MgPerL } from '../units.ts';
import { detExp, detExpm1 } from './detmath.ts';
import type { Schedule } from './schedule.ts';
import {
  LAST_ABOVE,
  LEVEL,
  metricsStart,
  metricsStep,
  PEAK_CE,
  PEAK_CE_T,
  PEAK_CP,
  PEAK_CP_T,
  PREV_CE,
  type MetricsPlan,
} from './metrics-stream.ts';

/**
 * The population's hot loop for mammillary models: the closed-form modal solution of engine/pk/modal.ts
 * (cp = Σ z_i, z_i' = −λ_i z_i + c_i·rate, ce' = ke0·(cp − ce)), set up per patient once and stepped
 * for a block of grid points, for a run of patients at a time, into caller-owned column buffers.
 *
 * Deterministic across JavaScript engines: eigenvalues by a safeguarded Newton iteration on the
 * characteristic cubic inside brackets given by interlacing (no acos/cos), and every exponential
 * from detmath.ts. Per patient only 7 exponentials per distinct step length are needed.
 *
 * Between rate changes the state is kept as deviations from the rate's steady state (d_i = z_i − z_i*,
 * dc = ce − Σ z_i*), which then decay geometrically: one multiply-add per mode per step. The state is
 * stored in that form between blocks and converted only where the schedule changes the rate, so a
 * patient's trajectory does not depend on the block size.
 */

/** Numbers per patient in the coefficient array. */
export const MODAL_STRIDE = 14;
// Layout: λ0 λ1 λ2 | c0 c1 c2 | ke0 | e0 e1 e2 (e^{−λ dt}) | x0 x1 x2 (ke0·φ(λ, ke0, dt)) | ec (e^{−ke0 dt})
/** Numbers per patient in the state array: d0 d1 d2 dc. */
export const MODAL_STATE = 4;

/** Concentrations (mg/L) below which a decaying deviation is set to 0 (as engine/pk/modal.ts, to avoid subnormals). */
const NEGLIGIBLE = 1e-200;

/** Characteristic cubic λ³ − a2 λ² + a1 λ − a0 and its derivative. */
const cubic = (x: number, a2: number, a1: number, a0: number) => ((x - a2) * x + a1) * x - a0;
const dcubic = (x: number, a2: number, a1: number) => (3 * x - 2 * a2) * x + a1;

/**
 * The root of the cubic in [lo, hi], where it changes sign (or an end that is a root): Newton steps
 * kept inside the shrinking bracket, bisection when a step would leave it or not halve it
 * (Numerical Recipes' rtsafe). Stops when the bracket has no double strictly inside.
 */
function bracketedRoot(lo: number, hi: number, a2: number, a1: number, a0: number): number {
  let flo = cubic(lo, a2, a1, a0);
  const fhi = cubic(hi, a2, a1, a0);
  if (flo === 0 || lo === hi) return lo;
  if (fhi === 0) return hi;
  if (flo < 0 === fhi < 0) return Math.abs(flo) <= Math.abs(fhi) ? lo : hi; // rounding at a touching root
  let x = 0.5 * (lo + hi);
  let dxOld = hi - lo,
    dx = dxOld;
  for (let it = 0; it < 2000; it++) {
    const f = cubic(x, a2, a1, a0);
    if (f === 0) return x;
    if (f < 0 === flo < 0) {
      lo = x;
      flo = f;
    } else hi = x;
    const df = dcubic(x, a2, a1);
    let nx: number;
    if (((x - hi) * df - f) * ((x - lo) * df - f) > 0 || Math.abs(2 * f) > Math.abs(dxOld * df)) {
      dxOld = dx;
      nx = 0.5 * (lo + hi);
      dx = nx - x;
    } else {
      dxOld = dx;
      dx = f / df;
      nx = x - dx;
    }
    if (nx === x || nx <= lo || nx >= hi) {
      const mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) return x; // no double strictly inside the bracket: converged
      nx = mid;
    }
    x = nx;
  }
  throw new Error(`modal roots: no convergence in [${lo}, ${hi}]`);
}

/** Mode rates λ (1/min, descending) of a mammillary model, padded to 3 with NaN; returns the count. */
export function modeRatesDet(m: Mammillary, out: Float64Array): number {
  const { k10, k12, k13 } = m;
  const has2 = k12 > 0,
    has3 = k13 > 0;
  if (!has2 && !has3) {
    out[0] = k10;
    out[1] = NaN;
    out[2] = NaN;
    return 1;
  }
  if (has2 !== has3) {
    const kin = has2 ? k12 : k13,
      kout = has2 ? m.k21 : m.k31;
    const b = k10 + kin + kout,
      c = k10 * kout;
    const large = (b + Math.sqrt(Math.max(0, b * b - 4 * c))) / 2;
    out[0] = large;
    out[1] = c / large;
    out[2] = NaN;
    return 2;
  }
  const k21 = m.k21,
    k31 = m.k31;
  const a2 = k10 + k12 + k13 + k21 + k31;
  const a1 = k10 * k31 + k21 * k31 + k21 * k13 + k10 * k21 + k31 * k12;
  const a0 = k10 * k21 * k31;
  // Interlacing (the compartment matrix is similar to a symmetric one, and deleting the central
  // row and column leaves diag(k21, k31)): λ3 ≤ min(k21, k31) ≤ λ2 ≤ max(k21, k31) ≤ λ1 < a2.
  const m1 = Math.min(k21, k31),
    m2 = Math.max(k21, k31);
  out[0] = bracketedRoot(m2, a2, a2, a1, a0);
  out[1] = bracketedRoot(m1, m2, a2, a1, a0);
  out[2] = bracketedRoot(0, m1, a2, a1, a0);
  return 3;
}

/** φ(a, b, h) = (e^{−a h} − e^{−b h})/(b − a), as engine/pk/modal.ts `phi`, on detmath. */
export function phiDet(a: number, b: number, h: number): number {
  const lo = Math.min(a, b);
  const d = Math.abs(b - a);
  const x = d * h;
  const ratio = x === 0 ? h : -detExpm1(-x) / d;
  return detExp(-lo * h) * ratio;
}

const lam = new Float64Array(3);

/**
 * Set up patient coefficients at `co[o …)` for structure `m`, effect site `ke0` (1/min) and grid step
 * `dt` (min). Absent modes are padded with λ = 1, c = 0: they stay exactly zero.
 */
export function modalSetup(m: Mammillary, ke0: number, dt: number, co: Float64Array, o: number): void {
  const n = modeRatesDet(m, lam);
  for (let i = 0; i < 3; i++) {
    if (i >= n) {
      co[o + i] = 1;
      co[o + 3 + i] = 0;
      continue;
    }
    // Π over the peripheral compartments (k21 first, then k31) of (k_j1 − λ_i).
    let num = 1;
    if (m.k12 > 0) num *= m.k21 - lam[i];
    if (m.k13 > 0) num *= m.k31 - lam[i];
    let den = 1;
    for (let j = 0; j < n; j++) if (j !== i) den *= lam[j] - lam[i];
    co[o + i] = lam[i];
    co[o + 3 + i] = num / den / m.v1;
  }
  co[o + 6] = ke0;
  for (let i = 0; i < 3; i++) {
    co[o + 7 + i] = detExp(-co[o + i] * dt);
    co[o + 10 + i] = ke0 * phiDet(co[o + i], ke0, dt);
  }
  co[o + 13] = detExp(-ke0 * dt);
}

const z = new Float64Array(3);

/** Advance z (mg/L) and return ce (mg/L) across h min at `rate` mg/min, exactly; coefficients computed here. */
function advanceFull(co: Float64Array, o: number, ce: number, h: number, rate: number): number {
  const ke0 = co[o + 6];
  const ec = detExp(-ke0 * h);
  let ss = 0,
    cross = 0;
  for (let i = 0; i < 3; i++) {
    const l = co[o + i];
    const zs = rate === 0 ? 0 : (co[o + 3 + i] * rate) / l;
    const dev = z[i] - zs;
    ss += zs;
    cross += dev * ke0 * phiDet(l, ke0, h);
    const zi = zs + dev * detExp(-l * h);
    z[i] = Math.abs(zi) < NEGLIGIBLE ? 0 : zi;
  }
  const c = ss + (ce - ss) * ec + cross;
  return Math.abs(c) < NEGLIGIBLE ? 0 : c;
}

/**
 * Where the kernel counts each value it produces into its column's histogram: the first pass of the
 * percentile selection (select.ts `fromHistogram`), done while the value is still in a register.
 * Value x of grid point j goes to bin b = clamp(⌊x·inv[j]⌋, 0, nb − 1), counted at
 * `hist[b·cols + (j − j0)]`: bin-major, so a patient whose value stays in one bin for a few steps
 * touches one cache line, not one per step.
 */
export interface BinSink {
  readonly nb: number;
  /** Row length: grid points per block. */
  readonly cols: number;
  /** Scale per grid point (the whole grid), for cp and ce. */
  readonly invCp: Float64Array;
  readonly invCe: Float64Array;
  /** nb × cols counts for cp and ce (zeroed by the caller). */
  readonly histCp: Int32Array;
  readonly histCe: Int32Array;
}

/** The patient being stepped: its deviations d0 d1 d2 dc (mg/L), passed between the pieces below. */
const dev = new Float64Array(MODAL_STATE);

/**
 * Step patients [0, size) from grid point j0 to j1 − 1 (recording each), writing cp and ce (ng/mL)
 * column-major into `cpOut[(j − j0)·stride + offset + i]`, `ceOut[…]`, counting them into `bins`, and
 * updating their streamed metrics when `mp` is given. `st` holds the state after grid point j0 − 1
 * (ignored when j0 = 0).
 *
 * Speed: a CLI run is over in a fraction of a second, so how soon V8 has optimised code matters as
 * much as the code. A run of plain steps is stepped and binned (`stepRun`), then its values are read
 * back into the patient's metrics (`metricsRun`); a special grid point has its own function
 * (`specialPoint`). Each is small, so V8 optimises it sooner (it waits 3 + bytecode length / 150
 * profiler ticks: `node --v8-options`, Node 20) and compiles it faster. The former single function
 * (3,396 bytes of bytecode) was compiled 8 times and deoptimised 3 times in one `ketasim population
 * --n 1000` run (`--trace-opt --trace-deopt`) as paths it had not seen were reached, running
 * unoptimised meanwhile. Each patient's arithmetic is the same, operation for operation, and
 * histogram counts are integers, so the bits are the same.
 */
export function runModalBlock(
  co: Float64Array,
  st: Float64Array,
  size: number,
  s: Schedule,
  j0: number,
  j1: number,
  cpOut: Float64Array,
  ceOut: Float64Array,
  stride: number,
  offset: number,
  bins: BinSink,
  mp: MetricsPlan | null,
  acc: Float64Array | null,
): void {
  // Streamed metrics only with both a plan and its accumulators (`acc` non-null stands for both below).
  if ((mp === null) !== (acc === null)) throw new Error('runModalBlock: mp and acc are given together or not at all');
  const special = s.special,
    runEnd = s.runEnd;
  const mStride = mp ? mp.stride : 0;
  for (let i = 0; i < size; i++) {
    const o = i * MODAL_STRIDE;
    const so = i * MODAL_STATE;
    dev[0] = st[so];
    dev[1] = st[so + 1];
    dev[2] = st[so + 2];
    dev[3] = st[so + 3];
    const ao = i * mStride;
    let j = j0;
    while (j < j1) {
      const w = (j - j0) * stride + offset + i;
      if (j === 0 || special[j] === 1) {
        specialPoint(co, o, s, j, j0, cpOut, ceOut, w, bins, mp, acc, ao);
        j++;
        continue;
      }
      const stop = Math.min(runEnd[j], j1);
      const ri = s.rateAfter[j - 1];
      const r = s.rates[ri];
      const s0 = r === 0 ? 0 : (co[o + 3] * r) / co[o],
        s1 = r === 0 ? 0 : (co[o + 4] * r) / co[o + 1],
        s2 = r === 0 ? 0 : (co[o + 5] * r) / co[o + 2];
      stepRun(co, o, s0 + s1 + s2, j, stop, j0, cpOut, ceOut, w, stride, bins);
      if (acc !== null) metricsRun(mp!, acc, ao, j, stop, cpOut, ceOut, w, stride);
      reexpress(co, o, s, stop, ri, s0, s1, s2);
      j = stop;
    }
    st[so] = dev[0];
    st[so + 1] = dev[1];
    st[so + 2] = dev[2];
    st[so + 3] = dev[3];
  }
}

/**
 * Grid point j = 0 or a special one, for the patient at `co[o …)` with deviations `dev`: back to the
 * plain state (zero at the start), the point's operations (sub-steps, boluses), then deviations from
 * the new rate; cp and ce recorded at `w`.
 */
function specialPoint(
  co: Float64Array,
  o: number,
  s: Schedule,
  j: number,
  j0: number,
  cpOut: Float64Array,
  ceOut: Float64Array,
  w: number,
  bins: BinSink,
  mp: MetricsPlan | null,
  acc: Float64Array | null,
  ao: number,
): void {
  const rates = s.rates,
    rateAfter = s.rateAfter,
    opStart = s.opStart,
    opKind = s.opKind,
    opValue = s.opValue,
    opRate = s.opRate;
  const l0 = co[o],
    l1 = co[o + 1],
    l2 = co[o + 2];
  const c0 = co[o + 3],
    c1 = co[o + 4],
    c2 = co[o + 5];
  let ce: number;
  if (j === 0) {
    z[0] = 0;
    z[1] = 0;
    z[2] = 0;
    ce = 0;
  } else {
    const r = rates[rateAfter[j - 1]];
    const s0 = r === 0 ? 0 : (c0 * r) / l0,
      s1 = r === 0 ? 0 : (c1 * r) / l1,
      s2 = r === 0 ? 0 : (c2 * r) / l2;
    z[0] = s0 + dev[0];
    z[1] = s1 + dev[1];
    z[2] = s2 + dev[2];
    ce = s0 + s1 + s2 + dev[3];
  }
  for (let q = opStart[j], qe = opStart[j + 1]; q < qe; q++) {
    if (opKind[q] === 0) ce = advanceFull(co, o, ce, opValue[q], rates[opRate[q]]);
    else {
      const mg = opValue[q];
      z[0] += c0 * mg;
      z[1] += c1 * mg;
      z[2] += c2 * mg;
    }
  }
  const r = rates[rateAfter[j]];
  const s0 = r === 0 ? 0 : (c0 * r) / l0,
    s1 = r === 0 ? 0 : (c1 * r) / l1,
    s2 = r === 0 ? 0 : (c2 * r) / l2;
  const ss = s0 + s1 + s2;
  dev[0] = z[0] - s0;
  dev[1] = z[1] - s1;
  dev[2] = z[2] - s2;
  dev[3] = ce - ss;
  // Recorded from the plain state (exactly 0 before any drug, unlike ss + Σd).
  const cp = mgPerLToNgPerMl((z[0] + z[1] + z[2]) as MgPerL),
    cen = mgPerLToNgPerMl(ce as MgPerL);
  cpOut[w] = cp;
  ceOut[w] = cen;
  const top = bins.nb - 1,
    col = bins.cols;
  bins.histCp[(Math.max(0, Math.min(cp * bins.invCp[j], top)) | 0) * col + j - j0]++;
  bins.histCe[(Math.max(0, Math.min(cen * bins.invCe[j], top)) | 0) * col + j - j0]++;
  if (acc !== null) {
    if (j === 0) metricsStart(mp!, acc, ao, cp, cen);
    else metricsStep(mp!, acc, ao, j, cp, cen);
  }
}

/**
 * After a run of plain steps that ends at a rate change at grid time t_{stop−1}: re-express the
 * deviations `dev` (around the run's rate, whose steady states are s0 s1 s2) around the new rate.
 */
function reexpress(co: Float64Array, o: number, s: Schedule, stop: number, ri: number, s0: number, s1: number, s2: number): void {
  const rn = s.rateAfter[stop - 1];
  if (rn === ri) return;
  const r2 = s.rates[rn];
  const z0 = s0 + dev[0],
    z1 = s1 + dev[1],
    z2 = s2 + dev[2],
    ce = s0 + s1 + s2 + dev[3];
  const n0 = r2 === 0 ? 0 : (co[o + 3] * r2) / co[o],
    n1 = r2 === 0 ? 0 : (co[o + 4] * r2) / co[o + 1],
    n2 = r2 === 0 ? 0 : (co[o + 5] * r2) / co[o + 2];
  dev[0] = z0 - n0;
  dev[1] = z1 - n1;
  dev[2] = z2 - n2;
  dev[3] = ce - (n0 + n1 + n2);
}

/**
 * Plain steps j … stop − 1 at one rate: between rate changes the deviations `dev` decay geometrically
 * (one multiply-add per mode per step) around the rate's steady state `ss` (mg/L); cp and ce (ng/mL)
 * written from `w` on, `stride` apart, and counted into their columns' histograms. The hot loop, kept
 * to this alone so that V8 optimises it within a few milliseconds of a run's start.
 */
function stepRun(
  co: Float64Array,
  o: number,
  ss: number,
  j: number,
  stop: number,
  j0: number,
  cpOut: Float64Array,
  ceOut: Float64Array,
  w: number,
  stride: number,
  bins: BinSink,
): void {
  const e0 = co[o + 7],
    e1 = co[o + 8],
    e2 = co[o + 9];
  const x0 = co[o + 10],
    x1 = co[o + 11],
    x2 = co[o + 12];
  const ec = co[o + 13];
  const top = bins.nb - 1,
    cols = bins.cols,
    invCp = bins.invCp,
    invCe = bins.invCe,
    histCp = bins.histCp,
    histCe = bins.histCe;
  let d0 = dev[0],
    d1 = dev[1],
    d2 = dev[2],
    dc = dev[3];
  for (; j < stop; j++, w += stride) {
    dc = dc * ec + d0 * x0 + d1 * x1 + d2 * x2;
    d0 *= e0;
    d1 *= e1;
    d2 *= e2;
    if (Math.abs(d0) < NEGLIGIBLE) d0 = 0;
    if (Math.abs(d1) < NEGLIGIBLE) d1 = 0;
    if (Math.abs(d2) < NEGLIGIBLE) d2 = 0;
    if (Math.abs(dc) < NEGLIGIBLE) dc = 0;
    const cp = mgPerLToNgPerMl((ss + d0 + d1 + d2) as MgPerL),
      cen = mgPerLToNgPerMl((ss + dc) as MgPerL);
    cpOut[w] = cp;
    ceOut[w] = cen;
    histCp[(Math.max(0, Math.min(cp * invCp[j], top)) | 0) * cols + j - j0]++;
    histCe[(Math.max(0, Math.min(cen * invCe[j], top)) | 0) * cols + j - j0]++;
  }
  dev[0] = d0;
  dev[1] = d1;
  dev[2] = d2;
  dev[3] = dc;
}

/**
 * The patient's streamed metrics over grid points j … stop − 1, from the values written at `w`,
 * `stride` apart: while Ce stays between the same two band bounds, a step only adds dt to that
 * level's accumulators (metrics-stream.ts); a crossing takes the full path (`metricsStep`). The
 * accumulators live in locals over the run and go back to `acc` around a crossing and after.
 */
function metricsRun(
  mp: MetricsPlan,
  acc: Float64Array,
  ao: number,
  j: number,
  stop: number,
  cpOut: Float64Array,
  ceOut: Float64Array,
  w: number,
  stride: number,
): void {
  const adds = mp.addOffsets,
    addStart = mp.addStart,
    levelLo = mp.levelLo,
    levelHi = mp.levelHi,
    levelAbove = mp.levelAbove,
    tg = mp.t,
    dtg = mp.dt;
  let lv = acc[ao + LEVEL],
    pcp = acc[ao + PEAK_CP],
    pcpT = acc[ao + PEAK_CP_T],
    pce = acc[ao + PEAK_CE],
    pceT = acc[ao + PEAK_CE_T],
    lastAbove = acc[ao + LAST_ABOVE],
    prevCe = acc[ao + PREV_CE];
  let lo = levelLo[lv],
    hi = levelHi[lv],
    a0 = addStart[lv],
    a1 = addStart[lv + 1],
    above = levelAbove[lv];
  for (; j < stop; j++, w += stride) {
    const cp = cpOut[w],
      cen = ceOut[w];
    if (cp > pcp) {
      pcp = cp;
      pcpT = tg[j];
    }
    if (cen > pce) {
      pce = cen;
      pceT = tg[j];
    }
    if (cen >= lo && cen < hi) {
      const d = dtg[j];
      for (let q = a0; q < a1; q++) acc[ao + adds[q]] += d;
      if (above === 1) lastAbove = j;
    } else {
      acc[ao + PEAK_CP] = pcp;
      acc[ao + PEAK_CP_T] = pcpT;
      acc[ao + PEAK_CE] = pce;
      acc[ao + PEAK_CE_T] = pceT;
      acc[ao + LAST_ABOVE] = lastAbove;
      acc[ao + PREV_CE] = prevCe;
      metricsStep(mp, acc, ao, j, cp, cen);
      lv = acc[ao + LEVEL];
      lastAbove = acc[ao + LAST_ABOVE];
      lo = levelLo[lv];
      hi = levelHi[lv];
      a0 = addStart[lv];
      a1 = addStart[lv + 1];
      above = levelAbove[lv];
    }
    prevCe = cen;
  }
  acc[ao + PEAK_CP] = pcp;
  acc[ao + PEAK_CP_T] = pcpT;
  acc[ao + PEAK_CE] = pce;
  acc[ao + PEAK_CE_T] = pceT;
  acc[ao + LAST_ABOVE] = lastAbove;
  acc[ao + PREV_CE] = prevCe;
}
