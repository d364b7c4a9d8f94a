// `CourseStore`: validated CRUD for patients, sessions, live logs, each in one transaction, resolving after commit.
import Dexie from 'dexie';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { parsePlan, type Plan, type Problem } from '../../engine/plan.ts';
import { buildCourse, pumpAt } from '../../engine/live/course.ts';
import {
  correctAction,
  currentActions,
  deleteAction,
  recordAction,
  type ActionPatch,
  type LogEntry,
  type LogResult,
  type SessionLog,
} from '../../engine/live/log.ts';
import { labelProblem } from '../privacy/identifying.ts';
import { openCourseDb, type CourseDb, type LiveEntryRecord, type SessionRecord } from './db.ts';
import {
  EMPTY_NOTES,
  epochMs,
  parseNotes,
  parsePatient,
  parseScores,
  plausibleEpochMs,
  show,
  type PatientRecord,
} from './records.ts';

/**
 * The course store: every read and write of patients, sessions and live logs. Each write validates
 * first (records.ts, parsePlan, the live-log rules of engine/live) and then runs in one dexie
 * transaction, so a refused write changes nothing. Methods resolve only after the transaction has
 * committed: the UI confirms an event to the user only when `recordLiveAction` has resolved with
 * `ok: true` ("nothing is lost"); a rejected promise means nothing was written.
 */

export type Result<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** A session with its live log. */
export interface SessionWithLog {
  readonly session: SessionRecord;
  readonly log: SessionLog;
}

/** What the UI needs to restore a running session after a reload or a crashed tab. */
export interface RunningSession extends SessionWithLog {
  readonly patient: PatientRecord;
  /** The wall-clock start: the session clock is (Date.now() − startEpochMs) / 60000 min. */
  readonly startEpochMs: number;
}

/** Everything in the database, in a stable order (for tests and backups). */
export interface DatabaseDump {
  readonly patients: PatientRecord[];
  readonly sessions: SessionRecord[];
  readonly liveEntries: LiveEntryRecord[];
}

/** A stored record that failed its checks: shown as "unreadable record" with a delete button. */
export interface UnreadableRecord {
  readonly id: string;
  /** What is wrong, field by field. */
  readonly problems: string;
}

/** A patient's sessions, the readable ones and the unreadable ones. */
export interface CheckedSessions {
  readonly sessions: SessionWithLog[];
  readonly unreadable: UnreadableRecord[];
  /** A page was asked for and there may be more (ask again from offset + limit). */
  readonly more: boolean;
}

