// cli/pade-expm.ts gives mathjs `expm`'s bits: every matrix the engine exponentiates for the registry's general models and routes, random matrices of every size, and the same errors.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { padeMatrixExponential } from '../../cli/pade-expm.ts';
import { mathjsMatrixExponential } from '../../engine/pk/mathjs-expm.ts';
import { setMatrixExponential } from '../../engine/pk/linear-system.ts';
import { parsePlan } from '../../engine/plan.ts';
import { predict } from '../../engine/predict.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';

/**
 * The CLI, the library and the population worker threads use cli/pade-expm.ts (bundled to
 * build/expm.cjs) instead of mathjs; the dashboard's workers and these tests' setup use mathjs. The
 * port is only right if every element is the same double, so the comparison is by bits (Object.is:
 * also −0 against +0), never by a tolerance.
 */

/** Indices and values of the first element whose bits differ, or null. */
function firstDifference(a: number[][], b: number[][]): string | null {
  if (a.length !== b.length) return `rows ${a.length} ≠ ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (a[i].length !== b[i].length) return `row ${i}: length ${a[i].length} ≠ ${b[i].length}`;
    for (let j = 0; j < a[i].length; j++) if (!Object.is(a[i][j], b[i][j])) return `[${i}][${j}]: ${a[i][j]} ≠ ${b[i][j]}`;
  }
  return null;
}

/** The error message `f` throws, or null. */
function thrown(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

afterEach(() => setMatrixExponential(mathjsMatrixExponential));

describe('padeMatrixExponential (mathjs expm ported to plain numbers)', () => {
  it("the engine's own matrices: every general-path prediction of the registry (IV, intranasal, oral) gives mathjs's bits", () => {
    const seen: number[][][] = [];
    setMatrixExponential((a) => {
      seen.push(a.map((row) => [...row]));
      return mathjsMatrixExponential(a);
    });
    const regimens: unknown[][] = [
      [
        { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
        { at: 25, rate: 0 },
        { at: 28, rate: 0.75, unit: 'mg/kg/h' },
        { at: 60, bolus: 10, unit: 'mg' },
      ],
      [{ at: 0, dose: 56, unit: 'mg', route: 'intranasal' }],
      [{ at: 0, dose: 50, unit: 'mg', route: 'oral' }],
    ];
    let predictions = 0;
    for (const id of MODEL_IDS) {
      for (const regimen of regimens) {
        const r = parsePlan(
          {
            patient: { weightKg: 70, ageYears: 40, sex: 'female', heightCm: 168 },
            model: { id },
            regimen,
            horizonMin: 240,
            resolutionSec: 10,
          },
          MODEL_IDS,
        );
        if (!r.ok) continue; // a route this model does not have
        predict(r.plan);
        predictions++;
      }
    }
    // Simons 2022 (IV, oral) and Perez-Ruixo 2021 (IV, intranasal) at least take the general path.
    expect(predictions).toBeGreaterThanOrEqual(MODEL_IDS.length + 2);
    expect(seen.length).toBeGreaterThan(10);
    const sizes = new Set(seen.map((a) => a.length));
    expect(sizes.size).toBeGreaterThan(1);
    for (const a of seen) expect(firstDifference(padeMatrixExponential(a), mathjsMatrixExponential(a))).toBeNull();
  });

  it('compartment generators (negative diagonal, non-negative flows) of 1 to 9 compartments times steps from 1e-6 to 1e4 min', () => {
    const rate = fc.double({ min: 1e-6, max: 50, noNaN: true });
    const generator = fc.integer({ min: 1, max: 9 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        flows: fc.array(fc.tuple(fc.nat(n - 1), fc.option(fc.nat(n - 1), { nil: null }), rate), {
          minLength: 1,
          maxLength: 3 * n,
        }),
        h: fc.double({ min: 1e-6, max: 1e4, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(generator, ({ n, flows, h }) => {
        const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
        for (const [from, to, k] of flows) {
          a[from][from] -= k * h;
          if (to !== null && to !== from) a[to][from] += k * h;
        }
        expect(firstDifference(padeMatrixExponential(a), mathjsMatrixExponential(a))).toBeNull();
      }),
      { numRuns: 400 },
    );
  });

  it('any real matrix of 1 to 9 rows, with zeros, negative zeros and magnitudes from 1e-300 to 1e3', () => {
    const entry = fc.oneof(
      fc.constantFrom(0, -0, 1, -1, 0.5),
      fc.double({ min: -1e3, max: 1e3, noNaN: true }),
      fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
      fc.double({ min: 1e-300, max: 1e-290, noNaN: true }),
    );
    const matrix = fc
      .integer({ min: 1, max: 9 })
      .chain((n) => fc.array(fc.array(entry, { minLength: n, maxLength: n }), { minLength: n, maxLength: n }));
    fc.assert(
      fc.property(matrix, (a) => {
        const mine = thrown(() => padeMatrixExponential(a));
        const theirs = thrown(() => mathjsMatrixExponential(a));
        expect(mine).toBe(theirs);
        if (theirs === null) expect(firstDifference(padeMatrixExponential(a), mathjsMatrixExponential(a))).toBeNull();
      }),
      { numRuns: 400 },
    );
  });

  it('throws what mathjs throws for a norm that is not finite; zero and nilpotent matrices agree exactly', () => {
    for (const a of [
      [[Number.NaN]],
      [
        [1, Infinity],
        [0, 1],
      ],
      [
        [-Infinity, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    ]) {
      const theirs = thrown(() => mathjsMatrixExponential(a));
      expect(theirs).toMatch(/Could not find acceptable parameters/);
      expect(thrown(() => padeMatrixExponential(a))).toBe(theirs);
    }
    for (const a of [
      [[0]],
      [
        [0, 0],
        [0, 0],
      ],
      [
        [0, 1, 0],
        [0, 0, 1],
        [0, 0, 0],
      ],
    ])
      expect(firstDifference(padeMatrixExponential(a), mathjsMatrixExponential(a))).toBeNull();
  });
});
