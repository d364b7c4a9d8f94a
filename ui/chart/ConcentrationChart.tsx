import { memo, useId, useMemo } from 'react';
import {
  CartesianGrid,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  XAxis,
  YAxis,
  ZIndexLayer,
  usePlotArea,
  useXAxisScale,
  useYAxisScale,
} from 'recharts';
import { inHours, timeTicks, valueTicks } from './scales.ts';
import { pathData } from './path.ts';
import { formatSig } from '../format.ts';
import { areaPathData, type PercentileArea, type PopulationOverlay } from '../components/population-series.ts';
import { useStore, type Store } from '../state/store.ts';

/** Plot margins and axis width, shared by every chart on the same time axis so their plot areas line up. */
export const MARGIN = { top: 10, right: 20, bottom: 4, left: 8 } as const;
export const Y_AXIS_WIDTH = 64;
export const X_AXIS_HEIGHT = 34;
/** Left edge of the plot area, px from the chart's left. */
export const PLOT_LEFT = MARGIN.left + Y_AXIS_WIDTH;
/** recharts' z-index layer for lines (DefaultZIndexes.line): above bands and the grid, below labels. */
const LINE_LAYER = 400;
/** Population percentile areas: above the effect bands (ReferenceArea, 100), below the lines. */
const AREA_LAYER = 150;

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
export function bandLabels(bands: readonly ChartBand[], yMax: number, plotHeightPx: number): Set<string> {
  const shown = new Set<string>();
  const placed: number[] = [];
  for (const b of bands) {
    const top = Math.min(b.y2 ?? yMax, yMax),
      bottom = Math.max(b.y1, 0);
    if (!(top > bottom)) continue;
    const y = (1 - top / yMax) * plotHeightPx;
    if (((top - bottom) / yMax) * plotHeightPx < 12 || placed.some((p) => Math.abs(p - y) < 13)) continue;
    placed.push(y);
    shown.add(b.id);
  }
  return shown;
}

const Y_LABEL = {
  value: 'concentration (ng/mL)',
  angle: -90,
  position: 'insideLeft',
  offset: 10,
  fontSize: 12,
  style: { textAnchor: 'middle' },
} as const;
const tickLabel = (hours: boolean) => (t: number) => (hours ? formatSig(t / 60, 3).replace(/\.?0+$/, '') : String(t));

/**
 * The series as SVG paths inside the recharts plot, using the chart's own axis scales, clipped to the
 * plot area. Drawing straight from the columnar arrays (no object per point, no per-point recharts
 * state) keeps an edit's repaint to one path string per series.
 */
function SeriesLayer({ series }: { series: readonly ChartSeries[] }) {
  const xs = useXAxisScale();
  const ys = useYAxisScale();
  const plot = usePlotArea();
  const clipId = `ketasim-clip-${useId().replace(/:/g, '')}`;
  if (!xs || !ys || !plot) return null;
  return (
    <ZIndexLayer zIndex={LINE_LAYER}>
      <defs>
        <clipPath id={clipId}>
          <rect x={plot.x} y={plot.y - 2} width={plot.width} height={plot.height + 4} />
        </clipPath>
      </defs>
      <g clipPath={`url(#${clipId})`} className="ketasim-series">
        {series.map((s) => (
          <SeriesPath key={s.id} s={s} xs={xs} ys={ys} />
        ))}
      </g>
    </ZIndexLayer>
  );
}

