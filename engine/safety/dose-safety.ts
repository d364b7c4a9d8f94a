// `doseSafetyWarnings`: cited dose limits (`DEFAULT_DOSE_LIMITS`, clinic-overridable) → `dose-above-limit` / `dose-unit-suspect`.
import { show } from '../describe.ts';
import { doseToMg, rateToMgPerMin, type DoseUnit, type RateUnit } from '../units.ts';
import { isBolus, isDoseOver, isRate, type DoseEvent, type Plan, type Problem } from '../plan.ts';
import { regimenToActions, totalDoseMg } from '../dosing/actions.ts';
import type { Warning } from '../warnings.ts';

/**
 * Dose safety: the contract's `dose-above-limit` and `dose-unit-suspect` warnings (docs/PLAN-FORMAT.md,
 * "Warnings"). A warning never changes a result; it names the event (`regimen[i]`, or `regimen` for the
 * whole plan), the dose as entered, its conversion for the patient, the limit in force and where that
 * limit comes from.
 *
 * Every default is a named record with its value, unit and citation from docs/research/ketamine-pd.md
 * (§4, protocol presets) and ketamine-pd.json; where the sources give no number for a check the default
 * is `null` (the check is off until a clinic sets one) and the docblock says so. The sources are all
 * about racemic ketamine: docs/research has no S-ketamine (esketamine) dose limit, so the same defaults
 * apply to S-ketamine plans as written (S-ketamine is about twice as potent, so they are permissive there).
 * Non-IV doses (an event with a `route` other than `"iv"`) are not checked: the cited limits are IV limits
 * and the sources give none for other routes.
 */

/**
 * Where a limit's number comes from: a source (`cited`), a rule the project chose and labels as its own
 * (`project-heuristic`), or a clinic's own setting (`clinic`).
 */
export type DoseLimitBasis = 'cited' | 'project-heuristic' | 'clinic';

/** One limit: a number, its unit, and where it comes from. */
export interface DoseLimit<U extends string> {
  /** The limit, in `unit`; > 0. */
  readonly value: number;
  readonly unit: U;
  readonly basis: DoseLimitBasis;
  /** The full source (a citation), the rule (a heuristic) or who set it (a clinic setting). */
  readonly citation: string;
  /** A few words naming the source inside warning messages. */
  readonly label: string;
}

/**
 * The limits in force. `null` switches a check off. Plain data (serialisable), so a clinic's settings
 * can be stored and read back with `parseDoseLimits`.
 */
export interface DoseLimits {
  /** Largest single IV dose (a bolus, or a dose over a duration), mg/kg. */
  readonly singleDoseMgPerKg: DoseLimit<'mg/kg'> | null;
  /** Largest total given over the plan (boluses plus infused up to `horizonMin`), mg/kg. */
  readonly totalDoseMgPerKg: DoseLimit<'mg/kg'> | null;
  /** Largest pump rate (a rate event), mg/kg/h. */
  readonly rateMgPerKgPerH: DoseLimit<'mg/kg/h'> | null;
  /** The smallest cited single IV dose, mg/kg: the reference of the unit-slip check for doses. */
  readonly smallestDoseMgPerKg: DoseLimit<'mg/kg'> | null;
  /** The smallest cited pump rate, mg/kg/h: the reference of the unit-slip check for rates. */
  readonly smallestRateMgPerKgPerH: DoseLimit<'mg/kg/h'> | null;
  /** A dose or rate at or below this fraction of the smallest cited one is a likely unit slip. */
  readonly unitSlipFraction: DoseLimit<'fraction'> | null;
}

const KETALAR =
  'KETALAR (ketamine hydrochloride) injection, US prescribing information (Par Pharmaceutical), Dosage and Administration';
const ASRA_CHRONIC =
  'Cohen SP et al. Consensus guidelines on the use of intravenous ketamine infusions for chronic pain (ASRA/AAPM/ASA). Reg Anesth Pain Med 2018;43(5):521-546, doi:10.1097/AAP.0000000000000808 (guideline summaries read)';

/**
 * Single IV dose: 4.5 mg/kg, the top of the IV induction range of the Ketalar US label (1–4.5 mg/kg,
 * average 2 mg/kg, given over 60 s): docs/research/ketamine-pd.md §4, ketamine-pd.json
 * `protocol-anaesthesia-induction-ketalar` `IV_induction_mg_per_kg_high`. A dose over a duration is judged
 * as a single dose (its amount), not as a rate: the label gives induction doses over 60 s.
 */
