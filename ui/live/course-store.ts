/**
 * The app's one course database connection — the storage worker (ui/storage/storage.worker.ts) behind the
 * one worker bridge, typed from its API — shared by Live mode and the Course view, plus a revision counter
 * that every write of either view bumps, so the other re-reads what changed (a session started in Live
 * mode appears in the Course view, notes saved in the Course view feed the personal band the planner can
 * target). The database, its validation and the live-log rules never run on the main thread.
 */
import { bridgeRemote, moduleWorker, WorkerBridge, type Remote } from '../../workers/bridge.ts';
import type { StorageApi } from '../storage/storage-api.ts';
import { createStore, type Store } from '../state/store.ts';

/** The course database as the main thread calls it. */
export type CourseStoreClient = Remote<StorageApi>;

let store: CourseStoreClient | null = null;

export function courseStore(): CourseStoreClient {
  // Never idle-stopped: a running session's writes must not wait for a worker to start.
  store ??= bridgeRemote<StorageApi>(
    new WorkerBridge({
      connect: moduleWorker<StorageApi>(
        () => new Worker(new URL('../storage/storage.worker.ts', import.meta.url), { type: 'module', name: 'ketasim-storage' }),
        'storage',
      ),
      idleMs: Infinity,
    }),
  );
  return store;
}

/** Bumped after every committed write to the course database. */
export const courseRevision: Store<number> = createStore(0);
export const bumpCourseRevision = (): void => courseRevision.set((n) => n + 1);
