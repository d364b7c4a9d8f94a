// `computeMetrics`/`bandMetrics`: peaks, minutes in/above each band, first entry/last exit, recovery, total dose; `lastDoseEnd`.
import { crossing, fractionInside } from './segment.ts';
import type { Band } from './plan.ts';
import type { Trajectory } from './simulate.ts';
import { totalDoseMg, type DoseAction } from './dosing/actions.ts';

/**
 * Metrics of a trajectory against concentration bands. Times are minutes; concentrations ng/mL.
 * Time in a band is measured on the output grid with Ce linearly interpolated between grid points,
 * so crossings are located between samples; at the default 10-s grid the error is a fraction of a
 * second.
 */
export interface BandMetrics {
  readonly id: string;
  readonly lowNgMl: number;
  readonly highNgMl: number | null;
  /** Minutes with low ≤ Ce < high (Ce ≥ low for an open band). */
  readonly minutesInside: number;
  /** Minutes with Ce ≥ high (0 for an open band). */
  readonly minutesAbove: number;
  /** First time Ce reaches the band (≥ low), min, or null. */
  readonly firstEntryMin: number | null;
  /** Last time Ce leaves the band downwards or upwards after having been inside, min, or null if it never left or never entered. */
  readonly lastExitMin: number | null;
}

export interface Metrics {
  readonly peakCpNgMl: number;
  readonly peakCpMin: number;
  readonly peakCeNgMl: number;
  readonly peakCeMin: number;
  readonly bands: readonly BandMetrics[];
  /** End of the last dose: the last bolus or the moment the pump last stops, min (null: no dose, or still running at the horizon). */
  readonly lastDoseEndMin: number | null;
  /** Minutes from the end of the last dose until Ce falls (for good) below `recoveryLevelNgMl`; null if not within the horizon. */
  readonly recoveryMin: number | null;
  readonly recoveryLevelNgMl: number | null;
  /** Total dose given within the horizon, mg and mg/kg. */
  readonly totalDoseMg: number;
  readonly totalDoseMgPerKg: number;
  /** For a trajectory with a metabolite only: its name, peak plasma concentration (ng/mL, largest grid value) and the time of that peak (min). */
  readonly metabolite?: string;
  readonly peakCmNgMl?: number;
  readonly peakCmMin?: number;
}

/** Metrics of one band on Ce. */
export function bandMetrics(t: Float64Array, ce: Float64Array, band: Band): BandMetrics {
  const lo = band.lowNgMl;
  const hi = band.highNgMl ?? Infinity;
  let inside = 0,
    above = 0;
  let firstEntry: number | null = ce.length > 0 && ce[0] >= lo ? t[0] : null;
  let lastExit: number | null = null;
  for (let j = 1; j < t.length; j++) {
    const a = ce[j - 1],
      b = ce[j];
    // Fast paths for segments wholly below, inside or above the band (most of a long trajectory);
    // they change nothing but the accumulated minutes.
    if (a < lo && b < lo) continue;
    const dt = t[j] - t[j - 1];
    if (a >= lo && b >= lo && a < hi && b < hi) {
      inside += dt;
      continue;
    }
    if (a >= hi && b >= hi) {
      above += dt;
      continue;
    }
    inside += dt * fractionInside(a, b, lo, hi);
    if (hi !== Infinity) above += dt * fractionInside(a, b, hi, Infinity);
    const wasIn = a >= lo && a < hi,
      isIn = b >= lo && b < hi;
    if (firstEntry === null && b >= lo) firstEntry = crossing(t[j - 1], t[j], a, b, lo);
    // Leaving the band, including straight through it within one grid step (below → above or
    // above → below, which interpolation passes through): the exit is at the bound Ce goes past.
    const through = !wasIn && !isIn && ((a < lo && b >= hi) || (a >= hi && b < lo));
    if ((wasIn && !isIn) || through) lastExit = crossing(t[j - 1], t[j], a, b, b < lo ? lo : hi);
    if (!wasIn && isIn) lastExit = null;
  }
  return {
    id: band.id,
    lowNgMl: lo,
    highNgMl: band.highNgMl ?? null,
    minutesInside: inside,
    minutesAbove: above,
    firstEntryMin: firstEntry,
    lastExitMin: lastExit,
  };
}

