// `DoseTrack`: pump rate (mg/kg/h) steps and bolus markers on the chart's time axis, plain SVG.
import { memo, useId, useMemo } from 'react';
import { chartSvgAttrs, MARGIN, TimeAxis, ValueAxis, plotGeometry } from './ConcentrationChart.tsx';
import { niceCeil, type DoseTrack as Track } from './scales.ts';
import { formatSig } from '../format.ts';

export interface DoseTrackProps {
  readonly width: number;
  readonly height: number;
  readonly domain: readonly [number, number];
  readonly track: Track;
}

const TRACK_MARGIN = { ...MARGIN, top: 14 } as const;
const TRACK_X_AXIS_HEIGHT = 20;
const BOLUS_COLOR = '#6a1b9a';

/** SVG path of a step-after series closed down to y = 0 (the area under the pump rate). */
export function stepAreaPath(
  steps: readonly { readonly t: number; readonly v: number }[],
  xs: (t: number) => number,
  ys: (v: number) => number,
): string {
  if (steps.length === 0) return '';
  const r = (v: number) => Math.round(v * 10) / 10;
  const y0 = r(ys(0));
  const parts = [`M${r(xs(steps[0].t))},${y0}`];
  for (let i = 0; i < steps.length; i++) {
    const x = r(xs(steps[i].t)),
      y = r(ys(steps[i].v));
    parts.push(`L${x},${i === 0 ? y : r(ys(steps[i - 1].v))}`, `L${x},${y}`);
  }
  parts.push(`L${r(xs(steps[steps.length - 1].t))},${y0}Z`);
  return parts.join('');
}

/**
 * The dose track under the concentration chart, on the same time axis (same margins and y-axis
 * width), plain SVG: the pump rate in mg/kg/h as steps, each bolus as a marked line with its dose.
 */
export const DoseTrack = memo(function DoseTrack({ width, height, domain, track }: DoseTrackProps) {
  const yMax = niceCeil(Math.max(track.maxRate, 0.1) * 1.15);
  const g = useMemo(
    () => plotGeometry(width, height, TRACK_MARGIN, TRACK_X_AXIS_HEIGHT, domain, yMax),
    [width, height, domain, yMax],
  );
  const clip = `ketasim-dose-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const area = useMemo(() => stepAreaPath(track.steps, g.xs, g.ys), [track.steps, g]);
  return (
    <svg {...chartSvgAttrs(width, height)} aria-label="Dose track: pump rate in mg/kg/h and boluses over time">
      <defs>
        <clipPath id={clip}>
          <rect x={g.left} y={g.top} width={g.right - g.left} height={g.bottom - g.top} />
        </clipPath>
      </defs>
      <TimeAxis g={g} domain={domain} label={false} />
      <ValueAxis g={g} ticks={[0, yMax / 2, yMax]} name="mg/kg/h" fontSize={11} />
      <g clipPath={`url(#${clip})`}>
        <path
          d={area}
          className="dose-rate-area"
          stroke="#37474f"
          strokeWidth={1}
          fill="#90a4ae"
          fillOpacity={0.45}
          strokeLinejoin="round"
        >
          <title>pump rate (mg/kg/h)</title>
        </path>
      </g>
      {track.boluses.map((b, i) =>
        b.t >= domain[0] && b.t <= domain[1] ? (
          <g key={`${b.t}-${i}`} className="dose-bolus">
            <line x1={g.xs(b.t)} x2={g.xs(b.t)} y1={g.top} y2={g.bottom} stroke={BOLUS_COLOR} strokeWidth={2} />
            <text x={g.xs(b.t) + 5} y={g.top + 12} fontSize={11} fill={BOLUS_COLOR}>
              bolus {formatSig(b.mg, 3)} mg ({formatSig(b.mgPerKg, 3)} mg/kg)
            </text>
          </g>
        ) : null,
      )}
    </svg>
  );
});