export const SINGLE_DOSE_LIMIT: DoseLimit<'mg/kg'> = {
  value: 4.5,
  unit: 'mg/kg',
  basis: 'cited',
  citation: `${KETALAR}: IV induction 1-4.5 mg/kg (average 2 mg/kg), injected over 60 s. docs/research/ketamine-pd.json protocol-anaesthesia-induction-ketalar (IV_induction_mg_per_kg_high)`,
  label: 'top of the Ketalar label IV induction range, 1–4.5 mg/kg',
};

/**
 * Pump rate: 7 mg/kg/h, the highest sustained infusion rate in docs/research: the ASRA/AAPM/ASA 2018
 * chronic-pain guideline gives 0.5–2 mg/kg/h, up to 7 mg/kg/h in refractory ICU cases
 * (ketamine-pd.json `protocol-chronic-pain-asra2018` `infusion_ICU_refractory_max_mg_per_kg_per_h`).
 * The Ketalar label's induction by infusion (0.5 mg/kg/min = 30 mg/kg/h) is faster but runs only until
 * induction (1–2 mg/kg); a pump rate at that speed warns here, and a clinic may raise the limit.
 */
export const RATE_LIMIT: DoseLimit<'mg/kg/h'> = {
  value: 7,
  unit: 'mg/kg/h',
  basis: 'cited',
  citation: `${ASRA_CHRONIC}: infusion 0.5-2 mg/kg/h, up to 7 mg/kg/h in refractory ICU cases. docs/research/ketamine-pd.json protocol-chronic-pain-asra2018 (infusion_ICU_refractory_max_mg_per_kg_per_h)`,
  label: 'ASRA/AAPM/ASA 2018 chronic-pain guideline, up to 7 mg/kg/h in refractory ICU cases',
};

/**
 * Smallest cited single IV dose: 0.1 mg/kg, the lowest arm of Fava 2020's dose-ranging trial (0.1 mg/kg
 * over 40 min; ketamine-pd.json `dose-ranging-fava2020` `doses_mg_per_kg`) and Navarrete 2025's bolus
 * (`ani-ke0-navarrete2025` `bolus_mg_per_kg`). No dose in docs/research is smaller.
 */
export const SMALLEST_CITED_DOSE: DoseLimit<'mg/kg'> = {
  value: 0.1,
  unit: 'mg/kg',
  basis: 'cited',
  citation:
    'Fava M et al. Mol Psychiatry 2020;25(7):1592-1603, doi:10.1038/s41380-018-0256-5 (lowest arm 0.1 mg/kg over 40 min); Navarrete V et al. J Clin Monit Comput 2025;39(2):349-354, doi:10.1007/s10877-024-01240-4 (0.1 mg/kg IV bolus). docs/research/ketamine-pd.json dose-ranging-fava2020, ani-ke0-navarrete2025',
  label: 'Fava 2020 lowest arm and Navarrete 2025 bolus, 0.1 mg/kg',
};

/**
 * Smallest cited pump rate: 0.35 mg/kg/h, the ASRA/AAPM/ASA 2018 CRPS regimen (0.35 mg/kg/h × 4 h/day
 * × 10 days; ketamine-pd.json `protocol-chronic-pain-asra2018` `CRPS_regimen_B_mg_per_kg_per_h`), the
 * smallest racemic rate stated as a rate in docs/research.
 */
export const SMALLEST_CITED_RATE: DoseLimit<'mg/kg/h'> = {
  value: 0.35,
  unit: 'mg/kg/h',
  basis: 'cited',
  citation: `${ASRA_CHRONIC}: CRPS 0.35 mg/kg/h for 4 h a day over 10 days. docs/research/ketamine-pd.json protocol-chronic-pain-asra2018 (CRPS_regimen_B_mg_per_kg_per_h)`,
  label: 'ASRA/AAPM/ASA 2018 CRPS regimen, 0.35 mg/kg/h',
};

/**
 * The unit-slip rule, the project's heuristic (no source gives one): a dose or rate at or below one tenth
 * of the smallest cited one is more likely a unit slip than a meant dose. The slips it catches are large:
 * mg for mg/kg divides the dose by the weight in kg (×82 for an 82-kg adult), µg for mg by 1000. For a
 * small child (under 10 kg) a mg-for-mg/kg slip is less than tenfold and is not caught.
 */
