// `Objective` cost (outside, distance, centre, change weights `COST_WEIGHTS`); segment interpolation from engine/segment.ts.
import { fractionInside } from '../segment.ts';
import type { ConcentrationWindow } from './window.ts';

/**
 * Weights of the planner's cost, per minute. The cost is a guide for the search, not a reported
 * number: the reported figures are the window metrics of the exact prediction.
 * - `outside`: each minute outside the window from the reach time on, and each minute above the
 *   window at any time (an overshoot before the reach time is still an overshoot);
 * - `distance`: how far outside, in window widths per minute, so that the search has a direction
 *   even when every candidate is outside;
 * - `centre`: squared distance from the window's middle in half-widths per minute, a small pull
 *   towards the middle that leaves margin for model error and for the rate grid;
 * - `change`: each pump change (and giving a bolus at all), so that of two equally good programmes the
 *   simpler one wins.
 */
export const COST_WEIGHTS = { outside: 1, distance: 0.3, centre: 0.02, change: 0.01 } as const;

/**
 * The cost of a concentration series on the evaluation grid, segment by segment (segment j joins grid
 * points j−1 and j). Segments after the reach index are held to the window; earlier ones only to its
 * high bound. A Cp cap is a hard constraint: a candidate that breaks it anywhere costs Infinity.
 */
export class Objective {
  readonly lo: number;
  readonly hi: number;
  private readonly mid: number;
  private readonly half: number;
  private readonly width: number;
  /** Segment j is evaluated against the whole window when j > reachIndex. */
  readonly reachIndex: number;
  private readonly dt: Float64Array;
  /** Cp limit (ng/mL) enforced at every grid point; Infinity for none. */
  readonly cpCap: number;

  constructor(t: Float64Array, w: ConcentrationWindow, reachIndex: number, cpCap: number) {
    this.lo = w.lowNgMl;
    this.hi = w.highNgMl;
    this.mid = (w.lowNgMl + w.highNgMl) / 2;
    this.half = (w.highNgMl - w.lowNgMl) / 2;
    this.width = w.highNgMl - w.lowNgMl;
    this.reachIndex = reachIndex;
    this.cpCap = cpCap;
    this.dt = new Float64Array(t.length);
    for (let j = 1; j < t.length; j++) this.dt[j] = t[j] - t[j - 1];
  }

  /** Cost of segment j with end values a (at j−1) and b (at j). */
  segment(j: number, a: number, b: number): number {
    const dt = this.dt[j];
    const lo = this.lo,
      hi = this.hi;
    if (j > this.reachIndex) {
      const ca = (a - this.mid) / this.half,
        cb = (b - this.mid) / this.half;
      const centre = (COST_WEIGHTS.centre * (ca * ca + cb * cb)) / 2;
      if (a >= lo && a < hi && b >= lo && b < hi) return dt * centre; // the common case: inside
      const ga = a < lo ? lo - a : a > hi ? a - hi : 0;
      const gb = b < lo ? lo - b : b > hi ? b - hi : 0;
      return (
        dt *
        (COST_WEIGHTS.outside * (1 - fractionInside(a, b, lo, hi)) +
          (COST_WEIGHTS.distance * (ga + gb)) / (2 * this.width) +
          centre)
      );
    }
    if (a <= hi && b <= hi) return 0;
    const oa = a > hi ? a - hi : 0,
      ob = b > hi ? b - hi : 0;
    return (
      dt * (COST_WEIGHTS.outside * fractionInside(a, b, hi, Infinity) + (COST_WEIGHTS.distance * (oa + ob)) / (2 * this.width))
    );
  }
}
