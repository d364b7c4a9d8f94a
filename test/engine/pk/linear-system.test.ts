// General path: Simons = parent mammillary, Perez-Ruixo hepatic steady state, RK4/mass balance, Erlang transit chains, propagator cache.
import { describe, expect, it } from 'vitest';
import type { DoseAction } from '../../../engine/dosing/actions.ts';
import { LinearStepper, linearSystem, type LinearSystem } from '../../../engine/pk/linear-system.ts';
import { microFromClearances } from '../../../engine/pk/mammillary.ts';
import { GeneralStepper, type Stepper } from '../../../engine/pk/stepper.ts';
import { runGrid, simulate } from '../../../engine/simulate.ts';
import { simons2022SKetamineArterial } from '../../../engine/models/simons-2022-s-ketamine-arterial.ts';
import { perezRuixo2021Esketamine } from '../../../engine/models/perez-ruixo-2021-esketamine.ts';
import { rk4Simulate } from '../../support/rk4.ts';
import type { MgPerL } from '../../../engine/units.ts';
import { expectClose, expectNear } from '../../support/tolerance.ts';

/**
 * The general linear path (matrix exponential of the augmented system, never diagonalised) on the two
 * registry models that need it: Simons 2022 (S-ketamine with its S-norketamine compartments; the
 * metabolism transit chain has two EQUAL rate constants, so its matrix is defective) and Perez-Ruixo
 * 2021 (elimination from a hepatic compartment, not the central one), plus pure transit chains with
 * their Erlang closed form, and the propagator cache.
 */

/** Boluses, an infusion with an off-grid pause, rate changes between grid points. */
const REGIMEN: DoseAction[] = [
  { t: 0, bolusMg: 20, rateMgPerMin: 0.5 },
  { t: 13.37, bolusMg: 0, rateMgPerMin: 0 },
  { t: 15.001, bolusMg: 0, rateMgPerMin: 0.8 },
  { t: 40, bolusMg: 0, rateMgPerMin: 0 },
  { t: 61.1, bolusMg: 7.5, rateMgPerMin: null },
  { t: 90, bolusMg: 0, rateMgPerMin: 0.2 },
  { t: 200.05, bolusMg: 0, rateMgPerMin: 0 },
];
const GRID = { resolutionSec: 10, count: 8 * 360 + 1 }; // 8 h at 10 s

/** Drug given up to time t, mg: boluses at or before t plus the piecewise-constant infusion. */
function doseGivenMg(actions: readonly DoseAction[], t: number): number {
  let mg = 0,
    rate = 0,
    prev = 0;
  for (const a of actions) {
    if (a.t > t) break;
    mg += rate * (a.t - prev) + a.bolusMg;
    prev = a.t;
    if (a.rateMgPerMin !== null) rate = a.rateMgPerMin;
  }
  return mg + rate * (t - prev);
}

/** The same system with one more compartment, a sink collecting every elimination flow (−column sums). */
function withSink(s: LinearSystem): LinearSystem {
  const n = s.names.length;
  const a = new Float64Array((n + 1) * (n + 1));
  for (let j = 0; j < n; j++) {
    let out = 0;
    for (let i = 0; i < n; i++) {
      a[i * (n + 1) + j] = s.a[i * n + j];
      out -= s.a[i * n + j];
    }
    a[n * (n + 1) + j] = out;
  }
  return { ...s, names: [...s.names, 'eliminated'], a };
}

/** Step a general stepper through the actions, checking Σ amounts = drug given at each action time and at the end. */
function worstMassBalance(system: LinearSystem, ke0: number, actions: readonly DoseAction[], endMin: number): number {
  const stepper = new GeneralStepper(system, ke0);
  const n = system.names.length;
  let t = 0,
    rate = 0,
    worst = 0;
  const check = () => {
    let held = 0;
    for (let i = 0; i < n; i++) held += stepper.state[i];
    const given = doseGivenMg(actions, t);
    worst = Math.max(worst, Math.abs(held - given) / given);
  };
  for (const a of [...actions, { t: endMin, bolusMg: 0, rateMgPerMin: null }]) {
    if (a.t > t) stepper.advance(a.t - t, rate);
    t = a.t;
    stepper.bolus(a.bolusMg);
    if (a.rateMgPerMin !== null) rate = a.rateMgPerMin;
    check();
  }
  return worst;
}

const simonsAt = (weightKg: number) => {
  const p = simons2022SKetamineArterial.parameters({ weightKg });
  const s = simons2022SKetamineArterial.structure(p);
  if (s.kind !== 'linear') throw new Error('simons-2022 must be a general linear system');
  return { p, s };
};
const perezAt = (ageYears: number) => {
  const p = perezRuixo2021Esketamine.parameters({ weightKg: 70, ageYears });
  const s = perezRuixo2021Esketamine.structure(p);
  if (s.kind !== 'linear') throw new Error('perez-ruixo-2021 must be a general linear system');
  return { p, s };
};

