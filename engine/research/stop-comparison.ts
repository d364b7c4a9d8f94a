// "IV can be stopped, intranasal cannot": each regimen's course after a decision to stop at time s, and its time to fall below a cited level.
import { isRouteDose, type DoseEvent, type Plan, type Problem } from '../plan.ts';
import { predictChecked } from '../predict.ts';
import type { ReferenceLevel } from '../pd/s-ketamine-bands.ts';

/**
 * A decision to stop at minute s means: nothing not yet given is given. For an IV regimen the pump
 * stops at s (a `rate: 0` at s, applied last at that instant) and IV events after s are dropped. A
 * non-IV dose given at or before s is in the body already (nose, gut) and keeps being absorbed: it
 * stays, whole (a multi-device dose started at or before s counts as given); one after s is dropped.
 * Pure: the plans are the caller's, the result is data.
 */
export function stopRegimenAt(regimen: readonly DoseEvent[], stopAtMin: number): DoseEvent[] {
  const kept = regimen.filter((e) => e.at <= stopAtMin);
  const hasIv = kept.some((e) => !isRouteDose(e));
  return hasIv ? [...kept, { at: stopAtMin, rate: 0, unit: 'mg/kg/h' }] : kept;
}

/** One regimen to compare: a full plan (patient, model, grid) as it would run without a stop. */
export interface StopCandidate {
  readonly id: string;
  readonly label: string;
  readonly plan: Plan;
}

/** What happens to one regimen after the decision to stop at s (concentrations: effect site, ng/mL). */
export interface StopOutcome {
  readonly id: string;
  readonly label: string;
  /** Ce at the decision, ng/mL. */
  readonly ceAtStopNgMl: number;
  /** Highest Ce at or after s, ng/mL, and when (min from the start). */
  readonly peakAfterStopNgMl: number;
  readonly peakAfterStopAtMin: number;
  /** How much Ce still rises after the decision: peak after s − Ce at s, ng/mL (0 when it only falls). */
  readonly riseAfterStopNgMl: number;
  /**
   * Minutes after s until Ce is below the level for good (linear interpolation between grid points):
   * 0 when Ce is never at or above it after s; null when still at or above it at the horizon.
   */
  readonly minutesToFallBelowLevel: number | null;
  /** Minutes after s until Ce is below its own value at s for good (0: it only falls; null: not by the horizon). */
  readonly minutesToFallBelowStopValue: number | null;
}

export type StopComparison =
  | { readonly ok: true; readonly stopAtMin: number; readonly level: ReferenceLevel; readonly outcomes: readonly StopOutcome[] }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * Minutes after `s` (min) until `c` is below `level` for good on the grid `t`: the crossing after the
 * last point at or above it, by linear interpolation; 0 if no point at or after s is at or above it;
 * null if the last point is.
 */
export function minutesToFallBelow(t: Float64Array, c: Float64Array, s: number, level: number): number | null {
  let first = 0;
  while (first < t.length && t[first] < s) first++;
  let last = -1;
  for (let j = first; j < t.length; j++) if (c[j] >= level) last = j;
  if (last < 0) return 0;
  if (last === t.length - 1) return null;
  const f = (c[last] - level) / (c[last] - c[last + 1]);
  return Math.max(0, t[last] + f * (t[last + 1] - t[last]) - s);
}

/**
 * Compare regimens after a decision to stop at `stopAtMin`: each is stopped (`stopRegimenAt`), predicted
 * with `predictChecked` (its plan's rules and warnings hold), and read against `level` (a cited line on
 * the drug's own scale, e.g. Olofsen 2022's S-ketamine C50) on the effect site. A plan that is not valid
 * is a problem naming the candidate and field, never a partial answer.
 */
export function compareStop(candidates: readonly StopCandidate[], stopAtMin: number, level: ReferenceLevel): StopComparison {
  if (!(Number.isFinite(stopAtMin) && stopAtMin >= 0))
    return { ok: false, problems: [{ path: 'stopAtMin', message: `must be a time in minutes ≥ 0, got ${stopAtMin}` }] };
  const problems: Problem[] = [];
  const outcomes: StopOutcome[] = [];
  for (const c of candidates) {
    if (stopAtMin > c.plan.horizonMin) {
      problems.push({
        path: `${c.id}.horizonMin`,
        message: `the stop at ${stopAtMin} min is after the horizon (${c.plan.horizonMin} min)`,
      });
      continue;
    }
    const r = predictChecked({ ...c.plan, regimen: stopRegimenAt(c.plan.regimen, stopAtMin) });
    if (!r.ok) {
      for (const p of r.problems) problems.push({ path: `${c.id}.${p.path}`, message: p.message });
      continue;
    }
    const { t, ce } = r.prediction.trajectory;
    let j0 = 0;
    while (j0 < t.length && t[j0] < stopAtMin) j0++;
    // Ce at s: the grid point at s, or interpolated between its neighbours.
    const atStop =
      t[j0] === stopAtMin || j0 === 0
        ? ce[j0]
        : ce[j0 - 1] + ((ce[j0] - ce[j0 - 1]) * (stopAtMin - t[j0 - 1])) / (t[j0] - t[j0 - 1]);
    let peak = atStop;
    let peakAt = stopAtMin;
    for (let j = j0; j < t.length; j++)
      if (ce[j] > peak) {
        peak = ce[j];
        peakAt = t[j];
      }
    outcomes.push({
      id: c.id,
      label: c.label,
      ceAtStopNgMl: atStop,
      peakAfterStopNgMl: peak,
      peakAfterStopAtMin: peakAt,
      riseAfterStopNgMl: peak - atStop,
      minutesToFallBelowLevel: minutesToFallBelow(t, ce, stopAtMin, level.ngMl),
      minutesToFallBelowStopValue: peak > atStop ? minutesToFallBelow(t, ce, stopAtMin, atStop) : 0,
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, stopAtMin, level, outcomes };
}
