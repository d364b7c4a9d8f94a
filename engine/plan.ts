// The plan schema and `parsePlan()`: a typed plan or every problem with its field path; also `parsePlanText`, duplicate-key scan.
import {
  DEFAULT_RATE_UNIT,
  DOSE_UNITS,
  RATE_UNITS,
  doseToMg,
  isRateUnit,
  rateToMgPerMin,
  unitProblem,
  type DoseUnit,
  type RateUnit,
} from './units.ts';
import { show } from './describe.ts';
import { gridPointCount } from './grid.ts';
import { PATIENT_RANGES, type Patient } from './patient.ts';
import { COVARIATE_REQUIREMENTS } from './models/requirements.ts';
import { MODEL_ROUTES, ROUTES, modelsWithRoute, type Route } from './models/routes.ts';

export type { Route } from './models/routes.ts';
import { NAMED_KE0_IDS, NAMED_KE0_MODELS, type NamedKe0 } from './pd/s-ketamine-bands.ts';

/**
 * The plan: everything needed to reproduce a prediction (../shared/PLAN-FORMAT.md, copied into
 * docs/PLAN-FORMAT.md). It is validated once, here, at the edge: `parsePlan` returns either a typed
 * plan or every problem found, each naming its field path and the accepted values. Nothing is
 * clamped, rounded or dropped; an unknown field is an error because it is usually a typo.
 */
export interface Plan {
  readonly patient: Patient;
  readonly model: ModelRef;
  /** Dose events in file order (they apply in time order; same-time events in file order). */
  readonly regimen: readonly DoseEvent[];
  /** End of the prediction, min (0 < horizon ≤ 7 days). */
  readonly horizonMin: number;
  /** Output grid step, s; outputs at t = 0, Δ, 2Δ, … ≤ horizon. */
  readonly resolutionSec: number;
  /** Concentration bands for metrics and the chart; when absent the drug's defaults apply. */
  readonly thresholds?: readonly Band[];
  /** Free text naming the scenario (never a person). */
  readonly label?: string;
}

/**
 * A registry model, optionally with its ke0 overridden: a number (1/min), or a named published ke0
 * (`"olofsen-2022"`, only for the models engine/pd/s-ketamine-bands.ts `NAMED_KE0_MODELS` lists).
 */
export interface RegistryModelRef {
  readonly id: string;
  readonly ke0?: number | NamedKe0;
}
/** A custom mammillary model from volumes (L) and clearances (L/min); not weight-scaled. */
export interface CustomClearanceModel {
  readonly v1: number;
  readonly cl1: number;
  readonly v2?: number;
  readonly cl2?: number;
  readonly v3?: number;
  readonly cl3?: number;
  readonly ke0: number;
}
/** A custom mammillary model from V1 (L) and micro-constants (1/min); not weight-scaled. */
export interface CustomMicroModel {
  readonly v1: number;
  readonly k10: number;
  readonly k12?: number;
  readonly k21?: number;
  readonly k13?: number;
  readonly k31?: number;
  readonly ke0: number;
}
export type ModelRef = RegistryModelRef | CustomClearanceModel | CustomMicroModel;

export const isRegistryRef = (m: ModelRef): m is RegistryModelRef => 'id' in m;
export const isClearanceModel = (m: ModelRef): m is CustomClearanceModel => 'cl1' in m;
export const isMicroModel = (m: ModelRef): m is CustomMicroModel => 'k10' in m;

/** An instantaneous dose into the central compartment. */
export interface BolusEvent {
  readonly at: number;
  readonly bolus: number;
  readonly unit: DoseUnit;
}
/** The pump runs at `rate` from `at` until the next rate change; 0 pauses or stops. */
export interface RateEvent {
  readonly at: number;
  readonly rate: number;
  readonly unit: RateUnit;
}
/** A dose spread evenly over `overMin` minutes: a rate change at `at` and a stop at `at + overMin`. */
export interface DoseOverEvent {
  readonly at: number;
  readonly dose: number;
  readonly unit: DoseUnit;
  readonly overMin: number;
}
/**
 * A non-IV dose (docs/PLAN-FORMAT.md "Dose events"): `"route": "intranasal"` or `"oral"`, only with a model
 * that has the route. Its absorption, bioavailability and any first-pass path come from the model's
 * source, so it has no `overMin`; it is not part of the pump and never changes the pump's rate. A route
 * given in devices (Perez-Ruixo's 28-mg nasal spray) takes a whole number of devices, given one after
 * another at the source's interval from `at`. (`"route": "iv"` may be written on any IV event; parsePlan
 * drops it, IV being the default, so a typed plan's IV events never carry a route.)
 */
export interface RouteDoseEvent {
  readonly at: number;
  readonly dose: number;
  readonly unit: DoseUnit;
  readonly route: Route;
}
export type DoseEvent = BolusEvent | RateEvent | DoseOverEvent | RouteDoseEvent;

