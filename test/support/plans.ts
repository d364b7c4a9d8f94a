// `domino4h`: the CLI tests' plan (70-kg adult, Domino 1984, 0.5 mg/kg over 40 min, 4 h at 10 s), with fields overridden.

/** The CLI tests' plan as plan-format JSON (an object), with `over` replacing top-level fields. */
export const domino4h = (over: Record<string, unknown> = {}) => ({
  patient: { weightKg: 70, ageYears: 40 },
  model: { id: 'domino-1984' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin: 240,
  resolutionSec: 10,
  ...over,
});
