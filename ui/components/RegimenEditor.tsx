// `RegimenEditor`: sourced presets, one row per dose event (bolus/rate/dose over time, intranasal/oral where the model has them), prediction window.
import { memo, useId, useMemo, useState } from 'react';
import { PRESETS, findPreset } from '../../engine/pd/presets.ts';
import { doseToMg, isDoseUnit, isRateUnit, rateToMgPerMin } from '../../engine/units.ts';
import { useApp, useResults, useScenario } from '../context.ts';
import {
  addEvent,
  applyPreset,
  changeEventKind,
  removeEvent,
  setGrid,
  sortRegimen,
  updateEvent,
  type AddKind,
} from '../state/actions.ts';
import { eventKind, textToNum, type DraftEvent, type EventKind } from '../state/scenario.ts';
import { NumberField, SelectField, useFieldProblems } from './fields.tsx';
import { formatMg, formatSig, unitLabel } from '../format.ts';
import { bolusText, pumpRateText, type PumpSettings } from '../pump/pump.ts';
import { PumpSettingsPanel, usePumpSettings } from '../pump/PumpSettingsPanel.tsx';
import { DoseSafetyPanel } from '../settings/dose-safety.tsx';
import { PrintPlanButton } from '../print/PrintSheet.tsx';
import {
  doseRowRate,
  pausedDose,
  resumeNewRate,
  resumeRest,
  rowOutcomes,
  type PausedDose,
  type RowOutcome,
} from './regimen-outcome.ts';
import { draftModelId, modelRoutes, rowRoute, routeRowText } from './route-dose.ts';
import { AddRouteButtons, RouteLine, useRouteTable } from './route-fields.tsx';
import type { RouteInfo } from '../../workers/stop-comparison-api.ts';

const DOSE_UNIT_OPTIONS = ['mg/kg', 'mg', 'ug/kg', 'ug'];
const RATE_UNIT_OPTIONS = ['mg/kg/h', 'mg/kg/min', 'mg/h', 'mg/min', 'ug/kg/min', 'ug/kg/h'];
/** How a row's fields are named in messages (and in each input's accessible label). */
const FIELD_NAMES: Record<string, string> = {
  at: 'time',
  bolus: 'dose',
  dose: 'dose',
  rate: 'rate',
  unit: 'unit',
  overMin: 'duration',
  route: 'route',
};

const KIND_OPTIONS: { value: EventKind; label: string }[] = [
  { value: 'bolus', label: 'Bolus' },
  { value: 'rate', label: 'Rate' },
  { value: 'dose', label: 'Dose over time' },
];
/** The Type choice of a non-IV row (its route is chosen on the row's route line). */
const NON_IV_KIND = { value: 'non-iv', label: 'Non-IV dose' } as const;

/**
 * The editor's panels that take no props from it, memoised: each reads its own store slices, so a
 * keystroke in a dose field (which re-renders the editor synchronously, inside the input event)
 * no longer re-renders them too; the worker's answer for the edit then finds the main thread free sooner.
 */
const PresetPickerMemo = memo(PresetPicker);
const DoseSafetyPanelMemo = memo(DoseSafetyPanel);
const AddRouteButtonsMemo = memo(AddRouteButtons);
const PumpSettingsPanelMemo = memo(PumpSettingsPanel);
const PrintPlanButtonMemo = memo(PrintPlanButton);