export const isBolus = (e: DoseEvent): e is BolusEvent => 'bolus' in e;
export const isRate = (e: DoseEvent): e is RateEvent => 'rate' in e;
/** An IV dose over a duration (`overMin`); a route dose also has `dose` but is not one. */
export const isDoseOver = (e: DoseEvent): e is DoseOverEvent => 'overMin' in e;
/** A non-IV dose (intranasal, oral). */
export const isRouteDose = (e: DoseEvent): e is RouteDoseEvent => 'route' in e;

/** A concentration band in ng/mL; `highNgMl` absent means open-ended. */
export interface Band {
  readonly id: string;
  readonly lowNgMl: number;
  readonly highNgMl?: number;
}

/** One thing wrong with a plan: where (a field path such as `regimen[2].unit`) and what. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}
export type ParseResult = { ok: true; plan: Plan } | { ok: false; problems: Problem[] };

/** Longest horizon accepted, min (7 days). */
export const MAX_HORIZON_MIN = 7 * 24 * 60;
/** Most output points a plan may ask for. */
export const MAX_POINTS = 10_000_000;

// ── Limits on lists and text ───────────────────────────────────────────────────────────────────────
// Stated here once so the CLI, share links and the dashboard quote the same numbers. They are far above
// what a clinic or research plan uses (a day of 1-min pump changes is 1,440 events only at the extreme;
// published protocols have a handful) and low enough that a plan from a link cannot stall the dashboard
// (a 10,000-event, 532-kB link froze it) or put pages of text into its tables and legends.

/** Most dose events in one regimen. */
export const MAX_REGIMEN_EVENTS = 1000;
/** Most concentration bands (`thresholds`) in one plan; the defaults are 4. */
export const MAX_BANDS = 12;
/** Longest band id, characters. */
export const MAX_BAND_ID_LENGTH = 40;
/** Characters a band id may use: letters (any script), digits, space, hyphen, underscore. */
export const BAND_ID_PATTERN = /^[\p{L}\p{N} _-]+$/u;
/** The same, in words, for messages and the UI. */
export const BAND_ID_CHARACTERS = 'letters, digits, space, - and _';
/**
 * Longest label accepted, characters (Unicode code points). A label names a curve in a legend and a
 * row in a comparison; 200 leaves room for a descriptive name without becoming a document.
 */
export const MAX_LABEL_LENGTH = 200;
/**
 * Characters a label may not contain: control characters (line breaks, tabs, escapes) and the
 * bidirectional-text controls that can make displayed text read differently from what it is.
 */
const LABEL_FORBIDDEN = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

// ── Numerical-conditioning limits (engineering limits, not physiology) ─────────────────────────────
// Chosen so that every concentration the engine can be asked for is a finite double computed to full
// working precision: the largest concentration is bounded by (events × largest dose + largest rate ×
// 7 days) / smallest volume = (1000 × 1e5 + 1e4 × 10080) mg / 1e-3 L ≈ 2e11 mg/L (2e14 ng/mL), far below
// overflow. Rate constants span at most 1e5 (1e-4 … 10 /min): at every corner of these limits the modal
// path agrees with the matrix exponential to ~1e-8 of the peak (test/engine/plan-limits.test.ts holds it to
// 1e-6), while a span of 1e9 (1e-6 … 1e3), measured when choosing them, gave negative concentrations and
// errors of the order of the result (stiff modes lost to rounding in the cubic's roots). Published ketamine models lie deep inside (volumes 5–600 L, rate
// constants 0.001–1.5 /min, ke0 up to ~4.8 /min); a value outside is almost certainly a unit slip.

/** Accepted volume of a custom model's compartment, L (engineering limit). */
export const CUSTOM_VOLUME_RANGE_L = [1e-3, 1e5] as const;
/**
 * Accepted first-order rate constant (k10 … k31, ke0 — also a registry model's ke0 override — or one
 * implied by clearance/volume), 1/min (engineering limit: half-lives from 4 s to 4.8 days).
 */
export const RATE_CONSTANT_RANGE_PER_MIN = [1e-4, 10] as const;
/** Largest single dose (bolus, or dose over a duration), mg, after unit conversion (engineering limit: 100 g). */
export const MAX_DOSE_MG = 1e5;
/** Largest pump rate, mg/min, after unit conversion, including dose/overMin (engineering limit). */
export const MAX_RATE_MG_PER_MIN = 1e4;
const ENGINEERING = 'an engineering limit that keeps every result a finite number, not a clinical limit';

