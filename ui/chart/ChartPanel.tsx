// `ChartPanel`: Cp/Ce (and a model's metabolite) chart with bands, dose track, hover readout, drag zoom, display options; `bandStyle`, `bandsContaining`.
import { useWidth } from '../hooks/use-width.ts';
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import { ANTIDEPRESSANT_MARKER, DEFAULT_BANDS } from '../../engine/pd/racemic-bands.ts';
import type { Band } from '../../engine/plan.ts';
import type { FullSeriesOutcome, ScenarioOk, SimulateResponse } from '../../workers/simulation-api.ts';
import { isAbortError } from '../../workers/simulation-client.ts';
import { useApp, useResults, useScenario } from '../context.ts';
import { setDisplay, setView, zoom } from '../state/actions.ts';
import type { DisplayOptions, PinnedScenario } from '../state/scenario.ts';
import { current, currentOf, type Results } from '../state/simulation.ts';
import { populationOverlayStore } from '../state/population.ts';
import { useStore } from '../state/store.ts';

import { clock, conc, formatMin } from '../format.ts';
import {
  chartGeometry,
  ConcentrationChart,
  seriesPathData,
  MARGIN,
  PLOT_LEFT,
  type ChartBand,
  type ChartSeries,
  type ChartRefLine,
} from './ConcentrationChart.tsx';
import { DoseTrack } from './DoseTrack.tsx';
import { doseTrack, logCeil, maxOf, nearestSample, niceCeil, type DoseTrack as Track } from './scales.ts';
import { CE_COLOR, CP_COLOR, chartLegend } from './legend.ts';
import {
  CM_COLOR,
  CM_DASH,
  metabolitePreference,
  metaboliteSeriesName,
  metaboliteToggle,
  peakInWindow,
  rememberMetabolite,
  shownMetabolite,
} from './metabolite.ts';
import { editedLabel } from '../state/scenario.ts';
import { paintFirst } from './paint-first.ts';
import type { BandSetInfo } from '../../workers/simulation-api.ts';

const CHART_HEIGHT = 360;
const TRACK_HEIGHT = 96;
export { CE_COLOR, CP_COLOR };

/**
 * Colour and display name of a band id: from the plan's drug's band set when given (an S-ketamine model's
 * own bands, sent by the worker), else the racemic defaults', else the id in grey.
 */
export function bandStyle(id: string, set?: BandSetInfo | null): { name: string; color: string } {
  const d = set?.bands.find((b) => b.id === id) ?? DEFAULT_BANDS.find((b) => b.id === id);
  return d ? { name: d.name, color: d.color } : { name: id, color: '#757575' };
}

/** The bands Ce is in at a concentration (bands overlap, so possibly several). */
export function bandsContaining(bands: readonly Band[], ce: number): Band[] {
  return bands.filter((b) => ce >= b.lowNgMl && (b.highNgMl === undefined || ce < b.highNgMl));
}

interface ChartModel {
  readonly domain: readonly [number, number];
  readonly series: readonly ChartSeries[];
  readonly bands: readonly ChartBand[];
  /** Largest value to show, ng/mL, before rounding (the y axis top is niceCeil of it, with any population overlay's max). */
  readonly top: number;
  /** Reference lines of the plan's drug (the racemic antidepressant marker, or the S-ketamine levels). */
  readonly refLines: readonly ChartRefLine[];
}

const REF_LINES: readonly ChartRefLine[] = [
  {
    id: ANTIDEPRESSANT_MARKER.id,
    y: ANTIDEPRESSANT_MARKER.ngMl,
    color: '#8d6e63',
    name: `${ANTIDEPRESSANT_MARKER.ngMl} ng/mL reference level`,
  },
];

