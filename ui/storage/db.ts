// Dexie schema v1 and v2 (live log in own table), v1→v2 migration, `openCourseDb`, `DEFAULT_DB_NAME`.
import Dexie, { type Table, type Transaction } from 'dexie';
import type { Plan } from '../../engine/plan.ts';
import type { LogEntry } from '../../engine/live/log.ts';
import type { PatientRecord, SessionNotes, SessionScores, SessionStatus } from './records.ts';

/**
 * The course database (IndexedDB through dexie), its schema versions and the migration between them.
 *
 * Version 1 (the first design) kept the live log inside the session record:
 *   patients  '&id, &alias'
 *   sessions  '&id, patientId'            SessionRecordV1 with `log: LogEntry[]`
 *
 * Version 2 splits the live log into its own table, one row per entry, and indexes sessions by status
 * and by patient and date:
 *   patients     '&id, &alias'
 *   sessions     '&id, patientId, status, [patientId+createdAtMs]'    SessionRecord (no `log`)
 *   liveEntries  '&[sessionId+seq], sessionId'                        LiveEntryRecord
 * Why: appending an event during a session writes one small row instead of rewriting the whole session
 * (plan, notes and every earlier event) on every click, the primary key [sessionId+seq] makes two
 * writers of the same entry collide instead of one silently overwriting the other, and finding the
 * running session after a reload is an index lookup instead of a scan.
 *
 * The upgrade (`upgradeV1toV2`) moves each v1 session's `log` array into `liveEntries` rows and drops
 * the field, in the one upgrade transaction dexie runs when a v1 database is first opened as v2.
 */

/** A session as stored from version 2 on. */
export interface SessionRecord {
  readonly id: string;
  readonly patientId: string;
  readonly createdAtMs: number;
  /** The validated plan (docs/PLAN-FORMAT.md), including the patient's covariates on the day. */
  readonly plan: Plan;
  readonly status: SessionStatus;
  /** Wall-clock start, epoch ms: the session clock is (Date.now() − startEpochMs) / 60000 min. Null until started. */
  readonly startEpochMs: number | null;
  /** Session minute at which the session was finished, null until then. */
  readonly endedAtMin: number | null;
  readonly notes: SessionNotes;
  readonly scores: SessionScores;
  /** Present (true) when the session was entered by hand afterwards (paper record, another site), not run in Live mode. */
  readonly enteredByHand?: true;
}

/** A session as version 1 stored it: the live log inside the record. */
export interface SessionRecordV1 extends SessionRecord {
  readonly log: readonly LogEntry[];
}

/** One live-log entry of one session (version 2 on). */
export type LiveEntryRecord = LogEntry & { readonly sessionId: string };

export type CourseDb = Dexie & {
  patients: Table<PatientRecord, string>;
  sessions: Table<SessionRecord, string>;
  liveEntries: Table<LiveEntryRecord, [string, number]>;
};

export const SCHEMA_V1 = {
  patients: '&id, &alias',
  sessions: '&id, patientId',
} as const;

export const SCHEMA_V2 = {
  patients: '&id, &alias',
  sessions: '&id, patientId, status, [patientId+createdAtMs]',
  liveEntries: '&[sessionId+seq], sessionId',
} as const;

/** The current schema version. */
export const SCHEMA_VERSION = 2;

/** Default database name. */
export const DEFAULT_DB_NAME = 'ketasim-course';

/** Move every v1 session's embedded log into liveEntries rows and drop the field. */
async function upgradeV1toV2(tx: Transaction): Promise<void> {
  const entries = tx.table('liveEntries');
  const sessions = tx.table('sessions');
  const all = (await sessions.toArray()) as (SessionRecord & { log?: LogEntry[] })[];
  for (const s of all) {
    const log = s.log ?? [];
    if (log.length > 0) await entries.bulkAdd(log.map((e) => ({ ...e, sessionId: s.id })));
    const { log: _dropped, ...rest } = s;
    await sessions.put(rest);
  }
}

/** Open (creating or upgrading as needed) the course database at the current schema version. */
export function openCourseDb(name: string = DEFAULT_DB_NAME): CourseDb {
  const db = new Dexie(name) as CourseDb;
  db.version(1).stores(SCHEMA_V1);
  db.version(2).stores(SCHEMA_V2).upgrade(upgradeV1toV2);
  return db;
}

/**
 * The database exactly as the first release declared it (version 1 only). Kept for the migration
 * test, which writes a v1 database with it and reopens that database with `openCourseDb`.
 */
export function openCourseDbV1(
  name: string = DEFAULT_DB_NAME,
): Dexie & { patients: Table<PatientRecord, string>; sessions: Table<SessionRecordV1, string> } {
  const db = new Dexie(name) as Dexie & { patients: Table<PatientRecord, string>; sessions: Table<SessionRecordV1, string> };
  db.version(1).stores(SCHEMA_V1);
  return db;
}
