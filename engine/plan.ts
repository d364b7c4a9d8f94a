import { DEFAULT_RATE_UNIT, DOSE_UNITS, RATE_UNITS, isDoseUnit, isRateUnit, type DoseUnit, type RateUnit } from './units.ts';
import { PATIENT_RANGES, type Patient } from './patient.ts';

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

/** A registry model, optionally with its ke0 overridden (1/min). */
export interface RegistryModelRef {
  readonly id: string;
  readonly ke0?: number;
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
export type DoseEvent = BolusEvent | RateEvent | DoseOverEvent;

export const isBolus = (e: DoseEvent): e is BolusEvent => 'bolus' in e;
export const isRate = (e: DoseEvent): e is RateEvent => 'rate' in e;
export const isDoseOver = (e: DoseEvent): e is DoseOverEvent => 'dose' in e;

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
/** Longest label accepted, characters. */
export const MAX_LABEL_LENGTH = 200;

const PLAN_FIELDS = ['patient', 'model', 'regimen', 'horizonMin', 'resolutionSec', 'thresholds', 'label'];
const PATIENT_FIELDS = ['weightKg', 'ageYears', 'sex', 'heightCm'];
const CLEARANCE_FIELDS = ['v1', 'cl1', 'v2', 'cl2', 'v3', 'cl3', 'ke0'];
const MICRO_FIELDS = ['v1', 'k10', 'k12', 'k21', 'k13', 'k31', 'ke0'];
const BAND_FIELDS = ['id', 'lowNgMl', 'highNgMl'];
const MODEL_FIELDS = ['id', ...CLEARANCE_FIELDS, ...MICRO_FIELDS.filter((f) => !CLEARANCE_FIELDS.includes(f))];
const EVENT_FIELDS = ['at', 'bolus', 'rate', 'dose', 'unit', 'overMin'];
const doseUnitList = Object.keys(DOSE_UNITS).join(', ');
const rateUnitList = Object.keys(RATE_UNITS).join(', ');

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
};
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
  nonNegative(v: number | undefined, path: string, unit: string): number | undefined {
    if (v === undefined) return undefined;
    if (!(v >= 0)) {
      this.fail(path, `must be ≥ 0${withUnit(unit)}, got ${v}`);
      return undefined;
    }
    return v;
  }
}

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
    const ke0 = r.positive(r.number(v, 'ke0', 'model', false, 'a number > 0 (1/min)'), 'model.ke0', '1/min');
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
  const get = (key: string, required: boolean, unit: string) =>
    r.positive(r.number(v, key, 'model', required, `a number > 0 (${unit})`), `model.${key}`, unit);
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
  return out as unknown as ModelRef;
}

function readEvent(r: Reader, v: unknown, path: string): DoseEvent | undefined {
  if (!isObject(v)) {
    r.fail(path, `must be an object: { at, bolus, unit }, { at, rate, unit } or { at, dose, unit, overMin }, got ${show(v)}`);
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
  const at = r.nonNegative(r.number(v, 'at', path, true, 'a time in minutes ≥ 0'), `${path}.at`, 'min');
  const unit = v.unit;
  if (kind === 'bolus' || kind === 'dose') {
    r.onlyFields(
      v,
      path,
      kind === 'bolus' ? ['at', 'bolus', 'unit'] : ['at', 'dose', 'unit', 'overMin'],
      kind === 'bolus' ? 'a bolus event' : 'a dose-over-time event',
    );
    const amount = r.nonNegative(r.number(v, kind, path, true, "a number ≥ 0 (in the event's unit)"), `${path}.${kind}`, '');
    if (unit === undefined) r.fail(`${path}.unit`, `required for a ${kind}; expected one of ${doseUnitList}`);
    else if (typeof unit !== 'string' || !isDoseUnit(unit)) {
      r.fail(
        `${path}.unit`,
        typeof unit === 'string' && isRateUnit(unit)
          ? `"${unit}" is a rate unit; a ${kind} takes a dose unit, one of ${doseUnitList}`
          : `unknown dose unit ${show(unit)}; expected one of ${doseUnitList}`,
      );
    }
    let overMin: number | undefined;
    if (kind === 'dose')
      overMin = r.positive(r.number(v, 'overMin', path, true, 'a duration in minutes > 0'), `${path}.overMin`, 'min');
    if (r.problems.length > before) return undefined;
    return kind === 'bolus'
      ? { at: at!, bolus: amount!, unit: unit as DoseUnit }
      : { at: at!, dose: amount!, unit: unit as DoseUnit, overMin: overMin! };
  }
  r.onlyFields(v, path, ['at', 'rate', 'unit'], 'a rate event');
  const rate = r.nonNegative(
    r.number(v, 'rate', path, true, "a number ≥ 0 (in the event's unit, default mg/kg/h)"),
    `${path}.rate`,
    '',
  );
  let u: RateUnit = DEFAULT_RATE_UNIT;
  if (unit !== undefined) {
    if (typeof unit === 'string' && isRateUnit(unit)) u = unit;
    else
      r.fail(
        `${path}.unit`,
        typeof unit === 'string' && isDoseUnit(unit)
          ? `"${unit}" is a dose unit; a rate takes a rate unit, one of ${rateUnitList}`
          : `unknown rate unit ${show(unit)}; expected one of ${rateUnitList}`,
      );
  }
  if (r.problems.length > before) return undefined;
  return { at: at!, rate: rate!, unit: u };
}

function readBands(r: Reader, v: unknown): Band[] | undefined {
  if (!Array.isArray(v)) {
    r.fail('thresholds', `must be a list of { id, lowNgMl, highNgMl? }, got ${show(v)}`);
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
  } else {
    input.regimen.forEach((e, i) => {
      const ev = readEvent(r, e, `regimen[${i}]`);
      if (ev) regimen.push(ev);
    });
  }
  const horizonMin = r.number(input, 'horizonMin', '', true, `a number of minutes > 0 and ≤ ${MAX_HORIZON_MIN} (7 days)`);
  if (horizonMin !== undefined && (horizonMin <= 0 || horizonMin > MAX_HORIZON_MIN)) {
    r.fail('horizonMin', `must be > 0 and ≤ ${MAX_HORIZON_MIN} min (7 days), got ${horizonMin}`);
  }
  const resolutionSec = r.positive(r.number(input, 'resolutionSec', '', true, 'a number of seconds > 0'), 'resolutionSec', 's');
  if (horizonMin !== undefined && horizonMin > 0 && resolutionSec !== undefined) {
    const points = Math.floor((horizonMin * 60) / resolutionSec + 1e-9) + 1;
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
    else if (input.label.length > MAX_LABEL_LENGTH)
      r.fail('label', `must be at most ${MAX_LABEL_LENGTH} characters, got ${input.label.length}`);
    else label = input.label;
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

/** Number of output points of a plan's grid (t = 0, Δ, 2Δ, … ≤ horizon). */
export function gridPointCount(horizonMin: number, resolutionSec: number): number {
  return Math.floor((horizonMin * 60) / resolutionSec + 1e-9) + 1;
}