/** Everything the concentration chart draws, derived from one response (memoised on it). */
function chartModel(
  shown: SimulateResponse | null,
  pinned: readonly PinnedScenario[],
  display: DisplayOptions,
  metaboliteOn: boolean,
): ChartModel | null {
  const cur = shown?.outcomes[0];
  if (!shown || !cur?.ok) return null;
  const domain = [shown.domain.startMin, shown.domain.endMin] as const;
  const series: ChartSeries[] = [];
  const values: Float64Array[] = [cur.series.cp, cur.series.ce];
  shown.outcomes.slice(1).forEach((o, i) => {
    const p = pinned[i];
    if (!o.ok || !p) return;
    if (display.compareSeries !== 'cp') {
      series.push({
        id: `pin-ce-${p.id}`,
        name: `${p.label}: Ce`,
        t: o.series.t,
        v: o.series.ce,
        color: p.color,
        width: 1.8,
        dash: '7 4',
        className: 'series-pinned',
      });
      values.push(o.series.ce);
    }
    if (display.compareSeries !== 'ce') {
      series.push({
        id: `pin-cp-${p.id}`,
        name: `${p.label}: Cp`,
        t: o.series.t,
        v: o.series.cp,
        color: p.color,
        width: 1.2,
        dash: '2 3',
        className: 'series-pinned',
      });
      values.push(o.series.cp);
    }
  });
  // The metabolite under the parent's curves: its own colour and dash, and it sizes the y axis only while drawn.
  const m = shownMetabolite(metaboliteOn, cur.model.metabolite, cur.series);
  if (m) {
    series.push({
      id: 'cm',
      name: `${metaboliteSeriesName(m.info)} (metabolite in plasma), ng/mL`,
      t: cur.series.t,
      v: m.cm,
      color: CM_COLOR,
      width: 1.8,
      dash: CM_DASH,
      className: 'series-cm',
    });
    values.push(m.cm);
  }
  series.push({
    id: 'cp',
    name: 'Cp (plasma), ng/mL',
    t: cur.series.t,
    v: cur.series.cp,
    color: CP_COLOR,
    width: 1.6,
    className: 'series-cp',
  });
  series.push({
    id: 'ce',
    name: 'Ce (effect site), ng/mL',
    t: cur.series.t,
    v: cur.series.ce,
    color: CE_COLOR,
    width: 2.6,
    className: 'series-ce',
  });
  const bandTop = maxOf(cur.bands.map((b) => b.highNgMl ?? b.lowNgMl));
  const top = Math.max(display.yRange === 'bands' ? bandTop : 0, maxOf(...values), 1);
  return { domain, series, bands: chartBands(cur.bands, cur.bandSet), top, refLines: refLinesOf(cur.bandSet) };
}

/** Reference lines for a band set: the racemic marker (one constant), or the S-ketamine levels (memoised on the set). */
let lastRefs: { key: string; value: readonly ChartRefLine[] } = { key: '', value: [] };
function refLinesOf(set: BandSetInfo): readonly ChartRefLine[] {
  if (set.drug === 'racemic') return REF_LINES;
  const key = JSON.stringify(set.references.map((r) => [r.id, r.ngMl]));
  if (key !== lastRefs.key)
    lastRefs = {
      key,
      value: set.references.map((r) => ({ id: r.id, y: r.ngMl, color: '#8d6e63', name: `${r.ngMl} ng/mL: ${r.name}` })),
    };
  return lastRefs.value;
}

/** Band areas, memoised on their content so the chart frame is not rebuilt by an edit. */
let lastBands: { key: string; value: readonly ChartBand[] } = { key: '', value: [] };
function chartBands(bands: readonly Band[], set: BandSetInfo): readonly ChartBand[] {
  const key = JSON.stringify([bands, set.drug]);
  if (key !== lastBands.key)
    lastBands = { key, value: bands.map((b) => ({ id: b.id, ...bandStyle(b.id, set), y1: b.lowNgMl, y2: b.highNgMl ?? null })) };
  return lastBands.value;
}

/** The dose track of the shown prediction, memoised on the actions, weight and window. */
function useDoseTrack(shown: SimulateResponse | null): Track | null {
  const cur = shown?.outcomes[0];
  const key = cur?.ok ? JSON.stringify([cur.actions, cur.plan.patient.weightKg, shown!.domain.endMin]) : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the doses' content (`key`), not on the response object
  return useMemo(() => {
    if (!cur?.ok) return null;
    return doseTrack(cur.actions, cur.plan.patient.weightKg, shown!.domain.endMin);
    // Keyed on the content: a new response with the same doses keeps the same track object.
  }, [key]);
}

