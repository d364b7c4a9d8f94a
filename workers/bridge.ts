/**
 * The one bridge from the main thread to a Web Worker (Squoosh's worker bridge, DESIGN.md rule 7), used by
 * the simulation, live, storage and population clients.
 *
 * - **Latest wins, per channel.** A request on a channel supersedes the channel's older ones: a waiting one
 *   is rejected without ever being sent; the one in the worker is rejected at once, its `signal` aborts
 *   (a cooperative task such as a population run stops; a plain worker call runs on and its answer is
 *   dropped), and the newer request is sent when the worker has answered it. So at most one request per
 *   channel is in the worker and at most one waits behind it. Requests without a channel are sent at once.
 * - **AbortSignal.** A request aborted before it is sent is never sent; one aborted in flight is rejected at
 *   once and its answer dropped.
 * - **Idle shutdown.** The worker starts on first use and is terminated `idleMs` after the last answer
 *   when nothing is in flight or waiting; the next request starts a new one. `shutdown()` does it now.
 * - **One abort error.** Every superseded, aborted or shut-down request rejects with `WorkerAbortError`
 *   (name `AbortError`); `isAbortError` recognises it by name, so it also works on an error that crossed
 *   comlink (which keeps only name and message, DESIGN.md rule 6).
 * - **A dead worker** (a script error, out of memory) rejects what is in flight with its message instead of
 *   hanging; the next request starts a new worker.
 *
 * Types come from the worker's API (`Remote<typeof api>`, comlink's own mapping), never written by hand.
 */
import * as Comlink from 'comlink';

/** The rejection of a superseded, aborted or shut-down request (name `AbortError`, as fetch and DOM APIs use). */
export class WorkerAbortError extends Error {
  constructor(message = 'superseded by a newer request') {
    super(message);
    this.name = 'AbortError';
  }
}

/** True for the rejection of a superseded, aborted or shut-down request (checks the name, not the class). */
export const isAbortError = (e: unknown): boolean => (e as { name?: unknown } | null)?.name === 'AbortError';

/** A worker API as the main thread sees it through comlink: every function async. */
export type Remote<Api> = Comlink.Remote<Api>;

/** A live connection: what to call, and how to let it go. */
export interface Connection<R> {
  readonly api: R;
  dispose(): void;
}

/** Opens a connection; `onFailure` is called if the worker dies outside comlink (script error, out of memory). */
export type Connect<R> = (onFailure: (e: Error) => void) => Connection<R>;

export interface BridgeOptions<R> {
  readonly connect: Connect<R>;
  /** Terminate the worker after this long without work, ms (default 10 min; Infinity = never). */
  readonly idleMs?: number;
}

export interface RequestOptions {
  /** Aborts this request (rejects it with a WorkerAbortError; never sent if not sent yet). */
  readonly signal?: AbortSignal;
  /** Latest-wins channel: a request supersedes the older ones on the same channel. */
  readonly channel?: string;
}

/** A unit of work on the worker: `signal` aborts when the request is superseded, aborted or shut down. */
export type Task<R, T> = (api: R, signal: AbortSignal) => Promise<T>;

interface Job {
  readonly task: Task<unknown, unknown>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly controller: AbortController;
  readonly channel: string | undefined;
  /** The connection generation the job was sent on (answers from a shut-down worker are ignored). */
  generation: number;
  settled: boolean;
  cleanup: () => void;
}

interface Channel {
  inFlight: Job | null;
  pending: Job | null;
}

/**
 * A worker started on demand, wrapped by comlink, that reports its own failure. `create` must be written
 * `() => new Worker(new URL('./x.worker.ts', import.meta.url), { type: 'module', name })` at the call site:
 * that literal form is what Vite recognises as a worker entry and bundles as its own chunk.
 */
export function moduleWorker<Api>(create: () => Worker, label: string): Connect<Remote<Api>> {
  return (onFailure) => {
    const worker = create();
    worker.addEventListener('error', (ev) =>
      onFailure(new Error(`the ${label} worker failed: ${(ev as ErrorEvent).message || 'unknown error'}`)),
    );
    const remote = Comlink.wrap<Api>(worker);
    return {
      api: remote,
      dispose() {
        remote[Comlink.releaseProxy]();
        worker.terminate();
      },
    };
  };
}

export class WorkerBridge<R> {
  private readonly connectFn: Connect<R>;
  private readonly idleMs: number;
  private conn: Connection<R> | null = null;
  private generation = 0;
  private readonly channels = new Map<string, Channel>();
  /** Jobs in the worker (sent, not answered). */
  private readonly active = new Set<Job>();
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  /** How many workers this bridge has started (1 unless idle shutdowns or failures happened). */
  connections = 0;
  /** Requests actually sent to the worker (superseded waiting ones are never sent). */
  sent = 0;

  constructor(options: BridgeOptions<R>) {
    this.connectFn = options.connect;
    this.idleMs = options.idleMs ?? 10 * 60_000;
  }

  /** True while a worker is running. */
  get connected(): boolean {
    return this.conn !== null;
  }

  /** True while a request is in the worker or waiting. */
  get busy(): boolean {
    if (this.active.size > 0) return true;
    for (const ch of this.channels.values()) if (ch.pending) return true;
    return false;
  }

