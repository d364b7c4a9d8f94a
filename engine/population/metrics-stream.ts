// Per-patient metrics streamed one grid point at a time, bit-identical to `computeMetrics`.
import { crossing, fractionInside } from '../segment.ts';
import type { Band } from '../plan.ts';

/**
 * Per-patient metrics computed while the trajectory streams past, one grid point at a time, so that a
 * population never needs a patient's whole trajectory in memory. The results are bit for bit those of
 * engine/metrics.ts `computeMetrics` on the same trajectory (the test pins this): the same comparisons,
 * the same interpolated crossings and the same left-to-right sums of `dt × fraction`.
 *
 * Speed: the band bounds split the concentration axis into levels. While Ce stays within one level
 * across a step, every band's fraction is exactly 0 or 1, so the step only adds `dt` to the
 * accumulators of that level (x + dt·1 = x + dt and x + dt·0 = x, exactly); the full per-band
 * arithmetic runs only on the few steps that cross a bound.
 */
export interface MetricsPlan {
  /** Grid times, min. */
  readonly t: Float64Array;
  /** dt[j] = t[j] − t[j−1], min (dt[0] = 0). */
  readonly dt: Float64Array;
  /** Distinct band bounds, ascending, ng/mL. */
  readonly thresholds: Float64Array;
  readonly bands: readonly { readonly lo: number; readonly hi: number; readonly loIdx: number; readonly hiIdx: number }[];
  /** For level v: accumulator offsets (within a patient's record) that gain dt on a step within v. */
  readonly addStart: Int32Array;
  readonly addOffsets: Int32Array;
  /**
   * For level v, the bounds that hold it (Ce in [levelLo[v], levelHi[v]) ⇔ level v): thresholds[v − 1]
   * (−∞ for v = 0) and thresholds[v] (∞ for the top level). Tables rather than branches, for the
   * kernel's inlined fast path.
   */
  readonly levelLo: Float64Array;
  readonly levelHi: Float64Array;
  /** For level v: 1 when it lies above the recovery level (recoveryIdx ≥ 0 and v > recoveryIdx), else 0. */
  readonly levelAbove: Uint8Array;
  /** Index in `thresholds` of the recovery level, or −1 when there is none. */
  readonly recoveryIdx: number;
  /** End of the last dose (min) or null. */
  readonly doseEndMin: number | null;
  /** Largest grid index with t < doseEndMin (−1 if none). */
  readonly beforeEndIdx: number;
  /** Numbers per patient record. */
  readonly stride: number;
}

// Patient record layout (exported for the kernel's inlined fast path).
export const LEVEL = 0,
  PREV_CE = 1,
  PEAK_CP = 2,
  PEAK_CP_T = 3,
  PEAK_CE = 4,
  PEAK_CE_T = 5,
  LAST_ABOVE = 6,
  CROSS_T = 7;
const BAND0 = 8;
const INSIDE = 0,
  ABOVE = 1,
  FIRST_ENTRY = 2,
  LAST_EXIT = 3;

/** What each patient gets, in this order (then four per band, see `metricNames`). */
export const BASE_METRICS = ['peakCpNgMl', 'peakCpMin', 'peakCeNgMl', 'peakCeMin', 'recoveryMin'] as const;
export const BAND_METRICS = ['minutesInside', 'minutesAbove', 'firstEntryMin', 'lastExitMin'] as const;

/** Names of the per-patient metric values, in output order. */
export function metricNames(bands: readonly Band[]): string[] {
  const out: string[] = [...BASE_METRICS];
  for (const b of bands) for (const m of BAND_METRICS) out.push(`${b.id}.${m}`);
  return out;
}

/**
 * The plan for streaming metrics on grid times `t` against `bands`; recovery is measured from
 * `doseEndMin` down to `recoveryLevelNgMl` (as computeMetrics; pass its `lastDoseEnd` and recovery
 * level). A recovery level that is not one of the band bounds is added as a bound of its own.
 */
