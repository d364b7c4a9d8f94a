// Quickselect percentiles equal sort-based percentiles exactly (property, ties included).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { percentileOfSorted, percentilesBySelection, SORT_BELOW, selectInPlace } from '../../../engine/population/select.ts';

/** The metric distributions' percentiles use selection; they must equal sorting exactly. */
describe('percentilesBySelection(values, ps) equals percentileOfSorted(sort(values), p)', () => {
  // −0 is left out: selection treats −0 and +0 as one value, a sort orders −0 first (no metric is ever −0).
  const values = fc.array(
    fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((v) => !Object.is(v, -0)),
      fc.integer({ min: -3, max: 3 }),
    ),
    { minLength: 1, maxLength: 400 },
  );
  const ps = fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 7 });

  it('for any values (ties included) and any percentiles, in any order (up to SORT_BELOW values: the sort path)', () => {
    fc.assert(
      fc.property(values, ps, (vs, p) => {
        const sorted = Float64Array.from(vs).sort();
        const got = percentilesBySelection(Float64Array.from(vs), p);
        const want = p.map((q) => percentileOfSorted(sorted, q));
        expect(got).toEqual(want);
      }),
      { numRuns: 1500 },
    );
  });

  it('the same above SORT_BELOW values (the selection path), ties included', () => {
    const many = fc.array(
      fc.oneof(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((v) => !Object.is(v, -0)),
        fc.integer({ min: -3, max: 3 }),
      ),
      { minLength: SORT_BELOW + 1, maxLength: SORT_BELOW + 600 },
    );
    fc.assert(
      fc.property(many, ps, (vs, p) => {
        const sorted = Float64Array.from(vs).sort();
        const got = percentilesBySelection(Float64Array.from(vs), p);
        expect(got).toEqual(p.map((q) => percentileOfSorted(sorted, q)));
      }),
      { numRuns: 60 },
    );
  });

  it('selectInPlace puts the k-th smallest at k with smaller before and larger after', () => {
    fc.assert(
      fc.property(values, fc.nat(), (vs, kk) => {
        const a = Float64Array.from(vs);
        const k = kk % a.length;
        selectInPlace(a, 0, a.length - 1, k);
        const sorted = Float64Array.from(vs).sort();
        expect(a[k]).toBe(sorted[k]);
        for (let i = 0; i < k; i++) expect(a[i]).toBeLessThanOrEqual(a[k]);
        for (let i = k + 1; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(a[k]);
      }),
      { numRuns: 1500 },
    );
  });

  it('gives NaN for every percentile of no values', () => {
    expect(percentilesBySelection(new Float64Array(0), [5, 50])).toEqual([NaN, NaN]);
  });
});