/** The regimen: presets with their sources, one row per dose event, and the prediction window. */
export const RegimenEditor = memo(function RegimenEditor() {
  const { scenario } = useApp();
  const regimen = useScenario((s) => s.plan.regimen);
  const presetId = useScenario((s) => s.presetId);
  const horizon = useScenario((s) => s.plan.horizonMin);
  const resolution = useScenario((s) => s.plan.resolutionSec);
  const weight = useScenario((s) => textToNum(s.plan.patient.weightKg ?? ''));
  const regimenError = useFieldProblems('regimen');
  const add = (k: AddKind) => scenario.set((s) => addEvent(s, k));
  const applied = presetId ? findPreset(presetId) : undefined;
  const h = textToNum(horizon);
  const routeTable = useRouteTable();
  const modelId = useScenario(draftModelId);
  const routeInfo = useMemo(() => new Map(modelRoutes(routeTable, modelId)), [routeTable, modelId]);
  const outcomes = useMemo(
    () => (typeof weight === 'number' && weight > 0 ? rowOutcomes(regimen, weight) : []),
    [regimen, weight],
  );

  return (
    <section className="panel" aria-labelledby="regimen-h">
      <h2 id="regimen-h">Regimen</h2>
      <PresetPickerMemo />
      {applied ? (
        <p className="preset-source" data-testid="preset-source">
          From preset <strong>{applied.name}</strong>
          {applied.verified ? null : <span className="badge unverified">UNVERIFIED</span>}. Source: {applied.citation}
          {applied.doi ? (
            <>
              {' '}
              doi:
              <a href={`https://doi.org/${applied.doi}`} target="_blank" rel="noreferrer noopener">
                {applied.doi}
              </a>
            </>
          ) : null}
          . <span className="muted">{applied.note}</span>
        </p>
      ) : null}

      <div className="regimen" role="group" aria-label="Dose events">
        {regimen.length === 0 ? (
          <p className="muted">No dose events: add one below.</p>
        ) : (
          <div className="event-row header" aria-hidden="true">
            <span className="event-index">#</span>
            <span>Type</span>
            <span>At (min)</span>
            <span>Dose / rate</span>
            <span>Unit</span>
            <span className="over">Over (min)</span>
            <span />
          </div>
        )}
        {regimen.map((e, i) => (
          <EventRow
            key={e.uid}
            event={e}
            index={i}
            weightKg={typeof weight === 'number' ? weight : null}
            outcome={outcomes.find((o) => o.index === i)}
            paused={pausedDose(regimen, i)}
            routeInfo={routeInfo.get(rowRoute(e) as 'intranasal' | 'oral')}
          />
        ))}
      </div>
      {regimenError ? <p className="field-error">Regimen: {regimenError}</p> : null}
      <DoseSafetyPanelMemo />
      <div className="button-row" role="group" aria-label="Add a dose event">
        <button type="button" onClick={() => add('bolus')}>
          + Bolus
        </button>
        <button type="button" onClick={() => add('rate')}>
          + Rate change
        </button>
        <button type="button" onClick={() => add('dose')}>
          + Dose over time
        </button>
        <button type="button" onClick={() => add('pause')}>
          + Pause
        </button>
        <button type="button" onClick={() => add('resume')}>
          + Resume
        </button>
        <AddRouteButtonsMemo />
        <button type="button" className="secondary" onClick={() => scenario.set(sortRegimen)} disabled={regimen.length < 2}>
          Sort by time
        </button>
      </div>
      <p className="hint">
        Events apply in time order; events at the same time apply top to bottom (the last rate set wins). Per-kg units use the
        patient's weight. An intranasal or oral dose is not part of the pump: it never changes the pump's rate, and once given it
        cannot be stopped.
      </p>

      <PumpSettingsPanelMemo />
      <PrintPlanButtonMemo />

      <h3>Prediction window</h3>
      <div className="grid-2">
        <NumberField
          path="horizonMin"
          label="Horizon"
          name="Horizon"
          unit="min"
          hint={typeof h === 'number' && h >= 60 ? `= ${formatSig(h / 60, 3)} h` : undefined}
          value={horizon}
          onCommit={(v) => scenario.set((s) => setGrid(s, 'horizonMin', v))}
        />
        <NumberField
          path="resolutionSec"
          label="Resolution"
          name="Resolution"
          unit="s"
          value={resolution}
          onCommit={(v) => scenario.set((s) => setGrid(s, 'resolutionSec', v))}
        />
      </div>
    </section>
  );
});

function PresetPicker() {
  const { scenario } = useApp();
  const applied = useScenario((s) => s.presetId);
  const [choice, setChoice] = useState(PRESETS[0].id);
  const preset = findPreset(choice)!;
  return (
    <div className="preset-picker">
      <div className="preset-row">
        <SelectField
          label="Preset"
          value={choice}
          options={PRESETS.map((p) => ({ value: p.id, label: p.name }))}
          onChange={setChoice}
        />
        <button type="button" onClick={() => scenario.set((s) => applyPreset(s, preset))}>
          Apply preset
        </button>
      </div>
      {applied === choice ? null : (
        <p className="hint">
          {preset.verified ? null : <span className="badge unverified">UNVERIFIED</span>} Replaces the regimen and sets a{' '}
          {preset.horizonMin}-min horizon. Source: {preset.citation}
        </p>
      )}
    </div>
  );
}

