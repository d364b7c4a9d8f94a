/**
 * What the research commands (batch, sweep, validate) report about each prediction: the model in use
 * with its ke0 and provenance, warnings with the row or subject they concern, and the metrics exactly as
 * `ketasim metrics` computes them (so every command reports them alike).
 */
import type { Metrics } from '../metrics.ts';
import { computeMetrics } from '../metrics.ts';
import { bandsForPlan } from '../pd/bands.ts';
import type { Plan } from '../plan.ts';
import type { Ke0Source, Prediction, ResolvedModel } from '../predict.ts';
import type { Warning } from '../warnings.ts';

/** One model in use: registry id (or "custom"), name, its ke0 (1/min) and where the ke0 comes from. */
export interface ModelSummary {
  readonly id: string;
  readonly name: string | null;
  readonly ke0PerMin: number;
  readonly ke0Source: Ke0Source;
  /** Patient weight the ke0 was resolved for, kg (a derived ke0 of an allometric model depends on it). */
  readonly weightKg?: number;
}

/** A warning and, where an output has many rows or subjects, which of them it concerns. */
export interface ContextWarning extends Warning {
  /** Where it applies, e.g. `rows[3]` or `kamp-2020, subject 12`; absent when it concerns the whole output. */
  readonly where?: string;
}

/** A resolved model as a summary (id, name, ke0, provenance; the weight when given). */
export function modelSummary(model: ResolvedModel, weightKg?: number): ModelSummary {
  return {
    id: model.definition?.id ?? 'custom',
    name: model.definition?.name ?? null,
    ke0PerMin: model.ke0,
    ke0Source: model.ke0Source,
    ...(weightKg !== undefined && { weightKg }),
  };
}

/**
 * The metrics of one prediction exactly as `ketasim metrics` computes them: the plan's bands (or the
 * cited defaults), its dose actions and its patient's weight.
 */
export function planMetrics(plan: Plan, prediction: Prediction): Metrics {
  return computeMetrics(
    prediction.trajectory,
    bandsForPlan(plan.thresholds, prediction.model.definition),
    prediction.actions,
    plan.patient.weightKg,
  );
}

/**
 * Warnings merged across rows or subjects: each distinct code and message once, `where` listing every
 * place it concerns (a derived-ke0 note on every row of a model is one line, not twenty).
 */
export function mergeWarnings(warnings: readonly ContextWarning[], separator = ', '): ContextWarning[] {
  const byKey = new Map<string, { code: string; message: string; where: string[] }>();
  for (const w of warnings) {
    const key = `${w.code}\u0000${w.message}`;
    const e = byKey.get(key);
    if (e) e.where.push(w.where ?? '');
    else byKey.set(key, { code: w.code, message: w.message, where: [w.where ?? ''] });
  }
  return [...byKey.values()].map((e) => ({ code: e.code, message: e.message, where: e.where.join(separator) }));
}
