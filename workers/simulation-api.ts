// `api` run in the simulation worker: `catalogue`, `validate`, `parseText`, `simulate` (windowed, decimated, transferred), CSV export.
import { scopeName } from './scope.ts';
import { describeModel, type ModelDescription } from '../engine/models/catalogue.ts';
import * as Comlink from 'comlink';
import { parsePlan, parsePlanText, type Band, type Plan, type Problem } from '../engine/plan.ts';
import { MODELS, MODEL_IDS, DEFAULT_MODEL_ID } from '../engine/models/registry.ts';
import { predictChecked, type Ke0Source } from '../engine/predict.ts';
import { computeMetrics, type Metrics } from '../engine/metrics.ts';
import { bandsForPlan, defaultBandSet } from '../engine/pd/bands.ts';
import { gather, minMaxIndices } from '../engine/decimate.ts';
import type { DoseAction } from '../engine/dosing/actions.ts';
import type { Trajectory } from '../engine/simulate.ts';
import { trajectoryCsv } from '../engine/output.ts';
import type { Warning } from '../engine/warnings.ts';
import type { Patient } from '../engine/patient.ts';
import { sweetSpot, type DoseAxis, type SweetSpotPopulation, type SweetSpotResult } from '../engine/research/sweet-spot.ts';
import {
  DEFAULT_DOSE_LIMITS,
  DOSE_LIMIT_UNITS,
  doseSafetyWarnings,
  parseDoseLimits,
  type DoseLimits,
} from '../engine/safety/dose-safety.ts';

/**
 * The simulation API: plain async functions over the engine, run inside the simulation worker
 * (workers/simulation.worker.ts exposes this object through comlink) and callable directly in tests.
 * Plans arrive unvalidated (as the UI holds them) and are validated here, once, with parsePlan; the
 * main thread never imports the stepping code. Result buffers are handed over with Comlink.transfer,
 * never copied by structured clone.
 */

/** One model of the registry as plain data for the model picker (no functions). */
/** A registry model as the picker shows it (engine/models/catalogue.ts) and the covariates it uses. */
export interface ModelInfo extends ModelDescription {
  /** Covariates that change this model's parameters (found by varying each one). */
  readonly uses: { readonly ageYears: boolean; readonly sex: boolean; readonly heightCm: boolean };
}

/** The registry and the ids a plan may name. */
export interface Catalogue {
  readonly models: readonly ModelInfo[];
  readonly modelIds: readonly string[];
  readonly defaultModelId: string;
}

/** A window of the time axis, min. */
export interface TimeWindow {
  readonly startMin: number;
  readonly endMin: number;
}

export interface SimulateRequest {
  /** Plans in plan-format shape, not yet validated. Index 0 is the scenario being edited; the rest are pinned for comparison. */
  readonly plans: readonly unknown[];
  /** The time window shown, min; null = from 0 to the longest horizon among the valid plans. */
  readonly view: TimeWindow | null;
  /** Pixel columns of the plot: series are reduced to about this many min/max buckets. */
  readonly buckets: number;
  /**
   * Also return plans[0]'s full-resolution cp and ce. The dashboard sends false (2 × 8 bytes a grid point
   * copied on every edit would slow each key press) and asks `fullSeries` when the pointer is on the chart.
   */
  readonly full: boolean;
}

/** A decimated series in the window: t (min), cp and ce (ng/mL), real samples only. */
export interface Series {
  readonly t: Float64Array;
  readonly cp: Float64Array;
  readonly ce: Float64Array;
}

/** The model as resolved for the plan's patient. */
export interface ResolvedModelInfo {
  /** Registry id, or null for a custom model. */
  readonly id: string | null;
  readonly name: string;
  /** ke0 in use, 1/min, and where it comes from. */
  readonly ke0PerMin: number;
  readonly ke0Source: Ke0Source;
  /** Parameters in use (L, L/min, 1/min), by name. */
  readonly parameters: Readonly<Record<string, number>>;
}

