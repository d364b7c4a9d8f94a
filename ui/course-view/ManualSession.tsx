// `ManualSession`: add a session entered by hand afterwards (date and time, what was given, length, notes, scores), stored flagged "entered by hand".
import { useId, useState } from 'react';
import { useApp } from '../context.ts';
import { useStore } from '../state/store.ts';
import type { PatientRecord } from '../storage/records.ts';
import { SCORE_RANGES } from '../storage/records.ts';
import { bumpCourseRevision, courseStore } from '../live/course-store.ts';
import { problemLines } from '../live/live-model.ts';
import { NOTES_RULE, findIdentifying, findingsText, labelProblem } from '../privacy/identifying.ts';
import { LabelField } from '../privacy/LabelField.tsx';
import { draftToScores, numberOrText, SCORE_IDS, scoreFieldProblem, type ScoreDraft } from './course-model.ts';

const EMPTY_SCORES: ScoreDraft = { phq9: '', gad7: '', pcl5: '' } as ScoreDraft;

/** The plan's model in words (the draft model may be a registry id or a custom model). */
const modelText = (m: unknown): string =>
  typeof m === 'object' && m !== null && typeof (m as { id?: unknown }).id === 'string'
    ? (m as { id: string }).id
    : 'custom model';

/** The label of a session entered by hand when none is typed. */
export const BY_HAND_LABEL = 'entered by hand';

/** The name of the session label field (its input's label and the start of its messages). */
const LABEL_FIELD = 'Session label';

/** Minutes after which the peak-Ce search of a session ends: the plan's horizon is the length plus this (as the course view's peak). */
const AFTER_END_MIN = 120;

/**
 * Add a session not run in Live mode (a paper record, another site). What was given is one IV dose:
 * an amount (mg/kg or mg) over a number of minutes (0 = a bolus). The model and bands are those of the
 * current plan in Plan & predict (named in the form); the covariates are the patient's. The session is
 * stored finished, flagged "entered by hand", and its dose and peak Ce are computed like any other.
 */
