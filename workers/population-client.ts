import * as Comlink from 'comlink';
import type { Problem } from '../engine/plan.ts';
import type { PopulationRequest } from '../engine/population/spec.ts';
import type { PopulationJob, PopulationResult } from '../engine/population/types.ts';
import type { PopulationWorkerApi } from './population-api.ts';
import { isCancelled, PopulationCancelled, runPopulationPool, type PopulationRemote } from './population-pool.ts';

/**
 * The dashboard's population client: a pool of Web Workers (one per core, at most `maxWorkers`),
 * comlink-wrapped, with progress and cancellation. Workers are created on first use and kept for the
 * next run; `dispose` terminates them. One run at a time: starting a new run cancels the previous
 * one (the latest request wins, DESIGN.md rule 7).
 *
 *   const client = createPopulationClient();
 *   const run = client.start(plan, 10_000, 42, 0.3, (f) => setProgress(f));
 *   run.cancel();                        // rejects `run` with an AbortError
 *   const outcome = await run;           // { ok: true, result } | { ok: false, problems }
 */

/** A promise that can be cancelled; cancelling rejects it with an Error named `AbortError`. */
export type CancellablePromise<T> = Promise<T> & { cancel(): void };

/** A population run's outcome: results, or the plan's or request's problems (field paths, as parsePlan). */
export type PopulationOutcome = { ok: true; result: PopulationResult } | { ok: false; problems: readonly Problem[] };

export interface PopulationClient {
  /**
   * Simulate `n` virtual patients of `plan` (unvalidated plan-format JSON, as the UI holds it) with
   * `seed`, CV `cv` (fraction) for parameters without published variability, reporting the fraction
   * done to `onProgress`.
   */
  start(
    plan: unknown,
    n: number,
    seed: number,
    cv: number,
    onProgress?: (fraction: number) => void,
    options?: Pick<PopulationRequest, 'percentiles' | 'metrics'>,
  ): CancellablePromise<PopulationOutcome>;
  /** Number of workers the pool uses. */
  readonly size: number;
  /** Cancel any run and terminate the workers. */
  dispose(): void;
}

export interface PopulationClientOptions {
  /** Upper bound on workers (default: navigator.hardwareConcurrency, at least 1). */
  maxWorkers?: number;
  /** How to create a worker (tests inject one); default: the module worker next to this file. */
  createWorker?: () => Worker;
}

const defaultWorker = (): Worker =>
  new Worker(new URL('./population.worker.ts', import.meta.url), { type: 'module', name: 'ketasim-population' });

export function createPopulationClient(options: PopulationClientOptions = {}): PopulationClient {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1;
  const size = Math.max(1, Math.min(options.maxWorkers ?? cores, cores));
  const create = options.createWorker ?? defaultWorker;
  let workers: { worker: Worker; remote: Comlink.Remote<PopulationWorkerApi> }[] = [];
  let current: AbortController | null = null;
  /** Rejects the current run when a worker fails outside comlink (a script error, out of memory). */
  let onWorkerError: ((e: Error) => void) | null = null;

  const pool = () => {
    if (workers.length === 0) {
      workers = Array.from({ length: size }, () => {
        const worker = create();
        worker.addEventListener('error', (ev) => {
          onWorkerError?.(new Error(`population worker failed: ${(ev as ErrorEvent).message ?? 'unknown error'}`));
          terminate(); // a fresh pool next time
        });
        return { worker, remote: Comlink.wrap<PopulationWorkerApi>(worker) };
      });
    }
    return workers;
  };

  const terminate = () => {
    for (const w of workers) {
      w.remote[Comlink.releaseProxy]();
      w.worker.terminate();
    }
    workers = [];
  };

  return {
    size,
    start(plan, n, seed, cv, onProgress, extra) {
      current?.abort();
      const controller = new AbortController();
      current = controller;
      const aborted = new Promise<never>((_, reject) => {
        controller.signal.addEventListener('abort', () => reject(new PopulationCancelled()), { once: true });
        onWorkerError = (e) => {
          reject(e);
          controller.abort();
        };
      });
      aborted.catch(() => {});
      const work = (async (): Promise<PopulationOutcome> => {
        const ws = pool();
        const prepared = await ws[0].remote.prepare(plan, { n, seed, cv, ...extra });
        if (!prepared.ok) return { ok: false, problems: prepared.problems };
        if (controller.signal.aborted) throw new PopulationCancelled();
        const job: PopulationJob = prepared.job;
        const remotes: PopulationRemote[] = ws.map((w) => w.remote);
        const result = await runPopulationPool(remotes, job, { onProgress, signal: controller.signal });
        return { ok: true, result };
      })();
      work.catch(() => {});
      const wrapped = Promise.race([work, aborted])
        .catch((e: unknown) => {
          if (isCancelled(e)) throw new PopulationCancelled();
          throw e;
        })
        .finally(() => {
          if (current === controller) current = null;
        }) as CancellablePromise<PopulationOutcome>;
      wrapped.cancel = () => controller.abort();
      return wrapped;
    },
    dispose() {
      current?.abort();
      current = null;
      terminate();
    },
  };
}
