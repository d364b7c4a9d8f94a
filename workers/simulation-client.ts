/**
 * The main thread's handle on the simulation worker: the simulation API over the one worker bridge
 * (workers/bridge.ts). `simulate` is latest-wins (a burst of edits costs at most two predictions and the
 * caller only receives the newest result); an AbortSignal cancels one request; the worker starts on first
 * use and stops after `idleMs` without work. Types come from the API (`Remote<SimulationApi>`).
 */
import type {
  Catalogue,
  FullSeriesOutcome,
  ScenarioOutcome,
  SimulatePhases,
  SimulateRequest,
  SimulateResponse,
  SimulateSeriesResponse,
  SimulationApi,
} from './simulation-api.ts';
import type { Metrics } from '../engine/metrics.ts';
import {
  isAbortError,
  moduleWorker,
  WorkerAbortError,
  WorkerBridge,
  type Connect,
  type Connection as BridgeConnection,
  type Remote,
} from './bridge.ts';

export { isAbortError };

/** The simulation API as awaited through comlink (derived from the implementation's type). */
export type ApiLike = Remote<SimulationApi>;

/** A connection to the simulation API. */
export type Connection = BridgeConnection<ApiLike>;

/** What an API function resolves to. */
type Answer<K extends keyof SimulationApi> = Awaited<ReturnType<SimulationApi[K]>>;

export interface SimulationClientOptions {
  /** Opens a connection; default: a module Worker running workers/simulation.worker.ts, wrapped by comlink. */
  readonly connect?: Connect<ApiLike> | (() => Connection);
  /** Terminate the worker after this long without calls, ms (default 10 min; Infinity = never). */
  readonly idleMs?: number;
}

/** Options of `SimulationClient.simulate`. */
export interface SimulateOptions {
  /**
   * With `onSeries`: ask the worker for the metrics only after this is called (just after `onSeries`)
   * and the promise it returns, if any, has resolved — e.g. once the frame that paints the curve is
   * painted, so the worker's metrics work does not compete for the CPU with that frame. Without it the
   * metrics call is posted right behind the curves' call. A request superseded or aborted while waiting
   * never asks for its metrics.
   */
  readonly metricsAfter?: () => Promise<void> | undefined;
}

/** Resolves when `p` settles or `signal` aborts, whichever comes first (never rejects). */
function untilOrAborted(p: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    p.then(done, done);
  });
}

/** Timing of one completed simulate request, ms (performance.now() clock). */
export interface RequestTiming {
  readonly sentAt: number;
  readonly receivedAt: number;
  /** Time the worker spent on it. */
  readonly workerMs: number;
}

/**
 * Name of the User Timing measure recorded for each delivered simulate request: request sent → the
 * curve on the main thread (with `onSeries`, the first half's arrival). Detail: { workerMs, phases }.
 */
export const SIMULATE_MEASURE = 'ketasim:simulate';
/** The measure of the same request's metrics: request sent → metrics on the main thread (detail: { workerMs }). */
export const SIMULATE_METRICS_MEASURE = 'ketasim:simulate-metrics';

/** A series-first answer made whole with its metrics (`simulateMetrics`, index for index). */
export function withMetrics(s: SimulateSeriesResponse, metrics: readonly (Metrics | null)[]): SimulateResponse {
  const outcomes = s.outcomes.map((o, i): ScenarioOutcome => {
    if (!o.ok) return o;
    const m = metrics[i];
    if (!m) throw new Error(`the worker returned no metrics for plans[${i}]`);
    return { ...o, metrics: m };
  });
  return { outcomes, domain: s.domain, computedIn: s.computedIn, workerMs: s.workerMs };
}

/** The rejection of a superseded or aborted request. */
export function abortError(message = 'superseded by a newer request'): Error {
  return new WorkerAbortError(message);
}

/** The app's simulation worker, wrapped by comlink. */
export const workerConnection: Connect<ApiLike> = moduleWorker<SimulationApi>(
  () => new Worker(new URL('./simulation.worker.ts', import.meta.url), { type: 'module', name: 'ketasim-simulation' }),
  'simulation',
);

export class SimulationClient {
  private readonly bridge: WorkerBridge<ApiLike>;
  private catalogueP: Promise<Catalogue> | null = null;
  private routesP: Promise<Answer<'routes'>> | null = null;
  private measures = 0;
  /** Timing of the last delivered simulate request. */
  lastTiming: RequestTiming | null = null;

  constructor(options: SimulationClientOptions = {}) {
    this.bridge = new WorkerBridge<ApiLike>({ connect: options.connect ?? workerConnection, idleMs: options.idleMs });
  }

  /** How many workers this client has started (1 unless idle shutdowns happened). */
  get connections(): number {
    return this.bridge.connections;
  }

  /** True while a worker is running. */
  get connected(): boolean {
    return this.bridge.connected;
  }

  /** Terminate the worker now (a later call starts a new one). Waiting requests reject with an AbortError. */
  shutdown(): void {
    this.bridge.shutdown('the simulation worker was shut down');
  }

