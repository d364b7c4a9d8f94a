// Pure Course-view helpers: patient/score drafts and checks, personal-band sessions, `calendarModel`, file names.
import type { Plan, Problem } from '../../engine/plan.ts';
import {
  parsePatient,
  SCORE_RANGES,
  type PatientFields,
  type PatientRecord,
  type ScoreId,
  type SessionNotes,
  type SessionScores,
  type SideEffect,
} from '../storage/records.ts';
import type { SessionWithLog } from '../storage/store.ts';
import type { CourseSchedule, CourseSettings } from '../course/schedule.ts';

/**
 * Pure helpers of the Course view (no DOM, no clock: `nowMs` is an argument), tested in node: the
 * patient form, the score fields, the sessions that feed the personal band, and the calendar axis.
 */

// ---- patient form ----------------------------------------------------------------------------

/** A patient as typed: text per field, so a wrong entry can be shown and named. */
export interface PatientDraft {
  readonly alias: string;
  readonly weightKg: string;
  readonly ageYears: string;
  readonly sex: '' | 'female' | 'male';
  readonly heightCm: string;
}

export const EMPTY_PATIENT_DRAFT: PatientDraft = { alias: '', weightKg: '', ageYears: '', sex: '', heightCm: '' };

/** A draft from a record or from a plan's patient (numbers as text). */
export function patientDraft(p: Partial<PatientFields>): PatientDraft {
  const t = (v: number | undefined) => (v === undefined ? '' : String(v));
  return { alias: p.alias ?? '', weightKg: t(p.weightKg), ageYears: t(p.ageYears), sex: p.sex ?? '', heightCm: t(p.heightCm) };
}

/** Text as a number when it reads as one (a decimal comma accepted), else the text, so the check names it. */
export function numberOrText(s: string): number | string {
  const v = s.trim().replace(',', '.');
  return /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(v) && Number.isFinite(Number(v)) ? Number(v) : s;
}

/** The draft as fields for `parsePatient` / `createPatient`: empty optional fields omitted. */
export function draftToFields(d: PatientDraft): Record<string, unknown> {
  return {
    alias: d.alias,
    ...(d.weightKg.trim() !== '' ? { weightKg: numberOrText(d.weightKg) } : {}),
    ...(d.ageYears.trim() !== '' && { ageYears: numberOrText(d.ageYears) }),
    ...(d.sex !== '' && { sex: d.sex }),
    ...(d.heightCm.trim() !== '' && { heightCm: numberOrText(d.heightCm) }),
  };
}

/** Problems of a draft, by field (`patient.alias`, `patient.weightKg`, …). */
export function patientDraftProblems(d: PatientDraft): Problem[] {
  const r = parsePatient(draftToFields(d));
  return r.ok ? [] : r.problems;
}

/** Field names as a person reads them. */
export const PATIENT_FIELD_NAMES: Readonly<Record<string, string>> = {
  'patient.alias': 'Alias',
  'patient.weightKg': 'Weight',
  'patient.ageYears': 'Age',
  'patient.sex': 'Sex',
  'patient.heightCm': 'Height',
};

// ---- outcome scores --------------------------------------------------------------------------

export const SCORE_IDS = Object.keys(SCORE_RANGES) as ScoreId[];

/** Scores as typed, text per instrument. */
export type ScoreDraft = Readonly<Record<ScoreId, string>>;

export function scoreDraft(s: SessionScores): ScoreDraft {
  return {
    phq9: s.phq9 === undefined ? '' : String(s.phq9),
    gad7: s.gad7 === undefined ? '' : String(s.gad7),
    pcl5: s.pcl5 === undefined ? '' : String(s.pcl5),
  };
}

/**
 * One score field checked as typed: null when empty or valid, else the message naming the instrument
 * and its range ("PHQ-9: must be a whole number 0–27, got 30").
 */
export function scoreFieldProblem(id: ScoreId, text: string): string | null {
  const r = SCORE_RANGES[id];
  const s = text.trim();
  if (s === '') return null;
  const v = numberOrText(s);
  if (typeof v !== 'number') return `${r.name}: must be a whole number ${r.min}–${r.max}, got ${JSON.stringify(text)}`;
  if (!Number.isInteger(v) || v < r.min || v > r.max) return `${r.name}: must be a whole number ${r.min}–${r.max}, got ${v}`;
  return null;
}

