import { assembleResult } from '../engine/population/merge.ts';
import { splitRanges, type RangeTask } from '../engine/population/runner.ts';
import type { PopulationJob, PopulationResult, RangePartial } from '../engine/population/types.ts';

/**
 * The population worker pool's orchestration, shared by the browser client (Web Workers) and the
 * CLI (worker_threads): it gives each worker a range of the grid (engine/population/runner.ts
 * `splitRanges`), drives them in steps, reports progress, stops on cancellation and concatenates the
 * ranges. Only promises here: no DOM, no Node.
 */

/** What the pool needs of a worker (a comlink Remote<PopulationWorkerApi> fits; so does the API itself). */
export interface PopulationRemote {
  start(job: PopulationJob, task: RangeTask): Promise<number> | number;
  step(maxBlocks: number): Promise<{ done: number; blocks: number; finished: boolean }> | { done: number; blocks: number; finished: boolean };
  result(): Promise<RangePartial> | RangePartial;
  cancel(): Promise<void> | void;
}

/** The error a cancelled run rejects with (name `AbortError`, as fetch and DOM APIs use). */
export class PopulationCancelled extends Error {
  constructor() {
    super('population run cancelled');
    this.name = 'AbortError';
  }
}

/** True for the rejection of a cancelled run (works across comlink, which keeps only name and message). */
export const isCancelled = (e: unknown): boolean => e instanceof Error && e.name === 'AbortError';

/** Patient-steps per step call: about 10–30 ms of work, so progress is smooth and cancel is prompt. */
const STEP_PATIENT_POINTS = 1_500_000;

export interface PoolOptions {
  /** Fraction 0–1 done, after each step of any worker. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * Run a prepared job on `remotes` (one range each) and merge. Rejects with `PopulationCancelled` as
 * soon as `signal` aborts; the workers stop at their next step and drop their ranges.
 */
export async function runPopulationPool(remotes: readonly PopulationRemote[], job: PopulationJob, options: PoolOptions = {}): Promise<PopulationResult> {
  const { signal, onProgress } = options;
  if (remotes.length === 0) throw new Error('population pool: no workers');
  if (signal?.aborted) throw new PopulationCancelled();
  const tasks = splitRanges(job, remotes.length);
  const active = remotes.slice(0, tasks.length);
  const perStep = Math.max(1, Math.floor(STEP_PATIENT_POINTS / (job.n * job.layout.blockSize)));
  const done = new Array<number>(tasks.length).fill(0);
  const total = new Array<number>(tasks.length).fill(1);
  let stop = false;
  const report = () => {
    if (!onProgress || stop) return;
    let d = 0, t = 0;
    for (let w = 0; w < tasks.length; w++) { d += done[w]; t += total[w]; }
    onProgress(t > 0 ? d / t : 0);
  };
  const drive = async (w: number): Promise<RangePartial> => {
    const remote = active[w];
    total[w] = await remote.start(job, tasks[w]);
    for (;;) {
      if (stop) throw new PopulationCancelled();
      const s = await remote.step(perStep);
      done[w] = s.done;
      report();
      if (s.finished) break;
    }
    if (stop) throw new PopulationCancelled();
    return remote.result();
  };
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new PopulationCancelled());
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  const work = Promise.all(active.map((_, w) => drive(w)));
  work.catch(() => {}); // settled below or abandoned after a cancellation
  aborted.catch(() => {});
  try {
    const parts = await Promise.race([work, aborted]);
    return assembleResult(job, parts);
  } catch (e) {
    stop = true;
    // Tell the workers to drop their ranges; a busy one does so after its current step.
    void Promise.allSettled(active.map((r) => r.cancel()));
    throw e;
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
