/**
 * The Validate view's handle on the validate worker (workers/validate-api.ts) over the one worker bridge:
 * runs are latest-wins on one channel and cancellable; the worker computes in steps of about 50 ms so
 * progress is reported and a cancellation takes effect between two steps. Types come from the API.
 */
import type {
  ValidateApi,
  ValidateModelChoice,
  ValidateProblems,
  ValidateRequest,
  ValidateResult,
} from '../../workers/validate-api.ts';
import { isAbortError, moduleWorker, WorkerAbortError, WorkerBridge, type Connect, type Remote } from '../../workers/bridge.ts';

export { isAbortError };

export type ValidateRemote = Remote<ValidateApi>;

/** A run's outcome: the result, or why nothing was computed (the problems name line and column). */
export type ValidateOutcome = { ok: true; result: ValidateResult } | ValidateProblems;

/** A promise that can be cancelled; cancelling rejects it with an Error named `AbortError`. */
export type CancellableRun = Promise<ValidateOutcome> & { cancel(): void };

/** The app's validate worker, wrapped by comlink. */
export const validateWorkerConnection: Connect<ValidateRemote> = moduleWorker<ValidateApi>(
  () => new Worker(new URL('../../workers/validate.worker.ts', import.meta.url), { type: 'module', name: 'ketasim-validate' }),
  'validate',
);

/** Worker time per step request, ms (the client reports progress and checks for cancellation between steps). */
const STEP_MS = 50;

export class ValidateClient {
  private readonly bridge: WorkerBridge<ValidateRemote>;

  constructor(options: { connect?: Connect<ValidateRemote>; idleMs?: number } = {}) {
    this.bridge = new WorkerBridge({ connect: options.connect ?? validateWorkerConnection, idleMs: options.idleMs });
  }

  /** The registry's models (id, name, drug, population, needed columns). */
  models(): Promise<ValidateModelChoice[]> {
    return this.bridge.run((api) => api.models() as Promise<ValidateModelChoice[]>, { channel: 'models' });
  }

  /**
   * Validate `request.models` against the dataset text; `onProgress(done, steps)` after each step. A newer
   * run supersedes this one (rejected with an AbortError); so does `cancel()`.
   */
  run(request: ValidateRequest, onProgress?: (done: number, steps: number) => void): CancellableRun {
    const controller = new AbortController();
    const run = this.bridge.run(
      async (api, signal): Promise<ValidateOutcome> => {
        const opened = await api.open(request);
        if (!opened.ok) return opened;
        onProgress?.(0, opened.steps);
        for (;;) {
          if (signal.aborted) {
            await api.cancel();
            throw new WorkerAbortError('validation cancelled');
          }
          const s = await api.step(STEP_MS);
          if (!signal.aborted) onProgress?.(s.done, s.steps);
          if (s.finished) break;
        }
        if (signal.aborted) throw new WorkerAbortError('validation cancelled');
        return { ok: true, result: (await api.result()) as ValidateResult };
      },
      { channel: 'run', signal: controller.signal },
    ) as CancellableRun;
    run.cancel = () => controller.abort();
    return run;
  }

  /** Requests sent to the worker so far. */
  get sent(): number {
    return this.bridge.sent;
  }

  /** Stop the worker; anything in flight rejects with an AbortError. */
  dispose(): void {
    this.bridge.shutdown('the validate worker was stopped');
  }
}
