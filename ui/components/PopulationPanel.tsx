// `PopulationPanel`: N/seed/CV, run on worker pool with progress/cancel, probabilities, metric distributions; mounted under the chart by the Population toggle.
import { nonIvRefusal } from './route-dose.ts';
import { memo, startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Plan, Problem } from '../../engine/plan.ts';
import { gridPointCount } from '../../engine/grid.ts';
import type { PopulationResult, ThresholdProbability } from '../../engine/population/types.ts';
import {
  createPopulationClient,
  type CancellablePromise,
  type PopulationClient,
  type PopulationOutcome,
} from '../../workers/population-client.ts';
import { populationOverlay, type OverlayOptions, type PopulationOverlay } from './population-series.ts';

/**
 * Virtual population for the plan on the dashboard: choose N (up to 100,000), a seed and the CV for
 * parameters without published variability; run on the worker pool with a progress bar and a cancel
 * button; then the assumptions (every assumed CV labelled), the probability that Ce is at or above
 * each band bound at a chosen minute and over time, and each per-patient metric's distribution. The
 * percentile areas go to the chart through `onOverlay` (population-series.ts).
 */
export interface PopulationPanelProps {
  /** The current plan (plan-format JSON, as the dashboard holds it). */
  readonly plan: unknown;
  /** The pool client; by default the panel creates one on first run and disposes it when unmounted. */
  readonly client?: PopulationClient;
  /** Receives the chart overlay after each run, and null when it no longer matches the plan. */
  readonly onOverlay?: (overlay: PopulationOverlay | null) => void;
  readonly overlayOptions?: OverlayOptions;
  /**
   * N, seed and assumed CV (%) when the caller keeps them (the dashboard keeps them in the scenario
   * record); with `onSettings` the panel is controlled. Without them the panel keeps its own.
   */
  readonly settings?: PopulationPanelSettings;
  readonly onSettings?: (patch: Partial<PopulationPanelSettings>) => void;
  /**
   * Run by itself: `debounceMs` after the plan or a setting last changed (the run in progress is
   * cancelled at once when they change). Without it the user presses Run.
   */
  readonly auto?: boolean;
  readonly debounceMs?: number;
  /**
   * Bands first: each run is preceded by a run without per-patient metrics (the same patients, so the
   * same exact percentiles; on a coarser grid with `previewPoints`), whose bands go to the chart as soon
   * as they are ready; the full run for the tables follows and its bands replace them. With `auto`, this is what lets the chart's bands follow an edit quickly.
   */
  readonly bandsFirst?: boolean;
  /**
   * With `bandsFirst`: the most grid points the bands-only run steps (e.g. the plot's width in pixels).
   * A plan with more is previewed on a grid of every k-th of its own points (`previewPlan`): exact
   * percentiles at those times, drawn at the display's resolution sooner; the full run's bands at every
   * grid point replace them when it ends. Without it the bands-only run uses the plan's grid.
   */
  readonly previewPoints?: number;
}

/**
 * The plan the bands-only preview steps: the same plan on every k-th point of its grid (k the smallest
 * whole number that leaves at most `maxPoints` points), so each preview time is one of the plan's own
 * grid times and its percentiles are those of the full run there (to rounding). The plan itself when it
 * has few enough points.
 */
export function previewPlan(plan: unknown, maxPoints: number | undefined): unknown {
  if (maxPoints === undefined || !(maxPoints >= 2) || typeof plan !== 'object' || plan === null) return plan;
  const { horizonMin, resolutionSec } = plan as Partial<Plan>;
  if (typeof horizonMin !== 'number' || typeof resolutionSec !== 'number' || !(horizonMin > 0 && resolutionSec > 0)) return plan;
  const steps = gridPointCount(horizonMin, resolutionSec) - 1;
  const k = Math.ceil(steps / (Math.floor(maxPoints) - 1));
  return k > 1 ? { ...plan, resolutionSec: resolutionSec * k } : plan;
}

export interface PopulationPanelSettings {
  readonly n: number;
  readonly seed: number;
  readonly cvPct: number;
}

/** The panel's largest N (the CLI accepts more). */
export const MAX_PANEL_PATIENTS = 100_000;
const PRESETS = [100, 1000, 10_000, 100_000];

