import { findModel, MODEL_IDS } from './models/registry.ts';
import { domino1984 } from './models/domino-1984.ts';
import type { ModelDefinition } from './models/types.ts';
import { isClearanceModel, isRegistryRef, type ModelRef, type Plan, type Problem } from './plan.ts';
import type { Patient } from './patient.ts';
import { mammillary, microFromClearances } from './pk/mammillary.ts';
import { ke0ForTimeToPeak, timeToPeakCe } from './pk/ke0.ts';
import type { PkStructure } from './pk/stepper.ts';
import { regimenToActions, type DoseAction } from './dosing/actions.ts';
import { simulate, type Trajectory } from './simulate.ts';
import { gridPointCount } from './plan.ts';
import { WarningSink, type Warning } from './warnings.ts';

/** Where the ke0 in use comes from. */
export type Ke0Source = 'published' | 'derived' | 'override' | 'custom';

/** A model made concrete for one patient: the structure the engine steps, and its ke0. */
export interface ResolvedModel {
  /** The registry definition, or null for a custom model from the plan. */
  readonly definition: ModelDefinition | null;
  /** Parameters in use (L, L/min, 1/min), by name. */
  readonly parameters: Record<string, number>;
  readonly structure: PkStructure;
  /** ke0 in use, 1/min. */
  readonly ke0: number;
  readonly ke0Source: Ke0Source;
}

let referenceTpeak: number | null = null;
/**
 * Reference time to peak Ce after a bolus (min): Domino 1984 PK with the published ke0 0.238 /min
 * (Navarrete 2025). Independent of weight, since Domino's micro-constants are fixed.
 */
export function referenceTimeToPeakMin(): number {
  if (referenceTpeak === null) {
    const p = domino1984.parameters({ weightKg: 70 });
    referenceTpeak = timeToPeakCe(domino1984.structure(p), 0.238);
  }
  return referenceTpeak;
}

const derivedCache = new Map<string, number>();
/** The derived ke0 (1/min) of a registry model's structure by the time-to-peak rule, cached. */
export function derivedKe0(def: ModelDefinition, parameters: Record<string, number>): number {
  const key = def.id + JSON.stringify(parameters);
  let v = derivedCache.get(key);
  if (v === undefined) {
    const k = ke0ForTimeToPeak(def.structure(parameters), referenceTimeToPeakMin());
    if (k === null) throw new Error(`model ${def.id}: no ke0 reproduces the reference time to peak`);
    v = k;
    if (derivedCache.size > 1000) derivedCache.clear();
    derivedCache.set(key, v);
  }
  return v;
}

/** Warnings for a patient outside the model's studied ranges (values, not errors). */
export function populationWarnings(def: ModelDefinition, patient: Patient, sink: WarningSink): void {
  const check = (field: 'weightKg' | 'ageYears', value: number | undefined, unit: string) => {
    const r = def.validity[field];
    if (!r || value === undefined) return;
    if (value < r.min || value > r.max) {
      sink.warn(
        'outside-population',
        `patient.${field} ${value} ${unit} is outside the ${def.name} population (${r.min}–${r.max} ${unit}, ${r.basis}); the prediction is an extrapolation`,
      );
    }
  };
  check('weightKg', patient.weightKg, 'kg');
  check('ageYears', patient.ageYears, 'years');
}

/** Resolve a plan's model for its patient. Throws only for an id not in the registry (validated earlier). */
export function resolveModel(model: ModelRef, patient: Patient, sink: WarningSink = new WarningSink()): ResolvedModel {
  if (isRegistryRef(model)) {
    const def = findModel(model.id);
    if (!def) throw new Error(`model.id: unknown model "${model.id}"; expected one of ${MODEL_IDS.join(', ')}`);
    populationWarnings(def, patient, sink);
    const parameters = def.parameters(patient);
    const structure = def.structure(parameters);
    if (model.ke0 !== undefined) return { definition: def, parameters, structure, ke0: model.ke0, ke0Source: 'override' };
    if (def.ke0.kind === 'published') {
      return { definition: def, parameters, structure, ke0: def.ke0.valuePerMin, ke0Source: 'published' };
    }
    sink.warn(
      'derived-ke0',
      `${def.name} has no published ke0; using a derived value (same time to peak effect as Domino 1984 with ke0 0.238 /min)`,
    );
    return { definition: def, parameters, structure, ke0: derivedKe0(def, parameters), ke0Source: 'derived' };
  }
  if (isClearanceModel(model)) {
    const { ke0, ...parameters } = model;
    return { definition: null, parameters, structure: microFromClearances(model), ke0, ke0Source: 'custom' };
  }
  const { ke0, ...parameters } = model;
  return {
    definition: null,
    parameters,
    structure: mammillary(model.v1, model.k10, model.k12 ?? 0, model.k21 ?? 0, model.k13 ?? 0, model.k31 ?? 0),
    ke0,
    ke0Source: 'custom',
  };
}

/** Everything one plan predicts. */
export interface Prediction {
  readonly trajectory: Trajectory;
  readonly model: ResolvedModel;
  readonly actions: readonly DoseAction[];
  readonly warnings: readonly Warning[];
}

/** Run a validated plan: resolve its model, turn its regimen into actions and simulate on its grid. */
export function predict(plan: Plan): Prediction {
  const sink = new WarningSink();
  const model = resolveModel(plan.model, plan.patient, sink);
  const actions = regimenToActions(plan.regimen, plan.patient.weightKg);
  const late = plan.regimen.filter((e) => e.at > plan.horizonMin).length;
  if (late > 0)
    sink.warn(
      'after-horizon',
      `${late} regimen event(s) start after horizonMin (${plan.horizonMin} min) and do not show in the prediction`,
    );
  const grid = { resolutionSec: plan.resolutionSec, count: gridPointCount(plan.horizonMin, plan.resolutionSec) };
  const trajectory = simulate(model.structure, model.ke0, actions, grid);
  return { trajectory, model, actions, warnings: sink.list() };
}

/** A prediction, or the problems that keep it from being one (e.g. a result that overflows). */
export type CheckedPrediction = { ok: true; prediction: Prediction } | { ok: false; problems: Problem[] };

/**
 * `predict`, plus the guarantee of the contract's Output section: every number is finite. A plan whose
 * result is not (a dose so large, or a volume so small, that a concentration overflows a double) gets a
 * problem naming what to look at and where the first non-finite value is, never `null` or `Infinity`.
 */
export function predictChecked(plan: Plan): CheckedPrediction {
  const prediction = predict(plan);
  const { t, cp, ce } = prediction.trajectory;
  for (let j = 0; j < t.length; j++) {
    if (Number.isFinite(cp[j]) && Number.isFinite(ce[j])) continue;
    const which = Number.isFinite(cp[j]) ? 'ce' : 'cp';
    const path = isRegistryRef(plan.model) ? 'regimen' : 'model';
    const cause = isRegistryRef(plan.model)
      ? 'a dose or rate is too large to compute'
      : 'a dose or rate is too large, or a volume or rate constant too extreme, to compute';
    return {
      ok: false,
      problems: [{ path, message: `the prediction is not a finite number (${which} at t = ${t[j]} min): ${cause}` }],
    };
  }
  return { ok: true, prediction };
}
