/**
 * Problems that would stop a live session on a plan, checked where the engine runs (the storage worker,
 * ui/storage/storage-api.ts): the plan format's (parsePlan), or a model that cannot be resolved for the
 * session's patient (e.g. a covariate the model needs is missing) or gives no finite prediction.
 */
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { parsePlan, type Problem } from '../../engine/plan.ts';
import { liveKernel } from '../../engine/live/index.ts';

export function checkSessionPlan(plan: unknown): Problem[] {
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
