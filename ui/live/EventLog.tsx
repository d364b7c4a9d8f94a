// `EventLog`: recorded events newest first with correction/deletion history; correct or delete with reason.
import { useId, useState, type FormEvent } from 'react';
import type { ActionPatch, LiveAction } from '../../engine/live/index.ts';
import type { RunningSession } from '../storage/store.ts';
import { unitLabel } from '../format.ts';
import { correctEvent, deleteEvent } from './session.ts';
import {
  actionText,
  DOSE_UNIT_OPTIONS,
  elapsedClock,
  eventRows,
  problemLines,
  RATE_UNIT_OPTIONS,
  readNumber,
  REASON_MAX_CHARS,
  type EventRow,
} from './live-model.ts';

/**
 * The session's event log, newest first: every recorded action with its time, and its history of
 * corrections and deletion (nothing is overwritten). Each event can be corrected (time, value, unit)
 * or deleted, with an optional reason; the change is shown only once the store has committed it.
 */
export function EventLog({ running, nowMin }: { running: RunningSession; nowMin: number }) {
  const rows = eventRows(running.log);
  const w = running.session.plan.patient.weightKg;
  return (
    <section className="panel live-log" aria-labelledby="live-log-h">
      <h2 id="live-log-h">
        Event log{' '}
        <span className="muted">
          ({rows.filter((r) => r.action).length} recorded
          {rows.some((r) => !r.action) ? `, ${rows.filter((r) => !r.action).length} deleted` : ''})
        </span>
      </h2>
      {rows.length === 0 ? (
        <p className="muted" data-testid="live-log-empty">
          Nothing recorded yet: the pump follows the plan from minute 0.
        </p>
      ) : (
        <table className="metrics live-log-table" data-testid="live-log">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">At (session time)</th>
              <th scope="col">Action</th>
              <th scope="col">Record</th>
              <th scope="col">
                <span className="sr-only">Change</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <EventRowView key={r.eventId} row={r} weightKg={w} nowMin={nowMin} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function EventRowView({ row, weightKg, nowMin }: { row: EventRow; weightKg: number; nowMin: number }) {
  const [mode, setMode] = useState<'view' | 'correct' | 'delete'>('view');
  const a = row.action;
  const last = row.versions[row.versions.length - 1];
  const status = !a ? 'deleted' : last.version > 1 ? `corrected (version ${last.version})` : 'as recorded';
  return (
    <>
      <tr data-event={row.eventId} data-kind={a?.kind ?? 'deleted'} className={a ? undefined : 'deleted'}>
        <td>{row.eventId}</td>
        <td className="value" data-testid="event-at">
          {a ? `${a.atMin.toFixed(1)} min (${elapsedClock(a.atMin)})` : '–'}
        </td>
        <td data-testid="event-action">
          {a ? actionText(a, weightKg) : <s>{actionText(row.versions[row.versions.length - 2].action!, weightKg)}</s>}
        </td>
        <td className="detail">
          {status}
          {row.versions.length > 1 ? (
            <details className="more">
              <summary>history</summary>
              <ol>
                {row.versions.map((v) => (
                  <li key={v.seq}>
                    {v.change === 'record' ? 'recorded' : v.change === 'correct' ? 'corrected' : 'deleted'} at{' '}
                    {v.recordedAtMin.toFixed(1)} min
                    {v.action ? `: ${actionText(v.action, weightKg)} at ${v.action.atMin.toFixed(1)} min` : ''}
                    {v.reason ? ` (reason: ${v.reason})` : ''}
                  </li>
                ))}
              </ol>
            </details>
          ) : null}
        </td>
        <td>
          {a && mode === 'view' ? (
            <span className="button-row">
              <button
                type="button"
                className="secondary"
                onClick={() => setMode('correct')}
                aria-label={`Correct ${row.eventId}: ${actionText(a, weightKg)}`}
              >
                Correct
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => setMode('delete')}
                aria-label={`Delete ${row.eventId}: ${actionText(a, weightKg)}`}
              >
                Delete
              </button>
            </span>
          ) : null}
        </td>
      </tr>
      {a && mode !== 'view' ? (
        <tr className="live-edit-row">
          <td colSpan={5}>
            {mode === 'correct' ? (
              <CorrectForm eventId={row.eventId} action={a} nowMin={nowMin} onDone={() => setMode('view')} />
            ) : (
              <DeleteForm eventId={row.eventId} label={actionText(a, weightKg)} onDone={() => setMode('view')} />
            )}
          </td>
        </tr>
      ) : null}
    </>
  );
}

function useWrite(): [
  string | null,
  readonly string[],
  boolean,
  (f: () => Promise<{ ok: boolean; problems?: readonly { path: string; message: string }[] }>) => Promise<boolean>,
] {
  const [error, setError] = useState<string | null>(null);
  const [lines, setLines] = useState<readonly string[]>([]);
  const [saving, setSaving] = useState(false);
  const run = async (f: () => Promise<{ ok: boolean; problems?: readonly { path: string; message: string }[] }>) => {
    setSaving(true);
    setError(null);
    try {
      const r = await f();
      if (r.ok) return true;
      setError('Not saved:');
      setLines(problemLines(r.problems ?? []));
    } catch (e) {
      setError("Not saved: the browser's database refused the write.");
      setLines([(e as Error).message]);
    } finally {
      setSaving(false);
    }
    return false;
  };
  return [error, lines, saving, run];
}

function CorrectForm({
  eventId,
  action,
  nowMin,
  onDone,
}: {
  eventId: string;
  action: LiveAction;
  nowMin: number;
  onDone: () => void;
}) {
  const ids = { at: useId(), value: useId(), unit: useId(), reason: useId() };
  const [at, setAt] = useState(String(Number(action.atMin.toFixed(2))));
  const [value, setValue] = useState(
    action.kind === 'rate' ? String(action.rate) : action.kind === 'bolus' ? String(action.amount) : '',
  );
  const [unit, setUnit] = useState<string>(action.kind === 'rate' || action.kind === 'bolus' ? action.unit : '');
  const [reason, setReason] = useState('');
  const [error, lines, saving, run] = useWrite();
  const atP = readNumber(at, 'Time', 'min', 0, false, nowMin);
  const hasValue = action.kind === 'rate' || action.kind === 'bolus';
  const valP =
    action.kind === 'rate'
      ? readNumber(value, 'Rate', unitLabel(unit), 0)
      : action.kind === 'bolus'
        ? readNumber(value, 'Bolus', unitLabel(unit), 0, true)
        : null;
  const problems = [atP, valP].flatMap((p) => (p && !p.ok ? [p.message] : []));
  if (reason.length > REASON_MAX_CHARS) problems.push(`Reason: at most ${REASON_MAX_CHARS} characters, got ${reason.length}`);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problems.length || !atP.ok) return;
    const patch: { atMin: number; rate?: number; amount?: number; unit?: string } = { atMin: atP.value };
    if (valP?.ok) {
      if (action.kind === 'rate') patch.rate = valP.value;
      else patch.amount = valP.value;
      patch.unit = unit;
    }
    if (await run(() => correctEvent(eventId, patch as ActionPatch, reason.trim() || undefined))) onDone();
  };
  return (
    <form className="live-form wrap" onSubmit={submit} aria-label={`Correct event ${eventId}`}>
      <label htmlFor={ids.at}>Time</label>
      <input
        id={ids.at}
        type="text"
        inputMode="decimal"
        size={6}
        value={at}
        onChange={(e) => setAt(e.target.value)}
        aria-invalid={!atP.ok || undefined}
        data-testid="correct-at"
      />
      <span className="unit">min</span>
      {hasValue ? (
        <>
          <label htmlFor={ids.value}>{action.kind === 'rate' ? 'Rate' : 'Bolus'}</label>
          <input
            id={ids.value}
            type="text"
            inputMode="decimal"
            size={6}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-invalid={(valP && !valP.ok) || undefined}
            data-testid="correct-value"
          />
          <label htmlFor={ids.unit} className="sr-only">
            Unit
          </label>
          <select id={ids.unit} value={unit} onChange={(e) => setUnit(e.target.value)}>
            {(action.kind === 'rate' ? RATE_UNIT_OPTIONS : DOSE_UNIT_OPTIONS).map((u) => (
              <option key={u} value={u}>
                {unitLabel(u)}
              </option>
            ))}
          </select>
        </>
      ) : null}
      <label htmlFor={ids.reason}>Reason (optional)</label>
      <input
        id={ids.reason}
        type="text"
        size={24}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder="e.g. pressed late"
      />
      <button type="submit" disabled={saving || problems.length > 0} data-testid="correct-save">
        {saving ? 'Saving…' : 'Save correction'}
      </button>
      <button type="button" className="secondary" onClick={onDone}>
        Cancel
      </button>
      {problems.length ? (
        <span className="field-error" role="alert">
          {problems.join('; ')}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" role="alert">
          {error} {lines.join('; ')}
        </span>
      ) : null}
      <span className="hint">
        The time is session minutes (0 to now, {nowMin.toFixed(1)} min). The original record stays in the history.
      </span>
    </form>
  );
}

function DeleteForm({ eventId, label, onDone }: { eventId: string; label: string; onDone: () => void }) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [error, lines, saving, run] = useWrite();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => deleteEvent(eventId, reason.trim() || undefined))) onDone();
  };
  return (
    <form className="live-form wrap" onSubmit={submit} aria-label={`Delete event ${eventId}`}>
      <span>
        Delete <strong>{label}</strong>? It stays in the history, marked deleted.
      </span>
      <label htmlFor={id}>Reason (optional)</label>
      <input
        id={id}
        type="text"
        size={24}
        value={reason}
        maxLength={REASON_MAX_CHARS}
        onChange={(e) => setReason(e.target.value)}
        placeholder="e.g. recorded by mistake"
      />
      <button type="submit" className="danger" disabled={saving}>
        {saving ? 'Saving…' : 'Delete event'}
      </button>
      <button type="button" className="secondary" onClick={onDone}>
        Cancel
      </button>
      {error ? (
        <span className="field-error" role="alert">
          {error} {lines.join('; ')}
        </span>
      ) : null}
    </form>
  );
}