type RunState =
  | { kind: 'idle' }
  | { kind: 'running'; progress: number }
  | { kind: 'cancelled' }
  | { kind: 'done'; result: PopulationResult; planKey: string; seconds: number }
  | { kind: 'problems'; problems: readonly Problem[] }
  | { kind: 'failed'; message: string };

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number, unit: string) =>
  Number.isFinite(x) ? `${Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3)} ${unit}` : '–';

export const PopulationPanel = memo(function PopulationPanel({
  plan,
  client,
  onOverlay,
  overlayOptions,
  settings,
  onSettings,
  auto = false,
  debounceMs = 150,
  bandsFirst = false,
  previewPoints,
}: PopulationPanelProps) {
  const [local, setLocal] = useState<PopulationPanelSettings>({ n: 10_000, seed: 1, cvPct: 30 });
  const { n, seed, cvPct } = settings ?? local;
  const change = useCallback(
    (patch: Partial<PopulationPanelSettings>) => {
      if (onSettings) onSettings(patch);
      else setLocal((l) => ({ ...l, ...patch }));
    },
    [onSettings],
  );
  const setN = (v: number) => change({ n: v });
  const setSeed = (v: number) => change({ seed: v });
  const setCvPct = (v: number) => change({ cvPct: v });
  const [state, setState] = useState<RunState>({ kind: 'idle' });
  const [atMin, setAtMin] = useState(30);
  const own = useRef<PopulationClient | null>(null);
  const run = useRef<{ cancel(): void } | null>(null);
  const planKey = useMemo(() => JSON.stringify(plan), [plan]);
  // Read when a run starts: a resize alone does not start a run.
  const previewAt = useRef(previewPoints);
  previewAt.current = previewPoints;

  useEffect(
    () => () => {
      const r = run.current;
      run.current = null;
      r?.cancel();
      own.current?.dispose();
      own.current = null;
    },
    [],
  );
  // The chart loses the overlay with the panel.
  useEffect(() => () => onOverlay?.(null), [onOverlay]);

  // The bands-only run of the current plan (bandsFirst), while the full run for the tables computes.
  const [quick, setQuick] = useState<{ result: PopulationResult; key: string } | null>(null);
  const quickKey = `${n}|${seed}|${cvPct}|${planKey}`;
  const stale = state.kind === 'done' && state.planKey !== planKey;
  // The last finished run: while an automatic run recomputes, the chart keeps its bands, dimmed and
  // marked stale (not dropped and redrawn: that would rescale the axis twice per edit).
  const last = useRef<PopulationResult | null>(null);
  if (state.kind === 'done') last.current = state.result;
  else if (state.kind !== 'running') last.current = null;
  const quickFresh = quick && quick.key === quickKey && !(state.kind === 'done' && !stale) ? quick.result : null;
  const overlayResult = quickFresh
    ? quickFresh
    : state.kind === 'done' && (!stale || auto)
      ? state.result
      : auto && state.kind === 'running'
        ? last.current
        : null;
  const overlayStale = quickFresh ? false : state.kind !== 'done' || stale;
  const overlay = useMemo(
    () => (overlayResult ? populationOverlay(overlayResult, overlayOptions) : null),
    [overlayResult, overlayOptions],
  );
  useEffect(() => {
    if (!onOverlay) return;
    const next = overlay && overlayStale ? { ...overlay, stale: true } : overlay;
    // In a task of its own: the chart's repaint does not lengthen the panel's.
    const timer = setTimeout(() => onOverlay(next), 0);
    return () => clearTimeout(timer);
  }, [overlay, overlayStale, onOverlay]);

  const nValid = Number.isInteger(n) && n >= 1 && n <= MAX_PANEL_PATIENTS;
  const seedValid = Number.isSafeInteger(seed) && seed >= 0;
  const cvValid = Number.isFinite(cvPct) && cvPct >= 0 && cvPct <= 300;

  // A non-IV dose is refused in words before any run (ui/components/route-dose.ts).
  const refusal = nonIvRefusal(plan, 'population');
  const start = useCallback(() => {
    if (nonIvRefusal(plan, 'population') !== null) return;
    const c = client ?? (own.current ??= createPopulationClient());
    const key = planKey;
    const t0 = performance.now();
    performance.mark('ketasim:population-start');
    setState({ kind: 'running', progress: 0 });
    let last = 0;
    const full = () =>
      c.start(plan, n, seed, cvPct / 100, (f) => {
        // Repaint at most every percent.
        if (f - last >= 0.01 || f === 1) {
          last = f;
          setState((s) => (s.kind === 'running' ? { kind: 'running', progress: f } : s));
        }
      });
    let r: CancellablePromise<PopulationOutcome>;
    if (bandsFirst) {
      // The bands-only run, then the full run; one handle cancels whichever is in progress.
      let inner: CancellablePromise<PopulationOutcome> = c.start(
        previewPlan(plan, previewAt.current),
        n,
        seed,
        cvPct / 100,
        undefined,
        { metrics: false },
      );
      let cancelled = false;
      const chained = inner.then((outcome) => {
        if (cancelled) return outcome;
        if (!outcome.ok) return outcome;
        performance.mark('ketasim:population-bands');
        setQuick({ result: outcome.result, key: `${n}|${seed}|${cvPct}|${key}` });
        inner = full();
        return inner;
      });
      r = Object.assign(chained, {
        cancel() {
          cancelled = true;
          inner.cancel();
        },
      });
    } else r = full();
    run.current = r;
    r.then(
      (outcome) => {
        if (run.current !== r) return;
        run.current = null;
        // A transition: React renders the result tables in slices, so the main thread never blocks for long.
        if (outcome.ok)
          startTransition(() =>
            setState({ kind: 'done', result: outcome.result, planKey: key, seconds: (performance.now() - t0) / 1000 }),
          );
        else setState({ kind: 'problems', problems: outcome.problems });
      },
      (e: unknown) => {
        if (run.current !== r) return;
        run.current = null;
        const err = e as Error;
        // A cancelled or failed run shows no bands, not even those of its bands-only first part.
        setQuick(null);
        setState(err?.name === 'AbortError' ? { kind: 'cancelled' } : { kind: 'failed', message: err?.message ?? String(e) });
      },
    );
  }, [client, plan, planKey, n, seed, cvPct, bandsFirst]);

  /** The user's cancel: the run stops and the panel says so (an automatic run waits for the next change). */
  const cancel = useCallback(() => {
    run.current?.cancel();
  }, []);

  const valid = nValid && seedValid && cvValid;
  const startLatest = useRef(start);
  startLatest.current = start;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the plan's content and the settings are what restart an automatic run; the start function is read from a ref
  useEffect(() => {
    if (!auto || !valid) return;
    // The plan or a setting changed: drop the run in progress now (its result would be stale), start
    // afresh once the edits settle.
    const r = run.current;
    if (r) {
      run.current = null;
      r.cancel();
    }
    const timer = setTimeout(() => startLatest.current(), debounceMs);
    return () => clearTimeout(timer);
  }, [auto, valid, planKey, n, seed, cvPct, debounceMs]);

  const horizon = state.kind === 'done' ? state.result.t[state.result.t.length - 1] : 0;
  const at = Math.min(atMin, horizon);

  return (
    <section className="panel population-panel" aria-labelledby="population-h" data-testid="population-panel">
      <div className="panel-head">
        <h2 id="population-h">Virtual population</h2>
      </div>
      <div className="population-controls">
        <label>
          Patients (N){' '}
          <select
            aria-label="preset N"
            value={PRESETS.includes(n) ? String(n) : ''}
            onChange={(e) => e.target.value && setN(Number(e.target.value))}
          >
            <option value="">custom</option>
            {PRESETS.map((p) => (
              <option key={p} value={p}>
                {p.toLocaleString('en')}
              </option>
            ))}
          </select>{' '}
          <input
            type="number"
            min={1}
            max={MAX_PANEL_PATIENTS}
            step={1}
            value={n}
            aria-label="N"
            aria-invalid={!nValid}
            onChange={(e) => setN(Math.floor(Number(e.target.value)))}
            style={{ width: '7em' }}
          />
        </label>{' '}
        <label>
          Seed{' '}
          <input
            type="number"
            min={0}
            step={1}
            value={seed}
            aria-label="seed"
            aria-invalid={!seedValid}
            onChange={(e) => setSeed(Number(e.target.value))}
            style={{ width: '6em' }}
          />
        </label>{' '}
        <label title="Used only for parameters without published variability, and labelled ASSUMPTION in the results">
          CV (assumed){' '}
          <input
            type="number"
            min={0}
            max={300}
            step={5}
            value={cvPct}
            aria-label="assumed CV percent"
            aria-invalid={!cvValid}
            onChange={(e) => setCvPct(Number(e.target.value))}
            style={{ width: '4.5em' }}
          />{' '}
          %
        </label>{' '}
        {state.kind === 'running' ? (
          <button type="button" onClick={cancel} data-testid="population-cancel">
            Cancel
          </button>
        ) : (
          <button type="button" onClick={start} disabled={!valid || refusal !== null} data-testid="population-run">
            {auto && state.kind !== 'idle' ? 'Run again' : 'Run'}
          </button>
        )}
      </div>
      {!nValid && (
        <p className="hint" role="alert">
          N: a whole number from 1 to {MAX_PANEL_PATIENTS.toLocaleString('en')}.
        </p>
      )}
      {state.kind === 'running' && (
        <p>
          <progress value={state.progress} max={1} aria-label="population progress" data-testid="population-progress" />{' '}
          {pct(state.progress)}
        </p>
      )}
      {state.kind === 'cancelled' && (
        <p className="hint" role="status" data-testid="population-cancelled">
          Population run cancelled.{' '}
          {auto ? 'It runs again after the next change, or press Run again.' : 'Press Run to start again.'}
        </p>
      )}
      {state.kind === 'problems' && (
        <div className="warning-box" role="alert">
          {state.problems.map((p) => (
            <p key={p.path + p.message}>
              <strong>{p.path}</strong>: {p.message}
            </p>
          ))}
        </div>
      )}
      {refusal !== null && (
        <div className="warning-box" role="status" data-testid="population-refused">
          <p>{refusal}</p>
        </div>
      )}
      {state.kind === 'failed' && (
        <div className="warning-box" role="alert">
          <p>Population run failed: {state.message}</p>
        </div>
      )}
      {state.kind === 'done' && (
        // The stale notice and dimming live outside the (memoised) tables: an edit re-renders neither.
        <div data-testid="population-results" className={stale ? 'population-stale' : undefined} data-stale={stale || undefined}>
          {stale &&
            (auto ? (
              <p className="hint" role="status">
                Recomputing for the edited plan… (these results are for the previous plan)
              </p>
            ) : (
              <p className="warning-box" role="status">
                The plan has changed since this run: these results are for the previous plan. Run again.
              </p>
            ))}
          <PopulationResults result={state.result} seconds={state.seconds} at={at} horizon={horizon} onAt={setAtMin} />
        </div>
      )}
    </section>
  );
});