export const UNIT_SLIP_FRACTION: DoseLimit<'fraction'> = {
  value: 0.1,
  unit: 'fraction',
  basis: 'project-heuristic',
  citation:
    'KetaSim heuristic, not from a source: a dose or rate at or below one tenth of the smallest cited one (SMALLEST_CITED_DOSE, SMALLEST_CITED_RATE) is flagged as a likely unit slip',
  label: 'KetaSim heuristic, not a cited number',
};

/**
 * The defaults. `totalDoseMgPerKg` is `null`: no source in docs/research gives a maximum total. The
 * Ketalar label repeats increments of half to the full induction dose as needed with no stated ceiling,
 * and the ASRA 2018 chronic-pain guideline gives a minimum (≥ 80 mg over > 2 h), not a maximum. The
 * total check runs when a clinic sets a limit.
 */
export const DEFAULT_DOSE_LIMITS: DoseLimits = {
  singleDoseMgPerKg: SINGLE_DOSE_LIMIT,
  totalDoseMgPerKg: null,
  rateMgPerKgPerH: RATE_LIMIT,
  smallestDoseMgPerKg: SMALLEST_CITED_DOSE,
  smallestRateMgPerKgPerH: SMALLEST_CITED_RATE,
  unitSlipFraction: UNIT_SLIP_FRACTION,
};

/** Each field of `DoseLimits` and the unit its value must be in. */
export const DOSE_LIMIT_UNITS = {
  singleDoseMgPerKg: 'mg/kg',
  totalDoseMgPerKg: 'mg/kg',
  rateMgPerKgPerH: 'mg/kg/h',
  smallestDoseMgPerKg: 'mg/kg',
  smallestRateMgPerKgPerH: 'mg/kg/h',
  unitSlipFraction: 'fraction',
} as const satisfies Record<keyof DoseLimits, string>;

const LIMIT_KEYS = Object.keys(DOSE_LIMIT_UNITS) as (keyof DoseLimits)[];
const LIMIT_FIELDS = ['value', 'unit', 'basis', 'citation', 'label'];
const BASES: readonly DoseLimitBasis[] = ['cited', 'project-heuristic', 'clinic'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Read dose limits (e.g. a clinic's stored settings). Fields left out take the defaults; `null` switches
 * a check off; anything else wrong is a problem naming its path (`limits.rateMgPerKgPerH.value`) and the
 * accepted values. Nothing is clamped or dropped.
 */
export function parseDoseLimits(input: unknown): { ok: true; limits: DoseLimits } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const fail = (path: string, message: string) => problems.push({ path, message });
  if (!isObject(input)) {
    fail('limits', `must be an object with any of ${LIMIT_KEYS.join(', ')}, got ${show(input)}`);
    return { ok: false, problems };
  }
  for (const key of Object.keys(input)) {
    if (!(LIMIT_KEYS as string[]).includes(key)) {
      fail(`limits.${key}`, `unknown dose limit; expected one of ${LIMIT_KEYS.join(', ')}`);
    }
  }
  const out: Record<string, DoseLimit<string> | null> = { ...DEFAULT_DOSE_LIMITS };
  for (const key of LIMIT_KEYS) {
    if (!(key in input)) continue;
    const v = input[key];
    const path = `limits.${key}`;
    const unit = DOSE_LIMIT_UNITS[key];
    if (v === null) {
      out[key] = null;
      continue;
    }
    if (!isObject(v)) {
      fail(path, `must be null (check off) or { value, unit: "${unit}", basis, citation, label }, got ${show(v)}`);
      continue;
    }
    const before = problems.length;
    for (const f of Object.keys(v)) {
      if (!LIMIT_FIELDS.includes(f))
        fail(`${path}.${f}`, `unknown field of a dose limit; expected one of ${LIMIT_FIELDS.join(', ')}`);
    }
    const value = v.value;
    const maxValue = key === 'unitSlipFraction' ? 1 : Number.POSITIVE_INFINITY;
    if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0) || value > maxValue) {
      fail(`${path}.value`, `must be a number > 0${maxValue === 1 ? ' and ≤ 1' : ''} (${unit}), got ${show(value)}`);
    }
    if (v.unit !== unit) fail(`${path}.unit`, `must be "${unit}", got ${show(v.unit)}`);
    if (typeof v.basis !== 'string' || !(BASES as string[]).includes(v.basis)) {
      fail(`${path}.basis`, `must be one of ${BASES.join(', ')}, got ${show(v.basis)}`);
    }
    for (const f of ['citation', 'label'] as const) {
      if (typeof v[f] !== 'string' || (v[f] as string).trim() === '') {
        fail(`${path}.${f}`, `required; must be a non-empty string saying where the number comes from, got ${show(v[f])}`);
      }
    }
    if (problems.length === before) {
      out[key] = {
        value: value as number,
        unit,
        basis: v.basis as DoseLimitBasis,
        citation: v.citation as string,
        label: v.label as string,
      };
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, limits: out as unknown as DoseLimits };
}

