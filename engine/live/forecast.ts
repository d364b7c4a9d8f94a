// `analyzeLive` (course trajectory, crossings) and `whatIf`/`whatIfForPlan` uncommitted what-ifs, for the worker.
import type { DoseAction } from '../dosing/actions.ts';
import { computeMetrics, type Metrics } from '../metrics.ts';
import type { Band, DoseEvent, Plan, Problem } from '../plan.ts';
import { bandsForPlan } from '../pd/bands.ts';
import { runGrid, type Trajectory } from '../simulate.ts';
import type { Stepper } from '../pk/stepper.ts';
import { mgPerLToNgPerMl, ngPerMlToMgPerL, type NgPerMl, type RateUnit } from '../units.ts';
import { buildCourse, forecastRegimen, givenMg, givenRegimen, pumpAt, type Course, type PumpState } from './course.ts';
import { CourseScanner, cursorAt, type Cursor } from './crossings.ts';
import type { RepeatingKernel } from './kernel.ts';
import { currentActions, recordAction, type SessionLog } from './log.ts';
import { bandLevels, liveKernel, type BandCrossing } from './tracker.ts';

/**
 * The heavy part of live mode, meant for the worker and run when the log changes (and, for the
 * what-ifs, when the user asks or every few seconds): the whole course on a grid, every band crossing
 * in a window, and what-if trajectories that are never committed to the log. Everything returned is
 * plain data (numbers, strings, Float64Arrays), so it crosses a worker boundary as is.
 */

/** A stepper over a kernel and a state it does not own, so `runGrid` can start from any state. */
function stepperOver(kernel: RepeatingKernel, state: Float64Array): Stepper {
  return {
    reset: () => state.fill(0),
    advance: (h, rate) => kernel.advance(state, h, rate),
    bolus: (mg) => kernel.bolus(state, mg),
    cp: () => kernel.cp(state),
    ce: () => kernel.ce(state),
  };
}

/**
 * The trajectory (t in session minutes, cp and ce in ng/mL) on the grid t₀ + j·Δ (j = 0 … count−1)
 * from a cursor at t₀, through the actions after t₀. Exact: the same `runGrid` as `predict`.
 */
export function trajectoryFrom(
  kernel: RepeatingKernel,
  from: Cursor,
  actions: readonly DoseAction[],
  resolutionSec: number,
  count: number,
): Trajectory {
  const t0 = from.t;
  const shifted: DoseAction[] = [{ t: 0, bolusMg: 0, rateMgPerMin: from.rateMgPerMin }];
  for (let i = from.next; i < actions.length; i++) shifted.push({ ...actions[i], t: actions[i].t - t0 });
  const out = { t: new Float64Array(count), cp: new Float64Array(count), ce: new Float64Array(count) };
  runGrid(stepperOver(kernel, Float64Array.from(from.state)), shifted, { resolutionSec, count }, out);
  for (let j = 0; j < count; j++) out.t[j] += t0;
  return out;
}

/** A hypothetical change at now, never written to the log. */
export type WhatIfChange =
  | { readonly kind: 'pause'; readonly resumeAfterMin?: number }
  | { readonly kind: 'stop' }
  | { readonly kind: 'rate'; readonly rate: number; readonly unit: RateUnit };

export interface WhatIfOptions {
  /** How far the what-if is followed, min (default 120). */
  readonly horizonMin?: number;
  /** Grid step of the trajectory, s (default the plan's). */
  readonly resolutionSec?: number;
  /** The band whose low bound "leaving" refers to (default `dissociation`). */
  readonly bandId?: string;
  /** Bands (default the plan's thresholds, else the drug's defaults). */
  readonly bands?: readonly Band[];
}

export type WhatIfResult =
  | {
      readonly ok: true;
      readonly change: WhatIfChange;
      readonly nowMin: number;
      /** From now to now + horizon. */
      readonly trajectory: Trajectory;
      /** The band's low bound, ng/mL (null when the band is not among the bands). */
      readonly lowNgMl: number | null;
      /**
       * Minutes from now until Ce is below the band's low bound for good within the horizon: 0 when it
       * is below from now on, null when it is at or above the bound at the horizon's end (or no band).
       */
      readonly minutesToLeave: number | null;
      /** Highest Ce from now to the horizon, ng/mL, and when (Ce lags: it can still rise after a pause). */
      readonly peakCeNgMl: number;
      readonly peakCeMin: number;
    }
  | { readonly ok: false; readonly change: WhatIfChange; readonly problems: readonly Problem[] };

