// `SessionNotesEditor` (dissociation, onset, side effects, co-medication flags) and `notesSummary`.
import { NOTES_RULE, findIdentifying, findingsText } from '../privacy/identifying.ts';
import { useId, useState } from 'react';
import { DISSOCIATION_SCALE, MAX_NOTE_TEXT_LENGTH, parseNotes, SIDE_EFFECTS, type SessionNotes } from '../storage/records.ts';
import { interactionNotesFor } from '../course/interaction-notes.ts';
import { bumpCourseRevision, courseStore } from '../live/course-store.ts';
import { draftToNotes, notesDraft, type NotesDraft } from './course-model.ts';

/** One line for the sessions table: what the notes hold. */
export function notesSummary(n: SessionNotes): string {
  const parts: string[] = [];
  if (n.dissociationIntensity !== undefined) parts.push(`dissociation ${n.dissociationIntensity}/10`);
  if (n.dissociationOnsetMin !== undefined) parts.push(`onset ${n.dissociationOnsetMin} min`);
  if (n.sideEffects.length) parts.push(n.sideEffects.join(', '));
  if (n.lamotrigine) parts.push('lamotrigine');
  if (n.benzodiazepine) parts.push('benzodiazepine');
  return parts.length ? parts.join(' · ') : 'add notes';
}

const NOTE_FIELD_NAMES: Readonly<Record<string, string>> = {
  'notes.dissociationIntensity': 'Dissociation intensity',
  'notes.dissociationOnsetMin': 'Onset of dissociation',
  'notes.sideEffectsText': 'Other side effects',
  'notes.sideEffects': 'Side effects',
};

/**
 * The notes of one session: side effects, dissociation intensity (0–10 numeric rating scale, not the
 * CADSS) and the minute of onset (which feeds the personal band), and the lamotrigine and
 * benzodiazepine flags, each shown with its cited note. A flag never moves a band or changes a dose.
 */
