/**
 * External validation of registry models against a NONMEM-style dataset (`ketasim validate`,
 * docs/PLAN-FORMAT.md): each subject's plasma concentration predicted exactly at its observation times
 * from its own doses and covariates, then Varvel's performance measures per subject and pooled.
 *
 * Varvel DR, Shafer SL, Hwang SS, Coen PA, Stanski DR. Measuring the predictive performance of
 * computer-controlled infusion pumps. J Pharmacokinet Biopharm 1992;20(1):63-94. As the contract states
 * them: PE = 100·(DV − PRED)/PRED (observations with PRED > 0 and DV > 0; others skipped and counted);
 * MDPE = median PE; MDAPE = median |PE|; wobble = median |PE − MDPE|; divergence = least-squares slope
 * of |PE| against time in hours (%/h, at least 2 observations at 2 or more times). Pooled values are the
 * unweighted medians of the individual values.
 */
import { findModel } from '../models/registry.ts';
import type { ModelDefinition } from '../models/types.ts';
import type { Patient } from '../patient.ts';
import { resolveModel, type ResolvedModel } from '../predict.ts';
import { stepperFor } from '../pk/stepper.ts';
import { mgPerLToNgPerMl } from '../units.ts';
import { WarningSink } from '../warnings.ts';
import { mergeWarnings, modelSummary, type ContextWarning, type ModelSummary } from './meta.ts';
import { csvField } from './sweep.ts';
import type { CovariateColumn, Dataset, DataRecord, DataSubject } from './nonmem.ts';

/** Median of a list (mean of the middle two for an even count); null for an empty list. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Least-squares slope of y against x; null with fewer than two points or no spread in x. */
export function slope(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 2) return null;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxx > 0 ? sxy / sxx : null;
}

/** Varvel's measures of one subject (or any set of prediction errors): %, and %/h for divergence. */
export interface Performance {
  readonly mdpe: number | null;
  readonly mdape: number | null;
  readonly wobble: number | null;
  readonly divergence: number | null;
}

/** Varvel's measures from prediction errors `pe` (%) observed at `timeH` (h). */
export function performance(pe: readonly number[], timeH: readonly number[]): Performance {
  const mdpe = median(pe);
  const ape = pe.map(Math.abs);
  return {
    mdpe,
    mdape: median(ape),
    wobble: mdpe === null ? null : median(pe.map((x) => Math.abs(x - mdpe))),
    divergence: slope(timeH, ape),
  };
}

/** Prediction error, %: 100·(DV − PRED)/PRED. */
export const predictionError = (dv: number, pred: number): number => (100 * (dv - pred)) / pred;

/**
 * Plasma concentration (ng/mL) at every observation record of a subject, exactly (closed form across
 * each interval of constant input). Records are taken in file order, as NONMEM does, so an observation
 * written before a dose at the same time sees the concentration before it. Each dose record is its own
 * input: a bolus (RATE 0) or an infusion of AMT mg at RATE mg/h for AMT/RATE h; overlapping infusions
 * add. Returns one value per record (NaN for dose records).
 */
export function predictRecords(model: ResolvedModel, records: readonly DataRecord[]): Float64Array {
  const out = new Float64Array(records.length).fill(Number.NaN);
  if (records.length === 0) return out;
  const stepper = stepperFor(model.structure, model.ke0);
  const infusions: { end: number; rate: number }[] = []; // end min, rate mg/min
  let t = records[0].tMin;
  let rate = 0;
  const total = () => infusions.reduce((s, x) => s + x.rate, 0);
  const advanceTo = (target: number) => {
    for (;;) {
      let next = -1;
      for (let i = 0; i < infusions.length; i++)
        if (infusions[i].end <= target && (next < 0 || infusions[i].end < infusions[next].end)) next = i;
      if (next < 0) break;
      const end = infusions[next].end;
      if (end > t) {
        stepper.advance(end - t, rate);
        t = end;
      }
      infusions.splice(next, 1);
      rate = total();
    }
    if (target > t) {
      stepper.advance(target - t, rate);
      t = target;
    }
  };
  records.forEach((r, i) => {
    advanceTo(r.tMin);
    if (r.kind === 'observation') out[i] = mgPerLToNgPerMl(stepper.cp());
    else if (r.rateMgPerH > 0) {
      infusions.push({ end: r.tMin + (r.amtMg / r.rateMgPerH) * 60, rate: r.rateMgPerH / 60 });
      rate = total();
    } else stepper.bolus(r.amtMg);
  });
  return out;
}