/**
 * The default band set of a plan's drug, as plain data for the dashboard (engine/pd/s-ketamine-bands.ts
 * `DefaultBandSet`): names, colours and sources of the bands, the reference lines, the racemic bands with
 * no counterpart for this drug and the notice saying so. Sent with each result so the main thread never
 * loads the band tables' logic (or the model registry) to name a band.
 */
export interface BandSetInfo {
  readonly drug: 'racemic' | 's-ketamine';
  readonly notice: string | null;
  readonly bands: readonly {
    readonly id: string;
    readonly name: string;
    readonly lowNgMl: number;
    readonly highNgMl: number | null;
    readonly color: string;
    readonly citation: string;
    readonly note: string;
  }[];
  readonly references: readonly {
    readonly id: string;
    readonly name: string;
    readonly ngMl: number;
    readonly citation: string;
    readonly note: string;
  }[];
  readonly unavailable: readonly { readonly id: string; readonly name: string; readonly reason: string }[];
}

function bandSetInfo(model: Plan['model']): BandSetInfo {
  const set = defaultBandSet(model);
  return {
    drug: set.drug,
    notice: set.notice,
    bands: set.bands.map((b) => ({
      id: b.id,
      name: b.name,
      lowNgMl: b.lowNgMl,
      highNgMl: b.highNgMl ?? null,
      color: b.color,
      citation: b.citation,
      note: b.note,
    })),
    references: set.references.map((r) => ({ id: r.id, name: r.name, ngMl: r.ngMl, citation: r.citation, note: r.note })),
    unavailable: set.unavailable.map((u) => ({ id: u.id, name: u.name, reason: u.reason })),
  };
}

export interface ScenarioOk {
  readonly ok: true;
  /** The validated plan (units filled with defaults where omitted). */
  readonly plan: Plan;
  readonly series: Series;
  /** Samples on the full output grid. */
  readonly gridPoints: number;
  readonly metrics: Metrics;
  /** The bands the metrics and the chart use (the plan's thresholds, else the defaults). */
  readonly bands: readonly Band[];
  /** The default band set of the plan's drug (names, colours, sources; S-ketamine models get their own). */
  readonly bandSet: BandSetInfo;
  readonly model: ResolvedModelInfo;
  readonly warnings: readonly Warning[];
  /** The regimen as time-ordered pump/syringe actions (min, mg, mg/min), for the dose track. */
  readonly actions: readonly DoseAction[];
  /** Full-resolution cp and ce (ng/mL) at t_j = j·resolutionSec/60 min; only for plans[0] when asked, and null above MAX_FULL_POINTS grid points. */
  readonly full: { readonly cp: Float64Array; readonly ce: Float64Array; readonly resolutionSec: number } | null;
}
export interface ScenarioInvalid {
  readonly ok: false;
  readonly problems: readonly Problem[];
}
export type ScenarioOutcome = ScenarioOk | ScenarioInvalid;

export interface SimulateResponse {
  readonly outcomes: readonly ScenarioOutcome[];
  /** The window the series cover, min. */
  readonly domain: TimeWindow;
  /** Name of the global scope that computed this (`DedicatedWorkerGlobalScope` in the app). */
  readonly computedIn: string;
  /** Time spent in the worker for this request, ms. */
  readonly workerMs: number;
}

/** A plan's full-resolution cp and ce for the hover readout, or why they cannot be given (a sentence). */
export type FullSeriesOutcome =
  | { readonly ok: true; readonly cp: Float64Array; readonly ce: Float64Array; readonly resolutionSec: number }
  | { readonly ok: false; readonly reason: string };

/** Longest horizon shown when no plan is valid, min. */
const FALLBACK_DOMAIN: TimeWindow = { startMin: 0, endMin: 240 };

