// `selectedCoursePatient`: the patient shown in the Course view (kept across tab switches).
import { createStore, type Store } from '../state/store.ts';

/** The patient shown in the Course view (kept across tab switches); null when none is chosen. */
export const selectedCoursePatient: Store<string | null> = createStore<string | null>(null);
