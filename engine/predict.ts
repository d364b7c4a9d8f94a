// `predict(plan)`: resolves model and ke0 (`resolveModel`, published/derived/override/custom), simulates, collects population warnings.
import { findModel, MODEL_IDS } from './models/registry.ts';
import { domino1984 } from './models/domino-1984.ts';
import type { ModelDefinition } from './models/types.ts';
import {
  isClearanceModel,
  isDoseOver,
  isRegistryRef,
  parsePlan,
  type DoseEvent,
  type ModelRef,
  type Plan,
  type Problem,
} from './plan.ts';
import type { Patient } from './patient.ts';
import { mammillary, microFromClearances } from './pk/mammillary.ts';
import { ke0ForTimeToPeak, timeToPeakCe } from './pk/ke0.ts';
import type { PkStructure } from './pk/stepper.ts';
import { regimenToActions, sameTime, type DoseAction } from './dosing/actions.ts';
import { routingFor, type Routing } from './dosing/routes.ts';
import { simulate, type Trajectory } from './simulate.ts';
import { metaboliteRun } from './models/metabolite.ts';
import { gridPointCount } from './plan.ts';
import { WarningSink, type Warning } from './warnings.ts';
import { DEFAULT_DOSE_LIMITS, doseSafetyWarnings, type DoseLimits } from './safety/dose-safety.ts';
import { defaultBandSetForModel, drugClass, NAMED_KE0_MODELS, NAMED_KE0_RECORDS } from './pd/s-ketamine-bands.ts';

/**
 * Where the ke0 in use comes from: the model's published value, derived by the time-to-peak rule, a
 * number given in the plan (`override`), a custom model's, or a published value estimated with another
 * PK model and transferred to this one (`transferred`: `"ke0": "olofsen-2022"`; `ke0Citation` says whose).
 */
export type Ke0Source = 'published' | 'derived' | 'override' | 'custom' | 'transferred';

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
  /**
   * For a transferred ke0 (`ke0Source` 'transferred'): its source and the PK it was estimated with. Absent
   * otherwise (a published ke0's citation is in `definition.ke0`).
   */
  readonly ke0Citation?: string;
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

/**
 * Warnings for a patient outside the model's studied ranges (values, not errors), one per covariate,
 * naming the range and its basis. A `proxy` range (the source states none) is checked only when the
 * patient is inside the model's other ranges: outside them the patient is already flagged as not of
 * the studied group, and a second warning would repeat it.
 */
export function populationWarnings(def: ModelDefinition, patient: Patient, sink: WarningSink): void {
  const fields = [
    ['weightKg', patient.weightKg, 'kg'],
    ['ageYears', patient.ageYears, 'years'],
  ] as const;
  const outside = (field: 'weightKg' | 'ageYears', value: number | undefined): boolean => {
    const r = def.validity[field];
    return value !== undefined && (value < r.min || value > r.max);
  };
  const flagged = fields.some(([f, v]) => def.validity[f].kind !== 'proxy' && outside(f, v));
  for (const [field, value, unit] of fields) {
    const r = def.validity[field];
    if (!outside(field, value) || (r.kind === 'proxy' && flagged)) continue;
    sink.warn(
      'outside-population',
      `patient.${field} ${value} ${unit} is outside the ${def.name} population (${r.min}–${r.max} ${unit}, ${r.basis}); the prediction is an extrapolation`,
    );
  }
}

