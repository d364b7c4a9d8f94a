// The sweet-spot view: peak Ce against dose over the bands, minutes in/above each band, time to fall below, population exceedance, cited evidence marks; PNG and link.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SweetSpotResult, SweetSpotRow } from '../../engine/research/sweet-spot.ts';
import { useApp, useResults, useScenario } from '../context.ts';
import { current } from '../state/simulation.ts';
import { editedLabel } from '../state/scenario.ts';
import { scenarioLink } from '../state/share.ts';
import { isAbortError } from '../../workers/simulation-client.ts';
import type { BandSetInfo } from '../../workers/simulation-api.ts';
import { useWidth } from '../hooks/use-width.ts';
import { bandStyle } from '../chart/ChartPanel.tsx';
import { composeSvg, download, rasterise } from '../chart/export-png.ts';
import { bandName } from '../metrics-view.ts';
import { conc, formatMg, formatMin, formatSig } from '../format.ts';
import { DISCLAIMER } from '../components/Disclaimer.tsx';
import { DEFAULT_SWEET_SPOT, sweetSpotRequest, type SweetSpotSettings } from './settings.ts';
import { DoseChart, evidenceKey } from './DoseChart.tsx';
import { StopComparisonPanel } from './StopComparisonPanel.tsx';

type Answer = { ok: true; result: SweetSpotResult } | { ok: false; problems: string[] };

/**
 * "More is not better", on one screen: for the plan being edited, each dose of the axis (0.1–2.0 mg/kg
 * over 40 min by default, or factors on the current regimen) with its peak Ce over the bands, the minutes
 * Ce spends in and above each band, the time to fall below the dissociation band after dosing, and, with
 * the population toggle, the chance of reaching 250 and 1060 ng/mL. The cited studies are marks at the
 * doses they gave (engine/research/dose-evidence.ts), never a curve. Everything is computed in the
 * simulation worker (engine/research/sweet-spot.ts).
 */
