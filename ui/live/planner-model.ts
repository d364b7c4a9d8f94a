// Pure planner form helpers: `plannerRequest`, `personalWindow`, `scenarioWithRegimen`, `DEFAULT_PLANNER_FORM`.
import type { DoseEvent, Plan } from '../../engine/plan.ts';
import type { TitrationMode } from '../../engine/tci/index.ts';
import { DEFAULT_PUMP } from '../../engine/tci/pump-defaults.ts';
import { DEFAULT_BANDS } from '../../engine/pd/racemic-bands.ts';
import type { PlannerRequest } from '../../workers/live-api.ts';
import { newUid, type DraftEvent, type Scenario } from '../state/scenario.ts';
import { readNumber } from './live-model.ts';
import { isRateUnit, rateToMgPerMin } from '../../engine/units.ts';

/**
 * Pure helpers of the titration planner panel: the form as typed → a planner request (or the fields'
 * problems), the personal window, and loading a proposal into the scenario.
 */

export type WindowChoice = 'dissociation' | 'personal' | 'custom';

export interface PlannerForm {
  readonly window: WindowChoice;
  readonly lowNgMl: string;
  readonly highNgMl: string;
  readonly reachMin: string;
  readonly durationMin: string;
  readonly mode: TitrationMode;
  readonly unit: string;
  readonly maxRate: string;
  readonly rateStep: string;
  readonly minIntervalMin: string;
  readonly maxBolusMgPerKg: string;
  /** Effect mode: Cp cap, ng/mL; empty = the window's high bound (the planner's default). */
  readonly maxCpNgMl: string;
}

const dissociation = DEFAULT_BANDS.find((b) => b.id === 'dissociation')!;

/** Defaults: the dissociation band, reached by 10 min in a 40-min session (the antidepressant preset's length), the pump defaults of engine/tci. */
export const DEFAULT_PLANNER_FORM: PlannerForm = {
  window: 'dissociation',
  lowNgMl: String(dissociation.lowNgMl),
  highNgMl: String(dissociation.highNgMl),
  reachMin: '10',
  durationMin: '40',
  mode: 'effect',
  unit: DEFAULT_PUMP.unit,
  maxRate: String(DEFAULT_PUMP.maxRate),
  rateStep: String(DEFAULT_PUMP.rateStep),
  minIntervalMin: String(DEFAULT_PUMP.minIntervalMin),
  maxBolusMgPerKg: String(DEFAULT_PUMP.maxBolusMgPerKg),
  maxCpNgMl: '',
};

/** The population dissociation band as a window, ng/mL, with its source. */
export const POPULATION_WINDOW = {
  lowNgMl: dissociation.lowNgMl,
  highNgMl: dissociation.highNgMl!,
  citation: dissociation.citation,
};

/**
 * The personal window of a patient: low bound = the mean Ce at reported dissociation onset over their
 * sessions (engine/pd/personal-band.ts), high bound = the population band's high bound, which the
 * personal data do not inform (onsets say where dissociation starts, not where it becomes too much).
 * Rounded to 0.1 ng/mL. Null without a mean.
 */
export function personalWindow(meanCeNgMl: number | null): { lowNgMl: number; highNgMl: number } | null {
  if (meanCeNgMl === null || !Number.isFinite(meanCeNgMl)) return null;
  return { lowNgMl: Math.round(meanCeNgMl * 10) / 10, highNgMl: POPULATION_WINDOW.highNgMl };
}

/** A rate as typed, in another rate unit for a patient of `weightKg` (6 significant digits); the text unchanged when it does not read. */
export function convertRateText(text: string, from: string, to: string, weightKg: number): string {
  const t = text.trim();
  const n = Number(t);
  if (t === '' || !Number.isFinite(n) || !isRateUnit(from) || !isRateUnit(to) || !(weightKg > 0)) return text;
  const perOne = rateToMgPerMin(1, to, weightKg);
  return String(Number((rateToMgPerMin(n, from, weightKg) / perOne).toPrecision(6)));
}

/** The form with another rate unit: the maximum rate and the rate step are converted for the patient's weight, so the limits stay the same. */
export function withRateUnit(f: PlannerForm, unit: string, weightKg: number): PlannerForm {
  if (unit === f.unit) return f;
  return {
    ...f,
    unit,
    maxRate: convertRateText(f.maxRate, f.unit, unit, weightKg),
    rateStep: convertRateText(f.rateStep, f.unit, unit, weightKg),
  };
}

/**
 * Each unreachable code of the planner (engine/tci/diagnosis.ts) as a sentence a clinician reads: what
 * stops a programme, and what to change. The engine's reason (with the numbers) follows it on screen.
 */
export const UNREACHABLE_WORDS: Readonly<Record<string, string>> = {
  'unreachable-max-rate':
    'The maximum rate is too low: even running at the maximum for the whole session, the concentration stays below the window. Raise the maximum rate, allow a loading dose, or choose a lower window.',
  'too-late':
    'The window cannot be reached by the chosen time with these limits. Allow more time to reach it, a higher maximum rate or a loading dose.',
  'window-not-held':
    'No programme within these limits keeps the concentration in the window long enough. Widen the window, use a finer rate step or allow more frequent changes.',
  'window-too-narrow-for-step':
    'The window is narrower than what one rate step changes: every step jumps across it. Use a finer rate step or a wider window.',
  'cp-cap-below-window':
    'The Cp cap is not above the window: the effect site can never get into the window without plasma passing the cap. Raise the Cp cap or lower the window.',
};

