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

const problemText = (ps: readonly { path: string; message: string }[]): string =>
  ps.map((p) => `${p.path}: ${p.message}`).join('; ');

/**
 * Dose and peak Ce of each session (what was given; the plan for a planned session), computed in the
 * live worker (DESIGN.md rule 7: the main thread never runs a simulation), latest request wins. Sessions
 * without an answer yet are absent from `doses` (the view shows "computing…").
 */
export function useSessionDoses(sessions: readonly SessionWithLog[] | null, nowMs: number): SessionDosesState {
  const [doses, setDoses] = useState<ReadonlyMap<string, DoseCell>>(() => new Map());
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!sessions) return;
    let live = true;
    setSlow(false);
    const timer = setTimeout(() => {
      if (live) setSlow(true);
    }, SLOW_MS);
    const done = (next: ReadonlyMap<string, DoseCell>) => {
      clearTimeout(timer);
      setDoses(next);
      setSlow(false);
    };
    // in requests of DOSE_PAGE sessions, one after another (each answer a short main-thread task, also for
    // a course of 10,000 sessions); the values fill in as they come, the earlier ones kept meanwhile
    const items = sessionDoseItems(sessions, nowMs);
    const run = async () => {
      const next = new Map<string, DoseCell>();
      for (let i = 0; i < items.length && live; i += DOSE_PAGE) {
        const chunk = items.slice(i, i + DOSE_PAGE);
        const r = await liveClient().sessionDoses(chunk);
        if (!live) return;
        if (r.ok) for (const d of r.doses) next.set(d.id, d.ok ? d.dose : problemText(d.problems));
        else for (const it of chunk) next.set(it.id, `not computed: ${problemText(r.problems)}`);
        if (items.length > DOSE_PAGE) setDoses((prev) => new Map([...prev, ...next]));
      }
      if (live) done(next);
    };
    run().catch((e) => {
      // A request superseded by this hook's next one is no longer `live`; one cancelled otherwise (the
      // worker shut down) would never be answered, so it is shown rather than left "computing…".
      if (!live) return;
      const why = isAbortError(e) ? 'the request was cancelled; reopen the patient to retry' : (e as Error).message;
      done(new Map(sessions.map((s) => [s.session.id, `not computed: ${why}`])));
    });
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [sessions, nowMs]);
  return { doses, slow };
}
