// `sessionDose`: one session's total dose and exact peak Ce (given or planned), for the Course view.
import { regimenToActions, totalDoseMg } from '../dosing/actions.ts';
import type { Plan } from '../plan.ts';
import { buildCourse, givenRegimen } from './course.ts';
import { CourseScanner, cursorAt } from './crossings.ts';
import { currentActions, type SessionLog } from './log.ts';
import { liveKernel } from './tracker.ts';
import { mgPerLToNgPerMl } from '../units.ts';

/**
 * The dose and peak Ce of one whole session, for the Course view's sessions table. A simulation (an
 * exact scan of the closed form), so it runs in the live worker (workers/live-api.ts `sessionDoses`),
 * never on the main thread (DESIGN.md rule 7).
 */

/** A session's state as the course database stores it (ui/storage/records.ts SessionStatus). */
export type SessionDoseStatus = 'planned' | 'running' | 'finished';
export const SESSION_DOSE_STATUSES: readonly SessionDoseStatus[] = ['planned', 'running', 'finished'];

/** What one session gave, from the engine. */
export interface SessionDose {
  /** 'given': from the live log up to the end of the session; 'planned': from the plan (not run yet). */
  readonly basis: 'given' | 'planned';
  readonly doseMg: number;
  readonly doseMgPerKg: number;
  /** Highest effect-site concentration, ng/mL, from the start to `tailMin` after the end (Ce lags). */
  readonly peakCeNgMl: number;
  /** Session minute of the peak. */
  readonly peakCeMin: number;
}

/** Minutes after a session's end still scanned for its peak Ce (default of `sessionDose`). */
export const SESSION_DOSE_TAIL_MIN = 120;

/**
 * Dose (mg, mg/kg of the plan's weight) and peak Ce of a session. A finished or running session counts
 * what was actually given (course.ts) up to `endMin` (its end, or now for a running one); a planned
 * session counts its plan up to the plan's horizon (`endMin` is not used). The peak is found exactly on
 * the closed form (extrema of Ce located by bisection) from 0 to `endMin + tailMin`, since Ce keeps
 * rising after a dose. Throws (naming `endMin`) when a given session has no valid end.
 */
export function sessionDose(
  plan: Plan,
  log: SessionLog,
  status: SessionDoseStatus,
  endMin: number | null,
  tailMin = SESSION_DOSE_TAIL_MIN,
): SessionDose {
  const planned = status === 'planned';
  const end = planned ? plan.horizonMin : endMin;
  if (end === null || !Number.isFinite(end) || end < 0)
    throw new Error(`endMin: a ${status} session needs its end (session minutes), got ${end}`);
  const course = buildCourse(plan, planned ? [] : currentActions(log));
  const given = givenRegimen(course, end);
  const actions = regimenToActions(given, plan.patient.weightKg);
  // The pump stops at the end of the session: what runs on after it is not part of this session.
  actions.push({ t: end, bolusMg: 0, rateMgPerMin: 0 });
  actions.sort((a, b) => a.t - b.t);
  const doseMg = totalDoseMg(actions, end);
  const { kernel } = liveKernel(plan);
  const scanner = new CourseScanner(kernel, actions, [], cursorAt(kernel, actions, 0));
  const { extrema } = scanner.scan(end + tailMin);
  let peak = kernel.ce(scanner.cursor.state),
    peakAt = scanner.cursor.t;
  for (const e of extrema)
    if (e.kind === 'max' && e.ceMgPerL > peak) {
      peak = e.ceMgPerL;
      peakAt = e.atMin;
    }
  return {
    basis: planned ? 'planned' : 'given',
    doseMg,
    doseMgPerKg: doseMg / plan.patient.weightKg,
    peakCeNgMl: mgPerLToNgPerMl(peak),
    peakCeMin: peakAt,
  };
}