const PLAN_FIELDS = ['patient', 'model', 'regimen', 'horizonMin', 'resolutionSec', 'thresholds', 'label'];
const PATIENT_FIELDS = ['weightKg', 'ageYears', 'sex', 'heightCm'];
const CLEARANCE_FIELDS = ['v1', 'cl1', 'v2', 'cl2', 'v3', 'cl3', 'ke0'];
const MICRO_FIELDS = ['v1', 'k10', 'k12', 'k21', 'k13', 'k31', 'ke0'];
const BAND_FIELDS = ['id', 'lowNgMl', 'highNgMl'];
const MODEL_FIELDS = ['id', ...CLEARANCE_FIELDS, ...MICRO_FIELDS.filter((f) => !CLEARANCE_FIELDS.includes(f))];
const EVENT_FIELDS = ['at', 'bolus', 'rate', 'dose', 'unit', 'overMin', 'route'];
const doseUnitList = Object.keys(DOSE_UNITS).join(', ');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects problems while a plan is read. */
class Reader {
  readonly problems: Problem[] = [];
  fail(path: string, message: string): void {
    this.problems.push({ path, message });
  }
  /** Unknown keys of `obj` are problems; `allowed` is what the message offers instead. */
  onlyFields(obj: Record<string, unknown>, path: string, allowed: readonly string[], what: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.fail(`${path}${path ? '.' : ''}${key}`, `unknown field of ${what}; expected one of ${allowed.join(', ')}`);
      }
    }
  }
  /**
   * A finite number, or a problem naming the field, what it accepts (`accepts`, e.g. "a number
   * between 0.3 and 400 kg") and what came.
   */
  number(obj: Record<string, unknown>, key: string, path: string, required: boolean, accepts: string): number | undefined {
    const v = obj[key];
    const p = `${path}.${key}`;
    if (v === undefined) {
      if (required) this.fail(p, `required; expected ${accepts}`);
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.fail(p, `must be ${accepts}, got ${show(v)}`);
      return undefined;
    }
    return v;
  }
  range(v: number | undefined, path: string, lo: number, hi: number, unit: string): number | undefined {
    if (v === undefined) return undefined;
    if (v < lo || v > hi) {
      this.fail(path, `must be between ${lo} and ${hi}${withUnit(unit)}, got ${v}`);
      return undefined;
    }
    return v;
  }
  positive(v: number | undefined, path: string, unit: string): number | undefined {
    if (v === undefined) return undefined;
    if (!(v > 0)) {
      this.fail(path, `must be > 0${withUnit(unit)}, got ${v}`);
      return undefined;
    }
    return v;
  }
  /** Within a stated engineering limit [lo, hi], or a problem saying it is one. */
  engineeringRange(v: number | undefined, path: string, [lo, hi]: readonly [number, number], unit: string): number | undefined {
    if (v === undefined) return undefined;
    if (v < lo || v > hi) {
      this.fail(path, `must be between ${lo} and ${hi}${withUnit(unit)} (${ENGINEERING}), got ${v}`);
      return undefined;
    }
    return v;
  }
  /** A first-order rate constant within RATE_CONSTANT_RANGE_PER_MIN. */
  rateConstant(v: number | undefined, path: string): number | undefined {
    return this.engineeringRange(v, path, RATE_CONSTANT_RANGE_PER_MIN, '/min');
  }
  nonNegative(v: number | undefined, path: string, unit: string): number | undefined {
    if (v === undefined) return undefined;
    if (!(v >= 0)) {
      this.fail(path, `must be ≥ 0${withUnit(unit)}, got ${v}`);
      return undefined;
    }
    return v;
  }
}

/** Length in characters (Unicode code points, so an emoji counts once). */
const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** " kg" for a unit, "" for none (so a unitless message reads "must be ≥ 0, got -1"). */
const withUnit = (unit: string): string => (unit ? ` ${unit}` : '');
/** "a number between lo and hi unit", the accepted values of a ranged field. */
const between = (lo: number, hi: number, unit: string): string => `a number between ${lo} and ${hi}${withUnit(unit)}`;

function readPatient(r: Reader, v: unknown): Patient | undefined {
  if (!isObject(v)) {
    r.fail(
      'patient',
      `required; must be an object with weightKg (and ageYears, sex, heightCm where the model uses them), got ${show(v)}`,
    );
    return undefined;
  }
  r.onlyFields(v, 'patient', PATIENT_FIELDS, 'patient');
  const ranged = (key: keyof typeof PATIENT_RANGES, required: boolean, unit: string) => {
    const [lo, hi] = PATIENT_RANGES[key];
    return r.range(r.number(v, key, 'patient', required, between(lo, hi, unit)), `patient.${key}`, lo, hi, unit);
  };
  const weightKg = ranged('weightKg', true, 'kg');
  const ageYears = ranged('ageYears', false, 'years');
  const heightCm = ranged('heightCm', false, 'cm');
  let sex: Patient['sex'];
  if (v.sex !== undefined) {
    if (v.sex === 'female' || v.sex === 'male') sex = v.sex;
    else r.fail('patient.sex', `must be "female" or "male", got ${show(v.sex)}`);
  }
  if (weightKg === undefined) return undefined;
  return {
    weightKg,
    ...(ageYears !== undefined && { ageYears }),
    ...(sex !== undefined && { sex }),
    ...(heightCm !== undefined && { heightCm }),
  };
}