/** An unreachable code in words (an unknown code is named as such, never shown bare). */
export const unreachableWords = (code: string): string =>
  UNREACHABLE_WORDS[code] ?? `The planner found no programme (reason "${code}" has no description yet; see the details below).`;

/** The form as a planner request for a plan's patient and model, or the problems, each naming its field. */
export function plannerRequest(
  f: PlannerForm,
  plan: Plan,
  personal: { lowNgMl: number; highNgMl: number } | null,
  /** The smallest loading bolus the clinic proposes, mg/kg (ui/settings): bolus levels are its multiples, none below it. */
  minBolusMgPerKg?: number,
): { ok: true; request: PlannerRequest } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const take = (p: ReturnType<typeof readNumber>): number => {
    if (!p.ok) {
      problems.push(p.message);
      return Number.NaN;
    }
    return p.value;
  };
  let window: { lowNgMl: number; highNgMl: number } | undefined;
  if (f.window === 'custom') {
    const low = take(readNumber(f.lowNgMl, 'Window low bound', 'ng/mL', 0));
    const high = take(readNumber(f.highNgMl, 'Window high bound', 'ng/mL', 0, true));
    if (Number.isFinite(low) && Number.isFinite(high) && !(high > low))
      problems.push(`Window high bound: must be above the low bound (${low} ng/mL), got ${high}`);
    window = { lowNgMl: low, highNgMl: high };
  } else if (f.window === 'personal') {
    if (!personal)
      problems.push('Window: this patient has no personal band yet (record the onset minute of dissociation in the Course tab)');
    else if (!(personal.highNgMl > personal.lowNgMl))
      problems.push(
        `Window: the personal low bound (${personal.lowNgMl} ng/mL) is not below the population high bound (${personal.highNgMl} ng/mL); use a custom window`,
      );
    else window = personal;
  }
  const durationMin = take(readNumber(f.durationMin, 'Session length', 'min', 0, true, 7 * 24 * 60));
  const reachMin = take(readNumber(f.reachMin, 'Reach the window by', 'min', 0));
  if (Number.isFinite(reachMin) && Number.isFinite(durationMin) && reachMin >= durationMin)
    problems.push(`Reach the window by: must be before the end of the session (${durationMin} min), got ${reachMin}`);
  const maxRate = take(readNumber(f.maxRate, 'Maximum rate', f.unit, 0, true));
  const rateStep = take(readNumber(f.rateStep, 'Rate step', f.unit, 0, true));
  if (Number.isFinite(maxRate) && Number.isFinite(rateStep) && rateStep > maxRate)
    problems.push(`Rate step: must not exceed the maximum rate (${maxRate} ${f.unit}), got ${rateStep}`);
  const minIntervalMin = take(readNumber(f.minIntervalMin, 'Minimum interval between changes', 'min', 0, true));
  const maxBolus = f.maxBolusMgPerKg.trim() === '' ? 0 : take(readNumber(f.maxBolusMgPerKg, 'Loading dose cap', 'mg/kg', 0));
  let maxCp: number | undefined;
  if (f.mode === 'effect' && f.maxCpNgMl.trim() !== '') maxCp = take(readNumber(f.maxCpNgMl, 'Cp cap', 'ng/mL', 0, true));
  if (problems.length) return { ok: false, problems };
  const bolusStep = minBolusMgPerKg !== undefined && minBolusMgPerKg > 0 ? minBolusMgPerKg : undefined;
  // A cap below the smallest bolus allows no loading dose at all (never a token one).
  const cap = bolusStep !== undefined && maxBolus < bolusStep ? 0 : maxBolus;
  return {
    ok: true,
    request: {
      patient: plan.patient,
      model: plan.model,
      ...(window && { window }),
      reachMin,
      durationMin,
      mode: f.mode,
      ...(maxCp !== undefined && { maxCpNgMl: maxCp }),
      pump: {
        unit: f.unit,
        maxRate,
        rateStep,
        minIntervalMin,
        maxBolusMgPerKg: cap,
        ...(bolusStep !== undefined && { bolusStepMgPerKg: bolusStep }),
      },
      horizonMin: durationMin + 60,
    },
  };
}

/** The planner's field paths as the form names them. */
export const PLANNER_FIELD_NAMES: Readonly<Record<string, string>> = {
  'window.lowNgMl': 'Window low bound',
  'window.highNgMl': 'Window high bound',
  reachMin: 'Reach the window by',
  durationMin: 'Session length',
  'pump.maxRate': 'Maximum rate',
  'pump.rateStep': 'Rate step',
  'pump.minIntervalMin': 'Minimum interval between changes',
  'pump.maxBolusMgPerKg': 'Loading dose cap',
  'pump.unit': 'Rate unit',
  maxCpNgMl: 'Cp cap',
  resolutionSec: 'Grid step',
  horizonMin: 'Prediction end',
};

/**
 * The scenario with a proposal loaded: its regimen (a bolus, rate steps and the stop) replaces the
 * plan's, and the view covers the session and the hour after it. Patient, model and bands stay.
 */
export function scenarioWithRegimen(s: Scenario, regimen: readonly DoseEvent[], horizonMin: number): Scenario {
  return {
    ...s,
    plan: { ...s.plan, regimen: regimen.map((e) => ({ uid: newUid(), ...e }) as DraftEvent), horizonMin },
    view: null,
    presetId: null,
  };
}
