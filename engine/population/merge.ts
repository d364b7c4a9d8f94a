import { BAND_METRICS, metricNames } from './metrics-stream.ts';
import { probabilityThresholds } from './runner.ts';
import { percentileOfSorted } from './select.ts';
import type { Distribution, MetricDistribution, PopulationJob, PopulationResult, RangePartial, ThresholdProbability } from './types.ts';

/**
 * The population's result from its workers' ranges. Each range is already exact, so merging is
 * concatenation: the ranges must tile the grid [0, T) exactly once, and one of them (the one ending
 * at the horizon) carries the per-patient metrics and parameters. Memory on the main thread: the
 * outputs (percentiles × T) and N × metrics values, never N × T.
 */
export function assembleResult(job: PopulationJob, parts: readonly RangePartial[]): PopulationResult {
  const T = job.grid.count;
  const sorted = [...parts].sort((a, b) => a.from - b.from);
  let expect = 0;
  for (const p of sorted) {
    if (p.from !== expect || p.to <= p.from) throw new Error(`population: ranges do not tile the grid (range [${p.from}, ${p.to}) after ${expect})`);
    expect = p.to;
  }
  if (expect !== T) throw new Error(`population: ranges end at ${expect}, the grid at ${T}`);
  const t = new Float64Array(T);
  for (let j = 0; j < T; j++) t[j] = (j * job.grid.resolutionSec) / 60;
  const cp = job.percentiles.map(() => new Float64Array(T));
  const ce = job.percentiles.map(() => new Float64Array(T));
  const thr = probabilityThresholds(job);
  const atLeast = Array.from(thr, () => new Float64Array(T));
  for (const p of sorted) {
    job.percentiles.forEach((_, q) => {
      cp[q].set(p.cp[q], p.from);
      ce[q].set(p.ce[q], p.from);
    });
    thr.forEach((_, k) => {
      const c = p.counts[k];
      for (let j = p.from; j < p.to; j++) atLeast[k][j] = c[j - p.from] / job.n;
    });
  }
  const probabilities: ThresholdProbability[] = [];
  for (const b of job.bands) {
    probabilities.push({ band: b.id, bound: 'low', ngMl: b.lowNgMl, atLeast: atLeast[thr.indexOf(b.lowNgMl)] });
    if (b.highNgMl !== undefined) probabilities.push({ band: b.id, bound: 'high', ngMl: b.highNgMl, atLeast: atLeast[thr.indexOf(b.highNgMl)] });
  }
  const last = sorted[sorted.length - 1];
  const names = job.metrics ? metricNames(job.bands) : [];
  if (job.metrics && last.metrics === null) throw new Error('population: the last range has no per-patient metrics');
  if (last.parameters === null) throw new Error('population: the last range has no per-patient parameters');
  const metrics: MetricDistribution[] = names.map((id, m) => ({
    id, ...describeMetric(job, id),
    ...distribution(last.metrics!, names.length, m, job.n, job.percentiles),
  }));
  const P = job.parameters.length;
  const sampled = job.parameters.map((_, k) => distribution(last.parameters!, P, k, job.n, job.percentiles));
  return { job, t, percentiles: job.percentiles, cp, ce, probabilities, metrics, sampled };
}

/** Percentiles (type 7, by sorting), mean (in patient order) and count of the non-missing column m. */
function distribution(values: Float64Array, stride: number, m: number, n: number, percentiles: readonly number[]): Distribution {
  const col = new Float64Array(n);
  let c = 0, sum = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i * stride + m];
    if (v === v) { col[c++] = v; sum += v; }
  }
  const sorted = col.subarray(0, c).sort();
  return { values: percentiles.map((p) => percentileOfSorted(sorted, p)), mean: c ? sum / c : NaN, count: c };
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
      label: level === null
        ? 'time to leave the dissociation band (the plan has no band "dissociation")'
        : `time to leave the dissociation band: from the end of dosing until Ce falls for good below ${level} ng/mL`,
      unit: 'min',
      missingMeans: 'Ce still at or above the level at the horizon, or dosing has not ended within the horizon',
    };
  }
  const dot = id.indexOf('.');
  const band = id.slice(0, dot), m = id.slice(dot + 1) as (typeof BAND_METRICS)[number];
  const labels: Record<(typeof BAND_METRICS)[number], [string, string | null]> = {
    minutesInside: [`time with Ce in the ${band} band`, null],
    minutesAbove: [`time with Ce above the ${band} band`, null],
    firstEntryMin: [`first time Ce reaches the ${band} band`, 'never reached'],
    lastExitMin: [`last time Ce leaves the ${band} band`, 'never left, or never entered'],
  };
  return { label: labels[m][0], unit: 'min', missingMeans: labels[m][1] };
}