/** Resolve a plan's model for its patient. Throws only for an id not in the registry (validated earlier). */
export function resolveModel(model: ModelRef, patient: Patient, sink: WarningSink = new WarningSink()): ResolvedModel {
  if (isRegistryRef(model)) {
    const def = findModel(model.id);
    if (!def) throw new Error(`model.id: unknown model "${model.id}"; expected one of ${MODEL_IDS.join(', ')}`);
    // parsePlan refuses these; reaching here without one is a programmer error (a plan not validated).
    for (const need of def.requires)
      if (patient[need.field] === undefined) throw new Error(`patient.${need.field}: required by ${def.id} (${need.reason})`);
    populationWarnings(def, patient, sink);
    const parameters = def.parameters(patient);
    const structure = def.structure(parameters);
    if (typeof model.ke0 === 'string') {
      const record = NAMED_KE0_RECORDS[model.ke0];
      const applies: readonly string[] | undefined = NAMED_KE0_MODELS[model.ke0];
      // parsePlan refuses these; reaching here is a programmer error (a plan not validated).
      if (!record || !applies) throw new Error(`model.ke0: unknown named ke0 ${JSON.stringify(model.ke0)}`);
      if (!applies.includes(def.id) || drugClass(def.drug) !== 's-ketamine')
        throw new Error(`model.ke0: "${model.ke0}" applies only to ${applies.join(', ')}, not to ${def.id}`);
      const citation = `${record.citation}, doi:${record.doi}; estimated with ${record.pk}, transferred to ${def.name} PK`;
      sink.warn(
        'transferred-ke0',
        `using Olofsen 2022's ke0 ${record.valuePerMin.toPrecision(3)} /min (t½ke0 ${record.tHalfMin} min, 95% CI ${record.tHalfCi95Min[0]}–${record.tHalfCi95Min[1]} min) with ${def.name}: it was estimated with Olofsen's own S-ketamine PK, so with this model's PK it is a transfer, not an estimate`,
      );
      return { definition: def, parameters, structure, ke0: record.valuePerMin, ke0Source: 'transferred', ke0Citation: citation };
    }
    if (model.ke0 !== undefined) return { definition: def, parameters, structure, ke0: model.ke0, ke0Source: 'override' };
    if (def.ke0.kind === 'published') {
      return { definition: def, parameters, structure, ke0: def.ke0.valuePerMin, ke0Source: 'published' };
    }
    const ke0 = derivedKe0(def, parameters);
    sink.warn(
      'derived-ke0',
      `${def.name} has no published ke0; using a derived ke0 of ${ke0.toPrecision(3)} /min (the same time to peak effect as Domino 1984 with its published 0.238 /min); model.ke0 overrides it`,
    );
    return { definition: def, parameters, structure, ke0, ke0Source: 'derived' };
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

/**
 * Run a validated plan: resolve its model, turn its regimen into actions and simulate on its grid.
 * Warnings include the dose-safety checks (`dose-above-limit`, `dose-unit-suspect`;
 * engine/safety/dose-safety.ts) under `limits` (default `DEFAULT_DOSE_LIMITS`, cited; a clinic's own
 * settings read with `parseDoseLimits`), and, for an S-ketamine model scored on its default bands, the
 * notice naming the racemic bands that have no S-ketamine counterpart (`s-ketamine-bands`).
 */
export function predict(plan: Plan, limits: DoseLimits = DEFAULT_DOSE_LIMITS): Prediction {
  const sink = new WarningSink();
  const model = resolveModel(plan.model, plan.patient, sink);
  const routing = routingFor(model.definition, plan.regimen);
  const { actions, grid } = planActions(plan, model, routing, limits, sink);
  const trajectory = simulate(
    model.structure,
    model.ke0,
    actions,
    grid,
    metaboliteRun(model.definition, model.parameters, model.structure),
    routing,
  );
  return { trajectory, model, actions, warnings: sink.list() };
}

/**
 * A validated plan's dose actions and output grid, with the warnings its regimen (`regimenWarnings`),
 * dose limits (`doseSafetyWarnings` under `limits`) and bands (`bandWarnings`) raise, into `sink`: the
 * one place `predict` and the population job (engine/population/spec.ts) turn a plan into what they step.
 * Non-IV doses need the model's `routing` (`routingFor`); with null they throw (IV-only computations).
 */
export function planActions(
  plan: Plan,
  model: ResolvedModel,
  routing: Routing | null,
  limits: DoseLimits,
  sink: WarningSink,
): { actions: DoseAction[]; grid: { resolutionSec: number; count: number } } {
  const actions = regimenToActions(plan.regimen, plan.patient.weightKg, routing);
  regimenWarnings(plan, sink);
  for (const w of doseSafetyWarnings(plan, limits)) sink.warn(w.code, w.message);
  bandWarnings(plan, model, sink);
  const grid = { resolutionSec: plan.resolutionSec, count: gridPointCount(plan.horizonMin, plan.resolutionSec) };
  return { actions, grid };
}

/**
 * `s-ketamine-bands`: a plan without its own `thresholds` whose model's drug has a band set other than
 * the racemic one (S-ketamine, esketamine) is scored on that set; the warning says so and names the
 * racemic bands with no counterpart, so nothing is scored against racemic bands silently.
 */
export function bandWarnings(plan: Plan, model: ResolvedModel, sink: WarningSink): void {
  if (plan.thresholds !== undefined) return;
  const notice = defaultBandSetForModel(model.definition).notice;
  if (notice !== null) sink.warn('s-ketamine-bands', notice);
}

/** A time or amount for a message: at most 12 significant digits, so float noise (40.000000000000004) does not show. */
const num = (x: number): string => String(Number(x.toPrecision(12)));

/**
 * The regimen's warnings (docs/PLAN-FORMAT.md "Dose events" and "Warnings"):
 * - `after-horizon`: events that start after horizonMin, named (they do not show in the prediction);
 * - `overlapping-doses`: a dose over a duration that starts while another is still running. There is
 *   one pump, so the later start replaces the running dose and the first of the two ends stops the
 *   pump: legal, but almost never meant. Each pair is named once, with the times. A dose starting at
 *   the instant another ends but listed before it is also named: events at one instant apply in file
 *   order, so the other's stop cancels it.
 */
export function regimenWarnings(plan: Plan, sink: WarningSink): void {
  const late = plan.regimen.flatMap((e, i) => (e.at > plan.horizonMin ? [`regimen[${i}] (at ${num(e.at)} min)`] : []));
  if (late.length > 0) {
    const shown = late.length > 5 ? `${late.slice(0, 5).join(', ')} and ${late.length - 5} more` : late.join(', ');
    sink.warn(
      'after-horizon',
      `${shown} ${late.length === 1 ? 'starts' : 'start'} after horizonMin (${num(plan.horizonMin)} min) and ${late.length === 1 ? 'does' : 'do'} not show in the prediction`,
    );
  }
  const doses = plan.regimen.flatMap((e, i) => (isDoseOver(e) ? [{ i, at: e.at, end: e.at + e.overMin }] : []));
  for (const a of doses) {
    for (const b of doses) {
      if (a.i === b.i) continue;
      const stop = Math.min(a.end, b.end);
      const stopper = sameTime(a.end, b.end) || a.end < b.end ? a.i : b.i;
      const outcome = `one pump, so regimen[${b.i}] replaces regimen[${a.i}] and the pump stops at ${num(stop)} min (the end of regimen[${stopper}]): less than the two doses is given. Give one event with the combined rate, or start the second when the first ends`;
      if (sameTime(a.at, b.at)) {
        if (a.i < b.i)
          sink.warn(
            'overlapping-doses',
            `regimen[${a.i}] and regimen[${b.i}] both start at ${num(a.at)} min (regimen[${a.i}] runs until ${num(a.end)} min, regimen[${b.i}] until ${num(b.end)} min): ${outcome}`,
          );
      } else if (a.at < b.at && b.at < a.end && !sameTime(b.at, a.end)) {
        sink.warn(
          'overlapping-doses',
          `regimen[${b.i}] starts at ${num(b.at)} min while regimen[${a.i}] runs until ${num(a.end)} min: ${outcome}`,
        );
      } else if (sameTime(b.at, a.end) && b.i < a.i) {
        sink.warn(
          'overlapping-doses',
          `regimen[${b.i}] starts at ${num(b.at)} min, the instant regimen[${a.i}] ends, but is listed before it: events at one instant apply in file order, so the stop of regimen[${a.i}] cancels regimen[${b.i}] and it is not given. List regimen[${b.i}] after regimen[${a.i}]`,
        );
      }
    }
  }
}

/** A prediction, or the problems that keep it from being one (e.g. a result that overflows). */
export type CheckedPrediction = { ok: true; prediction: Prediction } | { ok: false; problems: Problem[] };

/**
 * `predict`, plus the guarantee of the contract's Output section: every number is finite. The plan is
 * first held to parsePlan's rules (a `Plan` built in code rather than parsed gets the same checks,
 * including the engineering limits on volumes, rate constants, doses and rates that keep results finite
 * and well conditioned). Should a result still not be finite, the problem names its cause: a model
 * parameter that is not a finite positive number (`model.<name>`), else the dose event whose drug first
 * makes it so (`regimen[i]`), with where the first non-finite value is — never `null` or `Infinity`.
 */
export function predictChecked(plan: Plan, limits: DoseLimits = DEFAULT_DOSE_LIMITS): CheckedPrediction {
  const parsed = parsePlan(plan, MODEL_IDS);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const prediction = predict(plan, limits);
  const problem = nonFiniteProblem(plan, prediction);
  return problem === null ? { ok: true, prediction } : { ok: false, problems: [problem] };
}

/**
 * The first non-finite value of a prediction as a problem naming its cause, or null when every value is
 * finite: a model parameter that is not a finite number > 0 (`model.<name>`, or `model.id` for a
 * registry model's own parameter), else the latest dose event at or before the first non-finite point
 * (`regimen[i]`: its drug made it so).
 */
export function nonFiniteProblem(plan: Plan, prediction: Prediction): Problem | null {
  const { t, cp, ce } = prediction.trajectory;
  for (let j = 0; j < t.length; j++) {
    if (Number.isFinite(cp[j]) && Number.isFinite(ce[j])) continue;
    const which = Number.isFinite(cp[j]) ? 'ce' : 'cp';
    const where = `the prediction is not a finite number (${which} at t = ${num(t[j])} min)`;
    const { parameters, ke0 } = prediction.model;
    for (const [name, value] of [...Object.entries(parameters), ['ke0', ke0] as const]) {
      if (!(Number.isFinite(value) && value > 0)) {
        const path = isRegistryRef(plan.model) && name !== 'ke0' ? 'model.id' : `model.${name}`;
        return { path, message: `${where}: parameter ${name} is ${value} for this patient, not a finite number > 0` };
      }
    }
    const cause = causeEvent(plan.regimen, t[j]);
    if (cause === null) return { path: 'model', message: `${where} before any dose: the model cannot be computed` };
    const v1 = parameters.v1 ?? parameters.vc;
    return {
      path: `regimen[${cause}]`,
      message: `${where}, after this event (at ${num(plan.regimen[cause].at)} min): its dose or rate is too large to compute with this model${v1 === undefined ? '' : ` (central volume ${num(v1)} L)`}`,
    };
  }
  return null;
}

/** Index of the latest-starting event at or before t (min), file order breaking ties (the last applies last); null if none. */
function causeEvent(regimen: readonly DoseEvent[], t: number): number | null {
  let best: number | null = null;
  regimen.forEach((e, i) => {
    if ((e.at <= t || sameTime(e.at, t)) && (best === null || e.at >= regimen[best].at)) best = i;
  });
  return best;
}
