/**
 * The plan a live session runs: the plan's regimen, model and bands with the patient's covariates (no
 * label). Plain data only; the check that a session can run on it (parsePlan, model resolution) happens in
 * the storage worker (ui/storage/session-check.ts).
 */
import type { Plan } from '../../engine/plan.ts';
import type { PatientFields } from '../storage/records.ts';

export function sessionPlanFor(plan: Plan, patient: PatientFields): Plan {
  const { label: _label, ...rest } = plan;
  return {
    ...rest,
    patient: {
      weightKg: patient.weightKg,
      ...(patient.ageYears !== undefined && { ageYears: patient.ageYears }),
      ...(patient.sex !== undefined && { sex: patient.sex }),
      ...(patient.heightCm !== undefined && { heightCm: patient.heightCm }),
    },
  };
}
