// `populationOverlay`/`areaPathData`: percentile areas and median as decimated chart overlays.
import { gather, minMaxIndices } from '../../engine/decimate.ts';
import type { PopulationResult } from '../../engine/population/types.ts';
import type { ChartSeries } from '../chart/ConcentrationChart.tsx';

/**
 * A population result as chart overlays for the dashboard's concentration chart: shaded percentile
 * areas (outer: the widest percentiles, e.g. 5th–95th; inner: 25th–75th) and the median as a line,
 * reduced to pixel resolution with engine/decimate.ts (min/max per bucket over every column drawn, so
 * the envelopes' peaks survive). Columnar, no object per point.
 */

/** A shaded area between two percentile curves, ng/mL, at times t (min). */
export interface PercentileArea {
  readonly id: string;
  readonly name: string;
  readonly t: Float64Array;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly color: string;
  readonly opacity: number;
  readonly className: string;
}

export interface PopulationOverlay {
  /** Draw first (under everything but the bands), outer before inner. */
  readonly areas: readonly PercentileArea[];
  /** Medians, as ordinary chart series (ConcentrationChart `series`). */
  readonly lines: readonly ChartSeries[];
  /** Largest value drawn, ng/mL (to size the y axis). */
  readonly max: number;
  /** The plan has changed since the run: shown dimmed while the next run computes. */
  readonly stale?: boolean;
}

export interface OverlayOptions {
  /** Which concentration(s): default 'ce'. */
  readonly series?: 'ce' | 'cp' | 'both';
  /** Time window shown, min (default: the whole horizon). */
  readonly window?: readonly [number, number];
  /** Pixel columns of the plot (default 600). */
  readonly buckets?: number;
  readonly colors?: { readonly cp: string; readonly ce: string };
}

const COLORS = { cp: '#1f77b4', ce: '#d62728' };

/** Chart overlays for a population result (percentile areas and medians). */
export function populationOverlay(r: PopulationResult, options: OverlayOptions = {}): PopulationOverlay {
  const which = options.series ?? 'ce';
  const kinds: ('cp' | 'ce')[] = which === 'both' ? ['cp', 'ce'] : [which];
  const colors = options.colors ?? COLORS;
  const [start, end] = options.window ?? [r.t[0] ?? 0, r.t[r.t.length - 1] ?? 0];
  const p = r.percentiles;
  const lastQ = p.length - 1;
  const q25 = p.indexOf(25),
    q75 = p.indexOf(75),
    q50 = p.indexOf(50);
  const areas: PercentileArea[] = [];
  const lines: ChartSeries[] = [];
  let max = 0;
  for (const kind of kinds) {
    const cols = kind === 'cp' ? r.cp : r.ce;
    const used = [
      cols[0],
      cols[lastQ],
      ...(q25 >= 0 ? [cols[q25]] : []),
      ...(q75 >= 0 ? [cols[q75]] : []),
      ...(q50 >= 0 ? [cols[q50]] : []),
    ];
    const idx = minMaxIndices(r.t, used, start, end, options.buckets ?? 600);
    const t = gather(r.t, idx);
    const label = kind === 'cp' ? 'Cp' : 'Ce';
    if (lastQ > 0) {
      const hi = gather(cols[lastQ], idx);
      for (const v of hi) if (v > max) max = v;
      areas.push({
        id: `population-${kind}-p${p[0]}-p${p[lastQ]}`,
        name: `${label} ${p[0]}th–${p[lastQ]}th percentile of ${r.job.n.toLocaleString('en')} virtual patients`,
        t,
        lo: gather(cols[0], idx),
        hi,
        color: colors[kind],
        opacity: 0.12,
        className: `population-area population-${kind}-outer`,
      });
    }
    if (q25 >= 0 && q75 >= 0 && (q25 !== 0 || q75 !== lastQ)) {
      areas.push({
        id: `population-${kind}-p25-p75`,
        name: `${label} 25th–75th percentile`,
        t,
        lo: gather(cols[q25], idx),
        hi: gather(cols[q75], idx),
        color: colors[kind],
        opacity: 0.22,
        className: `population-area population-${kind}-inner`,
      });
    }
    if (q50 >= 0) {
      const v = gather(cols[q50], idx);
      for (const x of v) if (x > max) max = x;
      lines.push({
        id: `population-${kind}-p50`,
        name: `${label} median of ${r.job.n.toLocaleString('en')} virtual patients`,
        t,
        v,
        color: colors[kind],
        width: 1.5,
        dash: '5 3',
        className: `population-median population-${kind}-median`,
      });
    }
  }
  return { areas, lines, max };
}

/**
 * SVG path data of the area between `lo` and `hi` through two scales (data → px): along `hi`, back
 * along `lo`, closed. Points the scales cannot place are skipped.
 */
export function areaPathData(
  t: ArrayLike<number>,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  xs: (x: number) => number | undefined,
  ys: (y: number) => number | undefined,
): string {
  const top: string[] = [],
    bottom: string[] = [];
  const r = (v: number) => Math.round(v * 10) / 10;
  for (let i = 0; i < t.length; i++) {
    const x = xs(t[i]),
      y1 = ys(hi[i]),
      y0 = ys(lo[i]);
    if (
      x === undefined ||
      y1 === undefined ||
      y0 === undefined ||
      !Number.isFinite(x) ||
      !Number.isFinite(y1) ||
      !Number.isFinite(y0)
    )
      continue;
    top.push(`${r(x)},${r(y1)}`);
    bottom.push(`${r(x)},${r(y0)}`);
  }
  if (top.length === 0) return '';
  return `M${top.join('L')}L${bottom.reverse().join('L')}Z`;
}
