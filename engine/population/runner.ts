import { fromClearanceParameters, fromMicroParameters } from '../models/structures.ts';
import type { PkStructure } from '../pk/stepper.ts';
import { metricNames, metricsFinish, metricsPlan, type MetricsPlan } from './metrics-stream.ts';
import { MODAL_STATE, MODAL_STRIDE, modalSetup, runModalBlock } from './modal-kernel.ts';
import { createSampler } from './sample.ts';
import { compileSchedule, type Schedule } from './schedule.ts';
import { ColumnSelector } from './select.ts';
import type { PopulationJob, RangePartial } from './types.ts';

/**
 * The worker side of a population. Work is split by time, not by patient: a worker owns a range of
 * grid points [from, to), follows every patient from t = 0 to `to` (the modal kernel is cheap, and
 * every worker steps every patient through exactly the same operations, so the values at a grid
 * point are bit for bit the same whichever worker computes them) and reduces each of its columns of N
 * values to exact percentiles and threshold counts (select.ts). Nothing needs merging but
 * concatenation, the main thread never sees per-patient time series, and the result cannot depend on
 * how many workers there are. The worker whose range ends at the horizon also streams each patient's
 * metrics (metrics-stream.ts).
 */
export interface RangeTask {
  readonly from: number;
  readonly to: number;
  /** Compute per-patient metrics and return parameters (only for a range ending at the horizon). */
  readonly patients: boolean;
}

/** Grid points [j0, j1) of block b. */
export function blockRange(job: PopulationJob, b: number): { j0: number; j1: number } {
  const j0 = b * job.layout.blockSize;
  return { j0, j1: Math.min(job.grid.count, j0 + job.layout.blockSize) };
}

/** The Ce thresholds whose exceedance probability is reported: every band bound, ascending, distinct. */
export function probabilityThresholds(job: PopulationJob): Float64Array {
  const v = new Set<number>();
  for (const b of job.bands) {
    v.add(b.lowNgMl);
    if (b.highNgMl !== undefined) v.add(b.highNgMl);
  }
  return Float64Array.from([...v].sort((a, b) => a - b));
}

/** Parameter record (without ke0, the last parameter) for the model's `structure`. */
function record(names: readonly string[], values: Float64Array, o: number): Record<string, number> {
  const r: Record<string, number> = {};
  for (let k = 0; k < names.length - 1; k++) r[names[k]] = values[o + k];
  return r;
}

/** The structure builder of a job's recipe. */
export async function structureBuilder(job: PopulationJob): Promise<(p: Record<string, number>) => PkStructure> {
  const recipe = job.recipe;
  if (recipe.kind === 'micro') return fromMicroParameters;
  if (recipe.kind === 'clearance') return fromClearanceParameters;
  const { findModel } = await import('../models/registry.ts');
  const def = findModel(recipe.id);
  if (!def) throw new Error(`population: unknown model ${recipe.id}`);
  return (p) => def.structure(p);
}

interface Kernel {
  block(j0: number, j1: number, cp: Float64Array, ce: Float64Array, mp: MetricsPlan | null, acc: Float64Array | null): void;
}

/** Simulates all patients of a job over [0, task.to) block by block, reducing the columns in [from, to). */
export class RangeRunner {
  readonly job: PopulationJob;
  readonly task: RangeTask;
  /** Blocks this task steps through (from grid point 0 to `to`). */
  readonly blocks: number;
  private done = 0;
  private readonly kernel: Kernel;
  private readonly mp: MetricsPlan | null;
  private readonly acc: Float64Array | null;
  private readonly params: Float64Array;
  private readonly cpBuf: Float64Array;
  private readonly ceBuf: Float64Array;
  private readonly cpSel: ColumnSelector;
  private readonly ceSel: ColumnSelector;
  private readonly out: { cp: Float64Array[]; ce: Float64Array[]; counts: Int32Array[] };

  private constructor(job: PopulationJob, task: RangeTask, kernel: Kernel, schedule: Schedule, params: Float64Array) {
    this.job = job;
    this.task = task;
    const n = job.n, B = job.layout.blockSize, width = task.to - task.from;
    this.blocks = Math.ceil(task.to / B);
    this.kernel = kernel;
    this.params = params;
    this.mp = task.patients && job.metrics ? metricsPlan(schedule.t, job.bands, job.recoveryLevelNgMl, job.doseEndMin) : null;
    this.acc = this.mp ? new Float64Array(n * this.mp.stride) : null;
    this.cpBuf = new Float64Array(n * B);
    this.ceBuf = new Float64Array(n * B);
    const thr = probabilityThresholds(job);
    this.cpSel = new ColumnSelector(n, job.percentiles);
    this.ceSel = new ColumnSelector(n, job.percentiles, thr);
    this.out = {
      cp: job.percentiles.map(() => new Float64Array(width)),
      ce: job.percentiles.map(() => new Float64Array(width)),
      counts: Array.from(thr, () => new Int32Array(width)),
    };
  }

