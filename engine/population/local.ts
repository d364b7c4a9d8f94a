// `runPopulationLocal`: whole population on the calling thread; the bit-for-bit reference for the worker pool.
import { assembleResult, columnsFromRanges } from './merge.ts';
import { PatientSlice, RangeRunner, SharedReducer, sharedBlocks, sharedSimulate } from './runner.ts';
import { columnOutputs, patientShare, splitRanges } from './layout.ts';
import type { PopulationJob, PopulationResult } from './types.ts';

/**
 * A whole population on the calling thread: the reference the worker pool must equal bit for bit,
 * and the path for environments without workers. `ranges` splits the work as that many time-split
 * workers would; `shared` instead runs that many shared-memory workers' loops in lockstep (every
 * slice simulates a block, then every reducer reduces it: the order the barrier enforces). Neither
 * may change the result. `onProgress(done, total)` follows the blocks.
 */
export async function runPopulationLocal(
  job: PopulationJob,
  options: { ranges?: number; shared?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<PopulationResult> {
  if (options.shared !== undefined) {
    const W = Math.max(1, options.shared);
    const blocks = sharedBlocks(job, W);
    const out = columnOutputs(job, job.grid.count);
    const slices = await Promise.all(
      Array.from({ length: W }, (_, w) => {
        const { from, to } = patientShare(job.n, w, W);
        return PatientSlice.create(job, from, to, true);
      }),
    );
    const reducers = slices.map((s, w) => new SharedReducer(job, w, W, s.scales));
    for (let b = 0; b < job.layout.blocks; b++) {
      slices.forEach((s, w) => sharedSimulate(s, w, b, blocks));
      for (const r of reducers) r.reduce(b, blocks, out);
      options.onProgress?.(b + 1, job.layout.blocks);
    }
    return assembleResult(
      job,
      out,
      slices.map((s) => s.finish()),
    );
  }
  const tasks = splitRanges(job, options.ranges ?? 1);
  const runners = await Promise.all(tasks.map((t) => RangeRunner.create(job, t)));
  const total = runners.reduce((s, r) => s + r.blocks, 0);
  let done = 0;
  for (const r of runners) {
    while (!r.step(1)) options.onProgress?.(++done, total);
    options.onProgress?.(++done, total);
  }
  const { columns, patients } = columnsFromRanges(
    job,
    runners.map((r) => r.result()),
  );
  return assembleResult(job, columns, patients);
}
