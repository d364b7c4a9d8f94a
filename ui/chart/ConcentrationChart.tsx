// Plain-SVG concentration chart (bands, axes, reference lines, population overlay, series paths); shared `MARGIN`, `PLOT_LEFT`, axes.
import { memo, useId, useMemo, type ReactNode } from 'react';
import { inHours, logTicks, LOG_AXIS_MIN_NG_ML, timeTicks, valueTicks } from './scales.ts';
import { pathData } from './path.ts';
import { formatSig } from '../format.ts';
import { areaPathData, type PercentileArea, type PopulationOverlay } from '../components/population-series.ts';
import { useStore, type Store } from '../state/store.ts';

/**
 * Cp and Ce against time over the effect bands, drawn as plain SVG (no chart library: the first
 * chart paints from a small main chunk, and an edit re-renders the series paths and nothing else).
 * Every style is an SVG attribute, so the PNG export (export-png.ts) rasterises the element as is.
 */

/** Plot margins and axis width, shared by every chart on the same time axis so their plot areas line up. */
export const MARGIN = { top: 10, right: 20, bottom: 4, left: 8 } as const;
export const Y_AXIS_WIDTH = 64;
export const X_AXIS_HEIGHT = 34;
/** Left edge of the plot area, px from the chart's left. */
export const PLOT_LEFT = MARGIN.left + Y_AXIS_WIDTH;
/** CSS class of every chart <svg> (the PNG export collects these). */
export const CHART_SVG_CLASS = 'ketasim-chart';

/** The attributes every time-axis chart's `<svg>` shares (the Ce chart, the dose track): class, size, font, role. */
export const chartSvgAttrs = (width: number, height: number) =>
  ({
    className: CHART_SVG_CLASS,
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    fontFamily: 'system-ui, sans-serif',
    role: 'img',
  }) as const;

/**
 * A series to draw, columnar (DESIGN.md rule 5): t in min, v in ng/mL, already reduced to pixel
 * resolution by the worker. Extra series (pinned scenarios, population percentiles) are more of these.
 */
export interface ChartSeries {
  readonly id: string;
  readonly name: string;
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly color: string;
  readonly width?: number;
  readonly dash?: string;
  /** CSS class on the <path> (`series-cp`, `series-ce`, `series-pinned`), for tests and the bench. */
  readonly className?: string;
}

/** A horizontal band shaded behind the lines (ng/mL); y2 null = open-ended (to the top of the plot). */
export interface ChartBand {
  readonly id: string;
  readonly name: string;
  readonly y1: number;
  readonly y2: number | null;
  readonly color: string;
}

/** A horizontal reference line (ng/mL). */
export interface ChartRefLine {
  readonly id: string;
  readonly name: string;
  readonly y: number;
  readonly color: string;
}

export interface ConcentrationChartProps {
  readonly width: number;
  readonly height: number;
  /** Time window, min. */
  readonly domain: readonly [number, number];
  /** Top of the y axis, ng/mL. */
  readonly yMax: number;
  /** The y axis: linear from 0 (default), or logarithmic from LOG_AXIS_MIN_NG_ML (a bolus spike then does not flatten the rest). */
  readonly yScale?: 'linear' | 'log';
  readonly series: readonly ChartSeries[];
  readonly bands: readonly ChartBand[];
  readonly refLines?: readonly ChartRefLine[];
  /**
   * Population overlay (percentile areas and medians), drawn above the bands and under the series.
   * A store, not a value: a new overlay repaints that layer alone, not the chart (the caller sizes
   * `yMax` to include `overlay.max`). `stale` overlays are drawn dimmed.
   */
  readonly overlay?: Store<PopulationOverlay | null>;
}

/**
 * Which bands get a name on the chart: those at least 12 px tall in view whose label (at the band's
 * top edge) would not overlap one already placed; the others are named in the legend and bands panel.
 */
export function bandLabels(
  bands: readonly ChartBand[],
  yMax: number,
  plotHeightPx: number,
  fraction: (v: number) => number = (v) => v / yMax,
): Set<string> {
  const shown = new Set<string>();
  const placed: number[] = [];
  for (const b of bands) {
    const top = Math.min(b.y2 ?? yMax, yMax),
      bottom = Math.max(b.y1, 0);
    if (!(top > bottom)) continue;
    const y = (1 - fraction(top)) * plotHeightPx;
    if ((fraction(top) - fraction(bottom)) * plotHeightPx < 12 || placed.some((p) => Math.abs(p - y) < 13)) continue;
    placed.push(y);
    shown.add(b.id);
  }
  return shown;
}

type Scale = (v: number) => number;

