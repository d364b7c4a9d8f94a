/**
 * Linear interpolation on one grid segment, shared by the metrics of one trajectory
 * (engine/metrics.ts), the streamed metrics of a population (engine/population/metrics-stream.ts) and
 * the titration planner's cost (engine/tci/objective.ts), so they agree bit for bit. No imports: the
 * population workers stay light.
 */

/** Fraction of the segment from a to b (linear) lying in [lo, hi). */
export function fractionInside(a: number, b: number, lo: number, hi: number): number {
  if (a === b) return a >= lo && a < hi ? 1 : 0;
  const fa = Math.min(a, b),
    fb = Math.max(a, b);
  const start = Math.max(fa, lo),
    end = Math.min(fb, hi);
  return end > start ? (end - start) / (fb - fa) : 0;
}

/** Time at which the linear segment (t0,a)→(t1,b) crosses level y. */
export const crossing = (t0: number, t1: number, a: number, b: number, y: number): number =>
  a === b ? t0 : t0 + ((y - a) / (b - a)) * (t1 - t0);