/**
 * What would happen if `change` were made at `nowMin`: the log is extended in memory by the same
 * rules as a real record (so an impossible change, such as anything after a stop, is refused with
 * its problems) and the course is followed from the exact state at now.
 */
export function whatIf(
  kernel: RepeatingKernel,
  plan: Plan,
  log: SessionLog,
  nowMin: number,
  change: WhatIfChange,
  options: WhatIfOptions = {},
): WhatIfResult {
  const horizon = options.horizonMin ?? 120;
  const res = options.resolutionSec ?? plan.resolutionSec;
  const problems: Problem[] = [];
  if (!Number.isFinite(nowMin) || nowMin < 0)
    problems.push({ path: 'nowMin', message: `must be a finite number ≥ 0, got ${nowMin}` });
  if (!(horizon > 0) || !Number.isFinite(horizon))
    problems.push({ path: 'horizonMin', message: `must be a finite number > 0, got ${horizon}` });
  if (!(res > 0) || !Number.isFinite(res))
    problems.push({ path: 'resolutionSec', message: `must be a finite number > 0, got ${res}` });
  if (problems.length > 0) return { ok: false, change, problems };
  let r: ReturnType<typeof recordAction>;
  if (change.kind === 'rate')
    r = recordAction(plan, log, { kind: 'rate', atMin: nowMin, rate: change.rate, unit: change.unit }, nowMin);
  else r = recordAction(plan, log, { kind: change.kind, atMin: nowMin }, nowMin);
  if (r.ok && change.kind === 'pause' && change.resumeAfterMin !== undefined) {
    const at = nowMin + change.resumeAfterMin;
    r =
      Number.isFinite(change.resumeAfterMin) && change.resumeAfterMin >= 0
        ? recordAction(plan, r.log, { kind: 'resume', atMin: at }, at)
        : {
            ok: false as const,
            problems: [{ path: 'resumeAfterMin', message: `must be a finite number ≥ 0, got ${change.resumeAfterMin}` }],
          };
  }
  if (!r.ok) return { ok: false, change, problems: r.problems };
  const course = buildCourse(plan, currentActions(r.log));
  const from = cursorAt(kernel, course.actions, nowMin);
  const count = Math.floor((horizon * 60) / res + 1e-9) + 1;
  const trajectory = trajectoryFrom(kernel, from, course.actions, res, count);
  const band = (options.bands ?? bandsForPlan(plan.thresholds, plan.model)).find(
    (b) => b.id === (options.bandId ?? 'dissociation'),
  );
  let minutesToLeave: number | null = null;
  const low = band ? ngPerMlToMgPerL(band.lowNgMl as NgPerMl) : null;
  const scanner = new CourseScanner(kernel, course.actions, low === null ? [] : [low], from);
  const scan = scanner.scan(nowMin + horizon);
  let peak = kernel.ce(from.state),
    peakAt = nowMin;
  for (const e of scan.extrema)
    if (e.kind === 'max' && e.ceMgPerL > peak) {
      peak = e.ceMgPerL;
      peakAt = e.atMin;
    }
  const endCe = kernel.ce(scanner.cursor.state);
  if (endCe > peak) {
    peak = endCe;
    peakAt = scanner.cursor.t;
  }
  if (low !== null) {
    if (endCe < low) {
      const downs = scan.crossings.filter((x) => x.direction === 'down');
      minutesToLeave = downs.length > 0 ? downs[downs.length - 1].atMin - nowMin : 0;
    }
  }
  return {
    ok: true,
    change,
    nowMin,
    trajectory,
    lowNgMl: band ? band.lowNgMl : null,
    minutesToLeave,
    peakCeNgMl: mgPerLToNgPerMl(peak),
    peakCeMin: peakAt,
  };
}

/** `whatIf` for a plan (the kernel resolved from the plan's model and patient), for the worker. */
export function whatIfForPlan(
  plan: Plan,
  log: SessionLog,
  nowMin: number,
  change: WhatIfChange,
  options: WhatIfOptions = {},
): WhatIfResult {
  return whatIf(liveKernel(plan).kernel, plan, log, nowMin, change, options);
}

