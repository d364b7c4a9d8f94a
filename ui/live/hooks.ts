// React hooks: `useWallClock` (wall time re-read each second and on tab focus), `useSlow` (a spinner only after 0.5 s), `useValidatedPlan`.
import { useEffect, useState } from 'react';
import type { Plan, Problem } from '../../engine/plan.ts';
import { useApp, useScenario } from '../context.ts';
import { scenarioToPlanInput } from '../state/scenario.ts';
import { isAbortError } from '../../workers/simulation-client.ts';

/**
 * The wall clock, re-read once a second (setInterval only triggers the re-render: the value is always
 * Date.now(), so a throttled background tab or a sleeping laptop shows the right time on its next
 * tick), and at once when the tab becomes visible again.
 */
export function useWallClock(periodMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const id = setInterval(tick, periodMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') tick();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', tick);
    return () => {
      clearInterval(id);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', tick);
    };
  }, [periodMs]);
  return now;
}

/** True once `busy` has lasted longer than `afterMs` (progress feedback only for slow work). */
export function useSlow(busy: boolean, afterMs = 500): boolean {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    setSlow(false);
    if (!busy) return;
    const id = setTimeout(() => setSlow(true), afterMs);
    return () => clearTimeout(id);
  }, [busy, afterMs]);
  return slow && busy;
}

/**
 * The plan being edited in "Plan & predict", validated in the simulation worker (the same parsePlan as
 * everywhere; plan validation never runs on the main thread). `pending` until the first answer.
 */
export function useValidatedPlan(): { plan: Plan | null; problems: readonly Problem[]; pending: boolean } {
  const { client } = useApp();
  const draft = useScenario((s) => s.plan);
  const [state, setState] = useState<{ plan: Plan | null; problems: readonly Problem[]; pending: boolean }>({
    plan: null,
    problems: [],
    pending: true,
  });
  useEffect(() => {
    let live = true;
    client.validate(scenarioToPlanInput(draft)).then(
      (r) => {
        if (live)
          setState(r.ok ? { plan: r.plan, problems: [], pending: false } : { plan: null, problems: r.problems, pending: false });
      },
      (e) => {
        if (live && !isAbortError(e))
          setState({
            plan: null,
            problems: [{ path: 'plan', message: `could not be checked: ${(e as Error).message}` }],
            pending: false,
          });
      },
    );
    return () => {
      live = false;
    };
  }, [client, draft]);
  return state;
}
