// Append-only versioned session log: `recordAction`, `correctAction`, `deleteAction`, `parseSessionLog` replay validation, `emptyLog`.
import { show } from '../describe.ts';
import { unitProblem, type DoseUnit, type RateUnit } from '../units.ts';
import type { Plan, Problem } from '../plan.ts';
import { buildCourse } from './course.ts';

/**
 * The live-session log: what the clinician records while a session runs, as an append-only list of
 * immutable entries. Times are minutes from the session start, computed by the caller from the wall
 * clock as (Date.now() − startEpochMs) / 60000, so a laptop that sleeps never drifts: the engine has
 * no clock of its own.
 *
 * An *event* (one pause, one bolus, …) has a stable id (`e1`, `e2`, … in order of first recording) and
 * one or more *versions*: the original record, then corrections (a new time or value) and possibly a
 * deletion. Nothing is ever overwritten; the effective log is the latest version of every event that
 * is not deleted, so the whole history stays auditable (`eventHistory`).
 *
 * What the actions mean for the pump is defined in course.ts (`buildCourse`).
 */

/** Pump paused: rate 0 until a resume, a rate change or a resume of the plan. */
export interface PauseAction {
  readonly kind: 'pause';
  readonly atMin: number;
}
/** Back to the last non-zero rate given (planned or recorded), which then runs until changed. */
export interface ResumeAction {
  readonly kind: 'resume';
  readonly atMin: number;
}
/** Follow the plan again from this minute: its rate at this minute, then its later events on schedule. */
export interface ResumePlanAction {
  readonly kind: 'resume-plan';
  readonly atMin: number;
}
/** Pump set to a new rate (≥ 0), which runs until changed. */
export interface RateAction {
  readonly kind: 'rate';
  readonly atMin: number;
  readonly rate: number;
  readonly unit: RateUnit;
}
/** A bolus given by hand (> 0). It does not change the pump. */
export interface BolusAction {
  readonly kind: 'bolus';
  readonly atMin: number;
  readonly amount: number;
  readonly unit: DoseUnit;
}
/** A stopped infusion started again at a rate (> 0), which runs until changed; only after a stop. */
export interface RestartAction {
  readonly kind: 'restart';
  readonly atMin: number;
  readonly rate: number;
  readonly unit: RateUnit;
}
/** All infusion ends; nothing but a restart may be recorded after a stop. */
export interface StopAction {
  readonly kind: 'stop';
  readonly atMin: number;
}
export type LiveAction = PauseAction | ResumeAction | ResumePlanAction | RateAction | BolusAction | StopAction | RestartAction;
export type LiveActionKind = LiveAction['kind'];
export const LIVE_ACTION_KINDS: readonly LiveActionKind[] = [
  'pause',
  'resume',
  'resume-plan',
  'rate',
  'bolus',
  'stop',
  'restart',
];

/** One immutable entry of the log: one version of one event. */
export interface LogEntry {
  /** Position in the log: 0, 1, 2, … in the order entries were written. */
  readonly seq: number;
  /** The event this entry is a version of: `e1`, `e2`, … numbered in order of first recording. */
  readonly eventId: string;
  /** 1 for the original record, then 2, 3, … for each correction or the deletion. */
  readonly version: number;
  readonly change: 'record' | 'correct' | 'delete';
  /** Session minute at which the entry was written (the caller's clock). */
  readonly recordedAtMin: number;
  /** The action as of this version; null for a deletion. */
  readonly action: LiveAction | null;
  /** Why a correction or deletion was made (optional, free text, never a person's name). */
  readonly reason?: string;
}

/** The log of one session: entries in `seq` order. */
export interface SessionLog {
  readonly entries: readonly LogEntry[];
}

/** An event as it stands now: its latest version. */
export interface CurrentAction {
  readonly eventId: string;
  /** `seq` of the original record: the tie-break between events at the same minute. */
  readonly firstSeq: number;
  readonly version: number;
  readonly action: LiveAction;
}

export type LogResult = { ok: true; log: SessionLog; entry: LogEntry } | { ok: false; problems: Problem[] };

/** Longest `reason` accepted, characters. */
export const MAX_REASON_LENGTH = 500;

export const emptyLog = (): SessionLog => ({ entries: [] });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const FIELDS: Record<LiveActionKind, readonly string[]> = {
  pause: ['kind', 'atMin'],
  resume: ['kind', 'atMin'],
  'resume-plan': ['kind', 'atMin'],
  rate: ['kind', 'atMin', 'rate', 'unit'],
  bolus: ['kind', 'atMin', 'amount', 'unit'],
  stop: ['kind', 'atMin'],
  restart: ['kind', 'atMin', 'rate', 'unit'],
};

