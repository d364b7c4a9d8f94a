// `PrintPlanButton` and `PrintSheet`: the one-page A4 plan sheet (print CSS in ui/print/print.css) rendered into a portal.
import { useState } from 'react';
import { createPortal } from 'react-dom';
import type { DoseEvent } from '../../engine/plan.ts';
import { doseToMg, rateToMgPerMin } from '../../engine/units.ts';
import { useResults } from '../context.ts';
import { current } from '../state/simulation.ts';
import { useStore } from '../state/store.ts';
import { liveState } from '../live/live-state.ts';
import { metricRows, bandName } from '../metrics-view.ts';
import { DISCLAIMER } from '../components/Disclaimer.tsx';
import { formatMg, formatSig, unitLabel } from '../format.ts';
import { bolusVolume, formatDelta, pumpRate, stepDecimals, type PumpSettings } from '../pump/pump.ts';
import { usePumpSettings } from '../pump/PumpSettingsPanel.tsx';
import { rowOutcomes } from '../components/regimen-outcome.ts';
import type { DraftEvent } from '../state/scenario.ts';
import type { ScenarioOk } from '../../workers/simulation-api.ts';
import { useDoseSafety, eventWords } from '../settings/dose-safety.tsx';
import './print.css';

/** "Print plan": opens the browser's print dialog on the plan sheet (one A4 page; the rest of the UI is hidden in print). */
export function PrintPlanButton() {
  const ready = useResults((r) => current(r) !== null);
  return (
    <div className="print-plan">
      <button type="button" data-testid="print-plan" disabled={!ready} onClick={() => window.print()}>
        Print plan
      </button>
      <span className="hint">
        One A4 page: patient, model with its source, the programme in mg/kg/h, mg/h and mL/h, the predicted Ce with its bands, key
        metrics and the disclaimer.
      </span>
      {ready ? <PrintSheet /> : null}
    </div>
  );
}

/** One row of the programme: what is given, from when to when, in every unit the pump and the chart use. */
interface ProgrammeRow {
  readonly when: string;
  readonly what: string;
  readonly mgPerKgPerH: string;
  readonly mgPerH: string;
  readonly mlPerH: string;
  readonly bolusMg: string;
  readonly bolusMl: string;
}

const dash = '–';
const mlh = (mgPerH: number, pump: PumpSettings): string => {
  const p = pumpRate(mgPerH, pump);
  return p ? `${p.programmed.toFixed(stepDecimals(pump.rateStepMlPerH))} mL/h (${formatDelta(p.deltaPct)})` : 'set concentration';
};
const ml = (mg: number, pump: PumpSettings): string => {
  const p = bolusVolume(mg, pump);
  return p ? `${p.programmed.toFixed(stepDecimals(pump.bolusStepMl))} mL (${formatDelta(p.deltaPct)})` : 'set concentration';
};

