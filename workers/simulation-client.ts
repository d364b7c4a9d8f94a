import * as Comlink from 'comlink';
import type { Catalogue, SimulateRequest, SimulateResponse, SimulationApi } from './simulation-api.ts';

/**
 * The main thread's handle on the simulation worker (Squoosh's worker bridge, DESIGN.md rule 7).
 *
 * `simulate` is latest-wins: at most one request is in the worker and at most one waits behind it. A
 * newer request replaces the waiting one (which rejects with an AbortError without ever being sent)
 * and marks the one in the worker stale (its result, when it comes, is dropped and rejects with an
 * AbortError). So the caller only ever receives the newest result, and a burst of edits costs at
 * most two predictions. An AbortSignal does the same for one request. The worker is created lazily
 * and, after `idleMs` without calls, terminated; the next call starts a new one.
 */

/** The API as awaited through comlink (every function async). */
export type ApiLike = {
  [K in keyof SimulationApi]: (...args: Parameters<SimulationApi[K]>) => Promise<Awaited<ReturnType<SimulationApi[K]>>>;
};

/** A connection to the API: what to call, and how to let it go. */
export interface Connection {
  readonly api: ApiLike;
  dispose(): void;
}

export interface SimulationClientOptions {
  /** Opens a connection; default: a module Worker running workers/simulation.worker.ts, wrapped by comlink. */
  readonly connect?: () => Connection;
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
  return new DOMException(message, 'AbortError');
}
/** True for the rejection of a superseded or aborted request (comlink-safe: checks the name, not the class). */
export const isAbortError = (e: unknown): boolean => (e as { name?: unknown } | null)?.name === 'AbortError';

/** The app's worker, wrapped by comlink. */
export function workerConnection(): Connection {
  const worker = new Worker(new URL('./simulation.worker.ts', import.meta.url), { type: 'module', name: 'ketasim-simulation' });
  const remote = Comlink.wrap<SimulationApi>(worker);
  return {
    api: remote as unknown as ApiLike,
    dispose() {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

interface Job {
  readonly req: SimulateRequest;
  readonly resolve: (r: SimulateResponse) => void;
  readonly reject: (e: unknown) => void;
  stale: boolean;
  cleanup: () => void;
}

export class SimulationClient {
  private readonly connectFn: () => Connection;
  private readonly idleMs: number;
  private conn: Connection | null = null;
  private inFlight: Job | null = null;
  private pending: Job | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private catalogueP: Promise<Catalogue> | null = null;
  private measures = 0;
  /** How many workers this client has started (1 unless idle shutdowns happened). */
  connections = 0;
  /** Timing of the last delivered simulate request. */
  lastTiming: RequestTiming | null = null;

  constructor(options: SimulationClientOptions = {}) {
    this.connectFn = options.connect ?? workerConnection;
    this.idleMs = options.idleMs ?? 10 * 60_000;
  }

  private api(): ApiLike {
    if (!this.conn) {
      this.conn = this.connectFn();
      this.connections++;
    }
    this.touch();
    return this.conn.api;
  }

  private touch(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!Number.isFinite(this.idleMs)) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.inFlight || this.pending) this.touch();
      else this.shutdown();
    }, this.idleMs);
  }

  /** Terminate the worker now (a later call starts a new one). Waiting requests reject with an AbortError. */
  shutdown(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    for (const job of [this.pending, this.inFlight]) {
      if (job) {
        job.cleanup();
        job.reject(abortError('the simulation worker was shut down'));
      }
    }
    this.pending = this.inFlight = null;
    this.conn?.dispose();
    this.conn = null;
  }

  /** True while a worker is running. */
  get connected(): boolean {
    return this.conn !== null;
  }

  /** Latest-wins prediction (see the module comment). */
  simulate(req: SimulateRequest, signal?: AbortSignal): Promise<SimulateResponse> {
    return new Promise<SimulateResponse>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError('aborted'));
        return;
      }
      const job: Job = { req, resolve, reject, stale: false, cleanup: () => {} };
      if (signal) {
        const onAbort = () => {
          if (this.pending === job) {
            this.pending = null;
            reject(abortError('aborted'));
          } else if (this.inFlight === job) job.stale = true;
        };
        signal.addEventListener('abort', onAbort, { once: true });
        job.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      if (this.pending) {
        this.pending.cleanup();
        this.pending.reject(abortError());
        this.pending = null;
      }
      if (this.inFlight) {
        this.inFlight.stale = true;
        this.pending = job;
      } else this.send(job);
    });
  }

  private send(job: Job): void {
    this.inFlight = job;
    const sentAt = performance.now();
    const settle = (ok: boolean, value: unknown) => {
      if (this.inFlight !== job) return; // shut down meanwhile; already rejected
      this.inFlight = null;
      job.cleanup();
      if (job.stale) job.reject(abortError());
      else if (ok) {
        const res = value as SimulateResponse;
        const receivedAt = performance.now();
        this.lastTiming = { sentAt, receivedAt, workerMs: res.workerMs };
        this.measure(sentAt, receivedAt, res.workerMs);
        job.resolve(res);
      } else job.reject(value);
      const next = this.pending;
      this.pending = null;
      if (next) this.send(next);
      else this.touch();
    };
    let call: Promise<SimulateResponse>;
    try {
      call = this.api().simulate(job.req);
    } catch (e) {
      call = Promise.reject(e);
    }
    call.then(
      (r) => settle(true, r),
      (e) => settle(false, e),
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

  /** The model registry (fetched once). */
  catalogue(): Promise<Catalogue> {
    this.catalogueP ??= this.api()
      .catalogue()
      .catch((e) => {
        this.catalogueP = null;
        throw e;
      });
    return this.catalogueP;
  }

  /** Validate plan JSON text (a share link's payload). */
  parseText(text: string): ReturnType<ApiLike['parseText']> {
    return this.api().parseText(text);
  }

  /** Validate a plan object. */
  validate(input: unknown): ReturnType<ApiLike['validate']> {
    return this.api().validate(input);
  }

  /** A plan's prediction as CLI-format CSV. */
  csv(input: unknown): Promise<string> {
    return this.api().csv(input);
  }

  /** Name of the scope the API runs in. */
  whereAmI(): Promise<string> {
    return this.api().whereAmI();
  }
}
