// `planTitration`: proposal (pump steps, exact metrics) or unreachable reason; `scheduleRegimen`, `TitrationRequestError`.
import { rateToMgPerMin, doseToMg, mgPerLToNgPerMl, type MgPerL, type RateUnit } from '../units.ts';
import { formatProblems, gridPointCount, isRate, type DoseEvent } from '../plan.ts';
import { resolveModel, type Ke0Source } from '../predict.ts';
import { regimenToActions, totalDoseMg } from '../dosing/actions.ts';
import { simulate, type Trajectory } from '../simulate.ts';
import { WarningSink, type Warning } from '../warnings.ts';
import { responseBasis } from './basis.ts';
import { Objective } from './objective.ts';
import { searchSchedule, type Schedule, type SearchStats } from './search.ts';
import {
  bounds,
  fig,
  shortfallReasons,
  steadyStateCpPerRate,
  upperEnvelope,
  type UnreachableCode,
  type UnreachableReason,
} from './diagnosis.ts';
import {
  changeTimes,
  checkTitrationRequest,
  levelCount,
  titrationSettings,
  type TitrationRequest,
  type TitrationSettings,
} from './request.ts';
import { anaesthesiaBand, evaluatedSpan, windowMetrics, type WindowMetrics } from './window.ts';

/** One line of the pump programme: from `atMin` the pump runs at `rate` (in `unit`). */
export interface PumpStep {
  readonly atMin: number;
  readonly rate: number;
  readonly unit: RateUnit;
}

/** Figures of a proposed programme, from the exact prediction of its regimen. */
export interface TitrationMetrics {
  /** The concentration held to the window: 'ce' (effect mode) or 'cp' (plasma mode). */
  readonly target: 'ce' | 'cp';
  /** Fraction of the time from reach to end with the target in the window (the acceptance figure). */
  readonly fractionInWindow: number;
  /** First time the target reaches the window, min. */
  readonly firstInWindowMin: number | null;
  readonly maxCeNgMl: number;
  readonly maxCpNgMl: number;
  /** Window metrics of Ce and of Cp (both, whatever the target). */
  readonly ce: WindowMetrics;
  readonly cp: WindowMetrics;
  /** Loading dose, mg/kg (0: none). */
  readonly bolusMgPerKg: number;
  /** Pump changes after the first rate (the final stop at the session end is not counted). */
  readonly rateChanges: number;
  /** Drug given in the session, mg and mg/kg. */
  readonly totalDoseMg: number;
  readonly totalDoseMgPerKg: number;
}

/** Model facts a reader of a proposal needs. */
export interface TitrationModelInfo {
  readonly id: string;
  readonly ke0PerMin: number;
  readonly ke0Source: Ke0Source;
}

/** A programme that holds the window. */
export interface TitrationProposal {
  readonly ok: true;
  readonly settings: TitrationSettings;
  readonly model: TitrationModelInfo;
  /** Plan-format dose events: an optional bolus at 0, rate changes, the stop at the session end. */
  readonly regimen: readonly DoseEvent[];
  /** The same programme as pump settings, one line per change. */
  readonly steps: readonly PumpStep[];
  /** Exact prediction of `regimen` on the evaluation grid to `horizonMin`. */
  readonly trajectory: Trajectory;
  readonly metrics: TitrationMetrics;
  readonly warnings: readonly Warning[];
  readonly search: SearchStats;
}

/** No programme within the constraints holds the window; `code` is the first reason's. */
export interface TitrationUnreachable {
  readonly ok: false;
  readonly settings: TitrationSettings;
  readonly model: TitrationModelInfo;
  readonly code: UnreachableCode;
  readonly reasons: readonly UnreachableReason[];
  readonly warnings: readonly Warning[];
  /** Search statistics, or null when the bounds alone proved the window out of reach. */
  readonly search: SearchStats | null;
}

export type TitrationResult = TitrationProposal | TitrationUnreachable;

/** A number as a person would type it (12 significant digits: 0.15, not 0.15000000000000002). */
const clean = (x: number): number => Number(x.toPrecision(12));

/** A request's problems as one error (a programmer error: the CLI and UI check first). */
export class TitrationRequestError extends Error {}

