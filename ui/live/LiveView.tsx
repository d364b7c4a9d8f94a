// `LiveView`: running session readouts each second, live chart, recorded actions, what-ifs, event log; start panel otherwise.
import { memo, useEffect, useId, useState, type FormEvent } from 'react';
import type { NowState } from '../../engine/live/index.ts';
import type { Plan } from '../../engine/plan.ts';
import { DOSE_UNITS, doseToMg, isDoseUnit } from '../../engine/units.ts';
import type { RunningSession } from '../storage/store.ts';
import { useStore } from '../state/store.ts';
import { conc, formatMg, formatSig, unitLabel } from '../format.ts';
import type { LiveAnalysis, WhatIfView } from '../../workers/live-api.ts';
import { isAbortError, liveClient } from '../../workers/live-client.ts';
import { liveState, loadRunningSession, recordNow, finishNow, sessionNowMin, type ActionNow } from './session.ts';
import {
  bandsText,
  crossingText,
  DOSE_UNIT_OPTIONS,
  elapsedClock,
  leaveText,
  plain,
  problemLines,
  pumpText,
  RATE_UNIT_OPTIONS,
  readNumber,
} from './live-model.ts';
import { LiveChart, GHOST_COLORS, type GhostToggles } from './LiveChart.tsx';
import { EventLog } from './EventLog.tsx';
import { StartSessionPanel } from './StartSessionPanel.tsx';
import { PlannerPanel } from './PlannerPanel.tsx';
import { useSlow, useWallClock } from './hooks.ts';
import { BandAlert } from './BandAlert.tsx';
import './live.css';
import { PumpNowVolume, PumpVolume } from '../pump/PumpVolume.tsx';

/**
 * Live mode: follow a running infusion on the wall clock. Before a session: choose the patient, start
 * from the current plan, or plan a titration. During one: readouts once a second (LiveTracker in the
 * live worker, exact and cheap), the chart of what was given and the forecast (analysed in the live
 * worker), one-click actions that are shown as recorded only once stored, what-ifs never recorded,
 * and the event log with corrections.
 */
export function LiveView() {
  const state = useStore(liveState, (s) => s);
  useEffect(() => {
    void loadRunningSession();
  }, []);
  return (
    <div className="live-view" data-testid="live-view">
      {state.phase === 'loading' ? (
        <section className="panel">
          <p>
            <span className="spinner" aria-hidden="true" /> Looking for a running session in this browser…
          </p>
        </section>
      ) : state.phase === 'error' ? (
        <section className="panel problem-summary" role="alert">
          <p>
            <strong>{state.message}</strong>
          </p>
        </section>
      ) : state.phase === 'running' ? (
        <RunningSessionView key={state.running.session.id} running={state.running} />
      ) : (
        <>
          {state.finished ? (
            <p className="live-finished" role="status" data-testid="live-finished">
              Session for <strong>{state.finished.alias}</strong> finished at {formatSig(state.finished.endedAtMin, 3)} min. Add
              notes and outcome scores in the Course tab.
            </p>
          ) : null}
          <StartSessionPanel />
        </>
      )}
      <PlannerPanel collapsed={state.phase === 'running'} />
    </div>
  );
}

/**
 * The once-a-second readout: the exact now-state, computed in the live worker (engine/live LiveTracker,
 * kept there between ticks while the log is unchanged), or why it cannot be shown. The last answer stays
 * on screen until the next one arrives (a tick is latest-wins).
 */
function useNowState(plan: Plan, running: RunningSession, nowMin: number): { now: NowState | null; error: string | null } {
  const [state, setState] = useState<{ now: NowState | null; error: string | null }>({ now: null, error: null });
  useEffect(() => {
    let live = true;
    liveClient()
      .now({ plan, log: running.log.entries, nowMin })
      .then(
        (r) => {
          if (live) setState(r.ok ? { now: r.now, error: null } : { now: null, error: r.message });
        },
        (e) => {
          if (live && !isAbortError(e)) setState({ now: null, error: (e as Error).message });
        },
      );
    return () => {
      live = false;
    };
  }, [plan, running.log, nowMin]);
  return state;
}