describe('simons-2022-s-ketamine-arterial on the general path', () => {
  for (const weightKg of [70, 55]) {
    it(`S-ketamine cp and ce equal the mammillary parent model (same V and CL) on the modal path, to 1e-9 (${weightKg} kg)`, () => {
      const { p, s } = simonsAt(weightKg);
      const parent = microFromClearances({ v1: p.v1, cl1: p.cl1, v2: p.v2, cl2: p.cl2, v3: p.v3, cl3: p.cl3 });
      const general = simulate(s, 0.15, REGIMEN, GRID);
      const modal = simulate(parent, 0.15, REGIMEN, GRID);
      expectClose(general.cp, modal.cp, 1e-9, 'cp');
      expectClose(general.ce, modal.ce, 1e-9, 'ce');
    });
  }

  it('has a transit chain with equal rate constants (a defective matrix), and still agrees with RK4 in every compartment (1e-7)', () => {
    const { s } = simonsAt(70);
    const n = s.names.length;
    const t1 = s.names.indexOf('metabolism transit 1'),
      t2 = s.names.indexOf('metabolism transit 2');
    expect(s.a[t1 * n + t1]).toBe(s.a[t2 * n + t2]); // the repeated eigenvalue −2/MTT
    // Every compartment observed in turn (volume 1 L: its amount), against the independent integrator.
    for (let c = 0; c < n; c++) {
      const observed: LinearSystem = { ...s, central: c, volume: 1 as LinearSystem['volume'] };
      const exact = simulate(observed, 0.15, REGIMEN, GRID);
      const rk = rk4Simulate(observed, 0.15, REGIMEN, GRID, 0.02);
      expectClose(exact.cp, rk.cp, 1e-7, `${s.names[c]} amount`);
      expectClose(exact.ce, rk.ce, 1e-7, `${s.names[c]} effect site`);
    }
  });

  it('conserves mass with every elimination flow collected in a sink: Σ amounts = drug given, to 1e-10', () => {
    expect(worstMassBalance(withSink(simonsAt(70).s), 0.15, REGIMEN, 480)).toBeLessThanOrEqual(1e-10);
  });
});

describe('perez-ruixo-2021-esketamine on the general path (elimination from the liver compartment)', () => {
  it('eliminates only from the liver: the central column of the matrix sums to 0', () => {
    const { s } = perezAt(40);
    const n = s.names.length;
    const column = (j: number) => Array.from({ length: n }, (_, i) => s.a[i * n + j]);
    const liver = s.names.indexOf('liver');
    s.names.forEach((name, j) => {
      const sum = column(j).reduce((a, b) => a + b, 0);
      const scale = Math.max(...column(j).map(Math.abs));
      if (j === liver)
        expectNear(
          -sum,
          perezRuixo2021Esketamine.parameters({ weightKg: 70, ageYears: 40 }).kel +
            perezRuixo2021Esketamine.parameters({ weightKg: 70, ageYears: 40 }).kmet,
          1e-12,
          'liver elimination',
        );
      else
        expect(Math.abs(sum), `${name}: outflow must all return (rounding only)`).toBeLessThanOrEqual(4 * Number.EPSILON * scale);
    });
  });

  for (const ageYears of [40, 80]) {
    it(`steady-state cp = rate / CL with the well-stirred hepatic clearance CL = Qh·k·Vh/(Qh + k·Vh), and ce = cp (1e-9; age ${ageYears})`, () => {
      const { p, s } = perezAt(ageYears);
      const k = p.kel + p.kmet;
      const cl = (p.qh * k * p.vh) / (p.qh + k * p.vh); // L/min; 109 L/h at age ≤ 60
      if (ageYears <= 60) expectNear(cl * 60, 109.0, 1e-3, 'implied systemic clearance, L/h (model notes)');
      const rate = 0.7;
      const horizon = 3 * 24 * 60 * 7; // 21 days: e^{−λ_min·t} far below 1e-9 (λ_min ≈ 0.0017 /min)
      const out = simulate(s, 0.1, [{ t: 0, bolusMg: 0, rateMgPerMin: rate }], {
        resolutionSec: (horizon * 60) / 300,
        count: 301,
      });
      expectNear(out.cp[300] / 1000, rate / cl, 1e-9, 'cp vs rate/CL');
      expectNear(out.ce[300] / 1000, out.cp[300] / 1000, 1e-9, 'ce vs cp');
    });
  }

  it('agrees with RK4 in every compartment (1e-7) and conserves mass with a sink (1e-10)', () => {
    const { s } = perezAt(70);
    const n = s.names.length;
    for (let c = 0; c < n; c++) {
      const observed: LinearSystem = { ...s, central: c, volume: 1 as LinearSystem['volume'] };
      const exact = simulate(observed, 0.1, REGIMEN, GRID);
      const rk = rk4Simulate(observed, 0.1, REGIMEN, GRID, 0.02);
      expectClose(exact.cp, rk.cp, 1e-7, `${s.names[c]} amount`);
      expectClose(exact.ce, rk.ce, 1e-7, `${s.names[c]} effect site`);
    }
    expect(worstMassBalance(withSink(s), 0.1, REGIMEN, 480)).toBeLessThanOrEqual(1e-10);
  });
});

