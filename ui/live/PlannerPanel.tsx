// `PlannerPanel`: titration planner UI (population, personal or typed window), proposal or unreachable reason, "Use this plan".
import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useApp } from '../context.ts';
import { useStore } from '../state/store.ts';
import { ConcentrationChart, type ChartBand, type ChartSeries } from '../chart/ConcentrationChart.tsx';
import { CE_COLOR, CP_COLOR } from '../chart/ChartPanel.tsx';
import { niceCeil } from '../chart/scales.ts';
import { conc, formatMg, formatSig, unitLabel } from '../format.ts';
import type { PlannerResponse } from '../../workers/live-api.ts';
import { isAbortError, liveClient } from '../../workers/live-client.ts';
import { usePersonalBand } from '../course-view/usePersonalBand.ts';
import { chosenPatient, liveState } from './session.ts';
import { plain, RATE_UNIT_OPTIONS } from './live-model.ts';
import {
  DEFAULT_PLANNER_FORM,
  PLANNER_FIELD_NAMES,
  POPULATION_WINDOW,
  personalWindow,
  plannerRequest,
  scenarioWithRegimen,
  unreachableWords,
  withRateUnit,
  type PlannerForm,
  type WindowChoice,
} from './planner-model.ts';
import { useSlow, useValidatedPlan } from './hooks.ts';
import { TextField } from '../components/fields.tsx';
import { useWidth } from '../hooks/use-width.ts';
import { clinicSettings, DEFAULT_MIN_BOLUS_MG_PER_KG } from '../settings/clinic-settings.ts';
import { SettingNumber } from '../settings/dose-safety.tsx';
import { PumpVolume } from '../pump/PumpVolume.tsx';
import { doseToMg, isDoseUnit } from '../../engine/units.ts';

type Outcome = { readonly kind: 'idle' } | { readonly kind: 'error'; readonly message: string } | PlannerResponse;

/**
 * The titration planner (engine/tci, run in the live worker): a pump programme — rates on the pump's
 * step, changed at most every N minutes, never above the maximum, an optional loading dose within its
 * cap — that holds Ce (or Cp) in a window from the reach time to the end of the session. The window is
 * the population dissociation band, the chosen patient's personal band, or typed. Shows the proposal
 * with its exact predicted curve and figures, or why no programme can hold the window; "Use this
 * plan" loads the regimen into Plan & predict.
 */
