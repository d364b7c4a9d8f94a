// The plain-SVG charts: concentration chart geometry, bands, axes and series paths; the dose track's step area.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  ConcentrationChart,
  MARGIN,
  PLOT_LEFT,
  X_AXIS_HEIGHT,
  linearScale,
  plotGeometry,
  type ChartBand,
} from '../../../ui/chart/ConcentrationChart.tsx';
import { DoseTrack, stepAreaPath } from '../../../ui/chart/DoseTrack.tsx';
import { doseTrack } from '../../../ui/chart/scales.ts';
import { createStore } from '../../../ui/state/store.ts';
import type { PopulationOverlay } from '../../../ui/components/population-series.ts';

const BANDS: ChartBand[] = [
  { id: 'analgesia', name: 'Analgesia', y1: 70, y2: 160, color: '#2e7d32' },
  { id: 'anaesthesia', name: 'Anaesthesia', y1: 1200, y2: 2400, color: '#c62828' },
];

describe('plot geometry', () => {
  it('puts the plot where the hover overlay and the dose track expect it (left 72 px, right margin 20 px)', () => {
    const g = plotGeometry(1000, 360, MARGIN, X_AXIS_HEIGHT, [0, 240], 300);
    expect(g.left).toBe(PLOT_LEFT);
    expect(g.right).toBe(980);
    expect(g.top).toBe(MARGIN.top);
    expect(g.bottom).toBe(360 - MARGIN.bottom - X_AXIS_HEIGHT);
    expect(g.xs(0)).toBe(72);
    expect(g.xs(240)).toBe(980);
    expect(g.ys(0)).toBe(g.bottom);
    expect(g.ys(300)).toBe(g.top);
  });
  it('maps a degenerate domain to its start instead of dividing by zero', () => {
    expect(linearScale(5, 5, 10, 20)(7)).toBe(10);
  });
});

describe('ConcentrationChart (SVG)', () => {
  const t = Float64Array.from([0, 60, 120, 240]);
  const html = renderToStaticMarkup(
    <ConcentrationChart
      width={1000}
      height={360}
      domain={[0, 240]}
      yMax={300}
      series={[{ id: 'ce', name: 'Ce', t, v: Float64Array.from([0, 150, 300, 0]), color: '#000', className: 'series-ce' }]}
      bands={BANDS}
      refLines={[{ id: 'ref', name: '185 ng/mL', y: 185, color: '#8d6e63' }]}
    />,
  );
  it('is one <svg class="ketasim-chart"> of the given size (what the PNG export collects)', () => {
    expect(html.startsWith('<svg class="ketasim-chart" width="1000" height="360"')).toBe(true);
  });
  it('draws the series through the scales', () => {
    // x: 72 + t/240 × 908; y: 322 − v/300 × 312
    expect(html).toContain('d="M72,322L299,166L526,10L980,322"');
    expect(html).toContain('class="ketasim-line series-ce"');
  });
  it('has a group for every band, shades the ones in view and names them', () => {
    expect(html.match(/class="chart-band"/g)).toHaveLength(2);
    expect(html).toContain('data-band="anaesthesia"></g>'); // above the 300 ng/mL top: nothing drawn
    expect(html).toContain('>Analgesia</text>');
    expect(html).not.toContain('>Anaesthesia</text>');
  });
  it('labels the time axis in minutes up to the window end, and the reference line', () => {
    const ticks = [...html.matchAll(/<g class="chart-x-ticks">(.*?)<\/g>/g)][0][1];
    expect([...ticks.matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1]).at(-1)).toBe('240');
    expect(html).toContain('time (min)');
    expect(html).toContain('>185 ng/mL</text>');
  });
  it('draws the population overlay from its store, dimmed when stale', () => {
    const overlay: PopulationOverlay = {
      areas: [
        {
          id: 'ce-outer',
          name: 'Ce 5th–95th',
          t,
          lo: Float64Array.from([0, 100, 200, 0]),
          hi: Float64Array.from([0, 200, 300, 0]),
          color: '#6a1b9a',
          opacity: 0.2,
          className: 'population-area population-ce-outer',
        },
      ],
      lines: [],
      max: 300,
      stale: true,
    };
    const withOverlay = renderToStaticMarkup(
      <ConcentrationChart
        width={1000}
        height={360}
        domain={[0, 240]}
        yMax={300}
        series={[]}
        bands={[]}
        overlay={createStore<PopulationOverlay | null>(overlay)}
      />,
    );
    expect(withOverlay).toContain('class="ketasim-areas" opacity="0.4" data-stale="true"');
    expect(withOverlay).toContain('class="population-area population-ce-outer"');
  });
});

describe('DoseTrack (SVG)', () => {
  it('closes the pump-rate steps down to zero', () => {
    const xs = (x: number) => x,
      ys = (y: number) => 100 - y;
    expect(
      stepAreaPath(
        [
          { t: 0, v: 0 },
          { t: 10, v: 5 },
          { t: 40, v: 0 },
          { t: 60, v: 0 },
        ],
        xs,
        ys,
      ),
    ).toBe('M0,100L0,100L0,100L10,100L10,95L40,95L40,100L60,100L60,100L60,100Z');
  });
  it('draws the rate area and each bolus with its dose', () => {
    const track = doseTrack(
      [
        { t: 0, bolusMg: 35, rateMgPerMin: 0.875 },
        { t: 40, bolusMg: 0, rateMgPerMin: 0 },
      ],
      70,
      240,
    );
    const html = renderToStaticMarkup(<DoseTrack width={1000} height={96} domain={[0, 240]} track={track} />);
    expect(html.match(/class="dose-rate-area"/g)).toHaveLength(1);
    expect(html).toContain('bolus 35.0 mg (0.500 mg/kg)');
    expect(html).toContain('>mg/kg/h</text>');
  });
});
