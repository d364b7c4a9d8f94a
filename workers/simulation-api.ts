// `api` run in the simulation worker: `catalogue`, `validate`, `parseText`, `simulate` (windowed, decimated, transferred), CSV export.
import { scopeName } from './scope.ts';
import { describeModel, type ModelDescription } from '../engine/models/catalogue.ts';
import * as Comlink from 'comlink';
import { parsePlan, parsePlanText, type Band, type Plan, type Problem } from '../engine/plan.ts';
import { MODELS, MODEL_IDS, DEFAULT_MODEL_ID } from '../engine/models/registry.ts';
import { nonFiniteProblem, planActions, resolveModel, type Ke0Source, type Prediction } from '../engine/predict.ts';
import { runGrid, simulate as simulateTrajectory } from '../engine/simulate.ts';
import { stepperFor } from '../engine/pk/stepper.ts';
import { routingFor } from '../engine/dosing/routes.ts';
import { metaboliteRun } from '../engine/models/metabolite.ts';
import { WarningSink } from '../engine/warnings.ts';
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
import {
  routeTable,
  stopComparisonView,
  type RouteTable,
  type StopComparisonRequest,
  type StopComparisonView,
} from './stop-comparison-api.ts';

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
  /** The metabolite's plasma concentration (ng/mL, engine `cm`) at the same t, for a model with a metabolite (decimated with cp and ce). */
  readonly cm?: Float64Array;
}

