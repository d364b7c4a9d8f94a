// The sweet-spot computation (educator's view): per dose, peak Ce, minutes in/above each band, recovery after dosing, population exceedance, cited evidence marks.
import { computeMetrics, type Metrics } from '../metrics.ts';
import { MODEL_IDS } from '../models/registry.ts';
import { bandsForPlanAndModel, defaultBandSetForModel, S_KETAMINE_UNAVAILABLE } from '../pd/s-ketamine-bands.ts';
import { formatProblems, parsePlan, type Band, type DoseEvent, type Plan } from '../plan.ts';
import { predictChecked, type Ke0Source } from '../predict.ts';
import { metricNames } from '../population/metrics-stream.ts';
import { RangeRunner } from '../population/runner.ts';
import { splitRanges } from '../population/layout.ts';
import { preparePopulation } from '../population/spec.ts';
import type { Warning } from '../warnings.ts';
import { DOSE_EVIDENCE, marksAt, type DoseEvidence, type DoseMark } from './dose-evidence.ts';
import { csvField, scaleRegimen } from './sweep.ts';

/**
 * The engine side of the educator's "why a higher dose is not a better antidepressant dose" view: for a
 * regimen and a dose axis, each dose's peak Ce, minutes inside and above each band of the active band set,
 * the time for Ce to fall below the dissociation band (or the model's equivalent) after dosing ends and,
 * given a seeded population, the chance that Ce reaches the exceedance levels. Beside the numbers, the
 * cited dose-response evidence (./dose-evidence.ts) as marks at the doses studied: this module computes
 * concentrations and times only and never draws or implies an efficacy curve.
 *
 * Every row is exactly `computeMetrics` of the plan with that dose (re-validated and predicted like a
 * `ketasim sweep` row), against the active bands and with the recovery level stated in `reference`.
 * Pure: no I/O, no clock; the population is seeded (bit-reproducible).
 */

/**
 * The dose axis: doses in mg/kg given over `overMin` minutes from t = 0 (the plan's regimen is replaced
 * by that one dose), or factors applied to every dose and rate of the plan's own regimen (sweep.ts
 * `scaleRegimen`).
 */
export type DoseAxis =
  | { readonly kind: 'mg/kg'; readonly dosesMgPerKg: readonly number[]; readonly overMin: number }
  | { readonly kind: 'scale'; readonly scales: readonly number[] };

/** Default axis: 0.1 to 2.0 mg/kg over 40 min (Fava 2020's infusion length, docs/research/ketamine-pd.md §3). */
export const DEFAULT_DOSES_MG_PER_KG: readonly number[] = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2];
export const DEFAULT_OVER_MIN = 40;
/** Most doses on one axis. */
export const MAX_DOSES = 100;

/** A seeded virtual population for the exceedance chances (engine/population, as `ketasim population`). */
export interface SweetSpotPopulation {
  readonly n: number;
  readonly seed: number;
  /** CV (fraction) for parameters without published variability (default: the population default). */
  readonly cv?: number;
}

export interface SweetSpotRequest {
  /** A validated plan: patient, model, horizon, grid, thresholds (and the regimen a `scale` axis scales). */
  readonly plan: Plan;
  readonly axis: DoseAxis;
  readonly population?: SweetSpotPopulation;
}

/** The band whose low bound is the recovery level (time to fall below after dosing ends), and why it is that band. */
export interface ReferenceBand {
  readonly id: string;
  readonly lowNgMl: number;
  readonly why: string;
}

/** A concentration whose exceedance chance is reported, and what it is. */
export interface ExceedanceLevel {
  readonly ngMl: number;
  /** e.g. `dissociation.high`, `responsiveness.low`. */
  readonly bound: string;
  readonly what: string;
}

/** One dose on the axis. */
export interface SweetSpotRow {
  /** mg/kg (a `mg/kg` axis) or null (a `scale` axis). */
  readonly doseMgPerKg: number | null;
  /** Factor on the plan's regimen (a `scale` axis) or null. */
  readonly scale: number | null;
  /** Exactly `computeMetrics` of the plan with this dose (active bands; recovery below `reference.lowNgMl`). */
  readonly metrics: Metrics;
  /** Minutes from the end of dosing until Ce falls below the reference band for good (null: not within the horizon). */
  readonly minutesToFallBelowReference: number | null;
  /** Chance (0–1) that a virtual patient's peak Ce reaches each exceedance level; null without a population. */
  readonly exceedance: readonly { readonly ngMl: number; readonly bound: string; readonly probability: number }[] | null;
  /** Evidence marks at this dose (a `mg/kg` axis only). */
  readonly evidence: readonly { readonly id: string; readonly mark: DoseMark }[];
}

