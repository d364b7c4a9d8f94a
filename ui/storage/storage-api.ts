/**
 * The course database's API as the storage worker runs it (ui/storage/storage.worker.ts): every read and
 * write of the CourseStore, course-file import and export, and the live-session plan check. Plan
 * validation (parsePlan), the live-log rules and model resolution run here, in the worker, never on the
 * main thread; the main thread reaches this object through the one worker bridge (ui/live/course-store.ts),
 * typed `Remote<StorageApi>`. The store opens on first use.
 */
import type { Plan } from '../../engine/plan.ts';
import type { ActionPatch } from '../../engine/live/log.ts';
import { CourseStore } from './store.ts';
import { exportCourse, importCourse, type ImportOptions } from './course-file.ts';
import { checkSessionPlan } from './session-check.ts';
import { readCourseSettings, writeCourseSettings } from './settings-db.ts';
import type { SessionWithLog } from './store.ts';
import { onsetInputs } from '../course-view/onset-inputs.ts';

let store: CourseStore | null = null;
const open = (): CourseStore => (store ??= CourseStore.open());

export const storageApi = {
  createPatient: (fields: unknown, nowMs: number) => open().createPatient(fields, nowMs),
  updatePatient: (id: string, fields: unknown) => open().updatePatient(id, fields),
  getPatient: (id: string) => open().getPatient(id),
  listPatients: () => open().listPatients(),
  deletePatient: (id: string) => open().deletePatient(id),
  createSession: (patientId: string, plan: unknown, nowMs: number) => open().createSession(patientId, plan, nowMs),
  /** A finished session entered by hand afterwards (flagged `enteredByHand`). */
  addSessionByHand: (patientId: string, input: unknown, nowMs: number) => open().addSessionByHand(patientId, input, nowMs),
  updateSessionPlan: (sessionId: string, plan: unknown) => open().updateSessionPlan(sessionId, plan),
  updateNotes: (sessionId: string, notes: unknown) => open().updateNotes(sessionId, notes),
  updateScores: (sessionId: string, scores: unknown) => open().updateScores(sessionId, scores),
  getSession: (sessionId: string) => open().getSession(sessionId),
  listSessions: (patientId: string) => open().listSessions(patientId),
  listSessionsWithLogs: (patientId: string) => open().listSessionsWithLogs(patientId),
  deleteSession: (sessionId: string) => open().deleteSession(sessionId),
  /** A patient's sessions checked record by record: readable ones, and unreadable ones to show with a delete button. */
  listSessionsChecked: (patientId: string, nowMs: number, offset?: number, limit?: number) =>
    open().listSessionsChecked(patientId, nowMs, offset, limit),
  /** The saved course settings (defaults when none or unreadable, with a note). */
  readCourseSettings: () => readCourseSettings(),
  /** Save the course settings (validated first). */
  writeCourseSettings: (settings: unknown) => writeCourseSettings(settings),
  startSession: (sessionId: string, startEpochMs: number) => open().startSession(sessionId, startEpochMs),
  /** `basedOn`: the number of log entries the caller has seen; a different stored count refuses the write (another tab wrote). */
  recordLiveAction: (sessionId: string, action: unknown, recordedAtMin: number, basedOn?: number) =>
    open().recordLiveAction(sessionId, action, recordedAtMin, basedOn),
  correctLiveAction: (
    sessionId: string,
    eventId: string,
    patch: ActionPatch,
    recordedAtMin: number,
    reason?: string,
    basedOn?: number,
  ) => open().correctLiveAction(sessionId, eventId, patch, recordedAtMin, reason, basedOn),
  deleteLiveAction: (sessionId: string, eventId: string, recordedAtMin: number, reason?: string, basedOn?: number) =>
    open().deleteLiveAction(sessionId, eventId, recordedAtMin, reason, basedOn),
  finishSession: (sessionId: string, endedAtMin: number) => open().finishSession(sessionId, endedAtMin),
  resumeRunningSession: () => open().resumeRunningSession(),
  /** One patient's course as a course file (ui/storage/course-file.ts). */
  exportCourse: (patientId: string, nowMs: number) => exportCourse(open(), patientId, nowMs),
  /** Validate and import a course file (text or parsed JSON); nothing is written on any problem. */
  importCourse: (input: unknown, nowMs: number, options: ImportOptions = {}) => importCourse(open(), input, nowMs, options),
  /** The sessions that feed a patient's personal band, read from the database (ui/course-view/onset-inputs.ts). */
  onsetInputs: async (patientId: string) => onsetInputs(await open().listSessionsWithLogs(patientId)),
  /** The same for sessions the caller already holds. */
  onsetInputsOf: async (sessions: readonly SessionWithLog[]) => onsetInputs(sessions),
  /** Problems that would stop a live session on this plan (ui/storage/session-check.ts). */
  checkSessionPlan: async (plan: Plan | unknown) => checkSessionPlan(plan),
  /** Name of the global scope this runs in (`DedicatedWorkerGlobalScope` in the app). */
  whereAmI: async () => (globalThis as { constructor?: { name?: string } }).constructor?.name ?? 'unknown',
};

/** The storage worker's API (the main thread's types come from it). */
export type StorageApi = typeof storageApi;
