import { memo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, XAxis, YAxis } from 'recharts';
import { inHours, timeTicks, type Point } from './scales.ts';
import { formatSig } from '../format.ts';

/** Plot margins and axis width, shared by every chart on the same time axis so their plot areas line up. */
export const MARGIN = { top: 10, right: 20, bottom: 4, left: 8 } as const;
export const Y_AXIS_WIDTH = 64;
export const X_AXIS_HEIGHT = 34;
/** Left edge of the plot area, px from the chart's left. */
export const PLOT_LEFT = MARGIN.left + Y_AXIS_WIDTH;

/** A line to draw (ng/mL against min). Extra series (pinned scenarios, population percentiles) are just more of these. */
export interface ChartLine {
  readonly id: string;
  readonly name: string;
  readonly data: readonly Point[];
  readonly color: string;
  readonly width?: number;
  readonly dash?: string;
  /** Marks the line for tests and the bench (data-series attribute on its <g>). */
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
  readonly lines: readonly ChartLine[];
  readonly bands: readonly ChartBand[];
  readonly refLines?: readonly ChartRefLine[];
}

const tickMinutes = (hours: boolean) => (t: number) => (hours ? formatSig(t / 60, 3).replace(/\.?0+$/, '') : String(t));

/**
 * Cp and Ce against time with the effect bands behind them. Memoised: it re-renders only when its
 * data, window or size change (hover and zoom selection are drawn by an overlay, not here).
 */
export const ConcentrationChart = memo(function ConcentrationChart(props: ConcentrationChartProps) {
  const { width, height, domain, yMax, lines, bands, refLines = [] } = props;
  const hours = inHours(domain[0], domain[1]);
  const ticks = timeTicks(domain[0], domain[1], Math.max(4, Math.floor((width - PLOT_LEFT) / 80)));
  return (
    <LineChart width={width} height={height} margin={MARGIN} accessibilityLayer={false}>
      {bands.map((b) => (
        <ReferenceArea
          key={b.id} y1={b.y1} y2={b.y2 ?? yMax} ifOverflow="hidden"
          fill={b.color} fillOpacity={0.13} stroke={b.color} strokeOpacity={0.35} strokeDasharray="2 3"
          label={{ value: b.name, position: 'insideTopRight', fontSize: 11, fill: b.color }}
        />
      ))}
      <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
      <XAxis
        dataKey="t" type="number" domain={[domain[0], domain[1]]} allowDataOverflow ticks={ticks}
        tickFormatter={tickMinutes(hours)} height={X_AXIS_HEIGHT}
        label={{ value: hours ? 'time (h)' : 'time (min)', position: 'insideBottomRight', offset: 0, fontSize: 12 }}
      />
      <YAxis
        type="number" domain={[0, yMax]} allowDataOverflow width={Y_AXIS_WIDTH}
        label={{ value: 'concentration (ng/mL)', angle: -90, position: 'insideLeft', offset: 10, fontSize: 12, style: { textAnchor: 'middle' } }}
      />
      {refLines.map((r) => (
        <ReferenceLine
          key={r.id} y={r.y} ifOverflow="hidden" stroke={r.color} strokeDasharray="6 4"
          label={{ value: r.name, position: 'insideBottomLeft', fontSize: 11, fill: r.color }}
        />
      ))}
      {lines.map((l) => (
        <Line
          key={l.id} data={l.data as Point[]} dataKey="v" name={l.name} type="linear" className={l.className}
          stroke={l.color} strokeWidth={l.width ?? 2} strokeDasharray={l.dash} dot={false} activeDot={false}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
});
