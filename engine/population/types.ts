// Job, layout, partial-result and result types (`PopulationJob`, `RangePartial`, `Distribution`, `ThresholdProbability`).
import type { Band } from '../plan.ts';
import type { DoseAction } from '../dosing/actions.ts';
import type { Grid } from '../simulate.ts';
import type { Ke0Source } from '../predict.ts';
import type { Warning } from '../warnings.ts';
import type { ParameterCovariance, ParameterSpec } from './variability.ts';

/**
 * How each virtual patient's PK structure is rebuilt from its sampled parameters. `micro` and
 * `clearance` are engine/models/structures.ts `fromMicroParameters` / `fromClearanceParameters`
 * (the structures of custom plan models and of most registry models); `registry` calls the registry
 * model's own `structure` (loaded on demand, with the general linear path).
 */
export type StructureRecipe =
  | { readonly kind: 'micro' }
  | { readonly kind: 'clearance' }
  | { readonly kind: 'registry'; readonly id: string };

/**
 * How the grid is processed: blocks of grid points, simulated for every patient before the block's
 * columns are reduced to percentiles. Affects memory and speed only, never results.
 */
export interface PopulationLayout {
  /** Grid points per block. */
  readonly blockSize: number;
  readonly blocks: number;
}

/**
 * Everything a worker needs to simulate its share of a population: plain data (structured-clone and
 * JSON safe), prepared once by `preparePopulation` from a validated plan.
 */
export interface PopulationJob {
  readonly n: number;
  readonly seed: number;
  /** CV (fraction) for parameters without published variability. */
  readonly cv: number;
  /** Percentiles reported for cp and ce, 0–100, ascending. */
  readonly percentiles: readonly number[];
  /** Whether per-patient metrics are computed. */
  readonly metrics: boolean;
  readonly grid: Grid;
  readonly actions: readonly DoseAction[];
  readonly bands: readonly Band[];
  readonly recoveryLevelNgMl: number | null;
  /** End of the last dose (computeMetrics' `lastDoseEnd` on this grid), min, or null. */
  readonly doseEndMin: number | null;
  readonly totalDoseMg: number;
  readonly weightKg: number;
  readonly structure: 'mammillary' | 'linear';
  readonly recipe: StructureRecipe;
  /** One entry per parameter in sampling order: the model's parameters, then ke0 (last). */
  readonly parameters: readonly ParameterSpec[];
  readonly covariances: readonly ParameterCovariance[];
  /** Cholesky factor of Ω, row-major P × P. */
  readonly cholesky: readonly number[];
  readonly model: {
    readonly id: string | null;
    readonly name: string;
    readonly ke0Source: Ke0Source;
  };
  readonly layout: PopulationLayout;
  /** Every assumption behind the population, one sentence each (shown with the results). */
  readonly assumptions: readonly string[];
  readonly warnings: readonly Warning[];
}

/** Per-patient results of the patients [from, to). */
export interface PatientPart {
  readonly from: number;
  readonly to: number;
  /** Patient-major metric values (`metricNames` order), or null when metrics were not asked for. */
  readonly metrics: Float64Array | null;
  /** Patient-major sampled parameters (`job.parameters` order). */
  readonly parameters: Float64Array;
}

/** Exact per-grid-point outputs over all N patients. */
export interface ColumnOutputs {
  /** cp[q][j]: percentile `job.percentiles[q]` of cp at grid point j (or j − from in a range), ng/mL. */
  readonly cp: readonly Float64Array[];
  readonly ce: readonly Float64Array[];
  /** counts[t][j]: patients with Ce ≥ threshold t (see `probabilityThresholds`). */
  readonly counts: readonly Int32Array[];
}

/**
 * What a time-split worker returns for its range of grid points [from, to): the column outputs there
 * and — from the worker whose range ends at the horizon, the only one that follows every patient to
 * the end — every patient's results.
 */
export interface RangePartial extends ColumnOutputs {
  readonly from: number;
  readonly to: number;
  readonly patients: PatientPart | null;
}

/** Summary of a distribution across patients. */
export interface Distribution {
  /** Values at `percentiles` (type 7), NaN when no patient has a value. */
  readonly values: readonly number[];
  readonly mean: number;
  /** Patients with a value. */
  readonly count: number;
}

/** Ce threshold probability over time: the fraction of virtual patients with Ce ≥ `ngMl`. */
export interface ThresholdProbability {
  readonly band: string;
  readonly bound: 'low' | 'high';
  readonly ngMl: number;
  readonly atLeast: Float64Array;
}

/** One per-patient metric's distribution. */
export interface MetricDistribution extends Distribution {
  /** e.g. `peakCeNgMl`, `dissociation.minutesInside`. */
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  /** What a missing value (a patient without one) means. */
  readonly missingMeans: string | null;
}

/** A virtual population's results. Concentrations ng/mL, times min, probabilities 0–1. */
export interface PopulationResult {
  readonly job: PopulationJob;
  /** Grid times, min. */
  readonly t: Float64Array;
  readonly percentiles: readonly number[];
  /** cp[i] is percentile `percentiles[i]` of cp over time, ng/mL. */
  readonly cp: readonly Float64Array[];
  readonly ce: readonly Float64Array[];
  readonly probabilities: readonly ThresholdProbability[];
  readonly metrics: readonly MetricDistribution[];
  /** Realised distribution of each sampled parameter (check on the sampler), in `job.parameters` order. */
  readonly sampled: readonly Distribution[];
}
