// `liveState` store (loading/idle/running/error), `chosenPatient`, `elapsedClock`; no engine or database code.
import type { RunningSession } from '../storage/store.ts';
import { createStore, type Store } from '../state/store.ts';

/**
 * The live session's state as the whole app sees it, kept in a module of its own with no engine or
 * database code, so the app shell can show it while Live mode and the course database load in their
 * own chunk (ui/live/session.ts changes it).
 */
export type LiveState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'idle'; readonly finished: { readonly alias: string; readonly endedAtMin: number } | null }
  | { readonly phase: 'running'; readonly running: RunningSession }
  | { readonly phase: 'error'; readonly message: string };

export const liveState: Store<LiveState> = createStore<LiveState>({ phase: 'loading' });

/**
 * Who the next session is for, as chosen in the start panel: '' (not chosen yet), 'new', 'anonymous', or
 * a patient id. Shared with the planner panel, which offers that patient's personal band.
 */
export const chosenPatient: Store<string> = createStore<string>('');

/** Elapsed session time as h:mm:ss from minutes (floored to the second, as a wall clock shows it). */
export function elapsedClock(min: number): string {
  if (!Number.isFinite(min) || min < 0) return '–';
  const total = Math.floor(min * 60 + 1e-9);
  const h = Math.floor(total / 3600),
    m = Math.floor((total % 3600) / 60),
    s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
