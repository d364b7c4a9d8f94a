// `api` for the live worker: `now` (the readout), `analyze` (course, what-ifs), `plan` (titration), `personalBand`, `sessionDoses`; problems never throw.
import { scopeName } from './scope.ts';
import * as Comlink from 'comlink';
import { MODEL_IDS } from '../engine/models/registry.ts';
import { parsePlan, type Band, type DoseEvent, type Plan, type Problem } from '../engine/plan.ts';
import { bandsForPlan } from '../engine/pd/bands.ts';
import { gather, minMaxIndices } from '../engine/decimate.ts';
import type { Metrics } from '../engine/metrics.ts';
import type { Trajectory } from '../engine/simulate.ts';
import { isRateUnit, type RateUnit } from '../engine/units.ts';
import {
  analyzeLive,
  buildCourse,
  currentActions,
  LiveTracker,
  liveKernel,
  type LogEntry,
  type NowState,
  parseSessionLog,
  sessionDose,
  SESSION_DOSE_STATUSES,
  type BandCrossing,
  type SessionDose,
  type SessionDoseStatus,
  type SessionLog,
  type PumpState,
  type WhatIfChange,
  type WhatIfResult,
} from '../engine/live/index.ts';
import {
  checkTitrationRequest,
  planTitration,
  type TitrationProposal,
  type TitrationUnreachable,
  type PumpSettings,
  type TitrationMode,
} from '../engine/tci/index.ts';
import { checkPersonalBandInput, personalBand, type PersonalBand, type PersonalBandInput } from '../engine/pd/personal-band.ts';

/**
 * The live-mode API: plain async functions over engine/live (with the Course view's per-session doses),
 * engine/tci and engine/pd/personal-band, run inside the live worker (workers/live.worker.ts exposes
 * this object through comlink) and callable directly in tests. Inputs arrive as the UI holds them and are validated here; an invalid input is an
 * answer with problems naming the field (never a throw), so a bad value typed in the UI cannot crash
 * the worker or the view. Result buffers are handed over with Comlink.transfer, never cloned.
 */

/** A decimated series: t (min), cp and ce (ng/mL), real samples only (min/max per pixel column). */
export interface LiveSeries {
  readonly t: Float64Array;
  readonly cp: Float64Array;
  readonly ce: Float64Array;
}

/** A rate for an "if set to X now" what-if, as typed (validated here). */
export interface WhatIfRate {
  readonly rate: number;
  readonly unit: string;
}

export interface LiveAnalyzeRequest {
  /** The session's plan (docs/PLAN-FORMAT.md), validated here with parsePlan. */
  readonly plan: unknown;
  /** The session's live log entries (engine/live/log.ts), validated here by replay. */
  readonly log: unknown;
  /** Session minutes now: (Date.now() − startEpochMs) / 60000. */
  readonly nowMin: number;
  /** Pixel columns of the plot: every series is reduced to about this many min/max buckets. */
  readonly buckets: number;
  /** Rates for "if set to X now" (default none). */
  readonly whatIfRates?: readonly WhatIfRate[];
  /** The paused what-if resumes after this many minutes (default: no resume). */
  readonly pauseResumeAfterMin?: number;
  /** How far each what-if is followed, min (default 120). */
  readonly whatIfHorizonMin?: number;
}

/** One what-if as the view needs it: its decimated ghost curve and when Ce leaves the dissociation band. */
export type WhatIfView =
  | {
      readonly ok: true;
      readonly change: WhatIfChange;
      /** From now to now + horizon. */
      readonly series: LiveSeries;
      /** The dissociation band's low bound, ng/mL (null when the plan's bands have no `dissociation`). */
      readonly lowNgMl: number | null;
      /** Minutes from now until Ce is below the low bound for good (0: already below), null: not within the horizon. */
      readonly minutesToLeave: number | null;
      readonly peakCeNgMl: number;
      readonly peakCeMin: number;
      readonly horizonMin: number;
    }
  | { readonly ok: false; readonly change: WhatIfChange | null; readonly problems: readonly Problem[] };

