// `startSimulation`: scenario → worker requests at most one per animation frame; `Results` store keeping last valid prediction.
import type { Problem } from '../../engine/plan.ts';
import type {
  Catalogue,
  ScenarioOk,
  ScenarioOutcome,
  SimulateRequest,
  SimulateResponse,
  SimulateSeriesResponse,
} from '../../workers/simulation-api.ts';
import { isAbortError, type SimulationClient } from '../../workers/simulation-client.ts';
import { scenarioToPlanInput, type PinnedScenario, type Scenario } from './scenario.ts';
import { createStore, type Store } from './store.ts';

/**
 * The bridge from the scenario record to the worker: every change to what the prediction depends on
 * (the plan, the pinned plans, the window, the plot width) sends one request, at most one per
 * animation frame (leading edge: the first edit of a frame goes at once, later ones in the same
 * frame are coalesced into one request at the next frame). Results land in the result store; a
 * draft with problems keeps the last valid prediction on screen and records the problems.
 *
 * The curve comes first: the worker answers an edit's curves before it computes their metrics
 * (SimulationClient.simulate's `onSeries`). `results` (what the concentration chart reads) takes the
 * curves at once, still carrying the previous metrics for the edited plan, and the whole answer a few
 * milliseconds later; `complete` takes whole answers only, so the panels that show metrics (which
 * follow it, ui/main.tsx) never show one plan's metrics beside another's curve. Results are only
 * published early when every other outcome's metrics are known exactly (pinned plans unchanged).
 */
export interface Results {
  /** The last response whose edited plan (plans[0]) was valid: what the chart and metrics show. */
  readonly shown: SimulateResponse | null;
  /** Problems of the plan as currently typed, or null when it is valid. */
  readonly problems: readonly Problem[] | null;
  /** A request is waiting or in the worker. */
  readonly busy: boolean;
  /** performance.now() when the current busy spell began (for the progress indicator). */
  readonly busySince: number | null;
  /** An unexpected failure (not a plan problem), as a sentence. */
  readonly error: string | null;
  readonly catalogue: Catalogue | null;
  /** How many responses have been shown (for tests and the bench). */
  readonly revision: number;
  /** The pinned scenarios as they were when `shown` was requested (outcomes[1..] belong to them, in order). */
  readonly shownPinned: readonly PinnedScenario[];
}

export const EMPTY_RESULTS: Results = {
  shown: null,
  problems: null,
  busy: false,
  busySince: null,
  error: null,
  catalogue: null,
  revision: 0,
  shownPinned: [],
};

/** The edited scenario's outcome in a shown response. */
export const current = (r: Results): ScenarioOk | null => currentOf(r.shown);
/** The edited scenario's outcome in a response, when valid. */
export const currentOf = (shown: SimulateResponse | null): ScenarioOk | null => {
  const o = shown?.outcomes[0];
  return o?.ok ? o : null;
};

/** Layout facts the prediction depends on but which are not part of the scenario. */
export interface Layout {
  /** Pixel width of the plot area. */
  readonly plotWidthPx: number;
}

/** The request a scenario implies. */
export function requestFor(s: Scenario, layout: Layout): SimulateRequest {
  return {
    plans: [scenarioToPlanInput(s.plan), ...s.pinned.map((p) => p.plan)],
    view: s.view,
    buckets: Math.max(16, Math.round(layout.plotWidthPx)),
    // The hover readout asks for the full-resolution series itself, only while the pointer is on the chart
    // (ui/chart/ChartPanel.tsx): copying 2 × 86,401 doubles on every edit slowed each key press.
    full: false,
  };
}

export interface SimulationControllerOptions {
  readonly scenario: Store<Scenario>;
  readonly layout: Store<Layout>;
  readonly results?: Store<Results>;
  readonly client: SimulationClient;
  /** Calls back at the next frame (default requestAnimationFrame, with a timer fallback for hidden tabs). */
  readonly nextFrame?: (cb: () => void) => void;
  /** Calls back just after the next frame is painted (default: a task queued from requestAnimationFrame; a timer without frames). */
  readonly afterPaint?: (cb: () => void) => void;
  /**
   * Ask for an edit's metrics only after the frame that paints its curve (default false: asked together
   * with the curves). The dashboard sets it: on a machine with few cores the worker's metrics work would
   * otherwise compete with that frame for the CPU. The metric panels follow the curve a frame later.
   */
  readonly metricsAfterPaint?: boolean;
}

export interface SimulationController {
  /** Every answer as it arrives: the curves first (see above), then the whole answer. */
  readonly results: Store<Results>;
  /** Whole answers only (curves with their own metrics): what the metric panels read. */
  readonly complete: Store<Results>;
  /** Send a request for the current scenario now, even if nothing changed. */
  refresh(): void;
  stop(): void;
}