/**
 * The titration planner (the inverse problem): a syringe-pump programme — rates that are whole
 * multiples of the pump's step, changed only at 0, N, 2N, … min, never above the maximum rate, and an
 * optional loading dose within its cap — that keeps Ce (effect mode) or Cp (plasma mode) inside the
 * window from the reach time to the end of the session; in effect mode Cp also stays at or below its cap.
 *
 * How: the model is linear, so the concentrations of any programme are a superposition of exact unit
 * responses computed once (`responseBasis`). Exact bounds first decide whether the window is out of
 * reach (`bounds`); otherwise a deterministic search over the discrete programmes (`searchSchedule`:
 * greedy receding-horizon starts, then local search) minimises time outside the window with penalties
 * for overshoot and distance. The chosen regimen is then predicted with the exact engine, and the
 * reported metrics come from that prediction. Throws `TitrationRequestError` for an invalid request.
 */
export function planTitration(req: TitrationRequest): TitrationResult {
  const problems = checkTitrationRequest(req);
  if (problems.length) throw new TitrationRequestError(formatProblems(problems).join('\n'));
  const s = titrationSettings(req);
  const sink = new WarningSink();
  const resolved = resolveModel(req.model, req.patient, sink);
  const model: TitrationModelInfo = {
    id: resolved.definition?.id ?? 'custom',
    ke0PerMin: resolved.ke0,
    ke0Source: resolved.ke0Source,
  };
  const w = req.patient.weightKg;
  const p = s.pump;
  settingWarnings(s, sink);

  const times = changeTimes(s.durationMin, p.minIntervalMin).map((t) => clean(t));
  const grid = { resolutionSec: s.resolutionSec, count: gridPointCount(s.durationMin, s.resolutionSec) };
  const levelMgPerMin = rateToMgPerMin(p.rateStep, p.unit, w);
  const bolusLevelMg = doseToMg(p.bolusStepMgPerKg, 'mg/kg', w);
  const target = s.mode === 'effect' ? 'ce' : 'cp';
  const basis = responseBasis(resolved.structure, resolved.ke0, grid, times, s.durationMin, levelMgPerMin, bolusLevelMg, target);
  const maxLevel = levelCount(p.maxRate, p.rateStep) - 1;
  const maxBolusLevel = levelCount(p.maxBolusMgPerKg, p.bolusStepMgPerKg) - 1;
  const span = evaluatedSpan(basis.t, s.reachMin, s.durationMin);

  const b = bounds(s, basis, upperEnvelope(basis, maxLevel, maxBolusLevel), resolved.ke0, span);
  if (b.fractionBound < s.minFractionInWindow) {
    return { ok: false, settings: s, model, code: b.reasons[0].code, reasons: b.reasons, warnings: sink.list(), search: null };
  }

  // The search enforces the Cp cap a hair inside it, so that float noise between the superposed and the
  // directly simulated prediction cannot put the reported maximum above the cap.
  const cpCap = s.maxCpNgMl === null ? Infinity : s.maxCpNgMl * (1 - 1e-9);
  const obj = new Objective(basis.t, s.window, span[0], cpCap);
  const found = searchSchedule(basis, obj, maxLevel, maxBolusLevel);
  const regimen = scheduleRegimen(found.schedule, times, s);
  const actions = regimenToActions(regimen, w);
  const trajectory = simulate(resolved.structure, resolved.ke0, actions, {
    resolutionSec: s.resolutionSec,
    count: gridPointCount(s.horizonMin, s.resolutionSec),
  });
  const ce = windowMetrics(trajectory.t, trajectory.ce, s.window, s.reachMin, s.durationMin);
  const cp = windowMetrics(trajectory.t, trajectory.cp, s.window, s.reachMin, s.durationMin);
  const held = target === 'ce' ? ce : cp;
  if (s.maxCpNgMl !== null && cp.maxNgMl > s.maxCpNgMl) {
    // The search only accepts programmes within the cap; reaching here is a bug, never a proposal.
    throw new Error(
      `titration planner: internal error, proposed programme reaches Cp ${cp.maxNgMl} ng/mL above its cap ${s.maxCpNgMl}`,
    );
  }
  if (held.fractionInWindow < s.minFractionInWindow) {
    const J = basis.t.length - 1;
    let stepSession = 0;
    for (const pulse of basis.pulse) stepSession += pulse[J];
    const step = {
      sessionNgMl: stepSession,
      steadyStateNgMl: mgPerLToNgPerMl((steadyStateCpPerRate(resolved.structure) * levelMgPerMin) as MgPerL),
    };
    const reasons = shortfallReasons(s, b, step, {
      fraction: held.fractionInWindow,
      firstInWindowMin: held.firstInWindowMin,
      evaluatedFromMin: held.evaluatedFromMin,
    });
    return { ok: false, settings: s, model, code: reasons[0].code, reasons, warnings: sink.list(), search: found.stats };
  }
  const mg = totalDoseMg(actions, s.durationMin);
  let changes = 0;
  for (let k = 1; k < found.schedule.levels.length; k++) if (found.schedule.levels[k] !== found.schedule.levels[k - 1]) changes++;
  return {
    ok: true,
    settings: s,
    model,
    regimen,
    steps: regimen.filter(isRate).map((e) => ({ atMin: e.at, rate: e.rate, unit: e.unit })),
    trajectory,
    metrics: {
      target,
      fractionInWindow: held.fractionInWindow,
      firstInWindowMin: held.firstInWindowMin,
      maxCeNgMl: ce.maxNgMl,
      maxCpNgMl: cp.maxNgMl,
      ce,
      cp,
      bolusMgPerKg: clean(found.schedule.bolusLevel * p.bolusStepMgPerKg),
      rateChanges: changes,
      totalDoseMg: mg,
      totalDoseMgPerKg: mg / w,
    },
    warnings: sink.list(),
    search: found.stats,
  };
}

