// Sweet-spot view settings: the dose axis and population toggle as typed, their checks (naming the field), and their share-link form.
import type { DoseAxis, SweetSpotPopulation } from '../../engine/research/sweet-spot.ts';

/**
 * What the sweet-spot view was asked for, as typed (text, so a bad value can be named): a dose axis in
 * mg/kg over a duration (the default: 0.1–2.0 mg/kg over 40 min, engine/research/sweet-spot.ts
 * DEFAULT_DOSES_MG_PER_KG and DEFAULT_OVER_MIN, Fava 2020's infusion length) or scale factors on the
 * current regimen, and a seeded virtual population for the exceedance chances.
 */
export interface SweetSpotSettings {
  readonly axis: 'mg/kg' | 'scale';
  /** Doses, mg/kg, comma- or space-separated. */
  readonly doses: string;
  /** Infusion duration of each dose, min. */
  readonly overMin: string;
  /** Factors on every dose and rate of the current regimen. */
  readonly scales: string;
  readonly population: boolean;
  /** Virtual patients per dose. */
  readonly n: string;
  readonly seed: string;
}

/** Duplicated from engine/research/sweet-spot.ts (this module stays importable without the engine): 0.1–2.0 mg/kg over 40 min. */
export const DEFAULT_SWEET_SPOT: SweetSpotSettings = {
  axis: 'mg/kg',
  doses: '0.1, 0.25, 0.5, 0.75, 1, 1.5, 2',
  overMin: '40',
  scales: '0.25, 0.5, 1, 1.5, 2, 4',
  population: false,
  n: '200',
  seed: '1',
};

/** Most virtual patients per dose the view runs (it runs them for every dose, in the one simulation worker). */
export const MAX_VIEW_PATIENTS = 2000;
/** Most doses on the axis (engine/research/sweet-spot.ts MAX_DOSES). */
export const MAX_VIEW_DOSES = 100;

const list = (text: string): string[] =>
  text
    .split(/[,;\s]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** The request the settings describe, or the problems, each naming its field (`doses`, `overMin`, `scales`, `n`, `seed`). */
export function sweetSpotRequest(
  s: SweetSpotSettings,
): { ok: true; axis: DoseAxis; population: SweetSpotPopulation | null } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const numbers = (field: string, text: string): number[] => {
    const items = list(text);
    if (items.length === 0) problems.push(`${field}: give at least one number`);
    if (items.length > MAX_VIEW_DOSES) problems.push(`${field}: at most ${MAX_VIEW_DOSES} values, got ${items.length}`);
    return items.map((x, i) => {
      const v = Number(x.replace(/^(\d*),(\d+)$/, '$1.$2'));
      if (!(Number.isFinite(v) && v > 0)) problems.push(`${field}[${i}]: must be a number > 0, got "${x}"`);
      return v;
    });
  };
  let axis: DoseAxis;
  if (s.axis === 'mg/kg') {
    const doses = numbers('doses', s.doses);
    const over = Number(s.overMin.trim());
    if (s.overMin.trim() === '' || !(Number.isFinite(over) && over > 0))
      problems.push(`overMin: must be a number of minutes > 0, got "${s.overMin}"`);
    axis = { kind: 'mg/kg', dosesMgPerKg: [...doses].sort((a, b) => a - b), overMin: over };
  } else {
    const scales = numbers('scales', s.scales);
    axis = { kind: 'scale', scales: [...scales].sort((a, b) => a - b) };
  }
  let population: SweetSpotPopulation | null = null;
  if (s.population) {
    const n = Number(s.n.trim()),
      seed = Number(s.seed.trim());
    if (!(Number.isInteger(n) && n >= 10 && n <= MAX_VIEW_PATIENTS))
      problems.push(`n: virtual patients must be a whole number from 10 to ${MAX_VIEW_PATIENTS}, got "${s.n}"`);
    if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32))
      problems.push(`seed: must be a whole number from 0 to ${2 ** 32 - 1}, got "${s.seed}"`);
    population = { n, seed };
  }
  return problems.length ? { ok: false, problems } : { ok: true, axis, population };
}

const FIELDS = ['axis', 'doses', 'overMin', 'scales', 'population', 'n', 'seed'] as const;

/**
 * Settings read from a share link's `ss=` JSON: each field checked (an unknown field or a wrong type is a
 * problem naming `ss.<field>`); absent fields take the defaults.
 */
export function settingsFromJson(v: unknown): { ok: true; settings: SweetSpotSettings } | { ok: false; problems: string[] } {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { ok: false, problems: ['share link: ss: expected a JSON object of sweet-spot settings'] };
  const o = v as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(o))
    if (!(FIELDS as readonly string[]).includes(k))
      problems.push(`share link: ss.${k}: unknown field; expected ${FIELDS.join(', ')}`);
  const out: Record<string, unknown> = { ...DEFAULT_SWEET_SPOT };
  if (o.axis !== undefined) {
    if (o.axis === 'mg/kg' || o.axis === 'scale') out.axis = o.axis;
    else problems.push(`share link: ss.axis: expected "mg/kg" or "scale", got ${JSON.stringify(o.axis)?.slice(0, 40)}`);
  }
  for (const k of ['doses', 'overMin', 'scales', 'n', 'seed'] as const)
    if (o[k] !== undefined) {
      if (typeof o[k] === 'string' && (o[k] as string).length <= 2000) out[k] = o[k];
      else problems.push(`share link: ss.${k}: expected text of at most 2000 characters`);
    }
  if (o.population !== undefined) {
    if (typeof o.population === 'boolean') out.population = o.population;
    else problems.push('share link: ss.population: expected true or false');
  }
  return problems.length ? { ok: false, problems } : { ok: true, settings: out as unknown as SweetSpotSettings };
}
