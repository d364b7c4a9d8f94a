// Stored record types and pure field checks: alias-only rule, identifying-alias heuristic, score ranges, notes.
import { show } from '../../engine/describe.ts';
import { PATIENT_RANGES } from '../../engine/patient.ts';
import type { Problem } from '../../engine/plan.ts';
import { identifyingReason } from '../privacy/identifying.ts';

/**
 * What the course database stores, and the checks every write goes through (pure: no IndexedDB, so
 * they run in node tests and in the import validator alike). Every check returns problems that name
 * the field (`patient.weightKg`, `sessions[2].scores.phq9`), never throws, and never clamps or drops.
 *
 * Privacy: a patient is an **alias only**. No name, record number or date of birth is stored: a field
 * outside the schema is refused, with a specific message when its key looks identifying, and an alias
 * that looks like a date, a record number or an e-mail address is refused too (a heuristic, stated as
 * such: it cannot prove that an alias identifies nobody).
 */

export type Sex = 'female' | 'male';

/** A patient: alias and covariates only. */
export interface PatientFields {
  /** A clinic code that identifies nobody outside the clinic, 1–40 characters (e.g. "K-17"). */
  readonly alias: string;
  /** Total body weight, kg (0.3–400, the plan format's range). */
  readonly weightKg: number;
  /** Age, years (0–120). */
  readonly ageYears?: number;
  readonly sex?: Sex;
  /** Height, cm (20–250). */
  readonly heightCm?: number;
}
export interface PatientRecord extends PatientFields {
  readonly id: string;
  readonly createdAtMs: number;
}

/**
 * Side effects offered as checkboxes; anything else goes under `other` with a short text. A pick-list
 * for the clinic's notes, not a clinical classification.
 */
export const SIDE_EFFECTS = ['nausea', 'vomiting', 'headache', 'dizziness', 'anxiety', 'raised-blood-pressure', 'other'] as const;
export type SideEffect = (typeof SIDE_EFFECTS)[number];

/**
 * Dissociation intensity scale used by the notes: a patient-rated 0–10 numeric rating scale
 * (0 = none, 10 = the most intense imaginable), whole numbers. It is a simple bedside rating, NOT a
 * validated instrument such as the CADSS, and is not comparable with CADSS totals.
 */
export const DISSOCIATION_SCALE = { min: 0, max: 10, name: '0–10 numeric rating scale (patient-rated; not the CADSS)' } as const;

/** Notes of one session. */
export interface SessionNotes {
  readonly sideEffects: readonly SideEffect[];
  /** Free text about side effects (≤ 500 characters; never a person's name). */
  readonly sideEffectsText?: string;
  /** Dissociation intensity on DISSOCIATION_SCALE (integer 0–10). */
  readonly dissociationIntensity?: number;
  /** The session minute at which the patient reported the onset of dissociation (≥ 0). */
  readonly dissociationOnsetMin?: number;
  /** The patient takes lamotrigine (shown with the cited note of docs/research/ketamine-pd.md §3). */
  readonly lamotrigine: boolean;
  /** The patient takes a benzodiazepine (shown with the cited note of §3). */
  readonly benzodiazepine: boolean;
}
export const EMPTY_NOTES: SessionNotes = { sideEffects: [], lamotrigine: false, benzodiazepine: false };

/** Outcome instrument totals: integers within each instrument's range. */
export const SCORE_RANGES = {
  phq9: { min: 0, max: 27, name: 'PHQ-9' },
  gad7: { min: 0, max: 21, name: 'GAD-7' },
  pcl5: { min: 0, max: 80, name: 'PCL-5' },
} as const;
export type ScoreId = keyof typeof SCORE_RANGES;
/** Outcome scores of one session; an absent score was not measured. */
export type SessionScores = { readonly [K in ScoreId]?: number };

export type SessionStatus = 'planned' | 'running' | 'finished';

/** Longest free texts, characters. */
export const MAX_ALIAS_LENGTH = 40;
export const MAX_NOTE_TEXT_LENGTH = 500;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** How an input value is named in a problem message: the engine's one rule (engine/describe.ts). */
export { show };

/** Keys that suggest identifying data: refused with a message saying why. */
const IDENTIFYING_KEY =
  /name|birth|dob|mrn|record|nhs|ssn|social|insurance|address|phone|mobile|email|e-mail|postcode|zip|passport|national|identifier|chart/i;

/** Refuse keys outside `allowed`, explaining identifying-looking ones. */
export function onlyFields(obj: Record<string, unknown>, path: string, allowed: readonly string[], problems: Problem[]): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    problems.push({
      path: `${path}.${key}`,
      message: IDENTIFYING_KEY.test(key)
        ? 'not stored: KetaSim keeps an alias only (no name, record number, date of birth or contact details)'
        : `unknown field; expected one of ${allowed.join(', ')}`,
    });
  }
}

