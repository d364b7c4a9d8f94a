/**
 * Live mode: the pure logic of a running session (no clock, no DOM, no randomness; times are session
 * minutes supplied by the caller).
 *
 * - log.ts       the session log: immutable, versioned entries; record, correct, delete; replay-validation
 * - course.ts    what the pump and syringe actually do (the semantics), given and forecast regimens
 * - kernel.ts    the exact stepper with an external state (copy, evaluate any minute in closed form)
 * - crossings.ts exact band-level crossings and Ce extrema on the closed form
 * - tracker.ts   the cheap once-a-second now-state (main thread)
 * - forecast.ts  the heavy analysis for the worker: course trajectory, crossings, what-ifs
 * - session-dose.ts a whole session's dose and peak Ce (the Course view's table, computed in the worker)
 */
export * from './log.ts';
export * from './course.ts';
export * from './kernel.ts';
export * from './crossings.ts';
export * from './tracker.ts';
export * from './forecast.ts';
export * from './session-dose.ts';
