// `runPopulationPool`: orchestrates shared-memory or time-split workers with progress and cancellation; no DOM, no Node.
import { binCount, probabilityThresholds, splitRanges, type RangeTask } from '../engine/population/layout.ts';
import type { ColumnOutputs, PatientPart, PopulationJob, PopulationResult, RangePartial } from '../engine/population/types.ts';
import { CONTROL, type SharedSpec } from './population-shared.ts';
import { WorkerAbortError } from './bridge.ts';

/**
 * The population worker pool's orchestration, shared by the browser client (Web Workers) and the
 * CLI (worker_threads). Two shapes, one result (engine/population/runner.ts):
 *
 * - shared memory, where SharedArrayBuffer exists (Node; pages served cross-origin isolated): each
 *   worker simulates 1/W of the patients into shared blocks and reduces every W-th column; workers
 *   meet at one barrier per block; progress and cancellation go through shared control words;
 * - time split, everywhere else: each worker gets a range of the grid, the pool drives it in steps
 *   (progress after each step, cancellation between two steps); the first worker concatenates the ranges.
 *
 * Either way the merge (concatenation, per-patient order statistics) runs in a worker (`assemble`), so
 * the calling thread only orchestrates. Only promises and typed arrays here: no DOM, no Node.
 */

/** What the pool needs of a worker (a comlink Remote<PopulationWorkerApi> fits; so does the API itself). */
export interface PopulationRemote {
  start(job: PopulationJob, task: RangeTask): Promise<number> | number;
  step(
    maxBlocks: number,
  ): Promise<{ done: number; blocks: number; finished: boolean }> | { done: number; blocks: number; finished: boolean };
  result(): Promise<RangePartial> | RangePartial;
  runShared(job: PopulationJob, spec: SharedSpec): Promise<PatientPart | null> | PatientPart | null;
  /** Merge a finished shared-memory run into its result (order statistics run in the worker, not here). */
  assemble(
    job: PopulationJob,
    columns: ColumnOutputs,
    patients: readonly PatientPart[],
  ): Promise<PopulationResult> | PopulationResult;
  /** Merge the finished ranges of a time-split run into its result. */
  assembleRanges(job: PopulationJob, parts: readonly RangePartial[]): Promise<PopulationResult> | PopulationResult;
  cancel(): Promise<void> | void;
}

/** A cancelled run rejects with the bridge's one abort error (name `AbortError`). */
const cancelled = (): WorkerAbortError => new WorkerAbortError('population run cancelled');

/** Whether the shared-memory shape can run here (SharedArrayBuffer exists and, in a page, it is cross-origin isolated). */
export function sharedMemoryAvailable(): boolean {
  const g = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean };
  return typeof g.SharedArrayBuffer === 'function' && g.crossOriginIsolated !== false;
}

/** Patient-points per step call in the time-split shape: about 10–30 ms of work. */
const STEP_PATIENT_POINTS = 1_500_000;
/** How often the shared-memory shape polls progress, ms. */
const PROGRESS_POLL_MS = 25;

export interface PoolOptions {
  /** Fraction 0–1 done (called as work progresses). */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** Force a shape (default: shared memory when available). */
  shared?: boolean;
}

/**
 * Run a prepared job on `remotes` and merge. Rejects with a WorkerAbortError (workers/bridge.ts) as soon as `signal`
 * aborts; the workers stop within a block and drop their work.
 */