export interface LiveAnalysis {
  readonly ok: true;
  readonly nowMin: number;
  readonly pump: PumpState;
  /** What was given up to now, and what the pump will give after now if nothing more is recorded. */
  readonly given: readonly DoseEvent[];
  readonly forecast: readonly DoseEvent[];
  readonly givenMg: number;
  /** The chart's time window, min: 0 … max(plan horizon, now + 120). */
  readonly domain: { readonly startMin: number; readonly endMin: number };
  /** The course up to the grid point at or before now (solid), and from that point on (dashed). */
  readonly givenSeries: LiveSeries;
  readonly forecastSeries: LiveSeries;
  /** Grid points of the whole course (before decimation). */
  readonly gridPoints: number;
  readonly crossings: readonly BandCrossing[];
  readonly metrics: Metrics;
  readonly bands: readonly Band[];
  readonly whatIfs: { readonly paused: WhatIfView; readonly stopped: WhatIfView; readonly rates: readonly WhatIfView[] };
  /** Where this was computed (`DedicatedWorkerGlobalScope` in the app) and how long it took, ms. */
  readonly computedIn: string;
  readonly workerMs: number;
}
export type LiveAnalyzeResponse = LiveAnalysis | { readonly ok: false; readonly problems: readonly Problem[] };

/** A titration request as the planner panel holds it (patient and model come with a plan, validated here). */
export interface PlannerRequest {
  /** Patient and model: `{ patient, model }` in plan format (the regimen is not used). */
  readonly patient: unknown;
  readonly model: unknown;
  /** Window, ng/mL; absent = the dissociation band. */
  readonly window?: { readonly lowNgMl: number; readonly highNgMl: number };
  readonly reachMin: number;
  readonly durationMin: number;
  readonly mode?: TitrationMode;
  readonly maxCpNgMl?: number;
  readonly pump?: Partial<Omit<PumpSettings, 'unit'>> & { readonly unit?: string };
  /** End of the returned prediction, min (default durationMin + 60: shows the fall after the stop). */
  readonly horizonMin?: number;
  readonly resolutionSec?: number;
}

/**
 * The planner's answer across the worker boundary: the engine's result (engine/tci) without its
 * search statistics, tagged by kind, with the worker's time; or the request's problems.
 */
export type PlannerResponse =
  | (Omit<TitrationProposal, 'ok' | 'search'> & { readonly kind: 'proposal'; readonly workerMs: number })
  | (Omit<TitrationUnreachable, 'ok' | 'search'> & { readonly kind: 'unreachable'; readonly workerMs: number })
  | { readonly kind: 'invalid'; readonly problems: readonly Problem[] };

export type PersonalBandResponse =
  | { readonly ok: true; readonly band: PersonalBand }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** One session as the Course view holds it (validated here, field by field). */
export interface SessionDoseItem {
  /** The session's id: the key of its answer (a non-empty string, unique in the request). */
  readonly id: string;
  /** The session's plan (docs/PLAN-FORMAT.md), validated here with parsePlan. */
  readonly plan: unknown;
  /** The session's live log entries (engine/live/log.ts `SessionLog.entries`), validated here by replay. */
  readonly log: unknown;
  /** 'planned' (dose of the plan), 'running' or 'finished' (what was given up to `endMin`). */
  readonly status: string;
  /** End of the session in session minutes: its end when finished, now when running; not used (null) when planned. */
  readonly endMin: number | null;
}

/**
 * One session's answer: its dose and peak Ce, or its problems with paths relative to the item
 * (`plan.patient.weightKg`, `log[2].action.rate`, `status`, `endMin`).
 */
export type SessionDoseAnswer =
  | { readonly id: string; readonly ok: true; readonly dose: SessionDose }
  | { readonly id: string; readonly ok: false; readonly problems: readonly Problem[] };

/**
 * One answer per item in request order; or, when the list itself cannot be answered item by item (not
 * a list, an item that is not an object, a missing or repeated id), its problems (`items`, `items[3].id`).
 */
