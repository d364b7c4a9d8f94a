// Intranasal and oral routes: exact vs an independent RK4 of the published equations, mass balance, Perez-Ruixo and Simons published Cmax.
import { describe, expect, it } from 'vitest';
import { parsePlan, type Plan } from '../../../engine/plan.ts';
import { MODELS, MODEL_IDS, findModel } from '../../../engine/models/registry.ts';
import { MODEL_ROUTES } from '../../../engine/models/routes.ts';
import { predict } from '../../../engine/predict.ts';
import { regimenToActions, totalDoseMg } from '../../../engine/dosing/actions.ts';
import { routingFor, withRoutes } from '../../../engine/dosing/routes.ts';
import { RoutedLinearStepper, type LinearSystem } from '../../../engine/pk/linear-system.ts';
import { simulate } from '../../../engine/simulate.ts';
import { expectClose, expectNear } from '../../support/tolerance.ts';

const plan = (p: unknown): Plan => {
  const r = parsePlan(p, MODEL_IDS);
  if (!r.ok) throw new Error(r.problems.map((x) => `${x.path}: ${x.message}`).join('\n'));
  return r.plan;
};

/**
 * An independent fine-step RK4 of an ODE written out by hand: dx/dt = f(t, x) with piecewise-constant
 * zero-order inputs (f reads them at the step's middle, `t`); instantaneous amounts are added at their times by the caller's `jumps`. Steps are
 * split at every discontinuity so RK4's O(h⁴) error is the only error.
 */
