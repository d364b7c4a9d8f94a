/**
 * Units live in the types. Internally the engine works in mg, L, min and mg/L; concentrations leave
 * the engine in ng/mL (= µg/L). A branded number cannot be passed where another unit is expected
 * without going through one of the named conversions below, which are the only ones in the engine.
 */
import { show } from './describe.ts';

declare const unit: unique symbol;
type Brand<U extends string> = number & { readonly [unit]: U };

/** Time, minutes. */
export type Minutes = Brand<'min'>;
/** Volume, litres. */
export type Litres = Brand<'L'>;
/** First-order rate constant, 1/min. */
export type PerMinute = Brand<'1/min'>;
/** Clearance, L/min. */
export type LitresPerMinute = Brand<'L/min'>;
/** Amount of drug, mg. */
export type Mg = Brand<'mg'>;
/** Infusion rate, mg/min. */
export type MgPerMin = Brand<'mg/min'>;
/** Concentration, mg/L (= µg/mL), the engine's internal concentration. */
export type MgPerL = Brand<'mg/L'>;
/** Concentration, ng/mL (= µg/L), the output concentration. */
export type NgPerMl = Brand<'ng/mL'>;
/** Body weight, kg. */
export type Kg = Brand<'kg'>;

/** Tag a plain number with a unit, at the edge where the unit is known. */
export const as = <T extends number>(x: number): T => x as T;

/** mg/L → ng/mL (×1000). The single output conversion: every ng/mL the engine writes goes through it. */
export const mgPerLToNgPerMl = (c: MgPerL): NgPerMl => (c * 1000) as NgPerMl;
/** ng/mL → mg/L (÷1000). The single input conversion (band bounds given in ng/mL, compared inside the engine). */
export const ngPerMlToMgPerL = (c: NgPerMl): MgPerL => (c / 1000) as MgPerL;
/**
 * `mgPerLToNgPerMl` over a buffer of mg/L values, in place, for indices [from, to): the output edge of
 * a columnar trajectory written by a stepper in engine units. Same product as the scalar conversion,
 * so the values are bit for bit those of converting each one.
 */
export function mgPerLToNgPerMlInPlace(values: Float64Array, from = 0, to = values.length): void {
  for (let i = from; i < to; i++) values[i] = mgPerLToNgPerMl(values[i] as MgPerL);
}
/** Seconds → minutes. */
export const secondsToMinutes = (s: number): Minutes => (s / 60) as Minutes;

/** Dose units accepted for a bolus or for a dose spread over a duration (PLAN-FORMAT.md). */
export const DOSE_UNITS = {
  mg: { toMg: 1, perKg: false },
  'mg/kg': { toMg: 1, perKg: true },
  ug: { toMg: 1e-3, perKg: false },
  µg: { toMg: 1e-3, perKg: false },
  mcg: { toMg: 1e-3, perKg: false },
  'ug/kg': { toMg: 1e-3, perKg: true },
  'µg/kg': { toMg: 1e-3, perKg: true },
  'mcg/kg': { toMg: 1e-3, perKg: true },
} as const;
export type DoseUnit = keyof typeof DOSE_UNITS;

/** Rate units accepted for a pump rate (PLAN-FORMAT.md); factor to mg/min. mg/kg/h is the default. */
export const RATE_UNITS = {
  'mg/kg/h': { toMgPerMin: 1 / 60, perKg: true },
  'mg/kg/min': { toMgPerMin: 1, perKg: true },
  'mg/h': { toMgPerMin: 1 / 60, perKg: false },
  'mg/min': { toMgPerMin: 1, perKg: false },
  'ug/kg/min': { toMgPerMin: 1e-3, perKg: true },
  'µg/kg/min': { toMgPerMin: 1e-3, perKg: true },
  'mcg/kg/min': { toMgPerMin: 1e-3, perKg: true },
  'ug/kg/h': { toMgPerMin: 1e-3 / 60, perKg: true },
  'µg/kg/h': { toMgPerMin: 1e-3 / 60, perKg: true },
  'mcg/kg/h': { toMgPerMin: 1e-3 / 60, perKg: true },
} as const;
export type RateUnit = keyof typeof RATE_UNITS;
export const DEFAULT_RATE_UNIT: RateUnit = 'mg/kg/h';

export const isDoseUnit = (u: string): u is DoseUnit => Object.hasOwn(DOSE_UNITS, u);
export const isRateUnit = (u: string): u is RateUnit => Object.hasOwn(RATE_UNITS, u);

/**
 * Why `unit` is not a `kind` unit, or null when it is one. A unit of the other kind is named as such
 * (`"mg/h" is a rate unit; a bolus takes a dose unit, one of …`), anything else as unknown; both list
 * the accepted units. `taker` names what takes the unit ("a rate", "a bolus", "an oral dose").
 */
export function unitProblem(kind: 'dose' | 'rate', unit: unknown, taker: string): string | null {
  const [fits, other, otherKind] = kind === 'dose' ? [isDoseUnit, isRateUnit, 'rate'] : [isRateUnit, isDoseUnit, 'dose'];
  if (typeof unit === 'string' && fits(unit)) return null;
  const list = Object.keys(kind === 'dose' ? DOSE_UNITS : RATE_UNITS).join(', ');
  return typeof unit === 'string' && other(unit)
    ? `"${unit}" is a ${otherKind} unit; ${taker} takes a ${kind} unit, one of ${list}`
    : `unknown ${kind} unit ${show(unit)}; expected one of ${list}`;
}

/** A dose in the given unit → mg for a patient of `weightKg`. */
export function doseToMg(amount: number, u: DoseUnit, weightKg: number): Mg {
  const d = DOSE_UNITS[u];
  return (amount * d.toMg * (d.perKg ? weightKg : 1)) as Mg;
}

/** A pump rate in the given unit → mg/min for a patient of `weightKg`. */
export function rateToMgPerMin(rate: number, u: RateUnit, weightKg: number): MgPerMin {
  const r = RATE_UNITS[u];
  return (rate * r.toMgPerMin * (r.perKg ? weightKg : 1)) as MgPerMin;
}

/** mg/min → the given rate unit for a patient of `weightKg` (inverse of rateToMgPerMin). */
export function mgPerMinToRate(r: MgPerMin, u: RateUnit, weightKg: number): number {
  const f = RATE_UNITS[u];
  return r / (f.toMgPerMin * (f.perKg ? weightKg : 1));
}
