// Plain-SVG charts of the Validate view: observed vs predicted (log–log, identity line), PE against time, one subject's fit.
import { useRef, type ReactNode } from 'react';
import { useWidth } from '../hooks/use-width.ts';
import type { ValidatePoints, ValidateSubject } from '../../workers/validate-api.ts';
import { formatTick, linearTicks, logTicks } from './validate-format.ts';

/** One colour per model, in the order the models are listed (8 distinct; they repeat beyond). */
export const MODEL_COLOURS = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#4e342e', '#ad1457'];
export const colourOf = (i: number): string => MODEL_COLOURS[i % MODEL_COLOURS.length];

const HEIGHT = 320;
const M = { left: 64, right: 16, top: 12, bottom: 44 };

interface Axis {
  readonly lo: number;
  readonly hi: number;
  readonly log: boolean;
}
const scale = (a: Axis, from: number, to: number) => {
  const f = a.log ? Math.log10 : (x: number) => x;
  const l = f(a.lo),
    h = f(a.hi);
  return (x: number) => from + ((f(x) - l) / (h - l || 1)) * (to - from);
};

/** A log axis range covering positive values (whole decades). */
function logRange(values: readonly number[]): Axis {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (pos.length === 0) return { lo: 1, hi: 10, log: true };
  const lo = 10 ** Math.floor(Math.log10(Math.min(...pos)));
  let hi = 10 ** Math.ceil(Math.log10(Math.max(...pos)));
  if (hi <= lo) hi = lo * 10;
  return { lo, hi, log: true };
}

/** A linear axis range covering the values (and `include`), with a little room. */
function linRange(values: readonly number[], include: number[] = []): Axis {
  const xs = [...values.filter(Number.isFinite), ...include];
  if (xs.length === 0) return { lo: 0, hi: 1, log: false };
  let lo = Math.min(...xs),
    hi = Math.max(...xs);
  if (hi === lo) {
    hi = lo + 1;
    lo = lo - 1;
  }
  const pad = (hi - lo) * 0.04;
  return { lo: lo < 0 || lo - pad >= 0 ? lo - pad : 0, hi: hi + pad, log: false };
}

