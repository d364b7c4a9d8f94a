// Pure one-pump reading of a draft regimen (what each row gives, until when) and the pause-inside-a-dose edits.
import { doseToMg, isDoseUnit, isRateUnit, rateToMgPerMin } from '../../engine/units.ts';
import { newUid, textToNum, type DraftEvent } from '../state/scenario.ts';

/**
 * The regimen runs on one pump (docs/PLAN-FORMAT.md "Dose events"): a rate event sets the pump's rate, a
 * dose over a duration sets it at `at` and stops it at `at + overMin` (the stop taking the dose's place in
 * file order), events at one time apply in file order. These helpers read a draft (rows as typed) that
 * way, so each row can say what it will actually give and until when, and they build the two ways of
 * resuming a dose that a pause interrupted. Rows whose numbers do not read are skipped (the validation
 * message names them).
 */

/** What one row does on the pump. */
export interface RowOutcome {
  /** The row's index. */
  readonly index: number;
  /** Start, min. */
  readonly startMin: number;
  /** When the pump setting this row made stops applying, min (null = runs to the end of the plan). */
  readonly endMin: number | null;
  /** The index of the row whose event ends it (a rate change, a dose start, or the end of a dose), or null. */
  readonly endedBy: number | null;
  /** The end comes from the end of a dose over a duration (its stop), not a new setting. */
  readonly endedByDoseEnd: boolean;
  /** Pump rate this row sets, mg/h. */
  readonly mgPerH: number;
  /** For a dose over a duration: mg actually given before something else changes the pump, and mg planned. */
  readonly givenMg?: number;
  readonly plannedMg?: number;
}

interface Action {
  readonly t: number;
  readonly order: number;
  readonly row: number;
  readonly mgPerH: number;
  readonly isDoseEnd: boolean;
}

