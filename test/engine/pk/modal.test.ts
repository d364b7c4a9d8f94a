// Modal roots and coefficients invariants (2000 random models), `phi` vs 60-digit reference, ke0 equal to a mode rate.
import fc from 'fast-check';
import { all, create, type BigNumber as Big } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { linearFromMammillary } from '../../../engine/pk/linear-system.ts';
import { mammillary, type Mammillary } from '../../../engine/pk/mammillary.ts';
import { modalForm, modeRates, phi } from '../../../engine/pk/modal.ts';
import { simulate } from '../../../engine/simulate.ts';
import type { DoseAction } from '../../../engine/dosing/actions.ts';
import { domino1984 } from '../../../engine/models/domino-1984.ts';
import { expectClose, expectNear } from '../../support/tolerance.ts';

/**
 * Invariants of the modal (closed-form) path: the roots of the characteristic polynomial (quadratic
 * and cubic), the unit-bolus coefficients, the φ function near a = b, and a ke0 equal to a mode rate.
 * High-precision references use decimal arithmetic (mathjs BigNumber, 60 digits) on the exact binary
 * values of the doubles involved.
 */

const math = create(all, { number: 'BigNumber', precision: 60 });
const BigNumber = (math as unknown as { BigNumber: new (s: string | number) => Big }).BigNumber;

/** The exact value of a double as a 60-digit decimal (through its binary representation, not its shortest decimal). */
function exact(x: number): Big {
  if (x === 0) return new BigNumber(0);
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0),
    lo = dv.getUint32(4);
  const sign = hi >>> 31 ? '-' : '';
  const field = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const [m, e] = field === 0 ? [fraction, -1074] : [fraction | (1n << 52n), field - 1075];
  return new BigNumber(`${sign}0x${m.toString(16)}p${e}`);
}

const logUniform = (a: number, b: number) =>
  fc.double({ min: Math.log10(a), max: Math.log10(b), noNaN: true }).map((x) => 10 ** x);

/** Random 1-, 2-, 3-compartment models over the ranges of ../shared/oracle/make_cases.py (micro-constants). */
const modelArb = fc
  .record({
    n: fc.constantFrom(1, 2, 3),
    v1: logUniform(5, 60),
    k10: logUniform(0.01, 0.5),
    k12: logUniform(0.01, 0.8),
    k21: logUniform(0.01, 0.3),
    k13: logUniform(0.005, 0.3),
    k31: logUniform(0.001, 0.05),
  })
  .map((r) => mammillary(r.v1, r.k10, r.n >= 2 ? r.k12 : 0, r.n >= 2 ? r.k21 : 0, r.n >= 3 ? r.k13 : 0, r.n >= 3 ? r.k31 : 0));

/** Hard cases: stiff, widely spread rates, nearly equal return rates, a published model. */
const HARD: readonly [string, Mammillary][] = [
  ['domino-1984 at 70 kg', mammillary(0.063 * 70, 0.4381, 0.5921, 0.247, 0.59, 0.0146)],
  ['stiff: fast central, very slow deep compartment', mammillary(5, 5, 3, 0.5, 0.8, 1e-5)],
  ['rates spread over seven decades', mammillary(10, 1e-4, 10, 1e-2, 1, 1e-3)],
  ['equal return rates k21 = k31', mammillary(20, 0.1, 0.3, 0.05, 0.2, 0.05)],
  ['return rates 1e-12 apart', mammillary(20, 0.1, 0.3, 0.05, 0.2, 0.05 * (1 + 1e-12))],
  ['vanishing third compartment', mammillary(20, 0.1, 0.3, 0.05, 1e-12, 0.02)],
  ['2-compartment, nearly 1-compartment', mammillary(20, 0.1, 1e-12, 0.05)],
  ['2-compartment, roots six decades apart', mammillary(10, 1e-4, 10, 1e-3)],
  ['1-compartment', mammillary(20, 0.1)],
];