/** A schedule as plan-format events: bolus at 0 if any, a rate at 0 and at each change, a stop at the end. */
export function scheduleRegimen(sch: Schedule, times: readonly number[], s: TitrationSettings): DoseEvent[] {
  const p = s.pump;
  const out: DoseEvent[] = [];
  if (sch.bolusLevel > 0) out.push({ at: 0, bolus: clean(sch.bolusLevel * p.bolusStepMgPerKg), unit: 'mg/kg' });
  let last = -1;
  sch.levels.forEach((l, k) => {
    if (l !== last) out.push({ at: times[k], rate: clean(l * p.rateStep), unit: p.unit });
    last = l;
  });
  if (last > 0) out.push({ at: s.durationMin, rate: 0, unit: p.unit });
  return out;
}

function settingWarnings(s: TitrationSettings, sink: WarningSink): void {
  const an = anaesthesiaBand();
  const p = s.pump;
  if (s.window.highNgMl > an.lowNgMl) {
    sink.warn(
      'window-overlaps-anaesthesia',
      `the window's high bound ${fig(s.window.highNgMl)} ng/mL is inside the anaesthesia band (${an.lowNgMl}–${an.highNgMl} ng/mL; ${an.citation})`,
    );
  }
  if (s.maxCpNgMl !== null && s.maxCpNgMl > an.lowNgMl) {
    sink.warn(
      'cp-cap-in-anaesthesia',
      `the Cp cap ${fig(s.maxCpNgMl)} ng/mL lets plasma concentration enter the anaesthesia band (from ${an.lowNgMl} ng/mL)`,
    );
  }
  const top = (levelCount(p.maxRate, p.rateStep) - 1) * p.rateStep;
  if (Math.abs(top - p.maxRate) > 1e-9 * p.maxRate) {
    sink.warn(
      'max-rate-not-on-step',
      `pump.maxRate ${fig(p.maxRate)} ${p.unit} is not a multiple of the step ${fig(p.rateStep)}; the highest rate used is ${fig(top)} ${p.unit}`,
    );
  }
  const topB = (levelCount(p.maxBolusMgPerKg, p.bolusStepMgPerKg) - 1) * p.bolusStepMgPerKg;
  if (p.maxBolusMgPerKg > 0 && Math.abs(topB - p.maxBolusMgPerKg) > 1e-9 * p.maxBolusMgPerKg) {
    sink.warn(
      'max-bolus-not-on-step',
      `pump.maxBolusMgPerKg ${fig(p.maxBolusMgPerKg)} is not a multiple of the bolus step ${fig(p.bolusStepMgPerKg)} mg/kg; the largest bolus used is ${fig(topB)} mg/kg`,
    );
  }
}
