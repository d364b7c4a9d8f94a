// Population kernels = engine/simulate.ts within 1e-12 per patient; block-size independent; Newton roots.
import { describe, expect, it } from 'vitest';
import { findModel } from '../../../engine/models/registry.ts';
import { mammillary } from '../../../engine/pk/mammillary.ts';
import { modeRates } from '../../../engine/pk/modal.ts';
import { gridTime, simulate } from '../../../engine/simulate.ts';
import { regimenToActions } from '../../../engine/dosing/actions.ts';
import { modeRatesDet } from '../../../engine/population/modal-kernel.ts';
import { compileSchedule, gridTimeMin } from '../../../engine/population/schedule.ts';
import { fromClearanceParameters, fromMicroParameters } from '../../../engine/models/structures.ts';
import { maxRelativeError } from '../../support/tolerance.ts';
import { jobOf, planOf, series, trajectories, WORKLOAD_P } from './helpers.ts';

/** A regimen with every kind of event: bolus at 0, dose over time, off-grid bolus and rate changes, events at grid times, ties. */
const BUSY_REGIMEN = [
  { at: 0, bolus: 0.3, unit: 'mg/kg' },
  { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 12.345 },
  { at: 20, rate: 1.2, unit: 'mg/kg/h' },
  { at: 20, bolus: 5, unit: 'mg' },
  { at: 31.7777, bolus: 3, unit: 'mg' },
  { at: 45.5, rate: 0 },
  { at: 45.5, rate: 0.6 },
  { at: 58, rate: 0 },
];

const CASES: { name: string; model: unknown; regimen: unknown[]; horizonMin: number; resolutionSec: number }[] = [
  {
    name: 'workload P (Domino, 3-cmt micro-constants)',
    model: { id: 'domino-1984' },
    regimen: WORKLOAD_P.regimen,
    horizonMin: 240,
    resolutionSec: 10,
  },
  { name: 'Domino, every kind of event', model: { id: 'domino-1984' }, regimen: BUSY_REGIMEN, horizonMin: 90, resolutionSec: 15 },
  {
    name: 'Kamp 2020 (3-cmt clearances), infusion running at the horizon',
    model: { id: 'kamp-2020' },
    regimen: [{ at: 3.3, rate: 2, unit: 'mg/kg/h' }],
    horizonMin: 60,
    resolutionSec: 7,
  },
  { name: 'custom 1-cmt', model: { v1: 20, k10: 0.1, ke0: 0.5 }, regimen: BUSY_REGIMEN, horizonMin: 70, resolutionSec: 10 },
  {
    name: 'custom 2-cmt clearances',
    model: { v1: 10, cl1: 1, v2: 30, cl2: 2, ke0: 0.2 },
    regimen: BUSY_REGIMEN,
    horizonMin: 70,
    resolutionSec: 20,
  },
];

describe('the population kernel agrees with the engine for every virtual patient', () => {
  for (const c of CASES) {
    it(`${c.name}: cp and ce within 1e-12 of engine/simulate.ts`, async () => {
      const json = {
        patient: { weightKg: 70, ageYears: 40 },
        model: c.model,
        regimen: c.regimen,
        horizonMin: c.horizonMin,
        resolutionSec: c.resolutionSec,
      };
      const job = jobOf(json, { n: 25, seed: 11, cv: 0.4 });
      const { cp, ce, patients } = await trajectories(job, 13);
      const plan = planOf(json);
      const actions = regimenToActions(plan.regimen, plan.patient.weightKg);
      const T = job.grid.count,
        n = job.n,
        P = job.parameters.length;
      const build = job.recipe.kind === 'micro' ? fromMicroParameters : fromClearanceParameters;
      for (let i = 0; i < n; i++) {
        const rec: Record<string, number> = {};
        job.parameters.forEach((p, k) => {
          rec[p.name] = patients.parameters[i * P + k];
        });
        const ref = simulate(build(rec), rec.ke0, actions, job.grid);
        expect(maxRelativeError(series(cp, n, T, i), ref.cp), `patient ${i} cp`).toBeLessThanOrEqual(1e-12);
        expect(maxRelativeError(series(ce, n, T, i), ref.ce), `patient ${i} ce`).toBeLessThanOrEqual(1e-12);
      }
    });
  }

  it('Simons 2022 (general linear system, metabolite) agrees with the engine within 1e-12', async () => {
    const json = {
      patient: { weightKg: 70 },
      model: { id: 'simons-2022-s-ketamine-arterial' },
      regimen: BUSY_REGIMEN,
      horizonMin: 60,
      resolutionSec: 30,
    };
    const job = jobOf(json, { n: 6, seed: 3 });
    expect(job.structure).toBe('linear');
    const { cp, ce, patients } = await trajectories(job, 7);
    const def = findModel('simons-2022-s-ketamine-arterial')!;
    const plan = planOf(json);
    const actions = regimenToActions(plan.regimen, 70);
    const P = job.parameters.length,
      T = job.grid.count;
    for (let i = 0; i < job.n; i++) {
      const rec: Record<string, number> = {};
      job.parameters.forEach((p, k) => {
        rec[p.name] = patients.parameters[i * P + k];
      });
      const ref = simulate(def.structure(rec), rec.ke0, actions, job.grid);
      expect(maxRelativeError(series(cp, job.n, T, i), ref.cp)).toBeLessThanOrEqual(1e-12);
      expect(maxRelativeError(series(ce, job.n, T, i), ref.ce)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('a trajectory is the same bits whatever the block size', async () => {
    const job = jobOf({ ...WORKLOAD_P, regimen: BUSY_REGIMEN, horizonMin: 120 }, { n: 40, seed: 9 });
    const a = await trajectories(job, job.grid.count);
    for (const b of [1, 5, 64]) {
      const other = await trajectories(job, b);
      expect(Buffer.from(other.cp.buffer).equals(Buffer.from(a.cp.buffer)), `block ${b} cp`).toBe(true);
      expect(Buffer.from(other.ce.buffer).equals(Buffer.from(a.ce.buffer)), `block ${b} ce`).toBe(true);
    }
  });

  it('mode rates come from bracketed Newton steps, within 4e-15 of the engine (trigonometric) roots', () => {
    const lam = new Float64Array(3);
    let s = 5;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 5000; i++) {
      const f = () => Math.exp((rnd() * 2 - 1) * 1.5);
      const m = mammillary(4 * f(), 0.44 * f(), 0.59 * f(), 0.25 * f(), 0.59 * f(), 0.015 * f());
      modeRatesDet(m, lam);
      modeRates(m).forEach((r, k) => expect(Math.abs(lam[k] - r) / r).toBeLessThan(4e-15));
    }
    // Equal return rates: the middle root is exactly k21 = k31.
    modeRatesDet(mammillary(5, 0.3, 0.4, 0.1, 0.2, 0.1), lam);
    expect(lam[1]).toBe(0.1);
  });

  it('the schedule uses the grid times of engine/simulate.ts', () => {
    const grid = { resolutionSec: 7, count: 5000 };
    for (let j = 0; j < grid.count; j += 37) expect(gridTimeMin(grid, j)).toBe(gridTime(grid, j));
    const s = compileSchedule(regimenToActions(planOf({ ...WORKLOAD_P, regimen: BUSY_REGIMEN }).regimen, 70), {
      resolutionSec: 10,
      count: 600,
    });
    expect(s.opStart[1] - s.opStart[0]).toBe(1); // the bolus at t = 0, applied before grid point 0
    expect(s.opKind[s.opStart[0]]).toBe(1);
    expect(s.rates.length).toBeGreaterThan(3);
  });
});
