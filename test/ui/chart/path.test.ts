// `pathData` coordinates: exactly `String(Math.round(v * 10) / 10)` for every value (the fast integer formatting is not a new format).
import { describe, expect, it } from 'vitest';
import { pathData } from '../../../ui/chart/path.ts';

/** The definition the chart's path strings have always had (template literal of the rounded tenths). */
const reference = (t: readonly number[], v: readonly number[]) =>
  t.map((x, i) => `${i ? 'L' : 'M'}${Math.round(x * 10) / 10},${Math.round(v[i] * 10) / 10}`).join('');

describe('pathData coordinates', () => {
  const id = (x: number) => x;

  it('formats the edge cases like the rounded double: zero, negative zero, halves, .x5, large and huge values', () => {
    const xs = [
      0, -0, 0.04, -0.04, 0.05, -0.05, 0.15, -0.15, 1.25, -1.25, 9.95, -9.95, 0.94999, 123456.75, 1e14, -1e14, 1e16, 3.3e20,
    ];
    for (const x of xs) expect(pathData([x], [-x], id, id), String(x)).toBe(reference([x], [-x]));
    expect(pathData([-0.04], [0.04], id, id)).toBe('M0,0');
    expect(pathData([1.25, 2], [-1.25, 3.07], id, id)).toBe('M1.3,-1.2L2,3.1');
  });

  it('matches the definition over 20,000 values spread across eight decades, through scales like the chart’s', () => {
    // A fixed linear congruential sequence: the same values every run.
    let s = 12345;
    const next = () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
    const t: number[] = [],
      v: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      t.push(i * 0.37 * next());
      v.push((next() - 0.4) * 10 ** Math.floor(next() * 8));
    }
    const xs = (x: number) => 72 + x * 0.6944,
      ys = (y: number) => 360 - y * 0.0913;
    expect(pathData(t, v, xs, ys)).toBe(reference(t.map(xs), v.map(ys)));
  });
});

describe('the chart fast path and React build the same path string', () => {
  it('chartGeometry gives one object (one pair of scales) per size, window, top and scale', async () => {
    const { chartGeometry } = await import('../../../ui/chart/ConcentrationChart.tsx');
    const a = chartGeometry(1000, 360, [0, 1440], 200, 'linear');
    expect(chartGeometry(1000, 360, [0, 1440], 200, 'linear')).toBe(a);
    expect(chartGeometry(1000, 360, [0, 1440], 250, 'linear')).not.toBe(a);
    expect(chartGeometry(1000, 360, [0, 1440], 200, 'log')).not.toBe(a);
  });

  it('seriesPathData is pathData, built once per series array and scales', async () => {
    const { chartGeometry, seriesPathData } = await import('../../../ui/chart/ConcentrationChart.tsx');
    const g = chartGeometry(800, 360, [0, 60], 40, 'linear');
    const t = Float64Array.from({ length: 61 }, (_, i) => i);
    const v = Float64Array.from(t, (x) => 30 * Math.exp(-x / 20));
    const d = seriesPathData(t, v, g.xs, g.ys);
    expect(d).toBe(pathData(t, v, g.xs, g.ys));
    expect(seriesPathData(t, v, g.xs, g.ys)).toBe(d);
    const h = chartGeometry(800, 360, [0, 60], 50, 'linear');
    expect(seriesPathData(t, v, h.xs, h.ys)).toBe(pathData(t, v, h.xs, h.ys)); // other scales: built again
    expect(seriesPathData(t, v, h.xs, h.ys)).not.toBe(d);
  });
});