export const PlannerPanel = memo(function PlannerPanel({ collapsed }: { collapsed: boolean }) {
  const { scenario } = useApp();
  const { plan } = useValidatedPlan();
  const live = useStore(liveState, (s) => s);
  const chosen = useStore(chosenPatient, (c) => c);
  const patientId =
    live.phase === 'running'
      ? live.running.patient.id
      : chosen !== '' && chosen !== 'new' && chosen !== 'anonymous'
        ? chosen
        : null;
  const alias = live.phase === 'running' ? live.running.patient.alias : null;
  const personal = usePersonalBand(patientId);
  const pWindow = personalWindow(personal.band?.ce.meanNgMl ?? null);
  const [form, setForm] = useState<PlannerForm>(DEFAULT_PLANNER_FORM);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState<string | null>(null);
  const slow = useSlow(busy, 500);
  const minBolus = useStore(clinicSettings, (c) => c.minBolusMgPerKg);
  const req = plan ? plannerRequest(form, plan, pWindow, minBolus) : null;
  const capNum = Number(form.maxBolusMgPerKg);
  const reqKey = req?.ok ? JSON.stringify(req.request) : null;
  const ids = { window: useId(), low: useId(), high: useId() };

  // Plan as the form changes (debounced; the worker channel is latest-wins, so only the newest shows).
  useEffect(() => {
    if (!reqKey) return;
    let alive = true;
    const t = setTimeout(() => {
      setBusy(true);
      liveClient()
        .plan(JSON.parse(reqKey))
        .then(
          (r) => {
            if (alive) {
              setOutcome(r);
              setBusy(false);
              setLoaded(null);
            }
          },
          (e) => {
            if (alive && !isAbortError(e)) {
              setOutcome({ kind: 'error', message: (e as Error).message });
              setBusy(false);
            }
          },
        );
    }, 250);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [reqKey]);

  const set = (patch: Partial<PlannerForm>) => setForm((f) => ({ ...f, ...patch }));
  const chooseWindow = (w: WindowChoice) => {
    if (w === 'custom') {
      const from = form.window === 'personal' && pWindow ? pWindow : form.window === 'dissociation' ? POPULATION_WINDOW : null;
      set({ window: w, ...(from && { lowNgMl: String(from.lowNgMl), highNgMl: String(from.highNgMl) }) });
    } else set({ window: w });
  };
  const num = (key: keyof PlannerForm, label: string, unit: string, hint?: string) => (
    <TextField
      label={label}
      unit={unit}
      value={form[key] as string}
      onChange={(v) => set({ [key]: v } as Partial<PlannerForm>)}
      hint={hint}
    />
  );

  const body = (
    <>
      {!plan ? (
        <p className="field-error" role="alert">
          The plan in "Plan &amp; predict" has problems; the planner needs its patient and model.
        </p>
      ) : (
        <p className="hint">
          For the plan's patient ({plan.patient.weightKg} kg) and model ({'id' in plan.model ? plan.model.id : 'custom'}). A
          planning aid: check every programme against your protocol.
        </p>
      )}
      <div className="planner-grid">
        <fieldset>
          <legend>Target</legend>
          <div className="field">
            <label htmlFor={ids.window}>Window</label>
            <select
              id={ids.window}
              value={form.window}
              onChange={(e) => chooseWindow(e.target.value as WindowChoice)}
              data-testid="planner-window"
            >
              <option value="dissociation">
                Population dissociation band ({POPULATION_WINDOW.lowNgMl}–{POPULATION_WINDOW.highNgMl} ng/mL)
              </option>
              <option value="personal" disabled={!pWindow}>
                {pWindow
                  ? `Personal band${alias ? ` of ${alias}` : ''} (${pWindow.lowNgMl}–${pWindow.highNgMl} ng/mL)`
                  : 'Personal band (choose a patient with recorded onsets)'}
              </option>
              <option value="custom">Custom window…</option>
            </select>
            <span className="hint">
              {form.window === 'dissociation'
                ? 'Zanos 2018 citing Krystal 1994; a gradient from about 50 ng/mL, not a threshold (Bowdle 1998).'
                : null}
              {form.window === 'personal' && personal.band
                ? `Low bound: mean Ce at reported onset, based on ${personal.band.ce.n} session${personal.band.ce.n === 1 ? '' : 's'} (model ${personal.inputs?.modelLabel}); high bound: the population band's ${POPULATION_WINDOW.highNgMl} ng/mL.`
                : null}
            </span>
            {form.window === 'personal' &&
            personal.inputs?.modelLabel &&
            plan &&
            'id' in plan.model &&
            personal.inputs.modelLabel !== plan.model.id ? (
              <span className="warning-box">
                The personal band was computed with {personal.inputs.modelLabel}; this plan uses {plan.model.id}. Ce values are
                comparable only within one model.
              </span>
            ) : null}
          </div>
          {form.window === 'custom' ? (
            <div className="grid-2">
              {num('lowNgMl', 'Window low bound', 'ng/mL')}
              {num('highNgMl', 'Window high bound', 'ng/mL')}
            </div>
          ) : null}
          <div className="field" role="radiogroup" aria-label="Concentration to hold">
            <span className="field-label">Hold</span>
            <label>
              <input type="radio" name="planner-mode" checked={form.mode === 'effect'} onChange={() => set({ mode: 'effect' })} />{' '}
              Ce, effect site
            </label>
            <label>
              <input type="radio" name="planner-mode" checked={form.mode === 'plasma'} onChange={() => set({ mode: 'plasma' })} />{' '}
              Cp, plasma
            </label>
          </div>
          <div className="grid-2">
            {num('reachMin', 'Reach the window by', 'min')}
            {num('durationMin', 'Session length', 'min', 'the pump stops at this time')}
          </div>
          {form.mode === 'effect'
            ? num(
                'maxCpNgMl',
                'Cp cap (optional)',
                'ng/mL',
                "empty: the window's high bound, so Ce stays below it whatever the true ke0",
              )
            : null}
        </fieldset>
        <fieldset>
          <legend>Pump (your equipment and protocol)</legend>
          <div className="field">
            <label htmlFor="planner-unit">Rate unit</label>
            <select
              id="planner-unit"
              value={form.unit}
              onChange={(e) => {
                const unit = e.target.value;
                setForm((f) => withRateUnit(f, unit, plan?.patient.weightKg ?? 0));
              }}
            >
              {RATE_UNIT_OPTIONS.map((u) => (
                <option key={u} value={u}>
                  {unitLabel(u)}
                </option>
              ))}
            </select>
          </div>
          <div className="grid-2">
            {num('maxRate', 'Maximum rate', unitLabel(form.unit))}
            {num('rateStep', 'Rate step', unitLabel(form.unit))}
            {num('minIntervalMin', 'Minimum interval between changes', 'min')}
            {num('maxBolusMgPerKg', 'Loading dose cap', 'mg/kg', '0: no loading dose')}
            <SettingNumber
              label="Smallest loading bolus"
              unit="mg/kg"
              value={minBolus}
              testId="planner-min-bolus"
              onCommit={(v) => v !== null && clinicSettings.set((c) => ({ ...c, minBolusMgPerKg: v }))}
            />
          </div>
          <p className="hint" data-testid="planner-min-bolus-hint">
            Smallest loading bolus: the clinic's setting (default {DEFAULT_MIN_BOLUS_MG_PER_KG} mg/kg, the smallest single IV dose
            in the sources, Fava 2020 and Navarrete 2025; no source states a minimum bolus). Proposed boluses are whole multiples
            of it, never smaller.
            {Number.isFinite(capNum) && capNum > 0 && capNum < minBolus
              ? ` The loading dose cap (${capNum} mg/kg) is below it, so no loading dose is proposed.`
              : ''}
          </p>
          <p className="hint">
            Defaults are settings, not recommendations: maximum 2 mg/kg/h (upper end of the chronic-pain range, ASRA 2018), step
            0.05 mg/kg/h and 5 min between changes (examples of a programmable pump).
          </p>
        </fieldset>
      </div>
      {req && !req.ok ? (
        <ul className="field-error" role="alert" data-testid="planner-form-errors">
          {req.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <div role="status" aria-live="polite" className="busy">
        {slow ? (
          <>
            <span className="spinner" aria-hidden="true" /> Planning…
          </>
        ) : null}
      </div>
      <PlannerOutcome
        weightKg={plan?.patient.weightKg ?? null}
        outcome={outcome}
        stale={!req?.ok}
        onUse={(o) => {
          scenario.set((s) => scenarioWithRegimen(s, o.regimen, o.settings.horizonMin));
          setLoaded(`Loaded into Plan & predict: ${o.regimen.length} dose events, view ${o.settings.horizonMin} min.`);
        }}
        loaded={loaded}
      />
    </>
  );

  return (
    <section className="panel planner" aria-labelledby="planner-h" data-testid="planner">
      {collapsed ? (
        <details>
          <summary>
            <h2 id="planner-h" className="inline">
              Titration planner
            </h2>{' '}
            <span className="muted">(for the next plan; the running session keeps its own)</span>
          </summary>
          {body}
        </details>
      ) : (
        <>
          <h2 id="planner-h">Titration planner</h2>
          {body}
        </>
      )}
    </section>
  );
});

type Proposal = Extract<PlannerResponse, { kind: 'proposal' }>;

function PlannerOutcome({
  outcome,
  stale,
  onUse,
  loaded,
  weightKg,
}: {
  weightKg: number | null;
  outcome: Outcome;
  stale: boolean;
  onUse: (o: Proposal) => void;
  loaded: string | null;
}) {
  const concentration = useStore(clinicSettings, (c) => c.pump.concentrationMgPerMl);
  if (outcome.kind === 'idle') return null;
  if (outcome.kind === 'error')
    return (
      <p className="field-error" role="alert">
        The planner failed: {outcome.message}
      </p>
    );
  if (outcome.kind === 'invalid') {
    return (
      <div className="problem-summary" role="alert" data-testid="planner-invalid">
        <p>
          <strong>The request needs fixing:</strong>
        </p>
        <ul>
          {outcome.problems.map((p) => (
            <li key={p.path + p.message}>
              {PLANNER_FIELD_NAMES[p.path] ?? p.path}: {p.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const s = outcome.settings;
  const target = s.mode === 'effect' ? 'Ce' : 'Cp';
  const windowText = `${plain(s.window.lowNgMl)}–${plain(s.window.highNgMl)} ng/mL`;
  if (outcome.kind === 'unreachable') {
    return (
      <div
        className={`planner-result unreachable${stale ? ' stale' : ''}`}
        data-testid="planner-unreachable"
        data-reason-code={outcome.code}
      >
        <h3>
          No programme holds {target} in {windowText} with these constraints
        </h3>
        <p data-testid="planner-unreachable-words">{unreachableWords(outcome.code)}</p>
        <ul>
          {outcome.reasons.map((r) => (
            <li key={r.code + r.message} data-reason-code={r.code}>
              {r.message} <span className="muted">({r.proven ? 'proven by exact bounds' : 'what the search found'})</span>
            </li>
          ))}
        </ul>
        <Warnings list={outcome.warnings.map((w) => w.message)} />
      </div>
    );
  }
  const m = outcome.metrics;
  return (
    <div className={`planner-result${stale ? ' stale' : ''}`} data-testid="planner-proposal">
      <h3>
        Proposed programme: {target} in {windowText} from {plain(s.reachMin)} to {plain(s.durationMin)} min
      </h3>
      <div className="planner-result-grid">
        <div>
          {concentration === null ? (
            <p className="hint" data-testid="planner-pump-hint">
              Enter the syringe concentration (mg/mL) under "Pump programming" to see each step in mL/h and the bolus in mL.
            </p>
          ) : null}
          <table className="metrics" data-testid="planner-steps">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Pump / syringe</th>
                <th scope="col">Pump programming</th>
              </tr>
            </thead>
            <tbody>
              {outcome.regimen.map((e, i) => (
                <tr key={i}>
                  <td>{plain(e.at)} min</td>
                  <td className="value">
                    {'bolus' in e
                      ? `bolus ${plain(e.bolus)} ${unitLabel(e.unit)}`
                      : 'rate' in e
                        ? e.rate === 0
                          ? 'stop (0)'
                          : `${plain(e.rate)} ${unitLabel(e.unit)}`
                        : ''}
                  </td>
                  <td>
                    {weightKg === null ? null : 'bolus' in e ? (
                      <PumpVolume bolusMg={isDoseUnit(e.unit) ? doseToMg(e.bolus, e.unit, weightKg) : null} weightKg={weightKg} />
                    ) : 'rate' in e ? (
                      <PumpVolume rate={e.rate} unit={e.unit} weightKg={weightKg} quiet />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="metrics" data-testid="planner-metrics">
            <tbody>
              <tr>
                <th scope="row">{target} in the window (reach → end)</th>
                <td className="value">{(m.fractionInWindow * 100).toFixed(1)} %</td>
              </tr>
              <tr>
                <th scope="row">{target} first in the window</th>
                <td className="value">{m.firstInWindowMin === null ? 'never' : `${m.firstInWindowMin.toFixed(1)} min`}</td>
              </tr>
              <tr>
                <th scope="row">Highest Ce</th>
                <td className="value">{conc(m.maxCeNgMl)}</td>
              </tr>
              <tr>
                <th scope="row">Highest Cp</th>
                <td className="value">{conc(m.maxCpNgMl)}</td>
              </tr>
              <tr>
                <th scope="row">Total dose</th>
                <td className="value">
                  {formatMg(m.totalDoseMg)} mg ({formatSig(m.totalDoseMgPerKg)} mg/kg)
                </td>
              </tr>
              <tr>
                <th scope="row">Rate changes</th>
                <td className="value">{m.rateChanges}</td>
              </tr>
            </tbody>
          </table>
        </div>
        <ProposalChart proposal={outcome} />
      </div>
      <Warnings list={outcome.warnings.map((w) => w.message)} />
      <div className="button-row">
        <button type="button" className="primary" data-testid="planner-use" disabled={stale} onClick={() => onUse(outcome)}>
          Use this plan
        </button>
        <span className="hint">Replaces the regimen in Plan &amp; predict (patient, model and bands stay).</span>
        {loaded ? (
          <span role="status" data-testid="planner-loaded">
            ✓ {loaded}
          </span>
        ) : null}
      </div>
    </div>
  );
}

function Warnings({ list }: { list: readonly string[] }) {
  if (list.length === 0) return null;
  return (
    <div className="warning-box">
      {list.map((w) => (
        <p key={w}>{w}</p>
      ))}
    </div>
  );
}

function ProposalChart({ proposal }: { proposal: Proposal }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const tr = proposal.trajectory;
  const series = useMemo(
    (): ChartSeries[] => [
      { id: 'cp', name: 'Cp, plasma (ng/mL)', t: tr.t, v: tr.cp, color: CP_COLOR, width: 1.6, className: 'series-planner-cp' },
      {
        id: 'ce',
        name: 'Ce, effect site (ng/mL)',
        t: tr.t,
        v: tr.ce,
        color: CE_COLOR,
        width: 2.6,
        className: 'series-planner-ce',
      },
    ],
    [tr],
  );
  const w = proposal.settings.window;
  const bands = useMemo(
    (): ChartBand[] => [
      {
        id: 'window',
        name: `window ${plain(w.lowNgMl)}–${plain(w.highNgMl)} ng/mL`,
        y1: w.lowNgMl,
        y2: w.highNgMl,
        color: '#2196f3',
      },
    ],
    [w.lowNgMl, w.highNgMl],
  );
  const yMax = niceCeil(Math.max(proposal.metrics.maxCpNgMl, w.highNgMl) * 1.1);
  const domain = useMemo(() => [0, proposal.settings.horizonMin] as const, [proposal.settings.horizonMin]);
  return (
    <div
      ref={ref}
      className="chart-box"
      role="img"
      aria-label={`Predicted Cp and Ce of the proposed programme over ${proposal.settings.horizonMin} min, with the window shaded.`}
    >
      <ul className="legend" aria-hidden="true">
        <li>
          <span className="swatch line thick" style={{ borderColor: CE_COLOR }} /> Ce (ng/mL)
        </li>
        <li>
          <span className="swatch line" style={{ borderColor: CP_COLOR }} /> Cp (ng/mL)
        </li>
      </ul>
      {width > 0 ? (
        <ConcentrationChart width={width} height={240} domain={domain} yMax={yMax} series={series} bands={bands} />
      ) : (
        <div style={{ height: 240 }} />
      )}
    </div>
  );
}
