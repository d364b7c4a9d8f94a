// `createPopulationClient`: dashboard pool of Web Workers, cancellable runs, latest run wins.
import type { Problem } from '../engine/plan.ts';
import type { PopulationRequest } from '../engine/population/spec.ts';
import type { PopulationJob, PopulationResult } from '../engine/population/types.ts';
import type { PopulationWorkerApi } from './population-api.ts';
import { runPopulationPool, type PopulationRemote } from './population-pool.ts';
import { moduleWorker, WorkerAbortError, WorkerBridge, type Connect, type Remote } from './bridge.ts';

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
  /** Terminate the workers after this long without a run, ms (default 10 min; Infinity = never). */
  idleMs?: number;
}

const defaultWorker = (): Worker =>
  new Worker(new URL('./population.worker.ts', import.meta.url), { type: 'module', name: 'ketasim-population' });

type PoolRemote = Remote<PopulationWorkerApi>;

/**
 * User Timing measure of each finished run, for the dashboard bench: request → job prepared → result on
 * the calling thread. Detail: prepareMs, n, whether per-patient metrics were computed, and each worker's
 * own wall times of its part (sampling and set-up; the block loop), asked for after the result is delivered.
 */
export const POPULATION_MEASURE = 'ketasim:population-run';

function recordRun(remotes: readonly PoolRemote[], t0: number, t1: number, t2: number, n: number, metrics: boolean): void {
  if (typeof performance === 'undefined' || typeof performance.measure !== 'function') return;
  Promise.all(remotes.map((r) => r.stats())).then(
    (stats) => {
      if (performance.getEntriesByName(POPULATION_MEASURE).length > 200) performance.clearMeasures(POPULATION_MEASURE);
      performance.measure(POPULATION_MEASURE, {
        start: t0,
        end: t2,
        detail: {
          n,
          metrics,
          prepareMs: t1 - t0,
          workers: stats.map((s) => ({ setupMs: s.setupMs, loopMs: s.loopMs })),
        },
      });
    },
    () => {}, // a pool shut down meanwhile: nothing to record
  );
}

export function createPopulationClient(options: PopulationClientOptions = {}): PopulationClient {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1;
  const size = Math.max(1, Math.min(options.maxWorkers ?? cores, cores));
  const create = options.createWorker ?? defaultWorker;
  // The pool is one bridge connection: `size` workers started together, stopped together.
  const connect: Connect<PoolRemote[]> = (onFailure) => {
    const pool = Array.from({ length: size }, () => moduleWorker<PopulationWorkerApi>(create, 'population')(onFailure));
    return {
      api: pool.map((c) => c.api),
      dispose() {
        for (const c of pool) c.dispose();
      },
    };
  };
  const bridge = new WorkerBridge<PoolRemote[]>({ connect, idleMs: options.idleMs });

  return {
    size,
    start(plan, n, seed, cv, onProgress, extra) {
      const controller = new AbortController();
      const run = bridge.run(
        async (remotes, signal): Promise<PopulationOutcome> => {
          const t0 = performance.now();
          const prepared = await remotes[0].prepare(plan, { n, seed, cv, ...extra });
          if (!prepared.ok) return { ok: false, problems: prepared.problems };
          if (signal.aborted) throw new WorkerAbortError('population run cancelled');
          const job: PopulationJob = prepared.job;
          const pool: PopulationRemote[] = remotes;
          const t1 = performance.now();
          const result = await runPopulationPool(pool, job, { onProgress: (f) => signal.aborted || onProgress?.(f), signal });
          recordRun(remotes, t0, t1, performance.now(), n, extra?.metrics !== false);
          return { ok: true, result };
        },
        { channel: 'run', signal: controller.signal },
      ) as CancellablePromise<PopulationOutcome>;
      run.cancel = () => controller.abort();
      return run;
    },
    dispose() {
      bridge.shutdown('the population workers were stopped');
    },
  };
}
