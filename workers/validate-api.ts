/**
 * The validate worker's API (dashboard Validate view): reads a NONMEM-style dataset with the engine's strict
 * reader, checks each model's covariate needs, then computes Varvel 1992's measures per model and subject
 * (engine/research/validate.ts, the same code as `ketasim validate`), each observation's prediction and PE,
 * and each subject's predicted curve, in steps so the client can report progress and cancel between two.
 *
 * Flow: `open(request)` → `{ ok: false, problems }` (the reader's, naming line and column, even before a model
 * is picked; then the models' and the model check's; nothing computed) or `{ ok: true, steps }`; then
 * `step(budgetMs)` until finished; then `result()`.
 * One job at a time per worker: `open` replaces any job in progress, `cancel` drops it.
 */
import { findModel, MODELS, MODEL_IDS } from '../engine/models/registry.ts';
import { resolveModel } from '../engine/predict.ts';
import { readNonmem, type DataRecord, type Dataset, type DataSubject, type TimeUnit } from '../engine/research/nonmem.ts';
import {
  checkModelNeeds,
  modelUsesWeight,
  patientOf,
  pooledPerformance,
  predictionError,
  predictRecords,
  validateModels,
  type PooledPerformance,
  type SubjectPerformance,
} from '../engine/research/validate.ts';

export type { PooledPerformance } from '../engine/research/validate.ts';
import { WarningSink } from '../engine/warnings.ts';

/** A registry model as the view's checkboxes show it. */
export interface ValidateModelChoice {
  readonly id: string;
  readonly name: string;
  readonly drug: string;
  /** Who the model was built on (the record's `population`). */
  readonly population: string;
  readonly citation: string;
  /** Dataset columns the model needs: WT when its parameters scale with weight, and each required covariate. */
  readonly needs: readonly string[];
}

export interface ValidateRequest {
  /** The dataset file's text (read in the browser; never uploaded). */
  readonly text: string;
  /** Registry model ids, in display order (one or more, no repeats). */
  readonly models: readonly string[];
  /** Unit of TIME; null = the file's `# time-unit:` comment, else hours (as the reader does). */
  readonly timeUnit: TimeUnit | null;
}

/** Why nothing was computed: the request, the dataset (reader), or a model's covariate needs. */
export interface ValidateProblems {
  readonly ok: false;
  readonly stage: 'request' | 'dataset' | 'models';
  /** Each problem as the engine words it (`line N, column C (NAME): …`). */
  readonly problems: readonly string[];
}

export interface ValidateOpened {
  readonly ok: true;
  /** Units of work (one per model and subject). */
  readonly steps: number;
  readonly subjects: number;
  readonly timeUnit: TimeUnit;
  readonly timeUnitSource: Dataset['timeUnitSource'];
}

/** One model's result, in the CLI JSON's shape (`models[i]`). */
export interface ValidateModelResult {
  readonly id: string;
  readonly population: PooledPerformance;
  readonly subjects: readonly SubjectPerformance[];
}

/** A subject's doses, observations and one predicted curve per model (in request order). */
export interface ValidateSubject {
  /** ID as written in the dataset. */
  readonly id: string;
  /** 1-based line of the subject's first record. */
  readonly line: number;
  readonly covariates: DataSubject['covariates'];
  /** Dose records: time h, amount mg, rate mg/h (0 = bolus). */
  readonly doses: readonly { readonly tH: number; readonly amtMg: number; readonly rateMgPerH: number }[];
  /** Observation records: time h, DV ng/mL (null when missing, MDV 1). */
  readonly observations: readonly { readonly tH: number; readonly dv: number | null }[];
  /** Per model: predicted plasma concentration (ng/mL) at `tH` (h); a dose time appears twice (before, after). */
  readonly curves: readonly { readonly tH: Float64Array; readonly cp: Float64Array }[];
}

/**
 * Each used observation (DV > 0, PRED > 0) of one model, as parallel columns: subject index (into
 * `subjects`), time h, DV ng/mL, PRED ng/mL, PE %.
 */
export interface ValidatePoints {
  readonly subject: Int32Array;
  readonly tH: Float64Array;
  readonly dv: Float64Array;
  readonly pred: Float64Array;
  readonly pe: Float64Array;
}