function readModel(r: Reader, v: unknown, modelIds: readonly string[]): ModelRef | undefined {
  if (!isObject(v)) {
    r.fail(
      'model',
      `required; must be an object: { "id": one of ${modelIds.join(', ')} }, or a custom model { v1, cl1, v2?, cl2?, v3?, cl3?, ke0 } (L, L/min, 1/min) or { v1, k10, k12?, k21?, k13?, k31?, ke0 } (L, 1/min); got ${show(v)}`,
    );
    return undefined;
  }
  if ('id' in v) {
    r.onlyFields(v, 'model', ['id', 'ke0'], 'a registry model (overrides: ke0)');
    if (typeof v.id !== 'string' || !modelIds.includes(v.id)) {
      r.fail('model.id', `unknown model ${show(v.id)}; expected one of ${modelIds.join(', ')}`);
      return undefined;
    }
    if (typeof v.ke0 === 'string') {
      const named = (NAMED_KE0_MODELS as Record<string, readonly string[]>)[v.ke0];
      if (named === undefined) {
        r.fail(
          'model.ke0',
          `must be a number > 0 (1/min) or one of ${NAMED_KE0_IDS.map((k) => JSON.stringify(k)).join(', ')}, got ${show(v.ke0)}`,
        );
        return undefined;
      }
      if (!named.includes(v.id)) {
        r.fail(
          'model.ke0',
          `${show(v.ke0)} is a ke0 for S-ketamine concentrations and applies only to ${named.join(', ')}, not to ${v.id}; give a number (1/min) or leave ke0 out`,
        );
        return undefined;
      }
      return { id: v.id, ke0: v.ke0 as NamedKe0 };
    }
    const ke0 = r.rateConstant(
      r.positive(r.number(v, 'ke0', 'model', false, 'a number > 0 (1/min)'), 'model.ke0', '1/min'),
      'model.ke0',
    );
    if (v.ke0 !== undefined && ke0 === undefined) return undefined;
    return ke0 === undefined ? { id: v.id } : { id: v.id, ke0 };
  }
  const hasCl = 'cl1' in v || 'cl2' in v || 'cl3' in v || 'v2' in v || 'v3' in v;
  const hasMicro = 'k10' in v || 'k12' in v || 'k21' in v || 'k13' in v || 'k31' in v;
  if (hasCl && hasMicro) {
    r.fail('model', 'mixes clearances (cl1, v2, cl2, v3, cl3) and micro-constants (k10, k12, k21, k13, k31); give one form');
    return undefined;
  }
  if (!hasCl && !hasMicro) {
    r.onlyFields(v, 'model', MODEL_FIELDS, 'a model');
    r.fail(
      'model',
      'give a registry model { "id" } or a custom model: v1 and cl1 (volumes in L, clearances in L/min) or v1 and k10 (micro-constants, 1/min), with ke0',
    );
    return undefined;
  }
  const before = r.problems.length;
  const fields = hasCl ? CLEARANCE_FIELDS : MICRO_FIELDS;
  r.onlyFields(v, 'model', fields, hasCl ? 'a custom model from clearances' : 'a custom model from micro-constants');
  const get = (key: string, required: boolean, unit: string) => {
    const x = r.positive(r.number(v, key, 'model', required, `a number > 0 (${unit})`), `model.${key}`, unit);
    if (unit === 'L') return r.engineeringRange(x, `model.${key}`, CUSTOM_VOLUME_RANGE_L, 'L');
    if (unit === '1/min') return r.rateConstant(x, `model.${key}`);
    return x;
  };
  const out: Record<string, number> = {};
  const put = (key: string, required: boolean, unit: string) => {
    const x = get(key, required, unit);
    if (x !== undefined) out[key] = x;
  };
  put('v1', true, 'L');
  put('ke0', true, '1/min');
  const pairs: [string, string, string, string][] = hasCl
    ? [
        ['cl1', 'cl1', 'L/min', 'L/min'],
        ['v2', 'cl2', 'L', 'L/min'],
        ['v3', 'cl3', 'L', 'L/min'],
      ]
    : [
        ['k10', 'k10', '1/min', '1/min'],
        ['k12', 'k21', '1/min', '1/min'],
        ['k13', 'k31', '1/min', '1/min'],
      ];
  for (const [a, b, ua, ub] of pairs) {
    if (a === b) {
      put(a, true, ua);
      continue;
    }
    const hasA = v[a] !== undefined,
      hasB = v[b] !== undefined;
    if (hasA && !hasB) r.fail(`model.${b}`, `required when model.${a} is given (a peripheral compartment needs both)`);
    if (hasB && !hasA) r.fail(`model.${a}`, `required when model.${b} is given (a peripheral compartment needs both)`);
    if (hasA) put(a, false, ua);
    if (hasB) put(b, false, ub);
  }
  if (r.problems.length > before) return undefined;
  if (hasCl) {
    // The engine steps micro-constants: each clearance must give rate constants inside the limits.
    const implied: [string, string, string][] = [
      ['cl1', 'v1', 'k10'],
      ['cl2', 'v1', 'k12'],
      ['cl2', 'v2', 'k21'],
      ['cl3', 'v1', 'k13'],
      ['cl3', 'v3', 'k31'],
    ];
    const [lo, hi] = RATE_CONSTANT_RANGE_PER_MIN;
    const outside = new Map<string, string[]>();
    for (const [cl, vol, k] of implied) {
      if (out[cl] === undefined || out[vol] === undefined) continue;
      const kv = out[cl] / out[vol];
      if (kv < lo || kv > hi) outside.set(cl, [...(outside.get(cl) ?? []), `${k} = ${cl}/${vol} = ${kv} /min`]);
    }
    for (const [cl, ks] of outside)
      r.fail(`model.${cl}`, `gives ${ks.join(' and ')}; rate constants must be between ${lo} and ${hi} /min (${ENGINEERING})`);
    if (r.problems.length > before) return undefined;
  }
  return out as unknown as ModelRef;
}