/** Where the plot sits in the chart (px) and the two linear scales (data → px). */
export interface PlotGeometry {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  /** Time (min) → x (px). */
  readonly xs: Scale;
  /** Value → y (px). */
  readonly ys: Scale;
}

/**
 * A logarithmic map of [d0, d1] (both > 0) onto [r0, r1]; values at or below d0 (including 0) map to r0,
 * so a concentration that is still 0 at the start sits on the axis instead of at −∞.
 */
export function logScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const l0 = Math.log10(d0),
    k = d1 > d0 ? (r1 - r0) / (Math.log10(d1) - l0) : 0;
  return (v) => r0 + (Math.log10(Math.max(v, d0)) - l0) * k;
}

/** A linear map of [d0, d1] onto [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 !== d0 ? (r1 - r0) / (d1 - d0) : 0;
  return (v) => r0 + (v - d0) * k;
}

/** The plot rectangle and scales of a chart of this size, margins and axes. */
export function plotGeometry(
  width: number,
  height: number,
  margin: { readonly top: number; readonly right: number; readonly bottom: number; readonly left: number },
  xAxisHeight: number,
  domain: readonly [number, number],
  yMax: number,
  yScale: 'linear' | 'log' = 'linear',
): PlotGeometry {
  const left = margin.left + Y_AXIS_WIDTH,
    right = Math.max(left + 1, width - margin.right),
    top = margin.top,
    bottom = Math.max(top + 1, height - margin.bottom - xAxisHeight);
  return {
    width,
    height,
    left,
    right,
    top,
    bottom,
    xs: linearScale(domain[0], domain[1], left, right),
    ys: yScale === 'log' ? logScale(LOG_AXIS_MIN_NG_ML, yMax, bottom, top) : linearScale(0, yMax, bottom, top),
  };
}

/**
 * The concentration chart's geometry, shared: the same sizes, window, top and scale give the same object
 * (and so the same scale functions), whether React's render or the chart's fast path (ChartPanel's
 * `paintSeries`) asks, so a path string built by one is found by the other in `seriesPathData`'s cache.
 */
const geometries = new Map<string, PlotGeometry>();
export function chartGeometry(
  width: number,
  height: number,
  domain: readonly [number, number],
  yMax: number,
  yScale: 'linear' | 'log',
): PlotGeometry {
  const key = `${width} ${height} ${domain[0]} ${domain[1]} ${yMax} ${yScale}`;
  let g = geometries.get(key);
  if (!g) {
    if (geometries.size >= 8) geometries.delete(geometries.keys().next().value as string);
    g = plotGeometry(width, height, MARGIN, X_AXIS_HEIGHT, domain, yMax, yScale);
    geometries.set(key, g);
  }
  return g;
}

/** Path strings by their value array (the worker's answer owns it), for the scales they were built with. */
const pathCache = new WeakMap<ArrayLike<number>, { t: ArrayLike<number>; xs: Scale; ys: Scale; d: string }>();
/** `pathData`, remembered per series array and scales: the fast path builds it, React's render then reads it. */
export function seriesPathData(t: ArrayLike<number>, v: ArrayLike<number>, xs: Scale, ys: Scale): string {
  const hit = pathCache.get(v);
  if (hit && hit.t === t && hit.xs === xs && hit.ys === ys) return hit.d;
  const d = pathData(t, v, xs, ys);
  pathCache.set(v, { t, xs, ys, d });
  return d;
}

/** Tick labels of a time axis: hours (3 significant digits, no trailing zeros) on long windows, else minutes. */
export const tickLabel = (hours: boolean) => (t: number) => (hours ? formatSig(t / 60, 3).replace(/\.?0+$/, '') : String(t));

const GRID = '#e3e6ea';
const AXIS = '#666';
const r1 = (v: number) => Math.round(v * 10) / 10;

/**
 * The time axis along the bottom of a plot: vertical grid lines, the axis line, ticks and their labels
 * (in `.chart-x-ticks`), and the axis name at the right end.
 */
