// Clinic settings: stored values read back or dropped with a message naming them; the limit list matches the engine's.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CLINIC_SETTINGS,
  DEFAULT_MIN_BOLUS_MG_PER_KG,
  LIMIT_FIELDS,
  loadClinicSettings,
  parseClinicSettings,
  STORAGE_KEY,
} from '../../../ui/settings/clinic-settings.ts';
import { DOSE_LIMIT_UNITS, SMALLEST_CITED_DOSE } from '../../../engine/safety/dose-safety.ts';

describe('clinic settings', () => {
  it("the limit fields are the engine's, with the same units (a copy kept off the main thread)", () => {
    expect(Object.fromEntries(LIMIT_FIELDS.map((f) => [f.key, f.unit]))).toEqual(DOSE_LIMIT_UNITS);
  });

  it('the smallest planner bolus defaults to the smallest cited IV dose', () => {
    expect(DEFAULT_MIN_BOLUS_MG_PER_KG).toBe(SMALLEST_CITED_DOSE.value);
  });

  it('reads stored settings back', () => {
    const stored = {
      limits: { singleDoseMgPerKg: 2, totalDoseMgPerKg: null },
      pump: { concentrationMgPerMl: 1, rateStepMlPerH: 0.5, bolusStepMl: 0.01 },
      minBolusMgPerKg: 0.2,
    };
    const storage = { getItem: (k: string) => (k === STORAGE_KEY ? JSON.stringify(stored) : null) };
    expect(loadClinicSettings(storage)).toEqual({ settings: stored, problems: [] });
  });

  it('nothing stored, no storage: the defaults, no problem', () => {
    expect(loadClinicSettings({ getItem: () => null })).toEqual({ settings: DEFAULT_CLINIC_SETTINGS, problems: [] });
    expect(loadClinicSettings(null)).toEqual({ settings: DEFAULT_CLINIC_SETTINGS, problems: [] });
  });

  it('drops wrong values with a message naming each, never uses them', () => {
    const r = parseClinicSettings({
      limits: { singleDoseMgPerKg: -1, unitSlipFraction: 3, bogus: 1 },
      pump: { concentrationMgPerMl: 'ten', rateStepMlPerH: 0 },
      minBolusMgPerKg: 0,
    });
    expect(r.settings).toEqual(DEFAULT_CLINIC_SETTINGS);
    expect(r.problems).toEqual([
      'Largest single IV dose: stored value -1 is not a number > 0 mg/kg; the default is used',
      'Unit-slip fraction: stored value 3 is not a number > 0 fraction; the default is used',
      'Clinic settings: unknown dose limit "bogus" dropped',
      'Concentration: stored value "ten" is not a number > 0 mg/mL; not set',
      'Smallest planner bolus: stored value 0 is not a number > 0 mg/kg; the default is used',
    ]);
    expect(loadClinicSettings({ getItem: () => '{not json' }).problems).toEqual([
      'Clinic settings: the stored text is not JSON; defaults used',
    ]);
  });
});