/** "12.5 min" without float noise. */
const mins = (x: number): string => `${Number(x.toPrecision(6))} min`;

/** When a row's pump setting ends, in words. */
function untilText(o: RowOutcome | undefined): string {
  if (!o || o.endMin === null || o.endedBy === null) return 'until the end of the plan';
  return o.endedByDoseEnd
    ? `until ${mins(o.endMin)} (the end of event ${o.endedBy + 1} stops the pump)`
    : `until ${mins(o.endMin)} (event ${o.endedBy + 1})`;
}

/**
 * A plain-language reading of one row under the one-pump rule: rate equivalents, what a dose over a
 * duration actually gives and until when, and the pump's mL/h or mL when a concentration is set.
 */
function describe(
  e: DraftEvent,
  weightKg: number | null,
  outcome: RowOutcome | undefined,
  paused: PausedDose | null,
  pump: PumpSettings,
  routeInfo: RouteInfo | undefined,
): { text: string; pump: string | null } {
  const none = { text: '', pump: null };
  // A non-IV dose is never the pump's: no mL/h, no mL.
  if (rowRoute(e) !== 'iv') return { text: routeRowText(e, weightKg, routeInfo) ?? '', pump: null };
  const at = textToNum(e.at);
  if (typeof at !== 'number') return none;
  if ('rate' in e) {
    const r = textToNum(e.rate);
    if (typeof r !== 'number') return none;
    if (r === 0)
      return {
        text: paused
          ? `pump paused: stops event ${paused.doseIndex + 1} at ${mins(paused.pauseMin)} after ${Number((paused.givenFraction * 100).toPrecision(3))} % of it; the rest is not given unless resumed below`
          : 'pump paused / stopped',
        pump: null,
      };
    if (r < 0) return none;
    if (weightKg === null || !isRateUnit(e.unit)) return none;
    const mgPerH = rateToMgPerMin(r, e.unit, weightKg) * 60;
    return {
      text: `${formatMg(mgPerH)} mg/h = ${formatSig(mgPerH / weightKg)} mg/kg/h ${untilText(outcome)}`,
      pump: pumpRateText(mgPerH, weightKg, pump),
    };
  }
  const amount = textToNum('bolus' in e ? e.bolus : e.dose);
  if (typeof amount !== 'number' || amount < 0 || weightKg === null || !isDoseUnit(e.unit)) return none;
  const mg = doseToMg(amount, e.unit, weightKg);
  if ('bolus' in e)
    return { text: `${formatMg(mg)} mg (${formatSig(mg / weightKg)} mg/kg) at once`, pump: bolusText(mg, weightKg, pump) };
  const over = textToNum(e.overMin);
  if (typeof over !== 'number' || !(over > 0)) return { text: `${formatMg(mg)} mg`, pump: null };
  const mgPerH = (mg / over) * 60;
  const given = outcome?.givenMg;
  const cut = given !== undefined && given < mg * (1 - 1e-9);
  const text = cut
    ? `gives ${formatMg(given)} mg of the ${formatMg(mg)} mg (${formatSig(mgPerH / weightKg)} mg/kg/h from ${mins(at)} ${untilText(outcome)}): the rest is not given`
    : `${formatMg(mg)} mg = ${formatSig(mgPerH / weightKg)} mg/kg/h from ${mins(at)} to ${mins(at + over)}`;
  return { text, pump: pumpRateText(mgPerH, weightKg, pump) };
}

/** Flat records (a row's outcome, its paused dose) with equal fields, or the same object. */
function sameFlat<T extends object>(a: T | null | undefined, b: T | null | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ka = Object.keys(a) as (keyof T)[];
  return ka.length === Object.keys(b).length && ka.every((k) => Object.is(a[k], b[k]));
}