export function TimeAxis({
  g,
  domain,
  label = true,
}: {
  g: PlotGeometry;
  domain: readonly [number, number];
  label?: boolean;
}): ReactNode {
  const hours = inHours(domain[0], domain[1]);
  const ticks = timeTicks(domain[0], domain[1], Math.max(4, Math.floor((g.width - PLOT_LEFT) / 80)));
  const fmt = tickLabel(hours);
  return (
    <g className="chart-x-axis">
      <g className="chart-grid-x">
        {ticks.map((t) => (
          <line key={t} x1={r1(g.xs(t))} x2={r1(g.xs(t))} y1={g.top} y2={g.bottom} stroke={GRID} strokeDasharray="3 3" />
        ))}
      </g>
      <line x1={g.left} x2={g.right} y1={g.bottom} y2={g.bottom} stroke={AXIS} />
      <g className="chart-x-ticks">
        {ticks.map((t) => (
          <text key={t} x={r1(g.xs(t))} y={g.bottom + 18} textAnchor="middle" fontSize={12} fill={AXIS}>
            {fmt(t)}
          </text>
        ))}
      </g>
      {ticks.map((t) => (
        <line key={t} x1={r1(g.xs(t))} x2={r1(g.xs(t))} y1={g.bottom} y2={g.bottom + 6} stroke={AXIS} />
      ))}
      {label ? (
        <text x={g.right} y={g.height - MARGIN.bottom - 2} textAnchor="end" fontSize={12} fill={AXIS}>
          {hours ? 'time (h)' : 'time (min)'}
        </text>
      ) : null}
    </g>
  );
}

/** The value axis on the left: horizontal grid lines, the axis line, ticks, labels and the rotated axis name. */
export function ValueAxis({
  g,
  ticks,
  name,
  fontSize = 12,
}: {
  g: PlotGeometry;
  ticks: readonly number[];
  name: string;
  fontSize?: number;
}): ReactNode {
  const mid = (g.top + g.bottom) / 2;
  return (
    <g className="chart-y-axis">
      <g className="chart-grid-y">
        {ticks.map((v) => (
          <line key={v} x1={g.left} x2={g.right} y1={r1(g.ys(v))} y2={r1(g.ys(v))} stroke={GRID} strokeDasharray="3 3" />
        ))}
      </g>
      <line x1={g.left} x2={g.left} y1={g.top} y2={g.bottom} stroke={AXIS} />
      <g className="chart-y-ticks">
        {ticks.map((v) => (
          <text key={v} x={g.left - 9} y={r1(g.ys(v)) + 4} textAnchor="end" fontSize={12} fill={AXIS}>
            {String(v)}
          </text>
        ))}
      </g>
      {ticks.map((v) => (
        <line key={v} x1={g.left - 6} x2={g.left} y1={r1(g.ys(v))} y2={r1(g.ys(v))} stroke={AXIS} />
      ))}
      <text
        x={MARGIN.left + 10}
        y={mid}
        transform={`rotate(-90 ${MARGIN.left + 10} ${mid})`}
        textAnchor="middle"
        dominantBaseline="central"
        fontSize={fontSize}
        fill={AXIS}
      >
        {name}
      </text>
    </g>
  );
}

/** Bands, grid, axes and reference lines: everything but the data (memoised on its inputs). */
const Frame = memo(function Frame({
  g,
  domain,
  yMax,
  bands,
  refLines,
  clip,
  yScale,
}: {
  g: PlotGeometry;
  domain: readonly [number, number];
  yMax: number;
  bands: readonly ChartBand[];
  refLines: readonly ChartRefLine[];
  clip: string;
  yScale: 'linear' | 'log';
}) {
  const plotH = g.bottom - g.top;
  const labels = bandLabels(bands, yMax, plotH, (v) => (g.bottom - g.ys(v)) / plotH);
  return (
    <>
      <g className="chart-bands" clipPath={`url(#${clip})`}>
        {bands.map((b) => {
          const hi = Math.min(b.y2 ?? yMax, yMax),
            lo = Math.max(b.y1, 0);
          // Every band has its group (for the legend's order and tests); one outside the y range draws nothing.
          if (!(hi > lo)) return <g key={b.id} className="chart-band" data-band={b.id} />;
          const y = r1(g.ys(hi)),
            h = r1(g.ys(lo) - g.ys(hi));
          return (
            <g key={b.id} className="chart-band" data-band={b.id}>
              <rect
                x={g.left}
                y={y}
                width={g.right - g.left}
                height={h}
                fill={b.color}
                fillOpacity={0.13}
                stroke={b.color}
                strokeOpacity={0.35}
                strokeDasharray="2 3"
              />
              {labels.has(b.id) ? (
                <text x={g.right - 5} y={y + 14} textAnchor="end" fontSize={11} fill={b.color}>
                  {b.name}
                </text>
              ) : null}
            </g>
          );
        })}
      </g>
      <TimeAxis g={g} domain={domain} />
      {yScale === 'log' ? (
        <ValueAxis g={g} ticks={logTicks(LOG_AXIS_MIN_NG_ML, yMax)} name="concentration (ng/mL, log scale)" />
      ) : (
        <ValueAxis g={g} ticks={valueTicks(yMax)} name="concentration (ng/mL)" />
      )}
      {refLines.map((r) =>
        r.y >= 0 && r.y <= yMax ? (
          <g key={r.id} className="chart-ref-line" data-ref={r.id}>
            <line x1={g.left} x2={g.right} y1={r1(g.ys(r.y))} y2={r1(g.ys(r.y))} stroke={r.color} strokeDasharray="6 4" />
            <text x={g.left + 5} y={r1(g.ys(r.y)) - 5} fontSize={11} fill={r.color}>
              {r.name}
            </text>
          </g>
        ) : null,
      )}
    </>
  );
});