/** End of the last dose: the latest of the last bolus and the last switch of the pump to 0. */
export function lastDoseEnd(actions: readonly DoseAction[], horizonMin: number): number | null {
  let rate = 0,
    end: number | null = null;
  for (const a of actions) {
    if (a.t > horizonMin) break;
    if (a.bolusMg > 0) end = a.t;
    if (a.rateMgPerMin !== null) {
      if (rate > 0 && a.rateMgPerMin === 0) end = Math.max(end ?? a.t, a.t);
      rate = a.rateMgPerMin;
    }
  }
  return rate > 0 ? null : end;
}

/** Compute all metrics. `recoveryLevelNgMl` defaults to the low bound of the band `dissociation` when present. */
export function computeMetrics(
  traj: Trajectory,
  bands: readonly Band[],
  actions: readonly DoseAction[],
  weightKg: number,
  recoveryLevelNgMl: number | null = bands.find((b) => b.id === 'dissociation')?.lowNgMl ?? null,
): Metrics {
  const { t, cp, ce } = traj;
  let pcp = -Infinity,
    pcpT = 0,
    pce = -Infinity,
    pceT = 0;
  for (let j = 0; j < t.length; j++) {
    if (cp[j] > pcp) {
      pcp = cp[j];
      pcpT = t[j];
    }
    if (ce[j] > pce) {
      pce = ce[j];
      pceT = t[j];
    }
  }
  const horizon = t.length ? t[t.length - 1] : 0;
  const end = lastDoseEnd(actions, horizon);
  let recovery: number | null = null;
  if (end !== null && recoveryLevelNgMl !== null) {
    // Last downward crossing of the level after the end of the last dose, provided Ce stays below.
    const last = ce.length - 1;
    if (last >= 0 && ce[last] < recoveryLevelNgMl) {
      let j = last;
      while (j > 0 && t[j - 1] >= end && ce[j - 1] < recoveryLevelNgMl) j--;
      // Either Ce crossed the level between j−1 and j, or it was already below when dosing ended.
      const tCross =
        j > 0 && ce[j - 1] >= recoveryLevelNgMl ? crossing(t[j - 1], t[j], ce[j - 1], ce[j], recoveryLevelNgMl) : end;
      recovery = Math.max(0, tCross - end);
    }
  }
  const mg = totalDoseMg(actions, horizon);
  const metabolite = traj.cm ? metabolitePeak(t, traj.cm, traj.metabolite ?? 'metabolite') : {};
  return {
    peakCpNgMl: t.length ? pcp : 0,
    peakCpMin: pcpT,
    peakCeNgMl: t.length ? pce : 0,
    peakCeMin: pceT,
    bands: bands.map((b) => bandMetrics(t, ce, b)),
    lastDoseEndMin: end,
    recoveryMin: recovery,
    recoveryLevelNgMl,
    totalDoseMg: mg,
    totalDoseMgPerKg: mg / weightKg,
    ...metabolite,
  };
}

/** The metabolite's peak (ng/mL) and its time (min), the first largest grid value, as for cp and ce. */
function metabolitePeak(
  t: Float64Array,
  cm: Float64Array,
  name: string,
): { metabolite: string; peakCmNgMl: number; peakCmMin: number } {
  let peak = -Infinity,
    at = 0;
  for (let j = 0; j < t.length; j++) {
    if (cm[j] > peak) {
      peak = cm[j];
      at = t[j];
    }
  }
  return { metabolite: name, peakCmNgMl: t.length ? peak : 0, peakCmMin: at };
}
