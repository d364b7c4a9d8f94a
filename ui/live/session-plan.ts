import { MODEL_IDS } from '../../engine/models/registry.ts';
import { parsePlan, type Plan, type Problem } from '../../engine/plan.ts';
import { liveKernel } from '../../engine/live/index.ts';
import type { PatientFields } from '../storage/records.ts';

/** The plan a session runs: the plan's regimen, model and bands with the patient's covariates (no label). */
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

/**
 * Problems that would stop a session on this plan: the plan format's (parsePlan), or a model that
 * cannot be resolved for this patient (e.g. a covariate the model needs is missing).
 */
export function checkSessionPlan(plan: Plan): Problem[] {
  const parsed = parsePlan(plan, MODEL_IDS);
  if (!parsed.ok) return parsed.problems.map((p) => ({ path: `plan.${p.path}`, message: p.message }));
  try {
    const { kernel } = liveKernel(parsed.plan);
    const s = kernel.newState();
    kernel.advance(s, 1, 1);
    if (!Number.isFinite(kernel.ce(s)) || !Number.isFinite(kernel.cp(s))) {
      return [
        {
          path: 'plan.patient',
          message:
            'the model gives no finite prediction for this patient; check the covariates the model needs (age, sex, height)',
        },
      ];
    }
  } catch (e) {
    return [{ path: 'plan.model', message: `the model cannot be resolved for this patient: ${(e as Error).message}` }];
  }
  return [];
}