function rk4(
  f: (t: number, x: Float64Array, out: Float64Array) => void,
  n: number,
  outTimes: readonly number[],
  breaks: readonly number[],
  jumps: readonly { t: number; apply: (x: Float64Array) => void }[],
  stepMin: number,
): Float64Array[] {
  const x = new Float64Array(n);
  const k1 = new Float64Array(n),
    k2 = new Float64Array(n),
    k3 = new Float64Array(n),
    k4 = new Float64Array(n),
    y = new Float64Array(n);
  const stops = [...new Set([...outTimes, ...breaks, ...jumps.map((j) => j.t)])].sort((a, b) => a - b);
  const out: Float64Array[] = [];
  let t = 0;
  for (const stop of stops) {
    const steps = Math.max(1, Math.ceil((stop - t) / stepMin));
    const h = (stop - t) / steps;
    for (let s = 0; s < steps; s++) {
      // The inputs are constant over the step (it never straddles a break): read them at its middle.
      const mid = t + (s + 0.5) * h;
      f(mid, x, k1);
      for (let i = 0; i < n; i++) y[i] = x[i] + (h / 2) * k1[i];
      f(mid, y, k2);
      for (let i = 0; i < n; i++) y[i] = x[i] + (h / 2) * k2[i];
      f(mid, y, k3);
      for (let i = 0; i < n; i++) y[i] = x[i] + h * k3[i];
      f(mid, y, k4);
      for (let i = 0; i < n; i++) x[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    }
    t = stop;
    for (const j of jumps) if (j.t === stop) j.apply(x);
    if (outTimes.includes(stop)) out.push(Float64Array.from(x));
  }
  return out;
}

/** Zero-order input rate (mg/min) at t of inputs [start, start + d) of `mg` each; mid-step times never sit on a break. */
const zeroOrder = (t: number, inputs: readonly { start: number; d: number; mg: number }[]): number =>
  inputs.reduce((acc, z) => acc + (t >= z.start && t < z.start + z.d ? z.mg / z.d : 0), 0);

describe('intranasal esketamine (Perez-Ruixo 2021) against an independent RK4 of its equations', () => {
  // Written from the source's equations (nlmixr2lib PerezRuixo_2020_esketamine.R model block), not from the engine's records.
  const perH = (x: number) => x / 60;
  const vc = 192,
    vp1 = 143,
    vp2 = 417,
    vh = 101,
    q1 = perH(84.3),
    q2 = perH(37.6),
    qh = perH(151), // age 45: no age effect
    kel = perH(1.11),
    kmet = perH(2.77),
    kaN = perH(2.93),
    kaSw = perH(1.45),
    dsw = 0.53 * 60,
    fgut = 0.64;
  const frn = [0.54, 0.54 * 0.62]; // second device × 0.62
  const p = plan({
    patient: { weightKg: 70, ageYears: 45 },
    model: { id: 'perez-ruixo-2021-esketamine', ke0: 0.2 },
    regimen: [
      { at: 0, dose: 56, unit: 'mg', route: 'intranasal' },
      { at: 50, bolus: 5, unit: 'mg' },
    ],
    horizonMin: 180,
    resolutionSec: 30,
  });
  it('cp and ce match to 1e-6 of the peak (zero-order swallowed input, devices 5 min apart, IV bolus)', () => {
    const pred = predict(p);
    const swallowed = frn.map((f, k) => ({ start: 5 * k, d: dsw, mg: (1 - f) * fgut * 28 }));
    // x = [central, p1, p2, liver, nasal depot, swallowed depot, ce]
    const f = (t: number, x: Float64Array, d: Float64Array) => {
      const [c, a1, a2, h, nasal, sw, ce] = x;
      d[0] = kaN * nasal - ((q1 + q2 + qh) / vc) * c + (q1 / vp1) * a1 + (q2 / vp2) * a2 + (qh / vh) * h;
      d[1] = (q1 / vc) * c - (q1 / vp1) * a1;
      d[2] = (q2 / vc) * c - (q2 / vp2) * a2;
      d[3] = kaSw * sw + (qh / vc) * c - (qh / vh + kel + kmet) * h;
      d[4] = -kaN * nasal;
      d[5] = zeroOrder(t, swallowed) - kaSw * sw;
      d[6] = 0.2 * (c / vc - ce);
    };
    const times = Array.from(pred.trajectory.t);
    const ref = rk4(
      f,
      7,
      times,
      swallowed.flatMap((z) => [z.start, z.start + z.d]),
      [
        { t: 0, apply: (x) => (x[4] += frn[0] * 28) },
        { t: 5, apply: (x) => (x[4] += frn[1] * 28) },
        { t: 50, apply: (x) => (x[0] += 5) },
      ],
      0.01,
    );
    expectClose(
      pred.trajectory.cp,
      ref.map((x) => (x[0] / vc) * 1000),
      1e-6,
      'cp',
    );
    expectClose(
      pred.trajectory.ce,
      ref.map((x) => x[6] * 1000),
      1e-6,
      'ce',
    );
  });
});

describe('oral thin film (Simons 2022) against an independent RK4 of its equations', () => {
  it('cp and the S-norketamine output match to 1e-6 of the peak', () => {
    const w = 70;
    const p = plan({
      patient: { weightKg: w, ageYears: 24 },
      model: { id: 'simons-2022-s-ketamine-arterial', ke0: 0.1 },
      regimen: [{ at: 3, dose: 50, unit: 'mg', route: 'oral' }],
      horizonMin: 240,
      resolutionSec: 60,
    });
    const pred = predict(p);
    expect(pred.trajectory.cm).toBeDefined();
    // nlmixr2lib Simons_2022_s_ketamine.R model block, 70 kg.
    const [v1, v2, v3, cl, q, q2] = [11.6, 39, 174, 1.48, 2.43, 1.21];
    const [vpNk, clNk, qNk, mtt, fm] = [221, 1.0, 2.63, 20.1, 0.8];
    const [ka1, ka2, mttg] = [0.04, 0.049, 10.7];
    const inputs = {
      mucosal: [{ start: 3, d: 13.1, mg: 0.263 * 50 }],
      gut: [{ start: 3, d: 29.9, mg: 1.16 * 50 }],
    };
    // x = [central, p2, p3, tr1, tr2, nk central, nk periph, mucosal, gut, delay, ce]
    const f = (t: number, x: Float64Array, d: Float64Array) => {
      const [c, a2, a3, t1, t2, nk, nkp, muc, gut, delay, ce] = x;
      const ktr = 2 / mtt;
      d[0] = ka1 * muc - ((cl + q + q2) / v1) * c + (q / v2) * a2 + (q2 / v3) * a3;
      d[1] = (q / v1) * c - (q / v2) * a2;
      d[2] = (q2 / v1) * c - (q2 / v3) * a3;
      d[3] = (cl / v1) * c + delay / mttg - ktr * t1;
      d[4] = ktr * t1 - ktr * t2;
      d[5] = fm * ktr * t2 - ((clNk + qNk) / v1) * nk + (qNk / vpNk) * nkp;
      d[6] = (qNk / v1) * nk - (qNk / vpNk) * nkp;
      d[7] = zeroOrder(t, inputs.mucosal) - ka1 * muc;
      d[8] = zeroOrder(t, inputs.gut) - ka2 * gut;
      d[9] = ka2 * gut - delay / mttg;
      d[10] = 0.1 * (c / v1 - ce);
    };
    const ref = rk4(f, 11, Array.from(pred.trajectory.t), [3, 16.1, 32.9], [], 0.01);
    expectClose(
      pred.trajectory.cp,
      ref.map((x) => (x[0] / v1) * 1000),
      1e-6,
      'cp',
    );
    expectClose(
      pred.trajectory.ce,
      ref.map((x) => x[10] * 1000),
      1e-6,
      'ce',
    );
    expectClose(
      pred.trajectory.cm!,
      ref.map((x) => (x[5] / v1) * 1000),
      1e-6,
      'cm',
    );
  });
});

describe('mass balance', () => {
  /** The routed system with every loss redirected into one extra sink compartment (so amounts are conserved). */
  function closed(s: LinearSystem): { system: LinearSystem; sink: number } {
    const n = s.names.length;
    const size = n + 1;
    const a = new Float64Array(size * size);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * size + j] = s.a[i * n + j];
    for (let j = 0; j < n; j++) {
      let col = 0;
      for (let i = 0; i < n; i++) col += s.a[i * n + j];
      a[n * size + j] = -col; // what leaves compartment j for good
    }
    // The sink goes first, so the route compartments stay the last ones.
    const order = [n, ...Array.from({ length: n }, (_, i) => i)];
    const b = new Float64Array(size * size);
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) b[i * size + j] = a[order[i] * size + order[j]];
    return {
      system: { ...s, names: ['sink', ...s.names], a: b, input: s.input + 1, central: s.central + 1, outputs: undefined },
      sink: 0,
    };
  }

  for (const [id, route, dose, frac] of [
    [
      'perez-ruixo-2021-esketamine',
      'intranasal',
      84,
      0.54 * 28 + 0.54 * 0.62 * 56 + (1 - 0.54) * 0.64 * 28 + (1 - 0.54 * 0.62) * 0.64 * 56,
    ],
    ['perez-ruixo-2021-esketamine', 'oral', 84, 0.64 * 84],
    ['simons-2022-s-ketamine-arterial', 'oral', 100, (0.263 + 1.16) * 100],
  ] as const) {
    it(`${id} ${route} ${dose} mg: drug in the body plus drug lost = the bioavailable amount given so far (${frac.toFixed(4)} mg once absorbed)`, () => {
      const def = findModel(id)!;
      const p = plan({
        patient: { weightKg: 70, ageYears: 40 },
        model: { id },
        regimen: [{ at: 0, dose, unit: 'mg', route }],
        horizonMin: 600,
        resolutionSec: 60,
      });
      const routing = routingFor(def, p.regimen)!;
      const structure = def.structure(def.parameters(p.patient));
      const { system } = closed(withRoutes(structure, routing));
      const stepper = new RoutedLinearStepper(system, 0.2, routing.compartments.length);
      const actions = regimenToActions(p.regimen, 70, routing);
      expect(totalDoseMg(actions)).toBe(dose);
      const grid = { resolutionSec: 60, count: 601 };
      // Step with runGrid's rules through simulate's public path is not possible with a custom stepper; step here.
      let t = 0;
      let ai = 0;
      const totals: number[] = [];
      for (let j = 0; j < grid.count; j++) {
        const tj = j;
        while (ai < actions.length && actions[ai].t <= tj) {
          const a = actions[ai++];
          if (a.t > t) stepper.advance(a.t - t, 0);
          t = a.t;
          if (a.routeBolusMg) stepper.routeBolus(a.routeBolusMg);
          if (a.routeRatesMgPerMin) stepper.setRouteRates(a.routeRatesMgPerMin);
        }
        if (tj > t) stepper.advance(tj - t, 0);
        t = tj;
        let sum = 0;
        for (let i = 0; i < system.names.length; i++) sum += stepper.state[i];
        totals.push(sum);
      }
      // After every input has ended (≤ 40 min here) the total is exactly the bioavailable amount.
      for (let j = 60; j < totals.length; j++) expectNear(totals[j], frac, 1e-12, `t = ${j} min`);
      for (let i = 0; i < system.names.length; i++) expect(stepper.state[i]).toBeGreaterThanOrEqual(-1e-15);
    });
  }
});