/** The draft as scores for `updateScores` (empty = not measured). */
export function draftToScores(d: ScoreDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const id of SCORE_IDS) if (d[id].trim() !== '') out[id] = numberOrText(d[id]);
  return out;
}

// ---- session notes ---------------------------------------------------------------------------

/** Session notes as typed (numbers as text, so a wrong entry can be shown and named). */
export interface NotesDraft {
  readonly sideEffects: readonly SideEffect[];
  readonly sideEffectsText: string;
  readonly intensity: string;
  readonly onset: string;
  readonly lamotrigine: boolean;
  readonly benzodiazepine: boolean;
}

export const notesDraft = (n: SessionNotes): NotesDraft => ({
  sideEffects: n.sideEffects,
  sideEffectsText: n.sideEffectsText ?? '',
  intensity: n.dissociationIntensity === undefined ? '' : String(n.dissociationIntensity),
  onset: n.dissociationOnsetMin === undefined ? '' : String(n.dissociationOnsetMin),
  lamotrigine: n.lamotrigine,
  benzodiazepine: n.benzodiazepine,
});

/** The draft as notes for parseNotes / updateNotes (empty fields omitted; non-numbers kept as text so the check names them). */
export function draftToNotes(d: NotesDraft): Record<string, unknown> {
  return {
    sideEffects: [...d.sideEffects],
    ...(d.sideEffectsText.trim() !== '' && { sideEffectsText: d.sideEffectsText }),
    ...(d.intensity.trim() !== '' && { dissociationIntensity: numberOrText(d.intensity) }),
    ...(d.onset.trim() !== '' && { dissociationOnsetMin: numberOrText(d.onset) }),
    lamotrigine: d.lamotrigine,
    benzodiazepine: d.benzodiazepine,
  };
}

// ---- sessions --------------------------------------------------------------------------------

/** Sessions ordered by their start (planned ones last, by creation). */
export function byStart(sessions: readonly SessionWithLog[]): SessionWithLog[] {
  const key = (s: SessionWithLog) => s.session.startEpochMs ?? Number.MAX_SAFE_INTEGER;
  return [...sessions].sort((a, b) => key(a) - key(b) || a.session.createdAtMs - b.session.createdAtMs);
}

/** The end minute of a session for dose figures: its end when finished, now when running, null when planned. */
export function sessionEndMin(s: SessionWithLog, nowMs: number): number | null {
  if (s.session.status === 'finished') return s.session.endedAtMin;
  if (s.session.status === 'running' && s.session.startEpochMs !== null)
    return Math.max(0, (nowMs - s.session.startEpochMs) / 60000);
  return null;
}

/** A short description of a plan's model for a person ("domino-1984", "custom model"). */
export const modelLabel = (plan: Plan): string =>
  'id' in plan.model ? `${plan.model.id}${plan.model.ke0 !== undefined ? ` (ke0 ${plan.model.ke0} /min)` : ''}` : 'custom model';

/** A course file's download name: the alias made file-safe and the date (UTC), e.g. ketasim-course-K-17-2026-01-05.json. */
export function courseFileName(alias: string, nowMs: number): string {
  const safe = alias.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'patient';
  return `ketasim-course-${safe}-${new Date(nowMs).toISOString().slice(0, 10)}.json`;
}

// ---- calendar axis ---------------------------------------------------------------------------

export const DAY_MS = 24 * 3600 * 1000;

export interface CalendarMark {
  readonly atMs: number;
  /** 0–1 across the axis. */
  readonly x: number;
}
export interface CalendarSpan {
  readonly fromMs: number;
  readonly toMs: number;
  readonly x0: number;
  readonly x1: number;
}
export interface CalendarModel {
  readonly startMs: number;
  readonly endMs: number;
  readonly sessions: readonly (CalendarMark & {
    readonly id: string;
    readonly status: string;
    readonly n: number;
    /** Entered by hand afterwards, not run in Live mode. */
    readonly byHand: boolean;
  })[];
  /** The stabilisation window: first session to first + max weeks. */
  readonly stabilisation: CalendarSpan | null;
  /** When the next maintenance session is due (last + min weeks to last + max weeks). */
  readonly maintenance: (CalendarSpan & { readonly overdue: boolean }) | null;
  readonly today: CalendarMark;
  /** Week ticks (midnight UTC of every 1, 2, 4, 13 or 52 weeks from the axis start, by the span). */
  readonly ticks: readonly CalendarMark[];
}

