import { sameTime, type DoseAction } from './dosing/actions.ts';
import { stepperFor, type PkStructure, type Stepper } from './pk/stepper.ts';

/**
 * Columnar prediction on the output grid: t (min), cp and ce (ng/mL). Right-continuous: at an event
 * time the value after the event.
 */
export interface Trajectory {
  readonly t: Float64Array;
  readonly cp: Float64Array;
  readonly ce: Float64Array;
}

/** The output grid: t_j = j·resolutionSec/60 min for j = 0 … count−1. */
export interface Grid {
  readonly resolutionSec: number;
  readonly count: number;
}

/** Grid time j, min, computed as (j·Δs)/60 so that it equals the exact rational as nearly as floats can. */
export const gridTime = (g: Grid, j: number): number => (j * g.resolutionSec) / 60;

/** Buffers a caller owns and the simulation writes into (DESIGN.md rule 5). */
export interface TrajectoryBuffers {
  t?: Float64Array;
  cp: Float64Array;
  ce: Float64Array;
}

/**
 * Step a stepper across the merged set of grid and action times, writing cp and ce (ng/mL) at each
 * grid time into `out`. An action between grid points is applied at its own time; one at a grid time
 * (within float noise) is applied before that point is recorded. Actions after the grid end are
 * ignored. The stepper starts from its current state (normally zero, see `reset`).
 *
 * Between actions the grid points are a run of equal steps at one rate; a stepper with
 * `advanceSampled` takes the whole run in one call (the hot loop), others one point at a time.
 */
export function runGrid(stepper: Stepper, actions: readonly DoseAction[], grid: Grid, out: TrajectoryBuffers): void {
  const dt = grid.resolutionSec / 60;
  const { cp, ce } = out;
  const tOut = out.t;
  const count = grid.count;
  const sampled = stepper.advanceSampled !== undefined;
  let tPrev = 0;
  let rate = 0;
  let ai = 0;
  let onGrid = true; // whether tPrev is the previous grid point (then the step is exactly dt)
  const n = actions.length;
  for (let j = 0; j < count; j++) {
    const tj = gridTime(grid, j);
    while (ai < n && actions[ai].t < tj && !sameTime(actions[ai].t, tj)) {
      const a = actions[ai++];
      const h = a.t - tPrev;
      if (h > 0) stepper.advance(h, rate);
      tPrev = a.t;
      onGrid = false;
      if (a.bolusMg !== 0) stepper.bolus(a.bolusMg);
      if (a.rateMgPerMin !== null) rate = a.rateMgPerMin;
    }
    if (j > 0) stepper.advance(onGrid ? dt : tj - tPrev, rate);
    tPrev = tj;
    onGrid = true;
    while (ai < n && sameTime(actions[ai].t, tj)) {
      const a = actions[ai++];
      if (a.bolusMg !== 0) stepper.bolus(a.bolusMg);
      if (a.rateMgPerMin !== null) rate = a.rateMgPerMin;
    }
    if (tOut) tOut[j] = tj;
    cp[j] = stepper.cp() * 1000; // mg/L → ng/mL
    ce[j] = stepper.ce() * 1000;
    if (sampled && j + 1 < count) {
      // Grid points j+1 … last have no action at or before them: one run of equal steps.
      const last = lastGridPointBefore(grid, ai < n ? actions[ai].t : Infinity);
      if (last > j) {
        stepper.advanceSampled!(dt, rate, last - j, cp, ce, j + 1);
        if (tOut) for (let m = j + 1; m <= last; m++) tOut[m] = gridTime(grid, m);
        j = last;
        tPrev = gridTime(grid, j);
      }
    }
  }
}

/**
 * The last grid index whose time is before `t` and not the same instant as `t` (so an action at `t`
 * is applied after that point is recorded); −1 if none. Monotone in the index, found from the nearest
 * guess with at most a step or two of correction.
 */
function lastGridPointBefore(grid: Grid, t: number): number {
  const lastIndex = grid.count - 1;
  const before = (j: number) => {
    const tj = gridTime(grid, j);
    return tj < t && !sameTime(t, tj);
  };
  if (t === Infinity) return lastIndex;
  let j = Math.min(lastIndex, Math.floor((t * 60) / grid.resolutionSec));
  while (j >= 0 && !before(j)) j--;
  while (j < lastIndex && before(j + 1)) j++;
  return j;
}

/** Simulate a PK structure with effect site `ke0` (1/min) over a grid; allocates the trajectory. */
export function simulate(pk: PkStructure, ke0: number, actions: readonly DoseAction[], grid: Grid): Trajectory {
  const out = {
    t: new Float64Array(grid.count),
    cp: new Float64Array(grid.count),
    ce: new Float64Array(grid.count),
  };
  runGrid(stepperFor(pk, ke0), actions, grid, out);
  return out;
}