describe('published checks (typical patient)', () => {
  /**
   * Perez-Ruixo 2021 Table 4 (model-based, Caucasian 18–60 y; nlmixr2lib vignette transcription): esketamine
   * Cmax 43.8 / 72.5 / 101.0 ng/mL after 28 / 56 / 84 mg intranasal. Table 4 is itself a typical-value
   * simulation of this model, so the typical patient should come close; the remaining difference is the
   * per-device FRn here (the 2nd and later devices × 0.62, devices 5 min apart) where Table 4's set-up is
   * not fully known, and age 45 standing for 18–60. Seen: 43.93 / 72.63 / 101.19 (+0.3 / +0.2 / +0.2%).
   * Tolerance: 2%.
   */
  for (const [mg, cmax] of [
    [28, 43.8],
    [56, 72.5],
    [84, 101.0],
  ] as const) {
    it(`Perez-Ruixo intranasal ${mg} mg: Cmax within 2% of the published model-based ${cmax} ng/mL`, () => {
      const pred = predict(
        plan({
          patient: { weightKg: 74, ageYears: 45 },
          model: { id: 'perez-ruixo-2021-esketamine' },
          regimen: [{ at: 0, dose: mg, unit: 'mg', route: 'intranasal' }],
          horizonMin: 240,
          resolutionSec: 6,
        }),
      );
      expectNear(Math.max(...pred.trajectory.cp), cmax, 0.02, `${mg} mg Cmax`);
    });
  }

  /**
   * Simons 2022 observed MEAN Cmax (arterial; nlmixr2lib vignette transcription): 96 ng/mL after one 50-mg
   * film, 144 ng/mL after 100 mg (two films). The typical patient (70 kg, no variability) gives 85.9 and
   * 171.8 ng/mL (−10.5%, +19.3%): the model is linear, so its Cmax doubles with the dose, while the observed
   * means rose only 1.5-fold; a mean of individuals with large inter-occasion variability on F1, D1 and KA1
   * is not the typical-value curve, and observed means carry sampling times (5, 10, 20 min) and noise.
   * Tolerances: 12% (50 mg) and 20% (100 mg), stated for those reasons, not tuned to hide a bug: the RK4
   * check above holds the engine to the equations at 1e-6.
   */
  for (const [mg, observed, tol] of [
    [50, 96, 0.12],
    [100, 144, 0.2],
  ] as const) {
    it(`Simons oral thin film ${mg} mg: typical Cmax within ${tol * 100}% of the observed mean ${observed} ng/mL`, () => {
      const pred = predict(
        plan({
          patient: { weightKg: 70, ageYears: 24 },
          model: { id: 'simons-2022-s-ketamine-arterial' },
          regimen: [{ at: 0, dose: mg, unit: 'mg', route: 'oral' }],
          horizonMin: 360,
          resolutionSec: 6,
        }),
      );
      expectNear(Math.max(...pred.trajectory.cp), observed, tol, `${mg} mg Cmax`);
    });
  }
});

