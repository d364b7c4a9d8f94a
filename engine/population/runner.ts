// Worker side: `RangeRunner` (time split), `PatientSlice`/`SharedReducer`/`sharedSimulate` (shared memory), `structureBuilder`.
import type { GeneralRunKernel } from './general-kernel.ts';
import { fromClearanceParameters, fromMicroParameters } from '../models/structures.ts';
import type { PkStructure } from '../pk/stepper.ts';
import { metricNames, metricsFinish, metricsPlan, type MetricsPlan } from './metrics-stream.ts';
import { MODAL_STATE, MODAL_STRIDE, modalSetup, runModalBlock, type BinSink } from './modal-kernel.ts';
import { createSampler } from './sample.ts';
import { compileSchedule, type Schedule } from './schedule.ts';
import { ColumnSelector } from './select.ts';
import type { ColumnOutputs, PatientPart, PopulationJob, RangePartial } from './types.ts';
import { binCount, blockRange, columnOutputs, probabilityThresholds, type RangeTask } from './layout.ts';

/**
 * The worker side of a population, in two shapes that give the same bits:
 *
 * - Shared memory (`runSharedLoop`, when SharedArrayBuffer is available: Node, cross-origin-isolated
 *   pages): worker w of W simulates its slice of the patients block by block into a shared
 *   N × block buffer (double-buffered, one barrier per block), then reduces every W-th column of the
 *   block over all N patients. No work is repeated and nothing is merged.
 * - Time split (`RangeRunner`, everywhere else): a worker owns a range of grid points [from, to),
 *   follows every patient from t = 0 to `to` and reduces its columns; later ranges step further, so
 *   they get fewer columns (`splitRanges`). Merging is concatenation.
 *
 * In both, a patient's trajectory is a function of its own parameters and the schedule alone (no
 * operation mixes patients), and a column's percentiles and counts are exact order statistics over
 * all N values (select.ts), so the result cannot depend on the number of workers or on the shape.
 */