/** A dose amount (in its unit) as mg for the limit check; undefined when a per-kg unit has no valid weight. */
const amountMg = (amount: number, unit: DoseUnit, weightKg: number | undefined): number | undefined =>
  DOSE_UNITS[unit].perKg && weightKg === undefined ? undefined : doseToMg(amount, unit, weightKg ?? 1);

/**
 * One dose event. `weightKg` (undefined when the patient's weight is itself invalid) converts per-kg
 * amounts to mg for the engineering limits on doses and rates.
 */
function readEvent(
  r: Reader,
  v: unknown,
  path: string,
  weightKg: number | undefined,
  modelId: string | null | undefined,
): DoseEvent | undefined {
  if (!isObject(v)) {
    r.fail(
      path,
      `must be an object: { at, bolus, unit }, { at, rate, unit }, { at, dose, unit, overMin } or { at, dose, unit, route }, got ${show(v)}`,
    );
    return undefined;
  }
  const kinds = ['bolus', 'rate', 'dose'].filter((k) => k in v);
  if (kinds.length !== 1) {
    if (kinds.length === 0) r.onlyFields(v, path, EVENT_FIELDS, 'a dose event');
    r.fail(
      path,
      kinds.length === 0
        ? 'an event needs one of bolus, rate or dose'
        : `an event is one of bolus, rate or dose; got ${kinds.join(' and ')}`,
    );
    return undefined;
  }
  const kind = kinds[0];
  const before = r.problems.length;
  const route = readRoute(r, v, path, kind, modelId);
  if (route === null) return undefined;
  if (route !== 'iv') return readRouteDose(r, v, path, weightKg, route, modelId);
  const at = r.nonNegative(r.number(v, 'at', path, true, 'a time in minutes ≥ 0'), `${path}.at`, 'min');
  const unit = v.unit;
  if (kind === 'bolus' || kind === 'dose') {
    r.onlyFields(
      v,
      path,
      kind === 'bolus' ? ['at', 'bolus', 'unit', 'route'] : ['at', 'dose', 'unit', 'overMin', 'route'],
      kind === 'bolus' ? 'a bolus event' : 'a dose-over-time event',
    );
    const amount = r.nonNegative(r.number(v, kind, path, true, "a number ≥ 0 (in the event's unit)"), `${path}.${kind}`, '');
    if (unit === undefined) r.fail(`${path}.unit`, `required for a ${kind}; expected one of ${doseUnitList}`);
    else {
      const problem = unitProblem('dose', unit, `a ${kind}`);
      if (problem !== null) r.fail(`${path}.unit`, problem);
    }
    let overMin: number | undefined;
    if (kind === 'dose')
      overMin = r.positive(
        r.number(
          v,
          'overMin',
          path,
          true,
          'a duration in minutes > 0 (an IV dose over a duration; a non-IV dose is written with "route": "intranasal" or "oral")',
        ),
        `${path}.overMin`,
        'min',
      );
    if (r.problems.length > before) return undefined;
    const mg = amountMg(amount!, unit as DoseUnit, weightKg);
    if (mg !== undefined && mg > MAX_DOSE_MG) {
      r.fail(
        `${path}.${kind}`,
        `${amount} ${unit} is ${mg} mg; one dose may be at most ${MAX_DOSE_MG} mg (100 g; ${ENGINEERING})`,
      );
      return undefined;
    }
    if (mg !== undefined && kind === 'dose' && mg / overMin! > MAX_RATE_MG_PER_MIN) {
      r.fail(
        `${path}.overMin`,
        `${mg} mg over ${overMin} min is ${mg / overMin!} mg/min; a rate may be at most ${MAX_RATE_MG_PER_MIN} mg/min (${ENGINEERING}); give it as a bolus or over a longer time`,
      );
      return undefined;
    }
    return kind === 'bolus'
      ? { at: at!, bolus: amount!, unit: unit as DoseUnit }
      : { at: at!, dose: amount!, unit: unit as DoseUnit, overMin: overMin! };
  }
  r.onlyFields(v, path, ['at', 'rate', 'unit', 'route'], 'a rate event');
  const rate = r.nonNegative(
    r.number(v, 'rate', path, true, "a number ≥ 0 (in the event's unit, default mg/kg/h)"),
    `${path}.rate`,
    '',
  );
  let u: RateUnit = DEFAULT_RATE_UNIT;
  if (unit !== undefined) {
    if (typeof unit === 'string' && isRateUnit(unit)) u = unit;
    else r.fail(`${path}.unit`, unitProblem('rate', unit, 'a rate')!);
  }
  if (r.problems.length > before) return undefined;
  const perKg = RATE_UNITS[u].perKg;
  if (!(perKg && weightKg === undefined)) {
    const mgPerMin = rateToMgPerMin(rate!, u, weightKg ?? 1);
    if (mgPerMin > MAX_RATE_MG_PER_MIN) {
      r.fail(
        `${path}.rate`,
        `${rate} ${u} is ${mgPerMin} mg/min; a rate may be at most ${MAX_RATE_MG_PER_MIN} mg/min (${ENGINEERING})`,
      );
      return undefined;
    }
  }
  return { at: at!, rate: rate!, unit: u };
}