/** The dose track, from the panels' copy of the results (it may follow the chart by one task). */
function DoseTrackPanel({ width }: { width: number }) {
  const shown = useResults((r) => r.shown);
  const track = useDoseTrack(shown);
  const domain = useStableDomain(shown ? [shown.domain.startMin, shown.domain.endMin] : null);
  if (!track || !domain) return <div style={{ height: TRACK_HEIGHT }} />;
  return <DoseTrack width={width} height={TRACK_HEIGHT} domain={domain} track={track} />;
}

/** A [start, end] pair that keeps its identity while its values do not change. */
function useStableDomain(d: readonly [number, number] | null): readonly [number, number] | null {
  const ref = useRef<readonly [number, number] | null>(null);
  if (!d) return ref.current;
  if (!ref.current || ref.current[0] !== d[0] || ref.current[1] !== d[1]) ref.current = d;
  return ref.current;
}

/** Top of the y axis, ng/mL: the model's largest value and any population overlay's, rounded up (linear: 5 % headroom). */
export const chartYMax = (top: number, populationMax: number, log: boolean): number =>
  (log ? logCeil : niceCeil)(Math.max(top, populationMax) * (log ? 1 : 1.05));

/** What the chart shows, as last rendered by React (the fast path draws only what keeps all of it). */
interface Drawn {
  readonly shown: SimulateResponse;
  readonly pinned: readonly PinnedScenario[];
  readonly display: DisplayOptions;
  readonly metaboliteOn: boolean;
  readonly width: number;
  readonly domain: readonly [number, number];
  readonly yMax: number;
  readonly ids: string;
}

/**
 * The fast path of an edit's curve: draw a new answer's series paths into the rendered chart at once,
 * in the task that receives it, before React renders anything (see ./paint-first.ts). Only when the
 * answer keeps what React drew (the window, the y axis, the plot width, the display options, the pinned
 * plans and the list of series): then only the `d` of each path changes, and the string is the one
 * React's render builds (chartModel, chartYMax, chartGeometry and seriesPathData, shared). Otherwise
 * nothing is touched and false is returned (React renders the answer at once).
 */
function paintSeries(
  r: Results,
  drawn: Drawn | null,
  box: HTMLElement | null,
  display: DisplayOptions,
  metaboliteOn: boolean,
  populationMax: number,
): boolean {
  if (!drawn || !box || !r.shown || r.shownPinned !== drawn.pinned) return false;
  if (display !== drawn.display || metaboliteOn !== drawn.metaboliteOn) return false;
  const model = chartModel(r.shown, r.shownPinned, display, metaboliteOn);
  if (!model || model.domain[0] !== drawn.domain[0] || model.domain[1] !== drawn.domain[1]) return false;
  const log = display.yRange === 'log';
  const yMax = chartYMax(model.top, populationMax, log);
  if (yMax !== drawn.yMax || model.series.map((x) => x.id).join(' ') !== drawn.ids) return false;
  const paths = new Map<string, Element>();
  for (const el of box.querySelectorAll('svg g.ketasim-series > path[data-series]'))
    paths.set(el.getAttribute('data-series') ?? '', el);
  if (model.series.some((x) => !paths.has(x.id))) return false;
  const g = chartGeometry(drawn.width, CHART_HEIGHT, drawn.domain, yMax, log ? 'log' : 'linear');
  for (const x of model.series) {
    const d = seriesPathData(x.t, x.v, g.xs, g.ys);
    const el = paths.get(x.id)!;
    if (el.getAttribute('d') !== d) el.setAttribute('d', d);
  }
  return true;
}