export function SessionNotesEditor({ sessionId, notes, label }: { sessionId: string; notes: SessionNotes; label: string }) {
  const id = useId();
  const [d, setD] = useState<NotesDraft>(() => notesDraft(notes));
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const parsed = parseNotes(draftToNotes(d));
  const problems = parsed.ok ? [] : parsed.problems;
  const msg = (path: string) =>
    problems
      .filter((p) => p.path === path)
      .map((p) => `${NOTE_FIELD_NAMES[path] ?? path}: ${p.message}`)
      .join('; ');
  // Text that looks identifying is flagged before it is stored: edit it, or confirm it identifies nobody.
  const flags = findIdentifying(d.sideEffectsText);
  const [confirmedText, setConfirmedText] = useState<string | null>(null);
  const needsConfirm = flags.length > 0 && confirmedText !== d.sideEffectsText;
  const save = async () => {
    if (!parsed.ok) return;
    if (needsConfirm) {
      setStatus({
        kind: 'error',
        text: 'Not saved: Other side effects looks identifying; edit it or tick the confirmation below it first.',
      });
      return;
    }
    try {
      const r = await courseStore().updateNotes(sessionId, parsed.value);
      if (r.ok) {
        setStatus({ kind: 'ok', text: '✓ Notes saved.' });
        bumpCourseRevision();
      } else setStatus({ kind: 'error', text: r.problems.map((p) => `${p.path}: ${p.message}`).join('; ') });
    } catch (e) {
      setStatus({ kind: 'error', text: `Not saved: ${(e as Error).message}` });
    }
  };
  const flagNotes = interactionNotesFor(d);
  const intensityMsg = msg('notes.dissociationIntensity');
  const onsetMsg = msg('notes.dissociationOnsetMin');
  const textMsg = msg('notes.sideEffectsText');
  return (
    <form
      className="notes-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      aria-label={`Notes of ${label}`}
      data-testid="notes-editor"
    >
      <fieldset>
        <legend>Side effects</legend>
        <div className="checks">
          {SIDE_EFFECTS.map((s) => (
            <label key={s}>
              <input
                type="checkbox"
                checked={d.sideEffects.includes(s)}
                onChange={(e) =>
                  setD({ ...d, sideEffects: e.target.checked ? [...d.sideEffects, s] : d.sideEffects.filter((x) => x !== s) })
                }
              />{' '}
              {s.replace(/-/g, ' ')}
            </label>
          ))}
        </div>
        <div className={`field${textMsg ? ' invalid' : ''}`}>
          <label htmlFor={`${id}-text`}>
            Other side effects, free text <span className="muted">(≤ {MAX_NOTE_TEXT_LENGTH} characters, no names)</span>
          </label>
          <input
            id={`${id}-text`}
            type="text"
            value={d.sideEffectsText}
            onChange={(e) => setD({ ...d, sideEffectsText: e.target.value })}
            aria-invalid={textMsg ? true : undefined}
          />
          <span className="hint">{NOTES_RULE}</span>
          {textMsg ? (
            <span className="field-error" role="alert">
              {textMsg}
            </span>
          ) : null}
          {flags.length ? (
            <span className="field-error" role="alert" data-testid="notes-flag">
              Other side effects: {findingsText(flags)}.{' '}
              <label>
                <input
                  type="checkbox"
                  checked={!needsConfirm}
                  data-testid="notes-flag-confirm"
                  onChange={(e) => setConfirmedText(e.target.checked ? d.sideEffectsText : null)}
                />{' '}
                I confirm this text identifies nobody (save it as it is)
              </label>
            </span>
          ) : null}
        </div>
      </fieldset>
      <fieldset>
        <legend>Dissociation</legend>
        <div className="grid-2">
          <div className={`field${intensityMsg ? ' invalid' : ''}`}>
            <label htmlFor={`${id}-int`}>
              Intensity <span className="muted">(0–10)</span>
            </label>
            <span className="input-with-unit">
              <input
                id={`${id}-int`}
                type="text"
                inputMode="numeric"
                value={d.intensity}
                onChange={(e) => setD({ ...d, intensity: e.target.value })}
                aria-invalid={intensityMsg ? true : undefined}
                data-note="intensity"
              />
              <span className="unit">/ 10</span>
            </span>
            <span className="hint">{DISSOCIATION_SCALE.name}</span>
            {intensityMsg ? (
              <span className="field-error" role="alert">
                {intensityMsg}
              </span>
            ) : null}
          </div>
          <div className={`field${onsetMsg ? ' invalid' : ''}`}>
            <label htmlFor={`${id}-onset`}>Onset reported at</label>
            <span className="input-with-unit">
              <input
                id={`${id}-onset`}
                type="text"
                inputMode="decimal"
                value={d.onset}
                onChange={(e) => setD({ ...d, onset: e.target.value })}
                aria-invalid={onsetMsg ? true : undefined}
                data-note="onset"
              />
              <span className="unit">min from the session start</span>
            </span>
            <span className="hint">Feeds the personal band (Ce at onset).</span>
            {onsetMsg ? (
              <span className="field-error" role="alert">
                {onsetMsg}
              </span>
            ) : null}
          </div>
        </div>
      </fieldset>
      <fieldset>
        <legend>Co-medication</legend>
        <label>
          <input
            type="checkbox"
            checked={d.lamotrigine}
            onChange={(e) => setD({ ...d, lamotrigine: e.target.checked })}
            data-note="lamotrigine"
          />{' '}
          takes lamotrigine
        </label>{' '}
        <label>
          <input
            type="checkbox"
            checked={d.benzodiazepine}
            onChange={(e) => setD({ ...d, benzodiazepine: e.target.checked })}
            data-note="benzodiazepine"
          />{' '}
          takes a benzodiazepine
        </label>
        {flagNotes.map((n) => (
          <div className="interaction-note" key={n.flag} data-testid={`note-${n.flag}`}>
            <p>
              <strong>{n.title}:</strong> {n.text}
            </p>
            <p className="muted">
              {n.citations.join('; ')} ({n.source}). No band or dose is changed by this flag.
            </p>
          </div>
        ))}
      </fieldset>
      <div className="button-row">
        <button type="submit" disabled={!parsed.ok}>
          Save notes
        </button>
        {status ? (
          <span className={status.kind === 'ok' ? 'ok-line' : 'field-error'} role="status">
            {status.text}
          </span>
        ) : null}
      </div>
    </form>
  );
}