export type SessionDosesResponse =
  | { readonly ok: true; readonly doses: readonly SessionDoseAnswer[]; readonly workerMs: number }
  | { readonly ok: false; readonly problems: readonly Problem[] };

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : String(v));

/** Reduce part of a trajectory (indices [from, to]) to about `buckets` columns of the window. */
function reduce(tr: Trajectory, from: number, to: number, buckets: number): LiveSeries {
  if (to < from) return { t: new Float64Array(0), cp: new Float64Array(0), ce: new Float64Array(0) };
  const t = tr.t.subarray(from, to + 1),
    cp = tr.cp.subarray(from, to + 1),
    ce = tr.ce.subarray(from, to + 1);
  const idx = minMaxIndices(t, [cp, ce], t[0], t[t.length - 1], Math.max(1, buckets));
  return { t: gather(t, idx), cp: gather(cp, idx), ce: gather(ce, idx) };
}

const seriesBuffers = (s: LiveSeries): ArrayBuffer[] => [
  s.t.buffer as ArrayBuffer,
  s.cp.buffer as ArrayBuffer,
  s.ce.buffer as ArrayBuffer,
];

function whatIfView(w: WhatIfResult, buckets: number, horizonMin: number): WhatIfView {
  if (!w.ok) return { ok: false, change: w.change, problems: w.problems };
  return {
    ok: true,
    change: w.change,
    series: reduce(w.trajectory, 0, w.trajectory.t.length - 1, buckets),
    lowNgMl: w.lowNgMl,
    minutesToLeave: w.minutesToLeave,
    peakCeNgMl: w.peakCeNgMl,
    peakCeMin: w.peakCeMin,
    horizonMin,
  };
}

/** One session's dose and peak Ce (engine/live/session-dose.ts), or its problems naming the item's field. */
function sessionDoseAnswer(item: SessionDoseItem): SessionDoseAnswer {
  const { id } = item;
  const refuse = (problems: readonly Problem[]): SessionDoseAnswer => ({ id, ok: false, problems });
  const p = parsePlan(item.plan, MODEL_IDS);
  if (!p.ok) return refuse(p.problems.map((x) => ({ path: `plan.${x.path}`, message: x.message })));
  const problems: Problem[] = [];
  const status = item.status as SessionDoseStatus;
  if (!SESSION_DOSE_STATUSES.includes(status))
    problems.push({ path: 'status', message: `must be one of ${SESSION_DOSE_STATUSES.join(', ')}, got ${show(item.status)}` });
  else if (status !== 'planned' && (!finite(item.endMin) || item.endMin < 0)) {
    problems.push({
      path: 'endMin',
      message: `a ${status} session needs its end, a finite number ≥ 0 (session minutes), got ${show(item.endMin)}`,
    });
  }
  const log = parseSessionLog(p.plan, item.log, 'log');
  if (!log.ok) problems.push(...log.problems);
  if (problems.length > 0 || !log.ok) return refuse(problems);
  try {
    liveKernel(p.plan);
  } catch (e) {
    return refuse([{ path: 'plan.model', message: `the model cannot be resolved for this patient: ${(e as Error).message}` }]);
  }
  try {
    return { id, ok: true, dose: sessionDose(p.plan, log.log, status, status === 'planned' ? null : item.endMin) };
  } catch (e) {
    return refuse([{ path: 'plan', message: `the dose could not be computed: ${(e as Error).message}` }]);
  }
}

/** Validate the request's plan and log; problems name the field (`plan.patient.weightKg`, `log[2].action.rate`). */
function parseLiveInput(req: LiveAnalyzeRequest): { ok: true; plan: Plan; log: SessionLog } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const p = parsePlan(req.plan, MODEL_IDS);
  if (!p.ok) return { ok: false, problems: p.problems.map((x) => ({ path: `plan.${x.path}`, message: x.message })) };
  if (!finite(req.nowMin) || req.nowMin < 0)
    problems.push({ path: 'nowMin', message: `must be a finite number ≥ 0 (session minutes), got ${show(req.nowMin)}` });
  const log = parseSessionLog(p.plan, req.log, 'log');
  if (!log.ok) problems.push(...log.problems);
  if (problems.length > 0 || !log.ok) return { ok: false, problems };
  return { ok: true, plan: p.plan, log: log.log };
}