/**
 * Validate an action from untyped input (a form, a stored record, an imported file). Returns the typed
 * action or every problem, each naming its field under `path`. Unknown fields are problems.
 */
export function parseLiveAction(
  v: unknown,
  path = 'action',
): { ok: true; action: LiveAction } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const fail = (p: string, message: string) => problems.push({ path: p, message });
  if (!isObject(v)) {
    fail(path, `must be an object { kind, atMin, … }, got ${show(v)}`);
    return { ok: false, problems };
  }
  const kind = v.kind;
  if (typeof kind !== 'string' || !(LIVE_ACTION_KINDS as readonly string[]).includes(kind)) {
    fail(`${path}.kind`, `must be one of ${LIVE_ACTION_KINDS.join(', ')}, got ${show(kind)}`);
    return { ok: false, problems };
  }
  const k = kind as LiveActionKind;
  for (const key of Object.keys(v)) {
    if (!FIELDS[k].includes(key)) fail(`${path}.${key}`, `unknown field of a ${k} action; expected ${FIELDS[k].join(', ')}`);
  }
  const atMin = v.atMin;
  if (typeof atMin !== 'number' || !Number.isFinite(atMin) || atMin < 0)
    fail(`${path}.atMin`, `must be a finite number ≥ 0 (minutes from the session start), got ${show(atMin)}`);
  if (k === 'rate' || k === 'restart') {
    if (typeof v.rate !== 'number' || !Number.isFinite(v.rate) || v.rate < 0 || (k === 'restart' && v.rate === 0))
      fail(`${path}.rate`, `must be a finite number ${k === 'restart' ? '> 0' : '≥ 0'}, got ${show(v.rate)}`);
    const unitWrong = unitProblem('rate', v.unit, 'a rate');
    if (unitWrong !== null) fail(`${path}.unit`, unitWrong);
  }
  if (k === 'bolus') {
    if (typeof v.amount !== 'number' || !Number.isFinite(v.amount) || !(v.amount > 0))
      fail(`${path}.amount`, `must be a finite number > 0, got ${show(v.amount)}`);
    const unitWrong = unitProblem('dose', v.unit, 'a bolus');
    if (unitWrong !== null) fail(`${path}.unit`, unitWrong);
  }
  if (problems.length > 0) return { ok: false, problems };
  const at = atMin as number;
  switch (k) {
    case 'rate':
    case 'restart':
      return { ok: true, action: { kind: k, atMin: at, rate: v.rate as number, unit: v.unit as RateUnit } };
    case 'bolus':
      return { ok: true, action: { kind: 'bolus', atMin: at, amount: v.amount as number, unit: v.unit as DoseUnit } };
    default:
      return { ok: true, action: { kind: k, atMin: at } as LiveAction };
  }
}

/** The effective actions: the latest version of every event not deleted, in time order (ties: order of first recording). */
export function currentActions(log: SessionLog): CurrentAction[] {
  const byId = new Map<string, { firstSeq: number; version: number; action: LiveAction | null }>();
  for (const e of log.entries) {
    const cur = byId.get(e.eventId);
    if (!cur) byId.set(e.eventId, { firstSeq: e.seq, version: e.version, action: e.action });
    else {
      cur.version = e.version;
      cur.action = e.action;
    }
  }
  const out: CurrentAction[] = [];
  for (const [eventId, v] of byId)
    if (v.action) out.push({ eventId, firstSeq: v.firstSeq, version: v.version, action: v.action });
  out.sort((a, b) => a.action.atMin - b.action.atMin || a.firstSeq - b.firstSeq);
  return out;
}

/** Every version of one event, oldest first (empty for an unknown id). */
export function eventHistory(log: SessionLog, eventId: string): LogEntry[] {
  return log.entries.filter((e) => e.eventId === eventId);
}

function checkRecordedAt(recordedAtMin: number, problems: Problem[]): void {
  if (typeof recordedAtMin !== 'number' || !Number.isFinite(recordedAtMin)) {
    problems.push({ path: 'recordedAtMin', message: `must be a finite number (session minutes), got ${show(recordedAtMin)}` });
  }
}
function checkReason(reason: string | undefined, problems: Problem[]): void {
  if (reason === undefined) return;
  if (typeof reason !== 'string') problems.push({ path: 'reason', message: `must be a string, got ${show(reason)}` });
  else if (reason.length > MAX_REASON_LENGTH)
    problems.push({ path: 'reason', message: `must be at most ${MAX_REASON_LENGTH} characters, got ${reason.length}` });
}
function notInFuture(action: LiveAction, recordedAtMin: number, problems: Problem[]): void {
  if (action.atMin > recordedAtMin) {
    problems.push({
      path: 'action.atMin',
      message: `${action.atMin} min is after the time of recording (${recordedAtMin} min); an action is recorded when it has happened`,
    });
  }
}

