// Titration request defaults, problems naming fields, `changeTimes`.
import { describe, expect, it } from 'vitest';
import {
  changeTimes,
  checkTitrationRequest,
  DEFAULT_PUMP,
  planTitration,
  TitrationRequestError,
  titrationSettings,
  type TitrationRequest,
} from '../../../engine/tci/index.ts';

const ok: TitrationRequest = { patient: { weightKg: 70 }, model: { id: 'domino-1984' }, reachMin: 10, durationMin: 40 };
const paths = (r: Partial<TitrationRequest>) => checkTitrationRequest({ ...ok, ...r }).map((p) => p.path);

describe('titration request', () => {
  it('fills defaults: dissociation window, effect mode, Cp cap = window high, the stated pump settings, 10-s grid, 95%', () => {
    const s = titrationSettings(ok);
    expect(s.window).toEqual({ lowNgMl: 100, highNgMl: 250 });
    expect(s.mode).toBe('effect');
    expect(s.maxCpNgMl).toBe(250);
    expect(s.pump).toEqual(DEFAULT_PUMP);
    expect(s.resolutionSec).toBe(10);
    expect(s.minFractionInWindow).toBe(0.95);
    expect(s.horizonMin).toBe(40);
    expect(titrationSettings({ ...ok, mode: 'plasma' }).maxCpNgMl).toBeNull();
    expect(titrationSettings({ ...ok, window: { lowNgMl: 300, highNgMl: 500 } }).maxCpNgMl).toBe(500);
    expect(titrationSettings({ ...ok, pump: { maxRate: undefined, rateStep: 0.1 } }).pump.maxRate).toBe(DEFAULT_PUMP.maxRate);
  });

  it('accepts a valid request', () => {
    expect(checkTitrationRequest(ok)).toEqual([]);
  });

  it('names the field of each problem', () => {
    expect(paths({ window: { lowNgMl: 200, highNgMl: 100 } })).toEqual(['window.highNgMl']);
    expect(paths({ window: { lowNgMl: -1, highNgMl: 100 } })).toEqual(['window.lowNgMl']);
    expect(paths({ reachMin: 40 })).toEqual(['reachMin']);
    expect(paths({ reachMin: -1 })).toEqual(['reachMin']);
    expect(paths({ durationMin: 0 })).toContain('durationMin');
    expect(paths({ mode: 'brain' as 'effect' })).toEqual(['mode']);
    expect(paths({ mode: 'plasma', maxCpNgMl: 300 })).toEqual(['maxCpNgMl']);
    expect(paths({ maxCpNgMl: 0 })).toEqual(['maxCpNgMl']);
    expect(paths({ pump: { unit: 'mg/kg/hour' as 'mg/kg/h' } })).toEqual(['pump.unit']);
    expect(paths({ pump: { maxRate: 0 } })).toEqual(['pump.maxRate']);
    expect(paths({ pump: { rateStep: 3 } })).toEqual(['pump.rateStep']);
    expect(paths({ pump: { rateStep: 1e-5 } })).toEqual(['pump.rateStep']);
    expect(paths({ pump: { minIntervalMin: 0 } })).toEqual(['pump.minIntervalMin']);
    expect(paths({ pump: { maxBolusMgPerKg: -0.1 } })).toEqual(['pump.maxBolusMgPerKg']);
    expect(paths({ pump: { bolusStepMgPerKg: 0 } })).toEqual(['pump.bolusStepMgPerKg']);
    expect(paths({ resolutionSec: 0 })).toEqual(['resolutionSec']);
    expect(paths({ resolutionSec: 600, reachMin: 35 })).toEqual(['resolutionSec']);
    expect(paths({ minFractionInWindow: 1.5 })).toEqual(['minFractionInWindow']);
    expect(paths({ horizonMin: 30 })).toEqual(['horizonMin']);
  });

  it('planTitration throws one error listing every problem with its field', () => {
    expect(() => planTitration({ ...ok, reachMin: 50, pump: { maxRate: -1 } })).toThrow(TitrationRequestError);
    expect(() => planTitration({ ...ok, reachMin: 50, pump: { maxRate: -1 } })).toThrow(/reachMin: .*\n.*pump\.maxRate: /s);
  });

  it('changeTimes(D, N) is 0, N, 2N, … strictly before D', () => {
    expect(changeTimes(40, 5)).toEqual([0, 5, 10, 15, 20, 25, 30, 35]);
    expect(changeTimes(42, 5)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
    expect(changeTimes(4, 5)).toEqual([0]);
  });
});