export function metricsPlan(
  t: Float64Array,
  bands: readonly Band[],
  recoveryLevelNgMl: number | null,
  doseEndMin: number | null,
): MetricsPlan {
  const values = new Set<number>();
  for (const b of bands) {
    values.add(b.lowNgMl);
    if (b.highNgMl !== undefined) values.add(b.highNgMl);
  }
  if (recoveryLevelNgMl !== null) values.add(recoveryLevelNgMl);
  const thresholds = Float64Array.from([...values].sort((a, b) => a - b));
  const idx = (v: number) => thresholds.indexOf(v);
  const bs = bands.map((b) => ({
    lo: b.lowNgMl,
    hi: b.highNgMl ?? Infinity,
    loIdx: idx(b.lowNgMl),
    hiIdx: b.highNgMl === undefined ? -1 : idx(b.highNgMl),
  }));
  const levels = thresholds.length + 1;
  const addStart = new Int32Array(levels + 1);
  const offsets: number[] = [];
  for (let v = 0; v < levels; v++) {
    addStart[v] = offsets.length;
    bs.forEach((b, k) => {
      // Level v holds concentrations with exactly v bounds ≤ Ce: Ce ≥ lo ⇔ v > loIdx, Ce < hi ⇔ v ≤ hiIdx.
      const inside = v > b.loIdx && (b.hiIdx < 0 || v <= b.hiIdx);
      if (inside) offsets.push(BAND0 + 4 * k + INSIDE);
      if (b.hiIdx >= 0 && v > b.hiIdx) offsets.push(BAND0 + 4 * k + ABOVE);
    });
  }
  addStart[levels] = offsets.length;
  const recoveryIdx = recoveryLevelNgMl === null ? -1 : idx(recoveryLevelNgMl);
  const levelLo = new Float64Array(levels),
    levelHi = new Float64Array(levels),
    levelAbove = new Uint8Array(levels);
  for (let v = 0; v < levels; v++) {
    levelLo[v] = v > 0 ? thresholds[v - 1] : -Infinity;
    levelHi[v] = v < thresholds.length ? thresholds[v] : Infinity;
    levelAbove[v] = recoveryIdx >= 0 && v > recoveryIdx ? 1 : 0;
  }
  let beforeEndIdx = -1;
  if (doseEndMin !== null) while (beforeEndIdx + 1 < t.length && t[beforeEndIdx + 1] < doseEndMin) beforeEndIdx++;
  const dt = new Float64Array(t.length);
  for (let j = 1; j < t.length; j++) dt[j] = t[j] - t[j - 1];
  return {
    t,
    dt,
    thresholds,
    bands: bs,
    addStart,
    addOffsets: Int32Array.from(offsets),
    levelLo,
    levelHi,
    levelAbove,
    recoveryIdx,
    doseEndMin,
    beforeEndIdx,
    stride: BAND0 + 4 * bs.length,
  };
}

function levelOf(th: Float64Array, ce: number, from: number): number {
  let v = from;
  while (v < th.length && ce >= th[v]) v++;
  while (v > 0 && ce < th[v - 1]) v--;
  return v;
}

/** Start a patient's record at grid point 0 with cp, ce (ng/mL). */
export function metricsStart(p: MetricsPlan, acc: Float64Array, o: number, cp: number, ce: number): void {
  const t0 = p.t[0];
  acc[o + LEVEL] = levelOf(p.thresholds, ce, 0);
  acc[o + PREV_CE] = ce;
  // computeMetrics starts its peaks at −∞ and takes the first point that is larger.
  acc[o + PEAK_CP] = cp > -Infinity ? cp : -Infinity;
  acc[o + PEAK_CP_T] = cp > -Infinity ? t0 : 0;
  acc[o + PEAK_CE] = ce > -Infinity ? ce : -Infinity;
  acc[o + PEAK_CE_T] = ce > -Infinity ? t0 : 0;
  acc[o + LAST_ABOVE] = p.recoveryIdx >= 0 && ce >= p.thresholds[p.recoveryIdx] ? 0 : -1;
  acc[o + CROSS_T] = NaN;
  for (let k = 0; k < p.bands.length; k++) {
    const b = o + BAND0 + 4 * k;
    acc[b + INSIDE] = 0;
    acc[b + ABOVE] = 0;
    acc[b + FIRST_ENTRY] = ce >= p.bands[k].lo ? t0 : NaN;
    acc[b + LAST_EXIT] = NaN;
  }
}

