/**
 * The patient: total body weight is always required; age, sex and height only by models that use
 * them. Ranges are the plan format's (PLAN-FORMAT.md); a value outside a model's studied population
 * is a warning from that model, not an error here.
 */
export interface Patient {
  /** Total body weight, kg (0.3–400). */
  readonly weightKg: number;
  /** Age, years (0–120). */
  readonly ageYears?: number;
  readonly sex?: 'female' | 'male';
  /** Height, cm (20–250). */
  readonly heightCm?: number;
}

/** The plan format's accepted ranges for each covariate, inclusive. */
export const PATIENT_RANGES = {
  weightKg: [0.3, 400],
  ageYears: [0, 120],
  heightCm: [20, 250],
} as const;

/** Allometric size factor (WT/70)^exponent, the scaling most of the published models use. */
export function allometric(weightKg: number, exponent: number): number {
  return Math.pow(weightKg / 70, exponent);
}
