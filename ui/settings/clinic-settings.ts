// Clinic settings (dose-limit overrides, pump concentration/steps, smallest planner bolus): parsed, stored in localStorage.
import { createStore, type Store } from '../state/store.ts';
import { DEFAULT_PUMP_SETTINGS, pumpProblems, type PumpSettings } from '../pump/pump.ts';

/**
 * The clinic's own settings, kept in this browser's localStorage under `STORAGE_KEY` (chosen over
 * IndexedDB: a few numbers, read synchronously at start so the first render already uses them; they
 * are per browser, not part of any plan file or share link). Every value is checked on read: a stored
 * value that is wrong is dropped with a message naming the field, never used silently.
 */

export const STORAGE_KEY = 'ketasim:clinic-settings:v1';

/**
 * The dose limits a clinic may set (engine/safety/dose-safety.ts `DOSE_LIMIT_UNITS`, copied as data
 * because importing the engine module would put plan validation on the main thread;
 * test/ui/settings/clinic-settings.test.ts pins the copy).
 */
export const LIMIT_FIELDS = [
  { key: 'singleDoseMgPerKg', unit: 'mg/kg', name: 'Largest single IV dose' },
  { key: 'totalDoseMgPerKg', unit: 'mg/kg', name: 'Largest total dose over the plan' },
  { key: 'rateMgPerKgPerH', unit: 'mg/kg/h', name: 'Largest pump rate' },
  { key: 'smallestDoseMgPerKg', unit: 'mg/kg', name: 'Smallest expected single dose (unit-slip reference)' },
  { key: 'smallestRateMgPerKgPerH', unit: 'mg/kg/h', name: 'Smallest expected rate (unit-slip reference)' },
  { key: 'unitSlipFraction', unit: 'fraction', name: 'Unit-slip fraction' },
] as const;

export type LimitKey = (typeof LIMIT_FIELDS)[number]['key'];

/**
 * The smallest loading bolus the planner proposes, mg/kg. Default 0.1 mg/kg: the smallest single IV dose
 * in docs/research (Fava 2020 lowest arm; Navarrete 2025 bolus; ketamine-pd.json dose-ranging-fava2020,
 * ani-ke0-navarrete2025), used here as the clinic's setting for "a clinically meaningful bolus" — no
 * source states a minimum bolus, so this is the clinic's choice, labelled so.
 */
export const DEFAULT_MIN_BOLUS_MG_PER_KG = 0.1;

export interface ClinicSettings {
  /** Limits the clinic overrides (value in the limit's unit; null = check switched off). Missing = cited default. */
  readonly limits: Readonly<Partial<Record<LimitKey, number | null>>>;
  readonly pump: PumpSettings;
  /** Smallest loading bolus the planner proposes, mg/kg. */
  readonly minBolusMgPerKg: number;
}

export const DEFAULT_CLINIC_SETTINGS: ClinicSettings = {
  limits: {},
  pump: DEFAULT_PUMP_SETTINGS,
  minBolusMgPerKg: DEFAULT_MIN_BOLUS_MG_PER_KG,
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const posNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/**
 * Read stored settings: the usable settings plus a message per value that was dropped (naming it).
 * Anything missing takes its default.
 */
export function parseClinicSettings(input: unknown): { settings: ClinicSettings; problems: string[] } {
  const problems: string[] = [];
  if (input === undefined || input === null) return { settings: DEFAULT_CLINIC_SETTINGS, problems };
  if (!isObj(input)) return { settings: DEFAULT_CLINIC_SETTINGS, problems: ['Clinic settings: not an object; defaults used'] };
  const limits: Partial<Record<LimitKey, number | null>> = {};
  if (isObj(input.limits)) {
    for (const [k, v] of Object.entries(input.limits)) {
      const f = LIMIT_FIELDS.find((x) => x.key === k);
      if (!f) problems.push(`Clinic settings: unknown dose limit "${k}" dropped`);
      else if (v === null || (posNum(v) && (k !== 'unitSlipFraction' || v <= 1))) limits[f.key] = v;
      else problems.push(`${f.name}: stored value ${JSON.stringify(v)} is not a number > 0 ${f.unit}; the default is used`);
    }
  }
  const p = isObj(input.pump) ? input.pump : {};
  const conc = p.concentrationMgPerMl;
  const pump: PumpSettings = {
    concentrationMgPerMl: conc === undefined || conc === null ? null : posNum(conc) ? conc : null,
    rateStepMlPerH: posNum(p.rateStepMlPerH) ? p.rateStepMlPerH : DEFAULT_PUMP_SETTINGS.rateStepMlPerH,
    bolusStepMl: posNum(p.bolusStepMl) ? p.bolusStepMl : DEFAULT_PUMP_SETTINGS.bolusStepMl,
  };
  if (conc !== undefined && conc !== null && !posNum(conc))
    problems.push(`Concentration: stored value ${JSON.stringify(conc)} is not a number > 0 mg/mL; not set`);
  const mb = input.minBolusMgPerKg;
  const minBolusMgPerKg = posNum(mb) ? mb : DEFAULT_MIN_BOLUS_MG_PER_KG;
  if (mb !== undefined && !posNum(mb))
    problems.push(`Smallest planner bolus: stored value ${JSON.stringify(mb)} is not a number > 0 mg/kg; the default is used`);
  return { settings: { limits, pump, minBolusMgPerKg }, problems: [...problems, ...pumpProblems(pump).map((x) => x.message)] };
}

/** Read the settings from a Storage (localStorage), tolerating a missing or unreadable store. */
export function loadClinicSettings(storage: Pick<Storage, 'getItem'> | null): { settings: ClinicSettings; problems: string[] } {
  if (!storage) return { settings: DEFAULT_CLINIC_SETTINGS, problems: [] };
  let text: string | null;
  try {
    text = storage.getItem(STORAGE_KEY);
  } catch {
    return {
      settings: DEFAULT_CLINIC_SETTINGS,
      problems: ["Clinic settings: this browser's storage cannot be read; defaults used"],
    };
  }
  if (text === null) return { settings: DEFAULT_CLINIC_SETTINGS, problems: [] };
  try {
    return parseClinicSettings(JSON.parse(text));
  } catch {
    return { settings: DEFAULT_CLINIC_SETTINGS, problems: ['Clinic settings: the stored text is not JSON; defaults used'] };
  }
}

const browserStorage = (): Storage | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
};

const initial = loadClinicSettings(browserStorage());

/** The clinic settings in force; every change is written back to localStorage. */
export const clinicSettings: Store<ClinicSettings> = createStore(initial.settings);
/** Messages about stored values that were dropped at start (shown in the settings panel). */
export const clinicSettingsLoadProblems: readonly string[] = initial.problems;
/** The last failure to save, as a sentence, or null. */
export const clinicSettingsSaveError: Store<string | null> = createStore<string | null>(null);

clinicSettings.subscribe(() => {
  const s = browserStorage();
  if (!s) return;
  try {
    s.setItem(STORAGE_KEY, JSON.stringify(clinicSettings.get()));
    clinicSettingsSaveError.set(null);
  } catch (e) {
    clinicSettingsSaveError.set(`Clinic settings could not be saved in this browser: ${(e as Error).message}`);
  }
});
