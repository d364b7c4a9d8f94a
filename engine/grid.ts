// `gridPointCount`: the number of output points of a plan's grid (data arithmetic only: the dashboard's main thread may use it).

/** Number of output points of a plan's grid (t = 0, Δ, 2Δ, … ≤ horizon); the 1e-9 absorbs 240·60/0.1-style rounding. */
export function gridPointCount(horizonMin: number, resolutionSec: number): number {
  return Math.floor((horizonMin * 60) / resolutionSec + 1e-9) + 1;
}
