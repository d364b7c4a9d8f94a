// `TitrationRequest`, `checkTitrationRequest`, `changeTimes`, defaults (10-s grid, 95%).
import { unitProblem } from '../units.ts';
import { MAX_HORIZON_MIN, MAX_POINTS, type ModelRef, type Problem } from '../plan.ts';
import type { Patient } from '../patient.ts';
import { defaultWindow, type ConcentrationWindow } from './window.ts';
import { DEFAULT_PUMP, type PumpSettings } from './pump-defaults.ts';

/** What the planner holds in the window: the effect-site concentration Ce or the plasma concentration Cp. */
export type TitrationMode = 'effect' | 'plasma';

/** Output/evaluation grid step, s, when the request gives none (the plan format's example grid). */
export const DEFAULT_RESOLUTION_SEC = 10;
/**
 * Fraction of the time from reach to the end of the session the window must hold for a proposal to be
 * returned: 0.95, the acceptance criterion of issue 4. A setting, not a clinical number.
 */
export const DEFAULT_MIN_FRACTION = 0.95;
/** Most rate (or bolus) levels the planner searches. */
export const MAX_LEVELS = 10_000;
/** Most (change times × grid points) the planner holds responses for. */
export const MAX_BASIS_SIZE = 5_000_000;

/** A request to the titration planner. Patient and model are as validated by parsePlan. */
export interface TitrationRequest {
  readonly patient: Patient;
  readonly model: ModelRef;
  /** Window to hold, ng/mL; default the dissociation band (engine/pd/bands.ts), see `defaultWindow`. */
  readonly window?: ConcentrationWindow;
  /** Minutes from the start by which the concentration must be inside the window (0 ≤ reach < duration). */
  readonly reachMin: number;
  /** Session length, min: the pump stops at this time. */
  readonly durationMin: number;
  /** 'effect' (default): hold Ce; 'plasma': hold Cp. */
  readonly mode?: TitrationMode;
  /**
   * Effect mode only: Cp must never exceed this, ng/mL. Default: the window's high bound. Ce is an
   * exponentially weighted average of past Cp, so Cp ≤ high keeps Ce ≤ high whatever the true ke0 —
   * and ke0 is the least certain number in the model (engine/models: only Domino 1984 has a published
   * ketamine ke0, and it is analgesia-linked). Raise it (e.g. to the anaesthesia band's low bound,
   * 1200 ng/mL) to let Cp overshoot for a faster rise.
   */
  readonly maxCpNgMl?: number;
  /** Pump settings; missing fields take `DEFAULT_PUMP`. */
  readonly pump?: Partial<PumpSettings>;
  /** Grid step of the evaluation and of the returned trajectory, s (default 10). */
  readonly resolutionSec?: number;
  /** Required fraction of time in the window from reach to end (default 0.95). */
  readonly minFractionInWindow?: number;
  /** End of the returned prediction, min (≥ durationMin; default durationMin): shows the fall after the stop. */
  readonly horizonMin?: number;
}

/** A request with every default filled in. */
export interface TitrationSettings {
  readonly window: ConcentrationWindow;
  /** Where the window comes from ("request" or the default band with its citation). */
  readonly windowSource: string;
  readonly mode: TitrationMode;
  readonly reachMin: number;
  readonly durationMin: number;
  /** Cp cap, ng/mL (effect mode), or null (plasma mode: the window itself bounds Cp). */
  readonly maxCpNgMl: number | null;
  readonly pump: PumpSettings;
  readonly resolutionSec: number;
  readonly minFractionInWindow: number;
  readonly horizonMin: number;
}

/** Fill defaults. Call `checkTitrationRequest` first: this does not validate. */
export function titrationSettings(req: TitrationRequest): TitrationSettings {
  const dw = defaultWindow();
  const window = req.window ?? { lowNgMl: dw.lowNgMl, highNgMl: dw.highNgMl };
  const mode = req.mode ?? 'effect';
  return {
    window: { lowNgMl: window.lowNgMl, highNgMl: window.highNgMl },
    windowSource: req.window ? 'request' : dw.source,
    mode,
    reachMin: req.reachMin,
    durationMin: req.durationMin,
    maxCpNgMl: mode === 'effect' ? (req.maxCpNgMl ?? window.highNgMl) : null,
    pump: { ...DEFAULT_PUMP, ...definedOnly(req.pump ?? {}) },
    resolutionSec: req.resolutionSec ?? DEFAULT_RESOLUTION_SEC,
    minFractionInWindow: req.minFractionInWindow ?? DEFAULT_MIN_FRACTION,
    horizonMin: req.horizonMin ?? req.durationMin,
  };
}

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Number of rate levels 0, step, 2·step, … ≤ max (float noise tolerated). */
export const levelCount = (max: number, step: number): number => Math.floor(max / step + 1e-9) + 1;

/** Change times 0, N, 2N, … strictly before the session end (a last interval may be shorter than N). */
export function changeTimes(durationMin: number, intervalMin: number): number[] {
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const t = k * intervalMin;
    if (t >= durationMin - 1e-9 * Math.max(1, durationMin)) break;
    out.push(t);
  }
  return out;
}

/**
 * Every problem with a request, each naming its field (`window.lowNgMl`, `pump.rateStep`, …) and the
 * accepted values. Patient and model are not checked here (parsePlan does that).
 */