const routeList = ROUTES.join(', ');
/** "an intranasal", "an oral": the route with its article, for messages. */
const an = (route: Route): string => `an ${route}`;

/**
 * The event's route: 'iv' when absent or written "iv", the non-IV route when valid for its kind, or
 * null after a problem (an unknown route; a route on a bolus or a rate, which are IV by definition).
 */
function readRoute(
  r: Reader,
  v: Record<string, unknown>,
  path: string,
  kind: string,
  modelId: string | null | undefined,
): Route | 'iv' | null {
  const route = v.route;
  if (route === undefined || route === 'iv') return 'iv';
  if (typeof route !== 'string' || !(ROUTES as readonly string[]).includes(route)) {
    r.fail(`${path}.route`, `unknown route ${show(route)}; expected one of ${routeList} ("iv" is the default)`);
    return null;
  }
  const nonIv = route as Route;
  if (kind !== 'dose') {
    r.fail(
      `${path}.route`,
      kind === 'rate'
        ? `a rate is the IV pump; ${an(nonIv)} dose is not part of the pump and is written { at, dose, unit, "route": "${nonIv}" }`
        : `a bolus is an IV dose; ${an(nonIv)} dose is written { at, dose, unit, "route": "${nonIv}" }`,
    );
    return null;
  }
  const having = modelsWithRoute(nonIv);
  const offer = having.length === 0 ? 'no model has it' : `models that have it: ${having.join(', ')}`;
  if (modelId === null) {
    r.fail(`${path}.route`, `a custom model has IV only; ${an(nonIv)} dose needs a registry model with that route (${offer})`);
    return null;
  }
  if (modelId !== undefined && MODEL_ROUTES[modelId]?.[nonIv] === undefined) {
    r.fail(`${path}.route`, `model ${modelId} has no ${nonIv} route (its source gives none); ${offer}`);
    return null;
  }
  return nonIv;
}

/**
 * A non-IV dose `{ at, dose, unit, route }`. It has no `overMin` (its absorption comes from the model's
 * source); a route given in devices takes a whole number of devices. `modelId` undefined means the
 * model itself was invalid (its problem is already reported), so the route's own rules are not checked.
 */
function readRouteDose(
  r: Reader,
  v: Record<string, unknown>,
  path: string,
  weightKg: number | undefined,
  route: Route,
  modelId: string | null | undefined,
): RouteDoseEvent | undefined {
  const before = r.problems.length;
  const { overMin, ...fields } = v;
  r.onlyFields(fields, path, ['at', 'dose', 'unit', 'route'], `${an(route)} dose`);
  if (overMin !== undefined) {
    r.fail(
      `${path}.overMin`,
      `${an(route)} dose has no overMin: how fast it is absorbed (and how much) comes from the model's source; remove overMin (for an IV dose over a duration, leave out route or write "iv")`,
    );
  }
  const at = r.nonNegative(r.number(v, 'at', path, true, 'a time in minutes ≥ 0'), `${path}.at`, 'min');
  const amount = r.nonNegative(r.number(v, 'dose', path, true, "a number ≥ 0 (in the event's unit)"), `${path}.dose`, '');
  const unit = v.unit;
  if (unit === undefined) r.fail(`${path}.unit`, `required for a dose; expected one of ${doseUnitList}`);
  else {
    const problem = unitProblem('dose', unit, `${an(route)} dose`);
    if (problem !== null) r.fail(`${path}.unit`, problem);
  }
  if (r.problems.length > before) return undefined;
  const mg = amountMg(amount!, unit as DoseUnit, weightKg);
  if (mg !== undefined && mg > MAX_DOSE_MG) {
    r.fail(`${path}.dose`, `${amount} ${unit} is ${mg} mg; one dose may be at most ${MAX_DOSE_MG} mg (100 g; ${ENGINEERING})`);
    return undefined;
  }
  const device = modelId ? MODEL_ROUTES[modelId]?.[route]?.device : undefined;
  if (device !== undefined && mg !== undefined) {
    const devices = mg / device.mgPerDevice;
    if (Math.abs(devices - Math.round(devices)) > 1e-9 * Math.max(1, devices)) {
      const d = device.mgPerDevice;
      r.fail(
        `${path}.dose`,
        `${unit === 'mg' ? `${amount} mg` : `${amount} ${unit} is ${mg} mg`}; ${an(route)} dose with ${modelId} is a whole number of devices (${device.device}): ${d}, ${2 * d}, ${3 * d} mg, … (given ${device.intervalMin} min apart; ${device.source})`,
      );
      return undefined;
    }
  }
  return { at: at!, dose: amount!, unit: unit as DoseUnit, route };
}