function defaultNextFrame(cb: () => void): void {
  let done = false;
  const once = () => {
    if (!done) {
      done = true;
      cb();
    }
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(once);
  setTimeout(once, 100);
}

function defaultAfterPaint(cb: () => void): void {
  let done = false;
  const once = () => {
    if (!done) {
      done = true;
      cb();
    }
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, typeof requestAnimationFrame === 'function' ? 100 : 0);
}

export function startSimulation(opts: SimulationControllerOptions): SimulationController {
  const results = opts.results ?? createStore<Results>(EMPTY_RESULTS);
  const complete = createStore<Results>(results.get());
  // `complete` follows `results`, except that while `results` shows an answer's curves without their
  // metrics (`early`), `complete` keeps the last whole answer (and everything else follows).
  let early: SimulateResponse | null = null;
  results.subscribe(() => {
    const r = results.get();
    complete.set((c) =>
      r.shown !== null && r.shown === early ? { ...r, shown: c.shown, shownPinned: c.shownPinned, revision: c.revision } : r,
    );
  });
  const nextFrame = opts.nextFrame ?? defaultNextFrame;
  const afterPaint = opts.afterPaint ?? defaultAfterPaint;
  const { client } = opts;
  let lastKey = '';
  let frameOpen = false;
  let dirty = false;
  let stopped = false;
  let outstanding = 0;

  /** Put a response on screen: the edited plan is valid, so no problems and no error; one more revision. */
  const show = (res: SimulateResponse, pinned: readonly PinnedScenario[]) =>
    results.set((r) => ({ ...r, shown: res, shownPinned: pinned, problems: null, error: null, revision: r.revision + 1 }));

  const send = (force: boolean) => {
    const scenario = opts.scenario.get();
    const req = requestFor(scenario, opts.layout.get());
    const key = JSON.stringify(req);
    if (!force && key === lastKey) return;
    lastKey = key;
    outstanding++;
    let mine: SimulateResponse | null = null; // this request's early response, once shown
    const onSeries = (s: SimulateSeriesResponse) => {
      if (stopped) return;
      const res = earlyResponse(s, results.get().shown);
      if (!res) return;
      early = mine = res;
      show(res, scenario.pinned);
    };
    const settled = () => {
      if (--outstanding === 0 && !stopped) results.set((r) => ({ ...r, busy: false, busySince: null }));
    };
    // With `metricsAfterPaint`, an edit whose curve went on screen early asks for its metrics once that
    // frame is painted: the worker's metrics work then does not compete for the CPU with the frame.
    const metricsAfter = opts.metricsAfterPaint
      ? () => (mine === null ? undefined : new Promise<void>((resolve) => afterPaint(() => resolve())))
      : undefined;
    // Posted first, the busy flag (and whatever follows it) after: the worker starts on the edit sooner.
    const answer = client.simulate(req, undefined, onSeries, { metricsAfter });
    results.set((r) => (r.busy ? r : { ...r, busy: true, busySince: performance.now() }));
    answer.then(
      (res) => {
        if (stopped) return settled();
        const o = res.outcomes[0];
        if (!o.ok) {
          results.set((r) => ({ ...r, problems: o.problems, error: null }));
          return settled();
        }
        const publish = () => show(res, scenario.pinned);
        if (mine === null) {
          publish();
          return settled();
        }
        if (results.get().shown !== mine) return settled(); // a newer answer is on screen already
        // The curve is on screen already: the panels get the metrics now (after the next paint, as
        // always), the chart's store after that paint, so its re-render (same curve) never delays the
        // frame that paints the edit.
        const whole = { shown: res, shownPinned: scenario.pinned };
        complete.set((c) => ({ ...c, ...whole, problems: null, error: null, revision: c.revision + 1 }));
        const shownEarly = mine;
        afterPaint(() => {
          if (!stopped && results.get().shown === shownEarly) publish();
          settled();
        });
      },
      (e) => {
        if (!stopped && !isAbortError(e)) {
          lastKey = ''; // let the next edit retry
          results.set((r) => ({ ...r, error: `The prediction failed: ${(e as Error).message}` }));
        }
        settled();
      },
    );
  };

  const request = () => {
    if (stopped) return;
    if (frameOpen) {
      dirty = true;
      return;
    }
    send(false);
    frameOpen = true;
    nextFrame(() => {
      frameOpen = false;
      if (dirty) {
        dirty = false;
        request();
      }
    });
  };

  const unsubs = [opts.scenario.subscribe(request), opts.layout.subscribe(request)];
  // The first prediction goes first: the worker answers in order, so the model list (which the chart
  // does not need) is asked for after it.
  request();
  client.catalogue().then(
    (catalogue) => results.set((r) => ({ ...r, catalogue })),
    (e) => results.set((r) => ({ ...r, error: `The model list could not be loaded: ${(e as Error).message}` })),
  );
  return {
    results,
    complete,
    refresh: () => send(true),
    stop() {
      stopped = true;
      for (const u of unsubs) u();
    },
  };
}

/**
 * The curves of a series-first answer as a response the chart can draw at once: the edited plan's
 * outcome carries the metrics of the plan shown before (the chart never reads them; the metric panels
 * read `complete`), and every pinned outcome the metrics of the same plan shown before. Null when that
 * cannot be done (no valid plan shown yet, the edited plan not valid, a pinned plan that is new or
 * changed, or not valid): the answer is then published whole, when its metrics arrive.
 */
export function earlyResponse(s: SimulateSeriesResponse, shown: SimulateResponse | null): SimulateResponse | null {
  const before = currentOf(shown);
  if (!before || !shown || !s.outcomes[0]?.ok) return null;
  const outcomes: ScenarioOutcome[] = [];
  for (let i = 0; i < s.outcomes.length; i++) {
    const o = s.outcomes[i];
    if (i === 0) {
      if (!o.ok) return null;
      outcomes.push({ ...o, metrics: before.metrics });
      continue;
    }
    const prev = shown.outcomes[i];
    if (!o.ok || !prev?.ok || JSON.stringify(prev.plan) !== JSON.stringify(o.plan)) return null;
    outcomes.push({ ...o, metrics: prev.metrics });
  }
  return { outcomes, domain: s.domain, computedIn: s.computedIn, workerMs: s.workerMs };
}