/** Parameter record (without ke0, the last parameter) for the model's `structure`, into `r`. */
function record(
  names: readonly string[],
  values: Float64Array,
  o: number,
  r: Record<string, number> = {},
): Record<string, number> {
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

/** A kernel steps a block of grid points for every patient (the modal and general kernels share this shape). */
type Kernel = GeneralRunKernel;

/** A column's bins span [0, BIN_RANGE × the typical patient's value there]; larger values share the top bin. */
const BIN_RANGE = 4;

/** The histogram scales of a job: from the typical patient's trajectory, the same in every worker. */
export interface BinScales {
  readonly nb: number;
  readonly invCp: Float64Array;
  readonly invCe: Float64Array;
}

/**
 * Per-patient modal coefficients (MODAL_STRIDE numbers each) of patients whose parameters are rows
 * of `params`, for grid step `dt` (min).
 */
function modalCoefficients(
  names: readonly string[],
  build: (p: Record<string, number>) => PkStructure,
  params: Float64Array,
  size: number,
  dt: number,
): Float64Array {
  const P = names.length;
  const co = new Float64Array(size * MODAL_STRIDE);
  const rec: Record<string, number> = {};
  for (let i = 0; i < size; i++) {
    const s = build(record(names, params, i * P, rec));
    if (s.kind !== 'mammillary') throw new Error('population: the model is not mammillary for every patient');
    modalSetup(s, params[i * P + P - 1], dt, co, i * MODAL_STRIDE);
  }
  return co;
}

/**
 * A kernel for patients whose parameters are rows of `params`. `coefficients`: their modal
 * coefficients when already computed (mammillary models; `modalCoefficients` of the same parameters and step).
 */
async function kernelFor(
  job: PopulationJob,
  schedule: Schedule,
  params: Float64Array,
  size: number,
  coefficients: Float64Array | null = null,
): Promise<Kernel> {
  const names = job.parameters.map((p) => p.name);
  const P = names.length;
  const build = await structureBuilder(job);
  if (size === 0) return { block: () => {} };
  if (job.structure === 'mammillary') {
    const co = coefficients ?? modalCoefficients(names, build, params, size, schedule.dt);
    const st = new Float64Array(size * MODAL_STATE);
    return {
      block: (j0, j1, cp, ce, stride, offset, bins, mp, acc) =>
        runModalBlock(co, st, size, schedule, j0, j1, cp, ce, stride, offset, bins, mp, acc),
    };
  }
  const { generalRun } = await import('./general-kernel.ts');
  return generalRun(schedule, size, (i) => {
    const s = build(record(names, params, i * P));
    if (s.kind !== 'linear') throw new Error('population: the model is not a linear system for every patient');
    return { system: s, ke0: params[i * P + P - 1] };
  });
}

/**
 * Sampled patients kept between runs in this worker (or thread): their parameters and, for
 * mammillary models, their modal coefficients. Both are functions of the seed, the patient indices,
 * the model (structure, recipe, parameters' typical values after covariates, covariance factor) and
 * the grid step alone, never of the regimen, so an edit of the regimen alone (the common edit with the
 * Population toggle on) re-uses them instead of re-sampling and re-deriving every patient. The key
 * holds every one of those inputs, so any change of seed, N, model or covariates misses. Read-only
 * once stored: a slice's per-patient state is fresh per run, and `finish` hands out a copy of the
 * parameters (the caller may transfer it).
 */
interface SampledPatients {
  readonly key: string;
  readonly params: Float64Array;
  readonly coefficients: Float64Array | null;
}
/** Entries kept (most recent first): a bands-only run and a full run, or two workers' slices in one thread. */
const SAMPLED_KEEP = 2;
const sampledCache: SampledPatients[] = [];
/** Lookups of `sampledCache` since the module loaded: hits (re-used patients) and misses (sampled afresh). */
export const sampledStats = { hits: 0, misses: 0 };

function sampledKey(job: PopulationJob, from: number, to: number, dt: number): string {
  return JSON.stringify([
    job.seed,
    job.n,
    from,
    to,
    dt,
    job.structure,
    job.recipe,
    job.parameters.map((p) => [p.name, p.typical]),
    job.cholesky,
  ]);
}

/** Forget every kept patient set (tests; a worker keeps at most SAMPLED_KEEP sets anyway). */
export function clearSampledPatients(): void {
  sampledCache.length = 0;
}

/** The job's histogram scales, from its typical patient (all parameters at their typical values). */
async function binScales(job: PopulationJob, schedule: Schedule): Promise<BinScales> {
  const T = job.grid.count;
  const typical = Float64Array.from(job.parameters, (p) => p.typical);
  const kernel = await kernelFor(job, schedule, typical, 1);
  const cp = new Float64Array(T),
    ce = new Float64Array(T);
  const none: BinSink = {
    nb: 1,
    cols: T,
    invCp: new Float64Array(T),
    invCe: new Float64Array(T),
    histCp: new Int32Array(T),
    histCe: new Int32Array(T),
  };
  kernel.block(0, T, cp, ce, 1, 0, none, null, null);
  const nb = binCount(job.n),
    top = nb - 1;
  const inv = (v: Float64Array) => Float64Array.from(v, (x) => (x > 0 ? top / (BIN_RANGE * x) : 0));
  return { nb, invCp: inv(cp), invCe: inv(ce) };
}

/** Patients [from, to) of a job: sampled, set up, stepped block by block (blocks in order from 0). */
export class PatientSlice {
  readonly job: PopulationJob;
  readonly from: number;
  readonly to: number;
  private readonly kernel: Kernel;
  private readonly params: Float64Array;
  private readonly mp: MetricsPlan | null;
  private readonly acc: Float64Array | null;
  /** The histogram scales every worker's kernel uses (identical everywhere). */
  readonly scales: BinScales;

  private constructor(
    job: PopulationJob,
    from: number,
    to: number,
    kernel: Kernel,
    params: Float64Array,
    mp: MetricsPlan | null,
    scales: BinScales,
  ) {
    this.job = job;
    this.from = from;
    this.to = to;
    this.kernel = kernel;
    this.params = params;
    this.mp = mp;
    this.acc = mp ? new Float64Array((to - from) * mp.stride) : null;
    this.scales = scales;
  }

  /** Sample patients [from, to) and set up their kernel; `metrics`: stream their per-patient metrics. */
  static async create(job: PopulationJob, from: number, to: number, metrics: boolean): Promise<PatientSlice> {
    if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= job.n)) {
      throw new Error(`population: patients [${from}, ${to}) outside [0, ${job.n})`);
    }
    const schedule = compileSchedule(job.actions, job.grid);
    const size = to - from;
    const key = sampledKey(job, from, to, schedule.dt);
    const at = sampledCache.findIndex((e) => e.key === key);
    let entry: SampledPatients;
    if (at >= 0) {
      sampledStats.hits++;
      entry = sampledCache[at];
      sampledCache.splice(at, 1);
    } else {
      sampledStats.misses++;
      const P = job.parameters.length;
      const sampler = createSampler(
        job.parameters.map((p) => p.typical),
        job.cholesky,
        job.seed,
      );
      const params = new Float64Array(size * P);
      for (let i = 0; i < size; i++) sampler.sample(from + i, params, i * P);
      const coefficients =
        job.structure === 'mammillary' && size > 0
          ? modalCoefficients(
              job.parameters.map((p) => p.name),
              await structureBuilder(job),
              params,
              size,
              schedule.dt,
            )
          : null;
      entry = { key, params, coefficients };
    }
    sampledCache.unshift(entry);
    if (sampledCache.length > SAMPLED_KEEP) sampledCache.length = SAMPLED_KEEP;
    const params = entry.params;
    const kernel = await kernelFor(job, schedule, params, size, entry.coefficients);
    const scales = await binScales(job, schedule);
    const mp = metrics && job.metrics ? metricsPlan(schedule.t, job.bands, job.recoveryLevelNgMl, job.doseEndMin) : null;
    return new PatientSlice(job, from, to, kernel, params, mp, scales);
  }

  /**
   * Simulate grid points [j0, j1) into column-major buffers (patient i at `(j − j0)·stride + offset +
   * (i − from)`), counting each value into `histCp`/`histCe` (nb × (j1 − j0), bin-major: bin b of
   * grid point j at `b·(j1 − j0) + j − j0`; zeroed by the caller).
   */
  block(
    j0: number,
    j1: number,
    cp: Float64Array,
    ce: Float64Array,
    stride: number,
    offset: number,
    histCp: Int32Array,
    histCe: Int32Array,
  ): void {
    const { nb, invCp, invCe } = this.scales;
    if (histCp.length < nb * (j1 - j0) || histCe.length < nb * (j1 - j0))
      throw new Error('population: histogram buffers too small for the block');
    this.kernel.block(j0, j1, cp, ce, stride, offset, { nb, cols: j1 - j0, invCp, invCe, histCp, histCe }, this.mp, this.acc);
  }

  /** The slice's per-patient results (metrics once every grid point has been stepped). */
  finish(): PatientPart {
    let metrics: Float64Array | null = null;
    if (this.mp) {
      const M = metricNames(this.job.bands).length;
      const size = this.to - this.from;
      metrics = new Float64Array(size * M);
      for (let i = 0; i < size; i++) metricsFinish(this.mp, this.acc!, i * this.mp.stride, metrics, i * M);
    }
    // A copy: the parameters are kept for the next run (`sampledCache`), and the caller may transfer this one.
    return { from: this.from, to: this.to, metrics, parameters: this.params.slice() };
  }
}