/** The chart area: Cp/Ce with bands, the dose track, hover readout, zoom and display options. */
export const ChartPanel = memo(function ChartPanel() {
  const { layout, scenario, results } = useApp();
  // The chart's copy of the results: an answer the fast path painted reaches this render after its frame.
  const [chartResults] = useState(() => paintFirst(results));
  const shown = useStore(chartResults, (r) => r.shown);
  const shownPinned = useStore(chartResults, (r) => r.shownPinned);
  const display = useScenario((s) => s.display);
  const metaboliteOn = useMetaboliteOn();
  const boxRef = useRef<HTMLDivElement>(null);
  const drawnRef = useRef<Drawn | null>(null);
  const onZoom = useCallback((v: { startMin: number; endMin: number }) => scenario.set((s) => setView(s, v)), [scenario]);
  const width = useWidth(boxRef);
  const plotWidth = Math.max(50, width - PLOT_LEFT - MARGIN.right);
  useEffect(() => {
    if (width > 0) layout.set((l) => (l.plotWidthPx === plotWidth ? l : { plotWidthPx: plotWidth }));
  }, [layout, width, plotWidth]);
  const model = useMemo(() => chartModel(shown, shownPinned, display, metaboliteOn), [shown, shownPinned, display, metaboliteOn]);
  // The population overlay draws itself (ConcentrationChart `overlay`); the chart re-renders for it only
  // when it moves the top of the y axis.
  const populationMax = useStore(populationOverlayStore, (o) => o?.max ?? 0);
  const log = display.yRange === 'log';
  const yMax = model ? chartYMax(model.top, populationMax, log) : 1;
  const domain = useStableDomain(model?.domain ?? null);
  // What this render draws, for the fast path (only once the chart is on screen).
  const drawn: Drawn | null =
    model && domain && shown && width > 0
      ? { shown, pinned: shownPinned, display, metaboliteOn, width, domain, yMax, ids: model.series.map((x) => x.id).join(' ') }
      : null;
  useLayoutEffect(() => {
    drawnRef.current = drawn;
  });
  useLayoutEffect(() => {
    let painted: SimulateResponse | null = null;
    return chartResults.connect((r) => {
      if (r.shown === drawnRef.current?.shown) return false; // no new answer (e.g. the busy flag): nothing to draw
      if (r.shown !== null && r.shown === painted) return true; // drawn already; React follows after the frame
      const display = scenario.get().display;
      const ok = paintSeries(
        r,
        drawnRef.current,
        boxRef.current,
        display,
        metaboliteToggle(display, metabolitePreference.get()),
        populationOverlayStore.get()?.max ?? 0,
      );
      painted = ok ? r.shown : null;
      return ok;
    });
  }, [chartResults, scenario]);

  return (
    <section className="panel chart-panel" aria-labelledby="chart-h">
      <div className="panel-head">
        <h2 id="chart-h">Predicted concentrations</h2>
        <ChartOptions />
      </div>
      <Legend />
      <MetaboliteNote />
      <div ref={boxRef} className="chart-box" id="chart-export" data-testid="chart">
        {model && domain && width > 0 ? (
          <>
            <Readout domain={domain} />
            <ConcentrationChart
              width={width}
              height={CHART_HEIGHT}
              domain={domain}
              yMax={yMax}
              series={model.series}
              bands={model.bands}
              refLines={model.refLines}
              overlay={populationOverlayStore}
              yScale={log ? 'log' : 'linear'}
            />
            <DoseTrackPanel width={width} />
            <Overlay domain={domain} width={width} height={CHART_HEIGHT + TRACK_HEIGHT} onZoom={onZoom} />
          </>
        ) : (
          <div className="chart-placeholder" style={{ height: CHART_HEIGHT + TRACK_HEIGHT }}>
            <span className="spinner" aria-hidden="true" /> Starting the simulation engine…
          </div>
        )}
      </div>
      {domain ? <ZoomControls domain={domain} /> : null}
    </section>
  );
});

function ChartOptions() {
  const { scenario } = useApp();
  const display = useScenario((s) => s.display);
  return (
    <div className="chart-options">
      <label>
        Y axis{' '}
        <select
          value={display.yRange}
          onChange={(e) => scenario.set((s) => setDisplay(s, { yRange: e.target.value as DisplayOptions['yRange'] }))}
        >
          <option value="data">fit the curves</option>
          <option value="bands">show every band</option>
          <option value="log">logarithmic (1 ng/mL up)</option>
        </select>
      </label>
      <MetaboliteToggle />
    </div>
  );
}

/** Whether the metabolite series is on (the scenario's choice, else this browser's remembered one); the PNG legend reads it too. */
export function useMetaboliteOn(): boolean {
  const display = useScenario((s) => s.display);
  return metaboliteToggle(
    display,
    useStore(metabolitePreference, (v) => v),
  );
}

