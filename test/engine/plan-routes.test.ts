// parsePlan's non-IV routes (docs/PLAN-FORMAT.md "Dose events"): accepted forms, and each error naming the field and the models that have the route.
import { describe, expect, it } from 'vitest';
import { isDoseOver, isRouteDose, parsePlan } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';

const base = (model: unknown, regimen: unknown[]) => ({
  patient: { weightKg: 70, ageYears: 40 },
  model,
  regimen,
  horizonMin: 120,
  resolutionSec: 10,
});
const PR = { id: 'perez-ruixo-2021-esketamine' };
const problems = (p: unknown): string[] => {
  const r = parsePlan(p, MODEL_IDS);
  return r.ok ? [] : r.problems.map((x) => `${x.path}: ${x.message}`);
};

describe('parsePlan: route', () => {
  it('accepts { at, dose, unit, route } with a model that has the route, and drops "iv" (the default)', () => {
    const r = parsePlan(
      base(PR, [
        { at: 0, dose: 56, unit: 'mg', route: 'intranasal' },
        { at: 60, dose: 84, unit: 'mg', route: 'oral' },
        { at: 90, bolus: 5, unit: 'mg', route: 'iv' },
        { at: 95, rate: 0.5, route: 'iv' },
        { at: 100, dose: 0.1, unit: 'mg/kg', overMin: 5, route: 'iv' },
      ]),
      MODEL_IDS,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.regimen).toEqual([
      { at: 0, dose: 56, unit: 'mg', route: 'intranasal' },
      { at: 60, dose: 84, unit: 'mg', route: 'oral' },
      { at: 90, bolus: 5, unit: 'mg' },
      { at: 95, rate: 0.5, unit: 'mg/kg/h' },
      { at: 100, dose: 0.1, unit: 'mg/kg', overMin: 5 },
    ]);
    expect(r.plan.regimen.map((e) => [isRouteDose(e), isDoseOver(e)])).toEqual([
      [true, false],
      [true, false],
      [false, false],
      [false, false],
      [false, true],
    ]);
    expect(problems(base({ id: 'simons-2022-s-ketamine-arterial' }, [{ at: 0, dose: 50, unit: 'mg', route: 'oral' }]))).toEqual(
      [],
    );
  });

  it('a model without the route is an error naming the models that have it', () => {
    expect(problems(base({ id: 'domino-1984' }, [{ at: 0, dose: 56, unit: 'mg', route: 'intranasal' }]))).toEqual([
      'regimen[0].route: model domino-1984 has no intranasal route (its source gives none); models that have it: perez-ruixo-2021-esketamine',
    ]);
    expect(problems(base({ id: 'fanta-2015-s-ketamine' }, [{ at: 0, dose: 50, unit: 'mg', route: 'oral' }]))[0]).toMatch(
      /models that have it: perez-ruixo-2021-esketamine, simons-2022-s-ketamine-arterial$/,
    );
    expect(problems(base({ v1: 10, cl1: 1, ke0: 0.5 }, [{ at: 0, dose: 50, unit: 'mg', route: 'oral' }]))[0]).toMatch(
      /^regimen\[0\]\.route: a custom model has IV only/,
    );
  });

  it('a route dose has no overMin; a bolus or a rate takes no non-IV route; an unknown route is named', () => {
    expect(problems(base(PR, [{ at: 0, dose: 56, unit: 'mg', route: 'intranasal', overMin: 5 }]))).toEqual([
      'regimen[0].overMin: an intranasal dose has no overMin: how fast it is absorbed (and how much) comes from the model\'s source; remove overMin (for an IV dose over a duration, leave out route or write "iv")',
    ]);
    expect(problems(base(PR, [{ at: 0, bolus: 28, unit: 'mg', route: 'intranasal' }]))[0]).toMatch(
      /^regimen\[0\]\.route: a bolus is an IV dose; an intranasal dose is written \{ at, dose, unit, "route": "intranasal" \}/,
    );
    expect(problems(base(PR, [{ at: 0, rate: 1, route: 'oral' }]))[0]).toMatch(/^regimen\[0\]\.route: a rate is the IV pump/);
    expect(problems(base(PR, [{ at: 0, dose: 28, unit: 'mg', route: 'nasal' }]))).toEqual([
      'regimen[0].route: unknown route "nasal"; expected one of iv, intranasal, oral ("iv" is the default)',
    ]);
    expect(problems(base(PR, [{ at: 0, dose: 28, unit: 'mg/h', route: 'oral' }]))[0]).toMatch(
      /^regimen\[0\]\.unit: "mg\/h" is a rate unit; an oral dose takes a dose unit/,
    );
    expect(problems(base(PR, [{ at: 0, dose: 28, unit: 'mg', route: 'oral', extra: 1 }]))[0]).toMatch(
      /^regimen\[0\]\.extra: unknown field of an oral dose; expected one of at, dose, unit, route$/,
    );
  });

  it('intranasal with Perez-Ruixo is a whole number of 28-mg devices (any unit that comes to one)', () => {
    expect(problems(base(PR, [{ at: 0, dose: 30, unit: 'mg', route: 'intranasal' }]))[0]).toMatch(
      /^regimen\[0\]\.dose: 30 mg; an intranasal dose with perez-ruixo-2021-esketamine is a whole number of devices \(28-mg nasal spray device \(2 sprays\)\): 28, 56, 84 mg, … \(given 5 min apart;/,
    );
    expect(problems(base(PR, [{ at: 0, dose: 0.8, unit: 'mg/kg', route: 'intranasal' }]))).toEqual([]);
    expect(problems(base(PR, [{ at: 0, dose: 37, unit: 'mg', route: 'oral' }]))).toEqual([]);
  });
});
