// `LiveResume`: on load restores a running session from the course database and opens Live mode.
import { useEffect, useRef } from 'react';
import './live.css';
import { useApp, useScenario } from '../context.ts';
import { useStore } from '../state/store.ts';
import { liveState } from './live-state.ts';

/**
 * Mounted once by the app shell: on page load it restores a running session from the course database
 * (with its whole log and wall-clock start) and opens Live mode on it, so a reload or a crashed tab
 * comes back where the clinician was. While a session runs and another tab is shown, a line says so.
 */
export function LiveResume() {
  const { scenario } = useApp();
  const state = useStore(liveState, (s) => s);
  const tab = useScenario((s) => s.tab);
  const opened = useRef(false);
  // Live mode and the course database load in their own chunk, after the first paint.
  useEffect(() => {
    import('./session.ts').then(
      (m) => m.loadRunningSession(),
      (e) => liveState.set({ phase: 'error', message: `Live mode could not be loaded: ${(e as Error).message}` }),
    );
  }, []);
  useEffect(() => {
    if (state.phase === 'loading' || opened.current) return;
    opened.current = true;
    if (state.phase === 'running') scenario.set((s) => (s.tab === 'live' ? s : { ...s, tab: 'live' }));
  }, [state.phase, scenario]);
  if (state.phase !== 'running' || tab === 'live') return null;
  const r = state.running;
  return (
    <p className="live-banner" role="status" data-testid="live-banner">
      A live session for <strong>{r.patient.alias}</strong> is running since{' '}
      {new Date(r.startEpochMs).toLocaleTimeString('en-GB')} (this computer's clock).{' '}
      <button type="button" className="link" onClick={() => scenario.set((s) => ({ ...s, tab: 'live' }))}>
        Go to the live session
      </button>
    </p>
  );
}