export function checkTitrationRequest(req: TitrationRequest): Problem[] {
  const out: Problem[] = [];
  const fail = (path: string, message: string) => out.push({ path, message });
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const s = titrationSettings(req);
  const { lowNgMl, highNgMl } = s.window;
  if (!finite(lowNgMl) || lowNgMl < 0) fail('window.lowNgMl', `must be a number ≥ 0 ng/mL, got ${lowNgMl}`);
  if (!finite(highNgMl) || !(highNgMl > (finite(lowNgMl) ? lowNgMl : 0))) {
    fail('window.highNgMl', `must be a number above the window's low bound (${lowNgMl} ng/mL), got ${highNgMl}`);
  }
  if (!finite(s.durationMin) || s.durationMin <= 0 || s.durationMin > MAX_HORIZON_MIN) {
    fail('durationMin', `must be > 0 and ≤ ${MAX_HORIZON_MIN} min, got ${s.durationMin}`);
  }
  if (!finite(s.reachMin) || s.reachMin < 0 || (finite(s.durationMin) && s.reachMin >= s.durationMin)) {
    fail('reachMin', `must be ≥ 0 min and before the end of the session (${s.durationMin} min), got ${s.reachMin}`);
  }
  if (s.mode !== 'effect' && s.mode !== 'plasma') fail('mode', `must be "effect" or "plasma", got ${JSON.stringify(s.mode)}`);
  if (req.maxCpNgMl !== undefined) {
    if (s.mode === 'plasma') fail('maxCpNgMl', 'applies to effect-site targeting only; in plasma mode the window bounds Cp');
    else if (!finite(req.maxCpNgMl) || req.maxCpNgMl <= 0) fail('maxCpNgMl', `must be a number > 0 ng/mL, got ${req.maxCpNgMl}`);
  }
  const p = s.pump;
  const unitWrong = unitProblem('rate', p.unit, 'a pump');
  if (unitWrong !== null) fail('pump.unit', unitWrong);
  if (!finite(p.maxRate) || p.maxRate <= 0) fail('pump.maxRate', `must be a number > 0 ${p.unit}, got ${p.maxRate}`);
  if (!finite(p.rateStep) || p.rateStep <= 0) fail('pump.rateStep', `must be a number > 0 ${p.unit}, got ${p.rateStep}`);
  else if (finite(p.maxRate) && p.maxRate > 0) {
    if (p.rateStep > p.maxRate * (1 + 1e-9))
      fail('pump.rateStep', `must not exceed the maximum rate (${p.maxRate} ${p.unit}), got ${p.rateStep}`);
    else if (levelCount(p.maxRate, p.rateStep) > MAX_LEVELS) {
      fail(
        'pump.rateStep',
        `gives ${levelCount(p.maxRate, p.rateStep)} rate levels up to ${p.maxRate} ${p.unit}; at most ${MAX_LEVELS}`,
      );
    }
  }
  if (!finite(p.minIntervalMin) || p.minIntervalMin <= 0)
    fail('pump.minIntervalMin', `must be a number > 0 min, got ${p.minIntervalMin}`);
  if (!finite(p.maxBolusMgPerKg) || p.maxBolusMgPerKg < 0)
    fail('pump.maxBolusMgPerKg', `must be a number ≥ 0 mg/kg, got ${p.maxBolusMgPerKg}`);
  if (!finite(p.bolusStepMgPerKg) || p.bolusStepMgPerKg <= 0)
    fail('pump.bolusStepMgPerKg', `must be a number > 0 mg/kg, got ${p.bolusStepMgPerKg}`);
  else if (
    finite(p.maxBolusMgPerKg) &&
    p.maxBolusMgPerKg >= 0 &&
    levelCount(p.maxBolusMgPerKg, p.bolusStepMgPerKg) > MAX_LEVELS
  ) {
    fail(
      'pump.bolusStepMgPerKg',
      `gives ${levelCount(p.maxBolusMgPerKg, p.bolusStepMgPerKg)} bolus levels up to ${p.maxBolusMgPerKg} mg/kg; at most ${MAX_LEVELS}`,
    );
  }
  if (!finite(s.resolutionSec) || s.resolutionSec <= 0) fail('resolutionSec', `must be a number > 0 s, got ${s.resolutionSec}`);
  if (!finite(s.minFractionInWindow) || s.minFractionInWindow <= 0 || s.minFractionInWindow > 1) {
    fail('minFractionInWindow', `must be a number in (0, 1], got ${s.minFractionInWindow}`);
  }
  if (
    req.horizonMin !== undefined &&
    (!finite(req.horizonMin) || !(req.horizonMin >= s.durationMin) || req.horizonMin > MAX_HORIZON_MIN)
  ) {
    fail('horizonMin', `must be ≥ the session length (${s.durationMin} min) and ≤ ${MAX_HORIZON_MIN} min, got ${req.horizonMin}`);
  }
  if (out.length === 0) {
    const points = Math.floor((s.durationMin * 60) / s.resolutionSec + 1e-9) + 1;
    const k = changeTimes(s.durationMin, p.minIntervalMin).length;
    if (points < 2 || s.durationMin - s.reachMin < s.resolutionSec / 60 - 1e-9) {
      fail(
        'resolutionSec',
        `must leave at least one grid step between the reach time (${s.reachMin} min) and the session end (${s.durationMin} min), got ${s.resolutionSec} s`,
      );
    } else if (Math.floor((s.horizonMin * 60) / s.resolutionSec + 1e-9) + 1 > MAX_POINTS) {
      fail('resolutionSec', `gives more than ${MAX_POINTS} points over horizonMin ${s.horizonMin} min`);
    } else if (points * k > MAX_BASIS_SIZE) {
      fail(
        'resolutionSec',
        `${points} grid points × ${k} change times is too large for the planner (at most ${MAX_BASIS_SIZE}); use a coarser grid or a longer interval between changes`,
      );
    }
  }
  return out;
}
