// `exportCourse`/`parseCourseFile`/`importCourse`: versioned `ketasim-course` JSON, all-or-nothing import.
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { parsePlan, type Plan, type Problem } from '../../engine/plan.ts';
import { buildCourse, pumpAt } from '../../engine/live/course.ts';
import { currentActions, parseSessionLog, type LogEntry } from '../../engine/live/log.ts';
import type { LiveEntryRecord, SessionRecord } from './db.ts';
import {
  epochMs,
  plausibleEpochMs,
  onlyFields,
  parseNotes,
  parsePatient,
  parseScores,
  show,
  type PatientFields,
  type PatientRecord,
  type SessionNotes,
  type SessionScores,
  type SessionStatus,
} from './records.ts';
import type { CourseStore, Result } from './store.ts';

/**
 * The course file: one patient's whole course as JSON, for export and import.
 *
 * ```json
 * {
 *   "format": "ketasim-course",
 *   "formatVersion": 1,
 *   "exportedAtMs": 1767225600000,
 *   "patient": { "alias": "K-17", "weightKg": 70, "ageYears": 40, "sex": "female", "heightCm": 168 },
 *   "sessions": [
 *     {
 *       "createdAtMs": 1767000000000,
 *       "status": "finished",                 // "planned" | "running" | "finished"
 *       "startEpochMs": 1767003600000,        // null while planned
 *       "endedAtMin": 52.5,                   // session minutes; null unless finished
 *       "plan": { … docs/PLAN-FORMAT.md … },
 *       "notes": { "sideEffects": ["nausea"], "dissociationIntensity": 6, "dissociationOnsetMin": 14,
 *                  "lamotrigine": false, "benzodiazepine": true },
 *       "scores": { "phq9": 14, "gad7": 9, "pcl5": 31 },
 *       "log": [ { "seq": 0, "eventId": "e1", "version": 1, "change": "record", "recordedAtMin": 10.2,
 *                  "action": { "kind": "pause", "atMin": 10.2 } } ],
 *       "enteredByHand": true                 // optional: entered by hand afterwards (finished, empty log)
 *     }
 *   ]
 * }
 * ```
 *
 * - `format` and `formatVersion` are checked first; a later version is refused, not guessed at.
 * - The patient is an alias with covariates only (records.ts); internal ids are not exported, and an
 *   import assigns new ones.
 * - Sessions are in the order they were created; `log` is the full, versioned live log (corrections and
 *   deletions included), replayed on import by the engine's rules (engine/live/log.ts).
 * - The file holds session dates and times: treat it as confidential clinical data.
 *
 * Import validates everything before writing anything and writes in one transaction, so a malformed
 * file changes nothing; every problem names its field (`sessions[1].scores.phq9`).
 */
export const COURSE_FORMAT = 'ketasim-course';
export const COURSE_FORMAT_VERSION = 1;

export interface CourseFileSession {
  readonly createdAtMs: number;
  readonly status: SessionStatus;
  readonly startEpochMs: number | null;
  readonly endedAtMin: number | null;
  readonly plan: Plan;
  readonly notes: SessionNotes;
  readonly scores: SessionScores;
  readonly log: readonly LogEntry[];
  /** true when the session was entered by hand afterwards (absent otherwise). */
  readonly enteredByHand?: true;
}