export class RangeRunner {
  readonly job: PopulationJob;
  readonly task: RangeTask;
  /** Blocks this task steps through (from grid point 0 to `to`). */
  readonly blocks: number;
  private done = 0;
  private readonly slice: PatientSlice;
  private readonly cpBuf: Float64Array;
  private readonly ceBuf: Float64Array;
  private readonly histCp: Int32Array;
  private readonly histCe: Int32Array;
  private readonly hist: Int32Array;
  private readonly cpSel: ColumnSelector;
  private readonly ceSel: ColumnSelector;
  private readonly out: ColumnOutputs;

  private constructor(job: PopulationJob, task: RangeTask, slice: PatientSlice) {
    this.job = job;
    this.task = task;
    const n = job.n,
      B = job.layout.blockSize,
      nb = slice.scales.nb;
    this.blocks = Math.ceil(task.to / B);
    this.slice = slice;
    this.cpBuf = new Float64Array(n * B);
    this.ceBuf = new Float64Array(n * B);
    this.histCp = new Int32Array(B * nb);
    this.histCe = new Int32Array(B * nb);
    this.hist = new Int32Array(nb);
    // Both selectors get the thresholds (Cp's counts are not used): one code path, so the JIT's
    // optimised code does not bail out when the second series arrives.
    this.cpSel = new ColumnSelector(n, job.percentiles, probabilityThresholds(job), nb);
    this.ceSel = new ColumnSelector(n, job.percentiles, probabilityThresholds(job), nb);
    this.out = columnOutputs(job, task.to - task.from);
  }