/** Pixel columns asked of the worker for the chart (about a wide plot's width). */
const CHART_BUCKETS = 900;
/** How often the chart's forecast and what-ifs are recomputed while nothing changes, ms. */
const ANALYSIS_PERIOD_MS = 2000;

function RunningSessionView({ running }: { running: RunningSession }) {
  const plan = running.session.plan;
  const nowMs = useWallClock();
  const nowMin = sessionNowMin(running.startEpochMs, nowMs);
  const clockBehind = nowMs < running.startEpochMs;
  const { now, error } = useNowState(plan, running, nowMin);
  const [whatIfRate, setWhatIfRate] = useState('0.5');
  const [whatIfUnit, setWhatIfUnit] = useState<string>('mg/kg/h');
  const [ghosts, setGhosts] = useState<GhostToggles>({ paused: true, stopped: false, rate: false });
  const rateParsed = readNumber(whatIfRate, 'What-if rate', unitLabel(whatIfUnit), 0);
  const analysis = useAnalysis(running, nowMs, rateParsed.ok ? { rate: rateParsed.value, unit: whatIfUnit } : null);

  return (
    <>
      <section className="panel live-session" aria-labelledby="live-h" data-testid="live-session">
        <div className="panel-head">
          <h2 id="live-h">
            Live session: <span data-testid="live-alias">{running.patient.alias}</span>
          </h2>
          <span className="muted">
            started {new Date(running.startEpochMs).toLocaleTimeString('en-GB')} (this computer's clock) · model{' '}
            {'id' in plan.model ? plan.model.id : 'custom'} · {plan.patient.weightKg} kg
          </span>
        </div>
        {clockBehind ? (
          <p className="field-error" role="alert">
            This computer's clock reads earlier than the session start; the session clock shows 0 until it catches up.
          </p>
        ) : null}
        <div className="live-readouts" aria-live="off">
          <Readout
            label="Session clock"
            testId="live-clock"
            value={elapsedClock(nowMin)}
            detail={`${nowMin.toFixed(1)} min since the start`}
          />
          <Readout label="Cp (plasma)" testId="live-cp" value={now ? conc(now.cpNgMl) : '–'} />
          <Readout label="Ce (effect site)" testId="live-ce" value={now ? conc(now.ceNgMl) : '–'} strong />
          <Readout label="Ce is in" testId="live-band" value={now ? inBandsText(now, bandsOf(analysis, plan)) : '–'} wide />
          <Readout
            label="Next band crossing"
            testId="live-next-crossing"
            value={now ? (now.nextCrossing ? `in ${now.nextCrossing.inMin.toFixed(1)} min` : 'none ahead') : '–'}
            detail={now ? crossingText(now.nextCrossing, now.lookaheadMin) : undefined}
            wide
          />
          <Readout label="Pump" testId="live-pump" value={now ? pumpText(now.pump, plan.patient.weightKg) : '–'} wide />
          <Readout
            label="Given so far"
            testId="live-given"
            value={now ? `${formatMg(now.givenMg)} mg` : '–'}
            detail={now ? `${formatSig(now.givenMg / plan.patient.weightKg)} mg/kg` : undefined}
          />
        </div>
        <BandAlert now={now} bands={bandsOf(analysis, plan)} />
        {error ? (
          <p className="field-error" role="alert">
            The readouts cannot be computed: {error}
          </p>
        ) : null}
      </section>

      <div className="live-grid">
        <section className="panel live-chart-panel" aria-labelledby="live-chart-h">
          <div className="panel-head">
            <h2 id="live-chart-h">Given so far and forecast</h2>
            <AnalysisStatus busy={analysis.busy} error={analysis.error} />
          </div>
          {analysis.result ? (
            <LiveChart analysis={analysis.result} ghosts={ghosts} nowMin={nowMin} />
          ) : (
            <div className="chart-placeholder" style={{ height: 360 }}>
              <span className="spinner" aria-hidden="true" /> Computing the forecast…
            </div>
          )}
          <p className="hint">
            The forecast assumes nothing more is recorded: the pump keeps doing what it does now (and follows the plan's later
            steps while it follows the plan). Typical-patient model values, not measurements.
          </p>
        </section>
        <div className="live-side">
          <ActionPanel running={running} now={now} />
          <WhatIfPanel
            analysis={analysis.result}
            ghosts={ghosts}
            setGhosts={setGhosts}
            rateText={whatIfRate}
            setRateText={setWhatIfRate}
            unit={whatIfUnit}
            setUnit={setWhatIfUnit}
            rateError={rateParsed.ok ? null : rateParsed.message}
          />
        </div>
      </div>
      <EventLog running={running} nowMin={nowMin} />
      <FinishPanel now={now} />
    </>
  );
}

/** The live worker's bands (the plan's own, else its drug's defaults); until its first answer, only the plan's own. */
function bandsOf(a: { result: LiveAnalysis | null } | null, plan: Plan) {
  return a?.result?.bands ?? plan.thresholds ?? [];
}

/** The bands Ce is in; when none, whether it is above every band, below every band or between two. */
function inBandsText(now: NowState, bands: ReturnType<typeof bandsOf>): string {
  if (now.bandIds.length > 0 || bands.length === 0) return bandsText(now.bandIds, bands);
  const tops = bands.map((b) => b.highNgMl ?? Infinity);
  const top = Math.max(...tops);
  const bottom = Math.min(...bands.map((b) => b.lowNgMl));
  if (now.ceNgMl >= top) return `none of the bands: above every band (highest bound ${top} ng/mL)`;
  if (now.ceNgMl < bottom) return `none of the bands: below every band (lowest bound ${bottom} ng/mL)`;
  return 'none of the bands: between two bands';
}

function Readout({
  label,
  value,
  detail,
  testId,
  strong,
  wide,
}: {
  label: string;
  value: string;
  detail?: string;
  testId: string;
  strong?: boolean;
  wide?: boolean;
}) {
  return (
    <div className={`live-readout${strong ? ' strong' : ''}${wide ? ' wide' : ''}`}>
      <span className="label">{label}</span>
      <span className="value" data-testid={testId}>
        {value}
      </span>
      {detail ? (
        <span className="detail" data-testid={`${testId}-detail`}>
          {detail}
        </span>
      ) : null}
    </div>
  );
}

interface AnalysisState {
  readonly result: LiveAnalysis | null;
  readonly busy: boolean;
  readonly error: string | null;
}

/**
 * The worker's analysis of the session, requested when the log or the what-if rate changes and every
 * ANALYSIS_PERIOD_MS (the forecast starts at now, which moves). Latest wins: only the newest answer
 * is shown.
 */
function useAnalysis(running: RunningSession, nowMs: number, rate: { rate: number; unit: string } | null): AnalysisState {
  const [state, setState] = useState<AnalysisState>({ result: null, busy: false, error: null });
  const period = Math.floor(nowMs / ANALYSIS_PERIOD_MS);
  const rateKey = rate ? `${rate.rate} ${rate.unit}` : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: `period` re-runs it as now moves; `rateKey` stands for `rate` (a new object every render)
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, busy: true }));
    const nowMin = sessionNowMin(running.startEpochMs);
    liveClient()
      .analyze({
        plan: running.session.plan,
        log: running.log.entries,
        nowMin,
        buckets: CHART_BUCKETS,
        whatIfRates: rate ? [rate] : [],
      })
      .then(
        (r) => {
          if (!live) return;
          if (r.ok) setState({ result: r, busy: false, error: null });
          else setState((s) => ({ ...s, busy: false, error: problemLines(r.problems).join('; ') }));
        },
        (e) => {
          if (!live || isAbortError(e)) return;
          setState((s) => ({ ...s, busy: false, error: `The forecast could not be computed: ${(e as Error).message}` }));
        },
      );
    return () => {
      live = false;
    };
    // `rateKey` stands for `rate` (a new object every render); `period` re-runs it as now moves.
  }, [running, period, rateKey]);
  return state;
}