/**
 * A number for a message: integers with thousands separators from 100 up ("4,100"), otherwise three
 * significant digits ("0.0061", "30.5").
 */
export function formatAmount(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 100) return String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return String(Number(x.toPrecision(3)));
}

/** The dose units a slip is checked against (the aliases µg and mcg are the same as ug). */
const CANONICAL_DOSE_UNITS: readonly DoseUnit[] = ['mg', 'mg/kg', 'ug', 'ug/kg'];
/** The rate units a slip is checked against (aliases left out). */
const CANONICAL_RATE_UNITS: readonly RateUnit[] = ['mg/kg/h', 'mg/kg/min', 'mg/h', 'mg/min', 'ug/kg/min', 'ug/kg/h'];

/** A unit's dimensions: mass (mg or µg), per kg or not, and per time (rates). */
const dims = (u: string): [string, boolean, string] => [
  u.startsWith('mg') ? 'mg' : 'ug',
  u.includes('/kg'),
  u.endsWith('/h') ? 'h' : u.endsWith('/min') ? 'min' : '',
];
/** Units one slip away from `u`: differing in exactly one dimension (mg ↔ µg, per kg or not, per h ↔ per min). */
const oneSlipAway = (u: string, v: string): boolean => {
  const a = dims(u),
    b = dims(v);
  return a.filter((x, i) => x !== b[i]).length === 1;
};

/**
 * " (was 0.5 mg/kg meant?)": the units one slip away from `unit` in which the same number would lie in
 * [lo, hi] (the cited range), or "" when there is none.
 */
function meantHint(
  amount: number,
  unit: string,
  units: readonly string[],
  perKgIn: (u: string) => number,
  lo: number,
  hi: number,
): string {
  const fits = units.filter((u) => {
    if (!oneSlipAway(unit, u)) return false;
    const x = perKgIn(u);
    return x >= lo && x <= hi;
  });
  if (fits.length === 0) return '';
  return ` (was ${fits.map((u) => `${amount} ${u}`).join(' or ')} meant?)`;
}

/** A non-IV dose: the IV limits do not apply (forward-compatible with a `route` on dose events). */
const isNonIv = (e: DoseEvent): boolean => {
  const route = (e as { readonly route?: unknown }).route;
  return route !== undefined && route !== 'iv';
};

/**
 * The dose-safety warnings of a validated plan under `limits` (default `DEFAULT_DOSE_LIMITS`), in
 * regimen order, then the total: one warning per finding, each `{ code, message }` with the message
 * naming the event. Throws (a programmer error) when `limits` is malformed, naming the field; use
 * `parseDoseLimits` on stored settings first.
 */