/**
 * Whether a model's parameters depend on body weight: evaluated at two weights (50 and 90 kg; the other
 * covariates fixed at 40 years, female, 170 cm). A model that does not (Perez-Ruixo 2021 retained no
 * weight covariate) needs no WT column.
 */
export function modelUsesWeight(def: ModelDefinition): boolean {
  const other = { ageYears: 40, sex: 'female', heightCm: 170 } as const;
  const a = def.parameters({ weightKg: 50, ...other });
  const b = def.parameters({ weightKg: 90, ...other });
  return Object.keys(a).some((k) => a[k] !== b[k]);
}

/** One subject's result for one model. */
export interface SubjectPerformance extends Performance {
  /** Subject ID as written in the dataset (a number when it is one). */
  readonly id: string | number;
  /** Observations used. */
  readonly n: number;
  /** Observation records not used: DV missing (MDV 1), PRED ≤ 0 or DV ≤ 0. */
  readonly skipped: number;
}

/** Pooled measures of one model: the unweighted medians of the subjects' values (%, divergence %/h; null when no subject has one). */
export interface PooledPerformance extends Performance {
  /** Subjects with at least one usable observation. */
  readonly subjects: number;
  /** Observations used, all subjects. */
  readonly observations: number;
  readonly skipped: number;
}

/** The pooled measures of subjects' results: each measure the median of the subjects that have it (unweighted). */
export function pooledPerformance(subjects: readonly SubjectPerformance[]): PooledPerformance {
  const pool = (k: keyof Performance) => median(subjects.map((x) => x[k]).filter((v): v is number => v !== null));
  return {
    mdpe: pool('mdpe'),
    mdape: pool('mdape'),
    wobble: pool('wobble'),
    divergence: pool('divergence'),
    subjects: subjects.filter((x) => x.n > 0).length,
    observations: subjects.reduce((a, x) => a + x.n, 0),
    skipped: subjects.reduce((a, x) => a + x.skipped, 0),
  };
}

/** One model's result: pooled (medians of the individual values) and per subject. */
export interface ModelPerformance {
  readonly id: string;
  readonly population: PooledPerformance;
  readonly subjects: readonly SubjectPerformance[];
}

/** Everything `validate` computes: per model, and the ke0s and warnings for `meta`. */
export interface ValidationResult {
  readonly models: readonly ModelPerformance[];
  readonly modelSummaries: readonly ModelSummary[];
  readonly warnings: readonly ContextWarning[];
}

const subjectId = (s: string): string | number => (String(Number(s)) === s ? Number(s) : s);

/** A subject's patient record from its covariates; weight NaN when absent (only for models that do not use it). */
export function patientOf(s: DataSubject): Patient {
  const c = s.covariates;
  return {
    weightKg: c.WT ?? Number.NaN,
    ...(c.AGE !== undefined && { ageYears: c.AGE }),
    ...(c.SEX !== undefined && { sex: c.SEX === 1 ? ('female' as const) : ('male' as const) }),
    ...(c.HT !== undefined && { heightCm: c.HT }),
  };
}

/** The dataset column of each patient covariate a model may require (`ModelDefinition.requires`). */
const COLUMN_OF = { ageYears: 'AGE', sex: 'SEX', heightCm: 'HT' } as const;

/**
 * Check that the dataset gives what each model needs: body weight (WT) for every model whose parameters
 * use it, and each covariate the model record requires (`requires`, e.g. AGE for Perez-Ruixo 2021). A
 * problem names the line and column; no model is run on a dataset that fails.
 */
