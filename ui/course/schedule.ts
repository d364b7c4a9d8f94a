// `courseSchedule`: stabilisation/maintenance status from clinic protocol settings (`DEFAULT_COURSE_SETTINGS`, not cited values).
import type { Problem } from '../../engine/plan.ts';
import type { SessionStatus } from '../storage/records.ts';

/**
 * Where the patient stands in the course schedule, for the Course view (pure: no DOM, no clock; `nowMs`
 * is an argument). The per-session dose and peak Ce are a simulation and live in the engine
 * (engine/live/session-dose.ts), computed in the live worker (workers/live-api.ts `sessionDoses`).
 */

/**
 * The course schedule settings. **Clinic protocol setting**: these numbers describe the clinic's
 * practice as given in the product brief (a stabilisation series of six sessions in 2–3 weeks, then
 * maintenance sessions every 3–6 weeks). They do NOT come from a cited paper; change them to the
 * clinic's own protocol.
 */
export interface CourseSettings {
  /** Sessions in the stabilisation series (clinic protocol setting; default 6). */
  readonly stabilisationSessions: number;
  /** Weeks the stabilisation series is meant to take, min–max (clinic protocol setting; default 2–3). */
  readonly stabilisationWeeks: { readonly min: number; readonly max: number };
  /** Weeks between maintenance sessions, min–max (clinic protocol setting; default 3–6). */
  readonly maintenanceIntervalWeeks: { readonly min: number; readonly max: number };
}

/** Clinic protocol setting (product brief), not a cited recommendation. */
export const DEFAULT_COURSE_SETTINGS: CourseSettings = {
  stabilisationSessions: 6,
  stabilisationWeeks: { min: 2, max: 3 },
  maintenanceIntervalWeeks: { min: 3, max: 6 },
};

export const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** Validate settings: a whole number of sessions ≥ 1, week ranges with 0 < min ≤ max ≤ 52. */
export function checkCourseSettings(s: CourseSettings): Problem[] {
  const problems: Problem[] = [];
  if (!Number.isInteger(s.stabilisationSessions) || s.stabilisationSessions < 1 || s.stabilisationSessions > 50) {
    problems.push({ path: 'stabilisationSessions', message: `must be a whole number 1–50, got ${s.stabilisationSessions}` });
  }
  for (const key of ['stabilisationWeeks', 'maintenanceIntervalWeeks'] as const) {
    const r = s[key];
    if (!(Number.isFinite(r.min) && Number.isFinite(r.max) && r.min > 0 && r.max <= 52))
      problems.push({ path: key, message: `min and max must be weeks in (0, 52], got ${r.min}–${r.max}` });
    else if (r.min > r.max) problems.push({ path: `${key}.min`, message: `must not be above max (${r.max}), got ${r.min}` });
  }
  return problems;
}

/** The schedule facts of a session needed by `courseSchedule`. */
export interface ScheduledSession {
  readonly status: SessionStatus;
  /** Wall-clock start, epoch ms (null while planned). */
  readonly startEpochMs: number | null;
}

export interface CourseSchedule {
  readonly phase: 'not-started' | 'stabilisation' | 'maintenance';
  /** Finished sessions, the basis of the schedule. */
  readonly completedSessions: number;
  readonly stabilisation: {
    readonly done: number;
    readonly of: number;
    /** Start of the first session, epoch ms. */
    readonly startedMs: number | null;
    /** Latest end of the series by the settings (first session + max weeks), epoch ms. */
    readonly windowEndMs: number | null;
    /** Whether the series took, or is taking, longer than the settings' max weeks. */
    readonly overrun: boolean;
  };
  /** Null until the stabilisation series is complete. */
  readonly maintenance: {
    /** Start of the latest session, epoch ms. */
    readonly lastSessionMs: number;
    /** The next maintenance session is due between these (last + min weeks, last + max weeks). */
    readonly dueFromMs: number;
    readonly dueByMs: number;
    /** `nowMs` is past dueByMs. */
    readonly overdue: boolean;
  } | null;
}

/**
 * Where a patient stands: the stabilisation series (the first `stabilisationSessions` finished sessions)
 * and, after it, when the next maintenance session is due and whether it is overdue at `nowMs`.
 * Only finished sessions count; sessions are ordered by their start.
 */
export function courseSchedule(
  sessions: readonly ScheduledSession[],
  nowMs: number,
  settings: CourseSettings = DEFAULT_COURSE_SETTINGS,
): CourseSchedule {
  const problems = checkCourseSettings(settings);
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  if (!Number.isFinite(nowMs)) throw new Error(`nowMs: must be a finite time in epoch ms, got ${nowMs}`);
  const done = sessions
    .filter((s) => s.status === 'finished' && s.startEpochMs !== null)
    .map((s) => s.startEpochMs as number)
    .sort((a, b) => a - b);
  const n = settings.stabilisationSessions;
  const first = done.length > 0 ? done[0] : null;
  const windowEnd = first === null ? null : first + settings.stabilisationWeeks.max * WEEK_MS;
  const stabDone = Math.min(done.length, n);
  const overrun = windowEnd !== null && (stabDone < n ? nowMs > windowEnd : done[n - 1] > windowEnd);
  const stabilisation = { done: stabDone, of: n, startedMs: first, windowEndMs: windowEnd, overrun };
  if (done.length < n)
    return {
      phase: done.length === 0 ? 'not-started' : 'stabilisation',
      completedSessions: done.length,
      stabilisation,
      maintenance: null,
    };
  const last = done[done.length - 1];
  const dueFromMs = last + settings.maintenanceIntervalWeeks.min * WEEK_MS;
  const dueByMs = last + settings.maintenanceIntervalWeeks.max * WEEK_MS;
  return {
    phase: 'maintenance',
    completedSessions: done.length,
    stabilisation,
    maintenance: { lastSessionMs: last, dueFromMs, dueByMs, overdue: nowMs > dueByMs },
  };
}