function AnalysisStatus({ busy, error }: { busy: boolean; error: string | null }) {
  const slow = useSlow(busy, 500);
  return (
    <span className="busy" role="status" aria-live="polite">
      {error ? (
        <span className="field-error">{error}</span>
      ) : slow ? (
        <>
          <span className="spinner" aria-hidden="true" /> Updating the forecast…
        </>
      ) : null}
    </span>
  );
}

type Feedback =
  | { readonly kind: 'saving'; readonly text: string }
  | { readonly kind: 'ok'; readonly text: string }
  | { readonly kind: 'error'; readonly text: string; readonly lines: readonly string[] };

/** Run a store write: "Saving…" while it runs; success or the problems after it resolves (never before). */
function useSaving(): [
  Feedback | null,
  (
    label: string,
    f: () => Promise<{ ok: boolean; problems?: readonly { path: string; message: string }[]; atMin?: number }>,
  ) => Promise<boolean>,
] {
  const [fb, setFb] = useState<Feedback | null>(null);
  const run = async (
    label: string,
    f: () => Promise<{ ok: boolean; problems?: readonly { path: string; message: string }[]; atMin?: number }>,
  ) => {
    setFb({ kind: 'saving', text: `Saving ${label}…` });
    try {
      const r = await f();
      if (r.ok) {
        setFb({
          kind: 'ok',
          text: `${label[0].toUpperCase()}${label.slice(1)} recorded${r.atMin !== undefined ? ` at ${r.atMin.toFixed(1)} min (${elapsedClock(r.atMin)})` : ''} and saved.`,
        });
        return true;
      }
      setFb({ kind: 'error', text: `Not recorded: ${label}.`, lines: problemLines(r.problems ?? []) });
    } catch (e) {
      setFb({
        kind: 'error',
        text: `Not saved: ${label}. The browser's database refused the write, so nothing was recorded.`,
        lines: [(e as Error).message],
      });
    }
    return false;
  };
  return [fb, run];
}