function readBands(r: Reader, v: unknown): Band[] | undefined {
  if (!Array.isArray(v)) {
    r.fail('thresholds', `must be a list of { id, lowNgMl, highNgMl? }, got ${show(v)}`);
    return undefined;
  }
  if (v.length > MAX_BANDS) {
    r.fail('thresholds', `at most ${MAX_BANDS} bands, got ${v.length}`);
    return undefined;
  }
  const out: Band[] = [];
  const ids = new Set<string>();
  v.forEach((b, i) => {
    const path = `thresholds[${i}]`;
    if (!isObject(b)) {
      r.fail(path, `must be an object { id, lowNgMl, highNgMl? }, got ${show(b)}`);
      return;
    }
    r.onlyFields(b, path, BAND_FIELDS, 'a band');
    const before = r.problems.length;
    if (typeof b.id !== 'string' || b.id.trim() === '')
      r.fail(`${path}.id`, `required; must be a non-empty string, got ${show(b.id)}`);
    else if (codePoints(b.id) > MAX_BAND_ID_LENGTH)
      r.fail(`${path}.id`, `must be at most ${MAX_BAND_ID_LENGTH} characters of ${BAND_ID_CHARACTERS}, got ${codePoints(b.id)}`);
    else if (!BAND_ID_PATTERN.test(b.id))
      r.fail(`${path}.id`, `may use only ${BAND_ID_CHARACTERS} (at most ${MAX_BAND_ID_LENGTH}), got ${show(b.id)}`);
    else if (ids.has(b.id)) r.fail(`${path}.id`, `duplicate band id ${show(b.id)}`);
    else ids.add(b.id);
    const low = r.nonNegative(r.number(b, 'lowNgMl', path, true, 'a number ≥ 0 (ng/mL)'), `${path}.lowNgMl`, 'ng/mL');
    const high = r.nonNegative(
      r.number(b, 'highNgMl', path, false, 'a number ≥ 0 (ng/mL), or absent for an open band'),
      `${path}.highNgMl`,
      'ng/mL',
    );
    if (low !== undefined && high !== undefined && low > high) {
      r.fail(`${path}.lowNgMl`, `must not be above highNgMl (${high} ng/mL), got ${low}`);
    }
    if (r.problems.length === before)
      out.push(
        high === undefined ? { id: b.id as string, lowNgMl: low! } : { id: b.id as string, lowNgMl: low!, highNgMl: high },
      );
  });
  return out;
}

/**
 * Validate a plan. `modelIds` are the registry ids a `{ "id" }` model may name. Returns the typed
 * plan (rate units filled with the default, mg/kg/h, where omitted) or every problem found.
 */