  static async create(job: PopulationJob, task: RangeTask): Promise<RangeRunner> {
    const count = job.grid.count;
    if (
      !(Number.isInteger(task.from) && Number.isInteger(task.to) && 0 <= task.from && task.from < task.to && task.to <= count)
    ) {
      throw new Error(`population: range [${task.from}, ${task.to}) outside the grid [0, ${count})`);
    }
    if (task.patients && task.to !== count)
      throw new Error('population: per-patient results need the range that ends at the horizon');
    return new RangeRunner(job, task, await PatientSlice.create(job, 0, job.n, task.patients));
  }

  /** Blocks stepped so far. */
  get blocksDone(): number {
    return this.done;
  }

  /** Step up to `maxBlocks` more blocks; returns true when the range is finished. */
  step(maxBlocks: number): boolean {
    const { from, to } = this.task;
    const n = this.job.n,
      B = this.job.layout.blockSize;
    const out = this.out;
    const { nb, invCp, invCe } = this.slice.scales;
    for (let s = 0; s < maxBlocks && this.done < this.blocks; s++) {
      const j0 = this.done * B;
      const j1 = Math.min(to, j0 + B);
      this.histCp.fill(0);
      this.histCe.fill(0);
      this.slice.block(j0, j1, this.cpBuf, this.ceBuf, n, 0, this.histCp, this.histCe);
      for (let j = Math.max(j0, from); j < j1; j++) {
        const jj = j - j0,
          cols = j1 - j0;
        this.cpSel.fromHistogram(
          this.cpBuf,
          jj * n,
          columnHistogram(this.histCp, nb, cols, 0, 1, jj, this.hist),
          invCp[j],
          out.cp,
          j - from,
        );
        this.ceSel.fromHistogram(
          this.ceBuf,
          jj * n,
          columnHistogram(this.histCe, nb, cols, 0, 1, jj, this.hist),
          invCe[j],
          out.ce,
          j - from,
          out.counts,
        );
      }
      this.done++;
    }
    return this.done === this.blocks;
  }

  /** The finished range. */
  result(): RangePartial {
    if (this.done !== this.blocks) throw new Error(`population: range result after ${this.done} of ${this.blocks} blocks`);
    return { from: this.task.from, to: this.task.to, ...this.out, patients: this.task.patients ? this.slice.finish() : null };
  }
}

/**
 * Buffers of the shared-memory shape, double-buffered by block parity: the N × blockSize values per
 * series, and each worker's histogram rows (blockSize × nb per series, worker w's at w·blockSize·nb).
 */
export interface SharedBlocks {
  readonly cp: readonly [Float64Array, Float64Array];
  readonly ce: readonly [Float64Array, Float64Array];
  readonly histCp: readonly [Int32Array, Int32Array];
  readonly histCe: readonly [Int32Array, Int32Array];
}

/** Allocate the shared-memory shape's buffers (any allocator: ArrayBuffer, SharedArrayBuffer). */
export function sharedBlocks(
  job: PopulationJob,
  workers: number,
  alloc: (bytes: number) => ArrayBuffer = (b) => new ArrayBuffer(b),
): SharedBlocks {
  const v = 8 * job.n * job.layout.blockSize,
    h = 4 * workers * job.layout.blockSize * binCount(job.n);
  return {
    cp: [new Float64Array(alloc(v)), new Float64Array(alloc(v))],
    ce: [new Float64Array(alloc(v)), new Float64Array(alloc(v))],
    histCp: [new Int32Array(alloc(h)), new Int32Array(alloc(h))],
    histCe: [new Int32Array(alloc(h)), new Int32Array(alloc(h))],
  };
}