interface Entry {
  readonly trajectory: Trajectory;
  readonly metrics: Metrics;
  readonly bands: readonly Band[];
  readonly bandSet: BandSetInfo;
  readonly model: ResolvedModelInfo;
  readonly warnings: readonly Warning[];
  readonly actions: readonly DoseAction[];
}

/** Predictions by plan (canonical JSON), most recent last; a zoom or resize re-reduces without re-simulating. */
const cache = new Map<string, Entry>();
const CACHE_SIZE = 8;
/** Most grid points the cache holds in all (3 columns of 8 bytes each: 12 M points ≈ 290 MB), so a few 10-million-point plans never pile up. */
const CACHE_POINTS = 12_000_000;
/**
 * Longest full-resolution series sent to the main thread for the hover readout (2 × 8 bytes a point: 3.2 MB).
 * A longer grid (up to the format's 10 million points) is sent only as pixel-resolution series; `full` is null.
 */
export const MAX_FULL_POINTS = 200_000;

/** A valid plan whose result cannot be computed or shown (e.g. it overflows): the problems name the field. */
class Unpredictable extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    this.problems = problems;
  }
}

function evaluate(plan: Plan): Entry {
  const key = JSON.stringify(plan);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const checked = predictChecked(plan);
  if (!checked.ok) throw new Unpredictable(checked.problems);
  const p = checked.prediction;
  const bands = bandsForPlan(plan.thresholds, plan.model).map((b) =>
    b.highNgMl === undefined ? { id: b.id, lowNgMl: b.lowNgMl } : { id: b.id, lowNgMl: b.lowNgMl, highNgMl: b.highNgMl },
  );
  const metrics = computeMetrics(p.trajectory, bands, p.actions, plan.patient.weightKg);
  const def = p.model.definition;
  const entry: Entry = {
    trajectory: p.trajectory,
    metrics,
    bands,
    bandSet: bandSetInfo(plan.model),
    model: {
      id: def?.id ?? null,
      name: def?.name ?? 'Custom model',
      ke0PerMin: p.model.ke0,
      ke0Source: p.model.ke0Source,
      parameters: { ...p.model.parameters },
    },
    warnings: p.warnings,
    actions: p.actions.map((a) => ({ ...a })),
  };
  cache.set(key, entry);
  let points = 0;
  for (const e of cache.values()) points += e.trajectory.t.length;
  while (cache.size > 1 && (cache.size > CACHE_SIZE || points > CACHE_POINTS)) {
    const oldest = cache.keys().next().value as string;
    points -= cache.get(oldest)!.trajectory.t.length;
    cache.delete(oldest);
  }
  return entry;
}

/** Reduce a trajectory to the window at `buckets` pixel columns, min/max per bucket. */
export function reduceToWindow(tr: Trajectory, window: TimeWindow, buckets: number): Series {
  const idx = minMaxIndices(tr.t, [tr.cp, tr.ce], window.startMin, window.endMin, buckets);
  return { t: gather(tr.t, idx), cp: gather(tr.cp, idx), ce: gather(tr.ce, idx) };
}

/** A trajectory as CSV: the one writer the CLI's `simulate --format csv` uses too (engine/output.ts). */
export { trajectoryCsv };

function usesCovariates(id: string): ModelInfo['uses'] {
  const def = MODELS.find((m) => m.id === id)!;
  const base: Patient = { weightKg: 70, ageYears: 40, sex: 'male', heightCm: 170 };
  const same = (p: Patient): boolean => {
    try {
      return JSON.stringify(def.parameters(p)) === JSON.stringify(def.parameters(base));
    } catch {
      return false;
    }
  };
  return {
    ageYears: !same({ ...base, ageYears: 5 }) || !same({ ...base, ageYears: 80 }),
    sex: !same({ ...base, sex: 'female' }),
    heightCm: !same({ ...base, heightCm: 120 }) || !same({ ...base, heightCm: 200 }),
  };
}

let catalogueCache: Catalogue | null = null;