/** The compartment matrix K (dA/dt = K·A), written from the micro-constants, as exact decimals. */
function compartmentMatrix(m: Mammillary): Big[][] {
  const periph: [number, number][] = [];
  if (m.k12 > 0) periph.push([m.k12, m.k21]);
  if (m.k13 > 0) periph.push([m.k13, m.k31]);
  const n = 1 + periph.length;
  const k = Array.from({ length: n }, () => new Array<Big>(n).fill(new BigNumber(0)));
  k[0][0] = exact(m.k10).plus(exact(m.k12)).plus(exact(m.k13)).neg();
  periph.forEach(([out, back], i) => {
    k[0][i + 1] = exact(back);
    k[i + 1][0] = exact(out);
    k[i + 1][i + 1] = exact(back).neg();
  });
  return k;
}

/**
 * Coefficients [1, e1, …, en] of det(λI + K) = Σ e_k·λ^{n−k}, with e_k the sum of the principal k×k
 * minors of K, computed from the matrix in 60-digit arithmetic (not from the engine's formulas).
 */
function characteristicPolynomial(k: Big[][]): Big[] {
  const n = k.length;
  const minor2 = (i: number, j: number) => k[i][i].times(k[j][j]).minus(k[i][j].times(k[j][i]));
  const e1 = k.reduce((a, row, i) => a.plus(row[i]), new BigNumber(0));
  if (n === 1) return [new BigNumber(1), e1];
  if (n === 2) return [new BigNumber(1), e1, minor2(0, 1)];
  const e2 = minor2(0, 1).plus(minor2(0, 2)).plus(minor2(1, 2));
  const e3 = k[0][0]
    .times(minor2(1, 2))
    .minus(k[0][1].times(k[1][0].times(k[2][2]).minus(k[1][2].times(k[2][0]))))
    .plus(k[0][2].times(k[1][0].times(k[2][1]).minus(k[1][1].times(k[2][0]))));
  return [new BigNumber(1), e1, e2, e3];
}

/** p(λ) by Horner, and Σ|e_k|·|λ|^{n−k}, the scale against which a root's residual is relative. */
function evaluate(p: Big[], x: Big): { value: Big; scale: Big; slope: Big } {
  let value = new BigNumber(0),
    scale = new BigNumber(0),
    slope = new BigNumber(0);
  for (const c of p) {
    slope = slope.times(x).plus(value);
    value = value.times(x).plus(c);
    scale = scale.times(x.abs()).plus(c.abs());
  }
  return { value, scale, slope };
}

/** The exact root nearest `start`: Newton on the characteristic polynomial in 60-digit arithmetic. */
function refineRoot(p: Big[], start: number): Big {
  let x = exact(start);
  for (let it = 0; it < 50; it++) {
    const { value, slope } = evaluate(p, x);
    const step = value.div(slope);
    x = x.minus(step);
    if (step.abs().lte(x.abs().times('1e-50'))) break;
  }
  return x;
}

const rel = (a: Big, b: Big) => Number(a.minus(b).abs().div(b.abs()));

