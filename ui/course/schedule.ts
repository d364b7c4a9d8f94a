import type { Plan, Problem } from '../../engine/plan.ts';
import { regimenToActions, totalDoseMg } from '../../engine/dosing/actions.ts';
import { buildCourse, givenRegimen } from '../../engine/live/course.ts';
import { CourseScanner, cursorAt } from '../../engine/live/crossings.ts';
import { currentActions, type SessionLog } from '../../engine/live/log.ts';
import { liveKernel } from '../../engine/live/tracker.ts';
import type { SessionStatus } from '../storage/records.ts';

/**
 * Course helpers for the Course view (pure: no DOM, no clock; `nowMs` is an argument): the per-session
 * dose and peak Ce from the engine, and where the patient stands in the course schedule.
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
    if (!(Number.isFinite(r.min) && Number.isFinite(r.max) && r.min > 0 && r.max <= 52)) problems.push({ path: key, message: `min and max must be weeks in (0, 52], got ${r.min}–${r.max}` });
    else if (r.min > r.max) problems.push({ path: `${key}.min`, message: `must not be above max (${r.max}), got ${r.min}` });
  }
  return problems;
}

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

/**
 * Dose (mg, mg/kg of the plan's weight) and peak Ce of a session. A finished or running session counts
 * what was actually given (engine/live/course.ts) up to `endMin` (its end, or now for a running one); a
 * planned session counts its plan up to the plan's horizon. The peak is found exactly on the closed form
 * (extrema of Ce located by bisection) from 0 to `endMin + tailMin`, since Ce keeps rising after a dose.
 */
export function sessionDose(plan: Plan, log: SessionLog, status: SessionStatus, endMin: number | null, tailMin = 120): SessionDose {
  const planned = status === 'planned';
  const end = planned ? plan.horizonMin : endMin;
  if (end === null || !Number.isFinite(end) || end < 0) throw new Error(`endMin: a ${status} session needs its end (session minutes), got ${end}`);
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
  let peak = kernel.ce(scanner.cursor.state), peakAt = scanner.cursor.t;
  for (const e of extrema) if (e.kind === 'max' && e.ceMgPerL > peak) { peak = e.ceMgPerL; peakAt = e.atMin; }
  return { basis: planned ? 'planned' : 'given', doseMg, doseMgPerKg: doseMg / plan.patient.weightKg, peakCeNgMl: peak * 1000, peakCeMin: peakAt };
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
export function courseSchedule(sessions: readonly ScheduledSession[], nowMs: number, settings: CourseSettings = DEFAULT_COURSE_SETTINGS): CourseSchedule {
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
  if (done.length < n) return { phase: done.length === 0 ? 'not-started' : 'stabilisation', completedSessions: done.length, stabilisation, maintenance: null };
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