export function SweetSpotView() {
  const { scenario, client } = useApp();
  const settings = useScenario((s) => s.sweetSpot ?? DEFAULT_SWEET_SPOT);
  const cur = useResults((r) => current(r));
  const invalid = useResults((r) => r.problems !== null);
  const pinned = useScenario((s) => s.pinned);
  const view = useScenario((s) => s.view);
  const yRange = useScenario((s) => s.display.yRange);
  const set = (patch: Partial<SweetSpotSettings>) =>
    scenario.set((s) => ({ ...s, sweetSpot: { ...(s.sweetSpot ?? DEFAULT_SWEET_SPOT), ...patch } }));
  const req = useMemo(() => sweetSpotRequest(settings), [settings]);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [link, setLink] = useState<string | null>(null);
  const plan = cur?.plan ?? null;

  useEffect(() => {
    if (!plan || !req.ok) return;
    const ctl = new AbortController();
    setBusy(true);
    client
      .sweetSpot({ plan, axis: req.axis, ...(req.population && { population: req.population }) }, ctl.signal)
      .then((a) => {
        setAnswer(a as Answer);
        setBusy(false);
      })
      .catch((e) => {
        if (isAbortError(e)) return;
        setAnswer({ ok: false, problems: [`the sweet-spot numbers could not be computed: ${(e as Error).message}`] });
        setBusy(false);
      });
    return () => ctl.abort();
  }, [client, plan, req]);

  const boxRef = useRef<HTMLDivElement>(null);
  const width = useWidth(boxRef);
  const result = answer?.ok ? answer.result : null;

  const share = async () => {
    if (!cur) return;
    const url = scenarioLink(location.href, cur.plan, editedLabel(cur.plan, cur.model.name), pinned, {
      window: view,
      yRange,
      sweetSpot: settings,
    });
    setLink(url);
    try {
      await navigator.clipboard.writeText(url);
      setStatus(
        'Link copied: it opens this view with the plan and these settings (no name, no record number, no date of birth).',
      );
    } catch {
      setStatus('Select the link above and copy it: it opens this view with the plan and these settings.');
    }
  };
  const png = async () => {
    const svg = boxRef.current?.querySelector<SVGSVGElement>('svg.sweet-spot-chart');
    if (!svg || !result || !cur) return;
    setStatus('Drawing the PNG…');
    try {
      const clone = svg.cloneNode(true) as SVGSVGElement;
      const r = svg.getBoundingClientRect();
      const part = {
        svg: new XMLSerializer().serializeToString(clone).replace(/ xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, ''),
        width: Math.round(r.width),
        height: Math.round(r.height),
      };
      const legend = [
        { label: 'Peak Ce (model prediction), ng/mL', color: '#6a1b9a' },
        ...result.evidence.map((e) => ({
          label: `${evidenceKey(e.id)}: ${e.citation.split('.')[0]} (study marks, not a curve)`,
          color: '#37474f',
          dash: '2 2',
        })),
      ];
      const title = `KetaSim sweet spot: ${cur.model.name}, ${cur.plan.patient.weightKg} kg; peak Ce (ng/mL) against dose`;
      const composed = composeSvg([part], title, legend, DISCLAIMER);
      download(await rasterise(composed.svg, composed.width, composed.height), 'ketasim-sweet-spot.png');
      setStatus('PNG ready.');
    } catch (e) {
      setStatus(`The PNG could not be made: ${(e as Error).message}`);
    }
  };

  return (
    <div className="sweet-spot">
      <section className="panel" aria-labelledby="ss-h">
        <div className="panel-head">
          <h2 id="ss-h">Sweet spot: why more is not better</h2>
          {busy ? (
            <span className="muted" role="status">
              <span className="spinner" aria-hidden="true" /> computing…
            </span>
          ) : null}
        </div>
        <p className="hint">
          For the plan being edited ({cur ? editedLabel(cur.plan, cur.model.name) : 'no valid plan yet'}): each dose's peak
          effect-site concentration against the bands, how long Ce stays in and above each band, and how long it takes to fall
          below the dissociation band after the dose ends. Concentrations and times only: the studies are shown as marks at the
          doses they gave, not as an efficacy curve.
        </p>
        <SettingsForm settings={settings} set={set} problems={req.ok ? [] : req.problems} />
        {invalid ? (
          <p className="field-error">Fix the plan in the Plan &amp; predict tab: the view uses its patient and model.</p>
        ) : null}
        {answer && !answer.ok ? (
          <ul className="field-error" data-testid="sweet-spot-problems">
            {answer.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        <div ref={boxRef} className="chart-box" data-testid="sweet-spot-chart">
          {result && width > 0 ? <DoseChart result={result} width={width} set={cur?.bandSet ?? null} /> : null}
        </div>
        <div className="button-row">
          <button type="button" onClick={png} disabled={!result}>
            Download PNG of this view
          </button>
          <button type="button" onClick={share} disabled={!cur || invalid}>
            Copy link to this view
          </button>
        </div>
        {link ? (
          <div className="field">
            <label htmlFor="ss-link">Link to this view</label>
            <input id="ss-link" data-testid="sweet-spot-link" readOnly value={link} onFocus={(e) => e.target.select()} />
          </div>
        ) : null}
        <p className="status" role="status" aria-live="polite">
          {status}
        </p>
      </section>
      {result ? <SweetSpotTable result={result} set={cur?.bandSet ?? null} /> : null}
      {result ? <EvidencePanel result={result} set={cur?.bandSet ?? null} /> : null}
      <StopComparisonPanel />
    </div>
  );
}

function SettingsForm({
  settings,
  set,
  problems,
}: {
  settings: SweetSpotSettings;
  set: (p: Partial<SweetSpotSettings>) => void;
  problems: readonly string[];
}) {
  const named = (field: string) => problems.filter((p) => p.startsWith(`${field}:`) || p.startsWith(`${field}[`));
  const fieldError = (field: string) => {
    const list = named(field);
    return list.length ? (
      <span className="field-error" id={`ss-${field}-err`} data-field-error={field}>
        {list.join('; ')}
      </span>
    ) : null;
  };
  return (
    <form className="ss-settings" aria-label="Dose axis and population" onSubmit={(e) => e.preventDefault()}>
      <fieldset>
        <legend>Dose axis</legend>
        <label>
          <input type="radio" name="ss-axis" checked={settings.axis === 'mg/kg'} onChange={() => set({ axis: 'mg/kg' })} /> doses
          in mg/kg, each over a fixed time from t = 0 (replaces the regimen)
        </label>
        <label>
          <input type="radio" name="ss-axis" checked={settings.axis === 'scale'} onChange={() => set({ axis: 'scale' })} /> scale
          factors on the current regimen (every dose and rate)
        </label>
      </fieldset>
      {settings.axis === 'mg/kg' ? (
        <>
          <div className="field">
            <label htmlFor="ss-doses">Doses (mg/kg, comma-separated)</label>
            <input
              id="ss-doses"
              data-path="ss.doses"
              value={settings.doses}
              onChange={(e) => set({ doses: e.target.value })}
              aria-invalid={named('doses').length > 0 || undefined}
              aria-describedby={named('doses').length ? 'ss-doses-err' : undefined}
            />
            {fieldError('doses')}
          </div>
          <div className="field">
            <label htmlFor="ss-over">Each dose over (min)</label>
            <input
              id="ss-over"
              data-path="ss.overMin"
              inputMode="decimal"
              size={5}
              value={settings.overMin}
              onChange={(e) => set({ overMin: e.target.value })}
              aria-invalid={named('overMin').length > 0 || undefined}
              aria-describedby={named('overMin').length ? 'ss-overMin-err' : undefined}
            />{' '}
            min
            {fieldError('overMin')}
          </div>
        </>
      ) : (
        <div className="field">
          <label htmlFor="ss-scales">Scale factors (× the current regimen, comma-separated)</label>
          <input
            id="ss-scales"
            data-path="ss.scales"
            value={settings.scales}
            onChange={(e) => set({ scales: e.target.value })}
            aria-invalid={named('scales').length > 0 || undefined}
            aria-describedby={named('scales').length ? 'ss-scales-err' : undefined}
          />
          {fieldError('scales')}
        </div>
      )}
      <fieldset>
        <legend>Between-patient variability</legend>
        <label>
          <input
            type="checkbox"
            data-path="ss.population"
            checked={settings.population}
            onChange={(e) => set({ population: e.target.checked })}
          />{' '}
          virtual population: chance of Ce reaching the exceedance levels at each dose
        </label>
        {settings.population ? (
          <>
            <div className="field">
              <label htmlFor="ss-n">Virtual patients per dose</label>
              <input
                id="ss-n"
                data-path="ss.n"
                inputMode="numeric"
                size={6}
                value={settings.n}
                onChange={(e) => set({ n: e.target.value })}
                aria-invalid={named('n').length > 0 || undefined}
              />
              {fieldError('n')}
            </div>
            <div className="field">
              <label htmlFor="ss-seed">Seed</label>
              <input
                id="ss-seed"
                data-path="ss.seed"
                inputMode="numeric"
                size={8}
                value={settings.seed}
                onChange={(e) => set({ seed: e.target.value })}
                aria-invalid={named('seed').length > 0 || undefined}
              />
              {fieldError('seed')}
            </div>
          </>
        ) : null}
      </fieldset>
    </form>
  );
}

const doseText = (r: SweetSpotRow): string =>
  r.doseMgPerKg !== null ? `${formatSig(r.doseMgPerKg, 3)} mg/kg` : `× ${formatSig(r.scale ?? 0, 3)}`;

/** One row per dose: the numbers, with units, and the evidence marks at that dose. */
function SweetSpotTable({ result, set }: { result: SweetSpotResult; set: BandSetInfo | null }) {
  const ref = result.reference;
  return (
    <section className="panel" aria-labelledby="ss-table-h">
      <h2 id="ss-table-h">Per dose</h2>
      <p className="hint">
        Bands: {result.bandSet} ({result.model.name ?? 'custom model'}, ke0 {formatSig(result.model.ke0PerMin, 3)} /min,{' '}
        {result.model.ke0Source}).
        {ref ? ` "Falls below" = Ce below ${ref.lowNgMl} ng/mL (${ref.why}), counted from the end of dosing.` : ''}
      </p>
      <div className="table-scroll">
        <table className="compare" data-testid="sweet-spot-table">
          <thead>
            <tr>
              <th scope="col">Dose</th>
              <th scope="col">Total dose</th>
              <th scope="col">Peak Ce</th>
              {result.bands.map((b) => (
                <th scope="col" key={b.id}>
                  {bandName(b.id, set)} ({b.lowNgMl}–{b.highNgMl ?? '∞'} ng/mL): in / above
                </th>
              ))}
              <th scope="col">Ce falls below {ref ? `${ref.lowNgMl} ng/mL` : 'the reference band'} after dosing</th>
              {result.population
                ? result.levels.map((l) => (
                    <th scope="col" key={l.bound}>
                      Chance peak Ce ≥ {l.ngMl} ng/mL ({l.what})
                    </th>
                  ))
                : null}
              <th scope="col">Evidence at this dose</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((r) => (
              <tr key={`${r.doseMgPerKg ?? r.scale}`} data-dose={r.doseMgPerKg ?? r.scale ?? ''}>
                <th scope="row">{doseText(r)}</th>
                <td>
                  {formatMg(r.metrics.totalDoseMg)} mg ({formatSig(r.metrics.totalDoseMgPerKg, 3)} mg/kg)
                </td>
                <td>
                  {conc(r.metrics.peakCeNgMl)} <span className="detail">at {formatMin(r.metrics.peakCeMin)} min</span>
                </td>
                {r.metrics.bands.map((b) => (
                  <td key={b.id} data-band={b.id}>
                    <span data-in>{formatMin(b.minutesInside)} min</span> /{' '}
                    <span data-above>{b.highNgMl === null ? 'n/a (open band)' : `${formatMin(b.minutesAbove)} min`}</span>
                  </td>
                ))}
                <td data-recovery>
                  {r.minutesToFallBelowReference === null
                    ? 'not within the horizon'
                    : `${formatMin(r.minutesToFallBelowReference)} min`}
                </td>
                {r.exceedance
                  ? r.exceedance.map((e) => (
                      <td key={e.bound} data-exceed={e.ngMl}>
                        {formatSig(e.probability * 100, 3)}%
                      </td>
                    ))
                  : null}
                <td className="small">
                  {r.evidence.length
                    ? r.evidence
                        .map((e) => `${evidenceKey(e.id)}: ${e.mark.finding}${e.mark.n ? ` (n = ${e.mark.n})` : ''}`)
                        .join(' · ')
                    : '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.population ? (
        <p className="hint">
          Chances: {result.population.definition}; {result.population.n} virtual patients per dose, seed {result.population.seed}.
          {result.population.assumptions.length ? ` Assumed: ${result.population.assumptions.join('; ')}.` : ''}
        </p>
      ) : (
        <p className="hint">Tick "virtual population" for the chance of Ce reaching each level at each dose.</p>
      )}
      {result.warnings.length ? (
        <details className="source">
          <summary>{result.warnings.length} warnings</summary>
          <ul>
            {result.warnings.map((w, i) => (
              <li key={`${w.where}-${i}`}>
                {w.where}: {w.message} ({w.code})
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/** The cited studies behind the marks, with their findings in their own words. */
function EvidencePanel({ result, set }: { result: SweetSpotResult; set: BandSetInfo | null }) {
  return (
    <section className="panel" aria-labelledby="ss-ev-h">
      <h2 id="ss-ev-h">Evidence marks (cited, not a curve)</h2>
      <ul className="notes">
        {result.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      <ul className="evidence" data-testid="sweet-spot-evidence">
        {result.evidence.map((e) => (
          <li key={e.id} data-evidence={e.id}>
            <strong>{evidenceKey(e.id)}</strong> — {e.summary}{' '}
            <span className="muted">
              ({e.endpoint}; confidence {e.confidence})
            </span>
            <ul>
              {e.marks.map((m) => (
                <li key={`${m.doseMgPerKg}-${m.overMin}`}>
                  {m.doseMgPerKg} mg/kg{m.overMin ? ` over ${m.overMin} min` : ''}
                  {m.n ? `, n = ${m.n}` : ''}: {m.finding}
                </li>
              ))}
            </ul>
            <p className="muted small">
              {e.citation}
              {e.doi ? ` doi:${e.doi}` : ''}
            </p>
          </li>
        ))}
      </ul>
      <p className="hint">
        Band names and colours:{' '}
        {result.bands.map((b) => `${bandStyle(b.id, set).name} ${b.lowNgMl}–${b.highNgMl ?? '∞'} ng/mL`).join('; ')}.
      </p>
    </section>
  );
}