export interface LiveForecastOptions {
  /** End of the course trajectory, min (default max(plan horizon, now + 120)). */
  readonly untilMin?: number;
  /** Rates for "if set to X now" what-ifs (default none). */
  readonly whatIfRates?: readonly { readonly rate: number; readonly unit: RateUnit }[];
  /** Pause what-if with a resume after this many minutes (default: no resume). */
  readonly pauseResumeAfterMin?: number;
  readonly whatIf?: WhatIfOptions;
}

export interface LiveForecast {
  readonly nowMin: number;
  readonly pump: PumpState;
  /** What was given up to now, and what will be given after now if nothing more is recorded. */
  readonly given: readonly DoseEvent[];
  readonly forecast: readonly DoseEvent[];
  readonly givenMg: number;
  /** The whole course, 0 … untilMin on the plan's grid; `nowIndex` is the last point at or before now. */
  readonly trajectory: Trajectory;
  readonly nowIndex: number;
  /** Every band-bound crossing from now to untilMin, in time order. */
  readonly crossings: readonly BandCrossing[];
  /** Metrics of the whole course (peak, time in bands, …) over 0 … untilMin. */
  readonly metrics: Metrics;
  readonly whatIfs: {
    readonly paused: WhatIfResult;
    readonly stopped: WhatIfResult;
    readonly rates: readonly WhatIfResult[];
  };
}

/**
 * Everything the live chart and panel need beyond the tick, for the worker: the course (given and
 * forecast), its trajectory, all crossings after now, metrics, and the standard what-ifs. Throws only
 * for a log inconsistent with the plan (which the log functions never produce).
 */
export function analyzeLive(plan: Plan, log: SessionLog, nowMin: number, options: LiveForecastOptions = {}): LiveForecast {
  if (!Number.isFinite(nowMin) || nowMin < 0) throw new Error(`nowMin: must be a finite number ≥ 0, got ${nowMin}`);
  const course: Course = buildCourse(plan, currentActions(log));
  if (course.problems.length > 0) throw new Error(course.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  const { kernel } = liveKernel(plan);
  const until = options.untilMin ?? Math.max(plan.horizonMin, nowMin + 120);
  if (!(until >= nowMin) || !(until > 0) || !Number.isFinite(until))
    throw new Error(`untilMin: must be a finite number > 0 and ≥ nowMin (${nowMin}), got ${until}`);
  const count = Math.floor((until * 60) / plan.resolutionSec + 1e-9) + 1;
  const trajectory = trajectoryFrom(kernel, cursorAt(kernel, course.actions, 0), course.actions, plan.resolutionSec, count);
  const nowIndex = Math.min(count - 1, Math.max(0, Math.floor((nowMin * 60) / plan.resolutionSec + 1e-9)));
  const bands = options.whatIf?.bands ?? bandsForPlan(plan.thresholds, plan.model);
  const { levelsNgMl, levelsMgPerL, bounds } = bandLevels(bands);
  const scanner = new CourseScanner(kernel, course.actions, levelsMgPerL, cursorAt(kernel, course.actions, nowMin));
  const crossings: BandCrossing[] = scanner.scan(until).crossings.map((x) => ({
    atMin: x.atMin,
    inMin: x.atMin - nowMin,
    levelNgMl: levelsNgMl[x.level],
    direction: x.direction,
    bounds: bounds[x.level],
  }));
  const metrics = computeMetrics(trajectory, bands, course.actions, plan.patient.weightKg);
  const w = options.whatIf ?? {};
  return {
    nowMin,
    pump: pumpAt(course, nowMin),
    given: givenRegimen(course, nowMin),
    forecast: forecastRegimen(course, nowMin),
    givenMg: givenMg(course, nowMin),
    trajectory,
    nowIndex,
    crossings,
    metrics,
    whatIfs: {
      paused: whatIf(
        kernel,
        plan,
        log,
        nowMin,
        options.pauseResumeAfterMin === undefined
          ? { kind: 'pause' }
          : { kind: 'pause', resumeAfterMin: options.pauseResumeAfterMin },
        w,
      ),
      stopped: whatIf(kernel, plan, log, nowMin, { kind: 'stop' }, w),
      rates: (options.whatIfRates ?? []).map((r) =>
        whatIf(kernel, plan, log, nowMin, { kind: 'rate', rate: r.rate, unit: r.unit }, w),
      ),
    },
  };
}
