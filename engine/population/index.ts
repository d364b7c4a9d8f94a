/**
 * Virtual populations: log-normal inter-individual variability on a model's parameters, simulated for
 * N patients with exact percentiles, threshold probabilities and per-patient metric distributions.
 * See spec.ts for the variability decisions, sample.ts and prng.ts for reproducibility, runner.ts and
 * merge.ts for how the work splits and merges.
 */
export type {
  ColumnOutputs,
  Distribution,
  MetricDistribution,
  PatientPart,
  PopulationJob,
  PopulationLayout,
  PopulationResult,
  RangePartial,
  StructureRecipe,
  ThresholdProbability,
} from './types.ts';
export type { ParameterCovariance, ParameterSpec, VariabilityModel } from './variability.ts';
export { DEFAULT_CV, MAX_CV, buildVariability, cholesky, parameterUnit } from './variability.ts';
export { createSampler, sampleRange, type Sampler } from './sample.ts';
export { MAX_SEED, Xoshiro128ss, seedPatient, splitmix64At, uniform52 } from './prng.ts';
export { detExp, detExpm1, detLog, detLog1p, normalQuantile, omega2FromCvDet, cvFromOmega2Det } from './detmath.ts';
export {
  binCount,
  blockRange,
  columnOutputs,
  patientShare,
  probabilityThresholds,
  splitRanges,
  type RangeTask,
} from './layout.ts';
export {
  PatientSlice,
  RangeRunner,
  SharedReducer,
  runSharedLoop,
  sharedBlocks,
  sharedSimulate,
  type BinScales,
  type SharedBlocks,
} from './runner.ts';
export { assembleResult, columnsFromRanges, describeMetric } from './merge.ts';
export { runPopulationLocal } from './local.ts';
export {
  ColumnSelector,
  countAtLeastByScan,
  interpolate,
  percentileBySort,
  percentileOfSorted,
  percentileRank,
} from './select.ts';
export { metricNames } from './metrics-stream.ts';
