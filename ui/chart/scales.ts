// Pure chart helpers: `timeTicks`, `niceCeil`, `valueTicks`, `maxOf`, `toPoints`, dose-track data.
import type { DoseAction } from '../../engine/dosing/actions.ts';

/**
 * Pure helpers for the charts: axis ticks, y range, and the data recharts draws. Kept apart from the
 * components so they can be tested in node.
 */

/** Tick steps in minutes that read well on a clock. */
const TIME_STEPS_MIN = [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440, 2880];

/** Ticks for a time window (min): the smallest clock-friendly step giving at most `maxTicks` ticks. */
export function timeTicks(startMin: number, endMin: number, maxTicks = 10): number[] {
  const span = endMin - startMin;
  if (!(span > 0)) return [startMin];
  const step = TIME_STEPS_MIN.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / 1440) * 1440;
  const out: number[] = [];
  for (let k = Math.ceil(startMin / step - 1e-9); k * step <= endMin + 1e-9; k++) out.push(Number((k * step).toFixed(6)));
  return out;
}

/** Whether a window is long enough to label the time axis in hours. */
export const inHours = (startMin: number, endMin: number): boolean => endMin - startMin > 600;

/** A "nice" upper bound ≥ x: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k. */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((f) => f * p >= x * (1 - 1e-12))!;
  return Number((m * p).toPrecision(6));
}

/** Ticks from 0 to `top` (a niceCeil value) at a 1/2/2.5/5 × 10^k step, at most `maxTicks` + 1 of them, ending at `top`. */
export function valueTicks(top: number, maxTicks = 6): number[] {
  if (!(top > 0)) return [0];
  const p = 10 ** Math.floor(Math.log10(top / maxTicks));
  const step =
    [1, 2, 2.5, 5, 10, 20, 25, 50]
      .map((f) => f * p)
      .find((st) => top / st <= maxTicks && Math.abs(top / st - Math.round(top / st)) < 1e-9) ?? top / maxTicks;
  const out: number[] = [];
  for (let k = 0; k * step <= top * (1 + 1e-12); k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** Largest value of some series (ng/mL). */
export function maxOf(...arrays: readonly (ArrayLike<number> | null | undefined)[]): number {
  let m = 0;
  for (const a of arrays) if (a) for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

/** One plotted point. */
export interface Point {
  readonly t: number;
  readonly v: number;
}

/** Columnar samples → the objects recharts draws (at the UI edge only, after decimation). */
export function toPoints(t: Float64Array, v: Float64Array): Point[] {
  const out = new Array<Point>(t.length);
  for (let i = 0; i < t.length; i++) out[i] = { t: t[i], v: v[i] };
  return out;
}

/** The dose track: pump rate (mg/kg/h) as steps, and boluses (mg and mg/kg). */
export interface DoseTrack {
  /** Rate from each time on (step-after), ending at the window's end. */
  readonly steps: Point[];
  readonly boluses: { readonly t: number; readonly mg: number; readonly mgPerKg: number }[];
  /** Highest rate, mg/kg/h. */
  readonly maxRate: number;
}

export function doseTrack(actions: readonly DoseAction[], weightKg: number, endMin: number): DoseTrack {
  const steps: Point[] = [{ t: 0, v: 0 }];
  const boluses: DoseTrack['boluses'][number][] = [];
  let rate = 0,
    maxRate = 0;
  for (const a of actions) {
    if (a.t > endMin) break;
    if (a.bolusMg > 0) boluses.push({ t: a.t, mg: a.bolusMg, mgPerKg: a.bolusMg / weightKg });
    if (a.rateMgPerMin !== null) {
      rate = (a.rateMgPerMin * 60) / weightKg;
      maxRate = Math.max(maxRate, rate);
      if (steps[steps.length - 1].t === a.t) steps[steps.length - 1] = { t: a.t, v: rate };
      else steps.push({ t: a.t, v: rate });
    }
  }
  steps.push({ t: endMin, v: rate });
  return { steps, boluses, maxRate };
}

/** Index of the grid sample nearest to `tMin` on a grid of step `resolutionSec`, clamped to [0, n−1]. */
export function nearestSample(tMin: number, resolutionSec: number, n: number): number {
  const j = Math.round((tMin * 60) / resolutionSec);
  return Math.max(0, Math.min(n - 1, j));
}

/** Bottom of a logarithmic concentration axis, ng/mL: values below it (the first seconds of an infusion, a washed-out tail) sit on the axis. */
export const LOG_AXIS_MIN_NG_ML = 1;

/** Top of a logarithmic axis: the next power of ten ≥ x (at least 10× the bottom). */
export function logCeil(x: number, bottom = LOG_AXIS_MIN_NG_ML): number {
  if (!(x > 0) || !Number.isFinite(x)) return bottom * 10;
  return Math.max(bottom * 10, 10 ** Math.ceil(Math.log10(x) - 1e-12));
}

/** Ticks of a logarithmic axis from `bottom` to `top` (powers of ten): 1, 2, 5 × 10^k, or the decades alone when that is too many. */
export function logTicks(bottom: number, top: number, maxTicks = 10): number[] {
  const lo = Math.round(Math.log10(bottom)),
    hi = Math.round(Math.log10(top));
  const decades: number[] = [];
  for (let k = lo; k <= hi; k++) decades.push(Number((10 ** k).toPrecision(12)));
  const fine = decades
    .flatMap((d, i) => (i === decades.length - 1 ? [d] : [d, 2 * d, 5 * d]))
    .map((v) => Number(v.toPrecision(12)));
  return fine.length <= maxTicks ? fine : decades;
}