export interface ValidateResult {
  readonly timeUnit: TimeUnit;
  readonly timeUnitSource: Dataset['timeUnitSource'];
  readonly models: readonly ValidateModelResult[];
  /** Per model (request order). */
  readonly points: readonly ValidatePoints[];
  readonly subjects: readonly ValidateSubject[];
  /** The engine's warnings (a covariate outside a model's studied range, …), merged, with where they apply. */
  readonly warnings: readonly string[];
}

/** Points on each subject's predicted curve between its first and last record (plus each dose time twice). */
export const CURVE_POINTS = 240;

interface Job {
  readonly dataset: Dataset;
  readonly models: readonly string[];
  readonly perModel: { subjects: SubjectPerformance[]; points: number[][] }[];
  readonly curves: { tH: Float64Array; cp: Float64Array }[][];
  readonly warnings: Map<string, Set<string>>;
  next: number;
}

let job: Job | null = null;

/**
 * The subject's records with observation records on a grid from its first to its last record (min), and one
 * just before and one just after each dose (records in file order, so an observation written before a dose at
 * the same time sees the level before it).
 */
function curveRecords(s: DataSubject): DataRecord[] {
  const t0 = s.records[0]?.tMin ?? 0;
  const t1 = Math.max(t0, s.records.at(-1)?.tMin ?? t0);
  const grid: number[] = [];
  for (let i = 0; i <= CURVE_POINTS; i++) grid.push(t1 > t0 ? t0 + ((t1 - t0) * i) / CURVE_POINTS : t0);
  const out: DataRecord[] = [];
  let g = 0;
  for (const r of s.records) {
    while (g < grid.length && grid[g] < r.tMin) out.push({ kind: 'observation', line: 0, tMin: grid[g++], dvNgMl: null });
    if (r.kind === 'dose') {
      out.push({ kind: 'observation', line: 0, tMin: r.tMin, dvNgMl: null });
      out.push(r);
      out.push({ kind: 'observation', line: 0, tMin: r.tMin, dvNgMl: null });
    }
  }
  while (g < grid.length) out.push({ kind: 'observation', line: 0, tMin: grid[g++], dvNgMl: null });
  return out;
}

function runStep(j: Job): void {
  const m = Math.floor(j.next / j.dataset.subjects.length);
  const si = j.next % j.dataset.subjects.length;
  const id = j.models[m];
  const s = j.dataset.subjects[si];
  // The subject's measures by the engine's own function (a one-subject dataset: models and subjects are independent).
  const one = validateModels({ ...j.dataset, subjects: [s] }, [id]);
  j.perModel[m].subjects.push(one.models[0].subjects[0]);
  for (const w of one.warnings) {
    const seen = j.warnings.get(w.message) ?? new Set<string>();
    seen.add(`${id}, subject ${s.id}`);
    j.warnings.set(w.message, seen);
  }
  const model = resolveModel({ id }, patientOf(s), new WarningSink());
  const pred = predictRecords(model, s.records);
  const pts = j.perModel[m].points;
  s.records.forEach((r, i) => {
    if (r.kind !== 'observation' || r.dvNgMl === null || !(r.dvNgMl > 0) || !(pred[i] > 0)) return;
    pts.push([si, r.tMin / 60, r.dvNgMl, pred[i], predictionError(r.dvNgMl, pred[i])]);
  });
  const recs = curveRecords(s);
  const cp = predictRecords(model, recs);
  const tH: number[] = [];
  const c: number[] = [];
  recs.forEach((r, i) => {
    if (r.kind === 'observation') {
      tH.push(r.tMin / 60);
      c.push(cp[i]);
    }
  });
  j.curves[si][m] = { tH: Float64Array.from(tH), cp: Float64Array.from(c) };
  j.next++;
}