/** Simulate block b of worker w's slice into the shared buffers (the first half of a shared-memory block). */
export function sharedSimulate(slice: PatientSlice, w: number, b: number, blocks: SharedBlocks): void {
  const job = slice.job;
  const { j0, j1 } = blockRange(job, b);
  const rows = job.layout.blockSize * slice.scales.nb;
  const hcp = blocks.histCp[b & 1].subarray(w * rows, (w + 1) * rows);
  const hce = blocks.histCe[b & 1].subarray(w * rows, (w + 1) * rows);
  hcp.fill(0);
  hce.fill(0);
  slice.block(j0, j1, blocks.cp[b & 1], blocks.ce[b & 1], job.n, slice.from, hcp, hce);
}

/**
 * Column jj's histogram out of `count` bin-major histograms (nb × cols each, one per worker, the w-th
 * starting at w·region), summed into `out`.
 */
function columnHistogram(
  parts: Int32Array,
  nb: number,
  cols: number,
  region: number,
  count: number,
  jj: number,
  out: Int32Array,
): Int32Array {
  for (let b = 0; b < nb; b++) out[b] = parts[b * cols + jj];
  for (let w = 1; w < count; w++) {
    const o = w * region + jj;
    for (let b = 0; b < nb; b++) out[b] += parts[o + b * cols];
  }
  return out;
}

/** Reduces worker w's columns (j ≡ w mod W) of each block over all N patients (the second half). */
export class SharedReducer {
  private readonly job: PopulationJob;
  private readonly w: number;
  private readonly workers: number;
  private readonly scales: BinScales;
  private readonly cpSel: ColumnSelector;
  private readonly ceSel: ColumnSelector;
  private readonly hist: Int32Array;

  constructor(job: PopulationJob, w: number, workers: number, scales: BinScales) {
    this.job = job;
    this.w = w;
    this.workers = workers;
    this.scales = scales;
    // Both selectors get the thresholds (Cp's counts are not used): one code path for the JIT.
    this.cpSel = new ColumnSelector(job.n, job.percentiles, probabilityThresholds(job), scales.nb);
    this.ceSel = new ColumnSelector(job.n, job.percentiles, probabilityThresholds(job), scales.nb);
    this.hist = new Int32Array(scales.nb);
  }

  reduce(b: number, blocks: SharedBlocks, out: ColumnOutputs): void {
    const { j0, j1 } = blockRange(this.job, b);
    const n = this.job.n,
      W = this.workers,
      p = b & 1;
    const { invCp, invCe } = this.scales;
    for (let j = j0 + ((((this.w - (j0 % W)) % W) + W) % W); j < j1; j += W) {
      const jj = j - j0;
      const nb = this.scales.nb,
        region = this.job.layout.blockSize * nb,
        cols = j1 - j0;
      this.cpSel.fromHistogram(
        blocks.cp[p],
        jj * n,
        columnHistogram(blocks.histCp[p], nb, cols, region, W, jj, this.hist),
        invCp[j],
        out.cp,
        j,
      );
      this.ceSel.fromHistogram(
        blocks.ce[p],
        jj * n,
        columnHistogram(blocks.histCe[p], nb, cols, region, W, jj, this.hist),
        invCe[j],
        out.ce,
        j,
        out.counts,
      );
    }
  }
}

/**
 * Worker w's loop in the shared-memory shape: for each block, simulate this worker's patients into
 * the block's shared buffers (values, and this worker's histogram rows), wait at `barrier` until
 * every worker has, then reduce the block's columns j ≡ w (mod W) over all N patients into `out`.
 * Double buffering makes one barrier per block enough: a worker writes block b + 1 into the other
 * buffers while others may still read block b, and it can only reach block b + 2 (the first buffers
 * again) after everyone has passed the barrier of block b + 1, that is, after everyone finished
 * reading block b. `barrier` returns false when the run is cancelled; the loop then stops. Returns
 * true when every block is done.
 */
export function runSharedLoop(
  slice: PatientSlice,
  w: number,
  workers: number,
  blocks: SharedBlocks,
  out: ColumnOutputs,
  barrier: () => boolean,
  progress: (blocksDone: number) => void,
): boolean {
  const reducer = new SharedReducer(slice.job, w, workers, slice.scales);
  for (let b = 0; b < slice.job.layout.blocks; b++) {
    sharedSimulate(slice, w, b, blocks);
    if (!barrier()) return false;
    reducer.reduce(b, blocks, out);
    progress(b + 1);
  }
  return true;
}
