// `populationWorkerApi`/`exposePopulationApi`: range and shared-memory steps over engine/population for browser and Node workers.
import * as Comlink from 'comlink';
import { PatientSlice, RangeRunner, runSharedLoop, sampledStats } from '../engine/population/runner.ts';
import { patientShare, type RangeTask } from '../engine/population/layout.ts';
import type { ColumnOutputs, PatientPart, PopulationJob, PopulationResult, RangePartial } from '../engine/population/types.ts';
import { assembleSteps, columnsFromRanges } from '../engine/population/merge.ts';
import type { PrepareResult, PopulationRequest } from '../engine/population/spec.ts';
import { CONTROL, type SharedSpec } from './population-shared.ts';

/**
 * The population worker's API: plain functions over engine/population, exposed through comlink by
 * workers/population.worker.ts (browser) and by the Node entry cli/population.ts bundles
 * (worker_threads). One range at a time per worker; the pool drives it in steps so that progress
 * can be reported and a cancellation takes effect between two steps. Result buffers are transferred,
 * never copied.
 */
let runner: RangeRunner | null = null;
let stepsRun = 0;
/** Wall times of this worker's last shared-memory run, ms (reported by `stats`, for the benchmark). */
let lastTiming = { setupMs: NaN, loopMs: NaN };

/**
 * A barrier for `workers` threads on the control words: the last to arrive resets the count and
 * bumps the generation; the others wait for the generation to change. Returns false (at once, for
 * everyone) when the run is cancelled, which the main thread signals by setting CANCEL and notifying.
 */
function barrier(ctl: Int32Array, workers: number): boolean {
  if (Atomics.load(ctl, CONTROL.CANCEL) !== 0) return false;
  const gen = Atomics.load(ctl, CONTROL.GENERATION);
  if (Atomics.add(ctl, CONTROL.COUNT, 1) === workers - 1) {
    Atomics.store(ctl, CONTROL.COUNT, 0);
    Atomics.add(ctl, CONTROL.GENERATION, 1);
    Atomics.notify(ctl, CONTROL.GENERATION);
  } else {
    while (Atomics.load(ctl, CONTROL.GENERATION) === gen) {
      if (Atomics.load(ctl, CONTROL.CANCEL) !== 0) return false;
      Atomics.wait(ctl, CONTROL.GENERATION, gen, 100);
    }
  }
  return Atomics.load(ctl, CONTROL.CANCEL) === 0;
}

