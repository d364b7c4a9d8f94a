// Default window is the dissociation band; `windowMetrics` on the grid; an evaluated span off the grid starts at the next grid point.
import { describe, expect, it } from 'vitest';
import { defaultWindow, anaesthesiaBand, windowMetrics } from '../../../engine/tci/index.ts';
import { DEFAULT_BANDS } from '../../../engine/pd/bands.ts';

describe('window', () => {
  it('defaults to the dissociation band of engine/pd/bands.ts, which lies below the anaesthesia band', () => {
    const d = defaultWindow();
    const band = DEFAULT_BANDS.find((b) => b.id === 'dissociation')!;
    expect([d.lowNgMl, d.highNgMl]).toEqual([band.lowNgMl, band.highNgMl]);
    expect(d.source).toContain(band.citation);
    expect(d.highNgMl).toBeLessThan(anaesthesiaBand().lowNgMl);
  });

  it('windowMetrics(t, y, w, from, to) measures time in [low, high) between the first grid time ≥ from and the last ≤ to, crossings interpolated', () => {
    // y rises linearly 0 → 300 over 0–30 min, then stays: inside [100, 250) from 10 to 25 min.
    const t = Float64Array.from({ length: 41 }, (_, j) => j);
    const y = t.map((x) => Math.min(300, 10 * x));
    const m = windowMetrics(t, y, { lowNgMl: 100, highNgMl: 250 }, 5, 35);
    expect(m.evaluatedFromMin).toBe(5);
    expect(m.evaluatedToMin).toBe(35);
    expect(m.minutesInWindow).toBeCloseTo(15, 12);
    expect(m.minutesAboveWindow).toBeCloseTo(10, 12);
    expect(m.minutesBelowWindow).toBeCloseTo(5, 12);
    expect(m.fractionInWindow).toBeCloseTo(15 / 30, 12);
    expect(m.firstInWindowMin).toBeCloseTo(10, 12);
    expect(m.maxNgMl).toBe(300);
    expect(m.maxAtMin).toBe(30);
  });

  it('an evaluated span that does not start on the grid starts at the next grid point', () => {
    const t = Float64Array.from({ length: 11 }, (_, j) => j * 0.5);
    const y = new Float64Array(11).fill(150);
    const m = windowMetrics(t, y, { lowNgMl: 100, highNgMl: 250 }, 1.2, 4.9);
    expect(m.evaluatedFromMin).toBe(1.5);
    expect(m.evaluatedToMin).toBe(4.5);
    expect(m.fractionInWindow).toBe(1);
  });
});
