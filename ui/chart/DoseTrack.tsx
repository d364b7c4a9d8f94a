import { memo } from 'react';
import { Area, CartesianGrid, ComposedChart, ReferenceLine, XAxis, YAxis } from 'recharts';
import { MARGIN, Y_AXIS_WIDTH } from './ConcentrationChart.tsx';
import { inHours, niceCeil, timeTicks, type DoseTrack as Track, type Point } from './scales.ts';
import { formatSig } from '../format.ts';

export interface DoseTrackProps {
  readonly width: number;
  readonly height: number;
  readonly domain: readonly [number, number];
  readonly track: Track;
}

/**
 * The dose track under the concentration chart, on the same time axis (same margins and y-axis
 * width): the pump rate in mg/kg/h as steps, each bolus as a marked line with its dose.
 */
export const DoseTrack = memo(function DoseTrack({ width, height, domain, track }: DoseTrackProps) {
  const hours = inHours(domain[0], domain[1]);
  const ticks = timeTicks(domain[0], domain[1], Math.max(4, Math.floor((width - MARGIN.left - Y_AXIS_WIDTH) / 80)));
  const yMax = niceCeil(Math.max(track.maxRate, 0.1) * 1.15);
  return (
    <ComposedChart width={width} height={height} margin={{ ...MARGIN, top: 14 }} accessibilityLayer={false}>
      <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
      <XAxis
        dataKey="t"
        type="number"
        domain={[domain[0], domain[1]]}
        allowDataOverflow
        ticks={ticks}
        height={20}
        tickFormatter={(t: number) => (hours ? formatSig(t / 60, 3).replace(/\.?0+$/, '') : String(t))}
      />
      <YAxis
        type="number"
        domain={[0, yMax]}
        allowDataOverflow
        width={Y_AXIS_WIDTH}
        tickCount={3}
        label={{
          value: 'mg/kg/h',
          angle: -90,
          position: 'insideLeft',
          offset: 10,
          fontSize: 11,
          style: { textAnchor: 'middle' },
        }}
      />
      <Area
        data={track.steps as Point[]}
        dataKey="v"
        name="pump rate (mg/kg/h)"
        type="stepAfter"
        stroke="#37474f"
        fill="#90a4ae"
        fillOpacity={0.45}
        isAnimationActive={false}
        dot={false}
        activeDot={false}
      />
      {track.boluses.map((b, i) => (
        <ReferenceLine
          key={`${b.t}-${i}`}
          x={b.t}
          ifOverflow="hidden"
          stroke="#6a1b9a"
          strokeWidth={2}
          label={{
            value: `bolus ${formatSig(b.mg, 3)} mg (${formatSig(b.mgPerKg, 3)} mg/kg)`,
            position: 'insideTopLeft',
            fontSize: 11,
            fill: '#6a1b9a',
          }}
        />
      ))}
    </ComposedChart>
  );
});
