// Superposed unit responses = direct simulation for every model; envelope and too-late bounds; steady-state Cp/rate.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { responseBasis, superpose } from '../../../engine/tci/basis.ts';
import { steadyStateCpPerRate, upperEnvelope } from '../../../engine/tci/diagnosis.ts';
import { changeTimes } from '../../../engine/tci/request.ts';
import { resolveModel } from '../../../engine/predict.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { regimenToActions } from '../../../engine/dosing/actions.ts';
import { simulate } from '../../../engine/simulate.ts';
import { stepperFor } from '../../../engine/pk/stepper.ts';
import type { DoseEvent } from '../../../engine/plan.ts';
import { expectClose, expectNear } from '../../support/tolerance.ts';

/**
 * The planner costs candidates by superposing exact unit responses. These tests hold that to the
 * engine: the superposed concentrations of any programme equal a direct simulation of its regimen,
 * including change times that fall between grid points and the general (matrix-exponential) models.
 */
const patient = { weightKg: 70, ageYears: 40, sex: 'male' as const, heightCm: 175 };

describe('response basis', () => {
  it('superposition equals a direct simulation of the regimen (every registry model, off-grid change times)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODEL_IDS),
        fc.constantFrom(10, 7, 15),
        fc.constantFrom(5, 2.5, 3.7),
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 9, maxLength: 9 }),
        fc.constantFrom<'ce' | 'cp'>('ce', 'cp'),
        (id, res, interval, bolusLevel, raw, target) => {
          const m = resolveModel({ id }, patient);
          const duration = 30;
          const times = changeTimes(duration, interval);
          const levels = raw.slice(0, times.length);
          while (levels.length < times.length) levels.push(0);
          const grid = { resolutionSec: res, count: Math.floor((duration * 60) / res + 1e-9) + 1 };
          const level = (0.05 * 70) / 60,
            bolusMg = 0.01 * 70;
          const basis = responseBasis(m.structure, m.ke0, grid, times, duration, level, bolusMg, target);
          const y = new Float64Array(grid.count),
            cp = new Float64Array(grid.count);
          superpose(basis, bolusLevel, levels, y, cp);
          const regimen: DoseEvent[] = [{ at: 0, bolus: bolusLevel * 0.01, unit: 'mg/kg' }];
          times.forEach((t, k) => regimen.push({ at: t, rate: levels[k] * 0.05, unit: 'mg/kg/h' }));
          regimen.push({ at: duration, rate: 0, unit: 'mg/kg/h' });
          const tr = simulate(m.structure, m.ke0, regimenToActions(regimen, 70), grid);
          expectClose(y, target === 'ce' ? tr.ce : tr.cp, 1e-12, `${id} ${target}`);
          expectClose(cp, tr.cp, 1e-12, `${id} cp`);
          expect(Array.from(basis.t)).toEqual(Array.from(tr.t));
        },
      ),
      { numRuns: 40, seed: 4 },
    );
  });

  it('a pulse is exactly zero up to its change time (nothing is given before it)', () => {
    const m = resolveModel({ id: 'kamp-2020' }, patient);
    const times = changeTimes(20, 5);
    const basis = responseBasis(m.structure, m.ke0, { resolutionSec: 10, count: 121 }, times, 20, 1, 1, 'ce');
    times.forEach((t, k) => {
      for (let j = 0; j < basis.start[k]; j++) expect(basis.pulse[k][j]).toBe(0);
      expect(basis.t[basis.start[k]]).toBeGreaterThan(t);
      expect(basis.pulse[k][basis.start[k]]).toBeGreaterThan(0);
    });
  });

  it('the upper envelope (largest bolus, maximum rate throughout) bounds every programme from above', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODEL_IDS),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 10 }),
        (id, levels, b) => {
          const m = resolveModel({ id }, patient);
          const times = changeTimes(40, 5);
          const grid = { resolutionSec: 10, count: 241 };
          const basis = responseBasis(m.structure, m.ke0, grid, times, 40, 0.1, 0.5, 'ce');
          const env = upperEnvelope(basis, 20, 10);
          const y = new Float64Array(241),
            cp = new Float64Array(241);
          superpose(basis, b, levels, y, cp);
          for (let j = 0; j < 241; j++) expect(y[j]).toBeLessThanOrEqual(env[j] * (1 + 1e-12) + 1e-12);
        },
      ),
      { numRuns: 25, seed: 5 },
    );
  });

  it('Ce never exceeds cap·(1 − e^(−ke0·t)) when Cp stays at or below the cap (the too-late bound)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODEL_IDS),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 8, maxLength: 8 }),
        (id, levels) => {
          const m = resolveModel({ id }, patient);
          const basis = responseBasis(
            m.structure,
            m.ke0,
            { resolutionSec: 5, count: 481 },
            changeTimes(40, 5),
            40,
            0.06,
            1,
            'ce',
          );
          const ce = new Float64Array(481),
            cp = new Float64Array(481);
          superpose(basis, 0, levels, ce, cp);
          const cap = Math.max(...cp);
          for (let j = 0; j < 481; j++)
            expect(ce[j]).toBeLessThanOrEqual(cap * -Math.expm1(-m.ke0 * basis.t[j]) * (1 + 1e-9) + 1e-12);
        },
      ),
      { numRuns: 25, seed: 6 },
    );
  });

  it('steady-state Cp per unit rate is 1/CL for a mammillary model and matches a very long infusion for every model', () => {
    const d = resolveModel({ id: 'domino-1984' }, patient);
    expectNear(steadyStateCpPerRate(d.structure), 1 / (0.063 * 70 * 0.4381), 1e-12, 'domino 1/CL');
    for (const id of MODEL_IDS) {
      const m = resolveModel({ id }, patient);
      const s = stepperFor(m.structure, m.ke0);
      for (let i = 0; i < 200; i++) s.advance(1000, 1); // 200 000 min at 1 mg/min: far past every mode
      expectNear(steadyStateCpPerRate(m.structure), s.cp(), 1e-6, id);
    }
  });
});