/** Check the root and coefficient invariants of one model; throws on the first failure. */
function checkModalInvariants(m: Mammillary): void {
  const lambda = modeRates(m);
  const n = 1 + (m.k12 > 0 ? 1 : 0) + (m.k13 > 0 ? 1 : 0);
  expect(lambda).toHaveLength(n);
  const p = characteristicPolynomial(compartmentMatrix(m));
  for (const l of lambda) {
    expect(Number.isFinite(l) && l > 0, `mode rate ${l}`).toBe(true);
    const { value, scale } = evaluate(p, exact(l));
    expect(Number(value.abs().div(scale)), `residual of λ = ${l}`).toBeLessThanOrEqual(1e-12);
  }
  // Forward accuracy: each root against its 60-digit refinement (roots are simple: they interlace).
  const trueRoots = lambda.map((l) => refineRoot(p, l));
  lambda.forEach((l, i) => expect(rel(exact(l), trueRoots[i]), `λ${i + 1} = ${l} vs exact`).toBeLessThanOrEqual(1e-12));
  // Vieta: Σ λ = trace of −K, Π λ = det(−K) = k10·Π kj1.
  const trace = m.k10 + m.k12 + m.k13 + (m.k12 > 0 ? m.k21 : 0) + (m.k13 > 0 ? m.k31 : 0);
  const product = m.k10 * (m.k12 > 0 ? m.k21 : 1) * (m.k13 > 0 ? m.k31 : 1);
  expectNear(
    lambda.reduce((a, b) => a + b, 0),
    trace,
    1e-12,
    'Σλ vs trace',
  );
  expectNear(
    lambda.reduce((a, b) => a * b, 1),
    product,
    1e-12,
    'Πλ vs k10·k21·k31',
  );
  // Distinct, decreasing, interlacing with the peripheral return rates.
  const back: number[] = [];
  if (m.k12 > 0) back.push(m.k21);
  if (m.k13 > 0) back.push(m.k31);
  back.sort((a, b) => b - a);
  for (let i = 0; i + 1 < n; i++) {
    expect(lambda[i]).toBeGreaterThan(lambda[i + 1]);
    const slack = 1e-12 * back[i];
    expect(lambda[i] + slack, `λ${i + 1} ≥ ${back[i]}`).toBeGreaterThanOrEqual(back[i]);
    expect(lambda[i + 1] - slack, `λ${i + 2} ≤ ${back[i]}`).toBeLessThanOrEqual(back[i]);
  }
  // Unit-bolus coefficients: positive (cp after a bolus is a positive sum of exponentials),
  // Σ c_i = 1/V1 (cp(0+) = D/V1), Σ c_i/λ_i = 1/CL (area under the curve), Σ c_i·λ_i = (k10+k12+k13)/V1
  // (initial slope).
  const form = modalForm(m, 0.5);
  const c = Array.from(form.coef);
  c.forEach((ci, i) => expect(ci, `c${i + 1}`).toBeGreaterThanOrEqual(0));
  expectNear(
    c.reduce((a, b) => a + b, 0),
    1 / m.v1,
    1e-12,
    'Σc vs 1/V1',
  );
  expectNear(
    c.reduce((a, ci, i) => a + ci / lambda[i], 0),
    1 / (m.v1 * m.k10),
    1e-12,
    'Σc/λ vs 1/CL',
  );
  expectNear(
    c.reduce((a, ci, i) => a + ci * lambda[i], 0),
    (m.k10 + m.k12 + m.k13) / m.v1,
    1e-12,
    'Σcλ vs (k10+k12+k13)/V1',
  );
}

describe('modal form: roots of the characteristic polynomial and unit-bolus coefficients', () => {
  it('hold their invariants for random 1-, 2- and 3-compartment models (2000 models)', () => {
    fc.assert(
      fc.property(modelArb, (m) => checkModalInvariants(m)),
      { numRuns: 2000 },
    );
  });
  for (const [name, m] of HARD) {
    it(`hold their invariants for a hard case: ${name}`, () => checkModalInvariants(m));
  }
  it('a 1-compartment model has the single mode k10 with coefficient 1/V1', () => {
    const m = mammillary(12.5, 0.07);
    expect(modeRates(m)).toEqual([0.07]);
    expect(Array.from(modalForm(m, 1).coef)).toEqual([1 / 12.5]);
  });
});

