// `PumpSettings`, `DEFAULT_PUMP`: what the pump can do and the planner's default settings (data only: the dashboard's planner form reads it on the main thread).
import type { RateUnit } from '../units.ts';

/**
 * What the syringe pump and the person programming it can do. These are user settings describing the
 * equipment and the protocol, not clinical facts; the defaults below are starting values to change.
 */
export interface PumpSettings {
  /** Unit of `maxRate` and `rateStep` (and of the rates in the proposed regimen). */
  readonly unit: RateUnit;
  /** Highest rate the pump may be set to, in `unit`. */
  readonly maxRate: number;
  /** The programmable rate increment, in `unit`: every proposed rate is a whole multiple of it. */
  readonly rateStep: number;
  /** At most one rate change every this many minutes: changes happen only at 0, N, 2N, … min. */
  readonly minIntervalMin: number;
  /** Largest loading dose (bolus at t = 0), mg/kg; 0 means no loading dose. */
  readonly maxBolusMgPerKg: number;
  /** Bolus increment, mg/kg: a proposed bolus is a whole multiple of it. */
  readonly bolusStepMgPerKg: number;
}

/**
 * Default pump settings (user settings, not recommendations):
 * - `unit` mg/kg/h, the plan format's default rate unit;
 * - `maxRate` 2 mg/kg/h: the upper end of the chronic-pain infusion range quoted in
 *   docs/research/ketamine-pd.md §4 (ASRA/AAPM/ASA guideline, Cohen 2018 RAPM 43:521), used only as a
 *   pump limit the planner may not exceed — set your own protocol's limit;
 * - `rateStep` 0.05 mg/kg/h and `minIntervalMin` 5 min: the examples of issue 4 (a pump programmable in
 *   0.05 mg/kg/h steps, adjusted at most every 5 minutes);
 * - `maxBolusMgPerKg` 0: no loading dose unless the user allows one;
 * - `bolusStepMgPerKg` 0.01 mg/kg: the precision of a drawn-up bolus (0.7 mg at 70 kg).
 */
export const DEFAULT_PUMP: PumpSettings = {
  unit: 'mg/kg/h',
  maxRate: 2,
  rateStep: 0.05,
  minIntervalMin: 5,
  maxBolusMgPerKg: 0,
  bolusStepMgPerKg: 0.01,
};