export interface SweetSpotResult {
  readonly axis: DoseAxis;
  readonly model: {
    readonly id: string;
    readonly name: string | null;
    readonly ke0PerMin: number;
    readonly ke0Source: Ke0Source;
  };
  /** The active band set: the plan's thresholds, or the model's drug's defaults. */
  readonly bands: readonly Band[];
  readonly bandSet: 'plan thresholds' | 'racemic defaults' | 'S-ketamine defaults';
  readonly reference: ReferenceBand | null;
  readonly levels: readonly ExceedanceLevel[];
  readonly rows: readonly SweetSpotRow[];
  readonly population: (SweetSpotPopulation & { readonly definition: string; readonly assumptions: readonly string[] }) | null;
  readonly evidence: readonly DoseEvidence[];
  readonly notes: readonly string[];
  readonly warnings: readonly (Warning & { readonly where: string })[];
}

/**
 * The reference band for "time to fall below after dosing": `dissociation` when the active set has it;
 * for the S-ketamine defaults, which have no dissociation range, the band at or above Olofsen 2022's C50,
 * which docs/research gives as shared by dissociation and antinociception. Null when the set has neither.
 */
export function referenceBand(bands: readonly Band[]): ReferenceBand | null {
  const d = bands.find((b) => b.id === 'dissociation');
  if (d) return { id: d.id, lowNgMl: d.lowNgMl, why: 'the dissociation band of the active band set' };
  const s = bands.find((b) => b.id === 's-ketamine-at-or-above-c50');
  if (s) {
    const reason = S_KETAMINE_UNAVAILABLE.find((u) => u.id === 'dissociation')?.reason ?? '';
    return { id: s.id, lowNgMl: s.lowNgMl, why: `the S-ketamine equivalent of the dissociation band: ${reason}` };
  }
  return null;
}

/**
 * The exceedance levels: 250 ng/mL (the top of the racemic dissociation band) and 1060 ng/mL (the low
 * bound of recovery ↔ loss of responsiveness) when the active set has those bands; otherwise the low
 * bound of every band of the active set (for the S-ketamine defaults: Olofsen 2022's C50 and Schüttler
 * 1987's EEG IC50).
 */
export function exceedanceLevels(bands: readonly Band[]): ExceedanceLevel[] {
  const levels: ExceedanceLevel[] = [];
  const d = bands.find((b) => b.id === 'dissociation');
  const r = bands.find((b) => b.id === 'responsiveness');
  if (d?.highNgMl !== undefined)
    levels.push({ ngMl: d.highNgMl, bound: 'dissociation.high', what: 'above the dissociation band' });
  if (r) levels.push({ ngMl: r.lowNgMl, bound: 'responsiveness.low', what: 'at the recovery ↔ loss of responsiveness band' });
  if (levels.length === 0)
    for (const b of bands) levels.push({ ngMl: b.lowNgMl, bound: `${b.id}.low`, what: `at or above the low bound of ${b.id}` });
  const seen = new Set<number>();
  return levels.filter((l) => (seen.has(l.ngMl) ? false : (seen.add(l.ngMl), true)));
}

/** The regimen of one point of the axis. */
function regimenAt(plan: Plan, axis: DoseAxis, i: number): DoseEvent[] {
  if (axis.kind === 'scale') return scaleRegimen(plan.regimen, axis.scales[i]);
  const unit: DoseEvent[] = [{ at: 0, dose: 1, unit: 'mg/kg', overMin: axis.overMin } as DoseEvent];
  return scaleRegimen(unit, axis.dosesMgPerKg[i]);
}

/** Problems with an axis, each naming the field (`doses`, `overMin`, `scales`). */
export function checkAxis(axis: DoseAxis, plan: Plan): string[] {
  const problems: string[] = [];
  const values = axis.kind === 'mg/kg' ? axis.dosesMgPerKg : axis.scales;
  const name = axis.kind === 'mg/kg' ? 'doses' : 'scales';
  if (values.length === 0 || values.length > MAX_DOSES) problems.push(`${name}: 1 to ${MAX_DOSES} values, got ${values.length}`);
  values.forEach((x, i) => {
    if (!(Number.isFinite(x) && x > 0)) problems.push(`${name}[${i}]: must be a number > 0, got ${x}`);
  });
  if (axis.kind === 'mg/kg') {
    if (!(Number.isFinite(axis.overMin) && axis.overMin > 0)) problems.push(`overMin: must be a number > 0, got ${axis.overMin}`);
    else if (axis.overMin > plan.horizonMin)
      problems.push(
        `overMin: the dose runs ${axis.overMin} min, beyond the plan's horizonMin (${plan.horizonMin} min): nothing after dosing could be measured`,
      );
  }
  return problems;
}

/**
 * Run the sweet-spot computation. Problems (a bad axis, a dose the engine refuses, a population request
 * out of range) are returned naming the dose; nothing is computed from a half-valid request.
 */