/**
 * The metabolite toggle (off by default): a checkbox naming the model's metabolite, or, for a model without
 * one, a disabled checkbox and the reason. The choice is remembered in this browser (ui/chart/metabolite.ts).
 */
function MetaboliteToggle() {
  const { scenario } = useApp();
  const on = useMetaboliteOn();
  const cur = useResults((r) => current(r));
  const reasonId = useId();
  if (!cur) return null;
  const info = cur.model.metabolite;
  return (
    <span className="metabolite-toggle">
      <label>
        <input
          type="checkbox"
          data-testid="metabolite-toggle"
          checked={info !== null && on}
          disabled={info === null}
          aria-describedby={info === null ? reasonId : undefined}
          onChange={(e) => {
            const v = e.target.checked;
            rememberMetabolite(v);
            scenario.set((s) => setDisplay(s, { metabolite: v }));
          }}
        />{' '}
        {info
          ? `Show ${metaboliteSeriesName(info)} (metabolite${info.volume === 'apparent' && !/apparent/.test(info.name) ? ', apparent' : ''})`
          : 'Show metabolite'}
      </label>
      {info === null ? (
        <span id={reasonId} className="muted" data-testid="metabolite-unavailable">
          {' '}
          (not available: {cur.model.id === null ? 'a custom model' : cur.model.name} predicts no metabolite)
        </span>
      ) : null}
    </span>
  );
}

/**
 * While the metabolite is drawn: what it is (unit, amount scale, "apparent" where the source's volumes are
 * apparent), that it is not scored against the bands, its peak in the window, and where its parameters come from.
 */
function MetaboliteNote() {
  const on = useMetaboliteOn();
  const shown = useResults((r) => r.shown);
  const cur = currentOf(shown);
  const m = cur ? shownMetabolite(on, cur.model.metabolite, cur.series) : null;
  if (!shown || !cur || !m) return null;
  const name = metaboliteSeriesName(m.info);
  const apparent = m.info.volume === 'apparent';
  const { startMin, endMin } = shown.domain;
  const peak = peakInWindow(cur.series.t, m.cm, startMin, endMin);
  return (
    <div className="metabolite-note hint" data-testid="metabolite-note" data-apparent={apparent || undefined}>
      <p style={{ margin: '0 0 2px' }}>
        <strong>{name}</strong>: the model’s metabolite in plasma, ng/mL ({m.info.amount}).{' '}
        {apparent ? (
          <>
            <strong>Apparent scale</strong> (V/F and CL/F of the source: no metabolite was given IV), not a measured
            concentration.{' '}
          </>
        ) : null}
        Not scored against the ketamine bands: the bands and the metrics are for the parent drug only.{' '}
        <span data-testid="metabolite-peak">
          {peak
            ? `Peak ${name} (metabolite) in ${formatMin(startMin)}–${formatMin(endMin)} min: ${conc(peak.ngMl)} at ${formatMin(peak.tMin)} min`
            : `No ${name} sample in ${formatMin(startMin)}–${formatMin(endMin)} min`}
        </span>
        .
      </p>
      <details className="source" style={{ margin: '0 0 4px' }}>
        <summary>Where the {name} parameters come from</summary>
        <p data-testid="metabolite-source">
          {m.info.source}. Model: {m.info.citation} {m.info.note}
        </p>
      </details>
    </div>
  );
}