function FeedbackLine({ fb, testId }: { fb: Feedback | null; testId: string }) {
  return (
    <div className={`live-feedback ${fb?.kind ?? ''}`} role="status" aria-live="polite" data-testid={testId}>
      {fb ? (
        <>
          {fb.kind === 'saving' ? (
            <span className="spinner" aria-hidden="true" />
          ) : fb.kind === 'ok' ? (
            <span aria-hidden="true">✓ </span>
          ) : null}
          {fb.text}
          {fb.kind === 'error' && fb.lines.length ? (
            <ul>
              {fb.lines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

/** One button each for pause, resume, resume the plan, stop; a rate change and a bolus with value and unit. */
const ActionPanel = memo(function ActionPanel({ running, now }: { running: RunningSession; now: NowState | null }) {
  const [fb, run] = useSaving();
  const [confirmStop, setConfirmStop] = useState(false);
  const [rateText, setRateText] = useState('');
  const [rateUnit, setRateUnit] = useState<string>('mg/kg/h');
  const [bolusText, setBolusText] = useState('');
  const [bolusUnit, setBolusUnit] = useState<string>('mg/kg');
  const [touched, setTouched] = useState({ rate: false, bolus: false });
  const ids = { rate: useId(), rateUnit: useId(), bolus: useId(), bolusUnit: useId() };
  const saving = fb?.kind === 'saving';
  const pump = now?.pump;
  const stopped = pump?.mode === 'stopped';
  const runningPump = (pump?.rateMgPerMin ?? 0) > 0;
  const w = running.session.plan.patient.weightKg;
  const rate = readNumber(rateText, stopped ? 'Restart rate' : 'New rate', unitLabel(rateUnit), 0, stopped);
  const bolus = readNumber(bolusText, 'Bolus', unitLabel(bolusUnit), 0, true);
  const act = (label: string, a: ActionNow) => run(label, () => recordNow(a));
  const submitRate = async (e: FormEvent) => {
    e.preventDefault();
    setTouched((t) => ({ ...t, rate: true }));
    if (!rate.ok) return;
    const label = `${stopped ? 'restart at ' : 'rate '}${plain(rate.value)} ${unitLabel(rateUnit)}`;
    if (await act(label, { kind: stopped ? 'restart' : 'rate', rate: rate.value, unit: rateUnit })) {
      setRateText('');
      setTouched((t) => ({ ...t, rate: false }));
    }
  };
  const submitBolus = async (e: FormEvent) => {
    e.preventDefault();
    setTouched((t) => ({ ...t, bolus: true }));
    if (!bolus.ok) return;
    if (
      await act(`bolus ${plain(bolus.value)} ${unitLabel(bolusUnit)}`, { kind: 'bolus', amount: bolus.value, unit: bolusUnit })
    ) {
      setBolusText('');
      setTouched((t) => ({ ...t, bolus: false }));
    }
  };
  const bolusMg = bolus.ok && isDoseUnit(bolusUnit) ? doseToMg(bolus.value, bolusUnit, w) : null;
  return (
    <section className="panel live-actions" aria-labelledby="live-actions-h">
      <h2 id="live-actions-h">Record what the pump did, now</h2>
      <p className="hint">
        Each action is timestamped with the session clock when you press it; correct the time afterwards in the event log.
      </p>
      <div className="button-row" role="group" aria-label="Pump actions">
        <button
          type="button"
          data-testid="act-pause"
          disabled={saving || stopped || !runningPump}
          onClick={() => act('pause', { kind: 'pause' })}
        >
          Pause
        </button>
        <button
          type="button"
          data-testid="act-resume"
          disabled={saving || stopped || runningPump}
          onClick={() => act('resume', { kind: 'resume' })}
        >
          Resume
        </button>
        <button
          type="button"
          data-testid="act-resume-plan"
          disabled={saving || stopped || pump?.followingPlan}
          onClick={() => act('resume of the plan', { kind: 'resume-plan' })}
        >
          Resume the plan
        </button>
        {confirmStop ? (
          <span className="confirm">
            <button
              type="button"
              className="danger"
              data-testid="act-stop-confirm"
              disabled={saving}
              onClick={() => {
                setConfirmStop(false);
                void act('stop', { kind: 'stop' });
              }}
            >
              Confirm: stop the infusion
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmStop(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="danger"
            data-testid="act-stop"
            disabled={saving || stopped}
            onClick={() => setConfirmStop(true)}
          >
            Stop…
          </button>
        )}
      </div>
      <p className="hint">
        Resume: back to the last running rate, which then runs until changed (the plan's later steps no longer apply). Resume the
        plan: the plan's rate now and its later steps on schedule. A bolus does not change the pump.
      </p>
      {stopped ? (
        <p className="hint" data-testid="restart-hint">
          The infusion is stopped. To restart it, set a rate above 0 below: it is recorded as a new rate event at the session
          clock (the plan's later steps no longer apply).
        </p>
      ) : null}
      <form className="live-form" onSubmit={submitRate} aria-label={stopped ? 'Restart the infusion' : 'Rate change'}>
        <label htmlFor={ids.rate}>{stopped ? 'Restart at rate' : 'New rate'}</label>
        <input
          id={ids.rate}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          value={rateText}
          data-testid="rate-value"
          size={7}
          onChange={(e) => setRateText(e.target.value)}
          aria-invalid={touched.rate && !rate.ok ? true : undefined}
        />
        <label htmlFor={ids.rateUnit} className="sr-only">
          Rate unit
        </label>
        <select id={ids.rateUnit} value={rateUnit} onChange={(e) => setRateUnit(e.target.value)} data-testid="rate-unit">
          {RATE_UNIT_OPTIONS.map((u) => (
            <option key={u} value={u}>
              {unitLabel(u)}
            </option>
          ))}
        </select>
        <PumpVolume rate={rate.ok ? rate.value : null} unit={rateUnit} weightKg={w} testId="rate-pump-volume" />
        <button type="submit" data-testid="act-rate" disabled={saving}>
          {stopped ? 'Restart the infusion now' : 'Set rate now'}
        </button>
        {touched.rate && !rate.ok ? (
          <span className="field-error" role="alert">
            {rate.message}
          </span>
        ) : null}
      </form>
      <form className="live-form" onSubmit={submitBolus} aria-label="Bolus">
        <label htmlFor={ids.bolus}>Bolus</label>
        <input
          id={ids.bolus}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          value={bolusText}
          data-testid="bolus-value"
          size={7}
          onChange={(e) => setBolusText(e.target.value)}
          aria-invalid={touched.bolus && !bolus.ok ? true : undefined}
          disabled={stopped}
        />
        <label htmlFor={ids.bolusUnit} className="sr-only">
          Bolus unit
        </label>
        <select
          id={ids.bolusUnit}
          value={bolusUnit}
          onChange={(e) => setBolusUnit(e.target.value)}
          data-testid="bolus-unit"
          disabled={stopped}
        >
          {DOSE_UNIT_OPTIONS.map((u) => (
            <option key={u} value={u}>
              {unitLabel(u)}
            </option>
          ))}
        </select>
        <PumpVolume bolusMg={bolusMg} weightKg={w} testId="bolus-pump-volume" />
        <button type="submit" data-testid="act-bolus" disabled={saving || stopped}>
          Record bolus now
        </button>
        {bolusMg !== null && DOSE_UNITS[bolusUnit as keyof typeof DOSE_UNITS].perKg ? (
          <span className="muted">
            = {formatMg(bolusMg)} mg at {w} kg
          </span>
        ) : null}
        {touched.bolus && !bolus.ok ? (
          <span className="field-error" role="alert">
            {bolus.message}
          </span>
        ) : null}
      </form>
      {pump ? <PumpNowVolume rateMgPerMin={pump.rateMgPerMin ?? 0} weightKg={w} /> : null}
      <FeedbackLine fb={fb} testId="live-feedback" />
    </section>
  );
});

function whatIfLine(v: WhatIfView | undefined): { text: string; detail: string | null } {
  if (!v) return { text: '–', detail: null };
  if (!v.ok) return { text: 'not possible now', detail: problemLines(v.problems).join('; ') };
  return {
    text: leaveText(v.minutesToLeave, v.lowNgMl, v.horizonMin),
    detail: `highest Ce ahead ${conc(v.peakCeNgMl)} at ${v.peakCeMin.toFixed(1)} min`,
  };
}

interface WhatIfPanelProps {
  readonly analysis: LiveAnalysis | null;
  readonly ghosts: GhostToggles;
  readonly setGhosts: (f: (g: GhostToggles) => GhostToggles) => void;
  readonly rateText: string;
  readonly setRateText: (t: string) => void;
  readonly unit: string;
  readonly setUnit: (u: string) => void;
  readonly rateError: string | null;
}

/** "If paused / stopped / set to X now": time to leave the dissociation band, shown as ghosts, never recorded. */
function WhatIfPanel({ analysis, ghosts, setGhosts, rateText, setRateText, unit, setUnit, rateError }: WhatIfPanelProps) {
  const ids = { rate: useId(), unit: useId() };
  const paused = whatIfLine(analysis?.whatIfs.paused);
  const stopped = whatIfLine(analysis?.whatIfs.stopped);
  const rate = whatIfLine(analysis?.whatIfs.rates[0]);
  const toggle = (k: keyof GhostToggles) => setGhosts((g) => ({ ...g, [k]: !g[k] }));
  if (analysis?.pump.mode === 'stopped') {
    return (
      <section className="panel live-whatif" aria-labelledby="live-whatif-h" data-testid="live-whatif">
        <h2 id="live-whatif-h">What if, now?</h2>
        <p className="muted">
          The infusion is stopped: the chart shows the fall of Cp and Ce. A new rate restarts it (Record panel).
        </p>
      </section>
    );
  }
  return (
    <section className="panel live-whatif" aria-labelledby="live-whatif-h" data-testid="live-whatif">
      <h2 id="live-whatif-h">
        What if, now? <span className="muted">(nothing is recorded)</span>
      </h2>
      <p className="hint">When would Ce leave the dissociation band (fall below its low bound for good)?</p>
      <ul className="whatif-list">
        <li>
          <label>
            <input type="checkbox" checked={ghosts.paused} onChange={() => toggle('paused')} />{' '}
            <span className="swatch line dotted" style={{ borderColor: GHOST_COLORS.paused }} /> <strong>If paused now:</strong>
          </label>
          <span data-testid="whatif-paused">{paused.text}</span>
          {paused.detail ? <span className="detail"> · {paused.detail}</span> : null}
        </li>
        <li>
          <label>
            <input type="checkbox" checked={ghosts.stopped} onChange={() => toggle('stopped')} />{' '}
            <span className="swatch line dotted" style={{ borderColor: GHOST_COLORS.stopped }} /> <strong>If stopped now:</strong>
          </label>
          <span data-testid="whatif-stopped">{stopped.text}</span>
          {stopped.detail ? <span className="detail"> · {stopped.detail}</span> : null}
        </li>
        <li>
          <span className="whatif-rate">
            <label>
              <input
                type="checkbox"
                checked={ghosts.rate}
                onChange={() => toggle('rate')}
                aria-label="Show the rate what-if on the chart"
              />{' '}
              <span className="swatch line dotted" style={{ borderColor: GHOST_COLORS.rate }} /> <strong>If set to</strong>
            </label>
            <label htmlFor={ids.rate} className="sr-only">
              What-if rate
            </label>
            <input
              id={ids.rate}
              type="text"
              inputMode="decimal"
              size={5}
              value={rateText}
              onChange={(e) => setRateText(e.target.value)}
              aria-invalid={rateError ? true : undefined}
              data-testid="whatif-rate-value"
            />
            <label htmlFor={ids.unit} className="sr-only">
              What-if rate unit
            </label>
            <select id={ids.unit} value={unit} onChange={(e) => setUnit(e.target.value)}>
              {RATE_UNIT_OPTIONS.map((u) => (
                <option key={u} value={u}>
                  {unitLabel(u)}
                </option>
              ))}
            </select>
            <strong>now:</strong>
          </span>
          {rateError ? (
            <span className="field-error">{rateError}</span>
          ) : (
            <>
              <span data-testid="whatif-rate">{rate.text}</span>
              {rate.detail ? <span className="detail"> · {rate.detail}</span> : null}
            </>
          )}
        </li>
      </ul>
      <p className="hint">
        Followed for 120 min from now on the exact model. The dissociation band (100–250 ng/mL, Zanos 2018) is a gradient, not a
        threshold (Bowdle 1998).
      </p>
    </section>
  );
}

/** Finish the session once the pump is stopped (it then moves to the Course tab's history). */
function FinishPanel({ now }: { now: NowState | null }) {
  const [fb, run] = useSaving();
  const canFinish = now !== null && now.pump.rateMgPerMin === 0;
  return (
    <section className="panel live-finish" aria-labelledby="live-finish-h">
      <h2 id="live-finish-h">End of session</h2>
      <div className="button-row">
        <button
          type="button"
          data-testid="act-finish"
          disabled={!canFinish || fb?.kind === 'saving'}
          onClick={() => run('end of the session', () => finishNow())}
        >
          Finish the session
        </button>
        <span className="hint">
          {canFinish
            ? 'Closes the session record now; notes and scores go in the Course tab. Corrections stay possible.'
            : 'Record a stop (or a pause) first: a session ends with the pump at 0.'}
        </span>
      </div>
      <FeedbackLine fb={fb} testId="finish-feedback" />
    </section>
  );
}