export const populationWorkerApi = {
  /**
   * Validate a plan (PLAN-FORMAT.md) and prepare the population job. Loads the model registry (and
   * with it mathjs) on first use, so the pool asks only one worker.
   */
  async prepare(plan: unknown, request: PopulationRequest): Promise<PrepareResult> {
    const [{ parsePlan }, { MODEL_IDS }, { preparePopulation }] = await Promise.all([
      import('../engine/plan.ts'),
      import('../engine/models/registry.ts'),
      import('../engine/population/spec.ts'),
    ]);
    const parsed = parsePlan(plan, MODEL_IDS);
    if (!parsed.ok) return { ok: false, problems: parsed.problems };
    return preparePopulation(parsed.plan, request);
  },

  /** Sample the population and set up the range (replaces any range in progress). Returns its block count. */
  async start(job: PopulationJob, task: RangeTask): Promise<number> {
    runner = null;
    runner = await RangeRunner.create(job, task);
    return runner.blocks;
  },

  /** Step up to `maxBlocks` blocks of the current range. */
  step(maxBlocks: number): { done: number; blocks: number; finished: boolean } {
    if (!runner) throw new Error('population worker: step without a started range (cancelled?)');
    const finished = runner.step(maxBlocks);
    stepsRun++;
    return { done: runner.blocksDone, blocks: runner.blocks, finished };
  },

  /** The finished range; its buffers are transferred to the caller. */
  result(): RangePartial {
    if (!runner) throw new Error('population worker: result without a started range (cancelled?)');
    const r = runner.result();
    runner = null;
    const buffers = new Set<ArrayBuffer>();
    for (const a of [...r.cp, ...r.ce, ...r.counts]) buffers.add(a.buffer as ArrayBuffer);
    if (r.patients?.metrics) buffers.add(r.patients.metrics.buffer as ArrayBuffer);
    if (r.patients) buffers.add(r.patients.parameters.buffer as ArrayBuffer);
    return Comlink.transfer(r, [...buffers]);
  },

  /**
   * Shared-memory shape: simulate this worker's share of the patients and reduce its columns, in
   * lockstep with the other workers (one long call; progress and cancellation go through `control`).
   * Returns this worker's per-patient results, or null when cancelled.
   */
  async runShared(job: PopulationJob, spec: SharedSpec): Promise<PatientPart | null> {
    const ctl = new Int32Array(spec.control);
    const { from, to } = patientShare(job.n, spec.w, spec.workers);
    let slice: PatientSlice;
    const t0 = performance.now();
    try {
      slice = await PatientSlice.create(job, from, to, true);
    } catch (e) {
      Atomics.store(ctl, CONTROL.CANCEL, 1); // release the others from the barrier
      Atomics.notify(ctl, CONTROL.GENERATION);
      throw e;
    }
    const blocks = {
      cp: [new Float64Array(spec.cp[0]), new Float64Array(spec.cp[1])] as const,
      ce: [new Float64Array(spec.ce[0]), new Float64Array(spec.ce[1])] as const,
      histCp: [new Int32Array(spec.histCp[0]), new Int32Array(spec.histCp[1])] as const,
      histCe: [new Int32Array(spec.histCe[0]), new Int32Array(spec.histCe[1])] as const,
    };
    const out: ColumnOutputs = {
      cp: spec.out.cp.map((b) => new Float64Array(b)),
      ce: spec.out.ce.map((b) => new Float64Array(b)),
      counts: spec.out.counts.map((b) => new Int32Array(b)),
    };
    let finished: boolean;
    const t1 = performance.now();
    try {
      finished = runSharedLoop(
        slice,
        spec.w,
        spec.workers,
        blocks,
        out,
        () => barrier(ctl, spec.workers),
        (b) => {
          if (spec.w === 0) Atomics.store(ctl, CONTROL.PROGRESS, b);
        },
      );
    } catch (e) {
      Atomics.store(ctl, CONTROL.CANCEL, 1);
      Atomics.notify(ctl, CONTROL.GENERATION);
      throw e;
    }
    stepsRun++;
    lastTiming = { setupMs: t1 - t0, loopMs: performance.now() - t1 };
    if (!finished) return null;
    const part = slice.finish();
    const buffers: ArrayBuffer[] = [part.parameters.buffer as ArrayBuffer];
    if (part.metrics) buffers.push(part.metrics.buffer as ArrayBuffer);
    return Comlink.transfer(part, buffers);
  },

  /**
   * Merge a finished run into its result (percentile columns as given; per-patient metrics and sampled
   * parameters by exact order statistics): done here, in a worker, so the page's main thread never runs
   * the selection (about 130 ms at N = 100,000). Shared-memory shape: the columns the workers reduced.
   */
  assemble(job: PopulationJob, columns: ColumnOutputs, patients: readonly PatientPart[]): PopulationResult {
    const steps = assembleSteps(job, columns, patients);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  },

  /** Time-split shape: concatenate the workers' finished ranges, then `assemble`. */
  assembleRanges(job: PopulationJob, parts: readonly RangePartial[]): PopulationResult {
    const { columns, patients } = columnsFromRanges(job, parts);
    return populationWorkerApi.assemble(job, columns, patients);
  },

  /** Drop the range in progress (its memory goes with it). */
  cancel(): void {
    runner = null;
  },

  /**
   * Steps run by this worker since it started (lets tests see that a cancelled run stopped), and the
   * wall times of its last shared-memory run (sampling and set-up; the block loop), and how often its
   * runs re-used kept sampled patients (`sampledHits`) or sampled afresh (`sampledMisses`).
   */
  stats(): { steps: number; busy: boolean; setupMs: number; loopMs: number; sampledHits: number; sampledMisses: number } {
    return {
      steps: stepsRun,
      busy: runner !== null,
      ...lastTiming,
      sampledHits: sampledStats.hits,
      sampledMisses: sampledStats.misses,
    };
  },
};

export type PopulationWorkerApi = typeof populationWorkerApi;

/** Expose the API on an endpoint: the worker's `self`, or comlink's node adapter around `parentPort`. */
export function exposePopulationApi(endpoint: Comlink.Endpoint): void {
  Comlink.expose(populationWorkerApi, endpoint);
}