  /** Run `task` on the worker (see the module comment for channels, abort and shutdown). */
  run<T>(task: Task<R, T>, options: RequestOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const { signal, channel } = options;
      if (signal?.aborted) {
        reject(new WorkerAbortError('aborted'));
        return;
      }
      const job: Job = {
        task: task as Task<unknown, unknown>,
        resolve: resolve as (v: unknown) => void,
        reject,
        controller: new AbortController(),
        channel,
        generation: -1,
        settled: false,
        cleanup: () => {},
      };
      if (signal) {
        const onAbort = () => this.abortJob(job, 'aborted');
        signal.addEventListener('abort', onAbort, { once: true });
        job.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      if (channel === undefined) {
        this.send(job);
        return;
      }
      let ch = this.channels.get(channel);
      if (!ch) {
        ch = { inFlight: null, pending: null };
        this.channels.set(channel, ch);
      }
      if (ch.pending) this.abortJob(ch.pending, 'superseded by a newer request');
      if (ch.inFlight) {
        this.abortJob(ch.inFlight, 'superseded by a newer request');
        ch.pending = job;
      } else this.send(job);
    });
  }

  /** Terminate the worker now; everything in flight or waiting rejects with a WorkerAbortError. */
  shutdown(message = 'the worker was shut down'): void {
    this.stopIdleTimer();
    this.generation++;
    const jobs = [...this.active];
    for (const ch of this.channels.values()) if (ch.pending) jobs.push(ch.pending);
    this.channels.clear();
    this.active.clear();
    for (const job of jobs) this.abortJob(job, message);
    const conn = this.conn;
    this.conn = null;
    conn?.dispose();
  }

  private connection(): Connection<R> {
    if (!this.conn) {
      const generation = this.generation;
      this.conn = this.connectFn((e) => {
        if (generation === this.generation) this.fail(e);
      });
      this.connections++;
    }
    return this.conn;
  }

  /** The worker died: reject what it was doing with the failure and drop it (the next request starts a new one). */
  private fail(e: Error): void {
    const active = [...this.active];
    this.active.clear();
    for (const job of active) {
      if (job.settled) continue;
      job.settled = true;
      job.cleanup();
      job.controller.abort();
      job.reject(e);
    }
    for (const ch of this.channels.values()) ch.inFlight = null;
    this.generation++;
    const conn = this.conn;
    this.conn = null;
    conn?.dispose();
    for (const ch of this.channels.values()) {
      const next = ch.pending;
      ch.pending = null;
      if (next) this.send(next);
    }
    if (!this.busy) this.startIdleTimer();
  }

  /** Reject a job with an abort (once); a waiting job is removed from its channel and never sent. */
  private abortJob(job: Job, message: string): void {
    if (job.channel !== undefined) {
      const ch = this.channels.get(job.channel);
      if (ch?.pending === job) ch.pending = null;
    }
    if (job.settled) return;
    job.settled = true;
    job.cleanup();
    job.controller.abort();
    job.reject(new WorkerAbortError(message));
    if (!this.busy && this.conn) this.startIdleTimer();
  }

  private send(job: Job): void {
    this.stopIdleTimer();
    let api: R;
    try {
      api = this.connection().api;
    } catch (e) {
      job.settled = true;
      job.cleanup();
      job.reject(e);
      return;
    }
    job.generation = this.generation;
    this.active.add(job);
    if (job.channel !== undefined) this.channels.get(job.channel)!.inFlight = job;
    this.sent++;
    let call: Promise<unknown>;
    try {
      call = job.task(api, job.controller.signal);
    } catch (e) {
      call = Promise.reject(e);
    }
    call.then(
      (v) => this.finish(job, true, v),
      (e) => this.finish(job, false, e),
    );
  }

  private finish(job: Job, ok: boolean, value: unknown): void {
    if (job.generation !== this.generation) return; // shut down or failed meanwhile: already rejected
    this.active.delete(job);
    if (!job.settled) {
      job.settled = true;
      job.cleanup();
      if (ok) job.resolve(value);
      else job.reject(value);
    }
    if (job.channel !== undefined) {
      const ch = this.channels.get(job.channel)!;
      if (ch.inFlight === job) ch.inFlight = null;
      const next = ch.pending;
      ch.pending = null;
      if (next) {
        this.send(next);
        return;
      }
    }
    if (!this.busy) this.startIdleTimer();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private startIdleTimer(): void {
    this.stopIdleTimer();
    if (!Number.isFinite(this.idleMs)) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!this.busy) this.shutdown('the worker was idle');
    }, this.idleMs);
  }
}

/**
 * The whole API of a bridge's worker as one object: each function call is a bridge request without a
 * channel (every call is sent; none supersedes another), typed `Remote<Api>` from the implementation.
 */
export function bridgeRemote<Api>(bridge: WorkerBridge<Remote<Api>>): Remote<Api> {
  return new Proxy({} as Remote<Api>, {
    get(_target, name) {
      if (typeof name !== 'string' || name === 'then') return undefined;
      return (...args: unknown[]) =>
        bridge.run((api) => (api as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name](...args));
    },
  });
}
