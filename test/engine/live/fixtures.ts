// Helpers: `plan()` (validated plan or throw), `antidepressant()` 0.5 mg/kg/40 min plan, `logOf()` builds a session log.
import { parsePlan, type Plan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { recordAction, type SessionLog } from '../../../engine/live/log.ts';

/** A validated plan from plain JSON (throws with the problems otherwise). */
export function plan(json: Record<string, unknown>): Plan {
  const r = parsePlan({ horizonMin: 120, resolutionSec: 10, ...json }, MODEL_IDS);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.plan;
}

/** The antidepressant preset on Domino 1984: 0.5 mg/kg over 40 min (docs/research/ketamine-pd.md §4). */
export const antidepressant = (weightKg = 70): Plan =>
  plan({ patient: { weightKg }, model: { id: 'domino-1984' }, regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }] });

/** Record actions (each at its own minute) and return the log; throws if any is refused. */
export function logOf(p: Plan, actions: readonly Record<string, unknown>[], log: SessionLog = { entries: [] }): SessionLog {
  for (const a of actions) {
    const r = recordAction(p, log, a, a.atMin as number);
    if (!r.ok) throw new Error(`${JSON.stringify(a)}: ${r.problems.map((x) => `${x.path}: ${x.message}`).join('; ')}`);
    log = r.log;
  }
  return log;
}
