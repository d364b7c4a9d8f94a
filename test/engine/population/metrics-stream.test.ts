// Streamed metrics equal `computeMetrics` bit for bit (property, plan bands).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetrics, lastDoseEnd } from '../../../engine/metrics.ts';
import { DEFAULT_BANDS } from '../../../engine/pd/bands.ts';
import type { Band } from '../../../engine/plan.ts';
import type { DoseAction } from '../../../engine/dosing/actions.ts';
import { metricNames, metricsFinish, metricsPlan, metricsStart, metricsStep } from '../../../engine/population/metrics-stream.ts';

const bands: Band[] = DEFAULT_BANDS.map((b) => ({ id: b.id, lowNgMl: b.lowNgMl, highNgMl: b.highNgMl }));

/** computeMetrics' values in metricNames order, null as NaN. */
function referenceMetrics(
  t: Float64Array,
  cp: Float64Array,
  ce: Float64Array,
  bs: readonly Band[],
  actions: readonly DoseAction[],
): number[] {
  const m = computeMetrics({ t, cp, ce }, bs, actions, 70);
  const nn = (x: number | null) => (x === null ? NaN : x);
  const out = [m.peakCpNgMl, m.peakCpMin, m.peakCeNgMl, m.peakCeMin, nn(m.recoveryMin)];
  for (const b of m.bands) out.push(b.minutesInside, b.minutesAbove, nn(b.firstEntryMin), nn(b.lastExitMin));
  return out;
}

function streamed(
  t: Float64Array,
  cp: Float64Array,
  ce: Float64Array,
  bs: readonly Band[],
  actions: readonly DoseAction[],
): number[] {
  const level = bs.find((b) => b.id === 'dissociation')?.lowNgMl ?? null;
  const p = metricsPlan(t, bs, level, lastDoseEnd(actions, t[t.length - 1]));
  const acc = new Float64Array(p.stride);
  metricsStart(p, acc, 0, cp[0], ce[0]);
  for (let j = 1; j < t.length; j++) metricsStep(p, acc, 0, j, cp[j], ce[j]);
  const out = new Float64Array(metricNames(bs).length);
  metricsFinish(p, acc, 0, out, 0);
  return Array.from(out);
}

/** Bitwise equality, NaN equal to NaN (Object.is). */
function same(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]) || (x === 0 && b[i] === 0));
}

const value = fc.oneof(
  fc.double({ min: 0, max: 3000, noNaN: true }),
  fc.constantFrom(0, 70, 100, 160, 250, 1060, 1200, 1640, 2400, 99.99999999999999),
);

describe('streamed metrics equal engine/metrics.ts computeMetrics bit for bit', () => {
  it('on arbitrary trajectories against the default bands (property, 400 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 0, max: 130 }),
        fc.boolean(),
        (pts, stopAt, offGrid) => {
          const n = pts.length;
          const t = Float64Array.from({ length: n }, (_, j) => (j * 10) / 60);
          const cp = Float64Array.from(pts, (p) => p[0]),
            ce = Float64Array.from(pts, (p) => p[1]);
          const stop = (stopAt * 10) / 60 + (offGrid ? 0.05 : 0);
          const actions: DoseAction[] = [
            { t: 0, bolusMg: 0, rateMgPerMin: 1 },
            { t: stop, bolusMg: 0, rateMgPerMin: 0 },
          ];
          expect(same(streamed(t, cp, ce, bands, actions), referenceMetrics(t, cp, ce, bands, actions))).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('with plan bands: open-ended, overlapping, zero-width, and without a dissociation band', () => {
    const sets: Band[][] = [
      [
        { id: 'a', lowNgMl: 100 },
        { id: 'b', lowNgMl: 50, highNgMl: 150 },
      ],
      [
        { id: 'dissociation', lowNgMl: 120, highNgMl: 120 },
        { id: 'x', lowNgMl: 0, highNgMl: 500 },
      ],
      [],
    ];
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 2, maxLength: 60 }), fc.constantFrom(0, 1, 2), (pts, k) => {
        const t = Float64Array.from({ length: pts.length }, (_, j) => j / 3);
        const cp = Float64Array.from(pts, (p) => p[0]),
          ce = Float64Array.from(pts, (p) => p[1]);
        const actions: DoseAction[] = [{ t: 0, bolusMg: 5, rateMgPerMin: null }];
        expect(same(streamed(t, cp, ce, sets[k], actions), referenceMetrics(t, cp, ce, sets[k], actions))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('metricNames lists the base metrics then four per band', () => {
    expect(metricNames(bands).slice(0, 6)).toEqual([
      'peakCpNgMl',
      'peakCpMin',
      'peakCeNgMl',
      'peakCeMin',
      'recoveryMin',
      'analgesia.minutesInside',
    ]);
    expect(metricNames(bands)).toHaveLength(5 + 4 * bands.length);
  });
});
