// `columnsFromRanges`, `assembleResult`: concatenate ranges and patient parts into `PopulationResult`; `describeMetric`.
import { type BAND_METRICS, metricNames } from './metrics-stream.ts';
import { columnOutputs, probabilityThresholds } from './layout.ts';
import { percentilesBySelection } from './select.ts';
import type {
  ColumnOutputs,
  Distribution,
  MetricDistribution,
  PatientPart,
  PopulationJob,
  PopulationResult,
  RangePartial,
  ThresholdProbability,
} from './types.ts';

/**
 * The population's result from its workers' outputs. The column outputs are already exact over all N
 * patients, so there is nothing to combine: the time-split ranges are concatenated
 * (`columnsFromRanges`), the patient parts placed by patient index. Memory on the main thread: the
 * outputs (percentiles × T) and N × metrics values, never N × T.
 */
export function columnsFromRanges(
  job: PopulationJob,
  parts: readonly RangePartial[],
): { columns: ColumnOutputs; patients: PatientPart[] } {
  const T = job.grid.count;
  const sorted = [...parts].sort((a, b) => a.from - b.from);
  let expect = 0;
  for (const p of sorted) {
    if (p.from !== expect || p.to <= p.from)
      throw new Error(`population: ranges do not tile the grid (range [${p.from}, ${p.to}) after ${expect})`);
    expect = p.to;
  }
  if (expect !== T) throw new Error(`population: ranges end at ${expect}, the grid at ${T}`);
  const columns = columnOutputs(job, T);
  for (const p of sorted) {
    p.cp.forEach((a, q) => (columns.cp[q] as Float64Array).set(a, p.from));
    p.ce.forEach((a, q) => (columns.ce[q] as Float64Array).set(a, p.from));
    p.counts.forEach((a, k) => (columns.counts[k] as Int32Array).set(a, p.from));
  }
  return { columns, patients: sorted.flatMap((p) => (p.patients ? [p.patients] : [])) };
}

/** Assemble the result from full-length column outputs and patient parts that tile [0, N). */
export function assembleResult(job: PopulationJob, columns: ColumnOutputs, patients: readonly PatientPart[]): PopulationResult {
  const steps = assembleSteps(job, columns, patients);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * `assembleResult` in steps: the generator yields after each distribution (one sort-free selection
 * over N values, a few ms at N = 100,000), so a caller on a UI thread can hand control back to the
 * event loop between steps and never block it for the whole assembly (~130 ms at N = 100,000).
 * The result is the same object `assembleResult` returns.
 */
export function* assembleSteps(
  job: PopulationJob,
  columns: ColumnOutputs,
  patients: readonly PatientPart[],
): Generator<void, PopulationResult, void> {
  const T = job.grid.count,
    n = job.n;
  const t = new Float64Array(T);
  for (let j = 0; j < T; j++) t[j] = (j * job.grid.resolutionSec) / 60;
  const thr = probabilityThresholds(job);
  const atLeast = Array.from(thr, (_, k) => Float64Array.from(columns.counts[k], (c) => c / n));
  const probabilities: ThresholdProbability[] = [];
  for (const b of job.bands) {
    probabilities.push({ band: b.id, bound: 'low', ngMl: b.lowNgMl, atLeast: atLeast[thr.indexOf(b.lowNgMl)] });
    if (b.highNgMl !== undefined)
      probabilities.push({ band: b.id, bound: 'high', ngMl: b.highNgMl, atLeast: atLeast[thr.indexOf(b.highNgMl)] });
  }
  const names = job.metrics ? metricNames(job.bands) : [];
  const M = names.length,
    P = job.parameters.length;
  const metricValues = new Float64Array(n * M);
  const params = new Float64Array(n * P);
  let covered = 0;
  for (const part of [...patients].sort((a, b) => a.from - b.from)) {
    if (part.from !== covered)
      throw new Error(`population: patient parts do not tile [0, ${n}) (part [${part.from}, ${part.to}) after ${covered})`);
    if (M > 0) {
      if (!part.metrics) throw new Error('population: a patient part has no metrics');
      metricValues.set(part.metrics, part.from * M);
    }
    params.set(part.parameters, part.from * P);
    covered = part.to;
  }
  if (covered !== n) throw new Error(`population: patient parts cover [0, ${covered}), not [0, ${n})`);
  yield;
  const metrics: MetricDistribution[] = [];
  for (let m = 0; m < M; m++) {
    metrics.push({ id: names[m], ...describeMetric(job, names[m]), ...distribution(metricValues, M, m, n, job.percentiles) });
    yield;
  }
  const sampled: Distribution[] = [];
  for (let k = 0; k < P; k++) {
    sampled.push(distribution(params, P, k, n, job.percentiles));
    yield;
  }
  return {
    job,
    t,
    percentiles: job.percentiles,
    cp: columns.cp.map((a) => Float64Array.from(a)),
    ce: columns.ce.map((a) => Float64Array.from(a)),
    probabilities,
    metrics,
    sampled,
  };
}

/**
 * Percentiles (type 7, by selection: equal to sorting, without its cost on the main thread), mean (in
 * patient order) and count of the non-missing column m.
 */
function distribution(values: Float64Array, stride: number, m: number, n: number, percentiles: readonly number[]): Distribution {
  const col = new Float64Array(n);
  let c = 0,
    sum = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i * stride + m];
    if (v === v) {
      col[c++] = v;
      sum += v;
    }
  }
  return { values: percentilesBySelection(col.subarray(0, c), percentiles), mean: c ? sum / c : NaN, count: c };
}

const BASE_LABELS: Record<string, { label: string; unit: string; missingMeans: string | null }> = {
  peakCpNgMl: { label: 'peak Cp', unit: 'ng/mL', missingMeans: null },
  peakCpMin: { label: 'time of peak Cp', unit: 'min', missingMeans: null },
  peakCeNgMl: { label: 'peak Ce', unit: 'ng/mL', missingMeans: null },
  peakCeMin: { label: 'time of peak Ce', unit: 'min', missingMeans: null },
};

/** Label, unit and the meaning of a missing value, for a metric id. */
export function describeMetric(job: PopulationJob, id: string): { label: string; unit: string; missingMeans: string | null } {
  if (BASE_LABELS[id]) return BASE_LABELS[id];
  if (id === 'recoveryMin') {
    const level = job.recoveryLevelNgMl;
    return {
      label:
        level === null
          ? 'time to leave the dissociation band (the plan has no band "dissociation")'
          : `time to leave the dissociation band: from the end of dosing until Ce falls for good below ${level} ng/mL`,
      unit: 'min',
      missingMeans: 'Ce still at or above the level at the horizon, or dosing has not ended within the horizon',
    };
  }
  const dot = id.indexOf('.');
  const band = id.slice(0, dot),
    m = id.slice(dot + 1) as (typeof BAND_METRICS)[number];
  const labels: Record<(typeof BAND_METRICS)[number], [string, string | null]> = {
    minutesInside: [`time with Ce in the ${band} band`, null],
    minutesAbove: [`time with Ce above the ${band} band`, null],
    firstEntryMin: [`first time Ce reaches the ${band} band`, 'never reached'],
    lastExitMin: [`last time Ce leaves the ${band} band`, 'never left, or never entered'],
  };
  return { label: labels[m][0], unit: 'min', missingMeans: labels[m][1] };
}