export async function runPopulationPool(
  remotes: readonly PopulationRemote[],
  job: PopulationJob,
  options: PoolOptions = {},
): Promise<PopulationResult> {
  if (remotes.length === 0) throw new Error('population pool: no workers');
  if (options.signal?.aborted) throw cancelled();
  const shared = options.shared ?? sharedMemoryAvailable();
  const state = { stop: false, onCancel: () => {} };
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      state.onCancel();
      reject(cancelled());
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  const work = shared ? runShared(remotes, job, options, state) : runTimeSplit(remotes, job, options, state);
  work.catch(() => {}); // settled below, or abandoned after a cancellation
  try {
    return await Promise.race([work, aborted]);
  } catch (e) {
    state.stop = true;
    state.onCancel();
    throw e;
  } finally {
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}

async function runTimeSplit(
  remotes: readonly PopulationRemote[],
  job: PopulationJob,
  options: PoolOptions,
  state: { stop: boolean; onCancel: () => void },
): Promise<PopulationResult> {
  const tasks = splitRanges(job, remotes.length);
  const active = remotes.slice(0, tasks.length);
  const perStep = Math.max(1, Math.floor(STEP_PATIENT_POINTS / (job.n * job.layout.blockSize)));
  const done = new Array<number>(tasks.length).fill(0);
  const total = new Array<number>(tasks.length).fill(1);
  state.onCancel = () => {
    state.stop = true;
    // Each worker drops its range; a busy one does so after its current step.
    void Promise.allSettled(active.map((r) => r.cancel()));
  };
  const report = () => {
    if (!options.onProgress || state.stop) return;
    let d = 0,
      t = 0;
    for (let w = 0; w < tasks.length; w++) {
      d += done[w];
      t += total[w];
    }
    options.onProgress(t > 0 ? d / t : 0);
  };
  const drive = async (w: number): Promise<RangePartial> => {
    const remote = active[w];
    total[w] = await remote.start(job, tasks[w]);
    for (;;) {
      if (state.stop) throw cancelled();
      const s = await remote.step(perStep);
      done[w] = s.done;
      report();
      if (s.finished) break;
    }
    if (state.stop) throw cancelled();
    return remote.result();
  };
  const parts = await Promise.all(active.map((_, w) => drive(w)));
  // Concatenation and order statistics run in a worker (the first), never on the calling thread.
  const result = await active[0].assembleRanges(job, parts);
  if (state.stop) throw cancelled();
  return result;
}

/**
 * The shared-memory shape's scratch buffers (double-buffered value blocks and histogram rows), kept per
 * pool for its next run of the same size: a new run's 20 MB at N = 10,000 (4 × N × block × 8 bytes)
 * would otherwise be fresh memory the workers fault in and zero on every edit. Safe to reuse: every
 * block's values are written before they are read, and each worker clears its histogram rows per block
 * (engine/population/runner.ts `sharedSimulate`). A set is busy from the run's start until every worker
 * has returned from it (a cancelled run's workers may still finish a block), so two runs never share
 * one; the outputs are never reused (a result's columns are views of them).
 */
interface Scratch {
  readonly size: string;
  readonly cp: [SharedArrayBuffer, SharedArrayBuffer];
  readonly ce: [SharedArrayBuffer, SharedArrayBuffer];
  readonly histCp: [SharedArrayBuffer, SharedArrayBuffer];
  readonly histCe: [SharedArrayBuffer, SharedArrayBuffer];
  busy: boolean;
}
const scratchSets = new WeakMap<readonly PopulationRemote[], Scratch[]>();
/** Scratch sets kept per pool (one for the run in progress, one for a cancelled run's workers finishing their block). */
const SCRATCH_SETS = 2;

function takeScratch(remotes: readonly PopulationRemote[], block: number, rows: number): Scratch {
  let sets = scratchSets.get(remotes);
  if (!sets) scratchSets.set(remotes, (sets = []));
  const size = `${block}|${rows}`;
  let s = sets.find((x) => !x.busy && x.size === size);
  if (!s) {
    const sab = (bytes: number) => new SharedArrayBuffer(bytes);
    s = {
      size,
      cp: [sab(block), sab(block)],
      ce: [sab(block), sab(block)],
      histCp: [sab(rows), sab(rows)],
      histCe: [sab(rows), sab(rows)],
      busy: false,
    };
    sets.push(s);
    const idle = sets.findIndex((x) => !x.busy && x !== s);
    if (sets.length > SCRATCH_SETS && idle >= 0) sets.splice(idle, 1);
  }
  s.busy = true;
  return s;
}

async function runShared(
  remotes: readonly PopulationRemote[],
  job: PopulationJob,
  options: PoolOptions,
  state: { stop: boolean; onCancel: () => void },
): Promise<PopulationResult> {
  const W = remotes.length,
    T = job.grid.count;
  const sab = (bytes: number) => new SharedArrayBuffer(bytes);
  const control = sab(4 * CONTROL.SIZE);
  const ctl = new Int32Array(control);
  const block = 8 * job.n * job.layout.blockSize;
  const thresholds = probabilityThresholds(job).length;
  const out = {
    cp: job.percentiles.map(() => sab(8 * T)),
    ce: job.percentiles.map(() => sab(8 * T)),
    counts: Array.from({ length: thresholds }, () => sab(4 * T)),
  };
  const rows = 4 * W * job.layout.blockSize * binCount(job.n);
  const scratch = takeScratch(remotes, block, rows);
  const { cp, ce, histCp, histCe } = scratch;
  const cancelWorkers = () => {
    Atomics.store(ctl, CONTROL.CANCEL, 1);
    Atomics.notify(ctl, CONTROL.GENERATION);
  };
  state.onCancel = () => {
    state.stop = true;
    cancelWorkers();
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = () => {
    if (state.stop) return;
    options.onProgress?.(Atomics.load(ctl, CONTROL.PROGRESS) / job.layout.blocks);
    timer = setTimeout(poll, PROGRESS_POLL_MS);
  };
  if (options.onProgress) timer = setTimeout(poll, PROGRESS_POLL_MS);
  try {
    const calls = remotes.map(async (r, w) => {
      try {
        return await r.runShared(job, { w, workers: W, control, cp, ce, histCp, histCe, out });
      } catch (e) {
        cancelWorkers(); // a failed worker must not leave the others waiting at the barrier
        throw e;
      }
    });
    // The scratch is free again once every worker has left this run (also a cancelled or failed one).
    void Promise.allSettled(calls).then(() => {
      scratch.busy = false;
    });
    const parts = await Promise.all(calls);
    if (state.stop || parts.some((p) => p === null)) throw cancelled();
    options.onProgress?.(1);
    const columns = {
      cp: out.cp.map((b) => new Float64Array(b)),
      ce: out.ce.map((b) => new Float64Array(b)),
      counts: out.counts.map((b) => new Int32Array(b)),
    };
    const result = await remotes[0].assemble(job, columns, parts as PatientPart[]);
    if (state.stop) throw cancelled();
    return result;
  } finally {
    state.stop = true;
    if (timer !== undefined) clearTimeout(timer);
  }
}