export function ManualSession({ patient }: { patient: PatientRecord }) {
  const { scenario } = useApp();
  const plan = useStore(scenario, (s) => s.plan);
  const ids = { date: useId(), time: useId(), amount: useId(), unit: useId(), over: useId(), len: useId(), text: useId() };
  const [d, setD] = useState({
    date: '',
    time: '09:00',
    amount: '',
    unit: 'mg/kg',
    over: '40',
    length: '60',
    text: '',
    label: '',
  });
  const [scores, setScores] = useState<ScoreDraft>(EMPTY_SCORES);
  const [confirmed, setConfirmed] = useState<string | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; lines: string[] } | null>(null);
  const flags = d.text.trim() ? findIdentifying(d.text) : [];
  const needsConfirm = flags.length > 0 && confirmed !== d.text;
  const local: string[] = [];
  const start = d.date && d.time ? Date.parse(`${d.date}T${d.time}`) : Number.NaN;
  if (!d.date) local.push('Date: required');
  else if (!Number.isFinite(start)) local.push(`Date and time: not a date, got ${JSON.stringify(`${d.date} ${d.time}`)}`);
  const amount = Number(d.amount.trim().replace(',', '.'));
  if (!(d.amount.trim() !== '' && Number.isFinite(amount) && amount > 0))
    local.push(`Amount given: must be a number > 0 ${d.unit}, got ${JSON.stringify(d.amount)}`);
  const over = Number(d.over.trim().replace(',', '.'));
  if (!(d.over.trim() !== '' && Number.isFinite(over) && over >= 0 && over <= 1440))
    local.push(`Given over: must be minutes 0–1440 (0 = a bolus), got ${JSON.stringify(d.over)}`);
  const length = Number(d.length.trim().replace(',', '.'));
  if (!(d.length.trim() !== '' && Number.isFinite(length) && length > 0 && length <= 1440))
    local.push(`Session length: must be minutes > 0 and ≤ 1440, got ${JSON.stringify(d.length)}`);
  const scoreProblems = SCORE_IDS.map((id) => scoreFieldProblem(id, scores[id]));
  // a label that looks identifying is never stored: it must be edited (the field says why as it is typed)
  const label = d.label.trim();
  const labelFlag = label === '' ? null : labelProblem(label, LABEL_FIELD);
  if (labelFlag) local.push(labelFlag);
  const save = async () => {
    if (local.length || scoreProblems.some(Boolean)) {
      setStatus({ ok: false, lines: [...local, ...(scoreProblems.filter(Boolean) as string[])] });
      return;
    }
    if (needsConfirm) {
      setStatus({ ok: false, lines: ['Notes: looks identifying; edit it or tick the confirmation below it first.'] });
      return;
    }
    const dose = over === 0 ? { at: 0, bolus: amount, unit: d.unit } : { at: 0, dose: amount, unit: d.unit, overMin: over };
    const input = {
      startEpochMs: start,
      endedAtMin: numberOrText(d.length),
      plan: {
        ...plan,
        patient: {
          weightKg: patient.weightKg,
          ...(patient.ageYears !== undefined && { ageYears: patient.ageYears }),
          ...(patient.sex && { sex: patient.sex }),
          ...(patient.heightCm !== undefined && { heightCm: patient.heightCm }),
        },
        regimen: [dose],
        horizonMin: Math.max(length + AFTER_END_MIN, over + AFTER_END_MIN),
        label: label || BY_HAND_LABEL,
      },
      notes: {
        sideEffects: [],
        lamotrigine: false,
        benzodiazepine: false,
        ...(d.text.trim() && { sideEffectsText: d.text.trim() }),
      },
      scores: draftToScores(scores),
    };
    try {
      const r = await courseStore().addSessionByHand(patient.id, input, Date.now());
      if (r.ok) {
        setStatus({ ok: true, lines: ['✓ Session entered by hand saved.'] });
        setD({ ...d, date: '', amount: '', text: '', label: '' });
        setScores(EMPTY_SCORES);
        bumpCourseRevision();
      } else setStatus({ ok: false, lines: problemLines(r.problems) });
    } catch (e) {
      setStatus({ ok: false, lines: [`The browser's database refused the write: ${(e as Error).message}`] });
    }
  };
  return (
    <details className="panel more" data-testid="manual-session">
      <summary>Add a session by hand (paper record, another site)</summary>
      <form
        className="live-form wrap"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label htmlFor={ids.date}>Date</label>
        <input
          id={ids.date}
          type="date"
          value={d.date}
          data-field="date"
          onChange={(e) => setD({ ...d, date: e.target.value })}
        />
        <label htmlFor={ids.time}>Start (local time)</label>
        <input
          id={ids.time}
          type="time"
          value={d.time}
          data-field="time"
          onChange={(e) => setD({ ...d, time: e.target.value })}
        />
        <label htmlFor={ids.amount}>Given (IV)</label>
        <input
          id={ids.amount}
          type="text"
          inputMode="decimal"
          size={5}
          value={d.amount}
          data-field="amount"
          onChange={(e) => setD({ ...d, amount: e.target.value })}
        />
        <label htmlFor={ids.unit} className="sr-only">
          Unit of the amount given
        </label>
        <select id={ids.unit} value={d.unit} data-field="unit" onChange={(e) => setD({ ...d, unit: e.target.value })}>
          <option value="mg/kg">mg/kg</option>
          <option value="mg">mg</option>
        </select>
        <label htmlFor={ids.over}>over</label>
        <input
          id={ids.over}
          type="text"
          inputMode="decimal"
          size={4}
          value={d.over}
          data-field="over"
          onChange={(e) => setD({ ...d, over: e.target.value })}
        />{' '}
        min (0 = bolus)
        <label htmlFor={ids.len}>Session length</label>
        <input
          id={ids.len}
          type="text"
          inputMode="decimal"
          size={4}
          value={d.length}
          data-field="length"
          onChange={(e) => setD({ ...d, length: e.target.value })}
        />{' '}
        min
        {SCORE_IDS.map((id, k) => (
          <span key={id}>
            <label htmlFor={`${ids.text}-${id}`}>
              {SCORE_RANGES[id].name} ({SCORE_RANGES[id].min}–{SCORE_RANGES[id].max})
            </label>{' '}
            <input
              id={`${ids.text}-${id}`}
              type="text"
              inputMode="numeric"
              size={3}
              value={scores[id]}
              data-score={id}
              aria-invalid={scoreProblems[k] ? true : undefined}
              onChange={(e) => setScores({ ...scores, [id]: e.target.value })}
            />
          </span>
        ))}
        <label htmlFor={ids.text}>Notes (side effects)</label>
        <input
          id={ids.text}
          type="text"
          size={30}
          maxLength={500}
          value={d.text}
          data-field="notes"
          onChange={(e) => setD({ ...d, text: e.target.value })}
        />
        <LabelField
          name={LABEL_FIELD}
          value={d.label}
          onChange={(label) => setD({ ...d, label })}
          placeholder={BY_HAND_LABEL}
          testId="manual-session-label"
        />
        <button type="submit" data-testid="manual-session-save">
          Save session entered by hand
        </button>
      </form>
      <p className="hint">
        {NOTES_RULE} Model and bands: those of the current plan in Plan &amp; predict ({modelText(plan.model)}); covariates:{' '}
        {patient.alias}'s ({patient.weightKg} kg). The session is marked “entered by hand” wherever it is shown.
      </p>
      {flags.length ? (
        <p className="field-error" role="alert">
          Notes: looks identifying ({findingsText(flags)}).{' '}
          <label>
            <input
              type="checkbox"
              checked={confirmed === d.text}
              onChange={(e) => setConfirmed(e.target.checked ? d.text : null)}
            />{' '}
            I confirm this text identifies nobody (save it as it is)
          </label>
        </p>
      ) : null}
      {status ? (
        <ul
          className={status.ok ? 'ok-line' : 'field-error'}
          role={status.ok ? 'status' : 'alert'}
          data-testid="manual-session-status"
        >
          {status.lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}