/** What is wrong with a stored session record (empty: it can be shown). */
export function sessionRecordProblems(r: unknown, nowMs: number): string[] {
  const out: string[] = [];
  if (typeof r !== 'object' || r === null) return ['not an object'];
  const s = r as Record<string, unknown>;
  if (typeof s.id !== 'string') out.push('id: not a string');
  if (typeof s.patientId !== 'string') out.push('patientId: not a string');
  const created: Problem[] = [];
  epochMs(s.createdAtMs, 'createdAtMs', created);
  const plan = parsePlan(s.plan, MODEL_IDS);
  if (!plan.ok) out.push(`plan: ${plan.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  if (s.status !== 'planned' && s.status !== 'running' && s.status !== 'finished') out.push(`status: unknown ${show(s.status)}`);
  if (s.startEpochMs !== null) plausibleEpochMs(s.startEpochMs, 'startEpochMs', nowMs, created);
  if (s.endedAtMin !== null && !(typeof s.endedAtMin === 'number' && Number.isFinite(s.endedAtMin) && s.endedAtMin >= 0))
    out.push(`endedAtMin: must be null or minutes ≥ 0, got ${show(s.endedAtMin)}`);
  for (const p of created) out.push(`${p.path}: ${p.message}`);
  const notes = parseNotes(s.notes);
  if (!notes.ok) out.push(...notes.problems.map((p) => `${p.path}: ${p.message}`));
  const scores = parseScores(s.scores);
  if (!scores.ok) out.push(...scores.problems.map((p) => `${p.path}: ${p.message}`));
  if (s.enteredByHand !== undefined && s.enteredByHand !== true)
    out.push(`enteredByHand: must be true or absent, got ${show(s.enteredByHand)}`);
  return out;
}

const fail = <T>(path: string, message: string): Result<T> => ({ ok: false, problems: [{ path, message }] });

/** Path of the problem that refuses a change based on a log version the caller had not caught up with. */
export const STALE_LOG_PATH = 'basedOn';

/**
 * Refusal of a change made against an out-of-date view of the log (another tab wrote since): `basedOn`
 * is the number of log entries the caller had seen, `current` the number stored.
 */
const staleLog = (basedOn: number, current: number): LogResult => ({
  ok: false,
  problems: [
    {
      path: STALE_LOG_PATH,
      message: `the session changed in another tab or window (${current - basedOn} log ${current - basedOn === 1 ? 'entry' : 'entries'} this view had not seen); nothing was recorded — the view now shows the latest state, check it and act again`,
    },
  ],
});

const stripSessionId = ({ sessionId: _s, ...e }: LiveEntryRecord): LogEntry => e;

export interface CourseStoreOptions {
  /** Id generator (default crypto.randomUUID). */
  readonly newId?: () => string;
}

export class CourseStore {
  readonly db: CourseDb;
  /** The id generator in use (also used by importCourse). */
  readonly newId: () => string;

  constructor(db: CourseDb, options: CourseStoreOptions = {}) {
    this.db = db;
    this.newId = options.newId ?? (() => crypto.randomUUID());
  }

  /** Open the store on the named database (created or upgraded to the current schema). */
  static open(name?: string, options?: CourseStoreOptions): CourseStore {
    return new CourseStore(openCourseDb(name), options);
  }

  close(): void {
    this.db.close();
  }

  // ---- patients -------------------------------------------------------------------------------

  /** Add a patient (alias and covariates only). Refused if a field is invalid or the alias exists. */
  async createPatient(fields: unknown, nowMs: number): Promise<Result<PatientRecord>> {
    const p = parsePatient(fields);
    if (!p.ok) return p;
    const problems: Problem[] = [];
    epochMs(nowMs, 'nowMs', problems);
    if (problems.length) return { ok: false, problems };
    return this.db.transaction('rw', this.db.patients, async () => {
      if (await this.db.patients.where('alias').equals(p.value.alias).count())
        return fail<PatientRecord>('patient.alias', `a patient with the alias ${JSON.stringify(p.value.alias)} already exists`);
      const rec: PatientRecord = { id: this.newId(), createdAtMs: nowMs, ...p.value };
      await this.db.patients.add(rec);
      return { ok: true as const, value: rec };
    });
  }

  /** Replace a patient's fields (same rules as createPatient). */
  async updatePatient(id: string, fields: unknown): Promise<Result<PatientRecord>> {
    const p = parsePatient(fields);
    if (!p.ok) return p;
    return this.db.transaction('rw', this.db.patients, async () => {
      const old = await this.db.patients.get(id);
      if (!old) return fail<PatientRecord>('patientId', `no patient ${JSON.stringify(id)}`);
      const clash = await this.db.patients.where('alias').equals(p.value.alias).first();
      if (clash && clash.id !== id)
        return fail<PatientRecord>('patient.alias', `a patient with the alias ${JSON.stringify(p.value.alias)} already exists`);
      const rec: PatientRecord = { id, createdAtMs: old.createdAtMs, ...p.value };
      await this.db.patients.put(rec);
      return { ok: true as const, value: rec };
    });
  }

  getPatient(id: string): Promise<PatientRecord | undefined> {
    return this.db.patients.get(id);
  }

  /**
   * All patients, by alias. Read from the table itself, not the alias index, so that a stored record whose
   * alias is not a valid key (not indexed by IndexedDB) is still listed — as an unreadable record that can be
   * deleted — instead of being invisible.
   */
  async listPatients(): Promise<PatientRecord[]> {
    const all = await this.db.patients.toArray();
    const key = (p: PatientRecord) => (typeof p?.alias === 'string' ? p.alias : '\uffff');
    return all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  /** Delete a patient with every session and live entry, in one transaction. Refused while a session runs. */
  async deletePatient(id: string): Promise<Result<void>> {
    return this.db.transaction('rw', [this.db.patients, this.db.sessions, this.db.liveEntries], async () => {
      if (!(await this.db.patients.get(id))) return fail<void>('patientId', `no patient ${JSON.stringify(id)}`);
      const sessions = await this.db.sessions.where('patientId').equals(id).toArray();
      const running = sessions.find((s) => s.status === 'running');
      if (running) return fail<void>('patientId', `session ${running.id} is running; finish it before deleting the patient`);
      for (const s of sessions) await this.db.liveEntries.where('sessionId').equals(s.id).delete();
      await this.db.sessions.where('patientId').equals(id).delete();
      await this.db.patients.delete(id);
      return { ok: true as const, value: undefined };
    });
  }

  // ---- sessions -------------------------------------------------------------------------------

  /** Add a planned session for a patient; the plan is validated with parsePlan. */
  async createSession(patientId: string, plan: unknown, nowMs: number): Promise<Result<SessionRecord>> {
    const parsed = parsePlan(plan, MODEL_IDS);
    if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => ({ path: `plan.${p.path}`, message: p.message })) };
    const problems: Problem[] = [];
    epochMs(nowMs, 'nowMs', problems);
    if (problems.length) return { ok: false, problems };
    return this.db.transaction('rw', [this.db.patients, this.db.sessions], async () => {
      if (!(await this.db.patients.get(patientId)))
        return fail<SessionRecord>('patientId', `no patient ${JSON.stringify(patientId)}`);
      const rec: SessionRecord = {
        id: this.newId(),
        patientId,
        createdAtMs: nowMs,
        plan: parsed.plan,
        status: 'planned',
        startEpochMs: null,
        endedAtMin: null,
        notes: EMPTY_NOTES,
        scores: {},
      };
      await this.db.sessions.add(rec);
      return { ok: true as const, value: rec };
    });
  }

  /**
   * Add a session entered by hand afterwards (a paper record, a session at another site): a finished
   * session flagged `enteredByHand`, whose plan's regimen is what was given and whose log is empty (so
   * its dose and peak Ce are the plan's up to `endedAtMin`). Input `{ startEpochMs, endedAtMin, plan,
   * notes, scores }`: the start must be in the plausible window (2000-01-01 to a day from now), the
   * length 0 < min ≤ 1440 with the pump stopped by then, the plan valid with at least one dose event.
   */
  async addSessionByHand(patientId: string, input: unknown, nowMs: number): Promise<Result<SessionRecord>> {
    if (typeof input !== 'object' || input === null)
      return fail('session', 'must be an object { startEpochMs, endedAtMin, plan, notes, scores }');
    const v = input as Record<string, unknown>;
    const problems: Problem[] = [];
    const start = plausibleEpochMs(v.startEpochMs, 'startEpochMs', nowMs, problems);
    const end = v.endedAtMin;
    if (typeof end !== 'number' || !Number.isFinite(end) || end <= 0 || end > 1440)
      problems.push({
        path: 'endedAtMin',
        message: `session length must be a number of minutes > 0 and ≤ 1440, got ${show(end)}`,
      });
    const parsed = parsePlan(v.plan, MODEL_IDS);
    if (!parsed.ok) problems.push(...parsed.problems.map((p) => ({ path: `plan.${p.path}`, message: p.message })));
    else if (parsed.plan.regimen.length === 0)
      problems.push({ path: 'plan.regimen', message: 'say what was given: at least one dose' });
    else if (typeof end === 'number' && Number.isFinite(end) && end > 0) {
      const pump = pumpAt(buildCourse(parsed.plan, []), end);
      if (pump.rateMgPerMin > 0)
        problems.push({
          path: 'endedAtMin',
          message: `the infusion still runs at ${end} min; the session must last until it has ended`,
        });
    }
    // a session's label is typed by hand too: one that looks identifying is refused before it is stored
    const labelWhy = parsed.ok && parsed.plan.label !== undefined ? labelProblem(parsed.plan.label, 'label') : null;
    if (labelWhy) problems.push({ path: 'plan.label', message: labelWhy.replace(/^label: /, '') });
    const notes = parseNotes(v.notes);
    if (!notes.ok) problems.push(...notes.problems);
    const scores = parseScores(v.scores);
    if (!scores.ok) problems.push(...scores.problems);
    epochMs(nowMs, 'nowMs', problems);
    if (problems.length || !parsed.ok || !notes.ok || !scores.ok || start === undefined) return { ok: false, problems };
    return this.db.transaction('rw', [this.db.patients, this.db.sessions], async () => {
      if (!(await this.db.patients.get(patientId)))
        return fail<SessionRecord>('patientId', `no patient ${JSON.stringify(patientId)}`);
      const rec: SessionRecord = {
        id: this.newId(),
        patientId,
        createdAtMs: nowMs,
        plan: parsed.plan,
        status: 'finished',
        startEpochMs: start,
        endedAtMin: end as number,
        notes: notes.value,
        scores: scores.value,
        enteredByHand: true,
      };
      await this.db.sessions.add(rec);
      return { ok: true as const, value: rec };
    });
  }

  /** Replace the plan of a session that has not started. */
  async updateSessionPlan(sessionId: string, plan: unknown): Promise<Result<SessionRecord>> {
    const parsed = parsePlan(plan, MODEL_IDS);
    if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => ({ path: `plan.${p.path}`, message: p.message })) };
    return this.modifySession(sessionId, (s) =>
      s.status !== 'planned'
        ? fail('plan', `session is ${s.status}; the plan of a started session is part of its record and cannot change`)
        : { ok: true, value: { ...s, plan: parsed.plan } },
    );
  }

  /** Replace the notes of a session (validated; see records.ts for the scales). */
  async updateNotes(sessionId: string, notes: unknown): Promise<Result<SessionRecord>> {
    const n = parseNotes(notes);
    if (!n.ok) return n;
    return this.modifySession(sessionId, (s) => ({ ok: true, value: { ...s, notes: n.value } }));
  }

  /** Replace the outcome scores of a session (integers in range per instrument). */
  async updateScores(sessionId: string, scores: unknown): Promise<Result<SessionRecord>> {
    const sc = parseScores(scores);
    if (!sc.ok) return sc;
    return this.modifySession(sessionId, (s) => ({ ok: true, value: { ...s, scores: sc.value } }));
  }

  private modifySession(sessionId: string, f: (s: SessionRecord) => Result<SessionRecord>): Promise<Result<SessionRecord>> {
    return this.db.transaction('rw', this.db.sessions, async () => {
      const s = await this.db.sessions.get(sessionId);
      if (!s) return fail<SessionRecord>('sessionId', `no session ${JSON.stringify(sessionId)}`);
      const r = f(s);
      if (r.ok) await this.db.sessions.put(r.value);
      return r;
    });
  }

  private async readLog(sessionId: string): Promise<SessionLog> {
    const rows = await this.db.liveEntries
      .where('[sessionId+seq]')
      .between([sessionId, Dexie.minKey], [sessionId, Dexie.maxKey])
      .toArray();
    return { entries: rows.map(stripSessionId) };
  }

  /** A session with its live log, or undefined. */
  async getSession(sessionId: string): Promise<SessionWithLog | undefined> {
    return this.db.transaction('r', [this.db.sessions, this.db.liveEntries], async () => {
      const session = await this.db.sessions.get(sessionId);
      if (!session) return undefined;
      return { session, log: await this.readLog(sessionId) };
    });
  }

  /** A patient's sessions, oldest first. */
  listSessions(patientId: string): Promise<SessionRecord[]> {
    return this.db.sessions
      .where('[patientId+createdAtMs]')
      .between([patientId, Dexie.minKey], [patientId, Dexie.maxKey])
      .toArray();
  }

  /** A patient's sessions with their logs, oldest first (for the Course view). */
  async listSessionsWithLogs(patientId: string): Promise<SessionWithLog[]> {
    return this.db.transaction('r', [this.db.sessions, this.db.liveEntries], async () => {
      const sessions = await this.listSessions(patientId);
      const out: SessionWithLog[] = [];
      for (const session of sessions) out.push({ session, log: await this.readLog(session.id) });
      return out;
    });
  }

  /**
   * A patient's sessions checked record by record (for the Course view): each stored session is checked
   * (plan by parsePlan, status, wall-clock start in the plausible window, end minute, notes, scores, and
   * its log's entries as objects); the good ones come back as sessions, oldest first, and every other one
   * as an unreadable record with its problems, so one bad record can never make the view unusable.
   */
  async listSessionsChecked(patientId: string, nowMs: number, offset = 0, limit = Infinity): Promise<CheckedSessions> {
    return this.db.transaction('r', [this.db.sessions, this.db.liveEntries], async () => {
      // by [patientId+createdAtMs] (a page of `limit` records from `offset`), and then any record of this
      // patient that index does not hold (a createdAtMs that is not a valid key) on the first page
      const byDate = this.db.sessions
        .where('[patientId+createdAtMs]')
        .between([patientId, Dexie.minKey], [patientId, Dexie.maxKey])
        .offset(offset);
      const page = (await (Number.isFinite(limit) ? byDate.limit(limit) : byDate).toArray()) as unknown[];
      let raw = page;
      if (offset === 0) {
        const indexed = await this.db.sessions
          .where('[patientId+createdAtMs]')
          .between([patientId, Dexie.minKey], [patientId, Dexie.maxKey])
          .count();
        const all = await this.db.sessions.where('patientId').equals(patientId).count();
        if (all > indexed) {
          const seen = new Set(
            (await this.db.sessions
              .where('[patientId+createdAtMs]')
              .between([patientId, Dexie.minKey], [patientId, Dexie.maxKey])
              .primaryKeys()) as string[],
          );
          const missing = (await this.db.sessions.where('patientId').equals(patientId).toArray()).filter((r) => !seen.has(r.id));
          raw = [...page, ...missing];
        }
      }
      const sessions: SessionWithLog[] = [];
      const unreadable: UnreadableRecord[] = [];
      for (const r of raw) {
        const problems = sessionRecordProblems(r, nowMs);
        const id = typeof (r as { id?: unknown })?.id === 'string' ? (r as { id: string }).id : null;
        if (problems.length === 0 && id !== null) {
          const log = await this.readLog(id);
          const badEntry = log.entries.findIndex((e) => typeof e !== 'object' || e === null || typeof e.action !== 'object');
          if (badEntry < 0) {
            sessions.push({ session: r as SessionRecord, log });
            continue;
          }
          problems.push(`live log entry ${badEntry + 1}: not an action record`);
        }
        if (id !== null) unreadable.push({ id, problems: problems.join('; ') });
      }
      return { sessions, unreadable, more: page.length === limit };
    });
  }

  /** Delete a session that is not running, with its live entries. */
  async deleteSession(sessionId: string): Promise<Result<void>> {
    return this.db.transaction('rw', [this.db.sessions, this.db.liveEntries], async () => {
      const s = await this.db.sessions.get(sessionId);
      if (!s) return fail<void>('sessionId', `no session ${JSON.stringify(sessionId)}`);
      if (s.status === 'running') return fail<void>('sessionId', 'the session is running; finish it first');
      await this.db.liveEntries.where('sessionId').equals(sessionId).delete();
      await this.db.sessions.delete(sessionId);
      return { ok: true as const, value: undefined };
    });
  }

  // ---- live sessions --------------------------------------------------------------------------

  /** Start a planned session at a wall-clock time. At most one session runs at a time. */
  async startSession(sessionId: string, startEpochMs: number): Promise<Result<SessionRecord>> {
    const problems: Problem[] = [];
    plausibleEpochMs(startEpochMs, 'startEpochMs', Date.now(), problems);
    if (problems.length) return { ok: false, problems };
    return this.db.transaction('rw', this.db.sessions, async () => {
      const s = await this.db.sessions.get(sessionId);
      if (!s) return fail<SessionRecord>('sessionId', `no session ${JSON.stringify(sessionId)}`);
      if (s.status !== 'planned')
        return fail<SessionRecord>('sessionId', `session is ${s.status}; only a planned session can start`);
      const other = await this.db.sessions.where('status').equals('running').first();
      if (other) return fail<SessionRecord>('sessionId', `session ${other.id} is already running; finish it first`);
      const rec: SessionRecord = { ...s, status: 'running', startEpochMs };
      await this.db.sessions.put(rec);
      return { ok: true as const, value: rec };
    });
  }

  /**
   * Change the live log of a session in one transaction: read the log, apply the change by the
   * engine's rules, and write the one new entry. Resolves after the commit.
   */
  private changeLog(
    sessionId: string,
    allowFinished: boolean,
    change: (plan: Plan, log: SessionLog) => LogResult,
    basedOn?: number,
  ): Promise<LogResult> {
    return this.db.transaction('rw', [this.db.sessions, this.db.liveEntries], async (): Promise<LogResult> => {
      const s = await this.db.sessions.get(sessionId);
      if (!s) return { ok: false, problems: [{ path: 'sessionId', message: `no session ${JSON.stringify(sessionId)}` }] };
      if (s.status === 'planned' || (s.status === 'finished' && !allowFinished)) {
        return {
          ok: false,
          problems: [
            {
              path: 'sessionId',
              message: `session is ${s.status}; ${s.status === 'planned' ? 'start it first' : 'a finished session takes corrections only'}`,
            },
          ],
        };
      }
      const log = await this.readLog(sessionId);
      if (basedOn !== undefined && basedOn !== log.entries.length) return staleLog(basedOn, log.entries.length);
      const r = change(s.plan, log);
      if (r.ok) await this.db.liveEntries.add({ ...r.entry, sessionId });
      return r;
    });
  }

  /**
   * Record a live action (validated and checked for consistency by engine/live/log.ts). `recordedAtMin`
   * is the session clock now, (Date.now() − startEpochMs) / 60000. Confirm the action to the user
   * only after this resolves with `ok: true`: the entry is then committed.
   */
  recordLiveAction(sessionId: string, action: unknown, recordedAtMin: number, basedOn?: number): Promise<LogResult> {
    return this.changeLog(sessionId, false, (plan, log) => recordAction(plan, log, action, recordedAtMin), basedOn);
  }

  /** Correct a live event (a new version; running or finished sessions). */
  correctLiveAction(
    sessionId: string,
    eventId: string,
    patch: ActionPatch,
    recordedAtMin: number,
    reason?: string,
    basedOn?: number,
  ): Promise<LogResult> {
    return this.changeLog(
      sessionId,
      true,
      (plan, log) => correctAction(plan, log, eventId, patch, recordedAtMin, reason),
      basedOn,
    );
  }

  /** Delete a live event (a final version; running or finished sessions). */
  deleteLiveAction(
    sessionId: string,
    eventId: string,
    recordedAtMin: number,
    reason?: string,
    basedOn?: number,
  ): Promise<LogResult> {
    return this.changeLog(sessionId, true, (plan, log) => deleteAction(plan, log, eventId, recordedAtMin, reason), basedOn);
  }

  /**
   * Finish a running session at session minute `endedAtMin`. Refused while the pump still runs at that
   * minute (record a stop first), or before the last recorded action.
   */
  async finishSession(sessionId: string, endedAtMin: number): Promise<Result<SessionRecord>> {
    if (typeof endedAtMin !== 'number' || !Number.isFinite(endedAtMin) || endedAtMin < 0)
      return fail('endedAtMin', `must be a finite number ≥ 0 (session minutes), got ${String(endedAtMin)}`);
    return this.db.transaction('rw', [this.db.sessions, this.db.liveEntries], async () => {
      const s = await this.db.sessions.get(sessionId);
      if (!s) return fail<SessionRecord>('sessionId', `no session ${JSON.stringify(sessionId)}`);
      if (s.status !== 'running')
        return fail<SessionRecord>('sessionId', `session is ${s.status}; only a running session can finish`);
      const actions = currentActions(await this.readLog(sessionId));
      const last = actions.length ? actions[actions.length - 1].action.atMin : 0;
      if (endedAtMin < last)
        return fail<SessionRecord>('endedAtMin', `${endedAtMin} min is before the last recorded action (${last} min)`);
      const pump = pumpAt(buildCourse(s.plan, actions), endedAtMin);
      if (pump.rateMgPerMin > 0)
        return fail<SessionRecord>(
          'endedAtMin',
          `the pump still runs at ${endedAtMin} min (${pump.rate} ${pump.unit}); record a stop first`,
        );
      const rec: SessionRecord = { ...s, status: 'finished', endedAtMin };
      await this.db.sessions.put(rec);
      return { ok: true as const, value: rec };
    });
  }

  /**
   * The running session, if any, with its patient, its complete log and its wall-clock start, so the UI
   * can restore the right clock after a reload or a crashed tab. Null when no session runs.
   */
  async resumeRunningSession(): Promise<RunningSession | null> {
    return this.db.transaction('r', [this.db.patients, this.db.sessions, this.db.liveEntries], async () => {
      const session = await this.db.sessions.where('status').equals('running').first();
      if (!session || session.startEpochMs === null) return null;
      const patient = await this.db.patients.get(session.patientId);
      if (!patient) return null;
      return { session, patient, log: await this.readLog(session.id), startEpochMs: session.startEpochMs };
    });
  }

  // ---- whole database -------------------------------------------------------------------------

  /** Every record, in a stable order. */
  async dump(): Promise<DatabaseDump> {
    return this.db.transaction('r', [this.db.patients, this.db.sessions, this.db.liveEntries], async () => ({
      patients: await this.db.patients.orderBy('id').toArray(),
      sessions: await this.db.sessions.orderBy('id').toArray(),
      liveEntries: await this.db.liveEntries.orderBy('[sessionId+seq]').toArray(),
    }));
  }
}

/** Session minutes between a session's wall-clock start and a wall-clock time, both epoch ms. */
export const sessionMinutes = (startEpochMs: number, nowEpochMs: number): number => (nowEpochMs - startEpochMs) / 60000;
