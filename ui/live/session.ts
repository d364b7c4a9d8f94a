// Running session outside React: `loadRunningSession`, `startLiveSession`, `recordNow`, `correctEvent`, `deleteEvent`; wall-clock minutes.
import type { Plan, Problem } from '../../engine/plan.ts';
import type { ActionPatch, LiveAction, LogResult } from '../../engine/live/log.ts';
import type { PatientFields, PatientRecord } from '../storage/records.ts';
import type { Result, RunningSession } from '../storage/store.ts';
import { liveState } from './live-state.ts';
import { bumpCourseRevision, courseStore } from './course-store.ts';
import { anonymousAlias } from './live-model.ts';
import { sessionPlanFor } from './session-plan.ts';

/**
 * The running live session, outside React: restored from the course database on load
 * (`resumeRunningSession`, with its whole log and its wall-clock start), started from a plan, and
 * changed only through the store, whose promises resolve after the commit. The view shows an action as
 * recorded only when `recordNow` has resolved with `ok: true`; the log it then shows is the one the
 * store committed. The session clock is always (Date.now() − startEpochMs) / 60000, never a counter,
 * so a sleeping laptop or a background tab cannot make it drift.
 */
export { liveState, chosenPatient, type LiveState } from './live-state.ts';

let loading: Promise<void> | null = null;

/**
 * One live session, many tabs: after every committed write this tab posts on the `ketasim-live`
 * BroadcastChannel (same browser, same origin only: nothing leaves the machine), and every other tab
 * re-reads the running session from the course database on that message. Each write also carries the
 * number of log entries this tab has seen (`basedOn`); the store refuses it when another tab wrote in
 * between, and this tab then re-reads and says so.
 */
export const LIVE_CHANNEL = 'ketasim-live';
let channel: BroadcastChannel | null = null;

function listen(): void {
  if (channel || typeof BroadcastChannel === 'undefined') return;
  channel = new BroadcastChannel(LIVE_CHANNEL);
  channel.onmessage = () => void refreshRunningSession();
}

/** Tell the other tabs that the course database changed. */
function announce(): void {
  try {
    channel?.postMessage({ type: 'changed', atMs: Date.now() });
  } catch {
    // a closed channel: the other tabs still catch up on their next write (refused as stale, then refreshed)
  }
}

let refreshing: Promise<void> | null = null;
let refreshAgain = false;