export function parsePlan(input: unknown, modelIds: readonly string[]): ParseResult {
  const r = new Reader();
  if (!isObject(input)) {
    r.fail('plan', `must be a JSON object with patient, model, regimen, horizonMin and resolutionSec, got ${show(input)}`);
    return { ok: false, problems: r.problems };
  }
  r.onlyFields(input, '', PLAN_FIELDS, 'a plan');
  const patient = readPatient(r, input.patient);
  const model = readModel(r, input.model, modelIds);
  const regimen: DoseEvent[] = [];
  if (!Array.isArray(input.regimen)) {
    r.fail('regimen', `required; must be a list of dose events, got ${show(input.regimen)}`);
  } else if (input.regimen.length > MAX_REGIMEN_EVENTS) {
    r.fail('regimen', `at most ${MAX_REGIMEN_EVENTS} dose events, got ${input.regimen.length}`);
  } else {
    // The model the route checks are against: its id, null for a custom model, undefined when invalid.
    const modelId = model === undefined ? undefined : isRegistryRef(model) ? model.id : null;
    input.regimen.forEach((e, i) => {
      const ev = readEvent(r, e, `regimen[${i}]`, patient?.weightKg, modelId);
      if (ev) regimen.push(ev);
    });
  }
  if (patient !== undefined && model !== undefined && isRegistryRef(model)) {
    for (const need of COVARIATE_REQUIREMENTS[model.id] ?? []) {
      if (patient[need.field] === undefined) r.fail(`patient.${need.field}`, `required by ${model.id} (${need.reason})`);
    }
  }
  const horizonMin = r.number(input, 'horizonMin', '', true, `a number of minutes > 0 and ≤ ${MAX_HORIZON_MIN} (7 days)`);
  if (horizonMin !== undefined && (horizonMin <= 0 || horizonMin > MAX_HORIZON_MIN)) {
    r.fail('horizonMin', `must be > 0 and ≤ ${MAX_HORIZON_MIN} min (7 days), got ${horizonMin}`);
  }
  const resolutionSec = r.positive(r.number(input, 'resolutionSec', '', true, 'a number of seconds > 0'), 'resolutionSec', 's');
  if (horizonMin !== undefined && horizonMin > 0 && resolutionSec !== undefined) {
    const points = gridPointCount(horizonMin, resolutionSec);
    if (points > MAX_POINTS) {
      r.fail(
        'resolutionSec',
        `gives ${points} points over ${horizonMin} min; at most ${MAX_POINTS} (use ≥ ${Math.ceil(((horizonMin * 60) / (MAX_POINTS - 1)) * 1000) / 1000} s)`,
      );
    }
  }
  const thresholds = input.thresholds === undefined ? undefined : readBands(r, input.thresholds);
  let label: string | undefined;
  if (input.label !== undefined) {
    if (typeof input.label !== 'string') r.fail('label', `must be a string, got ${show(input.label)}`);
    else if (codePoints(input.label) > MAX_LABEL_LENGTH)
      r.fail('label', `must be at most ${MAX_LABEL_LENGTH} characters, got ${codePoints(input.label)}`);
    else if (LABEL_FORBIDDEN.test(input.label)) {
      const ch = input.label.match(LABEL_FORBIDDEN)![0];
      r.fail(
        'label',
        `must be one line of text without control or text-direction characters, got U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} at character ${codePoints(input.label.slice(0, input.label.indexOf(ch))) + 1}`,
      );
    } else label = input.label;
  }
  // The paths above use a leading '.' for root fields (Reader.number with path ''); normalise.
  const problems = r.problems.map((p) => ({ ...p, path: p.path.replace(/^\./, '') }));
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    plan: {
      patient: patient!,
      model: model!,
      regimen,
      horizonMin: horizonMin!,
      resolutionSec: resolutionSec!,
      ...(thresholds !== undefined && { thresholds }),
      ...(label !== undefined && { label }),
    },
  };
}

/**
 * Field paths that occur more than once in one JSON object of `text` (which must be valid JSON).
 * JSON.parse keeps the last value of a repeated key and silently drops the others, which the plan
 * format forbids; this scan finds them. Paths are written as parsePlan writes them (`regimen[2].unit`).
 */
export function duplicateKeyPaths(text: string): string[] {
  type Frame =
    | { kind: 'object'; path: string; keys: Set<string>; key: string | null; expectKey: boolean }
    | { kind: 'array'; path: string; index: number };
  const stack: Frame[] = [];
  const found: string[] = [];
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.kind === 'array') return `${top.path}[${top.index}]`;
    return top.path ? `${top.path}.${top.key}` : (top.key ?? '');
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') stack.push({ kind: 'object', path: childPath(), keys: new Set(), key: null, expectKey: true });
    else if (ch === '[') stack.push({ kind: 'array', path: childPath(), index: 0 });
    else if (ch === '}' || ch === ']') stack.pop();
    else if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'array') top.index++;
      else if (top?.kind === 'object') top.expectKey = true;
    } else if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        top.key = key;
        top.expectKey = false;
        if (top.keys.has(key)) found.push(top.path ? `${top.path}.${key}` : key);
        else top.keys.add(key);
      }
      i = j;
    }
  }
  return found;
}

/**
 * Parse JSON text then validate; text that is not JSON is one problem at path `plan`, and a field
 * given twice in one object is a problem at its path (JSON.parse would silently keep the last one).
 * A leading byte-order mark (some editors write one) is not part of the JSON and is skipped.
 */
export function parsePlanText(text: string, modelIds: readonly string[]): ParseResult {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: 'plan', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  const duplicates = duplicateKeyPaths(text).map((path) => ({
    path,
    message: 'given more than once in the same object; give each field once (JSON keeps only the last value)',
  }));
  const r = parsePlan(json, modelIds);
  if (duplicates.length === 0) return r;
  return { ok: false, problems: [...duplicates, ...(r.ok ? [] : r.problems)] };
}

/** One line per problem, `path: message`, as the CLI prints them. */
export function formatProblems(problems: readonly Problem[]): string[] {
  return problems.map((p) => `${p.path}: ${p.message}`);
}

export { gridPointCount } from './grid.ts';
