// Pure pump arithmetic: mg/h → mL/h and mg → mL at a syringe concentration, rounded to the pump's step, with the dose effect.

/**
 * A syringe pump is programmed in volume: a rate in mL/h and a bolus in mL. These functions turn the
 * plan's doses (mg/h, mg) into what is typed into the pump, rounded to the pump's step, and say what the
 * rounded volume actually delivers and how far that is from the planned dose (signed %, rounded value
 * vs planned). They import nothing from the engine (the main thread may run them) and never throw: bad
 * settings come back as a problem naming the field.
 */

/** The pump settings of a session or a clinic: a UI setting, not part of the plan file. */
export interface PumpSettings {
  /** Drug concentration in the syringe or bag, mg/mL; null = not set yet (no volumes shown). */
  readonly concentrationMgPerMl: number | null;
  /** The pump's rate increment, mL/h. */
  readonly rateStepMlPerH: number;
  /** The smallest volume step a bolus is drawn up / programmed in, mL. */
  readonly bolusStepMl: number;
}

/**
 * Defaults. The rate step 0.1 mL/h is the common syringe-pump increment the brief names (a setting, not a
 * cited number). The bolus step 0.1 mL is the clinic's setting (the graduation of a small syringe), not
 * from a source. There is no default concentration: it depends on how the syringe was made up, so no
 * volume is shown until it is entered.
 */
export const DEFAULT_PUMP_SETTINGS: PumpSettings = {
  concentrationMgPerMl: null,
  rateStepMlPerH: 0.1,
  bolusStepMl: 0.1,
};

/** A problem with a setting, naming the field. */
export interface PumpProblem {
  readonly field: 'concentrationMgPerMl' | 'rateStepMlPerH' | 'bolusStepMl';
  readonly message: string;
}

/** Problems of a pump setting (empty when usable). */
export function pumpProblems(s: PumpSettings): PumpProblem[] {
  const out: PumpProblem[] = [];
  const pos = (x: number | null) => typeof x === 'number' && Number.isFinite(x) && x > 0;
  if (s.concentrationMgPerMl !== null && !pos(s.concentrationMgPerMl))
    out.push({
      field: 'concentrationMgPerMl',
      message: `Concentration: must be a number > 0 mg/mL, got ${s.concentrationMgPerMl}`,
    });
  if (!pos(s.rateStepMlPerH))
    out.push({ field: 'rateStepMlPerH', message: `Pump rate step: must be a number > 0 mL/h, got ${s.rateStepMlPerH}` });
  if (!pos(s.bolusStepMl))
    out.push({ field: 'bolusStepMl', message: `Bolus volume step: must be a number > 0 mL, got ${s.bolusStepMl}` });
  return out;
}

/** Round `x` to a whole multiple of `step` (half away from zero), without float noise (0.30000000000000004 → 0.3). */
export function roundToStep(x: number, step: number): number {
  const n = Math.round(Math.abs(x) / step + 1e-9) * Math.sign(x);
  return Number((n * step).toPrecision(12));
}

/** A programmed volume and what it delivers. */
export interface PumpAmount {
  /** Exact volume for the planned dose (mL/h or mL). */
  readonly exact: number;
  /** Rounded to the pump's step: what is typed into the pump. */
  readonly programmed: number;
  /** What the programmed volume delivers, mg/h (rate) or mg (bolus). */
  readonly deliveredMg: number;
  /** (delivered − planned) / planned × 100, %; 0 for a zero dose. */
  readonly deltaPct: number;
}

function toVolume(mg: number, conc: number, step: number): PumpAmount {
  const exact = mg / conc;
  const programmed = roundToStep(exact, step);
  const deliveredMg = programmed * conc;
  const deltaPct = mg === 0 ? 0 : ((deliveredMg - mg) / mg) * 100;
  return { exact, programmed, deliveredMg, deltaPct };
}

/** A rate in mg/h as a pump rate in mL/h, or null when the settings are not usable (no concentration, bad step). */
export function pumpRate(mgPerH: number, s: PumpSettings): PumpAmount | null {
  if (!Number.isFinite(mgPerH) || mgPerH < 0 || s.concentrationMgPerMl === null || pumpProblems(s).length > 0) return null;
  return toVolume(mgPerH, s.concentrationMgPerMl, s.rateStepMlPerH);
}

/** A bolus in mg as a volume in mL, or null when the settings are not usable. */
export function bolusVolume(mg: number, s: PumpSettings): PumpAmount | null {
  if (!Number.isFinite(mg) || mg < 0 || s.concentrationMgPerMl === null || pumpProblems(s).length > 0) return null;
  return toVolume(mg, s.concentrationMgPerMl, s.bolusStepMl);
}

/** Decimals of a step (0.1 → 1, 0.05 → 2, 1 → 0), for showing programmed volumes exactly as the pump does. */
export function stepDecimals(step: number): number {
  const s = String(step);
  const i = s.indexOf('.');
  return i < 0 ? 0 : Math.min(6, s.length - i - 1);
}

/** A signed percent to one decimal with a real minus sign: "−0.1 %", "+0.3 %", "±0 %". */
export function formatDelta(pct: number): string {
  const r = Math.round(pct * 10) / 10;
  if (r === 0) return '±0 %';
  return `${r < 0 ? '−' : '+'}${Math.abs(r).toFixed(1)} %`;
}

/** Three significant digits (0.749, 61.5, 1230). */
const sig3 = (x: number): string => String(Number(x.toPrecision(3)));

/**
 * A rate in words for the pump: "61.5 mL/h delivers 0.749 mg/kg/h (61.5 mg/h), −0.1 %". Without a weight the
 * per-kg part is left out. Null when no concentration is set.
 */
export function pumpRateText(mgPerH: number, weightKg: number | null, s: PumpSettings): string | null {
  const p = pumpRate(mgPerH, s);
  if (!p) return null;
  const ml = p.programmed.toFixed(stepDecimals(s.rateStepMlPerH));
  if (mgPerH === 0) return `${ml} mL/h (pump stopped)`;
  const perKg =
    weightKg && weightKg > 0
      ? `${sig3(p.deliveredMg / weightKg)} mg/kg/h (${sig3(p.deliveredMg)} mg/h)`
      : `${sig3(p.deliveredMg)} mg/h`;
  return `${ml} mL/h delivers ${perKg}, ${formatDelta(p.deltaPct)}`;
}

/** A bolus in words for the pump: "8.2 mL delivers 8.2 mg (0.1 mg/kg), ±0 %". Null when no concentration is set. */
export function bolusText(mg: number, weightKg: number | null, s: PumpSettings): string | null {
  const p = bolusVolume(mg, s);
  if (!p) return null;
  const ml = p.programmed.toFixed(stepDecimals(s.bolusStepMl));
  const perKg = weightKg && weightKg > 0 ? ` (${sig3(p.deliveredMg / weightKg)} mg/kg)` : '';
  return `${ml} mL delivers ${sig3(p.deliveredMg)} mg${perKg}, ${formatDelta(p.deltaPct)}`;
}