function transferables(outcomes: readonly ScenarioOutcome[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const o of outcomes) {
    if (!o.ok) continue;
    out.push(o.series.t.buffer as ArrayBuffer, o.series.cp.buffer as ArrayBuffer, o.series.ce.buffer as ArrayBuffer);
    if (o.full) out.push(o.full.cp.buffer as ArrayBuffer, o.full.ce.buffer as ArrayBuffer);
  }
  return out;
}

export const api = {
  /** The model registry as plain data, with the ids a plan may name. */
  async catalogue(): Promise<Catalogue> {
    if (!catalogueCache) {
      catalogueCache = {
        modelIds: [...MODEL_IDS],
        defaultModelId: DEFAULT_MODEL_ID,
        models: MODELS.map((m) => ({ ...describeModel(m), uses: usesCovariates(m.id) })),
      };
    }
    return catalogueCache;
  },

  /** Validate a plan object: the typed plan or every problem, each naming its field path. */
  async validate(input: unknown): Promise<ReturnType<typeof parsePlan>> {
    return parsePlan(input, MODEL_IDS);
  },

  /** Validate plan JSON text (a share link's payload): not-JSON is one problem at path `plan`. */
  async parseText(text: string): Promise<ReturnType<typeof parsePlanText>> {
    return parsePlanText(text, MODEL_IDS);
  },

  /**
   * Validate and predict every plan, compute metrics against its bands, and reduce each trajectory to
   * the window at pixel resolution. Buffers are transferred.
   */
  async simulate(req: SimulateRequest): Promise<SimulateResponse> {
    const t0 = performance.now();
    const parsed = req.plans.map((p) => parsePlan(p, MODEL_IDS));
    let horizon = 0;
    for (const r of parsed) if (r.ok) horizon = Math.max(horizon, r.plan.horizonMin);
    const domain: TimeWindow =
      req.view && req.view.endMin > req.view.startMin
        ? { startMin: req.view.startMin, endMin: req.view.endMin }
        : horizon > 0
          ? { startMin: 0, endMin: horizon }
          : FALLBACK_DOMAIN;
    const buckets = Math.max(16, Math.min(8192, Math.round(req.buckets) || 0));
    const outcomes: ScenarioOutcome[] = parsed.map((r, i) => {
      if (!r.ok) return { ok: false, problems: r.problems };
      let e: Entry;
      try {
        e = evaluate(r.plan);
      } catch (err) {
        if (err instanceof Unpredictable) return { ok: false, problems: err.problems };
        // An engine failure on a valid plan is a bug; report it on the plan rather than losing every result.
        return {
          ok: false,
          problems: [{ path: 'plan', message: `the engine could not predict this plan: ${(err as Error).message}` }],
        };
      }
      const wantFull = req.full && i === 0 && e.trajectory.t.length <= MAX_FULL_POINTS;
      return {
        ok: true,
        plan: r.plan,
        series: reduceToWindow(e.trajectory, domain, buckets),
        gridPoints: e.trajectory.t.length,
        metrics: e.metrics,
        bands: e.bands,
        bandSet: e.bandSet,
        model: e.model,
        warnings: e.warnings,
        actions: e.actions,
        full: wantFull ? { cp: e.trajectory.cp.slice(), ce: e.trajectory.ce.slice(), resolutionSec: r.plan.resolutionSec } : null,
      };
    });
    const res: SimulateResponse = { outcomes, domain, computedIn: scopeName(), workerMs: performance.now() - t0 };
    return Comlink.transfer(res, transferables(outcomes));
  },

  /**
   * The full-resolution cp and ce (ng/mL) of one plan, at t_j = j·resolutionSec/60 min, for the hover
   * readout (from the prediction cache, so right after `simulate` nothing is recomputed). Buffers are
   * transferred. A plan that is not valid, cannot be predicted, or has more than MAX_FULL_POINTS grid
   * points gets a reason instead.
   */
  async fullSeries(input: unknown): Promise<FullSeriesOutcome> {
    const r = parsePlan(input, MODEL_IDS);
    if (!r.ok) return { ok: false, reason: `the plan is not valid (${r.problems[0].path}: ${r.problems[0].message})` };
    let e: Entry;
    try {
      e = evaluate(r.plan);
    } catch (err) {
      return { ok: false, reason: `the plan could not be predicted (${(err as Error).message})` };
    }
    const n = e.trajectory.t.length;
    if (n > MAX_FULL_POINTS)
      return {
        ok: false,
        reason: `the plan has ${n.toLocaleString('en-US')} grid points (resolution ${r.plan.resolutionSec} s over ${r.plan.horizonMin} min), more than the ${MAX_FULL_POINTS.toLocaleString('en-US')} the readout reads point by point; a coarser resolution or a shorter horizon brings it back`,
      };
    const cp = e.trajectory.cp.slice();
    const ce = e.trajectory.ce.slice();
    return Comlink.transfer({ ok: true, cp, ce, resolutionSec: r.plan.resolutionSec }, [cp.buffer, ce.buffer]);
  },

  /** The prediction of a plan as CSV, the same columns and number format as the CLI (t_min, cp and ce in ng/mL; cm_ng_ml for a model with a metabolite). */
  async csv(input: unknown): Promise<string> {
    const r = parsePlan(input, MODEL_IDS);
    if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    return trajectoryCsv(evaluate(r.plan).trajectory);
  },

  /**
   * The dose-safety warnings of a plan under a clinic's limits (ui/settings): `overrides` maps a limit
   * (`singleDoseMgPerKg`, …) to the clinic's value in the limit's unit, or null to switch the check off;
   * limits left out keep the cited defaults. Answers the limits in force too, so the UI shows their sources.
   */
  async doseSafety(
    input: unknown,
    overrides: Readonly<Record<string, number | null>>,
  ): Promise<{ ok: true; warnings: Warning[]; limits: DoseLimits } | { ok: false; problems: Problem[] }> {
    const limitsInput: Record<string, unknown> = { ...DEFAULT_DOSE_LIMITS };
    for (const [key, value] of Object.entries(overrides)) {
      const unit = (DOSE_LIMIT_UNITS as Readonly<Record<string, string>>)[key];
      limitsInput[key] =
        value === null
          ? null
          : { value, unit, basis: 'clinic', citation: 'Clinic setting (this browser)', label: 'clinic setting' };
    }
    const limits = parseDoseLimits(limitsInput);
    if (!limits.ok) return limits;
    const r = parsePlan(input, MODEL_IDS);
    if (!r.ok) return { ok: false, problems: r.problems };
    return { ok: true, warnings: doseSafetyWarnings(r.plan, limits.limits), limits: limits.limits };
  },

  /**
   * The sweet-spot view (engine/research/sweet-spot.ts): the plan (validated here with parsePlan, the
   * format's limits) at each dose of the axis — peak Ce, minutes in and above each band, time to fall
   * below the reference band — and, with a population, the chance of reaching each exceedance level.
   * Problems name the field (`plan.…`, `doses[i]`, `overMin`, `population.n`).
   */
  async sweetSpot(req: {
    readonly plan: unknown;
    readonly axis: DoseAxis;
    readonly population?: SweetSpotPopulation;
  }): Promise<{ ok: true; result: SweetSpotResult } | { ok: false; problems: string[] }> {
    const r = parsePlan(req.plan, MODEL_IDS);
    if (!r.ok) return { ok: false, problems: r.problems.map((p) => `plan.${p.path}: ${p.message}`) };
    return sweetSpot({ plan: r.plan, axis: req.axis, ...(req.population && { population: req.population }) });
  },

  /** Where this API runs (`DedicatedWorkerGlobalScope` inside the app's worker). */
  async whereAmI(): Promise<string> {
    return scopeName();
  },
};

/** The worker's API as the client sees it (types come from the implementation, DESIGN.md rule 7). */
export type SimulationApi = typeof api;
