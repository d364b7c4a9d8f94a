// The engine's public API, the surface of the `ketasim` package: parse a plan, predict, metrics, bands, models, output writers.
import { parsePlan as parsePlanWith, parsePlanText as parsePlanTextWith, type ParseResult } from './plan.ts';
import { MODEL_IDS, MODELS } from './models/registry.ts';

/**
 * `import { parsePlanText, predictChecked, computeMetrics, bandsForPlan } from 'ketasim'`: one plan (the
 * JSON of docs/PLAN-FORMAT.md) → a validated `Plan` or problems with field paths → a `Prediction`
 * (trajectory t/cp/ce in min and ng/mL, the resolved model and ke0, dose actions, warnings — dose safety
 * under `DEFAULT_DOSE_LIMITS` or a clinic's `parseDoseLimits` settings among them) → metrics on
 * `bandsForPlan(plan.thresholds, plan.model)` (the model's drug's default bands: racemic or S-ketamine).
 * The engine is pure: no I/O, no clock, no randomness. In Node, the package entry loads its matrix
 * exponential (mathjs's `expm` ported to plain numbers, cli/pade-expm.ts) on first use for general linear models; elsewhere install one with `setMatrixExponential`.
 */

/** Validate a plan object; `modelIds` defaults to the registry's ids. */
export function parsePlan(input: unknown, modelIds: readonly string[] = MODEL_IDS): ParseResult {
  return parsePlanWith(input, modelIds);
}

/** Parse and validate a plan's JSON text (a leading BOM is skipped; duplicate fields are problems). */
export function parsePlanText(text: string, modelIds: readonly string[] = MODEL_IDS): ParseResult {
  return parsePlanTextWith(text, modelIds);
}

/** The model registry, in display order: one cited record per published model (`describeModel` for plain data). */
export const models = MODELS;

export { MODEL_IDS, MODELS, findModel, DEFAULT_MODEL_ID } from './models/registry.ts';
export { describeModel, type ModelDescription } from './models/catalogue.ts';
export type { ModelDefinition, Ke0Provenance } from './models/types.ts';
export {
  formatProblems,
  gridPointCount,
  MAX_POINTS,
  MAX_HORIZON_MIN,
  MAX_REGIMEN_EVENTS,
  MAX_BANDS,
  MAX_BAND_ID_LENGTH,
  BAND_ID_PATTERN,
  BAND_ID_CHARACTERS,
  MAX_LABEL_LENGTH,
  CUSTOM_VOLUME_RANGE_L,
  RATE_CONSTANT_RANGE_PER_MIN,
  MAX_DOSE_MG,
  MAX_RATE_MG_PER_MIN,
  type Band,
  type ParseResult,
  type Plan,
  type ModelRef,
  type DoseEvent,
  type Problem,
} from './plan.ts';
export type { Patient } from './patient.ts';
export {
  predict,
  predictChecked,
  resolveModel,
  type CheckedPrediction,
  type Ke0Source,
  type Prediction,
  type ResolvedModel,
} from './predict.ts';
export type { Trajectory } from './simulate.ts';
export type { Warning } from './warnings.ts';
export type { DoseAction } from './dosing/actions.ts';
export { computeMetrics, type BandMetrics, type Metrics } from './metrics.ts';
export {
  bandsForPlan,
  defaultBandSet,
  ANTIDEPRESSANT_MARKER,
  DEFAULT_BANDS,
  type BandModel,
  type CitedBand,
} from './pd/bands.ts';
export {
  S_KETAMINE_BANDS,
  S_KETAMINE_REFERENCES,
  S_KETAMINE_UNAVAILABLE,
  OLOFSEN_2022_KE0,
  NAMED_KE0_MODELS,
  bandsForPlanAndModel,
  defaultBandSetForDrug,
  defaultBandSetForModel,
  drugClass,
  ke0Choices,
  type DefaultBandSet,
  type DrugClass,
  type Ke0Choice,
  type NamedKe0,
  type PublishedKe0Record,
  type ReferenceLevel,
  type ReferenceLine,
  type SKetamineBand,
  type UnavailableBand,
} from './pd/s-ketamine-bands.ts';
export {
  DEFAULT_DOSE_LIMITS,
  DOSE_LIMIT_UNITS,
  SINGLE_DOSE_LIMIT,
  RATE_LIMIT,
  SMALLEST_CITED_DOSE,
  SMALLEST_CITED_RATE,
  UNIT_SLIP_FRACTION,
  doseSafetyWarnings,
  parseDoseLimits,
  type DoseLimit,
  type DoseLimitBasis,
  type DoseLimits,
} from './safety/dose-safety.ts';
export {
  jsonChunks,
  trajectoryCsv,
  trajectoryCsvChunks,
  trajectoryJson,
  trajectoryJsonChunks,
  TRAJECTORY_CSV_HEADER,
} from './output.ts';
export { setMatrixExponential, type MatrixExponential } from './pk/linear-system.ts';

// Research workflows (the CLI's batch, sweep, validate, export, sweetspot commands use the same functions).
export { predictMany, type BatchOptions, type BatchResult } from './research/batch.ts';
export { runSweep, scaleRegimen, type SweepRequest, type SweepResult } from './research/sweep.ts';
export { readNonmem, exportNonmem, type DataRecord } from './research/nonmem.ts';
export { validateModels, type ValidationResult, type ModelPerformance } from './research/validate.ts';
