/**
 * The titration planner (issue 4): a syringe-pump programme that holds Ce or Cp inside a window.
 * `planTitration` is the entry point; the rest is exported for the CLI, the UI and tests.
 */
export { planTitration, scheduleRegimen, TitrationRequestError } from './titration.ts';
export type {
  PumpStep,
  TitrationMetrics,
  TitrationModelInfo,
  TitrationProposal,
  TitrationResult,
  TitrationUnreachable,
} from './titration.ts';
export {
  changeTimes,
  checkTitrationRequest,
  DEFAULT_MIN_FRACTION,
  DEFAULT_RESOLUTION_SEC,
  levelCount,
  titrationSettings,
} from './request.ts';
export type { TitrationMode, TitrationRequest, TitrationSettings } from './request.ts';
export { DEFAULT_PUMP, type PumpSettings } from './pump-defaults.ts';
export { anaesthesiaBand, defaultWindow, windowMetrics } from './window.ts';
export type { ConcentrationWindow, WindowMetrics } from './window.ts';
export type { UnreachableCode, UnreachableReason } from './diagnosis.ts';