describe('transit chains with equal rate constants (Jordan blocks)', () => {
  /** N compartments in a row, each draining into the next at ktr; the last one drains out; observe the last. */
  const chain = (count: number, ktr: number, volume: number): LinearSystem =>
    linearSystem({
      names: Array.from({ length: count }, (_, i) => `transit ${i + 1}`),
      flows: Array.from({ length: count }, (_, i) => ({ from: i, to: i + 1 < count ? i + 1 : null, k: ktr })),
      input: 0,
      central: count - 1,
      volume,
    });
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const grid = { resolutionSec: 6, count: 3001 }; // 300 min at 0.1 min

  for (const count of [2, 3, 5, 8]) {
    it(`a ${count}-compartment chain after a bolus: last compartment = D·(kt)^${count - 1}/${count - 1}!·e^{−kt}/V (Erlang), to 1e-12 of the maximum`, () => {
      const ktr = 0.1,
        volume = 3,
        dose = 10;
      const out = simulate(chain(count, ktr, volume), 0.2, [{ t: 0, bolusMg: dose, rateMgPerMin: null }], grid);
      const expected = out.t.map(
        (t) => (((dose / volume) * (ktr * t) ** (count - 1) * Math.exp(-ktr * t)) / factorial(count - 1)) * 1000,
      );
      expectClose(out.cp, expected, 1e-12, 'cp');
    });
    it(`a ${count}-compartment chain under a constant infusion: last compartment = R/(k·V)·P(${count}, kt) (Erlang CDF), to 1e-12 of the maximum`, () => {
      const ktr = 0.1,
        volume = 3,
        rate = 0.4;
      const out = simulate(chain(count, ktr, volume), 0.2, [{ t: 0, bolusMg: 0, rateMgPerMin: rate }], grid);
      const erlangCdf = (x: number) => {
        let term = 1,
          sum = 1;
        for (let m = 1; m < count; m++) sum += term *= x / m;
        return -Math.expm1(-x) - Math.exp(-x) * (sum - 1);
      };
      const expected = out.t.map((t) => (rate / (ktr * volume)) * erlangCdf(ktr * t) * 1000);
      expectClose(out.cp, expected, 1e-12, 'cp');
    });
  }
});

describe('propagator cache', () => {
  const { s } = simonsAt(70);

  it('returns the same propagator object for the same interval, equal bit for bit to a fresh computation', () => {
    const stepper = new LinearStepper(s, 0.15);
    for (const h of [1 / 60, 0.25, 13.37, 1e-9, 600]) {
      const first = stepper.propagator(h);
      expect(stepper.propagator(h)).toBe(first);
      const fresh = new LinearStepper(s, 0.15).propagator(h);
      expect(Array.from(first.p)).toEqual(Array.from(fresh.p));
      expect(Array.from(first.q)).toEqual(Array.from(fresh.q));
    }
  });

  it('still gives identical propagators after more distinct intervals than it keeps (cache cleared and refilled)', () => {
    const stepper = new LinearStepper(s, 0.15);
    const before = stepper.propagator(0.5);
    const p0 = Array.from(before.p);
    for (let i = 1; i <= 300; i++) stepper.propagator(0.5 + i * 1e-3);
    const after = stepper.propagator(0.5);
    expect(Array.from(after.p)).toEqual(p0);
  });

  it('a simulation with the cache equals, bit for bit, one that computes every propagator afresh', () => {
    /** A stepper that builds a new LinearStepper (empty cache) for every step. */
    class FreshEveryStep implements Stepper {
      readonly state: Float64Array;
      readonly system: LinearSystem;
      private readonly tmp: Float64Array;
      constructor(system: LinearSystem) {
        this.system = system;
        this.state = new Float64Array(system.names.length + 1);
        this.tmp = new Float64Array(system.names.length + 1);
      }
      reset(): void {
        this.state.fill(0);
      }
      advance(h: number, rate: number): void {
        new LinearStepper(this.system, 0.15).advance(this.state, h, rate, this.tmp);
      }
      bolus(mg: number): void {
        this.state[this.system.input] += mg;
      }
      cp(): MgPerL {
        return (this.state[this.system.central] / this.system.volume) as MgPerL;
      }
      ce(): MgPerL {
        return this.state[this.state.length - 1] as MgPerL;
      }
    }
    const grid = { resolutionSec: 60, count: 121 }; // 2 h at 1 min, with the off-grid events of REGIMEN
    const cached = simulate(s, 0.15, REGIMEN, grid);
    const fresh = { cp: new Float64Array(grid.count), ce: new Float64Array(grid.count) };
    runGrid(new FreshEveryStep(s), REGIMEN, grid, fresh);
    expect(Array.from(cached.cp)).toEqual(Array.from(fresh.cp));
    expect(Array.from(cached.ce)).toEqual(Array.from(fresh.ce));
  });
});
