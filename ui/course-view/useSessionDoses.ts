// `useSessionDoses`/`sessionDoseItems`: per-session dose and peak Ce from the live worker, slow flag.
import { useEffect, useState } from 'react';
import type { SessionDose } from '../../engine/live/session-dose.ts';
import type { SessionWithLog } from '../storage/store.ts';
import type { SessionDoseItem } from '../../workers/live-api.ts';
import { isAbortError, liveClient } from '../../workers/live-client.ts';
import { sessionEndMin } from './course-model.ts';

/** A session's dose and peak Ce, or why it has none (a message naming the field). */
export type DoseCell = SessionDose | string;

export interface SessionDosesState {
  /** The latest answer per session id (kept while a newer request runs, so nothing blanks every minute). */
  readonly doses: ReadonlyMap<string, DoseCell>;
  /** A request has been in the worker for more than SLOW_MS (show progress on the values kept meanwhile). */
  readonly slow: boolean;
}

/** Sessions per request to the live worker. */
export const DOSE_PAGE = 500;

/** After this long a running request is shown as such, ms. */
export const SLOW_MS = 500;

/** The worker's request for a course's sessions, as the view holds them, with each session's end at `nowMs`. */
export function sessionDoseItems(sessions: readonly SessionWithLog[], nowMs: number): SessionDoseItem[] {
  return sessions.map((s) => ({
    id: s.session.id,
    plan: s.session.plan,
    log: s.log.entries,
    status: s.session.status,
    endMin: sessionEndMin(s, nowMs),
  }));
}

/**
 * Whether a session's dose figures depend on the clock: only a running session's do (its end is "now");
 * a finished session ends at its end, a planned one is its plan, whatever the time.
 */
export const dependsOnClock = (s: SessionWithLog): boolean => s.session.status === 'running';

const problemText = (ps: readonly { path: string; message: string }[]): string =>
  ps.map((p) => `${p.path}: ${p.message}`).join('; ');

/**
 * Ask the live worker for the doses of `items`, DOSE_PAGE at a time, one request after another (each
 * answer a short main-thread task, also for a course of 10,000 sessions); `onPage` gets each page's
 * answers as they come. Stops asking once `live()` is false.
 */
async function requestDoses(
  items: readonly SessionDoseItem[],
  live: () => boolean,
  onPage: (page: ReadonlyMap<string, DoseCell>) => void,
): Promise<void> {
  for (let i = 0; i < items.length && live(); i += DOSE_PAGE) {
    const chunk = items.slice(i, i + DOSE_PAGE);
    const r = await liveClient().sessionDoses(chunk);
    if (!live()) return;
    const page = new Map<string, DoseCell>();
    if (r.ok) for (const d of r.doses) page.set(d.id, d.ok ? d.dose : problemText(d.problems));
    else for (const it of chunk) page.set(it.id, `not computed: ${problemText(r.problems)}`);
    onPage(page);
  }
}

/** Show progress after SLOW_MS: `set(true)` then; the returned stop clears the timer and the flag. */
function slowTimer(set: (on: boolean) => void): () => void {
  set(false);
  const timer = setTimeout(() => set(true), SLOW_MS);
  return () => {
    clearTimeout(timer);
    set(false);
  };
}

/**
 * Dose and peak Ce of each session (what was given; the plan for a planned session), computed in the
 * live worker (DESIGN.md rule 7: the main thread never runs a simulation), latest request wins. Sessions
 * without an answer yet are absent from `doses` (the view shows "computing…").
 *
 * Two request sets: the sessions whose figures do not depend on the clock (finished, planned) are
 * computed when the list of sessions changes, and only then; the running ones (their dose so far) also
 * every time `nowMs` moves. So a course of 10,000 finished sessions is computed once, not again every
 * minute.
 */
export function useSessionDoses(sessions: readonly SessionWithLog[] | null, nowMs: number): SessionDosesState {
  const [doses, setDoses] = useState<ReadonlyMap<string, DoseCell>>(() => new Map());
  const [slowFixed, setSlowFixed] = useState(false);
  const [slowRunning, setSlowRunning] = useState(false);

  // the sessions whose figures do not depend on the clock: once per list (nowMs is read, not followed)
  // biome-ignore lint/correctness/useExhaustiveDependencies: these sessions' figures do not depend on nowMs
  useEffect(() => {
    if (!sessions) return;
    let live = true;
    const fixed = sessions.filter((s) => !dependsOnClock(s));
    const running = new Set(sessions.filter(dependsOnClock).map((s) => s.session.id));
    const stopSlow = slowTimer(setSlowFixed);
    const next = new Map<string, DoseCell>();
    // the values fill in page by page; the earlier ones (and the running sessions' own) are kept meanwhile
    requestDoses(
      sessionDoseItems(fixed, nowMs),
      () => live,
      (page) => {
        for (const [id, d] of page) next.set(id, d);
        if (fixed.length > DOSE_PAGE) setDoses((prev) => new Map([...prev, ...page]));
      },
    )
      .then(() => {
        if (!live) return;
        stopSlow();
        // the answer for this list: every fixed session's value, the running sessions' latest ones, nothing else
        setDoses((prev) => {
          const out = new Map(next);
          for (const id of running) if (prev.has(id)) out.set(id, prev.get(id)!);
          return out;
        });
      })
      .catch((e) => {
        // A request superseded by this hook's next one is no longer `live`; one cancelled otherwise (the
        // worker shut down) would never be answered, so it is shown rather than left "computing…".
        if (!live) return;
        stopSlow();
        const why = isAbortError(e) ? 'the request was cancelled; reopen the patient to retry' : (e as Error).message;
        setDoses((prev) => {
          const out = new Map(prev);
          for (const s of fixed) if (!next.has(s.session.id)) out.set(s.session.id, `not computed: ${why}`);
          return out;
        });
      });
    return () => {
      live = false;
      stopSlow();
    };
  }, [sessions]);

  // the running sessions: again whenever the clock moves
  useEffect(() => {
    if (!sessions) return;
    const running = sessions.filter(dependsOnClock);
    if (running.length === 0) return;
    let live = true;
    const stopSlow = slowTimer(setSlowRunning);
    requestDoses(
      sessionDoseItems(running, nowMs),
      () => live,
      (page) => setDoses((prev) => new Map([...prev, ...page])),
    )
      .then(() => {
        if (live) stopSlow();
      })
      .catch((e) => {
        if (!live) return;
        stopSlow();
        const why = isAbortError(e) ? 'the request was cancelled; reopen the patient to retry' : (e as Error).message;
        setDoses((prev) => new Map([...prev, ...running.map((s) => [s.session.id, `not computed: ${why}`] as const)]));
      });
    return () => {
      live = false;
      stopSlow();
    };
  }, [sessions, nowMs]);

  return { doses, slow: slowFixed || slowRunning };
}