/** Append an entry if the resulting effective log is consistent with the plan (see course.ts). */
function append(plan: Plan, log: SessionLog, entry: Omit<LogEntry, 'seq'>): LogResult {
  const full: LogEntry = { seq: log.entries.length, ...entry };
  const next: SessionLog = { entries: [...log.entries, full] };
  const course = buildCourse(plan, currentActions(next));
  if (course.problems.length > 0) return { ok: false, problems: [...course.problems] };
  return { ok: true, log: next, entry: full };
}

/**
 * Record a new action. Refused (with the problems, the log unchanged) when a field is invalid, when the
 * action lies after `recordedAtMin`, or when the log would become inconsistent: an action after a
 * stop, or a resume with no earlier non-zero rate to go back to.
 */
export function recordAction(plan: Plan, log: SessionLog, action: unknown, recordedAtMin: number): LogResult {
  const problems: Problem[] = [];
  checkRecordedAt(recordedAtMin, problems);
  const parsed = parseLiveAction(action);
  if (!parsed.ok) problems.push(...parsed.problems);
  else if (problems.length === 0) notInFuture(parsed.action, recordedAtMin, problems);
  if (problems.length > 0 || !parsed.ok) return { ok: false, problems };
  const ids = new Set(log.entries.map((e) => e.eventId));
  const eventId = `e${ids.size + 1}`;
  return append(plan, log, { eventId, version: 1, change: 'record', recordedAtMin, action: parsed.action });
}

function latest(log: SessionLog, eventId: string): LogEntry | undefined {
  let last: LogEntry | undefined;
  for (const e of log.entries) if (e.eventId === eventId) last = e;
  return last;
}

/** What a correction may change: the time and, for a rate or a bolus, the value and unit. */
export interface ActionPatch {
  readonly atMin?: number;
  readonly rate?: number;
  readonly amount?: number;
  readonly unit?: string;
}

/**
 * Correct an event: a new version with the patched time or value. The kind cannot change (delete the
 * event and record a new one instead). Refused, the log unchanged, for an unknown or deleted event,
 * an invalid value, a time after `recordedAtMin`, or an inconsistent result.
 */
export function correctAction(
  plan: Plan,
  log: SessionLog,
  eventId: string,
  patch: ActionPatch,
  recordedAtMin: number,
  reason?: string,
): LogResult {
  const problems: Problem[] = [];
  checkRecordedAt(recordedAtMin, problems);
  checkReason(reason, problems);
  const last = latest(log, eventId);
  if (!last) problems.push({ path: 'eventId', message: `no event ${show(eventId)} in this log` });
  else if (last.action === null)
    problems.push({ path: 'eventId', message: `event ${eventId} was deleted; record a new event instead` });
  if (!isObject(patch))
    problems.push({ path: 'patch', message: `must be an object with atMin, rate, amount or unit, got ${show(patch)}` });
  if (problems.length > 0) return { ok: false, problems };
  const prev = last!.action!;
  const allowed = FIELDS[prev.kind].filter((f) => f !== 'kind');
  for (const key of Object.keys(patch)) {
    if (!allowed.includes(key))
      problems.push({
        path: `patch.${key}`,
        message: `a ${prev.kind} event has no ${key}; a correction may change ${allowed.join(', ')} (to change the kind, delete the event and record a new one)`,
      });
  }
  if (Object.keys(patch).length === 0)
    problems.push({ path: 'patch', message: 'nothing to correct: give atMin, rate, amount or unit' });
  if (problems.length > 0) return { ok: false, problems };
  const parsed = parseLiveAction({ ...prev, ...patch });
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  notInFuture(parsed.action, recordedAtMin, problems);
  if (problems.length > 0) return { ok: false, problems };
  return append(plan, log, {
    eventId,
    version: last!.version + 1,
    change: 'correct',
    recordedAtMin,
    action: parsed.action,
    ...(reason !== undefined && { reason }),
  });
}

/** Delete an event: a final version with no action. Refused when the rest would be inconsistent. */
export function deleteAction(plan: Plan, log: SessionLog, eventId: string, recordedAtMin: number, reason?: string): LogResult {
  const problems: Problem[] = [];
  checkRecordedAt(recordedAtMin, problems);
  checkReason(reason, problems);
  const last = latest(log, eventId);
  if (!last) problems.push({ path: 'eventId', message: `no event ${show(eventId)} in this log` });
  else if (last.action === null) problems.push({ path: 'eventId', message: `event ${eventId} is already deleted` });
  if (problems.length > 0) return { ok: false, problems };
  return append(plan, log, {
    eventId,
    version: last!.version + 1,
    change: 'delete',
    recordedAtMin,
    action: null,
    ...(reason !== undefined && { reason }),
  });
}

