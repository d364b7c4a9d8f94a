// `minMaxIndices` bound, real samples, peaks and crossings preserved, window edges; `lowerBound`.
import { describe, expect, it } from 'vitest';
import { gather, lowerBound, minMaxIndices } from '../../engine/decimate.ts';

/** A grid t_j = j·dt (min) and a column from f(t). */
function series(n: number, dt: number, f: (t: number) => number) {
  const t = new Float64Array(n),
    v = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    t[j] = j * dt;
    v[j] = f(t[j]);
  }
  return { t, v };
}
/** Times at which the polyline (t, v) crosses level y (linear interpolation). */
function crossings(t: ArrayLike<number>, v: ArrayLike<number>, y: number): number[] {
  const out: number[] = [];
  for (let j = 1; j < t.length; j++) {
    const a = v[j - 1] - y,
      b = v[j] - y;
    if ((a < 0 && b >= 0) || (a >= 0 && b < 0)) out.push(t[j - 1] + (-a / (b - a)) * (t[j] - t[j - 1]));
  }
  return out;
}
const max = (a: ArrayLike<number>) => {
  let m = -Infinity,
    at = -1;
  for (let i = 0; i < a.length; i++)
    if (a[i] > m) {
      m = a[i];
      at = i;
    }
  return { m, at };
};

describe('minMaxIndices(t, columns, start, end, buckets): min/max decimation for the chart', () => {
  // 24 h at 1 s with a sharp 1-s spike (a bolus-like peak) and slow oscillations crossing 150 ng/mL.
  const n = 86_401;
  const { t, v: cp } = series(n, 1 / 60, (x) => 120 + 60 * Math.sin(x / 37) + (Math.abs(x - 333.3) < 0.01 ? 900 : 0));
  const { v: ce } = series(n, 1 / 60, (x) => 100 + 80 * Math.sin(x / 53 + 1));

  it('keeps at most 2·columns·buckets + 2 samples, whatever the input length', () => {
    for (const buckets of [16, 100, 640, 1000, 1913]) {
      const idx = minMaxIndices(t, [cp, ce], 0, 1440, buckets);
      expect(idx.length).toBeLessThanOrEqual(2 * 2 * buckets + 2);
      expect(idx.length).toBeGreaterThan(buckets); // not trivially empty
    }
  });

  it('returns strictly increasing indices of real samples, from the first to the last of the window', () => {
    const idx = minMaxIndices(t, [cp, ce], 0, 1440, 800);
    for (let k = 1; k < idx.length; k++) expect(idx[k]).toBeGreaterThan(idx[k - 1]);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(n - 1);
  });

  it("preserves every column's peak exactly (value and time), including a one-sample spike", () => {
    const idx = minMaxIndices(t, [cp, ce], 0, 1440, 500);
    for (const col of [cp, ce]) {
      const full = max(col),
        red = max(gather(col, idx));
      expect(red.m).toBe(full.m);
      expect(idx[red.at]).toBe(full.at);
    }
    expect(max(gather(cp, idx)).m).toBeGreaterThan(1000); // the spike survived
  });

  it('preserves every band crossing, displaced by at most two bucket widths', () => {
    const buckets = 700;
    const idx = minMaxIndices(t, [cp, ce], 0, 1440, buckets);
    const width = 1440 / buckets;
    for (const [col, level] of [
      [cp, 150],
      [cp, 70],
      [ce, 100],
      [ce, 160],
    ] as const) {
      const full = crossings(t, col, level);
      const red = crossings(gather(t, idx), gather(col, idx), level);
      expect(full.length).toBeGreaterThan(5);
      for (const c of full) {
        const nearest = Math.min(...red.map((r) => Math.abs(r - c)));
        expect(nearest).toBeLessThanOrEqual(2 * width);
      }
    }
  });

  it('decimates only the window, with one sample either side so lines reach the edges', () => {
    const idx = minMaxIndices(t, [cp, ce], 600, 660, 50);
    const times = gather(t, idx);
    expect(times[0]).toBeLessThan(600);
    expect(times[0]).toBeGreaterThanOrEqual(600 - 1 / 60 - 1e-9);
    expect(times[times.length - 1]).toBeGreaterThanOrEqual(660);
    expect(times[times.length - 1]).toBeLessThanOrEqual(660 + 1 / 60 + 1e-9);
    expect(idx.length).toBeLessThanOrEqual(2 * 2 * 50 + 2);
  });

  it('returns every sample when there are fewer than the bound', () => {
    const s = series(101, 1, (x) => x * x);
    expect(Array.from(minMaxIndices(s.t, [s.v], 0, 100, 60))).toEqual(Array.from({ length: 101 }, (_, i) => i));
  });

  it('returns nothing for an empty series or an inverted window', () => {
    expect(minMaxIndices(new Float64Array(0), [], 0, 1, 10).length).toBe(0);
    expect(minMaxIndices(t, [cp], 10, 5, 10).length).toBe(0);
  });

  it('lowerBound(t, x) is the first index with t ≥ x', () => {
    const s = series(11, 1, (x) => x);
    expect(lowerBound(s.t, -1)).toBe(0);
    expect(lowerBound(s.t, 3)).toBe(3);
    expect(lowerBound(s.t, 3.5)).toBe(4);
    expect(lowerBound(s.t, 11)).toBe(11);
  });
});
