// Population chart overlay: percentile areas and median decimated with real samples, `areaPathData`; `PopulationPanel` renders its controls.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { runPopulationLocal } from '../../../engine/population/local.ts';
import { areaPathData, populationOverlay } from '../../../ui/components/population-series.ts';
import { PopulationPanel } from '../../../ui/components/PopulationPanel.tsx';
import type { PopulationClient } from '../../../workers/population-client.ts';
import { jobOf, WORKLOAD_P } from '../../engine/population/helpers.ts';

describe('population chart overlay (ui/components/population-series.ts)', () => {
  it('gives the 5th–95th and 25th–75th areas and the median line, decimated, with real samples only', async () => {
    const r = await runPopulationLocal(jobOf(WORKLOAD_P, { n: 200, seed: 1 }));
    const o = populationOverlay(r, { series: 'both', buckets: 100 });
    expect(o.areas.map((a) => a.id)).toEqual([
      'population-cp-p5-p95',
      'population-cp-p25-p75',
      'population-ce-p5-p95',
      'population-ce-p25-p75',
    ]);
    expect(o.lines.map((l) => l.id)).toEqual(['population-cp-p50', 'population-ce-p50']);
    const outer = o.areas[2];
    expect(outer.t.length).toBeLessThan(r.t.length);
    // Every kept point is a grid sample, with its exact percentile values; the peak of p95 survives.
    for (let k = 0; k < outer.t.length; k++) {
      const j = Math.round((outer.t[k] * 60) / 10);
      expect(outer.hi[k]).toBe(r.ce[4][j]);
      expect(outer.lo[k]).toBe(r.ce[0][j]);
    }
    expect(Math.max(...outer.hi)).toBe(Math.max(...r.ce[4]));
    expect(o.max).toBeGreaterThanOrEqual(Math.max(...r.ce[4]));
  });
  it('areaPathData traces the upper curve forward and the lower one back', () => {
    const d = areaPathData(
      [0, 1, 2],
      [0, 0, 0],
      [1, 2, 1],
      (x) => x * 10,
      (y) => 100 - y * 10,
    );
    expect(d).toBe('M0,90L10,80L20,90L20,100L10,100L0,100Z');
    expect(
      areaPathData(
        [0],
        [NaN],
        [1],
        (x) => x,
        (y) => y,
      ),
    ).toBe('');
  });
});

describe('PopulationPanel', () => {
  it('renders its controls (N up to 100,000, seed, assumed CV, Run) before any run', () => {
    const idle: PopulationClient = {
      size: 1,
      start: () => {
        throw new Error('not started');
      },
      dispose: () => {},
    };
    const html = renderToString(<PopulationPanel plan={WORKLOAD_P} client={idle} />);
    expect(html).toContain('Virtual population');
    expect(html).toContain('max="100000"');
    expect(html).toContain('data-testid="population-run"');
    expect(html).toContain('CV (assumed)');
  });
});