export async function sweetSpot(
  req: SweetSpotRequest,
): Promise<{ ok: true; result: SweetSpotResult } | { ok: false; problems: string[] }> {
  const axisProblems = checkAxis(req.axis, req.plan);
  if (axisProblems.length) return { ok: false, problems: axisProblems };
  const axis = req.axis;
  const count = axis.kind === 'mg/kg' ? axis.dosesMgPerKg.length : axis.scales.length;
  const rows: SweetSpotRow[] = [];
  const problems: string[] = [];
  const warnings: (Warning & { where: string })[] = [];
  let model: SweetSpotResult['model'] | null = null;
  let bands: readonly Band[] = [];
  let reference: ReferenceBand | null = null;
  let levels: ExceedanceLevel[] = [];
  let bandSet: SweetSpotResult['bandSet'] = 'racemic defaults';
  let assumptions: readonly string[] = [];
  for (let i = 0; i < count; i++) {
    const doseMgPerKg = axis.kind === 'mg/kg' ? axis.dosesMgPerKg[i] : null;
    const scale = axis.kind === 'scale' ? axis.scales[i] : null;
    const where = `rows[${i}] (${doseMgPerKg !== null ? `${doseMgPerKg} mg/kg` : `scale ${scale}`})`;
    const parsed = parsePlan({ ...req.plan, regimen: regimenAt(req.plan, axis, i) }, MODEL_IDS);
    if (!parsed.ok) {
      problems.push(...formatProblems(parsed.problems).map((p) => `${where}: ${p}`));
      continue;
    }
    const checked = predictChecked(parsed.plan);
    if (!checked.ok) {
      problems.push(...formatProblems(checked.problems).map((p) => `${where}: ${p}`));
      continue;
    }
    const p = checked.prediction;
    const def = p.model.definition;
    if (model === null) {
      model = { id: def?.id ?? 'custom', name: def?.name ?? null, ke0PerMin: p.model.ke0, ke0Source: p.model.ke0Source };
      bands = bandsForPlanAndModel(parsed.plan.thresholds, def);
      bandSet = parsed.plan.thresholds
        ? 'plan thresholds'
        : defaultBandSetForModel(def).drug === 's-ketamine'
          ? 'S-ketamine defaults'
          : 'racemic defaults';
      reference = referenceBand(bands);
      levels = exceedanceLevels(bands);
    }
    for (const w of p.warnings) warnings.push({ ...w, where });
    const metrics = computeMetrics(p.trajectory, bands, p.actions, parsed.plan.patient.weightKg, reference?.lowNgMl ?? null);
    let exceedance: SweetSpotRow['exceedance'] = null;
    if (req.population) {
      const pop = await peakExceedance(parsed.plan, bands, req.population, levels);
      if (!pop.ok) {
        problems.push(...pop.problems.map((x) => `${where}: ${x}`));
        continue;
      }
      exceedance = pop.exceedance;
      assumptions = pop.assumptions;
      for (const w of pop.warnings) if (!p.warnings.some((x) => x.code === w.code)) warnings.push({ ...w, where });
    }
    rows.push({
      doseMgPerKg,
      scale,
      metrics,
      minutesToFallBelowReference: metrics.recoveryMin,
      exceedance,
      evidence: axis.kind === 'mg/kg' ? marksAt(axis.dosesMgPerKg[i], axis.overMin) : [],
    });
  }
  if (problems.length || model === null) return { ok: false, problems };
  const notes = [
    'Concentrations and times only: the evidence marks are what each study found at the doses it gave, not points of an efficacy curve; no antidepressant concentration-response relationship has been established (docs/research/ketamine-pd.md §3).',
    'Bands come from different studies, populations and sampling sites and overlap; a Ce band is only as good as the ke0 paired with the PK model.',
  ];
  if (bandSet === 'S-ketamine defaults')
    notes.push(
      'S-ketamine model: the doses and marks are racemic-ketamine studies (Fava 2020, Su 2017 / Chen 2020, Lii 2023); the concentrations are S-ketamine, scored against S-ketamine levels.',
    );
  return {
    ok: true,
    result: {
      axis,
      model,
      bands,
      bandSet,
      reference,
      levels,
      rows,
      population: req.population
        ? {
            ...req.population,
            definition:
              "fraction of virtual patients whose peak Ce on the plan's grid is at or above the level (log-normal variability; engine/population, seeded)",
            assumptions,
          }
        : null,
      evidence: DOSE_EVIDENCE,
      notes,
      warnings,
    },
  };
}

/**
 * The chance that a virtual patient's peak Ce (the largest grid value, as `computeMetrics`) is at or above
 * each level: the population's per-patient metrics (engine/population, the same job `ketasim population`
 * runs, on this thread), counted.
 */
