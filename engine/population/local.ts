import { assembleResult } from './merge.ts';
import { RangeRunner, splitRanges } from './runner.ts';
import type { PopulationJob, PopulationResult } from './types.ts';

/**
 * A whole population on the calling thread: the reference for the worker pool (which must give the
 * identical result) and the path for environments without workers. `ranges` splits the grid as that
 * many workers would (the result must not change); `onProgress(done, total)` follows the blocks.
 */
export async function runPopulationLocal(
  job: PopulationJob,
  options: { ranges?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<PopulationResult> {
  const tasks = splitRanges(job, options.ranges ?? 1);
  const runners = await Promise.all(tasks.map((t) => RangeRunner.create(job, t)));
  const total = runners.reduce((s, r) => s + r.blocks, 0);
  let done = 0;
  for (const r of runners) {
    while (!r.step(1)) options.onProgress?.(++done, total);
    options.onProgress?.(++done, total);
  }
  return assembleResult(job, runners.map((r) => r.result()));
}