/**
 * Positions on the calendar axis (0–1) of the sessions, the stabilisation window, the maintenance due
 * window and today, over a span from a few days before the first session to a week after the later of
 * today and the maintenance due date.
 */
export function calendarModel(
  sessions: readonly SessionWithLog[],
  schedule: CourseSchedule,
  settings: CourseSettings,
  nowMs: number,
): CalendarModel {
  const started = byStart(sessions).filter((s) => s.session.startEpochMs !== null);
  const first = started.length ? started[0].session.startEpochMs! : nowMs;
  const stabEnd =
    schedule.stabilisation.startedMs !== null
      ? schedule.stabilisation.startedMs + settings.stabilisationWeeks.max * 7 * DAY_MS
      : null;
  const due = schedule.maintenance;
  const startMs = Math.min(first, nowMs) - 3 * DAY_MS;
  const endMs = Math.max(nowMs, due?.dueByMs ?? 0, stabEnd ?? 0, first) + 7 * DAY_MS;
  const x = (t: number) => (t - startMs) / (endMs - startMs);
  const ticks: CalendarMark[] = [];
  const t0 = Math.ceil(startMs / DAY_MS) * DAY_MS;
  // week ticks: every 1, 2 or 4 weeks, and for a course of years every 13 or 52 weeks (a few dozen ticks at most)
  const spanDays = (endMs - startMs) / DAY_MS;
  const stepDays = spanDays > 8 * 365 ? 364 : spanDays > 2 * 365 ? 91 : spanDays > 120 ? 28 : spanDays > 60 ? 14 : 7;
  for (let t = t0; t <= endMs; t += stepDays * DAY_MS) ticks.push({ atMs: t, x: x(t) });
  return {
    startMs,
    endMs,
    sessions: started.map((s, i) => ({
      id: s.session.id,
      status: s.session.status,
      n: i + 1,
      byHand: s.session.enteredByHand === true,
      atMs: s.session.startEpochMs!,
      x: x(s.session.startEpochMs!),
    })),
    stabilisation:
      schedule.stabilisation.startedMs !== null && stabEnd !== null
        ? { fromMs: schedule.stabilisation.startedMs, toMs: stabEnd, x0: x(schedule.stabilisation.startedMs), x1: x(stabEnd) }
        : null,
    maintenance: due
      ? { fromMs: due.dueFromMs, toMs: due.dueByMs, x0: x(due.dueFromMs), x1: x(due.dueByMs), overdue: due.overdue }
      : null,
    today: { atMs: nowMs, x: x(nowMs) },
    ticks,
  };
}

/**
 * Date formatters made once: `toLocaleDateString` builds a new formatter on every call (about 1 ms each,
 * which made a course of 10,000 sessions spend seconds of main-thread time on dates); `format` of a
 * formatter made once gives the same text in microseconds.
 */
const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const DAY_MONTH_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });
const TIME_FORMAT = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

/** The largest |epoch ms| a Date holds (ECMA-262 TimeClip); beyond it, or not finite, the text is "Invalid Date" as Date gives it. */
const MAX_DATE_MS = 8.64e15;
const formatWith = (f: Intl.DateTimeFormat, ms: number): string =>
  Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? f.format(ms) : 'Invalid Date';

/** A date for the axis and tables: "5 Jan 2026" (the browser's time zone). */
export const dateText = (ms: number): string => formatWith(DATE_FORMAT, ms);

/** A day and month for axis ticks: "5 Jan" (the browser's time zone). */
export const dayMonthText = (ms: number): string => formatWith(DAY_MONTH_FORMAT, ms);

/** A clock time: "09:05" (24-hour, the browser's time zone). */
export const timeText = (ms: number): string => formatWith(TIME_FORMAT, ms);

/** Alias list entry: alias and covariates with units. */
export function patientSummary(p: PatientRecord): string {
  return [
    `${p.weightKg} kg`,
    p.ageYears !== undefined ? `${p.ageYears} y` : null,
    p.sex ?? null,
    p.heightCm !== undefined ? `${p.heightCm} cm` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}