/** Why an alias looks identifying, or null. */
export function identifyingAlias(alias: string): string | null {
  if (/\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,4}/.test(alias)) return 'looks like a date';
  if (/\d{5,}/.test(alias.replace(/[\s-]/g, ''))) return 'looks like a record number (5 or more digits)';
  if (/@/.test(alias)) return 'looks like an e-mail address';
  // Names, record numbers with a keyword, dates with a month name, phone numbers (ui/privacy/identifying.ts).
  return identifyingReason(alias);
}

function numberIn(
  v: unknown,
  path: string,
  lo: number,
  hi: number,
  unit: string,
  problems: Problem[],
  integer = false,
): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    problems.push({ path, message: `must be a finite number, got ${show(v)}` });
    return undefined;
  }
  if (integer && !Number.isInteger(v)) {
    problems.push({ path, message: `must be a whole number ${lo}–${hi}${unit ? ' ' + unit : ''}, got ${v}` });
    return undefined;
  }
  if (v < lo || v > hi) {
    problems.push({ path, message: `must be between ${lo} and ${hi}${unit ? ' ' + unit : ''}, got ${v}` });
    return undefined;
  }
  return v;
}

const PATIENT_FIELDS = ['alias', 'weightKg', 'ageYears', 'sex', 'heightCm'];

/** Validate a patient's fields (alias-only rule, covariate ranges). */
export function parsePatient(
  v: unknown,
  path = 'patient',
): { ok: true; value: PatientFields } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!isObject(v))
    return {
      ok: false,
      problems: [{ path, message: `must be an object { alias, weightKg, ageYears?, sex?, heightCm? }, got ${show(v)}` }],
    };
  onlyFields(v, path, PATIENT_FIELDS, problems);
  let alias: string | undefined;
  if (typeof v.alias !== 'string' || v.alias.trim() === '')
    problems.push({
      path: `${path}.alias`,
      message: `required; a non-empty code of at most ${MAX_ALIAS_LENGTH} characters, got ${show(v.alias)}`,
    });
  else if (v.alias !== v.alias.trim()) problems.push({ path: `${path}.alias`, message: 'must not start or end with spaces' });
  else if (v.alias.length > MAX_ALIAS_LENGTH)
    problems.push({ path: `${path}.alias`, message: `must be at most ${MAX_ALIAS_LENGTH} characters, got ${v.alias.length}` });
  else {
    const why = identifyingAlias(v.alias);
    if (why)
      problems.push({
        path: `${path}.alias`,
        message: `${why}; use a clinic code that identifies nobody outside the clinic (e.g. "K-17")`,
      });
    else alias = v.alias;
  }
  const weightKg =
    v.weightKg === undefined
      ? (problems.push({ path: `${path}.weightKg`, message: 'required; total body weight in kg' }), undefined)
      : numberIn(v.weightKg, `${path}.weightKg`, PATIENT_RANGES.weightKg[0], PATIENT_RANGES.weightKg[1], 'kg', problems);
  const ageYears =
    v.ageYears === undefined
      ? undefined
      : numberIn(v.ageYears, `${path}.ageYears`, PATIENT_RANGES.ageYears[0], PATIENT_RANGES.ageYears[1], 'years', problems);
  const heightCm =
    v.heightCm === undefined
      ? undefined
      : numberIn(v.heightCm, `${path}.heightCm`, PATIENT_RANGES.heightCm[0], PATIENT_RANGES.heightCm[1], 'cm', problems);
  if (v.sex !== undefined && v.sex !== 'female' && v.sex !== 'male')
    problems.push({ path: `${path}.sex`, message: `must be "female" or "male", got ${show(v.sex)}` });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      alias: alias!,
      weightKg: weightKg!,
      ...(ageYears !== undefined && { ageYears }),
      ...(v.sex !== undefined && { sex: v.sex as Sex }),
      ...(heightCm !== undefined && { heightCm }),
    },
  };
}

const SCORE_IDS = Object.keys(SCORE_RANGES) as ScoreId[];

/** Validate outcome scores: each an integer in its instrument's range (PHQ-9 0–27, GAD-7 0–21, PCL-5 0–80). */
export function parseScores(
  v: unknown,
  path = 'scores',
): { ok: true; value: SessionScores } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!isObject(v))
    return { ok: false, problems: [{ path, message: `must be an object { phq9?, gad7?, pcl5? }, got ${show(v)}` }] };
  onlyFields(v, path, SCORE_IDS, problems);
  const out: Record<string, number> = {};
  for (const id of SCORE_IDS) {
    if (v[id] === undefined) continue;
    const r = SCORE_RANGES[id];
    const before = problems.length;
    const x = numberIn(v[id], `${path}.${id}`, r.min, r.max, '', problems, true);
    if (problems.length > before)
      problems[problems.length - 1] = {
        ...problems[problems.length - 1],
        message: `${r.name} total ${problems[problems.length - 1].message}`,
      };
    if (x !== undefined) out[id] = x;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: out as SessionScores };
}

