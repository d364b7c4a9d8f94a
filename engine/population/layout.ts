// Work layout: `blockRange`, `binCount`, `splitRanges`, `patientShare`, `columnOutputs`, `probabilityThresholds`.
import type { ColumnOutputs, PopulationJob } from './types.ts';

/**
 * How a population's work is laid out: blocks of grid points, the time-split ranges, the
 * shared-memory patient shares, the reported thresholds and the output arrays. Small and free of the
 * kernel, so the main thread (the pool) can import it without the stepping code.
 */

/** Grid points [j0, j1) of block b. */
export function blockRange(job: PopulationJob, b: number): { j0: number; j1: number } {
  const j0 = b * job.layout.blockSize;
  return { j0, j1: Math.min(job.grid.count, j0 + job.layout.blockSize) };
}

/** Bins per column for N patients (the histogram the kernel fills; see select.ts). */
export const binCount = (n: number): number => Math.max(64, Math.min(4096, n >> 3));

/** The Ce thresholds whose exceedance probability is reported: every band bound, ascending, distinct. */
export function probabilityThresholds(job: PopulationJob): Float64Array {
  const v = new Set<number>();
  for (const b of job.bands) {
    v.add(b.lowNgMl);
    if (b.highNgMl !== undefined) v.add(b.highNgMl);
  }
  return Float64Array.from([...v].sort((a, b) => a - b));
}

/** Output arrays for grid points [0, width) (one per percentile and series, one per threshold). */
export function columnOutputs(
  job: PopulationJob,
  width: number,
  alloc: (bytes: number) => ArrayBuffer = (b) => new ArrayBuffer(b),
): ColumnOutputs {
  const f64 = () => new Float64Array(alloc(8 * width));
  return {
    cp: job.percentiles.map(f64),
    ce: job.percentiles.map(f64),
    counts: Array.from(probabilityThresholds(job), () => new Int32Array(alloc(4 * width))),
  };
}

/**
 * A time-split worker's task: all patients over [0, to), reducing the columns in [from, to). The range
 * ending at the horizon also returns every patient's results.
 */
export interface RangeTask {
  readonly from: number;
  readonly to: number;
  /** Per-patient results (only for a range ending at the horizon). */
  readonly patients: boolean;
}

/**
 * Split the grid into `workers` ranges of about equal cost for the time-split shape. A worker's cost
 * is stepping every patient to the end of its range plus reducing its own columns (plus the metrics,
 * for the last range). Only speed depends on this split.
 */
export function splitRanges(job: PopulationJob, workers: number): RangeTask[] {
  const T = job.grid.count;
  const w = Math.max(1, Math.min(workers, T));
  // Relative CPU costs per patient and grid point, measured on the modal kernel (workload P, 10,000
  // patients): stepping with the fused histogram 1, reducing a column (pass 2, both series) 0.6,
  // streaming the metrics 0.9. The general kernel steps about 6 times slower.
  const step = job.structure === 'mammillary' ? 1 : 6,
    reduce = 0.6,
    metrics = job.metrics ? 0.9 : 0;
  const cost = (from: number, to: number, last: boolean) => to * step + (to - from) * reduce + (last ? T * metrics : 0);
  const ranges = (target: number): number[] | null => {
    const ends: number[] = [];
    let from = 0;
    for (let k = 0; k < w - 1; k++) {
      let lo = from + 1,
        hi = T - (w - 1 - k); // leave at least one column for each later range
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
  let lo = 0,
    hi = cost(0, T, true);
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

/** Patients [from, to) of worker w of W in the shared-memory shape (contiguous, nearly equal). */
export function patientShare(n: number, w: number, workers: number): { from: number; to: number } {
  return { from: Math.floor((w * n) / workers), to: Math.floor(((w + 1) * n) / workers) };
}