export function doseSafetyWarnings(plan: Plan, limits: DoseLimits = DEFAULT_DOSE_LIMITS): Warning[] {
  if (limits !== DEFAULT_DOSE_LIMITS) {
    const parsed = parseDoseLimits(limits);
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
  const w = plan.patient.weightKg;
  const kg = formatAmount(w);
  const out: Warning[] = [];
  const above = (message: string) => out.push({ code: 'dose-above-limit', message });
  const suspect = (message: string) => out.push({ code: 'dose-unit-suspect', message });
  const single = limits.singleDoseMgPerKg;
  const rateLimit = limits.rateMgPerKgPerH;
  const fraction = limits.unitSlipFraction;
  const smallDose = fraction && limits.smallestDoseMgPerKg;
  const smallRate = fraction && limits.smallestRateMgPerKgPerH;
  const doseRange: [number, number] = [limits.smallestDoseMgPerKg?.value ?? 0, single?.value ?? Number.POSITIVE_INFINITY];
  const rateRange: [number, number] = [limits.smallestRateMgPerKgPerH?.value ?? 0, rateLimit?.value ?? Number.POSITIVE_INFINITY];

  plan.regimen.forEach((e, i) => {
    if (isNonIv(e)) return;
    const where = `regimen[${i}]`;
    if (isBolus(e) || isDoseOver(e)) {
      const amount = isBolus(e) ? e.bolus : e.dose;
      if (!(amount > 0)) return;
      const mg = doseToMg(amount, e.unit, w);
      const perKg = mg / w;
      const entered = `${amount} ${e.unit}${isDoseOver(e) ? ` over ${e.overMin} min` : ''}`;
      const what = `${isBolus(e) ? 'bolus ' : ''}${entered}`;
      const hint = meantHint(amount, e.unit, CANONICAL_DOSE_UNITS, (u) => doseToMg(amount, u as DoseUnit, w) / w, ...doseRange);
      if (single && perKg > single.value) {
        const conv = e.unit === 'mg/kg' ? `${formatAmount(mg)} mg` : `${formatAmount(perKg)} mg/kg, ${formatAmount(mg)} mg`;
        above(
          `${where}: ${what} (${conv}) is above the single-dose limit of ${single.value} mg/kg (${formatAmount(single.value * w)} mg for ${kg} kg; ${single.label})${hint}`,
        );
      }
      if (smallDose && fraction && perKg <= smallDose.value * fraction.value) {
        suspect(
          `${where}: ${what} is ${formatAmount(perKg)} mg/kg for ${kg} kg, at or below ${formatAmount(smallDose.value * fraction.value)} mg/kg (${fraction.value} × the smallest cited IV dose, ${smallDose.value} mg/kg: ${smallDose.label}; ${fraction.label}); a unit slip is likely${hint}`,
        );
      }
      return;
    }
    if (isRate(e)) {
      if (!(e.rate > 0)) return;
      const mgPerMin = rateToMgPerMin(e.rate, e.unit, w);
      const perKgPerH = (mgPerMin * 60) / w;
      const what = `rate ${e.rate} ${e.unit}`;
      const conv = [
        e.unit === 'mg/kg/h' ? null : `${formatAmount(perKgPerH)} mg/kg/h`,
        e.unit === 'mg/h' ? null : `${formatAmount(mgPerMin * 60)} mg/h`,
      ].filter((s) => s !== null);
      const hint = meantHint(
        e.rate,
        e.unit,
        CANONICAL_RATE_UNITS,
        (u) => (rateToMgPerMin(e.rate, u as RateUnit, w) * 60) / w,
        ...rateRange,
      );
      if (rateLimit && perKgPerH > rateLimit.value) {
        above(
          `${where}: ${what} (${conv.join(', ')}) is above the infusion-rate limit of ${rateLimit.value} mg/kg/h (${formatAmount(rateLimit.value * w)} mg/h for ${kg} kg; ${rateLimit.label})${hint}`,
        );
      }
      if (smallRate && fraction && perKgPerH <= smallRate.value * fraction.value) {
        suspect(
          `${where}: ${what} is ${formatAmount(perKgPerH)} mg/kg/h for ${kg} kg, at or below ${formatAmount(smallRate.value * fraction.value)} mg/kg/h (${fraction.value} × the smallest cited rate, ${smallRate.value} mg/kg/h: ${smallRate.label}; ${fraction.label}); a unit slip is likely${hint}`,
        );
      }
    }
  });

  const total = limits.totalDoseMgPerKg;
  if (total) {
    const ivEvents = plan.regimen.filter((e) => !isNonIv(e));
    const mg = totalDoseMg(regimenToActions(ivEvents, w), plan.horizonMin);
    if (mg / w > total.value) {
      above(
        `regimen: the total of ${formatAmount(mg)} mg (${formatAmount(mg / w)} mg/kg) given over the ${formatAmount(plan.horizonMin)}-min plan is above the total-dose limit of ${total.value} mg/kg (${formatAmount(total.value * w)} mg for ${kg} kg; ${total.label})`,
      );
    }
  }
  return out;
}