/** The programme of a validated plan (pure). */
export function programmeRows(o: ScenarioOk, pump: PumpSettings): ProgrammeRow[] {
  const w = o.plan.patient.weightKg;
  const regimen = o.plan.regimen as readonly DoseEvent[];
  const outcomes = rowOutcomes(
    regimen.map((e, i) => ({ uid: String(i), ...e }) as DraftEvent),
    w,
  );
  return regimen.map((e, i) => {
    const at = `${Number(e.at.toPrecision(6))} min`;
    const out = outcomes.find((x) => x.index === i);
    const until = out && out.endMin !== null ? `${at} → ${Number(out.endMin.toPrecision(6))} min` : `${at} → end`;
    if ('bolus' in e) {
      const mg = doseToMg(e.bolus, e.unit, w);
      return {
        when: at,
        what: `bolus ${e.bolus} ${unitLabel(e.unit)}`,
        mgPerKgPerH: dash,
        mgPerH: dash,
        mlPerH: dash,
        bolusMg: `${formatMg(mg)} mg (${formatSig(mg / w)} mg/kg)`,
        bolusMl: ml(mg, pump),
      };
    }
    if (!('rate' in e) && !('overMin' in e)) {
      const mg = doseToMg(e.dose, e.unit, w);
      const route = (e as { route?: string }).route ?? 'non-IV';
      return {
        when: at,
        what: `${e.dose} ${unitLabel(e.unit)} ${route}`,
        mgPerKgPerH: dash,
        mgPerH: dash,
        mlPerH: dash,
        bolusMg: `${formatMg(mg)} mg (${route}, not the pump)`,
        bolusMl: dash,
      };
    }
    const mgPerH = 'rate' in e ? rateToMgPerMin(e.rate, e.unit, w) * 60 : (doseToMg(e.dose, e.unit, w) / e.overMin) * 60;
    const what =
      'rate' in e
        ? e.rate === 0
          ? 'pump stop'
          : `rate ${e.rate} ${unitLabel(e.unit)}`
        : `${e.dose} ${unitLabel(e.unit)} over ${Number(e.overMin.toPrecision(6))} min${out?.givenMg !== undefined && out.plannedMg !== undefined && out.givenMg < out.plannedMg * (1 - 1e-9) ? ` (only ${formatMg(out.givenMg)} mg given)` : ''}`;
    return {
      when: mgPerH === 0 ? at : until,
      what,
      mgPerKgPerH: `${formatSig(mgPerH / w)} mg/kg/h`,
      mgPerH: `${formatMg(mgPerH)} mg/h`,
      mlPerH: mlh(mgPerH, pump),
      bolusMg: dash,
      bolusMl: dash,
    };
  });
}

const W = 640;
const H = 200;
const PAD = { l: 44, r: 8, t: 8, b: 28 };

/** The predicted Ce (typical patient) with the bands, as plain SVG for paper. */
function PrintChart({ o }: { o: ScenarioOk }) {
  const t = o.series.t;
  const ce = o.series.ce;
  const tMax = t.length ? t[t.length - 1] : o.plan.horizonMin;
  let yMax = 0;
  for (const v of ce) yMax = Math.max(yMax, v);
  for (const b of o.bands) if (b.highNgMl !== undefined && b.highNgMl < yMax * 3) yMax = Math.max(yMax, b.highNgMl);
  yMax = yMax > 0 ? yMax * 1.05 : 1;
  const x = (v: number) => PAD.l + (v / (tMax || 1)) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - (Math.min(v, yMax) / yMax) * (H - PAD.t - PAD.b);
  let d = '';
  for (let i = 0; i < t.length; i++) d += `${i ? 'L' : 'M'}${x(t[i]).toFixed(1)},${y(ce[i]).toFixed(1)}`;
  const ticksX = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * tMax));
  const ticksY = [0, 0.5, 1].map((f) => Number((f * yMax).toPrecision(2)));
  return (
    <svg
      className="print-chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="Predicted effect-site concentration (Ce) with the bands"
    >
      {o.bands.map((b, i) => {
        const hi = b.highNgMl ?? yMax;
        if (b.lowNgMl >= yMax) return null;
        return (
          <g key={b.id}>
            <rect
              className={`print-band band-${i % 4}`}
              x={PAD.l}
              width={W - PAD.l - PAD.r}
              y={y(hi)}
              height={Math.max(0, y(b.lowNgMl) - y(hi))}
            />
            <text className="print-band-label" x={W - PAD.r - 4} y={y(hi) + 10} textAnchor="end">
              {bandName(b.id)} {b.lowNgMl}–{b.highNgMl ?? '∞'} ng/mL
            </text>
          </g>
        );
      })}
      <path className="print-ce" d={d} />
      <line className="print-axis" x1={PAD.l} x2={W - PAD.r} y1={H - PAD.b} y2={H - PAD.b} />
      <line className="print-axis" x1={PAD.l} x2={PAD.l} y1={PAD.t} y2={H - PAD.b} />
      {ticksX.map((v) => (
        <text key={`x${v}`} className="print-tick" x={x(v)} y={H - PAD.b + 12} textAnchor="middle">
          {v}
        </text>
      ))}
      <text className="print-tick" x={(W + PAD.l) / 2} y={H - 2} textAnchor="middle">
        time (min)
      </text>
      {ticksY.map((v) => (
        <text key={`y${v}`} className="print-tick" x={PAD.l - 4} y={y(v) + 3} textAnchor="end">
          {v}
        </text>
      ))}
      <text className="print-tick" x={4} y={PAD.t + 8}>
        Ce ng/mL
      </text>
    </svg>
  );
}