/** The population overlay: percentile areas and the medians, clipped to the plot, under the series. */
function OverlayLayer({ source, g, clip }: { source: Store<PopulationOverlay | null>; g: PlotGeometry; clip: string }) {
  const overlay = useStore(source, (o) => o);
  if (!overlay) return null;
  const stale = overlay.stale ?? false;
  return (
    <g clipPath={`url(#${clip})`} className="ketasim-areas" opacity={stale ? 0.4 : undefined} data-stale={stale || undefined}>
      {overlay.areas.map((a) => (
        <AreaPath key={a.id} a={a} xs={g.xs} ys={g.ys} />
      ))}
      {overlay.lines.map((l) => (
        <SeriesPath key={l.id} s={l} xs={g.xs} ys={g.ys} />
      ))}
    </g>
  );
}

const AreaPath = memo(function AreaPath({ a, xs, ys }: { a: PercentileArea; xs: Scale; ys: Scale }) {
  const d = useMemo(() => areaPathData(a.t, a.lo, a.hi, xs, ys), [a.t, a.lo, a.hi, xs, ys]);
  return (
    <path d={d} fill={a.color} fillOpacity={a.opacity} stroke="none" className={a.className} data-area={a.id}>
      <title>{a.name}</title>
    </path>
  );
});

/** One series as a path; memoised on the series object and the scales, so an unchanged series is not redrawn. */
const SeriesPath = memo(function SeriesPath({ s, xs, ys }: { s: ChartSeries; xs: Scale; ys: Scale }) {
  const d = useMemo(() => seriesPathData(s.t, s.v, xs, ys), [s.t, s.v, xs, ys]);
  return (
    <path
      d={d}
      fill="none"
      stroke={s.color}
      strokeWidth={s.width ?? 2}
      strokeDasharray={s.dash}
      strokeLinejoin="round"
      strokeLinecap="round"
      className={`ketasim-line ${s.className ?? ''}`}
      data-series={s.id}
    >
      <title>{s.name}</title>
    </path>
  );
});

const NO_REF_LINES: readonly ChartRefLine[] = [];

/**
 * Cp and Ce against time with the effect bands behind them. The frame (bands, grid, axes, reference
 * lines) is one memoised subtree, so an edit that only changes the data re-renders the series paths
 * and nothing else; hover and zoom selection are drawn by an HTML overlay, not here.
 */
export const ConcentrationChart = memo(function ConcentrationChart(props: ConcentrationChartProps) {
  const { width, height, domain, yMax, series, bands, refLines = NO_REF_LINES, overlay, yScale = 'linear' } = props;
  const id = useId().replace(/[^a-zA-Z0-9_-]/g, '');
  const g = chartGeometry(width, height, domain, yMax, yScale);
  const bandClip = `ketasim-band-clip-${id}`,
    areaClip = `ketasim-area-clip-${id}`,
    lineClip = `ketasim-clip-${id}`;
  return (
    <svg
      {...chartSvgAttrs(width, height)}
      data-y-scale={yScale}
      data-y-max={yMax}
      data-domain={`${domain[0]},${domain[1]}`}
      aria-label={`Predicted plasma (Cp) and effect-site (Ce) concentrations over time, ng/mL${yScale === 'log' ? ' on a logarithmic axis' : ''}, over the effect bands`}
    >
      <defs>
        <clipPath id={bandClip}>
          <rect x={g.left} y={g.top} width={g.right - g.left} height={g.bottom - g.top} />
        </clipPath>
        <clipPath id={areaClip}>
          <rect x={g.left} y={g.top} width={g.right - g.left} height={g.bottom - g.top} />
        </clipPath>
        <clipPath id={lineClip}>
          <rect x={g.left} y={g.top - 2} width={g.right - g.left} height={g.bottom - g.top + 4} />
        </clipPath>
      </defs>
      <Frame g={g} domain={domain} yMax={yMax} bands={bands} refLines={refLines} clip={bandClip} yScale={yScale} />
      {overlay ? <OverlayLayer source={overlay} g={g} clip={areaClip} /> : null}
      <g clipPath={`url(#${lineClip})`} className="ketasim-series">
        {series.map((s) => (
          <SeriesPath key={s.id} s={s} xs={g.xs} ys={g.ys} />
        ))}
      </g>
    </svg>
  );
});