function Legend() {
  const pinned = useScenario((s) => s.pinned);
  const compare = useScenario((s) => s.display.compareSeries);
  const cur = useResults((r) => current(r));
  const metaboliteOn = useMetaboliteOn();
  const m = cur ? shownMetabolite(metaboliteOn, cur.model.metabolite, cur.series) : null;
  const items = chartLegend(cur ? editedLabel(cur.plan, cur.model.name) : null, pinned, compare, m?.info ?? null);
  const sKetamine = cur?.bandSet.drug === 's-ketamine';
  return (
    <ul className="legend" aria-label="Legend" data-testid="legend">
      {items.map((l) => (
        <li key={l.id} data-legend={l.id}>
          <span
            className={`swatch line${l.dash ? ' dashed' : ''}${l.id === 'ce' ? ' thick' : ''}`}
            style={{ borderColor: l.color }}
          />{' '}
          {l.id === 'cp' || l.id === 'ce' ? `${l.label.replace(' — ', ', ng/mL — ')}` : l.label}
        </li>
      ))}
      <PopulationLegend />
      {cur?.plan.thresholds?.length ? (
        <li data-legend="plan-bands" data-testid="legend-plan-bands">
          <span className="swatch area" style={{ background: '#757575', opacity: 0.35 }} />{' '}
          <strong className="plan-own">Plan’s own bands</strong> (from this plan or link, not the cited defaults):{' '}
          {cur.plan.thresholds
            .map((b) => `${bandStyle(b.id, cur.bandSet).name} ${b.lowNgMl}–${b.highNgMl ?? '∞'} ng/mL`)
            .join('; ')}
        </li>
      ) : null}
      {sKetamine ? (
        <li data-legend="s-ketamine-references">
          <span className="swatch line dashed" style={{ borderColor: '#8d6e63' }} /> S-ketamine reference levels (lines, not
          ranges): {cur.bandSet.references.map((r) => `${r.ngMl} ng/mL ${r.name}`).join('; ')}
        </li>
      ) : (
        <li>
          <span className="swatch line dashed" style={{ borderColor: '#8d6e63' }} /> {ANTIDEPRESSANT_MARKER.ngMl} ng/mL:{' '}
          {ANTIDEPRESSANT_MARKER.name.toLowerCase()} (not an efficacy threshold; {ANTIDEPRESSANT_MARKER.citation})
        </li>
      )}
    </ul>
  );
}

/** Legend entries of the population overlay, while it is shown. */
function PopulationLegend() {
  const overlay = useStore(populationOverlayStore, (o) => o);
  if (!overlay) return null;
  return (
    <>
      {overlay.areas.map((a) => (
        <li key={a.id} data-testid="population-legend">
          <span className="swatch area" style={{ background: a.color, opacity: Math.min(1, a.opacity * 2.5) }} /> {a.name}
        </li>
      ))}
      {overlay.lines.map((l) => (
        <li key={l.id}>
          <span className="swatch line dashed" style={{ borderColor: l.color }} /> {l.name}
        </li>
      ))}
    </>
  );
}

/** Shared hover state: the time under the pointer or keyboard cursor, min (null = none). */
const hoverListeners = new Set<(t: number | null) => void>();
let hoverT: number | null = null;
function setHover(t: number | null) {
  hoverT = t;
  for (const l of hoverListeners) l(t);
}
function useHover(): number | null {
  const [t, setT] = useState(hoverT);
  useEffect(() => {
    hoverListeners.add(setT);
    return () => void hoverListeners.delete(setT);
  }, []);
  return t;
}

/** Time (min) at an x offset in the chart box. */
const timeAt = (x: number, domain: readonly [number, number], width: number): number => {
  const plotW = Math.max(1, width - PLOT_LEFT - MARGIN.right);
  const f = Math.min(1, Math.max(0, (x - PLOT_LEFT) / plotW));
  return domain[0] + f * (domain[1] - domain[0]);
};
const xAt = (t: number, domain: readonly [number, number], width: number): number =>
  PLOT_LEFT + ((t - domain[0]) / (domain[1] - domain[0])) * Math.max(1, width - PLOT_LEFT - MARGIN.right);

