/**
 * Metabolite outputs (`cm`): Simons 2022 S-norketamine and Perez-Ruixo 2021 noresketamine (apparent)
 * against an independent RK4 solution of each model's ODEs written here from the source, mass balance of
 * the metabolite (AUC × clearance = amount formed), cp and ce unchanged by the metabolite, and models
 * without a metabolite carrying no `cm`.
 */
import { describe, expect, it } from 'vitest';
import { MODEL_IDS, findModel } from '../../../engine/models/registry.ts';
import { parsePlan, type Plan } from '../../../engine/plan.ts';
import { predict } from '../../../engine/predict.ts';
import { simulate } from '../../../engine/simulate.ts';
import { withMetabolite } from '../../../engine/models/metabolite.ts';
import type { LinearSystem } from '../../../engine/pk/linear-system.ts';
import { mammillary } from '../../../engine/pk/mammillary.ts';
import type { Litres } from '../../../engine/units.ts';
import { Rk4Integrator } from '../../support/rk4.ts';
import { expectClose, expectNear } from '../../support/tolerance.ts';

function plan(model: string, regimen: unknown[], horizonMin: number, resolutionSec: number, ageYears = 45): Plan {
  const r = parsePlan(
    { patient: { weightKg: 70, ageYears }, model: { id: model }, regimen, horizonMin, resolutionSec },
    MODEL_IDS,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.plan;
}

/**
 * An ODE system written from its equations: `rhs[i]` lists (coefficient 1/min, compartment) terms of
 * dA_i/dt. The RK4 reads cp as A[observed]/volume, so observing the metabolite compartment makes its
 * "cp" the metabolite concentration.
 */
function odeSystem(names: string[], rhs: [number, number][][], observed: number, volume: number): LinearSystem {
  const n = names.length;
  const a = new Float64Array(n * n);
  rhs.forEach((terms, i) => {
    for (const [k, j] of terms) a[i * n + j] += k;
  });
  return { kind: 'linear', names, a, input: 0, central: observed, volume: volume as Litres };
}

const REGIMEN = [
  { at: 0, dose: 20, unit: 'mg', overMin: 20 },
  { at: 90, bolus: 10, unit: 'mg' },
  { at: 150.5, rate: 30, unit: 'mg/h' },
  { at: 200, rate: 0 },
];

describe('Simons 2022 S-norketamine (70 kg, values of ketamine-models.json)', () => {
  // Simons 2022 Table 4 via nlmixr2lib, as recorded in docs/models/ketamine-models.json: V1 11.6, V2 39,
  // V3 174 L; CL 1.48, Q2 2.43, Q3 1.21 L/min; S-norketamine shares V1, Vp 221 L, CL 1.00, Q 2.63 L/min;
  // 80% of metabolised S-ketamine forms S-NK through a 2-compartment transit chain, MTT 20.1 min.
  const [v1, v2, v3, cl, q2, q3] = [11.6, 39, 174, 1.48, 2.43, 1.21];
  const [vpNk, clNk, qNk, mtt, fm] = [221, 1.0, 2.63, 20.1, 0.8];
  const ktr = 2 / mtt;
  const ode = odeSystem(
    ['K central', 'K p2', 'K p3', 'transit 1', 'transit 2', 'NK central', 'NK peripheral'],
    [
      [
        [-(cl + q2 + q3) / v1, 0],
        [q2 / v2, 1],
        [q3 / v3, 2],
      ],
      [
        [q2 / v1, 0],
        [-q2 / v2, 1],
      ],
      [
        [q3 / v1, 0],
        [-q3 / v3, 2],
      ],
      [
        [cl / v1, 0],
        [-ktr, 3],
      ],
      [
        [ktr, 3],
        [-ktr, 4],
      ],
      [
        [fm * ktr, 4],
        [-(clNk + qNk) / v1, 5],
        [qNk / vpNk, 6],
      ],
      [
        [qNk / v1, 5],
        [-qNk / vpNk, 6],
      ],
    ],
    5,
    v1,
  );
  const p = plan('simons-2022-s-ketamine-arterial', REGIMEN, 360, 60);

  it('cm (ng/mL) equals an RK4 solution of the ODEs written from the source, to 1e-6; named S-norketamine', () => {
    const pr = predict(p);
    expect(pr.trajectory.metabolite).toBe('S-norketamine');
    const rk = new Rk4Integrator(ode, 0.1).run(pr.actions, pr.trajectory.t, 0.01);
    expectClose(pr.trajectory.cm!, rk.cp, 1e-6, 'S-norketamine');
    expect(Math.max(...pr.trajectory.cm!)).toBeGreaterThan(10); // a real concentration, not zeros
  });

  it('mass balance: AUC(cm) × CL_NK = 80% of the dose (all S-ketamine clearance passes the chain), to 1e-3', () => {
    const long = plan('simons-2022-s-ketamine-arterial', [{ at: 0, dose: 20, unit: 'mg', overMin: 20 }], 7 * 1440, 30);
    const { t, cm } = predict(long).trajectory;
    let auc = 0; // ng/mL·min, trapezoids
    for (let j = 1; j < t.length; j++) auc += ((cm![j] + cm![j - 1]) / 2) * (t[j] - t[j - 1]);
    expectNear((auc / 1000) * clNk, fm * 20, 1e-3, 'S-norketamine formed, mg');
  });

  it('cp and ce are those of the structure alone, bit for bit', () => {
    const pr = predict(p);
    const def = findModel('simons-2022-s-ketamine-arterial')!;
    const alone = simulate(def.structure(pr.model.parameters), pr.model.ke0, pr.actions, {
      resolutionSec: 60,
      count: pr.trajectory.t.length,
    });
    expect(pr.trajectory.cp).toEqual(alone.cp);
    expect(pr.trajectory.ce).toEqual(alone.ce);
    expect(alone.cm).toBeUndefined();
  });
});

describe('Perez-Ruixo 2021 noresketamine (apparent)', () => {
  // Perez-Ruixo 2021 Table 3 via nlmixr2lib PerezRuixo_2020_esketamine.R (docs/models/ketamine-models.json):
  // Vc 192, Vp1 143, Vp2 417, Vh 101 L; Q1 84.3, Q2 37.6, Qh 151 L/h (− 2.19 L/h per year above 60);
  // kel 1.11 /h, kmet 2.77 /h from the liver; noresketamine apparent 2-cmt Vcn/F 70 L, CLn/F 38 L/h,
  // Vpn/F 115 L, Q3/F 26.1 L/h, fed by kmet·A_liver:
  //   d/dt(central_snk) = kmet·liver + Q3/Vpn·p_snk − (CLn/Vcn + Q3/Vcn)·central_snk;  Cc_snk = central_snk/Vcn.
  const h = (x: number) => x / 60;
  const odeAt = (age: number) => {
    const [vc, vp1, vp2, vh] = [192, 143, 417, 101];
    const [q1, q2, qh] = [h(84.3), h(37.6), h(151 - 2.19 * Math.max(0, age - 60))];
    const [kel, kmet] = [h(1.11), h(2.77)];
    const [vcn, cln, vpn, q3] = [70, h(38), 115, h(26.1)];
    return {
      cln,
      fm: kmet / (kel + kmet),
      ode: odeSystem(
        ['central', 'p1', 'p2', 'liver', 'snk central', 'snk peripheral'],
        [
          [
            [-(q1 + q2 + qh) / vc, 0],
            [q1 / vp1, 1],
            [q2 / vp2, 2],
            [qh / vh, 3],
          ],
          [
            [q1 / vc, 0],
            [-q1 / vp1, 1],
          ],
          [
            [q2 / vc, 0],
            [-q2 / vp2, 2],
          ],
          [
            [qh / vc, 0],
            [-(qh / vh + kel + kmet), 3],
          ],
          [
            [kmet, 3],
            [-(cln + q3) / vcn, 4],
            [q3 / vpn, 5],
          ],
          [
            [q3 / vcn, 4],
            [-q3 / vpn, 5],
          ],
        ],
        4,
        vcn,
      ),
    };
  };

  for (const age of [45, 80]) {
    it(`cm equals an RK4 solution of the source's ODEs to 1e-6 (age ${age}); named and labelled apparent`, () => {
      const pr = predict(plan('perez-ruixo-2021-esketamine', REGIMEN, 360, 60, age));
      expect(pr.trajectory.metabolite).toBe('noresketamine (apparent)');
      expect(findModel('perez-ruixo-2021-esketamine')!.metabolite!.volume).toBe('apparent');
      const rk = new Rk4Integrator(odeAt(age).ode, 0.1).run(pr.actions, pr.trajectory.t, 0.01);
      expectClose(pr.trajectory.cm!, rk.cp, 1e-6, 'noresketamine');
      expect(Math.max(...pr.trajectory.cm!)).toBeGreaterThan(1);
    });
  }

  it('mass balance: AUC(cm) × CLn/F = dose × kmet/(kel + kmet), the fraction the liver turns into noresketamine, to 1e-3', () => {
    const { cln, fm } = odeAt(45);
    const long = plan('perez-ruixo-2021-esketamine', [{ at: 0, dose: 28, unit: 'mg', overMin: 40 }], 7 * 1440, 30);
    const { t, cm } = predict(long).trajectory;
    let auc = 0;
    for (let j = 1; j < t.length; j++) auc += ((cm![j] + cm![j - 1]) / 2) * (t[j] - t[j - 1]);
    expectNear((auc / 1000) * cln, 28 * fm, 1e-3, 'noresketamine formed, mg');
  });

  it('cp and ce are bit for bit those of the parent structure (the metabolite runs beside it)', () => {
    const pr = predict(plan('perez-ruixo-2021-esketamine', REGIMEN, 360, 60));
    const alone = simulate(pr.model.structure, pr.model.ke0, pr.actions, { resolutionSec: 60, count: pr.trajectory.t.length });
    expect(pr.trajectory.cp).toEqual(alone.cp);
    expect(pr.trajectory.ce).toEqual(alone.ce);
  });
});

describe('withMetabolite and models without a metabolite', () => {
  it('the parent part of a metabolite system is the parent: its cp equals the parent alone to 1e-12', () => {
    const pr = predict(plan('perez-ruixo-2021-esketamine', REGIMEN, 360, 60));
    const sys = findModel('perez-ruixo-2021-esketamine')!.metabolite!.system!(pr.model.parameters, pr.model.structure);
    const both = simulate(sys, pr.model.ke0, pr.actions, { resolutionSec: 60, count: pr.trajectory.t.length });
    expectClose(both.cp, pr.trajectory.cp, 1e-12, 'parent cp');
  });

  it('a formation from a compartment the parent does not have is a programmer error naming the metabolite', () => {
    const parent = mammillary(4, 0.4, 0.1, 0.05, 0.01, 0.001);
    expect(() =>
      withMetabolite(parent, { id: 'x', names: ['m'], formation: [{ from: 7, to: 0, k: 1 }], flows: [], observed: 0, volume: 1 }),
    ).toThrow(/metabolite x: formation from compartment 7/);
  });

  it('every other registry model predicts no cm and no metabolite (the output is unchanged)', () => {
    const withOne = MODEL_IDS.filter((id) => findModel(id)!.metabolite);
    expect(withOne).toEqual(['simons-2022-s-ketamine-arterial', 'perez-ruixo-2021-esketamine']);
    for (const id of MODEL_IDS.filter((m) => !withOne.includes(m))) {
      const tr = predict(plan(id, [{ at: 0, bolus: 0.1, unit: 'mg/kg' }], 10, 60, 40)).trajectory;
      expect(Object.keys(tr), id).toEqual(['t', 'cp', 'ce']);
    }
  });
});