const NOTE_FIELDS = [
  'sideEffects',
  'sideEffectsText',
  'dissociationIntensity',
  'dissociationOnsetMin',
  'lamotrigine',
  'benzodiazepine',
];

/** Validate session notes. */
export function parseNotes(v: unknown, path = 'notes'): { ok: true; value: SessionNotes } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!isObject(v))
    return {
      ok: false,
      problems: [{ path, message: `must be an object { sideEffects, lamotrigine, benzodiazepine, … }, got ${show(v)}` }],
    };
  onlyFields(v, path, NOTE_FIELDS, problems);
  const effects: SideEffect[] = [];
  if (!Array.isArray(v.sideEffects))
    problems.push({
      path: `${path}.sideEffects`,
      message: `required; a list of ${SIDE_EFFECTS.join(', ')} (may be empty), got ${show(v.sideEffects)}`,
    });
  else
    v.sideEffects.forEach((e, i) => {
      if (typeof e !== 'string' || !(SIDE_EFFECTS as readonly string[]).includes(e))
        problems.push({
          path: `${path}.sideEffects[${i}]`,
          message: `must be one of ${SIDE_EFFECTS.join(', ')}, got ${show(e)}`,
        });
      else if (effects.includes(e as SideEffect))
        problems.push({ path: `${path}.sideEffects[${i}]`, message: `${e} is listed twice` });
      else effects.push(e as SideEffect);
    });
  if (v.sideEffectsText !== undefined) {
    if (typeof v.sideEffectsText !== 'string')
      problems.push({ path: `${path}.sideEffectsText`, message: `must be a string, got ${show(v.sideEffectsText)}` });
    else if (v.sideEffectsText.length > MAX_NOTE_TEXT_LENGTH)
      problems.push({
        path: `${path}.sideEffectsText`,
        message: `must be at most ${MAX_NOTE_TEXT_LENGTH} characters, got ${v.sideEffectsText.length}`,
      });
  }
  const intensity =
    v.dissociationIntensity === undefined
      ? undefined
      : numberIn(
          v.dissociationIntensity,
          `${path}.dissociationIntensity`,
          DISSOCIATION_SCALE.min,
          DISSOCIATION_SCALE.max,
          `on the ${DISSOCIATION_SCALE.name}`,
          problems,
          true,
        );
  const onset =
    v.dissociationOnsetMin === undefined
      ? undefined
      : numberIn(v.dissociationOnsetMin, `${path}.dissociationOnsetMin`, 0, 24 * 60, 'min from the session start', problems);
  for (const flag of ['lamotrigine', 'benzodiazepine'] as const) {
    if (typeof v[flag] !== 'boolean')
      problems.push({ path: `${path}.${flag}`, message: `required; true or false, got ${show(v[flag])}` });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      sideEffects: effects,
      ...(v.sideEffectsText !== undefined && { sideEffectsText: v.sideEffectsText as string }),
      ...(intensity !== undefined && { dissociationIntensity: intensity }),
      ...(onset !== undefined && { dissociationOnsetMin: onset }),
      lamotrigine: v.lamotrigine as boolean,
      benzodiazepine: v.benzodiazepine as boolean,
    },
  };
}

/** A time in epoch milliseconds (a finite, non-negative integer). */
export function epochMs(v: unknown, path: string, problems: Problem[]): number | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    problems.push({ path, message: `must be a time in epoch milliseconds (an integer ≥ 0), got ${show(v)}` });
    return undefined;
  }
  return v;
}

/** The plausible window for a stored wall-clock time: from 2000-01-01T00:00Z to one day after now. */
export const EARLIEST_PLAUSIBLE_MS = Date.UTC(2000, 0, 1);
export const FUTURE_SLACK_MS = 86_400_000; // one day, ms

/**
 * A wall-clock time in epoch milliseconds within the plausible window [2000-01-01T00:00Z, now + 1 day]:
 * refuses times in seconds or microseconds, 0, and far-future values, naming the field.
 */
export function plausibleEpochMs(v: unknown, path: string, nowMs: number, problems: Problem[]): number | undefined {
  const before = problems.length;
  const x = epochMs(v, path, problems);
  if (x === undefined || problems.length > before) return undefined;
  if (x < EARLIEST_PLAUSIBLE_MS || x > nowMs + FUTURE_SLACK_MS) {
    problems.push({
      path,
      message: `must be a time between 2000-01-01 and one day from now (epoch milliseconds ${EARLIEST_PLAUSIBLE_MS}–${nowMs + FUTURE_SLACK_MS}), got ${x}${x > 1e14 ? ' (microseconds or a far-future value?)' : x < 1e11 && x > 0 ? ' (seconds?)' : ''}`,
    });
    return undefined;
  }
  return x;
}