async function peakExceedance(
  plan: Plan,
  bands: readonly Band[],
  population: SweetSpotPopulation,
  levels: readonly ExceedanceLevel[],
): Promise<
  | {
      ok: true;
      exceedance: { ngMl: number; bound: string; probability: number }[];
      assumptions: readonly string[];
      warnings: readonly Warning[];
    }
  | { ok: false; problems: string[] }
> {
  const prepared = preparePopulation(plan, {
    n: population.n,
    seed: population.seed,
    ...(population.cv !== undefined && { cv: population.cv }),
    percentiles: [50],
    metrics: true,
  });
  if (!prepared.ok) return { ok: false, problems: prepared.problems.map((p) => `population.${p.path}: ${p.message}`) };
  const job = {
    ...prepared.job,
    bands: bands.map((b) =>
      b.highNgMl === undefined ? { id: b.id, lowNgMl: b.lowNgMl } : { id: b.id, lowNgMl: b.lowNgMl, highNgMl: b.highNgMl },
    ),
  };
  const [task] = splitRanges(job, 1);
  const runner = await RangeRunner.create(job, task);
  while (!runner.step(job.layout.blocks));
  const patients = runner.result().patients;
  if (!patients?.metrics) throw new Error('sweet spot: the population run returned no per-patient metrics');
  const names = metricNames(job.bands);
  const stride = names.length;
  const peak = names.indexOf('peakCeNgMl');
  const exceedance = levels.map((l) => {
    let k = 0;
    for (let i = 0; i < job.n; i++) if (patients.metrics![i * stride + peak] >= l.ngMl) k++;
    return { ngMl: l.ngMl, bound: l.bound, probability: k / job.n };
  });
  return { ok: true, exceedance, assumptions: job.assumptions, warnings: job.warnings };
}

/** The JSON rows: the dose (`doseMgPerKg` or `scale`), the summary numbers, the evidence ids, then the full metrics. */
export function sweetSpotRowsJson(result: SweetSpotResult): object[] {
  return result.rows.map((r) => ({
    ...(r.doseMgPerKg !== null ? { doseMgPerKg: r.doseMgPerKg } : { scale: r.scale }),
    totalDoseMg: r.metrics.totalDoseMg,
    peakCeNgMl: r.metrics.peakCeNgMl,
    peakCeMin: r.metrics.peakCeMin,
    bands: r.metrics.bands.map((b) => ({ id: b.id, minutesInside: b.minutesInside, minutesAbove: b.minutesAbove })),
    minutesToFallBelowReference: r.minutesToFallBelowReference,
    ...(r.exceedance && { exceedance: r.exceedance }),
    evidence: r.evidence.map((e) => ({ id: e.id, finding: e.mark.finding })),
    metrics: r.metrics,
  }));
}

const cell = (x: number | null): string => (x === null ? '' : String(x));
const slug = (s: string): string => s.replace(/[^A-Za-z0-9]+/g, '_');

/**
 * The result as CSV, one row per dose, unit-bearing column names: the dose, total dose, peaks, minutes
 * inside and above each band, minutes to fall below the reference band, each exceedance chance (with a
 * population) and the ids of the evidence marks at that dose (`;`-separated). An empty cell is a value that
 * does not exist (no fall below the reference within the horizon).
 */
export function sweetSpotCsv(result: SweetSpotResult): string {
  const mgkg = result.axis.kind === 'mg/kg';
  const ref = result.reference ? slug(result.reference.id) : 'reference';
  const head = [
    mgkg ? 'dose_mg_per_kg' : 'scale',
    'total_dose_mg',
    'total_dose_mg_per_kg',
    'peak_cp_ng_ml',
    'peak_ce_ng_ml',
    'peak_ce_time_min',
    ...result.bands.flatMap((b) => [`${slug(b.id)}_minutes_inside_min`, `${slug(b.id)}_minutes_above_min`]),
    `minutes_to_fall_below_${ref}_min`,
    ...(result.population ? result.levels.map((l) => `p_peak_ce_ge_${slug(String(l.ngMl))}_ng_ml`) : []),
    'evidence',
  ];
  const lines = [head.join(',')];
  for (const r of result.rows) {
    const m = r.metrics;
    lines.push(
      [
        cell(mgkg ? r.doseMgPerKg : r.scale),
        cell(m.totalDoseMg),
        cell(m.totalDoseMgPerKg),
        cell(m.peakCpNgMl),
        cell(m.peakCeNgMl),
        cell(m.peakCeMin),
        ...m.bands.flatMap((b) => [cell(b.minutesInside), cell(b.minutesAbove)]),
        cell(r.minutesToFallBelowReference),
        ...(r.exceedance ? r.exceedance.map((e) => cell(e.probability)) : []),
        csvField([...new Set(r.evidence.map((e) => e.id))].join(';')),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}