const PopulationResults = memo(function PopulationResults({
  result,
  seconds,
  at,
  horizon,
  onAt,
}: {
  result: PopulationResult;
  seconds: number;
  at: number;
  horizon: number;
  onAt: (t: number) => void;
}) {
  const job = result.job;
  const j = Math.min(result.t.length - 1, Math.round((at * 60) / job.grid.resolutionSec));
  const assumed = job.parameters.filter((p) => p.kind === 'assumed');
  const ptiles = result.percentiles;
  return (
    <div>
      <p className="muted">
        {job.n.toLocaleString('en')} virtual patients, seed {job.seed}, {job.model.name}; {seconds.toFixed(2)} s.
      </p>
      {assumed.length > 0 && (
        <div className="warning-box" data-testid="population-assumption">
          <p>
            <strong>ASSUMPTION</strong>: {assumed.map((p) => p.name).join(', ')} vary with an assumed CV of{' '}
            {(job.cv * 100).toFixed(0)}% — no published variability for{' '}
            {assumed.length === job.parameters.length ? 'any parameter of this model' : 'these parameters'}.
          </p>
        </div>
      )}
      <details>
        <summary>Variability of each parameter, and every assumption</summary>
        <table className="metrics">
          <thead>
            <tr>
              <th>parameter</th>
              <th>typical</th>
              <th>CV</th>
              <th>source</th>
            </tr>
          </thead>
          <tbody>
            {job.parameters.map((p) => (
              <tr key={p.name} data-kind={p.kind}>
                <th scope="row">{p.name}</th>
                <td>
                  {p.typical.toPrecision(4)} {p.unit}
                </td>
                <td>{p.kind === 'fixed' ? 'fixed' : `${(p.cv * 100).toFixed(1)}%`}</td>
                <td>{p.kind === 'assumed' ? <strong>{p.source}</strong> : p.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ul>
          {job.assumptions.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
        {job.covariances.map((c) => (
          <p key={c.a + c.b} className="hint">
            {c.a}–{c.b} correlation {c.correlation.toFixed(2)} ({c.source})
          </p>
        ))}
      </details>
      <label>
        at minute{' '}
        <input
          type="range"
          min={0}
          max={horizon}
          step={job.grid.resolutionSec / 60}
          value={at}
          onChange={(e) => onAt(Number(e.target.value))}
          aria-label="minute"
        />{' '}
        <strong>{result.t[j].toFixed(1)} min</strong>
      </label>
      <CeAt result={result} j={j} />
      <h3>Chance that Ce is at or above each band bound</h3>
      <table className="metrics" data-testid="population-probabilities">
        <thead>
          <tr>
            <th>band</th>
            <th>Ce ≥</th>
            <th>chance at {result.t[j].toFixed(1)} min</th>
            <th>over time (0–{horizon.toFixed(0)} min)</th>
          </tr>
        </thead>
        <tbody>
          {result.probabilities.map((p) => (
            <tr key={p.band + p.bound} data-band={p.band} data-bound={p.bound}>
              <th scope="row">
                {p.band} ({p.bound === 'low' ? 'reached' : 'exceeded'})
              </th>
              <td>{p.ngMl} ng/mL</td>
              <td className="value">{pct(p.atLeast[j])}</td>
              <td>
                <Sparkline p={p} t={result.t} j={j} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Per-patient metrics across the population</h3>
      <table className="metrics" data-testid="population-metrics">
        <thead>
          <tr>
            <th>metric</th>
            {ptiles.map((q) => (
              <th key={q}>{q}th</th>
            ))}
            <th>mean</th>
            <th>patients without a value</th>
          </tr>
        </thead>
        <tbody>
          {result.metrics
            .filter((m) => !m.id.endsWith('lastExitMin'))
            .map((m) => (
              <tr key={m.id} data-metric={m.id}>
                <th scope="row">{m.label}</th>
                {m.values.map((v, i) => (
                  <td key={ptiles[i]}>{num(v, m.unit)}</td>
                ))}
                <td>{num(m.mean, m.unit)}</td>
                <td>{job.n - m.count > 0 ? `${job.n - m.count} (${m.missingMeans})` : '0'}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <p className="hint">
        Percentiles are exact over all {job.n.toLocaleString('en')} virtual patients (linear interpolation between order
        statistics, as numpy). Virtual patients share the plan's covariates and differ only by inter-individual variability.
      </p>
    </div>
  );
});

/** The percentiles of Ce (and Cp) at the chosen minute, as numbers. */
function CeAt({ result, j }: { result: PopulationResult; j: number }) {
  const p = result.percentiles;
  const row = (label: string, cols: readonly Float64Array[], id: string) => (
    <tr data-testid={`population-${id}-at`}>
      <th scope="row">{label}</th>
      {cols.map((c, i) => (
        <td key={p[i]} data-percentile={p[i]}>
          {c[j].toPrecision(3)}
        </td>
      ))}
    </tr>
  );
  return (
    <table className="metrics population-at">
      <caption>Concentration percentiles at {result.t[j].toFixed(1)} min (ng/mL)</caption>
      <thead>
        <tr>
          <th />
          {p.map((q) => (
            <th key={q}>{q === 50 ? 'median' : `${q}th`}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {row('Ce', result.ce, 'ce')}
        {row('Cp', result.cp, 'cp')}
      </tbody>
    </table>
  );
}

/** P(Ce ≥ bound) over time as a small line (0 at the bottom, 1 at the top), with the chosen minute marked. */
function Sparkline({ p, t, j }: { p: ThresholdProbability; t: Float64Array; j: number }) {
  const w = 160,
    h = 28;
  const d = useMemo(() => {
    const n = t.length,
      step = Math.max(1, Math.floor(n / w));
    const tEnd = t[n - 1] || 1;
    const parts: string[] = [];
    for (let k = 0; k < n; k += step)
      parts.push(`${k === 0 ? 'M' : 'L'}${((t[k] / tEnd) * w).toFixed(1)},${(h - p.atLeast[k] * h).toFixed(1)}`);
    return parts.join('');
  }, [p, t]);
  const x = (t[j] / (t[t.length - 1] || 1)) * w;
  return (
    <svg width={w} height={h} role="img" aria-label={`chance over time that Ce ≥ ${p.ngMl} ng/mL`}>
      <rect x={0} y={0} width={w} height={h} fill="none" stroke="#e3e6ea" />
      <path d={d} fill="none" stroke="#d62728" strokeWidth={1.5} />
      <line x1={x} x2={x} y1={0} y2={h} stroke="#555" strokeDasharray="2 2" />
    </svg>
  );
}
