import * as Comlink from 'comlink';
import type {
  LiveAnalyzeRequest,
  LiveAnalyzeResponse,
  LiveApi,
  PersonalBandResponse,
  PlannerRequest,
  PlannerResponse,
  SessionDoseItem,
  SessionDosesResponse,
} from './live-api.ts';
import type { PersonalBandInput } from '../engine/pd/personal-band.ts';

/**
 * The main thread's handle on the live worker (Squoosh's worker bridge, DESIGN.md rule 7). Each kind of
 * request (analysis, planner, personal band, session doses) is its own latest-wins channel: at most one request of
 * that kind is in the worker and at most one waits behind it; a newer request replaces the waiting
 * one (which rejects with an AbortError without being sent) and marks the one in the worker stale (its
 * result is dropped and rejects with an AbortError). So the view only ever receives the newest answer,
 * and a burst of ticks or keystrokes costs at most two computations. The worker starts on first use.
 */

/** The API as awaited through comlink (every function async). */
export type LiveApiLike = {
  [K in keyof LiveApi]: (...args: Parameters<LiveApi[K]>) => Promise<Awaited<ReturnType<LiveApi[K]>>>;
};

export interface LiveConnection {
  readonly api: LiveApiLike;
  dispose(): void;
}

/** The rejection of a superseded request (comlink-safe: recognised by its name, not its class). */
export function supersededError(): Error {
  return new DOMException('superseded by a newer request', 'AbortError');
}
/** True for the rejection of a superseded request. */
export const isSuperseded = (e: unknown): boolean => (e as { name?: unknown } | null)?.name === 'AbortError';

/** The app's live worker, wrapped by comlink. */
export function liveWorkerConnection(): LiveConnection {
  const worker = new Worker(new URL('./live.worker.ts', import.meta.url), { type: 'module', name: 'ketasim-live' });
  const remote = Comlink.wrap<LiveApi>(worker);
  return {
    api: remote as unknown as LiveApiLike,
    dispose() {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

interface Job<Req, Res> {
  readonly req: Req;
  readonly resolve: (r: Res) => void;
  readonly reject: (e: unknown) => void;
  stale: boolean;
}

/** One latest-wins channel over an async call. */
export class LatestWins<Req, Res> {
  private readonly call: (req: Req) => Promise<Res>;
  private inFlight: Job<Req, Res> | null = null;
  private pending: Job<Req, Res> | null = null;
  /** Requests actually sent to the worker (superseded waiting ones are never sent). */
  sent = 0;

  constructor(call: (req: Req) => Promise<Res>) {
    this.call = call;
  }

  /** True while a request is in the worker or waiting. */
  get busy(): boolean {
    return this.inFlight !== null || this.pending !== null;
  }

  run(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      const job: Job<Req, Res> = { req, resolve, reject, stale: false };
      if (this.pending) this.pending.reject(supersededError());
      this.pending = null;
      if (this.inFlight) {
        this.inFlight.stale = true;
        this.pending = job;
      } else this.send(job);
    });
  }

  /** Reject everything waiting or in flight (the worker is going away). */
  cancelAll(): void {
    for (const job of [this.pending, this.inFlight]) job?.reject(supersededError());
    this.pending = this.inFlight = null;
  }

  private send(job: Job<Req, Res>): void {
    this.inFlight = job;
    this.sent++;
    const settle = (ok: boolean, value: unknown) => {
      if (this.inFlight !== job) return; // cancelled meanwhile; already rejected
      this.inFlight = null;
      if (job.stale) job.reject(supersededError());
      else if (ok) job.resolve(value as Res);
      else job.reject(value);
      const next = this.pending;
      this.pending = null;
      if (next) this.send(next);
    };
    let p: Promise<Res>;
    try {
      p = this.call(job.req);
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (r) => settle(true, r),
      (e) => settle(false, e),
    );
  }
}

export interface LiveClientOptions {
  /** Opens a connection; default: a module Worker running workers/live.worker.ts, wrapped by comlink. */
  readonly connect?: () => LiveConnection;
}

export class LiveClient {
  private readonly connectFn: () => LiveConnection;
  private conn: LiveConnection | null = null;
  private readonly analyzeCh = new LatestWins<LiveAnalyzeRequest, LiveAnalyzeResponse>((r) => this.api().analyze(r));
  private readonly planCh = new LatestWins<PlannerRequest, PlannerResponse>((r) => this.api().plan(r));
  private readonly bandCh = new LatestWins<PersonalBandInput, PersonalBandResponse>((r) => this.api().personalBand(r));
  private readonly dosesCh = new LatestWins<readonly SessionDoseItem[], SessionDosesResponse>((r) => this.api().sessionDoses(r));

  constructor(options: LiveClientOptions = {}) {
    this.connectFn = options.connect ?? liveWorkerConnection;
  }

  private api(): LiveApiLike {
    this.conn ??= this.connectFn();
    return this.conn.api;
  }

  /** Latest-wins live analysis. */
  analyze(req: LiveAnalyzeRequest): Promise<LiveAnalyzeResponse> {
    return this.analyzeCh.run(req);
  }

  /** Latest-wins titration plan. */
  plan(req: PlannerRequest): Promise<PlannerResponse> {
    return this.planCh.run(req);
  }

  /** Latest-wins personal band. */
  personalBand(input: PersonalBandInput): Promise<PersonalBandResponse> {
    return this.bandCh.run(input);
  }

  /** Latest-wins dose and peak Ce of a course's sessions (the Course view's table). */
  sessionDoses(items: readonly SessionDoseItem[]): Promise<SessionDosesResponse> {
    return this.dosesCh.run(items);
  }

  /** Name of the scope the API runs in. */
  whereAmI(): Promise<string> {
    return this.api().whereAmI();
  }

  /** Terminate the worker (waiting and running requests reject as superseded); the next call starts a new one. */
  shutdown(): void {
    for (const ch of [this.analyzeCh, this.planCh, this.bandCh, this.dosesCh]) ch.cancelAll();
    this.conn?.dispose();
    this.conn = null;
  }
}

let shared: LiveClient | null = null;
/** The app's one live client (a module singleton, so StrictMode's double effects never start two workers). */
export function liveClient(): LiveClient {
  shared ??= new LiveClient();
  return shared;
}