const num = (v: unknown): number | null => {
  const n = textToNum(v as string | number | undefined);
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

/** A dose row's rate, mg/h (null when its numbers do not read). */
export function doseRowMgPerH(e: DraftEvent, weightKg: number): number | null {
  if (!('dose' in e)) return null;
  const dose = num(e.dose);
  const over = num(e.overMin);
  if (dose === null || over === null || !(over > 0) || dose < 0 || !isDoseUnit(e.unit)) return null;
  return (doseToMg(dose, e.unit, weightKg) / over) * 60;
}

/** Every pump-setting row's outcome under the one-pump rule (bolus rows are not pump settings and are left out). */
export function rowOutcomes(regimen: readonly DraftEvent[], weightKg: number): RowOutcome[] {
  const actions: Action[] = [];
  regimen.forEach((e, i) => {
    const at = num(e.at);
    if (at === null || at < 0) return;
    if ('rate' in e) {
      const r = num(e.rate);
      if (r === null || r < 0 || !isRateUnit(e.unit)) return;
      actions.push({ t: at, order: i, row: i, mgPerH: rateToMgPerMin(r, e.unit, weightKg) * 60, isDoseEnd: false });
    } else if ('dose' in e) {
      const mgPerH = doseRowMgPerH(e, weightKg);
      const over = num(e.overMin);
      if (mgPerH === null || over === null) return;
      actions.push({ t: at, order: i, row: i, mgPerH, isDoseEnd: false });
      actions.push({ t: at + over, order: i, row: i, mgPerH: 0, isDoseEnd: true });
    }
  });
  actions.sort((a, b) => a.t - b.t || a.order - b.order || Number(a.isDoseEnd) - Number(b.isDoseEnd));
  const out: RowOutcome[] = [];
  actions.forEach((a, k) => {
    if (a.isDoseEnd) return;
    const next = actions[k + 1];
    const e = regimen[a.row];
    const base = {
      index: a.row,
      startMin: a.t,
      endMin: next ? next.t : null,
      endedBy: next ? next.row : null,
      endedByDoseEnd: next ? next.isDoseEnd : false,
      mgPerH: a.mgPerH,
    };
    if ('dose' in e) {
      const over = num(e.overMin)!;
      const end = Math.min(next ? next.t : a.t + over, a.t + over);
      const plannedMg = isDoseUnit(e.unit) ? doseToMg(num(e.dose)!, e.unit, weightKg) : (a.mgPerH * over) / 60;
      out.push({ ...base, givenMg: (plannedMg * (end - a.t)) / over, plannedMg });
    } else out.push(base);
  });
  return out.sort((a, b) => a.index - b.index);
}

/** A pause row (rate 0) that falls strictly inside a dose over a duration, and what that dose has given by then. */
export interface PausedDose {
  readonly pauseIndex: number;
  readonly doseIndex: number;
  readonly pauseMin: number;
  readonly doseStartMin: number;
  readonly doseEndMin: number;
  /** Fraction of the dose given by the pause (0–1). */
  readonly givenFraction: number;
}

/** The dose a pause row interrupts, or null (not a pause, or not inside a dose). */
export function pausedDose(regimen: readonly DraftEvent[], pauseIndex: number): PausedDose | null {
  const p = regimen[pauseIndex];
  if (!p || !('rate' in p) || num(p.rate) !== 0) return null;
  const tp = num(p.at);
  if (tp === null) return null;
  let found: PausedDose | null = null;
  regimen.forEach((e, i) => {
    if (!('dose' in e)) return;
    const a = num(e.at);
    const d = num(e.overMin);
    if (a === null || d === null || !(d > 0)) return;
    if (tp > a && tp < a + d)
      found = { pauseIndex, doseIndex: i, pauseMin: tp, doseStartMin: a, doseEndMin: a + d, givenFraction: (tp - a) / d };
  });
  return found;
}

const clean = (x: number): number => Number(x.toPrecision(12));

/** The dose row cut at the pause: the part given before it (same unit, same rate). */
function cutDose(e: Extract<DraftEvent, { dose: unknown }>, p: PausedDose): DraftEvent {
  return { ...e, dose: clean(num(e.dose)! * p.givenFraction), overMin: clean(p.pauseMin - p.doseStartMin) };
}

/**
 * "Resume and give the rest": the dose is cut at the pause (it gives what it gave until then), and a new
 * dose over a duration at `resumeAtMin` gives the remaining amount over the remaining time (the same
 * rate), listed after the pause row.
 */
export function resumeRest(regimen: readonly DraftEvent[], p: PausedDose, resumeAtMin: number): DraftEvent[] {
  const dose = regimen[p.doseIndex] as Extract<DraftEvent, { dose: unknown }>;
  const rest: DraftEvent = {
    uid: newUid(),
    at: resumeAtMin,
    dose: clean(num(dose.dose)! * (1 - p.givenFraction)),
    unit: dose.unit,
    overMin: clean(p.doseEndMin - p.pauseMin),
  };
  const out = regimen.map((e, i) => (i === p.doseIndex ? cutDose(dose, p) : e));
  out.splice(p.pauseIndex + 1, 0, rest);
  return out;
}

/**
 * "Resume at a new rate until …": the dose is cut at the pause, a rate row at `resumeAtMin` (`rate` in
 * `unit`) and a stop (rate 0) at `untilMin` follow the pause row.
 */
export function resumeNewRate(
  regimen: readonly DraftEvent[],
  p: PausedDose,
  resumeAtMin: number,
  rate: number,
  unit: string,
  untilMin: number,
): DraftEvent[] {
  const dose = regimen[p.doseIndex] as Extract<DraftEvent, { dose: unknown }>;
  const out = regimen.map((e, i) => (i === p.doseIndex ? cutDose(dose, p) : e));
  out.splice(p.pauseIndex + 1, 0, { uid: newUid(), at: resumeAtMin, rate, unit }, { uid: newUid(), at: untilMin, rate: 0, unit });
  return out;
}

/** The rate a dose row runs at, in the rate unit matching its dose unit (mg/kg → mg/kg/h, mg → mg/h, µg/kg → µg/kg/h, µg → mg/h). */
export function doseRowRate(e: DraftEvent): { rate: number; unit: string } | null {
  if (!('dose' in e)) return null;
  const dose = num(e.dose);
  const over = num(e.overMin);
  if (dose === null || over === null || !(over > 0)) return null;
  const perH = (dose / over) * 60;
  if (e.unit === 'mg/kg') return { rate: clean(perH), unit: 'mg/kg/h' };
  if (e.unit === 'mg') return { rate: clean(perH), unit: 'mg/h' };
  if (e.unit === 'ug/kg') return { rate: clean(perH), unit: 'ug/kg/h' };
  if (e.unit === 'ug') return { rate: clean(doseToMg(perH, 'ug', 1)), unit: 'mg/h' };
  return null;
}