/**
 * EventRow's props are equal when the event, its index, the weight and the route are the same objects
 * and the outcome and paused dose (recomputed for every row on every edit) have the same fields: a
 * keystroke in one row then re-renders that row (and any row whose outcome it changed) only.
 */
function sameRowProps(a: EventRowProps, b: EventRowProps): boolean {
  return (
    a.event === b.event &&
    a.index === b.index &&
    a.weightKg === b.weightKg &&
    a.routeInfo === b.routeInfo &&
    sameFlat(a.outcome, b.outcome) &&
    sameFlat(a.paused, b.paused)
  );
}

interface EventRowProps {
  event: DraftEvent;
  index: number;
  weightKg: number | null;
  outcome: RowOutcome | undefined;
  paused: PausedDose | null;
  routeInfo: RouteInfo | undefined;
}

const EventRow = memo(function EventRow({ event: e, index: i, weightKg, outcome, paused, routeInfo }: EventRowProps) {
  const pump = usePumpSettings();
  const { scenario } = useApp();
  const kind = eventKind(e);
  const base = `regimen[${i}]`;
  // Every problem of this row, shown once across the row (the cells are too narrow for messages).
  const rowError = useResults((r) =>
    (r.problems ?? [])
      .filter((p) => p.path === base || p.path.startsWith(`${base}.`))
      .map((p) =>
        `Event ${i + 1} ${FIELD_NAMES[p.path.slice(base.length + 1)] ?? (p.path === base ? '' : p.path.slice(base.length + 1))}: ${p.message}`.replace(
          ' :',
          ':',
        ),
      )
      .join(' · '),
  );
  const set = (patch: Record<string, string | number | undefined>) => scenario.set((s) => updateEvent(s, e.uid, patch));
  const amountKey = kind === 'bolus' ? 'bolus' : kind === 'dose' ? 'dose' : 'rate';
  const amount = 'bolus' in e ? e.bolus : 'dose' in e ? e.dose : e.rate;
  const unitOptions = kind === 'rate' ? RATE_UNIT_OPTIONS : DOSE_UNIT_OPTIONS;
  const units = unitOptions.includes(e.unit) ? unitOptions : [e.unit, ...unitOptions];
  const isPause = kind === 'rate' && textToNum(amount) === 0;
  const nonIv = rowRoute(e) !== 'iv';
  return (
    <div
      className={`event-row kind-${kind}${isPause ? ' pause' : ''}`}
      data-testid="event-row"
      role="group"
      aria-label={`Event ${i + 1}`}
    >
      <span className="event-index" aria-hidden="true">
        {i + 1}
      </span>
      <SelectField<string>
        label={`Event ${i + 1} type`}
        compact
        value={nonIv ? NON_IV_KIND.value : kind}
        options={nonIv ? [...KIND_OPTIONS, NON_IV_KIND] : KIND_OPTIONS}
        onChange={(k) => {
          if (k === NON_IV_KIND.value) return;
          // A non-IV row becomes an IV row of the chosen kind (time and amount kept).
          scenario.set((s) => changeEventKind(nonIv ? changeEventKind(s, e.uid, 'bolus') : s, e.uid, k as EventKind));
        }}
      />
      <NumberField
        path={`${base}.at`}
        label={`Event ${i + 1} time`}
        name={`Event ${i + 1} time`}
        compact
        unit="min"
        value={e.at}
        onCommit={(v) => set({ at: v })}
      />
      <NumberField
        path={`${base}.${amountKey}`}
        label={`Event ${i + 1} ${kind === 'rate' ? 'rate' : 'dose'}`}
        name={`Event ${i + 1} ${kind === 'rate' ? 'rate' : 'dose'}`}
        compact
        value={amount}
        onCommit={(v) => set({ [amountKey]: v })}
      />
      <SelectField
        label={`Event ${i + 1} unit`}
        path={`${base}.unit`}
        compact
        value={e.unit}
        options={units.map((u) => ({ value: u, label: unitLabel(u) }))}
        onChange={(u) => set({ unit: u })}
      />
      {kind === 'dose' && !nonIv ? (
        <NumberField
          path={`${base}.overMin`}
          label={`Event ${i + 1} duration`}
          name={`Event ${i + 1} duration`}
          compact
          unit="min"
          className="over"
          value={'overMin' in e ? e.overMin : undefined}
          onCommit={(v) => set({ overMin: v })}
        />
      ) : (
        <span className="over" />
      )}
      <button
        type="button"
        className="icon"
        aria-label={`Remove event ${i + 1}`}
        title="Remove"
        onClick={() => scenario.set((s) => removeEvent(s, e.uid))}
      >
        ×
      </button>
      <RouteLine event={e} index={i} />
      <RowDescription d={describe(e, weightKg, outcome, paused, pump, routeInfo)} index={i} />
      {paused ? <ResumeChoices paused={paused} /> : null}
      {rowError ? (
        <span className="field-error event-error" aria-live="polite">
          {rowError}
        </span>
      ) : null}
    </div>
  );
}, sameRowProps);

