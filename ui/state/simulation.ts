// `startSimulation`: scenario → worker requests at most one per animation frame; `Results` store keeping last valid prediction.
import type { Problem } from '../../engine/plan.ts';
import type { Catalogue, ScenarioOk, SimulateRequest, SimulateResponse } from '../../workers/simulation-api.ts';
import { isAbortError, type SimulationClient } from '../../workers/simulation-client.ts';
import { scenarioToPlanInput, type PinnedScenario, type Scenario } from './scenario.ts';
import { createStore, type Store } from './store.ts';

/**
 * The bridge from the scenario record to the worker: every change to what the prediction depends on
 * (the plan, the pinned plans, the window, the plot width) sends one request, at most one per
 * animation frame (leading edge: the first edit of a frame goes at once, later ones in the same
 * frame are coalesced into one request at the next frame). Results land in the result store; a
 * draft with problems keeps the last valid prediction on screen and records the problems.
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
  return o && o.ok ? o : null;
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
}

export interface SimulationController {
  readonly results: Store<Results>;
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

export function startSimulation(opts: SimulationControllerOptions): SimulationController {
  const results = opts.results ?? createStore<Results>(EMPTY_RESULTS);
  const nextFrame = opts.nextFrame ?? defaultNextFrame;
  const { client } = opts;
  let lastKey = '';
  let frameOpen = false;
  let dirty = false;
  let stopped = false;
  let outstanding = 0;

  const send = (force: boolean) => {
    const scenario = opts.scenario.get();
    const req = requestFor(scenario, opts.layout.get());
    const key = JSON.stringify(req);
    if (!force && key === lastKey) return;
    lastKey = key;
    outstanding++;
    results.set((r) => (r.busy ? r : { ...r, busy: true, busySince: performance.now() }));
    client
      .simulate(req)
      .then(
        (res) => {
          if (stopped) return;
          const o = res.outcomes[0];
          results.set((r) =>
            o.ok
              ? { ...r, shown: res, shownPinned: scenario.pinned, problems: null, error: null, revision: r.revision + 1 }
              : { ...r, problems: o.problems, error: null },
          );
        },
        (e) => {
          if (stopped || isAbortError(e)) return;
          lastKey = ''; // let the next edit retry
          results.set((r) => ({ ...r, error: `The prediction failed: ${(e as Error).message}` }));
        },
      )
      .finally(() => {
        if (--outstanding === 0 && !stopped) results.set((r) => ({ ...r, busy: false, busySince: null }));
      });
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
    refresh: () => send(true),
    stop() {
      stopped = true;
      for (const u of unsubs) u();
    },
  };
}
