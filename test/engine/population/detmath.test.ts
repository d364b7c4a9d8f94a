// `detExp`/`detLog` within 1 ulp of Math, expm1/log1p, `normalQuantile` to 1e-15.
import { describe, expect, it } from 'vitest';
import { detExp, detExpm1, detLog, detLog1p, normalQuantile } from '../../../engine/population/detmath.ts';

/** Distance in units in the last place between two doubles of the same sign. */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const v = new DataView(new ArrayBuffer(16));
  v.setFloat64(0, a);
  v.setFloat64(8, b);
  return Math.abs(Number(v.getBigInt64(0) - v.getBigInt64(8)));
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('deterministic elementary functions', () => {
  it('detExp is within 1 ulp of Math.exp across the whole range', () => {
    const rnd = lcg(1);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = (rnd() * 2 - 1) * [1e-12, 1e-3, 0.4, 1.2, 20, 740][i % 6];
      worst = Math.max(worst, ulps(detExp(x), Math.exp(x)));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });
  it('detExp handles the edges like fdlibm', () => {
    expect(detExp(0)).toBe(1);
    expect(detExp(1)).toBe(Math.E);
    expect(detExp(710)).toBe(Infinity);
    expect(detExp(-746)).toBe(0);
    expect(detExp(-Infinity)).toBe(0);
    expect(detExp(Infinity)).toBe(Infinity);
    expect(detExp(NaN)).toBeNaN();
    expect(detExp(-745.1)).toBe(5e-324); // subnormal result
  });
  it('detLog is within 1 ulp of Math.log, subnormals included', () => {
    const rnd = lcg(2);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = [rnd(), 1 + rnd() * 1e-7, rnd() * 1e-300, 1 / (rnd() + 1e-9), rnd() * 1e300, rnd() * 5e-320][i % 6];
      worst = Math.max(worst, ulps(detLog(x), Math.log(x)));
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(detLog(1)).toBe(0);
    expect(detLog(0)).toBe(-Infinity);
    expect(detLog(-1)).toBeNaN();
  });
  it('detExpm1 and detLog1p agree with Math.expm1 and Math.log1p to a few ulp, near 0 too', () => {
    const rnd = lcg(3);
    let worstE = 0,
      worstL = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = (rnd() * 2 - 1) * [1e-15, 1e-6, 0.01, 0.49, 0.51, 3][i % 6];
      worstE = Math.max(worstE, ulps(detExpm1(x), Math.expm1(x)));
      const y = x > -1 ? x : -x;
      worstL = Math.max(worstL, ulps(detLog1p(y), Math.log1p(y)));
    }
    expect(worstE).toBeLessThanOrEqual(4);
    expect(worstL).toBeLessThanOrEqual(4);
  });
  it('normalQuantile reproduces standard normal quantiles to 1e-15 relative', () => {
    // Φ⁻¹ values as given by scipy.stats.norm.ppf (double precision).
    const cases: [number, number][] = [
      [0.5, 0],
      [0.975, 1.959963984540054],
      [0.025, -1.959963984540054],
      [0.95, 1.6448536269514722],
      [0.99, 2.3263478740408408],
      [0.8413447460685429, 1.0000000000000002],
      [1e-10, -6.361340902404056],
    ];
    for (const [p, z] of cases) expect(Math.abs(normalQuantile(p) - z)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(z)));
  });
  it('normalQuantile is odd: Φ⁻¹(1 − p) = −Φ⁻¹(p) when 1 − p is exact (dyadic p)', () => {
    for (const p of [2 ** -20, 2 ** -10, 0.0625, 0.125, 0.25, 0.375]) expect(normalQuantile(1 - p)).toBe(-normalQuantile(p));
  });
  it('normalQuantile refuses p outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, NaN]) expect(() => normalQuantile(p)).toThrow(/p must be in/);
  });
});