/** A row's reading, and its pump programming (mL/h or mL) when a concentration is set. */
function RowDescription({ d, index }: { d: { text: string; pump: string | null }; index: number }) {
  return (
    <span className="event-desc" data-testid={`event-desc-${index + 1}`}>
      {d.text}
      {d.pump ? (
        <>
          {' '}
          ·{' '}
          <span className="pump-text" data-testid="pump-text">
            pump: {d.pump}
          </span>
        </>
      ) : null}
    </span>
  );
}

/**
 * On a pause that interrupts a dose over a duration: resume and give the rest (the remaining dose over
 * the remaining time, the same rate), or resume at a new rate until a chosen time. Both cut the dose
 * row at the pause, so every row says what it gives.
 */
function ResumeChoices({ paused }: { paused: PausedDose }) {
  const { scenario } = useApp();
  const id = useId();
  const [resumeAt, setResumeAt] = useState('');
  const [touched, setTouched] = useState(false);
  const t = resumeAt.trim();
  const n = Number(t.replace(',', '.'));
  const error =
    t === ''
      ? 'required: the minute the pump restarts'
      : !Number.isFinite(n)
        ? `must be a number (min), got "${t}"`
        : n < paused.pauseMin
          ? `must be at or after the pause (${formatSig(paused.pauseMin, 4)} min), got ${n}`
          : null;
  const remaining = paused.doseEndMin - paused.pauseMin;
  const apply = (kind: 'rest' | 'rate') => {
    setTouched(true);
    if (error) return;
    scenario.set((s) => {
      const dose = s.plan.regimen[paused.doseIndex];
      const rr = dose ? doseRowRate(dose) : null;
      const regimen =
        kind === 'rest' || !rr
          ? resumeRest(s.plan.regimen, paused, n)
          : resumeNewRate(s.plan.regimen, paused, n, rr.rate, rr.unit, Number((n + remaining).toPrecision(12)));
      return { ...s, plan: { ...s.plan, regimen }, presetId: null };
    });
  };
  return (
    <div className="resume-choices" role="group" aria-label={`Resume event ${paused.doseIndex + 1} after the pause`}>
      <div className={`field compact-inline${touched && error ? ' invalid' : ''}`}>
        <label htmlFor={id}>Resume at</label>
        <span className="input-with-unit">
          <input
            id={id}
            type="text"
            inputMode="decimal"
            value={resumeAt}
            data-testid="resume-at"
            aria-invalid={touched && error ? true : undefined}
            onChange={(e) => setResumeAt(e.target.value)}
          />
          <span className="unit" aria-hidden="true">
            min
          </span>
        </span>
      </div>
      <button type="button" onClick={() => apply('rest')}>
        Resume and give the rest
      </button>
      <button type="button" className="secondary" onClick={() => apply('rate')}>
        Resume at a new rate until …
      </button>
      <span className="hint">
        The rest: {formatSig((1 - paused.givenFraction) * 100, 3)} % of event {paused.doseIndex + 1} over the remaining{' '}
        {formatSig(remaining, 4)} min. A new rate starts at the same rate with a stop row {formatSig(remaining, 4)} min later;
        edit both rows.
      </span>
      {touched && error ? (
        <span className="field-error" aria-live="polite">
          Resume at: {error}
        </span>
      ) : null}
    </div>
  );
}
