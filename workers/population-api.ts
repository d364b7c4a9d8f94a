import * as Comlink from 'comlink';
import { RangeRunner, type RangeTask } from '../engine/population/runner.ts';
import type { PopulationJob, RangePartial } from '../engine/population/types.ts';
import type { PrepareResult, PopulationRequest } from '../engine/population/spec.ts';

/**
 * The population worker's API: plain functions over engine/population, exposed through comlink by
 * workers/population.worker.ts (browser) and by the Node entry cli/population.ts bundles
 * (worker_threads). One range at a time per worker; the pool drives it in steps so that progress
 * can be reported and a cancellation takes effect between two steps. Result buffers are transferred,
 * never copied.
 */
let runner: RangeRunner | null = null;
let stepsRun = 0;

export const populationWorkerApi = {
  /**
   * Validate a plan (PLAN-FORMAT.md) and prepare the population job. Loads the model registry (and
   * with it mathjs) on first use, so the pool asks only one worker.
   */
  async prepare(plan: unknown, request: PopulationRequest): Promise<PrepareResult> {
    const [{ parsePlan }, { MODEL_IDS }, { preparePopulation }] = await Promise.all([
      import('../engine/plan.ts'), import('../engine/models/registry.ts'), import('../engine/population/spec.ts'),
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
    if (r.metrics) buffers.add(r.metrics.buffer as ArrayBuffer);
    if (r.parameters) buffers.add(r.parameters.buffer as ArrayBuffer);
    return Comlink.transfer(r, [...buffers]);
  },

  /** Drop the range in progress (its memory goes with it). */
  cancel(): void {
    runner = null;
  },

  /** Steps run by this worker since it started (lets tests see that a cancelled run stopped). */
  stats(): { steps: number; busy: boolean } {
    return { steps: stepsRun, busy: runner !== null };
  },
};

export type PopulationWorkerApi = typeof populationWorkerApi;

/** Expose the API on an endpoint: the worker's `self`, or comlink's node adapter around `parentPort`. */
export function exposePopulationApi(endpoint: Comlink.Endpoint): void {
  Comlink.expose(populationWorkerApi, endpoint);
}
