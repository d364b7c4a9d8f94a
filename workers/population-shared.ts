/**
 * What the population pool (main thread) and its workers share in the shared-memory shape: the
 * control words and the buffers of a run. Kept apart so the main thread need not import the worker.
 */

/** Slots of the shared control array. */
export const CONTROL = { COUNT: 0, GENERATION: 1, CANCEL: 2, PROGRESS: 3, SIZE: 4 } as const;

/** Shared memory of a run in the shared-memory shape (engine/population/runner.ts `runSharedLoop`). */
export interface SharedSpec {
  /** This worker's index and the number of workers. */
  readonly w: number;
  readonly workers: number;
  /** Int32 control words (CONTROL). */
  readonly control: SharedArrayBuffer;
  /** Two N × blockSize Float64 blocks per series, and two blocks of every worker's histogram rows. */
  readonly cp: readonly [SharedArrayBuffer, SharedArrayBuffer];
  readonly ce: readonly [SharedArrayBuffer, SharedArrayBuffer];
  readonly histCp: readonly [SharedArrayBuffer, SharedArrayBuffer];
  readonly histCe: readonly [SharedArrayBuffer, SharedArrayBuffer];
  /** Outputs: one Float64 array of T per percentile and series, one Int32 array of T per threshold. */
  readonly out: {
    readonly cp: readonly SharedArrayBuffer[];
    readonly ce: readonly SharedArrayBuffer[];
    readonly counts: readonly SharedArrayBuffer[];
  };
}
