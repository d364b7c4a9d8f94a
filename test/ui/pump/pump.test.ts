// Pump arithmetic: mg/h → mL/h and mg → mL at a concentration, rounding to the pump's step, the delivered dose and its difference.
import { describe, expect, it } from 'vitest';
import {
  bolusText,
  bolusVolume,
  DEFAULT_PUMP_SETTINGS,
  formatDelta,
  pumpProblems,
  pumpRate,
  pumpRateText,
  roundToStep,
  stepDecimals,
  type PumpSettings,
} from '../../../ui/pump/pump.ts';

const at = (concentrationMgPerMl: number | null, rateStepMlPerH = 0.1, bolusStepMl = 0.1): PumpSettings => ({
  concentrationMgPerMl,
  rateStepMlPerH,
  bolusStepMl,
});

describe('pump rates in mL/h', () => {
  it('0.75 mg/kg/h for 82 kg at 1 mg/mL is 61.5 mL/h exactly (no rounding)', () => {
    const p = pumpRate(0.75 * 82, at(1))!;
    expect(p.programmed).toBe(61.5);
    expect(p.deliveredMg).toBe(61.5);
    expect(p.deltaPct).toBe(0);
    expect(pumpRateText(61.5, 82, at(1))).toBe('61.5 mL/h delivers 0.75 mg/kg/h (61.5 mg/h), ±0 %');
  });

  it('rounds to the step and says what the rounded rate delivers: 0.75 mg/kg/h for 82 kg at 2 mg/mL → 30.8 mL/h, +0.2 %', () => {
    const p = pumpRate(61.5, at(2))!;
    expect(p.exact).toBeCloseTo(30.75, 12);
    expect(p.programmed).toBe(30.8);
    expect(p.deliveredMg).toBeCloseTo(61.6, 12);
    expect(p.deltaPct).toBeCloseTo((0.1 / 61.5) * 100, 10);
    expect(pumpRateText(61.5, 82, at(2))).toBe('30.8 mL/h delivers 0.751 mg/kg/h (61.6 mg/h), +0.2 %');
  });

  it('a coarse step rounds down with a negative difference: 61.5 mg/h at 10 mg/mL, 1 mL/h step → 6 mL/h, −2.4 %', () => {
    const p = pumpRate(61.5, at(10, 1))!;
    expect(p.programmed).toBe(6);
    expect(p.deltaPct).toBeCloseTo(((60 - 61.5) / 61.5) * 100, 10);
    expect(pumpRateText(61.5, 82, at(10, 1))).toBe('6 mL/h delivers 0.732 mg/kg/h (60 mg/h), −2.4 %');
  });

  it('a stop is 0 mL/h', () => {
    expect(pumpRateText(0, 70, at(1))).toBe('0.0 mL/h (pump stopped)');
  });

  it('no concentration, or bad settings: no volume (null), and the problem names the field', () => {
    expect(pumpRate(60, DEFAULT_PUMP_SETTINGS)).toBeNull();
    expect(pumpRate(60, at(0))).toBeNull();
    expect(pumpRate(Number.NaN, at(1))).toBeNull();
    expect(pumpRate(-1, at(1))).toBeNull();
    expect(pumpProblems(at(0))[0].message).toMatch(/^Concentration: must be a number > 0 mg\/mL/);
    expect(pumpProblems(at(1, 0))[0].message).toMatch(/^Pump rate step: must be a number > 0 mL\/h/);
    expect(pumpProblems(at(1, 0.1, -1))[0].message).toMatch(/^Bolus volume step: must be a number > 0 mL/);
    expect(pumpProblems(DEFAULT_PUMP_SETTINGS)).toEqual([]);
  });
});

describe('boluses in mL', () => {
  it('0.1 mg/kg for 82 kg at 10 mg/mL is 0.82 mL → 0.8 mL at a 0.1-mL step, −2.4 %', () => {
    const b = bolusVolume(8.2, at(10))!;
    expect(b.exact).toBeCloseTo(0.82, 12);
    expect(b.programmed).toBe(0.8);
    expect(b.deliveredMg).toBeCloseTo(8, 12);
    expect(bolusText(8.2, 82, at(10))).toBe('0.8 mL delivers 8 mg (0.0976 mg/kg), −2.4 %');
  });

  it('uses the bolus step, not the rate step', () => {
    expect(bolusVolume(8.2, at(10, 0.1, 0.01))!.programmed).toBe(0.82);
    expect(bolusText(8.2, 82, at(10, 0.1, 0.01))).toBe('0.82 mL delivers 8.2 mg (0.1 mg/kg), ±0 %');
  });
});

describe('helpers', () => {
  it('roundToStep has no float noise and rounds halves away from zero', () => {
    expect(roundToStep(0.1 + 0.2, 0.1)).toBe(0.3);
    expect(roundToStep(30.75, 0.1)).toBe(30.8);
    expect(roundToStep(0.25, 0.5)).toBe(0.5);
    expect(roundToStep(12.34, 0.05)).toBe(12.35);
  });

  it('stepDecimals and formatDelta', () => {
    expect([stepDecimals(0.1), stepDecimals(0.05), stepDecimals(1)]).toEqual([1, 2, 0]);
    expect([formatDelta(-0.13), formatDelta(0.04), formatDelta(2.46)]).toEqual(['−0.1 %', '±0 %', '+2.5 %']);
  });
});
