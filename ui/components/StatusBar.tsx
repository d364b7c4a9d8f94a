// `BusyIndicator` (after 300 ms), `EngineInfo`, `ProblemSummary`, `NoticeBanner`.
import { useEffect, useState } from 'react';
import { useApp, useResults } from '../context.ts';
import { useStore } from '../state/store.ts';

/** Shows "Computing…" when a prediction has been running for more than 300 ms (progress feedback). */
export function BusyIndicator() {
  const busySince = useResults((r) => r.busySince);
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    setSlow(false);
    if (busySince === null) return;
    const id = setTimeout(() => setSlow(true), Math.max(0, 300 - (performance.now() - busySince)));
    return () => clearTimeout(id);
  }, [busySince]);
  return (
    <span className="busy" role="status" aria-live="polite" data-testid="busy">
      {slow && busySince !== null ? (
        <>
          <span className="spinner" aria-hidden="true" /> Computing the prediction…
        </>
      ) : null}
    </span>
  );
}

/** Where the last prediction was computed, on how many points, and how long the worker took. */
export function EngineInfo() {
  const shown = useResults((r) => r.shown);
  const cur = shown?.outcomes[0];
  if (!shown || !cur?.ok) return null;
  return (
    <p className="engine-info" data-testid="engine-info" data-computed-in={shown.computedIn}>
      Computed in a {shown.computedIn === 'DedicatedWorkerGlobalScope' ? 'web worker' : shown.computedIn} ({shown.computedIn}):{' '}
      {cur.gridPoints.toLocaleString('en')} points at {cur.plan.resolutionSec} s over {cur.plan.horizonMin} min,{' '}
      {shown.workerMs.toFixed(1)} ms in the worker.
    </p>
  );
}

/** Every problem of the plan as typed, each a button that focuses its field; the chart keeps the last valid prediction. */
export function ProblemSummary() {
  const problems = useResults((r) => r.problems);
  const error = useResults((r) => r.error);
  if (!problems && !error) return null;
  const focus = (path: string) => {
    const el = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`);
    el?.focus();
  };
  return (
    <div className="problem-summary" role="alert" data-testid="problem-summary">
      {error ? (
        <p>
          <strong>{error}</strong>
        </p>
      ) : null}
      {problems ? (
        <>
          <p>
            <strong>{problems.length === 1 ? 'One entry needs fixing' : `${problems.length} entries need fixing`}</strong>; the
            chart and metrics show the last valid prediction.
          </p>
          <ul>
            {problems.map((p) => (
              <li key={p.path + p.message}>
                <button type="button" className="link" onClick={() => focus(p.path)}>
                  {p.path}
                </button>
                : {p.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** A share link that could not be opened: what was wrong, and that the default plan is shown instead. */
export function NoticeBanner() {
  const { notice } = useApp();
  const n = useStore(notice, (v) => v);
  if (!n) return null;
  return (
    <div className="notice" role="alert" data-testid="link-notice">
      <p>
        <strong>{n.title}</strong>
      </p>
      <ul>
        {n.lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      <button type="button" className="secondary" onClick={() => notice.set(null)}>
        Dismiss
      </button>
    </div>
  );
}
