// `compileSchedule`: regimen laid onto the grid once for all patients, matching `runGrid` sub-steps.
import { sameTime, type DoseAction } from '../dosing/actions.ts';
import type { Grid } from '../simulate.ts';

/**
 * The dosing regimen laid onto the output grid, once for the whole population: every virtual patient
 * gets the same doses at the same times (covariates are shared; only the parameters vary), so the
 * sequence of sub-steps and rates is the same for all of them. It follows engine/simulate.ts
 * `runGrid` exactly: an action between grid points is applied at its own time (the step is split),
 * one at a grid time (within `sameTime`) is applied before that point is recorded, actions after the
 * grid end are ignored.
 *
 * Grid step j (from t_{j−1} to t_j, j ≥ 1) is either plain — one step of `dt` at the rate in effect
 * after t_{j−1} — or special: a list of sub-step and bolus operations (`ops`). Rates are indices into
 * `rates` (mg/min).
 */
export interface Schedule {
  /** Number of grid points. */
  readonly count: number;
  /** Grid times t_j, min. */
  readonly t: Float64Array;
  /** The plain grid step, min (resolutionSec/60, as runGrid uses it). */
  readonly dt: number;
  /** Distinct pump rates, mg/min (index 0 is 0). */
  readonly rates: Float64Array;
  /** Index of the rate in effect just after grid time t_j (after the actions at t_j). */
  readonly rateAfter: Int32Array;
  /** Whether grid step j (into t_j) is special; index 0 unused. */
  readonly special: Uint8Array;
  /**
   * For a plain step j: the first index ≥ j at which the plain run with the same rate ends (a special
   * step, or a step whose previous rate differs). Used to take whole runs in the hot loop.
   */
  readonly runEnd: Int32Array;
  /** Operations of special step j (and of j = 0: boluses at t = 0): `opStart[j] … opStart[j+1]`. */
  readonly opStart: Int32Array;
  /** Operation kind: 0 = advance `opValue` min at rate `opRate`; 1 = bolus of `opValue` mg. */
  readonly opKind: Uint8Array;
  readonly opValue: Float64Array;
  readonly opRate: Int32Array;
}

/**
 * Grid time j, min: the expression of engine/simulate.ts `gridTime`, repeated here so that the
 * population workers do not load simulate.ts (and through it the general linear path and mathjs).
 */
export const gridTimeMin = (grid: Grid, j: number): number => (j * grid.resolutionSec) / 60;

/** Compile time-ordered actions (engine/dosing/actions.ts) onto a grid. */
export function compileSchedule(actions: readonly DoseAction[], grid: Grid): Schedule {
  const count = grid.count;
  const dt = grid.resolutionSec / 60;
  const t = new Float64Array(count);
  for (let j = 0; j < count; j++) t[j] = gridTimeMin(grid, j);
  const rates: number[] = [0];
  const rateIndex = (r: number): number => {
    let i = rates.indexOf(r);
    if (i < 0) {
      i = rates.length;
      rates.push(r);
    }
    return i;
  };
  const rateAfter = new Int32Array(count);
  const special = new Uint8Array(count);
  const opStart = new Int32Array(count + 1);
  const kinds: number[] = [],
    values: number[] = [],
    opRates: number[] = [];
  const n = actions.length;
  let ai = 0;
  let rate = 0;
  for (let j = 0; j < count; j++) {
    opStart[j] = kinds.length;
    const tj = t[j];
    let tPrev = j > 0 ? t[j - 1] : 0;
    let onGrid = true;
    let sp = false;
    while (ai < n && actions[ai].t < tj && !sameTime(actions[ai].t, tj)) {
      const a = actions[ai++];
      const h = a.t - tPrev;
      if (h > 0) {
        kinds.push(0);
        values.push(h);
        opRates.push(rateIndex(rate));
      }
      tPrev = a.t;
      onGrid = false;
      sp = true;
      if (a.bolusMg !== 0) {
        kinds.push(1);
        values.push(a.bolusMg);
        opRates.push(0);
      }
      if (a.rateMgPerMin !== null) rate = a.rateMgPerMin;
    }
    if (j > 0 && sp) {
      kinds.push(0);
      values.push(onGrid ? dt : tj - tPrev);
      opRates.push(rateIndex(rate));
    }
    // The step into t_j runs at the rate before the actions at t_j (they apply after it).
    const rateBefore = rate;
    while (ai < n && sameTime(actions[ai].t, tj)) {
      const a = actions[ai++];
      if (a.bolusMg !== 0) {
        if (j > 0 && !sp) {
          kinds.push(0);
          values.push(dt);
          opRates.push(rateIndex(rateBefore));
          sp = true;
        }
        kinds.push(1);
        values.push(a.bolusMg);
        opRates.push(0);
      }
      if (a.rateMgPerMin !== null) rate = a.rateMgPerMin;
    }
    special[j] = sp ? 1 : 0;
    rateAfter[j] = rateIndex(rate);
  }
  opStart[count] = kinds.length;
  const runEnd = new Int32Array(count);
  for (let j = count - 1; j >= 1; j--) {
    if (special[j]) {
      runEnd[j] = j;
      continue;
    }
    // Plain step j runs at rateAfter[j − 1]; the run continues to j + 1 if that step is plain at the same rate.
    runEnd[j] = j + 1 < count && !special[j + 1] && rateAfter[j] === rateAfter[j - 1] ? runEnd[j + 1] : j + 1;
  }
  return {
    count,
    t,
    dt,
    rates: Float64Array.from(rates),
    rateAfter,
    special,
    runEnd,
    opStart,
    opKind: Uint8Array.from(kinds),
    opValue: Float64Array.from(values),
    opRate: Int32Array.from(opRates),
  };
}