export interface CourseFile {
  readonly format: typeof COURSE_FORMAT;
  readonly formatVersion: typeof COURSE_FORMAT_VERSION;
  readonly exportedAtMs: number;
  readonly patient: PatientFields;
  readonly sessions: readonly CourseFileSession[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const prefixed = (ps: readonly Problem[], p: string): Problem[] =>
  ps.map((x) => ({ path: `${p}.${x.path}`, message: x.message }));

/** One patient's course as a course file. */
export async function exportCourse(store: CourseStore, patientId: string, nowMs: number): Promise<Result<CourseFile>> {
  const patient = await store.getPatient(patientId);
  if (!patient) return { ok: false, problems: [{ path: 'patientId', message: `no patient ${JSON.stringify(patientId)}` }] };
  const { id: _id, createdAtMs: _c, ...fields } = patient;
  const sessions = await store.listSessionsWithLogs(patientId);
  return {
    ok: true,
    value: {
      format: COURSE_FORMAT,
      formatVersion: COURSE_FORMAT_VERSION,
      exportedAtMs: nowMs,
      patient: fields,
      sessions: sessions.map(({ session: s, log }) => ({
        createdAtMs: s.createdAtMs,
        status: s.status,
        startEpochMs: s.startEpochMs,
        endedAtMin: s.endedAtMin,
        plan: s.plan,
        notes: s.notes,
        scores: s.scores,
        log: log.entries,
        ...(s.enteredByHand === true && { enteredByHand: true as const }),
      })),
    },
  };
}

const FILE_FIELDS = ['format', 'formatVersion', 'exportedAtMs', 'patient', 'sessions'];
const SESSION_FIELDS = ['createdAtMs', 'status', 'startEpochMs', 'endedAtMin', 'plan', 'notes', 'scores', 'log', 'enteredByHand'];

/**
 * Validate a course file completely (no database access): the envelope, the patient, and for every
 * session its plan (parsePlan), status and times, notes, scores and live log (replayed). Returns the
 * typed file or every problem found.
 */
export function parseCourseFile(input: unknown, nowMs: number = Date.now()): Result<CourseFile> {
  const problems: Problem[] = [];
  if (!isObject(input))
    return {
      ok: false,
      problems: [
        {
          path: 'file',
          message: `must be a JSON object { format: "${COURSE_FORMAT}", formatVersion, patient, sessions }, got ${show(input)}`,
        },
      ],
    };
  if (input.format !== COURSE_FORMAT)
    return {
      ok: false,
      problems: [
        { path: 'format', message: `must be "${COURSE_FORMAT}", got ${show(input.format)}; this is not a KetaSim course file` },
      ],
    };
  if (input.formatVersion !== COURSE_FORMAT_VERSION) {
    return {
      ok: false,
      problems: [
        {
          path: 'formatVersion',
          message: `this version of KetaSim reads course files of version ${COURSE_FORMAT_VERSION}, got ${show(input.formatVersion)}`,
        },
      ],
    };
  }
  onlyFields(input, 'file', FILE_FIELDS, problems);
  const exportedAtMs = epochMs(input.exportedAtMs, 'exportedAtMs', problems);
  const patient = parsePatient(input.patient);
  if (!patient.ok) problems.push(...patient.problems);
  const sessions: CourseFileSession[] = [];
  if (!Array.isArray(input.sessions))
    problems.push({ path: 'sessions', message: `must be a list of sessions, got ${show(input.sessions)}` });
  else {
    let running = 0;
    input.sessions.forEach((s, i) => {
      const p = `sessions[${i}]`;
      if (!isObject(s)) {
        problems.push({ path: p, message: `must be a session object, got ${show(s)}` });
        return;
      }
      const before = problems.length;
      onlyFields(s, p, SESSION_FIELDS, problems);
      const createdAtMs = plausibleEpochMs(s.createdAtMs, `${p}.createdAtMs`, nowMs, problems);
      const plan = parsePlan(s.plan, MODEL_IDS);
      if (!plan.ok) problems.push(...prefixed(plan.problems, `${p}.plan`));
      const notes = parseNotes(s.notes, `${p}.notes`);
      if (!notes.ok) problems.push(...notes.problems);
      const scores = parseScores(s.scores, `${p}.scores`);
      if (!scores.ok) problems.push(...scores.problems);
      const status = s.status;
      const validStatus = status === 'planned' || status === 'running' || status === 'finished';
      if (!validStatus)
        problems.push({ path: `${p}.status`, message: `must be planned, running or finished, got ${show(status)}` });
      if (status === 'running') running++;
      let startEpochMs: number | null = null;
      let endedAtMin: number | null = null;
      if (validStatus) {
        if (status === 'planned') {
          if (s.startEpochMs !== null)
            problems.push({
              path: `${p}.startEpochMs`,
              message: `must be null for a planned session, got ${show(s.startEpochMs)}`,
            });
        } else startEpochMs = plausibleEpochMs(s.startEpochMs, `${p}.startEpochMs`, nowMs, problems) ?? null;
        if (status === 'finished') {
          if (typeof s.endedAtMin !== 'number' || !Number.isFinite(s.endedAtMin) || s.endedAtMin < 0)
            problems.push({
              path: `${p}.endedAtMin`,
              message: `must be a finite number ≥ 0 for a finished session, got ${show(s.endedAtMin)}`,
            });
          else endedAtMin = s.endedAtMin;
        } else if (s.endedAtMin !== null)
          problems.push({
            path: `${p}.endedAtMin`,
            message: `must be null unless the session is finished, got ${show(s.endedAtMin)}`,
          });
      }
      if (s.enteredByHand !== undefined && (s.enteredByHand !== true || status !== 'finished'))
        problems.push({
          path: `${p}.enteredByHand`,
          message: `must be true (on a finished session) or absent, got ${show(s.enteredByHand)}`,
        });
      let log: readonly LogEntry[] = [];
      if (!plan.ok && !Array.isArray(s.log))
        problems.push({ path: `${p}.log`, message: `must be a list of log entries, got ${show(s.log)}` });
      if (plan.ok) {
        const parsed = parseSessionLog(plan.plan, s.log, `${p}.log`);
        if (!parsed.ok) problems.push(...parsed.problems);
        else {
          log = parsed.log.entries;
          if (status === 'planned' && log.length > 0)
            problems.push({ path: `${p}.log`, message: `a planned session has no live log, got ${log.length} entries` });
          if (status === 'finished' && endedAtMin !== null) {
            const actions = currentActions(parsed.log);
            const last = actions.length ? actions[actions.length - 1].action.atMin : 0;
            if (endedAtMin < last)
              problems.push({
                path: `${p}.endedAtMin`,
                message: `${endedAtMin} min is before the last recorded action (${last} min)`,
              });
            else if (pumpAt(buildCourse(plan.plan, actions), endedAtMin).rateMgPerMin > 0)
              problems.push({
                path: `${p}.endedAtMin`,
                message: `the pump still runs at ${endedAtMin} min in this log; a finished session ends with the pump stopped`,
              });
          }
        }
      }
      if (problems.length === before && plan.ok && notes.ok && scores.ok) {
        sessions.push({
          createdAtMs: createdAtMs!,
          status: status as SessionStatus,
          startEpochMs,
          endedAtMin,
          plan: plan.plan,
          notes: notes.value,
          scores: scores.value,
          log,
          ...(s.enteredByHand === true && { enteredByHand: true as const }),
        });
      }
    });
    if (running > 1) problems.push({ path: 'sessions', message: `at most one session can be running, got ${running}` });
  }
  if (problems.length > 0 || !patient.ok) return { ok: false, problems };
  return {
    ok: true,
    value: {
      format: COURSE_FORMAT,
      formatVersion: COURSE_FORMAT_VERSION,
      exportedAtMs: exportedAtMs!,
      patient: patient.value,
      sessions,
    },
  };
}

export interface ImportOptions {
  /** Import under this alias instead of the file's (e.g. when the alias is taken). */
  readonly alias?: string;
}

/**
 * Import a course file (parsed JSON or its text) as a new patient. Everything is validated first
 * (`parseCourseFile`, then the alias and running-session checks against the database); only then is it
 * written, in one transaction. On any problem nothing is written. Returns the new patient.
 */
export async function importCourse(
  store: CourseStore,
  input: unknown,
  nowMs: number,
  options: ImportOptions = {},
): Promise<Result<PatientRecord>> {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (e) {
      return { ok: false, problems: [{ path: 'file', message: `not valid JSON: ${(e as Error).message}` }] };
    }
  }
  if (options.alias !== undefined && isObject(json) && isObject(json.patient))
    json = { ...json, patient: { ...json.patient, alias: options.alias } };
  const parsed = parseCourseFile(json, typeof nowMs === 'number' && Number.isFinite(nowMs) ? nowMs : Date.now());
  if (!parsed.ok) return parsed;
  const problems: Problem[] = [];
  epochMs(nowMs, 'nowMs', problems);
  if (problems.length) return { ok: false, problems };
  const file = parsed.value;
  const db = store.db;
  const ids = { patient: store.newId(), sessions: file.sessions.map(() => store.newId()) };
  return db.transaction('rw', [db.patients, db.sessions, db.liveEntries], async (): Promise<Result<PatientRecord>> => {
    if (await db.patients.where('alias').equals(file.patient.alias).count()) {
      return {
        ok: false,
        problems: [
          {
            path: 'patient.alias',
            message: `a patient with the alias ${JSON.stringify(file.patient.alias)} already exists; import under another alias`,
          },
        ],
      };
    }
    if (file.sessions.some((s) => s.status === 'running') && (await db.sessions.where('status').equals('running').count())) {
      return {
        ok: false,
        problems: [
          {
            path: 'sessions',
            message: 'the file has a running session and another session is already running here; finish that one first',
          },
        ],
      };
    }
    const patient: PatientRecord = { id: ids.patient, createdAtMs: nowMs, ...file.patient };
    await db.patients.add(patient);
    const rows: LiveEntryRecord[] = [];
    const sessions: SessionRecord[] = file.sessions.map((s, i) => {
      for (const e of s.log) rows.push({ ...e, sessionId: ids.sessions[i] });
      return {
        id: ids.sessions[i],
        patientId: patient.id,
        createdAtMs: s.createdAtMs,
        plan: s.plan,
        status: s.status,
        startEpochMs: s.startEpochMs,
        endedAtMin: s.endedAtMin,
        notes: s.notes,
        scores: s.scores,
        ...(s.enteredByHand === true && { enteredByHand: true as const }),
      };
    });
    await db.sessions.bulkAdd(sessions);
    await db.liveEntries.bulkAdd(rows);
    return { ok: true, value: patient };
  });
}