/** The frame of a chart: axes with ticks and labels, a clip path, and the plot in between. */
function Frame(props: {
  width: number;
  x: Axis;
  y: Axis;
  xLabel: string;
  yLabel: string;
  title: string;
  testId: string;
  children: (sx: (v: number) => number, sy: (v: number) => number) => ReactNode;
}) {
  const { width, x, y } = props;
  const sx = scale(x, M.left, width - M.right);
  const sy = scale(y, HEIGHT - M.bottom, M.top);
  const xt = x.log ? logTicks(x.lo, x.hi) : linearTicks(x.lo, x.hi);
  const yt = y.log ? logTicks(y.lo, y.hi) : linearTicks(y.lo, y.hi);
  const clip = `clip-${props.testId}`;
  return (
    <svg
      width={width}
      height={HEIGHT}
      viewBox={`0 0 ${width} ${HEIGHT}`}
      role="img"
      aria-label={props.title}
      data-testid={props.testId}
      className="validate-chart"
    >
      <defs>
        <clipPath id={clip}>
          <rect x={M.left} y={M.top} width={Math.max(0, width - M.left - M.right)} height={HEIGHT - M.top - M.bottom} />
        </clipPath>
      </defs>
      <g className="grid">
        {xt.map((t) => (
          <line key={`x${t}`} x1={sx(t)} x2={sx(t)} y1={M.top} y2={HEIGHT - M.bottom} />
        ))}
        {yt.map((t) => (
          <line key={`y${t}`} x1={M.left} x2={width - M.right} y1={sy(t)} y2={sy(t)} />
        ))}
      </g>
      <g className="axis">
        <line x1={M.left} x2={width - M.right} y1={HEIGHT - M.bottom} y2={HEIGHT - M.bottom} />
        <line x1={M.left} x2={M.left} y1={M.top} y2={HEIGHT - M.bottom} />
        {xt.map((t) => (
          <text key={`xl${t}`} x={sx(t)} y={HEIGHT - M.bottom + 16} textAnchor="middle">
            {formatTick(t)}
          </text>
        ))}
        {yt.map((t) => (
          <text key={`yl${t}`} x={M.left - 6} y={sy(t) + 4} textAnchor="end">
            {formatTick(t)}
          </text>
        ))}
        <text x={(M.left + width - M.right) / 2} y={HEIGHT - 6} textAnchor="middle" className="axis-label">
          {props.xLabel}
        </text>
        <text
          transform={`translate(14 ${(M.top + HEIGHT - M.bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
          className="axis-label"
        >
          {props.yLabel}
        </text>
      </g>
      <g clipPath={`url(#${clip})`}>{props.children(sx, sy)}</g>
    </svg>
  );
}

/** A chart's container: measures its width so the SVG is drawn at pixel resolution. */
function Sized({ children }: { children: (width: number) => ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  return (
    <div ref={ref} className="validate-chart-box">
      {width > 0 && children(width)}
    </div>
  );
}

export function Legend({ models }: { models: readonly { id: string; name: string }[] }) {
  return (
    <ul className="validate-legend" aria-label="Models (colours)">
      {models.map((m, i) => (
        <li key={m.id} data-model={m.id}>
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="5" fill={colourOf(i)} />
          </svg>{' '}
          {m.name}
        </li>
      ))}
    </ul>
  );
}

/** Observed DV against predicted Cp, both ng/mL on log axes, with the identity line (PE = 0). */
export function ObservedPredictedChart({ models, points }: { models: readonly string[]; points: readonly ValidatePoints[] }) {
  const all = points.flatMap((p) => [...p.dv, ...p.pred]);
  const axis = logRange(all);
  return (
    <Sized>
      {(width) => (
        <Frame
          width={width}
          x={axis}
          y={axis}
          xLabel="Predicted plasma concentration, ng/mL (log)"
          yLabel="Observed DV, ng/mL (log)"
          title="Observed against predicted concentration, log–log, with the identity line"
          testId="validate-obs-pred"
        >
          {(sx, sy) => (
            <>
              <line className="identity" x1={sx(axis.lo)} y1={sy(axis.lo)} x2={sx(axis.hi)} y2={sy(axis.hi)} />
              {points.map((p, m) => (
                <g key={models[m]} data-model={models[m]} fill={colourOf(m)}>
                  {Array.from(p.dv, (dv, i) => (
                    <circle key={i} className="vp-point" cx={sx(p.pred[i])} cy={sy(dv)} r={3} />
                  ))}
                </g>
              ))}
            </>
          )}
        </Frame>
      )}
    </Sized>
  );
}

/** PE (%) against time (h), one colour per model, with the zero line. */
export function PeTimeChart({ models, points }: { models: readonly string[]; points: readonly ValidatePoints[] }) {
  const x = linRange(
    points.flatMap((p) => [...p.tH]),
    [0],
  );
  const y = linRange(
    points.flatMap((p) => [...p.pe]),
    [0],
  );
  return (
    <Sized>
      {(width) => (
        <Frame
          width={width}
          x={x}
          y={y}
          xLabel="Time, h (TIME column)"
          yLabel="PE = 100·(DV − PRED)/PRED, %"
          title="Prediction error against time"
          testId="validate-pe-time"
        >
          {(sx, sy) => (
            <>
              <line className="identity" x1={sx(x.lo)} x2={sx(x.hi)} y1={sy(0)} y2={sy(0)} />
              {points.map((p, m) => (
                <g key={models[m]} data-model={models[m]} fill={colourOf(m)}>
                  {Array.from(p.pe, (pe, i) => (
                    <circle key={i} className="pe-point" cx={sx(p.tH[i])} cy={sy(pe)} r={3} />
                  ))}
                </g>
              ))}
            </>
          )}
        </Frame>
      )}
    </Sized>
  );
}

/** One subject's observations (DV) over each model's predicted plasma curve for its doses and covariates. */
export function SubjectChart({
  models,
  subject,
  logY,
}: {
  models: readonly string[];
  subject: ValidateSubject;
  /** Concentration on a log axis (values ≤ 0, before the first dose, are left out). */
  logY: boolean;
}) {
  const obs = subject.observations.filter((o): o is { tH: number; dv: number } => o.dv !== null && o.dv > 0);
  const x = linRange([...subject.curves.flatMap((c) => [...c.tH]), ...obs.map((o) => o.tH)]);
  const ys = [...subject.curves.flatMap((c) => [...c.cp]), ...obs.map((o) => o.dv)];
  const y = logY ? logRange(ys) : linRange(ys, [0]);
  /** The curve as a path; with a log axis a point ≤ 0 breaks the line. */
  const pathOf = (c: { tH: Float64Array; cp: Float64Array }, sx: (v: number) => number, sy: (v: number) => number) => {
    let d = '';
    let pen = false;
    for (let i = 0; i < c.tH.length; i++) {
      if (logY && !(c.cp[i] > 0)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${sx(c.tH[i]).toFixed(1)},${sy(c.cp[i]).toFixed(1)}`;
      pen = true;
    }
    return d;
  };
  return (
    <Sized>
      {(width) => (
        <Frame
          width={width}
          x={x}
          y={y}
          xLabel="Time, h (TIME column)"
          yLabel={`Plasma concentration, ng/mL${logY ? ' (log)' : ''}`}
          title={`Subject ${subject.id}: observations over the predicted curves`}
          testId="validate-subject"
        >
          {(sx, sy) => (
            <>
              {subject.curves.map((c, m) => (
                <path
                  key={models[m]}
                  data-model={models[m]}
                  className="subject-curve"
                  stroke={colourOf(m)}
                  d={pathOf(c, sx, sy)}
                />
              ))}
              {subject.doses.map((d, i) => (
                <line
                  key={`d${i}`}
                  className="dose-mark"
                  x1={sx(d.tH)}
                  x2={sx(d.tH)}
                  y1={HEIGHT - M.bottom}
                  y2={HEIGHT - M.bottom - 8}
                />
              ))}
              {obs.map((o, i) => (
                <circle key={i} className="subject-obs" cx={sx(o.tH)} cy={sy(o.dv)} r={3.5} />
              ))}
            </>
          )}
        </Frame>
      )}
    </Sized>
  );
}