/** Transparent layer over the charts: pointer and keyboard cursor, drag to zoom. */
function Overlay({
  domain,
  width,
  height,
  onZoom,
}: {
  domain: readonly [number, number];
  width: number;
  height: number;
  onZoom: (v: { startMin: number; endMin: number }) => void;
}) {
  const { scenario, results } = useApp();
  const t = useHover();
  const [drag, setDrag] = useState<{ x0: number; x1: number } | null>(null);
  const offsetX = (e: MouseEvent) => e.clientX - (e.currentTarget as HTMLElement).getBoundingClientRect().left;
  const step = (domain[1] - domain[0]) / Math.max(1, width - PLOT_LEFT - MARGIN.right);
  const horizon = current(results.get())?.plan.horizonMin ?? domain[1];
  const onKey = (e: KeyboardEvent) => {
    const at = t ?? domain[0];
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const d = (e.key === 'ArrowRight' ? 1 : -1) * step * (e.shiftKey ? 20 : 2);
      setHover(Math.min(domain[1], Math.max(domain[0], at + d)));
    } else if (e.key === '+' || e.key === '=')
      scenario.set((s) => zoom(s, { startMin: domain[0], endMin: domain[1] }, 0.5, at, horizon));
    else if (e.key === '-') scenario.set((s) => zoom(s, { startMin: domain[0], endMin: domain[1] }, 2, at, horizon));
    else if (e.key === '0') scenario.set((s) => setView(s, null));
    else if (e.key === 'Escape') setHover(null);
    else return;
    e.preventDefault();
  };
  return (
    <div
      className="chart-overlay"
      style={{ width, height }}
      tabIndex={0}
      role="group"
      data-testid="chart-overlay"
      aria-label="Chart cursor: left and right arrows move the readout (shift for larger steps), + and − zoom around it, 0 shows the whole horizon. Drag with a mouse to zoom to a time window."
      onMouseMove={(e) => {
        const x = offsetX(e);
        setHover(timeAt(x, domain, width));
        if (drag) setDrag({ ...drag, x1: x });
      }}
      onMouseLeave={() => {
        setHover(null);
        setDrag(null);
      }}
      onMouseDown={(e) => {
        if (e.button === 0) {
          const x = offsetX(e);
          setDrag({ x0: x, x1: x });
        }
      }}
      onMouseUp={() => {
        if (drag && Math.abs(drag.x1 - drag.x0) > 6) {
          const a = timeAt(Math.min(drag.x0, drag.x1), domain, width),
            b = timeAt(Math.max(drag.x0, drag.x1), domain, width);
          onZoom({ startMin: a, endMin: b });
        }
        setDrag(null);
      }}
      onFocus={() => {
        if (hoverT === null) setHover(domain[0]);
      }}
      onKeyDown={onKey}
    >
      {t !== null && t >= domain[0] && t <= domain[1] ? (
        <div className="cursor-line" style={{ left: xAt(t, domain, width) }} />
      ) : null}
      {drag && Math.abs(drag.x1 - drag.x0) > 2 ? (
        <div className="drag-box" style={{ left: Math.min(drag.x0, drag.x1), width: Math.abs(drag.x1 - drag.x0) }} />
      ) : null}
    </div>
  );
}

/** The full-resolution series a readout reads, or why there is none. */
type FullState = FullSeriesOutcome | null;

/**
 * The edited plan's full-resolution cp and ce, fetched from the worker only while `active` (the pointer or
 * keyboard cursor is on the chart): an edit no longer copies 2 × (grid points) doubles to the main thread.
 * The worker answers from its prediction cache; a plan with too many grid points gets a reason instead.
 */
function useFullSeries(cur: ScenarioOk | null, active: boolean): FullState {
  const { client } = useApp();
  const key = useMemo(() => (cur ? JSON.stringify(cur.plan) : ''), [cur]);
  const [state, setState] = useState<{ key: string; full: Exclude<FullState, null> } | null>(null);
  const have = state !== null && state.key === key;
  useEffect(() => {
    if (!active || !cur || cur.full || have) return;
    const controller = new AbortController();
    client.fullSeries(cur.plan, controller.signal).then(
      (full) => setState({ key, full }),
      (e: unknown) => {
        if (!isAbortError(e))
          setState({
            key,
            full: { ok: false, reason: `the full-resolution prediction could not be read (${(e as Error).message})` },
          });
      },
    );
    return () => controller.abort();
  }, [active, cur, key, have, client]);
  if (!cur) return null;
  if (cur.full) return { ok: true, ...cur.full };
  return have ? state.full : null;
}