  /** Sample every patient and set up its kernel. */
  static async create(job: PopulationJob, task: RangeTask): Promise<RangeRunner> {
    const count = job.grid.count;
    if (!(Number.isInteger(task.from) && Number.isInteger(task.to) && 0 <= task.from && task.from < task.to && task.to <= count)) {
      throw new Error(`population: range [${task.from}, ${task.to}) outside the grid [0, ${count})`);
    }
    if (task.patients && task.to !== count) throw new Error('population: per-patient results need the range that ends at the horizon');
    const schedule = compileSchedule(job.actions, job.grid);
    const n = job.n;
    const names = job.parameters.map((p) => p.name);
    const P = names.length;
    const sampler = createSampler(job.parameters.map((p) => p.typical), job.cholesky, job.seed);
    const params = new Float64Array(n * P);
    for (let i = 0; i < n; i++) sampler.sample(i, params, i * P);
    const build = await structureBuilder(job);
    let kernel: Kernel;
    if (job.structure === 'mammillary') {
      const co = new Float64Array(n * MODAL_STRIDE);
      const st = new Float64Array(n * MODAL_STATE);
      for (let i = 0; i < n; i++) {
        const s = build(record(names, params, i * P));
        if (s.kind !== 'mammillary') throw new Error('population: the model is not mammillary for every patient');
        modalSetup(s, params[i * P + P - 1], schedule.dt, co, i * MODAL_STRIDE);
      }
      kernel = { block: (j0, j1, cp, ce, mp, acc) => runModalBlock(co, st, n, schedule, j0, j1, cp, ce, mp, acc) };
    } else {
      const { generalRun } = await import('./general-kernel.ts');
      kernel = generalRun(schedule, n, (i) => {
        const s = build(record(names, params, i * P));
        if (s.kind !== 'linear') throw new Error('population: the model is not a linear system for every patient');
        return { system: s, ke0: params[i * P + P - 1] };
      });
    }
    return new RangeRunner(job, task, kernel, schedule, params);
  }

  /** Blocks stepped so far. */
  get blocksDone(): number {
    return this.done;
  }

  /** Step up to `maxBlocks` more blocks; returns true when the range is finished. */
  step(maxBlocks: number): boolean {
    const { from, to } = this.task;
    const n = this.job.n;
    for (let s = 0; s < maxBlocks && this.done < this.blocks; s++) {
      const { j0 } = blockRange(this.job, this.done);
      const j1 = Math.min(to, j0 + this.job.layout.blockSize);
      this.kernel.block(j0, j1, this.cpBuf, this.ceBuf, this.mp, this.acc);
      for (let j = Math.max(j0, from); j < j1; j++) {
        this.cpSel.select(this.cpBuf, (j - j0) * n, this.out.cp, j - from);
        this.ceSel.select(this.ceBuf, (j - j0) * n, this.out.ce, j - from, this.out.counts);
      }
      this.done++;
    }
    return this.done === this.blocks;
  }

  /** The finished range. */
  result(): RangePartial {
    if (this.done !== this.blocks) throw new Error(`population: range result after ${this.done} of ${this.blocks} blocks`);
    const { job, task } = this;
    let metrics: Float64Array | null = null;
    if (this.mp) {
      const M = metricNames(job.bands).length;
      metrics = new Float64Array(job.n * M);
      for (let i = 0; i < job.n; i++) metricsFinish(this.mp, this.acc!, i * this.mp.stride, metrics, i * M);
    }
    return {
      from: task.from, to: task.to,
      cp: this.out.cp, ce: this.out.ce, counts: this.out.counts,
      metrics, parameters: task.patients ? this.params : null,
    };
  }
}

/**
 * Split the grid into `workers` ranges of about equal cost. A worker's cost is stepping every patient
 * to the end of its range plus reducing its own columns (plus the metrics, for the last range);
 * later ranges step further, so they get fewer columns. Only speed depends on this split.
 */
export function splitRanges(job: PopulationJob, workers: number): RangeTask[] {
  const T = job.grid.count;
  const w = Math.max(1, Math.min(workers, T));
  // Relative costs per patient and grid point, measured on the modal kernel (population.bench.ts).
  const step = job.structure === 'mammillary' ? 1 : 6, reduce = 2.2, metrics = job.metrics ? 1.1 : 0;
  const cost = (from: number, to: number, last: boolean) => to * step + (to - from) * reduce + (last ? T * metrics : 0);
  const ranges = (target: number): number[] | null => {
    const ends: number[] = [];
    let from = 0;
    for (let k = 0; k < w - 1; k++) {
      let lo = from + 1, hi = T - (w - 1 - k); // leave at least one column for each later range
      if (lo > hi) return null;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (cost(from, mid, false) <= target) lo = mid;
        else hi = mid - 1;
      }
      ends.push(lo);
      from = lo;
    }
    return cost(from, T, true) <= target ? ends : null;
  };
  let lo = 0, hi = cost(0, T, true);
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (ranges(mid) !== null) hi = mid;
    else lo = mid;
  }
  const ends = ranges(hi) ?? Array.from({ length: w - 1 }, (_, k) => Math.round(((k + 1) * T) / w));
  const tasks: RangeTask[] = [];
  let from = 0;
  for (const e of [...ends, T]) {
    tasks.push({ from, to: e, patients: e === T });
    from = e;
  }
  return tasks;
}