/** The population overlay: percentile areas as filled paths and the medians, clipped to the plot, under the series. */
function OverlayLayer({ source }: { source: Store<PopulationOverlay | null> }) {
  const overlay = useStore(source, (o) => o);
  const xs = useXAxisScale();
  const ys = useYAxisScale();
  const plot = usePlotArea();
  const clipId = `ketasim-area-clip-${useId().replace(/:/g, '')}`;
  if (!xs || !ys || !plot || !overlay) return null;
  const stale = overlay.stale ?? false;
  return (
    <ZIndexLayer zIndex={AREA_LAYER}>
      <defs>
        <clipPath id={clipId}>
          <rect x={plot.x} y={plot.y} width={plot.width} height={plot.height} />
        </clipPath>
      </defs>
      <g clipPath={`url(#${clipId})`} className="ketasim-areas" opacity={stale ? 0.4 : undefined} data-stale={stale || undefined}>
        {overlay.areas.map((a) => (
          <AreaPath key={a.id} a={a} xs={xs} ys={ys} />
        ))}
        {overlay.lines.map((l) => (
          <SeriesPath key={l.id} s={l} xs={xs} ys={ys} />
        ))}
      </g>
    </ZIndexLayer>
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

type Scale = (v: number) => number | undefined;
const SeriesPath = memo(function SeriesPath({ s, xs, ys }: { s: ChartSeries; xs: Scale; ys: Scale }) {
  const d = useMemo(() => pathData(s.t, s.v, xs, ys), [s.t, s.v, xs, ys]);
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

/**
 * Cp and Ce against time with the effect bands behind them. The frame (bands, grid, axes, reference
 * lines) is one memoised element tree, so an edit that only changes the data re-renders the series
 * paths and nothing else; hover and zoom selection are drawn by an HTML overlay, not here.
 */
export const ConcentrationChart = memo(function ConcentrationChart(props: ConcentrationChartProps) {
  const { width, height, domain, yMax, series, bands, refLines, overlay } = props;
  // Two memoised halves: a new y-axis top (an edit, a population overlay) leaves the time axis and the
  // grid elements as they were, so recharts does not re-register them.
  const xFrame = useMemo(() => {
    const hours = inHours(domain[0], domain[1]);
    const ticks = timeTicks(domain[0], domain[1], Math.max(4, Math.floor((width - PLOT_LEFT) / 80)));
    return [
      <CartesianGrid key="grid" strokeDasharray="3 3" stroke="#e3e6ea" />,
      <XAxis
        key="x"
        dataKey="t"
        type="number"
        domain={[domain[0], domain[1]]}
        allowDataOverflow
        ticks={ticks}
        tickFormatter={tickLabel(hours)}
        height={X_AXIS_HEIGHT}
        label={{ value: hours ? 'time (h)' : 'time (min)', position: 'insideBottomRight', offset: 0, fontSize: 12 }}
      />,
    ];
  }, [width, domain]);
  const frame = useMemo(() => {
    const labels = bandLabels(bands, yMax, height - MARGIN.top - MARGIN.bottom - X_AXIS_HEIGHT);
    return [
      ...bands.map((b) => (
        <ReferenceArea
          key={`band-${b.id}`}
          y1={b.y1}
          y2={b.y2 ?? yMax}
          ifOverflow="hidden"
          fill={b.color}
          fillOpacity={0.13}
          stroke={b.color}
          strokeOpacity={0.35}
          strokeDasharray="2 3"
          label={labels.has(b.id) ? { value: b.name, position: 'insideTopRight', fontSize: 11, fill: b.color } : undefined}
        />
      )),
      ...xFrame,
      <YAxis
        key="y"
        type="number"
        domain={[0, yMax]}
        allowDataOverflow
        width={Y_AXIS_WIDTH}
        ticks={valueTicks(yMax)}
        label={Y_LABEL}
      />,
      ...(refLines ?? []).map((r) => (
        <ReferenceLine
          key={`ref-${r.id}`}
          y={r.y}
          ifOverflow="hidden"
          stroke={r.color}
          strokeDasharray="6 4"
          label={{ value: r.name, position: 'insideBottomLeft', fontSize: 11, fill: r.color }}
        />
      )),
    ];
  }, [xFrame, height, yMax, bands, refLines]);
  return (
    <LineChart width={width} height={height} margin={MARGIN} accessibilityLayer={false}>
      {frame}
      {overlay ? <OverlayLayer source={overlay} /> : null}
      <SeriesLayer series={series} />
    </LineChart>
  );
});
