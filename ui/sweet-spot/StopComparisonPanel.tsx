// "IV can be stopped, intranasal cannot": both Ce curves after a decision to stop, the decision marked, and the engine's minutes to fall below the level (computed in the simulation worker).
import { useEffect, useRef, useState } from 'react';
import type { StopComparisonView, StopRegimenView } from '../../workers/stop-comparison-api.ts';
import { isAbortError } from '../../workers/simulation-client.ts';
import { useApp } from '../context.ts';
import { TextField } from '../components/fields.tsx';
import { useWidth } from '../hooks/use-width.ts';
import { linearScale } from '../chart/ConcentrationChart.tsx';
import { niceCeil, valueTicks } from '../chart/scales.ts';
import { conc, formatMin } from '../format.ts';
import { fallText, plainNum, readStopInput } from './stop-comparison-text.ts';

/** Curve colours: IV (the pump's blue) and intranasal (orange), with a dash for the second so print tells them apart. */
const STYLE: Readonly<Record<string, { color: string; dash?: string }>> = {
  iv: { color: '#1565c0' },
  intranasal: { color: '#e65100', dash: '6 3' },
};

/** The worker's answer as the panel holds it. */
type Answer = StopComparisonView | { ok: false; problems: readonly { path: string; message: string }[] } | null;

const FIELD_OF_PATH: Readonly<Record<string, string>> = { stopAtMin: 'Decision to stop at', ivDoseMgPerKg: 'IV dose' };

/**
 * The teaching comparison of issue 10: IV 0.5 mg/kg over 40 min stopped at minute 15 against 56 mg
 * intranasal esketamine (engine/pd/presets.ts STOP_COMPARISON_PRESET, engine/research/stop-comparison.ts),
 * with the decision minute and IV dose editable. The engine decides the band set and the level (S-ketamine
 * on its own scale for this esketamine model); the panel shows which, and which model, with their sources.
 */