  /**
   * Latest-wins prediction (see the module comment). With `onSeries`, the request goes as two calls
   * posted together (`simulateSeries`, then `simulateMetrics`): the worker answers the first as soon as
   * the curves are reduced and computes the metrics after it, so `onSeries` receives everything but the
   * metrics while they are still being computed; the promise resolves with the whole answer, the same
   * as `api.simulate`'s. `onSeries` is not called for a request superseded before its curves arrive.
   */
  simulate(
    req: SimulateRequest,
    signal?: AbortSignal,
    onSeries?: (series: SimulateSeriesResponse) => void,
    options: SimulateOptions = {},
  ): Promise<SimulateResponse> {
    return this.bridge.run(
      async (api, jobSignal) => {
        const sentAt = performance.now();
        if (!onSeries) {
          const res = (await api.simulate(req)) as SimulateResponse & { phases?: SimulatePhases };
          if (!jobSignal.aborted) {
            const receivedAt = performance.now();
            this.lastTiming = { sentAt, receivedAt, workerMs: res.workerMs };
            this.measure(SIMULATE_MEASURE, sentAt, receivedAt, { workerMs: res.workerMs, phases: res.phases ?? null });
          }
          return res;
        }
        type MetricsAnswer = { metrics: (Metrics | null)[]; workerMs: number };
        const seriesP = api.simulateSeries(req) as Promise<SimulateSeriesResponse>;
        const metricsCall = () => {
          const p = api.simulateMetrics(req.plans) as Promise<MetricsAnswer>;
          p.catch(() => {}); // awaited below; a failure of the first call is the one reported
          return p;
        };
        let metricsP: Promise<MetricsAnswer> | null = options.metricsAfter ? null : metricsCall();
        const series = await seriesP;
        if (!jobSignal.aborted) {
          const receivedAt = performance.now();
          this.lastTiming = { sentAt, receivedAt, workerMs: series.workerMs };
          onSeries(series);
          // Recorded after the hand-over (same start and end): the curve does not wait for the bookkeeping.
          this.measure(SIMULATE_MEASURE, sentAt, receivedAt, { workerMs: series.workerMs, phases: series.phases });
        }
        if (!metricsP) {
          const wait = options.metricsAfter?.();
          if (wait) await untilOrAborted(wait, jobSignal);
          if (jobSignal.aborted) throw abortError(); // superseded meanwhile: its metrics are never asked for
          metricsP = metricsCall();
        }
        const m = await metricsP;
        if (!jobSignal.aborted) this.measure(SIMULATE_METRICS_MEASURE, sentAt, performance.now(), { workerMs: m.workerMs });
        return withMetrics(series, m.metrics);
      },
      { channel: 'simulate', signal },
    );
  }

  private measure(name: string, start: number, end: number, detail: Record<string, unknown>): void {
    if (typeof performance.measure !== 'function') return;
    if (++this.measures > 1000) {
      performance.clearMeasures(SIMULATE_MEASURE);
      performance.clearMeasures(SIMULATE_METRICS_MEASURE);
      this.measures = 1;
    }
    performance.measure(name, { start, end, detail });
  }

  /** A plan's full-resolution cp and ce for the hover readout (latest wins: a newer request supersedes an older one). */
  fullSeries(plan: unknown, signal?: AbortSignal): Promise<FullSeriesOutcome> {
    return this.bridge.run((api) => api.fullSeries(plan) as Promise<FullSeriesOutcome>, { channel: 'full', signal });
  }

  /** The model registry (fetched once). */
  catalogue(): Promise<Catalogue> {
    this.catalogueP ??= this.bridge
      .run((api) => api.catalogue() as Promise<Catalogue>)
      .catch((e) => {
        this.catalogueP = null;
        throw e;
      });
    return this.catalogueP;
  }

  /** Validate plan JSON text (a share link's payload). */
  parseText(text: string): Promise<Answer<'parseText'>> {
    return this.bridge.run((api) => api.parseText(text) as Promise<Answer<'parseText'>>);
  }

  /** Validate a plan object. */
  validate(input: unknown): Promise<Answer<'validate'>> {
    return this.bridge.run((api) => api.validate(input) as Promise<Answer<'validate'>>);
  }

  /** A plan's prediction as CLI-format CSV. */
  csv(input: unknown): Promise<string> {
    return this.bridge.run((api) => api.csv(input));
  }

  /** A plan's dose-safety warnings under a clinic's limit overrides (ui/settings), and the limits in force. */
  doseSafety(input: unknown, overrides: Readonly<Record<string, number | null>>): Promise<Answer<'doseSafety'>> {
    return this.bridge.run((api) => api.doseSafety(input, overrides) as Promise<Answer<'doseSafety'>>);
  }

  /** The sweet-spot view's numbers for a plan and dose axis (latest-wins on its own channel). */
  sweetSpot(req: Parameters<SimulationApi['sweetSpot']>[0], signal?: AbortSignal): Promise<Answer<'sweetSpot'>> {
    return this.bridge.run((api) => api.sweetSpot(req) as Promise<Answer<'sweetSpot'>>, { channel: 'sweet-spot', signal });
  }

  /** The non-IV routes of each registry model (fetched once). */
  routes(): Promise<Answer<'routes'>> {
    this.routesP ??= this.bridge
      .run((api) => api.routes() as Promise<Answer<'routes'>>)
      .catch((e) => {
        this.routesP = null;
        throw e;
      });
    return this.routesP;
  }

  /** "IV can be stopped, intranasal cannot" for a decision minute and IV dose (latest-wins on its own channel). */
  stopComparison(req: Parameters<SimulationApi['stopComparison']>[0], signal?: AbortSignal): Promise<Answer<'stopComparison'>> {
    return this.bridge.run((api) => api.stopComparison(req) as Promise<Answer<'stopComparison'>>, {
      channel: 'stop-comparison',
      signal,
    });
  }

  /** Name of the scope the API runs in. */
  whereAmI(): Promise<string> {
    return this.bridge.run((api) => api.whereAmI());
  }
}
