/**
 * The main thread's handle on the simulation worker: the simulation API over the one worker bridge
 * (workers/bridge.ts). `simulate` is latest-wins (a burst of edits costs at most two predictions and the
 * caller only receives the newest result); an AbortSignal cancels one request; the worker starts on first
 * use and stops after `idleMs` without work. Types come from the API (`Remote<SimulationApi>`).
 */
import type { Catalogue, FullSeriesOutcome, SimulateRequest, SimulateResponse, SimulationApi } from './simulation-api.ts';
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

/** Timing of one completed simulate request, ms (performance.now() clock). */
export interface RequestTiming {
  readonly sentAt: number;
  readonly receivedAt: number;
  /** Time the worker spent on it. */
  readonly workerMs: number;
}

/** Name of the User Timing measure recorded for each delivered simulate request (detail: { workerMs }). */
export const SIMULATE_MEASURE = 'ketasim:simulate';

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

  /** Latest-wins prediction (see the module comment). */
  simulate(req: SimulateRequest, signal?: AbortSignal): Promise<SimulateResponse> {
    return this.bridge.run(
      async (api, jobSignal) => {
        const sentAt = performance.now();
        const res = (await api.simulate(req)) as SimulateResponse;
        if (!jobSignal.aborted) {
          const receivedAt = performance.now();
          this.lastTiming = { sentAt, receivedAt, workerMs: res.workerMs };
          this.measure(sentAt, receivedAt, res.workerMs);
        }
        return res;
      },
      { channel: 'simulate', signal },
    );
  }

  private measure(start: number, end: number, workerMs: number): void {
    if (typeof performance.measure !== 'function') return;
    if (++this.measures > 1000) {
      performance.clearMeasures(SIMULATE_MEASURE);
      this.measures = 1;
    }
    performance.measure(SIMULATE_MEASURE, { start, end, detail: { workerMs } });
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

  /** Name of the scope the API runs in. */
  whereAmI(): Promise<string> {
    return this.bridge.run((api) => api.whereAmI());
  }
}