/** Time, Cp, Ce and the band(s) Ce is in at the cursor, from the full-resolution prediction. */
function Readout({ domain }: { domain: readonly [number, number] }) {
  const t = useHover();
  const cur = useResults((r) => current(r));
  const full = useFullSeries(cur, t !== null);
  const metaboliteOn = useMetaboliteOn();
  if (!cur) return null;
  if (t === null || t < domain[0] || t > domain[1]) {
    return (
      <p className="readout muted" data-testid="readout">
        Point at the chart (or focus it and use the arrow keys) to read time, Cp, Ce and the band; drag to zoom.
      </p>
    );
  }
  if (full === null) {
    return (
      <p className="readout muted" data-testid="readout" aria-busy="true">
        Reading the full-resolution prediction for the readout…
      </p>
    );
  }
  if (!full.ok) {
    return (
      <p className="readout muted" data-testid="readout" data-readout-unavailable="true" aria-live="polite">
        No readout under the pointer: {full.reason}.
      </p>
    );
  }
  const n = full.cp.length;
  const j = nearestSample(t, full.resolutionSec, n);
  const tj = (j * full.resolutionSec) / 60;
  const cp = full.cp[j],
    ce = full.ce[j];
  const inside = bandsContaining(cur.bands, ce);
  const metabolite = metaboliteOn && cur.model.metabolite && full.cm ? cur.model.metabolite : null;
  return (
    <p className="readout" data-testid="readout" aria-live="polite">
      <span>
        <strong>t</strong> {formatMin(tj)} min ({clock(tj)})
      </span>
      <span>
        <strong>Cp</strong> {conc(cp)}
      </span>
      <span>
        <strong>Ce</strong> {conc(ce)}
      </span>
      <span>
        <strong>Ce band</strong>{' '}
        {inside.length
          ? inside.map((b) => `${bandStyle(b.id, cur.bandSet).name} (${b.lowNgMl}–${b.highNgMl ?? '∞'} ng/mL)`).join(' + ')
          : 'none of the bands'}
      </span>
      {metabolite && full.cm ? (
        <span data-testid="readout-cm">
          <strong>{metaboliteSeriesName(metabolite)}</strong> {conc(full.cm[j])} (metabolite)
        </span>
      ) : null}
    </p>
  );
}

function ZoomControls({ domain }: { domain: readonly [number, number] }) {
  const { scenario, results } = useApp();
  const view = useScenario((s) => s.view);
  const horizon = current(results.get())?.plan.horizonMin ?? domain[1];
  const [from, setFrom] = useState(String(Number(domain[0].toFixed(2))));
  const [to, setTo] = useState(String(Number(domain[1].toFixed(2))));
  const [shownDomain, setShownDomain] = useState(domain);
  if (shownDomain[0] !== domain[0] || shownDomain[1] !== domain[1]) {
    setShownDomain(domain);
    setFrom(String(Number(domain[0].toFixed(2))));
    setTo(String(Number(domain[1].toFixed(2))));
  }
  const a = Number(from),
    b = Number(to);
  const valid = from.trim() !== '' && to.trim() !== '' && Number.isFinite(a) && Number.isFinite(b) && a >= 0 && b > a;
  const mid = (domain[0] + domain[1]) / 2;
  const d = { startMin: domain[0], endMin: domain[1] };
  return (
    <form
      className="zoom-controls"
      aria-label="Time window"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) scenario.set((s) => setView(s, { startMin: a, endMin: b }));
      }}
    >
      <span className="muted">
        Window {formatMin(domain[0])}–{formatMin(domain[1])} min{view ? ' (zoomed)' : ''}
      </span>
      <label>
        from{' '}
        <input
          type="text"
          inputMode="decimal"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          aria-invalid={!valid || undefined}
          size={6}
        />{' '}
        min
      </label>
      <label>
        to{' '}
        <input
          type="text"
          inputMode="decimal"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          aria-invalid={!valid || undefined}
          size={6}
        />{' '}
        min
      </label>
      <button type="submit" disabled={!valid}>
        Show window
      </button>
      <button type="button" onClick={() => scenario.set((s) => zoom(s, d, 0.5, mid, horizon))}>
        Zoom in
      </button>
      <button type="button" onClick={() => scenario.set((s) => zoom(s, d, 2, mid, horizon))} disabled={!view}>
        Zoom out
      </button>
      <button type="button" onClick={() => scenario.set((s) => setView(s, null))} disabled={!view}>
        Whole horizon
      </button>
      {!valid ? <span className="field-error">Time window: "from" must be ≥ 0 min and below "to".</span> : null}
    </form>
  );
}