export function StopComparisonPanel() {
  const { client } = useApp();
  const [stopText, setStopText] = useState<string | null>(null);
  const [doseText, setDoseText] = useState<string | null>(null);
  const [answer, setAnswer] = useState<Answer>(null);
  const [busy, setBusy] = useState(false);
  const [preset, setPreset] = useState<{ stopAtMin: number; ivDoseMgPerKg: number } | null>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const width = useWidth(boxRef);

  const stop = stopText === null ? null : readStopInput(stopText, 'Decision to stop at', 'min');
  const dose = doseText === null ? null : readStopInput(doseText, 'IV dose', 'mg/kg');
  const inputError = [stop, dose].map((r) => (r && !r.ok ? r.message : null));
  const stopValue = stop?.ok ? stop.value : undefined;
  const doseValue = dose?.ok ? dose.value : undefined;
  const ready = (stop === null || stop.ok) && (dose === null || dose.ok);
  const buckets = Math.max(64, Math.round(width || 600) * 4);

  useEffect(() => {
    if (!ready) return;
    const ctl = new AbortController();
    setBusy(true);
    client
      .stopComparison(
        {
          ...(stopValue !== undefined && { stopAtMin: stopValue }),
          ...(doseValue !== undefined && { ivDoseMgPerKg: doseValue }),
          buckets,
        },
        ctl.signal,
      )
      .then((a) => {
        setAnswer(a as Answer);
        setBusy(false);
        // The first answer fills the inputs with the preset's values.
        if (a.ok) {
          setPreset(a.preset);
          setStopText((t) => t ?? String(a.stopAtMin));
          setDoseText((t) => t ?? String(a.ivDoseMgPerKg));
        }
      })
      .catch((e) => {
        if (isAbortError(e)) return;
        setAnswer({ ok: false, problems: [{ path: 'comparison', message: `could not be computed: ${(e as Error).message}` }] });
        setBusy(false);
      });
    return () => ctl.abort();
  }, [client, ready, stopValue, doseValue, buckets]);

  const view = answer?.ok ? answer : null;
  const workerProblems = answer && !answer.ok ? answer.problems : [];
  const problemFor = (path: string): string | null => {
    const local = path === 'stopAtMin' ? inputError[0] : inputError[1];
    if (local) return local;
    const p = workerProblems.filter((x) => x.path === path);
    return p.length ? `${FIELD_OF_PATH[path]}: ${p.map((x) => x.message).join('; ')}` : null;
  };
  const stopProblem = problemFor('stopAtMin');
  const doseProblem = problemFor('ivDoseMgPerKg');
  const otherProblems = workerProblems.filter((p) => !(p.path in FIELD_OF_PATH));
  // Numbers on screen belong to the inputs shown: while an input has a problem, the last answer is hidden.
  const current = view && !stopProblem && !doseProblem ? view : null;

  return (
    <section className="panel" aria-labelledby="stop-h" data-testid="stop-comparison">
      <div className="panel-head">
        <h2 id="stop-h">IV can be stopped, intranasal cannot</h2>
        {busy ? (
          <span className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> computing…
          </span>
        ) : null}
      </div>
      <p className="hint">
        A decision to stop at a given minute: the IV pump stops there and its Ce only falls; an intranasal dose already given is
        in the nose and gut and keeps being absorbed, so its Ce can keep rising. Typical patient, model prediction: not a clinical
        instruction.
      </p>
      <form className="ss-settings" aria-label="Stop comparison inputs" onSubmit={(e) => e.preventDefault()}>
        <TextField
          label="Decision to stop at (min from the start)"
          unit="min"
          path="stop.stopAtMin"
          errorKey="stopAtMin"
          value={stopText ?? ''}
          onChange={setStopText}
          error={stopProblem}
        />
        <TextField
          label={`IV dose (mg/kg over ${view?.ivOverMin ?? 40} min from t = 0)`}
          unit="mg/kg"
          path="stop.ivDoseMgPerKg"
          errorKey="ivDoseMgPerKg"
          value={doseText ?? ''}
          onChange={setDoseText}
          error={doseProblem}
        />
        {preset ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setStopText(String(preset.stopAtMin));
              setDoseText(String(preset.ivDoseMgPerKg));
            }}
          >
            Back to the preset ({preset.stopAtMin} min, {preset.ivDoseMgPerKg} mg/kg)
          </button>
        ) : null}
      </form>
      {otherProblems.length ? (
        <ul className="field-error" data-testid="stop-problems">
          {otherProblems.map((p) => (
            <li key={`${p.path}-${p.message}`}>
              {p.path}: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div ref={boxRef} className="chart-box">
        {current && width > 0 ? <StopChart view={current} width={width} /> : null}
      </div>
      {current ? <StopNumbers view={current} /> : null}
    </section>
  );
}

/** The minutes and concentrations after the decision, per regimen, with units and where they come from. */
function StopNumbers({ view }: { view: Extract<StopComparisonView, { ok: true }> }) {
  const level = view.level;
  return (
    <>
      <div className="table-scroll">
        <table className="compare" data-testid="stop-table">
          <thead>
            <tr>
              <th scope="col">After the decision at {plainNum(view.stopAtMin)} min</th>
              <th scope="col">Ce at the decision</th>
              <th scope="col">Highest Ce after it</th>
              <th scope="col">
                Minutes to fall below {level.ngMl} ng/mL ({level.name})
              </th>
              <th scope="col">Minutes to fall back below its Ce at the decision</th>
            </tr>
          </thead>
          <tbody>
            {view.regimens.map((r) => (
              <tr key={r.id} data-regimen={r.id}>
                <th scope="row">
                  <span className="swatch line" style={{ borderColor: STYLE[r.id]?.color ?? '#555' }} aria-hidden="true" />
                  {r.label}
                </th>
                <td data-ce-at-stop>{conc(r.outcome.ceAtStopNgMl)}</td>
                <td data-peak-after>
                  {conc(r.outcome.peakAfterStopNgMl)} at {formatMin(r.outcome.peakAfterStopAtMin)} min (rises{' '}
                  {conc(r.outcome.riseAfterStopNgMl)} after the decision)
                </td>
                <td data-testid={`stop-minutes-${r.id}`} data-minutes={r.outcome.minutesToFallBelowLevel ?? ''}>
                  {fallText(r.outcome.minutesToFallBelowLevel, view.horizonMin)}
                </td>
                <td data-testid={`stop-back-${r.id}`} data-minutes={r.outcome.minutesToFallBelowStopValue ?? ''}>
                  {fallText(r.outcome.minutesToFallBelowStopValue, view.horizonMin)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="notes small" data-testid="stop-sources">
        <li data-testid="stop-model">
          Model (both regimens): <strong>{view.model.name}</strong>, {view.model.drug}; typical patient {view.patient.weightKg} kg
          {view.patient.ageYears !== undefined ? `, ${view.patient.ageYears} years` : ''}; Ce every {view.resolutionSec} s to{' '}
          {view.horizonMin} min. {view.model.citation}
          {view.model.doi ? ` doi:${view.model.doi}` : ''}
        </li>
        <li data-testid="stop-band-set">
          Band set the engine applies: <strong>{view.bandSet.drug === 's-ketamine' ? 'S-ketamine' : 'racemic'}</strong>
          {view.bandSet.notice ? ` — ${view.bandSet.notice}` : ''}
        </li>
        <li data-testid="stop-level">
          "Falls below" is read against {level.name}: {level.ngMl} ng/mL
          {level.ci95NgMl ? ` (95% CI ${level.ci95NgMl[0]}–${level.ci95NgMl[1]} ng/mL)` : ''}, on the effect site.{' '}
          {level.citation}
          {level.doi ? ` doi:${level.doi}` : ''}. Why this level: {view.levelWhy}
        </li>
        {view.regimens.map((r) => (
          <li key={r.id}>
            {r.label}: {r.citation}
          </li>
        ))}
        <li>
          The preset's note (for {view.preset.ivDoseMgPerKg} mg/kg IV stopped at {view.preset.stopAtMin} min): {view.note}
        </li>
      </ul>
      {view.warnings.length ? (
        <details className="source">
          <summary>{view.warnings.length} warnings</summary>
          <ul>
            {view.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

const M = { top: 14, right: 16, bottom: 40, left: 64 };
const HEIGHT = 300;

/** The end of the time axis, min: past the later regimen's return below its Ce at the decision, rounded to 30 min. */
function axisEnd(view: Extract<StopComparisonView, { ok: true }>): number {
  let end = view.stopAtMin + 60;
  for (const r of view.regimens) {
    const back = r.outcome.minutesToFallBelowStopValue;
    end = Math.max(end, r.outcome.peakAfterStopAtMin + 30, view.stopAtMin + (back === null ? view.horizonMin : back * 1.2));
  }
  return Math.min(view.horizonMin, Math.ceil(end / 30) * 30);
}

/** Both Ce curves (plain SVG), the decision marked, the level drawn. */
function StopChart({ view, width }: { view: Extract<StopComparisonView, { ok: true }>; width: number }) {
  const end = axisEnd(view);
  const inWindow = (r: StopRegimenView) => {
    let n = 0;
    while (n < r.t.length && r.t[n] <= end) n++;
    return n;
  };
  let top = view.level.ngMl;
  for (const r of view.regimens) for (let j = 0, n = inWindow(r); j < n; j++) top = Math.max(top, r.ce[j]);
  const yMax = niceCeil(top * 1.08);
  const bottom = HEIGHT - M.bottom;
  const x = linearScale(0, end, M.left, width - M.right);
  const y = linearScale(0, yMax, bottom, M.top);
  const r1 = (v: number) => Math.round(v * 10) / 10;
  const path = (r: StopRegimenView) => {
    const parts: string[] = [];
    for (let j = 0, n = inWindow(r); j < n; j++) parts.push(`${j ? 'L' : 'M'}${r1(x(r.t[j]))},${r1(y(r.ce[j]))}`);
    return parts.join('');
  };
  const xTicks = valueTicks(end, Math.max(3, Math.floor((width - M.left - M.right) / 70)));
  const yTicks = valueTicks(yMax, 5);
  const xs = x(view.stopAtMin);
  return (
    <svg
      className="stop-chart"
      width={width}
      height={HEIGHT}
      viewBox={`0 0 ${width} ${HEIGHT}`}
      fontFamily="system-ui, sans-serif"
      role="img"
      aria-label={`Effect-site concentration (ng/mL) against time (min) after a decision to stop at ${view.stopAtMin} min: ${view.regimens.map((r) => r.label).join(' and ')}`}
      data-testid="stop-chart"
    >
      <line
        x1={M.left}
        x2={width - M.right}
        y1={y(view.level.ngMl)}
        y2={y(view.level.ngMl)}
        stroke="#6a1b9a"
        strokeDasharray="2 3"
      />
      <text x={width - M.right} y={y(view.level.ngMl) - 4} textAnchor="end" fontSize={11} fill="#6a1b9a">
        {view.level.ngMl} ng/mL: {view.level.name}
      </text>
      {yTicks.map((v) => (
        <g key={`y${v}`}>
          <line x1={M.left - 4} x2={M.left} y1={y(v)} y2={y(v)} stroke="#888" />
          <text x={M.left - 6} y={y(v) + 4} textAnchor="end" fontSize={11} fill="#444">
            {plainNum(v)}
          </text>
        </g>
      ))}
      {xTicks.map((v) => (
        <g key={`x${v}`}>
          <line x1={x(v)} x2={x(v)} y1={bottom} y2={bottom + 4} stroke="#888" />
          <text x={x(v)} y={bottom + 16} textAnchor="middle" fontSize={11} fill="#444">
            {plainNum(v)}
          </text>
        </g>
      ))}
      <line x1={M.left} x2={width - M.right} y1={bottom} y2={bottom} stroke="#888" />
      <line x1={M.left} x2={M.left} y1={M.top} y2={bottom} stroke="#888" />
      <text x={(M.left + width - M.right) / 2} y={HEIGHT - 6} textAnchor="middle" fontSize={12} fill="#333">
        time from the start (min)
      </text>
      <text
        x={14}
        y={(M.top + bottom) / 2}
        textAnchor="middle"
        fontSize={12}
        fill="#333"
        transform={`rotate(-90 14 ${(M.top + bottom) / 2})`}
      >
        Ce (ng/mL)
      </text>
      <line x1={xs} x2={xs} y1={M.top} y2={bottom} stroke="#b71c1c" strokeDasharray="4 3" data-testid="stop-decision-mark" />
      <text x={xs + 4} y={M.top + 10} fontSize={11} fill="#b71c1c">
        decision to stop: {plainNum(view.stopAtMin)} min
      </text>
      {view.regimens.map((r) => (
        <path
          key={r.id}
          d={path(r)}
          fill="none"
          stroke={STYLE[r.id]?.color ?? '#555'}
          strokeWidth={2}
          strokeDasharray={STYLE[r.id]?.dash}
          className={`stop-series stop-series-${r.id}`}
        >
          <title>{r.label} (Ce, ng/mL)</title>
        </path>
      ))}
      {view.regimens.map((r, k) => (
        <g key={`legend-${r.id}`} transform={`translate(${M.left + 10}, ${M.top + 24 + k * 16})`}>
          <line
            x1={0}
            x2={22}
            y1={-4}
            y2={-4}
            stroke={STYLE[r.id]?.color ?? '#555'}
            strokeWidth={2}
            strokeDasharray={STYLE[r.id]?.dash}
          />
          <text x={28} y={0} fontSize={11} fill="#333">
            {r.label}
            {r.regimen.some((e) => 'rate' in e)
              ? `, pump stopped at ${plainNum(view.stopAtMin)} min`
              : ', given before the decision: keeps being absorbed'}{' '}
            (Ce)
          </text>
        </g>
      ))}
    </svg>
  );
}
