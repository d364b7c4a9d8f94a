/**
 * The course database (IndexedDB through dexie): patients by alias only, their sessions (plan, live
 * log, notes, outcome scores), schema versions with migration, crash-safe live logging, and the course
 * file for export and import.
 *
 * - records.ts      record types and the pure field checks (alias-only rule, scales, score ranges)
 * - db.ts           schema v1 and v2, the v1 → v2 upgrade, openCourseDb
 * - store.ts        CourseStore: every read and write, each validated and in one transaction
 * - course-file.ts  export / import of one patient's course (versioned JSON format)
 */
export * from './records.ts';
export * from './db.ts';
export * from './store.ts';
export * from './course-file.ts';