/** Advance a patient's record to grid point j ≥ 1 with cp, ce (ng/mL). */
export function metricsStep(p: MetricsPlan, acc: Float64Array, o: number, j: number, cp: number, ce: number): void {
  const t = p.t;
  const tj = t[j];
  if (cp > acc[o + PEAK_CP]) {
    acc[o + PEAK_CP] = cp;
    acc[o + PEAK_CP_T] = tj;
  }
  if (ce > acc[o + PEAK_CE]) {
    acc[o + PEAK_CE] = ce;
    acc[o + PEAK_CE_T] = tj;
  }
  const old = acc[o + LEVEL];
  const v = levelOf(p.thresholds, ce, old);
  const dt = p.dt[j];
  if (v === old) {
    for (let q = p.addStart[v], end = p.addStart[v + 1]; q < end; q++) acc[o + p.addOffsets[q]] += dt;
  } else {
    const a = acc[o + PREV_CE],
      b = ce,
      t0 = t[j - 1];
    for (let k = 0; k < p.bands.length; k++) {
      const { lo, hi } = p.bands[k];
      const r = o + BAND0 + 4 * k;
      acc[r + INSIDE] += dt * fractionInside(a, b, lo, hi);
      if (hi !== Infinity) acc[r + ABOVE] += dt * fractionInside(a, b, hi, Infinity);
      const wasIn = a >= lo && a < hi,
        isIn = b >= lo && b < hi;
      if (acc[r + FIRST_ENTRY] !== acc[r + FIRST_ENTRY] && b >= lo) acc[r + FIRST_ENTRY] = crossing(t0, tj, a, b, lo);
      const through = !wasIn && !isIn && ((a < lo && b >= hi) || (a >= hi && b < lo));
      if ((wasIn && !isIn) || through) acc[r + LAST_EXIT] = crossing(t0, tj, a, b, b < lo ? lo : hi);
      if (!wasIn && isIn) acc[r + LAST_EXIT] = NaN;
    }
  }
  const ri = p.recoveryIdx;
  if (ri >= 0) {
    if (v > ri) acc[o + LAST_ABOVE] = j;
    else if (old > ri) acc[o + CROSS_T] = crossing(t[j - 1], tj, acc[o + PREV_CE], ce, p.thresholds[ri]);
  }
  acc[o + LEVEL] = v;
  acc[o + PREV_CE] = ce;
}

/**
 * The finished metrics of one patient (after the last grid point) into `out[q …)`, in the order of
 * `metricNames`; null values (never entered, never left, not recovered within the horizon) are NaN.
 */
export function metricsFinish(p: MetricsPlan, acc: Float64Array, o: number, out: Float64Array, q: number): void {
  const last = p.t.length - 1;
  out[q] = last >= 0 ? acc[o + PEAK_CP] : 0;
  out[q + 1] = acc[o + PEAK_CP_T];
  out[q + 2] = last >= 0 ? acc[o + PEAK_CE] : 0;
  out[q + 3] = acc[o + PEAK_CE_T];
  let recovery = NaN;
  const ri = p.recoveryIdx,
    end = p.doseEndMin;
  if (ri >= 0 && end !== null && last >= 0 && acc[o + PREV_CE] < p.thresholds[ri]) {
    // computeMetrics scans back from the last point while t ≥ end and Ce < level: it stops at the
    // larger of the last point above the level and the last point before the end of dosing.
    const above = acc[o + LAST_ABOVE];
    const before = Math.min(last - 1, p.beforeEndIdx);
    const stop = Math.max(above, before);
    const tCross = stop >= 0 && stop === above ? acc[o + CROSS_T] : end;
    recovery = Math.max(0, tCross - end);
  }
  out[q + 4] = recovery;
  for (let k = 0; k < p.bands.length; k++) {
    const r = o + BAND0 + 4 * k;
    const w = q + BASE_METRICS.length + 4 * k;
    out[w] = acc[r + INSIDE];
    out[w + 1] = acc[r + ABOVE];
    out[w + 2] = acc[r + FIRST_ENTRY];
    out[w + 3] = acc[r + LAST_EXIT];
  }
}