/** The plan sheet: hidden on screen, the only thing printed. */
export function PrintSheet() {
  const o = useResults(current);
  const catalogue = useResults((r) => r.catalogue);
  const pump = usePumpSettings();
  const live = useStore(liveState, (s) => s);
  const { safety } = useDoseSafety();
  const [printedAt] = useState(() => new Date());
  if (!o) return null;
  const p = o.plan.patient;
  const info = catalogue?.models.find((m) => m.id === o.model.id);
  const alias = live.phase === 'running' ? live.running.patient.alias : null;
  const rows = programmeRows(o, pump);
  const metrics = metricRows(o).slice(0, 8);
  const findings = safety?.plan === o.plan ? safety.warnings : [];
  return createPortal(
    <article className="print-sheet" data-testid="print-sheet" aria-label="Printable plan sheet">
      <header>
        <h1>KetaSim plan sheet</h1>
        <p>
          {alias ? (
            <>
              Patient alias: <strong data-testid="print-alias">{alias}</strong> ·{' '}
            </>
          ) : null}
          Date: <span data-testid="print-date">{printedAt.toISOString().slice(0, 10)}</span>
        </p>
      </header>
      <section>
        <h2>Model</h2>
        <p data-testid="print-model">
          {o.model.name}
          {info ? `: ${info.citation}${info.doi ? `, doi:${info.doi}` : ''}` : ' (custom parameters)'} · ke0{' '}
          {formatSig(o.model.ke0PerMin)} /min ({o.model.ke0Source})
        </p>
        <p data-testid="print-covariates">
          Weight {p.weightKg} kg{p.ageYears !== undefined ? ` · age ${p.ageYears} y` : ''}
          {p.sex ? ` · ${p.sex}` : ''}
          {p.heightCm !== undefined ? ` · height ${p.heightCm} cm` : ''}
        </p>
      </section>
      <section>
        <h2>Programme</h2>
        <p className="print-note">
          {pump.concentrationMgPerMl === null
            ? 'Concentration not set: no volumes.'
            : `Syringe/bag ${pump.concentrationMgPerMl} mg/mL; rates rounded to ${pump.rateStepMlPerH} mL/h, boluses to ${pump.bolusStepMl} mL (difference from the plan in brackets).`}
        </p>
        <table className="print-programme" data-testid="print-programme">
          <thead>
            <tr>
              <th>When</th>
              <th>Event</th>
              <th>mg/kg/h</th>
              <th>mg/h</th>
              <th>Pump mL/h</th>
              <th>Bolus mg</th>
              <th>Bolus mL</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>{r.when}</td>
                <td>{r.what}</td>
                <td>{r.mgPerKgPerH}</td>
                <td>{r.mgPerH}</td>
                <td>{r.mlPerH}</td>
                <td>{r.bolusMg}</td>
                <td>{r.bolusMl}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {findings.length > 0 ? (
          <ul className="print-findings" data-testid="print-findings">
            {findings.map((w) => (
              <li key={w.message}>
                <strong>{w.code === 'dose-above-limit' ? 'Above the dose limit' : 'Possible unit slip'}:</strong>{' '}
                {eventWords(w.message)}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section>
        <h2>Predicted Ce (typical patient) and bands</h2>
        <PrintChart o={o} />
      </section>
      <section>
        <h2>Key metrics</h2>
        <table className="print-metrics" data-testid="print-metrics">
          <tbody>
            {metrics.map((m) => (
              <tr key={m.id}>
                <th>{m.label}</th>
                <td>{m.value}</td>
                <td>{m.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <footer className="print-disclaimer" data-testid="print-disclaimer">
        {DISCLAIMER} Check every dose against your protocol.
      </footer>
    </article>,
    document.body,
  );
}
