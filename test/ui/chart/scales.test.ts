// Ticks, `niceCeil`, dose-track steps, nearest sample, `pathData` breaks, band label placement.
import { describe, expect, it } from 'vitest';
import { doseTrack, inHours, maxOf, nearestSample, niceCeil, timeTicks, valueTicks } from '../../../ui/chart/scales.ts';
import { pathData } from '../../../ui/chart/path.ts';
import { regimenToActions } from '../../../engine/dosing/actions.ts';

describe('chart scales and data', () => {
  it('timeTicks picks clock-friendly steps with at most maxTicks ticks', () => {
    expect(timeTicks(0, 240, 9)).toEqual([0, 30, 60, 90, 120, 150, 180, 210, 240]);
    expect(timeTicks(0, 1440, 10)).toEqual([0, 180, 360, 540, 720, 900, 1080, 1260, 1440]);
    expect(timeTicks(20, 140, 10)).toEqual([30, 45, 60, 75, 90, 105, 120, 135]);
    expect(timeTicks(0.3, 1.1, 10)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1]);
    expect(timeTicks(0.3, 1.1, 4)).toEqual([0.5, 0.75, 1]);
    for (const [a, b] of [
      [0, 7],
      [3.3, 97.1],
      [0, 10080],
    ])
      expect(timeTicks(a, b, 8).length).toBeLessThanOrEqual(9);
    expect(inHours(0, 240)).toBe(false);
    expect(inHours(0, 1440)).toBe(true);
  });

  it('niceCeil gives a round axis top at or above the value', () => {
    expect(niceCeil(234.5)).toBe(250);
    expect(niceCeil(1000)).toBe(1000);
    expect(niceCeil(1001)).toBe(1200);
    expect(niceCeil(0.07)).toBe(0.08);
    expect(niceCeil(0)).toBe(1);
    expect(maxOf(new Float64Array([1, 5, 2]), null, [7, 3])).toBe(7);
  });

  it('valueTicks divides the y axis evenly up to its top', () => {
    expect(valueTicks(5000)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(valueTicks(250)).toEqual([0, 50, 100, 150, 200, 250]);
    expect(valueTicks(1200)).toEqual([0, 200, 400, 600, 800, 1000, 1200]);
    expect(valueTicks(300)).toEqual([0, 50, 100, 150, 200, 250, 300]);
    for (const top of [1, 1.2, 1.5, 2, 2.5, 3, 4, 6, 8].flatMap((m) => [m, m * 10, m * 100, m * 1000])) {
      const t = valueTicks(top);
      expect(t[t.length - 1]).toBeCloseTo(top, 9);
      expect(t.length).toBeLessThanOrEqual(7);
      expect(t.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('doseTrack turns actions into pump-rate steps (mg/kg/h) and boluses (mg, mg/kg)', () => {
    const actions = regimenToActions(
      [
        { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
        { at: 60, bolus: 10, unit: 'mg' },
        { at: 90, rate: 0.35, unit: 'mg/kg/h' },
      ],
      70,
    );
    const tr = doseTrack(actions, 70, 240);
    expect(tr.steps.map((p) => [p.t, Number(p.v.toFixed(10))])).toEqual([
      [0, 0.75],
      [40, 0],
      [90, 0.35],
      [240, 0.35],
    ]);
    expect(tr.boluses).toEqual([{ t: 60, mg: 10, mgPerKg: 10 / 70 }]);
    expect(tr.maxRate).toBeCloseTo(0.75, 12);
  });

  it('nearestSample finds the grid index of a time, clamped to the grid', () => {
    expect(nearestSample(0, 10, 1441)).toBe(0);
    expect(nearestSample(40, 10, 1441)).toBe(240);
    expect(nearestSample(40.09, 10, 1441)).toBe(241);
    expect(nearestSample(999, 10, 1441)).toBe(1440);
    expect(nearestSample(-5, 10, 1441)).toBe(0);
  });

  it('pathData draws the series through the scales and breaks the line where a value cannot be placed', () => {
    const xs = (t: number) => 10 + t * 2,
      ys = (v: number) => (Number.isFinite(v) ? 100 - v : undefined);
    expect(pathData([0, 1, 2], [0, 50, 25], xs, ys)).toBe('M10,100L12,50L14,75');
    expect(pathData([0, 1, 2, 3], [1, NaN, 2, 3], xs, ys)).toBe('M10,99M14,98L16,97');
    expect(
      pathData(
        [0.333],
        [1 / 3],
        (t) => t,
        (v) => v,
      ),
    ).toBe('M0.3,0.3');
  });
});

describe('band labels on the chart', () => {
  it('names bands that are tall enough in view and whose labels do not collide', async () => {
    const { bandLabels } = await import('../../../ui/chart/ConcentrationChart.tsx');
    const bands = [
      { id: 'analgesia', name: 'A', y1: 70, y2: 160, color: '' },
      { id: 'dissociation', name: 'D', y1: 100, y2: 250, color: '' },
      { id: 'responsiveness', name: 'R', y1: 1060, y2: 1640, color: '' },
      { id: 'anaesthesia', name: 'N', y1: 1200, y2: 2400, color: '' },
    ];
    expect([...bandLabels(bands, 300, 312)]).toEqual(['analgesia', 'dissociation']); // the others are above the view
    // at 5000 ng/mL full scale the two low bands are thin (< 12 px): named in the legend only
    expect([...bandLabels(bands, 5000, 312)]).toEqual(['responsiveness', 'anaesthesia']);
    // tops 1640 and 1700 are 4 px apart: the second label is dropped
    expect([...bandLabels([bands[2], { id: 'x', name: 'X', y1: 1000, y2: 1700, color: '' }], 5000, 312)]).toEqual([
      'responsiveness',
    ]);
  });
});

describe('the logarithmic concentration axis', () => {
  it('spans 1 ng/mL to the next power of ten, with 1-2-5 ticks or decades', async () => {
    const { logCeil, logTicks, LOG_AXIS_MIN_NG_ML } = await import('../../../ui/chart/scales.ts');
    expect(LOG_AXIS_MIN_NG_ML).toBe(1);
    expect(logCeil(7937)).toBe(10_000); // a bolus's Cp spike
    expect(logCeil(1000)).toBe(1000);
    expect(logCeil(3)).toBe(10);
    expect(logCeil(0)).toBe(10);
    expect(logTicks(1, 100)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(1, 10_000)).toEqual([1, 10, 100, 1000, 10_000]);
  });
  it('keeps a 7,937 ng/mL spike from flattening a 150 ng/mL curve: it sits halfway up, not at 1.5 %', async () => {
    const { plotGeometry, logScale, MARGIN, X_AXIS_HEIGHT } = await import('../../../ui/chart/ConcentrationChart.tsx');
    const lin = plotGeometry(1000, 360, MARGIN, X_AXIS_HEIGHT, [0, 240], 10_000);
    const log = plotGeometry(1000, 360, MARGIN, X_AXIS_HEIGHT, [0, 240], 10_000, 'log');
    const h = lin.bottom - lin.top;
    expect((lin.bottom - lin.ys(150)) / h).toBeCloseTo(0.015, 10);
    expect((log.bottom - log.ys(150)) / h).toBeCloseTo(Math.log10(150) / 4, 10);
    expect(log.ys(0)).toBe(log.bottom); // 0 sits on the axis, never at −∞
    expect(log.ys(10_000)).toBe(log.top);
    expect(logScale(1, 100, 0, 2)(10)).toBe(1);
  });
});
