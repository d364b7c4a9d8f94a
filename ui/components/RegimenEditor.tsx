// `RegimenEditor`: sourced presets, one row per dose event (bolus/rate/dose over time), prediction window.
import { memo, useState } from 'react';
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
};

const KIND_OPTIONS: { value: EventKind; label: string }[] = [
  { value: 'bolus', label: 'Bolus' },
  { value: 'rate', label: 'Rate' },
  { value: 'dose', label: 'Dose over time' },
];

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

  return (
    <section className="panel" aria-labelledby="regimen-h">
      <h2 id="regimen-h">Regimen</h2>
      <PresetPicker />
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
          <EventRow key={e.uid} event={e} index={i} weightKg={typeof weight === 'number' ? weight : null} />
        ))}
      </div>
      {regimenError ? <p className="field-error">Regimen: {regimenError}</p> : null}
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
        <button type="button" className="secondary" onClick={() => scenario.set(sortRegimen)} disabled={regimen.length < 2}>
          Sort by time
        </button>
      </div>
      <p className="hint">
        Events apply in time order; events at the same time apply top to bottom (the last rate set wins). Per-kg units use the
        patient's weight.
      </p>

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

/** A plain-language reading of one row (rate equivalents and mg totals). */
function describe(e: DraftEvent, weightKg: number | null): string {
  const at = textToNum(e.at);
  if (typeof at !== 'number') return '';
  if ('rate' in e) {
    const r = textToNum(e.rate);
    if (typeof r !== 'number') return '';
    if (r === 0) return 'pump paused / stopped';
    if (r < 0) return '';
    if (weightKg === null || !isRateUnit(e.unit)) return '';
    const mgPerH = rateToMgPerMin(r, e.unit, weightKg) * 60;
    return `${formatMg(mgPerH)} mg/h = ${formatSig(mgPerH / weightKg)} mg/kg/h until the next rate change`;
  }
  const amount = textToNum('bolus' in e ? e.bolus : e.dose);
  if (typeof amount !== 'number' || amount < 0 || weightKg === null || !isDoseUnit(e.unit)) return '';
  const mg = doseToMg(amount, e.unit, weightKg);
  if ('bolus' in e) return `${formatMg(mg)} mg (${formatSig(mg / weightKg)} mg/kg) at once`;
  const over = textToNum(e.overMin);
  if (typeof over !== 'number' || !(over > 0)) return `${formatMg(mg)} mg`;
  return `${formatMg(mg)} mg = ${formatSig(((mg / over) * 60) / weightKg)} mg/kg/h from ${formatSig(at, 4)} to ${formatSig(at + over, 4)} min`;
}

const EventRow = memo(function EventRow({
  event: e,
  index: i,
  weightKg,
}: {
  event: DraftEvent;
  index: number;
  weightKg: number | null;
}) {
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
      <SelectField
        label={`Event ${i + 1} type`}
        compact
        value={kind}
        options={KIND_OPTIONS}
        onChange={(k) => scenario.set((s) => changeEventKind(s, e.uid, k))}
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
      {kind === 'dose' ? (
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
      <span className="event-desc">{describe(e, weightKg)}</span>
      {rowError ? (
        <span className="field-error event-error" aria-live="polite">
          {rowError}
        </span>
      ) : null}
    </div>
  );
});