describe('phi(a, b, h) = (e^{−ah} − e^{−bh}) / (b − a)', () => {
  /** 60-digit reference from the exact binary inputs; h·e^{−ah} at a = b. */
  function reference(a: number, b: number, h: number): number {
    const A = exact(a),
      Bv = exact(b),
      H = exact(h);
    if (a === b) return Number(H.times(A.times(H).neg().exp()));
    return Number(A.times(H).neg().exp().minus(Bv.times(H).neg().exp()).div(Bv.minus(A)));
  }

  it('matches a 60-digit reference for b = a·(1 + δ), δ from 10⁻¹ down to 10⁻¹⁷ and 0, either side (1e-13)', () => {
    const deltas = [0, ...Array.from({ length: 17 }, (_, k) => 10 ** -(k + 1)).flatMap((d) => [d, -d])];
    fc.assert(
      fc.property(logUniform(1e-4, 10), logUniform(1e-6, 100), fc.constantFrom(...deltas), (a, h, d) => {
        fc.pre(a * h <= 40);
        const b = a * (1 + d);
        const got = phi(a, b, h);
        expect(Number.isFinite(got)).toBe(true);
        expectNear(got, reference(a, b, h), 1e-13, `phi(${a}, ${b}, ${h})`);
      }),
      { numRuns: 2000 },
    );
  });

  it('is symmetric in a and b and continuous through a = b (no jump at the switch to the limit form)', () => {
    for (const [a, h] of [
      [0.238, 1 / 60],
      [1.72, 7],
      [0.006, 300],
      [3, 1e-9],
    ]) {
      const atEqual = phi(a, a, h);
      expectNear(atEqual, h * Math.exp(-a * h), 1e-15, 'phi(a, a, h)');
      for (let k = 1; k <= 17; k++) {
        const b = a * (1 + 10 ** -k);
        expect(phi(a, b, h)).toBe(phi(b, a, h));
        // |φ(a, b) − φ(a, a)| ≈ |∂φ/∂b|·|b − a| ≤ h/2·|b − a|·φ(a, a)·(1 + ah) for small b − a.
        expect(Math.abs(phi(a, b, h) - atEqual)).toBeLessThanOrEqual(
          atEqual * (h * Math.abs(b - a)) * (1 + a * h) + 4e-16 * atEqual,
        );
      }
    }
  });

  it('is finite and correct at the extremes: zero rates, zero interval, huge rates and long intervals', () => {
    expect(phi(0, 0, 5)).toBe(5);
    expectNear(phi(0, 0.2, 5), -Math.expm1(-1) / 0.2, 1e-15, 'phi(0, b, h)');
    expect(phi(0.3, 0.7, 0)).toBe(0);
    expect(phi(1e3, 1e3 + 1, 1e4)).toBe(0);
    expect(phi(1e-300, 2e-300, 1)).toBe(1);
    expectNear(phi(800, 0.001, 1), Math.exp(-0.001) / 799.999, 1e-14, 'one fast rate: no overflow');
    for (const [a, b, h] of [
      [1e6, 1e6, 1e6],
      [0, 1e308, 1e308],
      [1e-320, 0, 1],
    ])
      expect(Number.isFinite(phi(a, b, h))).toBe(true);
  });
});

describe('ke0 equal to one of the mode rates', () => {
  const regimen: DoseAction[] = [
    { t: 0, bolusMg: 20, rateMgPerMin: 1.5 },
    { t: 17.3, bolusMg: 0, rateMgPerMin: 0 },
    { t: 61.05, bolusMg: 5, rateMgPerMin: 0.4 },
    { t: 150, bolusMg: 0, rateMgPerMin: 0 },
  ];
  const grid = { resolutionSec: 10, count: 1441 };
  const models: [string, Mammillary][] = [
    ['domino-1984', domino1984.structure(domino1984.parameters({ weightKg: 70 })) as Mammillary],
    ['a 2-compartment model', mammillary(15, 0.08, 0.2, 0.04)],
    ['a 1-compartment model', mammillary(15, 0.08)],
  ];
  for (const [name, m] of models) {
    modeRates(m).forEach((l, i) => {
      it(`${name}, ke0 = λ${i + 1} exactly: cp and ce are finite and equal the general path's (1e-9)`, () => {
        const modal = simulate(m, l, regimen, grid);
        const general = simulate(linearFromMammillary(m), l, regimen, grid);
        expect(modal.ce.every(Number.isFinite) && modal.cp.every(Number.isFinite)).toBe(true);
        expectClose(modal.cp, general.cp, 1e-9, 'cp');
        expectClose(modal.ce, general.ce, 1e-9, 'ce');
        // Continuity in ke0 through the coincidence: within ~|Δke0|/ke0 of the neighbours.
        for (const f of [1 - 1e-9, 1 + 1e-9])
          expectClose(simulate(m, l * f, regimen, grid).ce, modal.ce, 1e-8, 'ce near the coincidence');
      });
    });
  }
});