describe('route records', () => {
  it('every model record has exactly the routes of engine/models/routes.ts (which parsePlan reads)', () => {
    for (const d of MODELS) {
      const table = MODEL_ROUTES[d.id] ?? {};
      expect(Object.keys(d.routes ?? {}).sort()).toEqual(Object.keys(table).sort());
      for (const [route, def] of Object.entries(d.routes ?? {})) {
        const rule = table[route as keyof typeof table]!;
        expect(def.route).toBe(route);
        expect(def.form).toBe(rule.form);
        expect(def.device).toEqual(rule.device);
        for (const prm of def.parameters) {
          expect(Number.isFinite(prm.value) && prm.value > 0, prm.name).toBe(true);
          expect(prm.source.length, prm.name).toBeGreaterThan(20);
        }
        for (const f of def.flows) expect(def.parameters.some((x) => x.name === f.parameter && x.value === f.k)).toBe(true);
      }
    }
  });

  it('an IV plan is unchanged: no routing, and the same bits as simulating the structure alone', () => {
    const p = plan({
      patient: { weightKg: 70, ageYears: 70 },
      model: { id: 'perez-ruixo-2021-esketamine' },
      regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40, route: 'iv' }],
      horizonMin: 120,
      resolutionSec: 10,
    });
    expect(p.regimen[0]).toEqual({ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 });
    const def = findModel('perez-ruixo-2021-esketamine')!;
    expect(routingFor(def, p.regimen)).toBeNull();
    const pred = predict(p);
    const alone = simulate(pred.model.structure, pred.model.ke0, regimenToActions(p.regimen, 70), {
      resolutionSec: 10,
      count: pred.trajectory.t.length,
    });
    expect(Array.from(pred.trajectory.cp)).toEqual(Array.from(alone.cp));
    expect(Array.from(pred.trajectory.ce)).toEqual(Array.from(alone.ce));
  });

  it('a route dose without the model routing is refused, never dropped', () => {
    const p = plan({
      patient: { weightKg: 70, ageYears: 40 },
      model: { id: 'perez-ruixo-2021-esketamine' },
      regimen: [{ at: 0, dose: 28, unit: 'mg', route: 'intranasal' }],
      horizonMin: 60,
      resolutionSec: 60,
    });
    expect(() => regimenToActions(p.regimen, 70)).toThrow(/regimen\[0\]: an? intranasal dose needs the model's route/);
  });
});
