// `ConcentrationWindow`, `defaultWindow` (dissociation band 100–250), `anaesthesiaBand`, `windowMetrics`, `evaluatedSpan`.
import { bandMetrics } from '../metrics.ts';
import { DEFAULT_BANDS } from '../pd/bands.ts';

/** A concentration window the planner aims for, ng/mL: low ≤ c < high (the metrics' band convention). */
export interface ConcentrationWindow {
  readonly lowNgMl: number;
  readonly highNgMl: number;
}

const band = (id: string) => {
  const b = DEFAULT_BANDS.find((x) => x.id === id);
  if (!b || b.highNgMl === undefined) throw new Error(`engine/pd/bands.ts: default band "${id}" with a high bound is missing`);
  return b;
};

/**
 * The default window: the dissociation band of engine/pd/bands.ts (100–250 ng/mL; Zanos 2018 citing
 * Krystal 1994, Bowdle 1998), which lies below the anaesthesia band. Its citation travels with it.
 */
export function defaultWindow(): ConcentrationWindow & { readonly source: string } {
  const b = band('dissociation');
  return { lowNgMl: b.lowNgMl, highNgMl: b.highNgMl!, source: `default band "${b.id}" (${b.citation})` };
}

/** The default anaesthesia band (1200–2400 ng/mL, Zanos 2018; Schüttler 1987), for the overlap warning. */
export function anaesthesiaBand(): ConcentrationWindow & { readonly citation: string } {
  const b = band('anaesthesia');
  return { lowNgMl: b.lowNgMl, highNgMl: b.highNgMl!, citation: b.citation };
}

/** How a concentration (Ce or Cp) kept to a window over an evaluated span [from, to] of a grid. */
export interface WindowMetrics {
  /** Minutes inside the window divided by the evaluated span (0–1). */
  readonly fractionInWindow: number;
  readonly minutesInWindow: number;
  readonly minutesAboveWindow: number;
  readonly minutesBelowWindow: number;
  /** The evaluated span, min: the first grid time ≥ the reach time to the last grid time ≤ the session end. */
  readonly evaluatedFromMin: number;
  readonly evaluatedToMin: number;
  /** First time the concentration reaches the window's low bound (linear between grid points), min, or null. */
  readonly firstInWindowMin: number | null;
  /** Highest value on the whole grid, ng/mL, and when. */
  readonly maxNgMl: number;
  readonly maxAtMin: number;
}

/** Grid index span [j0, j1] covering [fromMin, toMin]: first t ≥ from, last t ≤ to (float noise tolerated). */
export function evaluatedSpan(t: Float64Array, fromMin: number, toMin: number): [number, number] {
  const eps = 1e-9 * Math.max(1, toMin);
  let j0 = 0;
  while (j0 < t.length && t[j0] < fromMin - eps) j0++;
  let j1 = t.length - 1;
  while (j1 > 0 && t[j1] > toMin + eps) j1--;
  return [j0, j1];
}

/**
 * Window metrics of one concentration series (ng/mL) on grid `t` (min), evaluated from `fromMin` (the
 * reach time) to `toMin` (the session end), with values linearly interpolated between grid points
 * (engine/metrics.ts `bandMetrics`). The maximum is over the whole grid.
 */
export function windowMetrics(
  t: Float64Array,
  y: Float64Array,
  w: ConcentrationWindow,
  fromMin: number,
  toMin: number,
): WindowMetrics {
  const [j0, j1] = evaluatedSpan(t, fromMin, toMin);
  const b = { id: 'window', lowNgMl: w.lowNgMl, highNgMl: w.highNgMl };
  const span = j1 > j0 ? t[j1] - t[j0] : 0;
  let inside = 0,
    above = 0;
  if (span > 0) {
    const m = bandMetrics(t.subarray(j0, j1 + 1), y.subarray(j0, j1 + 1), b);
    inside = m.minutesInside;
    above = m.minutesAbove;
  }
  const whole = bandMetrics(t, y, b);
  let max = -Infinity,
    maxAt = 0;
  for (let j = 0; j < y.length; j++)
    if (y[j] > max) {
      max = y[j];
      maxAt = t[j];
    }
  const inWindowAtPoint = y[j0] >= w.lowNgMl && y[j0] < w.highNgMl;
  return {
    fractionInWindow: span > 0 ? inside / span : inWindowAtPoint ? 1 : 0,
    minutesInWindow: inside,
    minutesAboveWindow: above,
    minutesBelowWindow: Math.max(0, span - inside - above),
    evaluatedFromMin: t[j0],
    evaluatedToMin: t[j1],
    firstInWindowMin: whole.firstEntryMin,
    maxNgMl: max,
    maxAtMin: maxAt,
  };
}