/** The once-a-second readout's input: the session's plan and log as stored, and the session minute. */
export interface LiveNowRequest {
  readonly plan: Plan;
  readonly log: readonly LogEntry[];
  readonly nowMin: number;
}

/** The exact now-state (engine/live/tracker.ts), or why it cannot be computed. */
export type LiveNowResponse = { readonly ok: true; readonly now: NowState } | { readonly ok: false; readonly message: string };

/** The tracker of the last plan and log (a tracker is built once per log change and kept between ticks). */
let tracked: { key: string; tracker: LiveTracker | string } | null = null;

function trackerFor(plan: Plan, log: readonly LogEntry[]): LiveTracker | string {
  const key = JSON.stringify([plan, log]);
  if (tracked?.key === key) return tracked.tracker;
  let tracker: LiveTracker | string;
  try {
    const { kernel } = liveKernel(plan);
    const course = buildCourse(plan, currentActions({ entries: [...log] }));
    tracker = course.problems.length
      ? course.problems.map((p) => `${p.path}: ${p.message}`).join('; ')
      : new LiveTracker(kernel, course);
  } catch (e) {
    tracker = (e as Error).message;
  }
  tracked = { key, tracker };
  return tracker;
}

export const api = {
  /**
   * The live readout at session minute `nowMin` (engine/live LiveTracker: exact, incremental, kept between
   * ticks while the log is unchanged): Cp, Ce, pump, given so far, bands and the next crossing.
   */
  async now(req: LiveNowRequest): Promise<LiveNowResponse> {
    const tracker = trackerFor(req.plan, req.log);
    if (typeof tracker === 'string') return { ok: false, message: tracker };
    try {
      return { ok: true, now: tracker.now(req.nowMin) };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  },

  /**
   * The live session's analysis for the chart and the what-if panel (engine/live analyzeLive): the
   * course given up to now and forecast after it, every band crossing ahead, metrics, and the paused,
   * stopped and "set to X" what-ifs with their time to leave the dissociation band. Series are reduced
   * to the plot's pixel width; buffers are transferred.
   */
  async analyze(req: LiveAnalyzeRequest): Promise<LiveAnalyzeResponse> {
    const t0 = performance.now();
    const input = parseLiveInput(req);
    if (!input.ok) return { ok: false, problems: input.problems };
    const { plan, log } = input;
    const buckets = Math.max(16, Math.min(8192, Math.round(finite(req.buckets) ? req.buckets : 0) || 0));
    const rates: { rate: number; unit: RateUnit }[] = [];
    const rateProblems: (Problem | null)[] = [];
    for (const [i, r] of (req.whatIfRates ?? []).entries()) {
      if (!finite(r.rate) || r.rate < 0)
        rateProblems.push({ path: `whatIfRates[${i}].rate`, message: `must be a finite number ≥ 0, got ${show(r.rate)}` });
      else if (typeof r.unit !== 'string' || !isRateUnit(r.unit))
        rateProblems.push({ path: `whatIfRates[${i}].unit`, message: `unknown rate unit ${show(r.unit)}` });
      else {
        rates.push({ rate: r.rate, unit: r.unit });
        rateProblems.push(null);
      }
    }
    const whatIfHorizonMin = finite(req.whatIfHorizonMin) && req.whatIfHorizonMin > 0 ? req.whatIfHorizonMin : 120;
    const pauseResume = finite(req.pauseResumeAfterMin) && req.pauseResumeAfterMin >= 0 ? req.pauseResumeAfterMin : undefined;
    let f: ReturnType<typeof analyzeLive>;
    try {
      f = analyzeLive(plan, log, req.nowMin, {
        whatIfRates: rates,
        ...(pauseResume !== undefined && { pauseResumeAfterMin: pauseResume }),
        whatIf: { horizonMin: whatIfHorizonMin },
      });
    } catch (e) {
      return { ok: false, problems: [{ path: 'log', message: `the session could not be analysed: ${(e as Error).message}` }] };
    }
    const tr = f.trajectory;
    const last = tr.t.length - 1;
    const domain = { startMin: 0, endMin: tr.t[last] };
    // Split the pixel budget between the given and the forecast parts by their share of the window.
    const share = domain.endMin > 0 ? Math.min(1, Math.max(0, f.nowMin / domain.endMin)) : 0;
    const givenSeries = reduce(tr, 0, f.nowIndex, Math.max(1, Math.round(buckets * share)));
    const forecastSeries = reduce(tr, f.nowIndex, last, Math.max(1, Math.round(buckets * (1 - share))));
    const ghostBuckets = Math.max(1, Math.round((buckets * whatIfHorizonMin) / Math.max(domain.endMin, 1e-9)));
    let ri = 0;
    const rateViews: WhatIfView[] = rateProblems.map((p) =>
      p ? { ok: false, change: null, problems: [p] } : whatIfView(f.whatIfs.rates[ri++], ghostBuckets, whatIfHorizonMin),
    );
    const res: LiveAnalysis = {
      ok: true,
      nowMin: f.nowMin,
      pump: f.pump,
      given: f.given,
      forecast: f.forecast,
      givenMg: f.givenMg,
      domain,
      givenSeries,
      forecastSeries,
      gridPoints: tr.t.length,
      crossings: f.crossings,
      metrics: f.metrics,
      bands: bandsForPlan(plan.thresholds, plan.model).map((b) =>
        b.highNgMl === undefined ? { id: b.id, lowNgMl: b.lowNgMl } : { id: b.id, lowNgMl: b.lowNgMl, highNgMl: b.highNgMl },
      ),
      whatIfs: {
        paused: whatIfView(f.whatIfs.paused, ghostBuckets, whatIfHorizonMin),
        stopped: whatIfView(f.whatIfs.stopped, ghostBuckets, whatIfHorizonMin),
        rates: rateViews,
      },
      computedIn: scopeName(),
      workerMs: performance.now() - t0,
    };
    const buffers = [...seriesBuffers(givenSeries), ...seriesBuffers(forecastSeries)];
    for (const w of [res.whatIfs.paused, res.whatIfs.stopped, ...res.whatIfs.rates])
      if (w.ok) buffers.push(...seriesBuffers(w.series));
    return Comlink.transfer(res, buffers);
  },

  /**
   * The titration planner (engine/tci planTitration) for the patient and model of a plan: a
   * pump-programmable regimen with its exact prediction and metrics, or the unreachable code with its
   * reasons, or the request's problems (each naming its field) when it is invalid.
   */
  async plan(req: PlannerRequest): Promise<PlannerResponse> {
    const t0 = performance.now();
    const base = parsePlan({ patient: req.patient, model: req.model, regimen: [], horizonMin: 1, resolutionSec: 60 }, MODEL_IDS);
    const problems: Problem[] = base.ok
      ? []
      : base.problems.filter((p) => p.path.startsWith('patient') || p.path.startsWith('model'));
    const pump = req.pump ?? {};
    if (pump.unit !== undefined && (typeof pump.unit !== 'string' || !isRateUnit(pump.unit)))
      problems.push({ path: 'pump.unit', message: `unknown rate unit ${show(pump.unit)}` });
    if (problems.length > 0 || !base.ok) return { kind: 'invalid', problems };
    const durationMin = req.durationMin;
    const request = {
      patient: base.plan.patient,
      model: base.plan.model,
      ...(req.window !== undefined && { window: req.window }),
      reachMin: req.reachMin,
      durationMin,
      ...(req.mode !== undefined && { mode: req.mode }),
      ...(req.maxCpNgMl !== undefined && { maxCpNgMl: req.maxCpNgMl }),
      pump: { ...pump, ...(pump.unit !== undefined && { unit: pump.unit as RateUnit }) } as Partial<PumpSettings>,
      horizonMin: req.horizonMin ?? (finite(durationMin) ? durationMin + 60 : undefined),
      ...(req.resolutionSec !== undefined && { resolutionSec: req.resolutionSec }),
    };
    const checked = checkTitrationRequest(request);
    if (checked.length > 0) return { kind: 'invalid', problems: checked };
    let r: ReturnType<typeof planTitration>;
    try {
      r = planTitration(request);
    } catch (e) {
      // A valid request the planner cannot handle is a bug; report it as an answer, not a crash.
      return { kind: 'invalid', problems: [{ path: 'planner', message: `the planner failed: ${(e as Error).message}` }] };
    }
    const workerMs = performance.now() - t0;
    if (!r.ok)
      return {
        kind: 'unreachable',
        settings: r.settings,
        model: r.model,
        code: r.code,
        reasons: r.reasons,
        warnings: r.warnings,
        workerMs,
      };
    const res: PlannerResponse = {
      kind: 'proposal',
      settings: r.settings,
      model: r.model,
      regimen: r.regimen,
      steps: r.steps,
      trajectory: r.trajectory,
      metrics: r.metrics,
      warnings: r.warnings,
      workerMs,
    };
    return Comlink.transfer(res, [
      r.trajectory.t.buffer as ArrayBuffer,
      r.trajectory.cp.buffer as ArrayBuffer,
      r.trajectory.ce.buffer as ArrayBuffer,
    ]);
  },

  /**
   * A patient's own dissociation band (engine/pd/personal-band.ts): Ce and Cp at each reported onset
   * from what was actually given, and their summary; or the input's problems naming each field.
   */
  async personalBand(input: PersonalBandInput): Promise<PersonalBandResponse> {
    try {
      const problems = checkPersonalBandInput(input, MODEL_IDS);
      if (problems.length > 0) return { ok: false, problems };
      return { ok: true, band: personalBand(input, MODEL_IDS) };
    } catch (e) {
      return {
        ok: false,
        problems: [{ path: 'sessions', message: `the personal band could not be computed: ${(e as Error).message}` }],
      };
    }
  },

  /**
   * Dose and peak Ce of each session of a course (engine/live/session-dose.ts): what was given up to
   * the session's end (now for a running one), or the plan for a planned one, with the peak Ce up to
   * 120 min after the end. One answer per session, keyed by its id; a bad session is refused on its
   * own with its problems, the others stand.
   */
  async sessionDoses(items: readonly SessionDoseItem[]): Promise<SessionDosesResponse> {
    const t0 = performance.now();
    if (!Array.isArray(items))
      return { ok: false, problems: [{ path: 'items', message: `must be a list of sessions, got ${show(items)}` }] };
    const problems: Problem[] = [];
    const seen = new Set<string>();
    items.forEach((item: unknown, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item))
        problems.push({ path: `items[${i}]`, message: `must be a session object, got ${show(item)}` });
      else {
        const id = (item as { id?: unknown }).id;
        if (typeof id !== 'string' || id === '')
          problems.push({ path: `items[${i}].id`, message: `must be a non-empty string (the session's id), got ${show(id)}` });
        else if (seen.has(id))
          problems.push({ path: `items[${i}].id`, message: `repeats the id ${show(id)} of an earlier session` });
        else seen.add(id);
      }
    });
    if (problems.length > 0) return { ok: false, problems };
    const doses = items.map((item) => {
      try {
        return sessionDoseAnswer(item);
      } catch (e) {
        // Validation itself failed on a malformed value: report it as this session's answer, not a crash.
        return {
          id: item.id,
          ok: false as const,
          problems: [{ path: 'session', message: `the session could not be read: ${(e as Error).message}` }],
        };
      }
    });
    return { ok: true, doses, workerMs: performance.now() - t0 };
  },

  /** Where this API runs (`DedicatedWorkerGlobalScope` inside the app's live worker). */
  async whereAmI(): Promise<string> {
    return scopeName();
  },
};

/** The live worker's API as the client sees it (types come from the implementation, DESIGN.md rule 7). */
export type LiveApi = typeof api;
