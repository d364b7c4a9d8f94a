// `LiveChart`/`liveSeries`: given (solid) and forecast (dashed) Cp/Ce with optional what-if ghosts.
import { memo, useId, useMemo, useRef, useState } from 'react';
import {
  ConcentrationChart,
  MARGIN,
  PLOT_LEFT,
  X_AXIS_HEIGHT,
  type ChartBand,
  type ChartSeries,
} from '../chart/ConcentrationChart.tsx';
import { CE_COLOR, CP_COLOR } from '../chart/ChartPanel.tsx';
import { LOG_AXIS_MIN_NG_ML, niceCeil } from '../chart/scales.ts';
import type { LiveAnalysis, LiveSeries } from '../../workers/live-api.ts';
import { bandColor, bandName } from './live-model.ts';
import { useWidth } from '../hooks/use-width.ts';

/** Colours of the what-if ghost curves (Ce only). */
export const GHOST_COLORS = { paused: '#ef6c00', stopped: '#546e7a', rate: '#00897b' } as const;

export interface GhostToggles {
  readonly paused: boolean;
  readonly stopped: boolean;
  readonly rate: boolean;
}

const CHART_HEIGHT = 340;

/** The chart's series: given (solid) and forecast (dashed) Cp and Ce, and the what-if ghosts shown. */
export function liveSeries(a: LiveAnalysis, ghosts: GhostToggles): ChartSeries[] {
  const out: ChartSeries[] = [];
  const ghost = (id: string, name: string, s: LiveSeries, color: string) =>
    out.push({ id, name, t: s.t, v: s.ce, color, width: 1.8, dash: '2 4', className: `series-ghost series-ghost-${id}` });
  const { paused, stopped, rates } = a.whatIfs;
  if (ghosts.stopped && stopped.ok) ghost('stopped', 'If stopped now: Ce', stopped.series, GHOST_COLORS.stopped);
  if (ghosts.paused && paused.ok) ghost('paused', 'If paused now: Ce', paused.series, GHOST_COLORS.paused);
  const rate = rates[0];
  if (ghosts.rate && rate?.ok) ghost('rate', 'If set to the what-if rate now: Ce', rate.series, GHOST_COLORS.rate);
  out.push({
    id: 'forecast-cp',
    name: 'Cp forecast (ng/mL)',
    t: a.forecastSeries.t,
    v: a.forecastSeries.cp,
    color: CP_COLOR,
    width: 1.4,
    dash: '6 4',
    className: 'series-forecast-cp',
  });
  out.push({
    id: 'forecast-ce',
    name: 'Ce forecast (ng/mL)',
    t: a.forecastSeries.t,
    v: a.forecastSeries.ce,
    color: CE_COLOR,
    width: 2.4,
    dash: '6 4',
    className: 'series-forecast-ce',
  });
  out.push({
    id: 'given-cp',
    name: 'Cp so far (ng/mL)',
    t: a.givenSeries.t,
    v: a.givenSeries.cp,
    color: CP_COLOR,
    width: 1.6,
    className: 'series-given-cp',
  });
  out.push({
    id: 'given-ce',
    name: 'Ce so far (ng/mL)',
    t: a.givenSeries.t,
    v: a.givenSeries.ce,
    color: CE_COLOR,
    width: 2.8,
    className: 'series-given-ce',
  });
  return out;
}

function maxOf(series: readonly ChartSeries[]): number {
  let m = 0;
  for (const s of series) for (let i = 0; i < s.v.length; i++) if (s.v[i] > m) m = s.v[i];
  return m;
}

/**
 * The y-axis choice of the live chart: the plan chart's choices (fit the curves, every band, logarithmic)
 * plus a fixed top, so a clinician can hold one scale through a session.
 */
export type LiveYAxis =
  | { readonly kind: 'fit' }
  | { readonly kind: 'bands' }
  | { readonly kind: 'log' }
  | { readonly kind: 'fixed'; readonly maxNgMl: number };

/** Top of the y axis, ng/mL, for a choice: all curves (also on the log axis), the bands (highest finite bound + 20 %), or a fixed top. */
export function liveYMax(axis: LiveYAxis, seriesMax: number, bands: readonly { y1: number; y2: number | null }[]): number {
  if (axis.kind === 'fixed') return axis.maxNgMl;
  if (axis.kind === 'bands') {
    const bounds = bands.flatMap((b) => (b.y2 === null ? [b.y1] : [b.y1, b.y2]));
    if (bounds.length > 0) return niceCeil(Math.max(...bounds) * 1.2);
  }
  return niceCeil(Math.max(seriesMax, 1) * 1.1);
}

export interface LiveChartProps {
  readonly analysis: LiveAnalysis;
  readonly ghosts: GhostToggles;
  /** Session minutes now (moves the "now" line every tick without redrawing the chart). */
  readonly nowMin: number;
}

/**
 * The live chart: what was given up to now (solid), the forecast after it (dashed), a "now" line, the
 * bands behind, and the what-if ghosts (dotted, Ce). The chart itself is memoised on the analysis; the
 * once-a-second tick only moves the HTML "now" line over it.
 */