const ENTRY_FIELDS = ['seq', 'eventId', 'version', 'change', 'recordedAtMin', 'action', 'reason'];

/**
 * Validate a whole log from untyped input (storage, an imported file) by replaying it: each entry must
 * be exactly what `recordAction`, `correctAction` or `deleteAction` would have written at that point
 * (consecutive `seq`, ids in order of first recording, consecutive versions, a correction that keeps
 * the kind, nothing after a deletion, no time after its recording, a consistent log after every
 * step). Problems name the entry, e.g. `log[3].action.rate`.
 */
export function parseSessionLog(
  plan: Plan,
  input: unknown,
  path = 'log',
): { ok: true; log: SessionLog } | { ok: false; problems: Problem[] } {
  if (!Array.isArray(input))
    return { ok: false, problems: [{ path, message: `must be a list of log entries, got ${show(input)}` }] };
  let log = emptyLog();
  const problems: Problem[] = [];
  const prefix = (ps: readonly Problem[], p: string) => ps.map((x) => ({ path: `${p}.${x.path}`, message: x.message }));
  for (let i = 0; i < input.length; i++) {
    const p = `${path}[${i}]`;
    const e = input[i];
    if (!isObject(e)) {
      problems.push({ path: p, message: `must be a log entry object, got ${show(e)}` });
      break;
    }
    const before = problems.length;
    for (const key of Object.keys(e))
      if (!ENTRY_FIELDS.includes(key))
        problems.push({ path: `${p}.${key}`, message: `unknown field of a log entry; expected ${ENTRY_FIELDS.join(', ')}` });
    if (e.seq !== i)
      problems.push({
        path: `${p}.seq`,
        message: `must be ${i} (entries are numbered consecutively from 0), got ${show(e.seq)}`,
      });
    if (e.reason !== undefined && e.change === 'record')
      problems.push({ path: `${p}.reason`, message: 'only a correction or a deletion carries a reason' });
    if (problems.length > before) break;
    let r: LogResult;
    const recordedAtMin = e.recordedAtMin as number;
    const reason = e.reason as string | undefined;
    if (e.change === 'record') {
      const expectedId = `e${new Set(log.entries.map((x) => x.eventId)).size + 1}`;
      if (e.eventId !== expectedId) {
        problems.push({
          path: `${p}.eventId`,
          message: `a new event here must be ${expectedId} (ids follow the order of first recording), got ${show(e.eventId)}`,
        });
        break;
      }
      if (e.version !== 1) {
        problems.push({ path: `${p}.version`, message: `must be 1 for a record, got ${show(e.version)}` });
        break;
      }
      r = recordAction(plan, log, e.action, recordedAtMin);
    } else if (e.change === 'correct' || e.change === 'delete') {
      const last = typeof e.eventId === 'string' ? latest(log, e.eventId) : undefined;
      if (!last) {
        problems.push({ path: `${p}.eventId`, message: `no earlier record of event ${show(e.eventId)}` });
        break;
      }
      if (e.version !== last.version + 1) {
        problems.push({
          path: `${p}.version`,
          message: `must be ${last.version + 1} (the next version of ${last.eventId}), got ${show(e.version)}`,
        });
        break;
      }
      if (e.change === 'delete') {
        if (e.action !== null) {
          problems.push({ path: `${p}.action`, message: `must be null for a deletion, got ${show(e.action)}` });
          break;
        }
        r = deleteAction(plan, log, last.eventId, recordedAtMin, reason);
      } else {
        const parsed = parseLiveAction(e.action, 'action');
        if (!parsed.ok) {
          problems.push(...prefix(parsed.problems, p));
          break;
        }
        if (last.action && parsed.action.kind !== last.action.kind) {
          problems.push({
            path: `${p}.action.kind`,
            message: `a correction keeps the kind (${last.action.kind}), got ${parsed.action.kind}`,
          });
          break;
        }
        const { kind: _kind, ...patch } = parsed.action as LiveAction & Record<string, unknown>;
        r = correctAction(plan, log, last.eventId, patch as ActionPatch, recordedAtMin, reason);
      }
    } else {
      problems.push({ path: `${p}.change`, message: `must be record, correct or delete, got ${show(e.change)}` });
      break;
    }
    if (!r.ok) {
      problems.push(...prefix(r.problems, p));
      break;
    }
    log = r.log;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, log };
}
