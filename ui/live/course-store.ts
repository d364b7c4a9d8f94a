import { CourseStore } from '../storage/store.ts';
import { createStore, type Store } from '../state/store.ts';

/**
 * The app's one course database connection (IndexedDB through dexie), opened on first use and shared by
 * Live mode and the Course view, plus a revision counter that every write of either view bumps, so the
 * other re-reads what changed (a session started in Live mode appears in the Course view, notes saved in
 * the Course view feed the personal band the planner can target).
 */
let store: CourseStore | null = null;

export function courseStore(): CourseStore {
  store ??= CourseStore.open();
  return store;
}

/** Bumped after every committed write to the course database. */
export const courseRevision: Store<number> = createStore(0);
export const bumpCourseRevision = (): void => courseRevision.set((n) => n + 1);