/** Re-read the running session from the database (another tab changed it); keeps the state object when nothing changed. */
export function refreshRunningSession(): Promise<void> {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      do {
        refreshAgain = false;
        const store = courseStore();
        const r = await store.resumeRunningSession();
        const cur = liveState.get();
        if (r) {
          const same =
            cur.phase === 'running' &&
            cur.running.session.id === r.session.id &&
            cur.running.log.entries.length === r.log.entries.length;
          if (!same) liveState.set({ phase: 'running', running: r });
        } else if (cur.phase === 'running') {
          const done = await store.getSession(cur.running.session.id);
          liveState.set({
            phase: 'idle',
            finished:
              done && done.session.status === 'finished'
                ? { alias: cur.running.patient.alias, endedAtMin: done.session.endedAtMin ?? 0 }
                : null,
          });
        }
        bumpCourseRevision();
      } while (refreshAgain);
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Restore the running session, if any (once per page load; later calls return the same promise). */
export function loadRunningSession(): Promise<void> {
  listen();
  loading ??= courseStore()
    .resumeRunningSession()
    .then(
      (r) => liveState.set(r ? { phase: 'running', running: r } : { phase: 'idle', finished: null }),
      (e) =>
        liveState.set({
          phase: 'error',
          message: `The course database could not be opened (${(e as Error).message}); live sessions cannot be recorded in this browser.`,
        }),
    );
  return loading;
}

/** Session minutes at a wall-clock time: (nowMs − startEpochMs) / 60000, never below 0. */
export const sessionNowMin = (startEpochMs: number, nowMs: number = Date.now()): number =>
  Math.max(0, (nowMs - startEpochMs) / 60000); // the store's sessionMinutes, without loading the store here

/** Who the session is for. */
export type PatientChoice =
  | { readonly kind: 'existing'; readonly patientId: string }
  | { readonly kind: 'new'; readonly fields: unknown }
  | { readonly kind: 'anonymous' };

const running = (): RunningSession | null => {
  const s = liveState.get();
  return s.phase === 'running' ? s.running : null;
};

/**
 * Start a session now from `plan` for the chosen patient: the session's plan takes the patient's
 * covariates from the patient record (anonymous: the plan's own), is validated, stored, and started at
 * Date.now(). Nothing is started when any step is refused; the problems name the field.
 */
export async function startLiveSession(choice: PatientChoice, plan: Plan): Promise<Result<RunningSession>> {
  const store = courseStore();
  const now = Date.now();
  let patient: PatientRecord | undefined;
  if (choice.kind === 'existing') {
    patient = await store.getPatient(choice.patientId);
    if (!patient)
      return { ok: false, problems: [{ path: 'patient', message: 'this patient is no longer in the course database' }] };
  }
  // Check the plan before creating anyone, so a refused plan leaves no patient behind.
  const fields: PatientFields | null = patient ?? null;
  if (fields) {
    const problems = await store.checkSessionPlan(sessionPlanFor(plan, fields));
    if (problems.length) return { ok: false, problems };
  } else if (choice.kind === 'anonymous') {
    const problems = await store.checkSessionPlan(plan);
    if (problems.length) return { ok: false, problems };
  }
  if (choice.kind === 'new') {
    const r = await store.createPatient(choice.fields, now);
    if (!r.ok) return r;
    patient = r.value;
    bumpCourseRevision();
  } else if (choice.kind === 'anonymous') {
    let problems: Problem[] = [];
    for (let attempt = 0; attempt < 5 && !patient; attempt++) {
      const { weightKg, ageYears, sex, heightCm } = plan.patient;
      const r = await store.createPatient({ alias: anonymousAlias(), weightKg, ageYears, sex, heightCm }, now);
      if (r.ok) patient = r.value;
      else problems = r.problems;
    }
    if (!patient) return { ok: false, problems };
    bumpCourseRevision();
  }
  const p = patient!;
  const sessionPlan = sessionPlanFor(plan, p);
  const problems = await store.checkSessionPlan(sessionPlan);
  if (problems.length) return { ok: false, problems };
  const created = await store.createSession(p.id, sessionPlan, now);
  if (!created.ok) return created;
  const started = await store.startSession(created.value.id, Date.now());
  if (!started.ok) {
    await store.deleteSession(created.value.id);
    return started;
  }
  bumpCourseRevision();
  const value: RunningSession = {
    session: started.value,
    patient: p,
    log: { entries: [] },
    startEpochMs: started.value.startEpochMs!,
  };
  liveState.set({ phase: 'running', running: value });
  announce();
  return { ok: true, value };
}

/** A live action without its time: the time is the session clock when it is recorded. */
export type ActionNow =
  | { readonly kind: 'pause' | 'resume' | 'resume-plan' | 'stop' }
  | { readonly kind: 'rate' | 'restart'; readonly rate: number; readonly unit: string }
  | { readonly kind: 'bolus'; readonly amount: number; readonly unit: string };

const noSession: LogResult = { ok: false, problems: [{ path: 'session', message: 'no live session is running' }] };

/** Apply a committed log change to the state (the log the store wrote, nothing else). */
function committed(r: LogResult): LogResult {
  const cur = running();
  if (r.ok && cur) liveState.set({ phase: 'running', running: { ...cur, log: r.log } });
  if (r.ok) {
    bumpCourseRevision();
    announce();
  } else if (r.problems.some((p) => p.path === 'basedOn' || p.path === 'sessionId')) void refreshRunningSession();
  return r;
}

/** Record an action now. Resolves after the store has committed it (or refused it, or failed). */
export async function recordNow(action: ActionNow): Promise<LogResult & { atMin?: number }> {
  const cur = running();
  if (!cur) return noSession;
  const atMin = sessionNowMin(cur.startEpochMs);
  const full = { ...action, atMin } as LiveAction;
  const r = committed(await courseStore().recordLiveAction(cur.session.id, full, atMin, cur.log.entries.length));
  return { ...r, atMin };
}

/** Correct an event (a new version; the original stays in the history). */
export async function correctEvent(eventId: string, patch: ActionPatch, reason?: string): Promise<LogResult> {
  const cur = running();
  if (!cur) return noSession;
  return committed(
    await courseStore().correctLiveAction(
      cur.session.id,
      eventId,
      patch,
      sessionNowMin(cur.startEpochMs),
      reason,
      cur.log.entries.length,
    ),
  );
}

/** Delete an event (a final version; the history stays). */
export async function deleteEvent(eventId: string, reason?: string): Promise<LogResult> {
  const cur = running();
  if (!cur) return noSession;
  return committed(
    await courseStore().deleteLiveAction(
      cur.session.id,
      eventId,
      sessionNowMin(cur.startEpochMs),
      reason,
      cur.log.entries.length,
    ),
  );
}

/** Finish the running session now (refused while the pump runs: record a stop first). */
export async function finishNow(): Promise<Result<unknown>> {
  const cur = running();
  if (!cur) return { ok: false, problems: noSession.ok ? [] : noSession.problems };
  const endedAtMin = sessionNowMin(cur.startEpochMs);
  const r = await courseStore().finishSession(cur.session.id, endedAtMin);
  if (r.ok) {
    liveState.set({ phase: 'idle', finished: { alias: cur.patient.alias, endedAtMin } });
    bumpCourseRevision();
    announce();
  } else void refreshRunningSession();
  return r;
}
