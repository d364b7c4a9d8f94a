// `ColumnSelector` percentiles and threshold counts equal sorting exactly (property).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnSelector, countAtLeastByScan, percentileBySort, percentileRank } from '../../../engine/population/select.ts';

const PCT = [0, 2.5, 5, 25, 50, 75, 95, 99, 100];
const THR = [0, 70, 100, 160, 250, 1060, 1200];

/** A column of values like concentrations, with ties, zeros, exact threshold values, tiny negatives and outliers. */
const column = fc.array(
  fc.oneof(
    fc.double({ min: 0, max: 3000, noNaN: true }),
    fc.constantFrom(0, 70, 100, 100, 250, 1200, -1e-17, 1e-300, 5e4),
    fc.integer({ min: 0, max: 30 }).map((k) => k * 10),
  ),
  { minLength: 1, maxLength: 400 },
);

function reference(values: number[]) {
  return {
    p: PCT.map((p) => percentileBySort(values, p)),
    c: THR.map((t) => countAtLeastByScan(values, t)),
  };
}

function run(sel: ColumnSelector, values: number[]) {
  const col = Float64Array.from(values);
  const out = PCT.map(() => new Float64Array(1));
  const counts = THR.map(() => new Int32Array(1));
  sel.select(col, 0, out, 0, counts);
  return { p: out.map((a) => a[0]), c: counts.map((a) => a[0]) };
}

describe('ColumnSelector equals the sort-based computation exactly', () => {
  it('percentileRank follows type 7 (numpy "linear")', () => {
    expect(percentileRank(50, 5)).toEqual({ k: 2, frac: 0 });
    expect(percentileRank(25, 4)).toEqual({ k: 0, frac: 0.75 });
    expect(percentileRank(100, 7)).toEqual({ k: 6, frac: 0 });
    expect(percentileBySort([1, 2, 3, 4], 25)).toBe(1.75); // numpy.percentile([1, 2, 3, 4], 25)
  });

  it('on any column, every percentile and threshold count (property, 300 runs)', () => {
    fc.assert(
      fc.property(column, (values) => {
        const sel = new ColumnSelector(values.length, PCT, THR);
        expect(run(sel, values)).toEqual(reference(values));
      }),
      { numRuns: 300 },
    );
  });

  it('on a sequence of columns, where each column is binned by the previous one (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.double({ min: 0.05, max: 20, noNaN: true }), { minLength: 2, maxLength: 8 }),
        fc.integer({ min: 0, max: 1e6 }),
        (n, growth, seed) => {
          // Columns that scale up and down by large factors, so bins are often far too wide or too narrow.
          let s = seed;
          const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
          const base = Array.from({ length: n }, () => 1 + 100 * rnd());
          const sel = new ColumnSelector(n, PCT, THR, 16);
          let scale = 1;
          for (const g of growth) {
            scale *= g;
            const values = base.map((b) => Math.round(b * scale * 8) / 8);
            expect(run(sel, values)).toEqual(reference(values));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('given a histogram made with any scale (the kernel fuses pass 1), fromHistogram is exact', () => {
    fc.assert(
      fc.property(column, fc.constantFrom(0, 1e-6, 0.01, 0.3, 7, 1e9), fc.integer({ min: 1, max: 64 }), (values, inv, nb) => {
        const sel = new ColumnSelector(values.length, PCT, THR, nb);
        const hist = new Int32Array(nb);
        for (const x of values) hist[Math.max(0, Math.min(x * inv, nb - 1)) | 0]++;
        const out = PCT.map(() => new Float64Array(1));
        const counts = THR.map(() => new Int32Array(1));
        sel.fromHistogram(Float64Array.from(values), 0, hist, inv, out, 0, counts);
        expect({ p: out.map((a) => a[0]), c: counts.map((a) => a[0]) }).toEqual(reference(values));
      }),
      { numRuns: 300 },
    );
  });

  it('reads a column at an offset inside a larger buffer', () => {
    const buf = Float64Array.from({ length: 50 }, (_, i) => (i * 37) % 11);
    const sel = new ColumnSelector(20, [50], [5]);
    const out = [new Float64Array(3)];
    const counts = [new Int32Array(3)];
    sel.select(buf, 15, out, 2, counts);
    const values = Array.from(buf.subarray(15, 35));
    expect(out[0][2]).toBe(percentileBySort(values, 50));
    expect(counts[0][2]).toBe(countAtLeastByScan(values, 5));
  });
});