export function checkModelNeeds(dataset: Dataset, modelIds: readonly string[]): string[] {
  const problems: string[] = [];
  for (const id of modelIds) {
    const def = findModel(id);
    if (!def) continue;
    const needs: { column: CovariateColumn; what: string }[] = [];
    if (modelUsesWeight(def)) needs.push({ column: 'WT', what: `body weight, kg; model ${id} scales with weight` });
    for (const r of def.requires) needs.push({ column: COLUMN_OF[r.field], what: `model ${id} needs it: ${r.reason}` });
    for (const { column, what } of needs) {
      const index = dataset.columns.indexOf(column);
      if (index < 0) {
        problems.push(`line ${dataset.headerLine}: column ${column} is missing (${what})`);
        continue;
      }
      for (const s of dataset.subjects)
        if (s.covariates[column] === undefined)
          problems.push(`line ${s.line}, column ${index + 1} (${column}): no value for subject ${s.id} (${what})`);
    }
  }
  return problems;
}

/**
 * Validate models against a dataset already read by `readNonmem` and checked by `checkModelNeeds`.
 * Throws only for an unknown model id or a non-finite prediction (both checked by the caller first:
 * ids at the edge, finiteness here with a message naming subject and line).
 */
export function validateModels(dataset: Dataset, modelIds: readonly string[]): ValidationResult {
  const warnings: ContextWarning[] = [];
  const summaries = new Map<string, ModelSummary>();
  const models = modelIds.map((id): ModelPerformance => {
    const def = findModel(id);
    if (!def) throw new Error(`--model: unknown model "${id}"`);
    const subjects: SubjectPerformance[] = [];
    for (const s of dataset.subjects) {
      const sink = new WarningSink();
      const model = resolveModel({ id }, patientOf(s), sink);
      for (const w of sink.list()) warnings.push({ ...w, where: `${id}, subject ${s.id}` });
      const sum = modelSummary(model);
      summaries.set(`${sum.id} ${sum.ke0PerMin}`, sum);
      const pred = predictRecords(model, s.records);
      const pe: number[] = [];
      const timeH: number[] = [];
      let skipped = 0;
      s.records.forEach((r, i) => {
        if (r.kind !== 'observation') return;
        if (!Number.isFinite(pred[i]))
          throw new Error(`subject ${s.id}, line ${r.line}: the prediction of ${id} is not a finite number`);
        if (r.dvNgMl === null || !(r.dvNgMl > 0) || !(pred[i] > 0)) {
          skipped++;
          return;
        }
        pe.push(predictionError(r.dvNgMl, pred[i]));
        timeH.push(r.tMin / 60);
      });
      subjects.push({ id: subjectId(s.id), ...performance(pe, timeH), n: pe.length, skipped });
    }
    return { id, population: pooledPerformance(subjects), subjects };
  });
  return { models, modelSummaries: [...summaries.values()], warnings: mergeWarnings(warnings, '; ') };
}

/** The JSON `models` array as the contract shapes it (plus `skipped`). */
export function validationJson(r: ValidationResult): object[] {
  return r.models.map((m) => ({
    id: m.id,
    population: m.population,
    subjects: m.subjects.map((s) => ({
      id: s.id,
      mdpe: s.mdpe,
      mdape: s.mdape,
      wobble: s.wobble,
      divergence: s.divergence,
      n: s.n,
      skipped: s.skipped,
    })),
  }));
}

/**
 * The result as CSV: one row per model and subject, then the model's pooled row (`level` population,
 * `subjects` counted); PE measures in %, divergence in %/h; an empty cell is a measure that does not exist
 * (no usable observation, or fewer than two for divergence).
 */
export function validationCsv(r: ValidationResult): string {
  const cell = (x: number | null) => (x === null ? '' : String(x));
  const lines = ['model,level,subject,n,skipped,subjects,mdpe_pct,mdape_pct,wobble_pct,divergence_pct_per_h'];
  for (const m of r.models) {
    for (const s of m.subjects)
      lines.push(
        [
          csvField(m.id),
          'subject',
          csvField(String(s.id)),
          s.n,
          s.skipped,
          '',
          cell(s.mdpe),
          cell(s.mdape),
          cell(s.wobble),
          cell(s.divergence),
        ].join(','),
      );
    const p = m.population;
    lines.push(
      [
        csvField(m.id),
        'population',
        '',
        p.observations,
        p.skipped,
        p.subjects,
        cell(p.mdpe),
        cell(p.mdape),
        cell(p.wobble),
        cell(p.divergence),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}