export const LiveChart = memo(function LiveChart({ analysis, ghosts, nowMin }: LiveChartProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const width = useWidth(boxRef);
  const series = useMemo(() => liveSeries(analysis, ghosts), [analysis, ghosts]);
  const bands = useMemo(
    () =>
      analysis.bands.map(
        (b): ChartBand => ({
          id: b.id,
          name: `${bandName(b.id)} ${b.lowNgMl}–${b.highNgMl ?? '∞'} ng/mL`,
          y1: b.lowNgMl,
          y2: b.highNgMl ?? null,
          color: bandColor(b.id),
        }),
      ),
    [analysis.bands],
  );
  const [axis, setAxis] = useState<LiveYAxis>({ kind: 'fit' });
  const [fixedText, setFixedText] = useState('300');
  const axisIds = { mode: useId(), max: useId() };
  const fixedVal = Number(fixedText.trim().replace(',', '.'));
  const fixedError =
    axis.kind === 'fixed' && !(fixedText.trim() !== '' && Number.isFinite(fixedVal) && fixedVal > 0 && fixedVal <= 100000)
      ? `Y-axis top: must be a number > 0 and ≤ 100000 ng/mL, got ${JSON.stringify(fixedText)}`
      : null;
  const effectiveAxis: LiveYAxis =
    axis.kind === 'fixed' && !fixedError ? { kind: 'fixed', maxNgMl: fixedVal } : axis.kind === 'fixed' ? { kind: 'fit' } : axis;
  const seriesMax = useMemo(() => maxOf(series), [series]);
  const yMax = liveYMax(effectiveAxis, seriesMax, bands);
  const domain = useMemo(
    () => [analysis.domain.startMin, analysis.domain.endMin] as const,
    [analysis.domain.startMin, analysis.domain.endMin],
  );
  const plotW = Math.max(1, width - PLOT_LEFT - MARGIN.right);
  const x = PLOT_LEFT + ((nowMin - domain[0]) / Math.max(1e-9, domain[1] - domain[0])) * plotW;
  const inView = nowMin >= domain[0] && nowMin <= domain[1];
  return (
    <div className="live-chart">
      <div className="live-y-axis" role="group" aria-label="Y axis">
        <label htmlFor={axisIds.mode}>
          Y axis (ng/mL, {effectiveAxis.kind === 'log' ? `logarithmic from ${LOG_AXIS_MIN_NG_ML}` : 'linear from 0'})
        </label>
        <select
          id={axisIds.mode}
          value={axis.kind}
          data-testid="live-y-axis"
          onChange={(e) => setAxis({ kind: e.target.value as 'fit' } as LiveYAxis)}
        >
          <option value="fit">Fit all curves</option>
          <option value="bands">Zoom to the bands (highest bound + 20 %)</option>
          <option value="log">Logarithmic ({LOG_AXIS_MIN_NG_ML} ng/mL up)</option>
          <option value="fixed">Fixed top…</option>
        </select>
        {axis.kind === 'fixed' ? (
          <>
            <label htmlFor={axisIds.max}>Top</label>
            <input
              id={axisIds.max}
              type="text"
              inputMode="decimal"
              value={fixedText}
              data-testid="live-y-max"
              aria-invalid={fixedError ? true : undefined}
              onChange={(e) => setFixedText(e.target.value)}
            />{' '}
            ng/mL
          </>
        ) : null}
        <span className="muted" data-testid="live-y-top">
          top {yMax} ng/mL{seriesMax > yMax ? ' (higher values are cut off)' : ''}
        </span>
        {fixedError ? (
          <span className="field-error" role="alert">
            {fixedError}
          </span>
        ) : null}
      </div>
      <ul className="legend" aria-label="Legend">
        <li>
          <span className="swatch line thick" style={{ borderColor: CE_COLOR }} /> Ce, effect site: solid = so far, dashed =
          forecast (ng/mL)
        </li>
        <li>
          <span className="swatch line" style={{ borderColor: CP_COLOR }} /> Cp, plasma: solid = so far, dashed = forecast (ng/mL)
        </li>
        {ghosts.paused ? (
          <li>
            <span className="swatch line dotted" style={{ borderColor: GHOST_COLORS.paused }} /> if paused now (Ce)
          </li>
        ) : null}
        {ghosts.stopped ? (
          <li>
            <span className="swatch line dotted" style={{ borderColor: GHOST_COLORS.stopped }} /> if stopped now (Ce)
          </li>
        ) : null}
        {ghosts.rate ? (
          <li>
            <span className="swatch line dotted" style={{ borderColor: GHOST_COLORS.rate }} /> if set to the what-if rate (Ce)
          </li>
        ) : null}
      </ul>
      <div
        ref={boxRef}
        className="chart-box"
        data-testid="live-chart"
        role="img"
        aria-label={`Concentrations from the session start to ${Math.round(domain[1])} min: solid lines what was given up to now (${nowMin.toFixed(1)} min), dashed lines the forecast if nothing more is recorded, dotted lines the what-ifs.`}
      >
        {width > 0 ? (
          <>
            <ConcentrationChart
              width={width}
              height={CHART_HEIGHT}
              domain={domain}
              yMax={yMax}
              series={series}
              bands={bands}
              yScale={effectiveAxis.kind === 'log' ? 'log' : 'linear'}
            />
            {inView ? (
              <div
                className="live-now-line"
                data-testid="live-now-line"
                style={{ left: x, top: MARGIN.top, height: CHART_HEIGHT - MARGIN.top - MARGIN.bottom - X_AXIS_HEIGHT }}
              >
                <span>now</span>
              </div>
            ) : null}
          </>
        ) : (
          <div style={{ height: CHART_HEIGHT }} />
        )}
      </div>
    </div>
  );
});