export const validateApi = {
  /** The registry's models with drug, population and the dataset columns each needs. */
  models(): ValidateModelChoice[] {
    return MODELS.map((d) => ({
      id: d.id,
      name: d.name,
      drug: d.drug,
      population: d.population,
      citation: d.citation,
      needs: [
        ...(modelUsesWeight(d) ? ['WT'] : []),
        ...d.requires.map((r) => ({ ageYears: 'AGE', sex: 'SEX', heightCm: 'HT' })[r.field]),
      ],
    }));
  },

  /** Read and check the dataset for the models; on success a job of `steps` steps replaces any job in progress. */
  open(request: ValidateRequest): ValidateProblems | ValidateOpened {
    job = null;
    const problems: string[] = [];
    if (typeof request?.text !== 'string') problems.push('file: no dataset text');
    const unit = request?.timeUnit;
    if (unit !== null && unit !== 'h' && unit !== 'min')
      problems.push(`time unit: expected h, min or from the file, got ${JSON.stringify(unit)}`);
    if (problems.length) return { ok: false, stage: 'request', problems };
    // The dataset first, so a malformed file is reported before any model is picked.
    const read = readNonmem(request.text, unit ?? undefined);
    // The reader words the chosen unit as the CLI's option; the view calls that field "time unit".
    if (!read.ok)
      return { ok: false, stage: 'dataset', problems: read.problems.map((p) => p.replace(/^--time-unit:/, 'time unit:')) };
    const ids = Array.isArray(request.models) ? request.models : [];
    if (ids.length === 0) problems.push(`models: pick one or more; expected any of ${MODEL_IDS.join(', ')}`);
    for (const id of ids) if (!findModel(id)) problems.push(`models: unknown model ${JSON.stringify(id)}`);
    if (new Set(ids).size !== ids.length) problems.push('models: a model is picked more than once');
    if (problems.length) return { ok: false, stage: 'request', problems };
    const needs = checkModelNeeds(read.dataset, ids);
    if (needs.length) return { ok: false, stage: 'models', problems: needs };
    const d = read.dataset;
    job = {
      dataset: d,
      models: [...ids],
      perModel: ids.map(() => ({ subjects: [], points: [] })),
      curves: d.subjects.map(() => []),
      warnings: new Map(),
      next: 0,
    };
    return {
      ok: true,
      steps: ids.length * d.subjects.length,
      subjects: d.subjects.length,
      timeUnit: d.timeUnit,
      timeUnitSource: d.timeUnitSource,
    };
  },

  /** Run steps for about `budgetMs` (at least one); how many are done of how many. */
  step(budgetMs: number): { done: number; steps: number; finished: boolean } {
    const j = job;
    if (!j) throw new Error('validate worker: step without an open job (cancelled?)');
    const steps = j.models.length * j.dataset.subjects.length;
    const t0 = performance.now();
    do {
      if (j.next >= steps) break;
      runStep(j);
    } while (performance.now() - t0 < budgetMs);
    return { done: j.next, steps, finished: j.next >= steps };
  },

  /** The finished job's result (the job is dropped). */
  result(): ValidateResult {
    const j = job;
    if (!j || j.next < j.models.length * j.dataset.subjects.length)
      throw new Error('validate worker: result before the job finished (cancelled?)');
    job = null;
    const d = j.dataset;
    return {
      timeUnit: d.timeUnit,
      timeUnitSource: d.timeUnitSource,
      models: j.models.map((id, m) => ({
        id,
        population: pooledPerformance(j.perModel[m].subjects),
        subjects: j.perModel[m].subjects,
      })),
      points: j.perModel.map(({ points }) => ({
        subject: Int32Array.from(points, (p) => p[0]),
        tH: Float64Array.from(points, (p) => p[1]),
        dv: Float64Array.from(points, (p) => p[2]),
        pred: Float64Array.from(points, (p) => p[3]),
        pe: Float64Array.from(points, (p) => p[4]),
      })),
      subjects: d.subjects.map((s, si) => ({
        id: s.id,
        line: s.line,
        covariates: s.covariates,
        doses: s.records.flatMap((r) =>
          r.kind === 'dose' ? [{ tH: r.tMin / 60, amtMg: r.amtMg, rateMgPerH: r.rateMgPerH }] : [],
        ),
        observations: s.records.flatMap((r) => (r.kind === 'observation' ? [{ tH: r.tMin / 60, dv: r.dvNgMl }] : [])),
        curves: j.curves[si],
      })),
      warnings: [...j.warnings].map(([message, where]) => `${message} (${[...where].join('; ')})`),
    };
  },

  /** Drop the job in progress. */
  cancel(): void {
    job = null;
  },
};

export type ValidateApi = typeof validateApi;