/** A model's metabolite as plain data (engine/models/metabolite.ts `MetaboliteDefinition`), for the chart's metabolite series. */
export interface MetaboliteInfo {
  /** The output's `metabolite` name, e.g. "S-norketamine" ("… (apparent)" on an apparent scale). */
  readonly name: string;
  /** `apparent`: volumes and clearances divided by an unidentified fraction (V/F, CL/F), so cm is on that scale. */
  readonly volume: 'true' | 'apparent';
  readonly amount: string;
  /** Where the metabolite's parameters come from, and the model's citation. */
  readonly source: string;
  readonly citation: string;
  readonly note: string;
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
  /** The metabolite the prediction carries (`series.cm`), or null. */
  readonly metabolite: MetaboliteInfo | null;
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
  readonly full: {
    readonly cp: Float64Array;
    readonly ce: Float64Array;
    readonly cm?: Float64Array;
    readonly resolutionSec: number;
  } | null;
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
  | {
      readonly ok: true;
      readonly cp: Float64Array;
      readonly ce: Float64Array;
      readonly cm?: Float64Array;
      readonly resolutionSec: number;
    }
  | { readonly ok: false; readonly reason: string };

/** Longest horizon shown when no plan is valid, min. */
const FALLBACK_DOMAIN: TimeWindow = { startMin: 0, endMin: 240 };

interface Entry {
  readonly trajectory: Trajectory;
  /** Computed on first need (`metricsOf`): an edit's curve is sent before its metrics are computed. */
  metrics: Metrics | null;
  /** patient.weightKg, kg (for the metrics' mg/kg total). */
  readonly weightKg: number;
  /** The request that last used this entry (`request`): its buffers are never recycled during that request. */
  usedIn: number;
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

/** Number of the API request being answered (each API call that predicts starts a new one). */
let request = 0;
/**
 * Trajectories of entries evicted from the cache, kept for the next prediction on a grid of the same
 * length (at most two). Writing into fresh buffers was most of the cost of an edit in the browser: each
 * new 86,401-point column is memory the process has not touched yet (page faults, zeroing, and the
 * garbage collector's external-memory accounting), while the stepping itself takes about a millisecond.
 */
const spare: { trajectory: Trajectory; usedIn: number }[] = [];
const SPARE_SIZE = 2;
/** Longest trajectory kept for reuse, grid points (3 columns of 8 bytes: 12 MB), so a few 10-million-point plans never stay in memory. */
const SPARE_MAX_POINTS = 500_000;

/** Buffers for `count` grid points: an evicted entry's (from an earlier request), else new ones. */
function buffersFor(count: number): { t: Float64Array; cp: Float64Array; ce: Float64Array } {
  const i = spare.findIndex((s) => s.trajectory.t.length === count && s.usedIn < request);
  if (i < 0) return { t: new Float64Array(count), cp: new Float64Array(count), ce: new Float64Array(count) };
  const { t, cp, ce } = spare.splice(i, 1)[0].trajectory;
  return { t, cp, ce };
}

/**
 * engine/predict.ts `predictChecked` for a plan parsePlan accepted here, with the trajectory written
 * into recycled buffers when the model has no metabolite and the regimen no non-IV dose: the same
 * steps in the same order (resolveModel, routingFor, planActions under the default dose limits, the
 * model's stepper over the grid with runGrid, which writes every grid point, nonFiniteProblem), so
 * the same bits (test/workers/simulation-api.test.ts compares them with `predict` for every model).
 * Other plans go through the engine's `simulate` as they are.
 */
function predictPlan(plan: Plan): Prediction {
  const sink = new WarningSink();
  const model = resolveModel(plan.model, plan.patient, sink);
  const routing = routingFor(model.definition, plan.regimen);
  const { actions, grid } = planActions(plan, model, routing, DEFAULT_DOSE_LIMITS, sink);
  const metabolite = metaboliteRun(model.definition, model.parameters, model.structure);
  let trajectory: Trajectory;
  if (!metabolite && !routing) {
    const out = buffersFor(grid.count);
    runGrid(stepperFor(model.structure, model.ke0), actions, grid, out);
    trajectory = out;
  } else trajectory = simulateTrajectory(model.structure, model.ke0, actions, grid, metabolite, routing);
  const prediction: Prediction = { trajectory, model, actions, warnings: sink.list() };
  const problem = nonFiniteProblem(plan, prediction);
  if (problem) throw new Unpredictable([problem]);
  return prediction;
}

function evaluate(plan: Plan): Entry {
  const key = JSON.stringify(plan);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    hit.usedIn = request;
    return hit;
  }
  const p = predictPlan(plan);
  const bands = bandsForPlan(plan.thresholds, plan.model).map((b) =>
    b.highNgMl === undefined ? { id: b.id, lowNgMl: b.lowNgMl } : { id: b.id, lowNgMl: b.lowNgMl, highNgMl: b.highNgMl },
  );
  const def = p.model.definition;
  const entry: Entry = {
    trajectory: p.trajectory,
    metrics: null,
    weightKg: plan.patient.weightKg,
    usedIn: request,
    bands,
    bandSet: bandSetInfo(plan.model),
    model: {
      id: def?.id ?? null,
      name: def?.name ?? 'Custom model',
      ke0PerMin: p.model.ke0,
      ke0Source: p.model.ke0Source,
      parameters: { ...p.model.parameters },
      metabolite:
        def?.metabolite && p.trajectory.cm
          ? {
              name: def.metabolite.name,
              volume: def.metabolite.volume,
              amount: def.metabolite.amount,
              source: def.metabolite.source,
              citation: def.citation,
              note: def.metabolite.note,
            }
          : null,
    },
    warnings: p.warnings,
    actions: p.actions.map((a) => ({ ...a })),
  };
  cache.set(key, entry);
  let points = 0;
  for (const e of cache.values()) points += e.trajectory.t.length;
  while (cache.size > 1 && (cache.size > CACHE_SIZE || points > CACHE_POINTS)) {
    const oldest = cache.keys().next().value as string;
    const gone = cache.get(oldest)!;
    points -= gone.trajectory.t.length;
    cache.delete(oldest);
    if (!gone.trajectory.cm && gone.trajectory.t.length <= SPARE_MAX_POINTS) {
      spare.push({ trajectory: gone.trajectory, usedIn: gone.usedIn });
      if (spare.length > SPARE_SIZE) spare.shift();
    }
  }
  return entry;
}

/** An entry's metrics against its bands (engine computeMetrics on the full trajectory), computed once and kept with the entry. */
function metricsOf(e: Entry): Metrics {
  e.metrics ??= computeMetrics(e.trajectory, e.bands, e.actions, e.weightKg);
  return e.metrics;
}

/** Wall time of each step of a simulate request inside the worker, ms (for the dashboard bench). */
export interface SimulatePhases {
  /** parsePlan of every plan. */
  readonly validateMs: number;
  /** Prediction (model resolution, warnings, stepping, the finiteness check); 0 for plans found in the cache. */
  readonly predictMs: number;
  /** Min/max reduction to the window (and the full-resolution copies when asked). */
  readonly reduceMs: number;
  /** computeMetrics on the full trajectories (0 when they were cached). */
  readonly metricsMs: number;
}

/** What `simulate` sends before the metrics: everything but them (`simulateSeries`, then `simulateMetrics`). */
export type ScenarioSeriesOk = Omit<ScenarioOk, 'metrics'>;
export type ScenarioSeriesOutcome = ScenarioSeriesOk | ScenarioInvalid;
export interface SimulateSeriesResponse extends Omit<SimulateResponse, 'outcomes'> {
  readonly outcomes: readonly ScenarioSeriesOutcome[];
  readonly phases: SimulatePhases;
}

/** The window a request shows: its view, else 0 to the longest valid horizon, else the fallback. */
function domainOf(req: SimulateRequest, parsed: readonly ReturnType<typeof parsePlan>[]): TimeWindow {
  let horizon = 0;
  for (const r of parsed) if (r.ok) horizon = Math.max(horizon, r.plan.horizonMin);
  return req.view && req.view.endMin > req.view.startMin
    ? { startMin: req.view.startMin, endMin: req.view.endMin }
    : horizon > 0
      ? { startMin: 0, endMin: horizon }
      : FALLBACK_DOMAIN;
}

/**
 * Validate, predict (or find in the cache) and reduce every plan of a request: the outcomes without
 * their metrics, and the entries (null where invalid) so the metrics can follow.
 */
function seriesOutcomes(req: SimulateRequest): {
  outcomes: ScenarioSeriesOutcome[];
  entries: (Entry | null)[];
  domain: TimeWindow;
  phases: SimulatePhases;
} {
  const t0 = performance.now();
  request++;
  const parsed = req.plans.map((p) => parsePlan(p, MODEL_IDS));
  const domain = domainOf(req, parsed);
  const buckets = Math.max(16, Math.min(8192, Math.round(req.buckets) || 0));
  const t1 = performance.now();
  let predictMs = 0;
  const entries: (Entry | null)[] = [];
  const outcomes = parsed.map((r, i): ScenarioSeriesOutcome => {
    entries.push(null);
    if (!r.ok) return { ok: false, problems: r.problems };
    let e: Entry;
    const tp = performance.now();
    try {
      e = evaluate(r.plan);
    } catch (err) {
      if (err instanceof Unpredictable) return { ok: false, problems: err.problems };
      // An engine failure on a valid plan is a bug; report it on the plan rather than losing every result.
      return {
        ok: false,
        problems: [{ path: 'plan', message: `the engine could not predict this plan: ${(err as Error).message}` }],
      };
    } finally {
      predictMs += performance.now() - tp;
    }
    entries[i] = e;
    const wantFull = req.full && i === 0 && e.trajectory.t.length <= MAX_FULL_POINTS;
    return {
      ok: true,
      plan: r.plan,
      series: reduceToWindow(e.trajectory, domain, buckets),
      gridPoints: e.trajectory.t.length,
      bands: e.bands,
      bandSet: e.bandSet,
      model: e.model,
      warnings: e.warnings,
      actions: e.actions,
      full: wantFull
        ? {
            cp: e.trajectory.cp.slice(),
            ce: e.trajectory.ce.slice(),
            ...(e.trajectory.cm && { cm: e.trajectory.cm.slice() }),
            resolutionSec: r.plan.resolutionSec,
          }
        : null,
    };
  });
  const reduceMs = performance.now() - t1 - predictMs;
  return { outcomes, entries, domain, phases: { validateMs: t1 - t0, predictMs, reduceMs, metricsMs: 0 } };
}

/** Reduce a trajectory to the window at `buckets` pixel columns, min/max per bucket. */
export function reduceToWindow(tr: Trajectory, window: TimeWindow, buckets: number): Series {
  const cm = tr.cm;
  const idx = minMaxIndices(tr.t, cm ? [tr.cp, tr.ce, cm] : [tr.cp, tr.ce], window.startMin, window.endMin, buckets);
  const s = { t: gather(tr.t, idx), cp: gather(tr.cp, idx), ce: gather(tr.ce, idx) };
  return cm ? { ...s, cm: gather(cm, idx) } : s;
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

function transferables(outcomes: readonly ScenarioSeriesOutcome[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const o of outcomes) {
    if (!o.ok) continue;
    out.push(o.series.t.buffer as ArrayBuffer, o.series.cp.buffer as ArrayBuffer, o.series.ce.buffer as ArrayBuffer);
    if (o.series.cm) out.push(o.series.cm.buffer as ArrayBuffer);
    if (o.full) out.push(o.full.cp.buffer as ArrayBuffer, o.full.ce.buffer as ArrayBuffer);
    if (o.full?.cm) out.push(o.full.cm.buffer as ArrayBuffer);
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
   * the window at pixel resolution. Buffers are transferred. (The dashboard sends `simulateSeries` and
   * `simulateMetrics` instead, so an edit's curve leaves the worker before its metrics are computed;
   * together they give exactly this answer.)
   */
  async simulate(req: SimulateRequest): Promise<SimulateResponse> {
    const t0 = performance.now();
    const { outcomes, entries, domain, phases } = seriesOutcomes(req);
    const tm = performance.now();
    const full = outcomes.map((o, i): ScenarioOutcome => (o.ok ? { ...o, metrics: metricsOf(entries[i]!) } : o));
    const res: SimulateResponse & { phases: SimulatePhases } = {
      outcomes: full,
      domain,
      computedIn: scopeName(),
      workerMs: performance.now() - t0,
      phases: { ...phases, metricsMs: performance.now() - tm },
    };
    return Comlink.transfer(res, transferables(outcomes));
  },

  /**
   * The first half of `simulate`: every outcome without its metrics (validation, prediction, reduction
   * to the window), so the curve can be drawn while the metrics are computed. Buffers are transferred.
   */
  async simulateSeries(req: SimulateRequest): Promise<SimulateSeriesResponse> {
    const t0 = performance.now();
    const { outcomes, domain, phases } = seriesOutcomes(req);
    const res: SimulateSeriesResponse = { outcomes, domain, computedIn: scopeName(), workerMs: performance.now() - t0, phases };
    return Comlink.transfer(res, transferables(outcomes));
  },

  /**
   * The second half of `simulate`: the metrics of each plan (null for a plan that is not valid or cannot
   * be predicted), from the prediction cache that `simulateSeries` just filled (recomputed if evicted).
   */
  async simulateMetrics(plans: readonly unknown[]): Promise<{ metrics: (Metrics | null)[]; workerMs: number }> {
    const t0 = performance.now();
    request++;
    const metrics = plans.map((p) => {
      const r = parsePlan(p, MODEL_IDS);
      if (!r.ok) return null;
      try {
        return metricsOf(evaluate(r.plan));
      } catch {
        return null; // the series request reported this plan's problems
      }
    });
    return { metrics, workerMs: performance.now() - t0 };
  },

  /**
   * The full-resolution cp and ce (ng/mL) of one plan, at t_j = j·resolutionSec/60 min, for the hover
   * readout (from the prediction cache, so right after `simulate` nothing is recomputed). Buffers are
   * transferred. A plan that is not valid, cannot be predicted, or has more than MAX_FULL_POINTS grid
   * points gets a reason instead.
   */
  async fullSeries(input: unknown): Promise<FullSeriesOutcome> {
    request++;
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
    const cm = e.trajectory.cm?.slice();
    return Comlink.transfer(
      { ok: true, cp, ce, ...(cm && { cm }), resolutionSec: r.plan.resolutionSec },
      cm ? [cp.buffer, ce.buffer, cm.buffer] : [cp.buffer, ce.buffer],
    );
  },

  /** The prediction of a plan as CSV, the same columns and number format as the CLI (t_min, cp and ce in ng/mL; cm_ng_ml for a model with a metabolite). */
  async csv(input: unknown): Promise<string> {
    request++;
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

  /** The non-IV routes of each registry model (dosage form, device rule and its source), for the regimen editor (workers/stop-comparison-api.ts). */
  async routes(): Promise<RouteTable> {
    return routeTable();
  },

  /**
   * "IV can be stopped, intranasal cannot" (engine/research/stop-comparison.ts on the preset of
   * engine/pd/presets.ts) with the chosen decision minute and IV dose: the engine's numbers and both
   * stopped Ce curves at pixel resolution (workers/stop-comparison-api.ts). Buffers are transferred.
   */
  async stopComparison(req: StopComparisonRequest): Promise<StopComparisonView> {
    const v = stopComparisonView(req);
    return v.ok
      ? Comlink.transfer(
          v,
          v.regimens.flatMap((r) => [r.t.buffer as ArrayBuffer, r.ce.buffer as ArrayBuffer]),
        )
      : v;
  },

  /** Where this API runs (`DedicatedWorkerGlobalScope` inside the app's worker). */
  async whereAmI(): Promise<string> {
    return scopeName();
  },
};

/** The worker's API as the client sees it (types come from the implementation, DESIGN.md rule 7). */
export type SimulationApi = typeof api;
