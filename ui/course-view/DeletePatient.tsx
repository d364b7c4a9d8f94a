// `DeletePatient`: delete a patient with every session, after an explicit confirmation (from the patient list or the patient's course).
import { useId, useState } from 'react';
import { bumpCourseRevision, courseStore } from '../live/course-store.ts';
import { problemLines } from '../live/live-model.ts';

/**
 * A "Delete" button that asks first ("Delete <alias> and every session? This cannot be undone.") and then
 * deletes the patient with all their sessions and live logs in one transaction. Refused (with the reason)
 * while one of their sessions is running. `name` is what the patient is called here (the alias, or
 * "unreadable record" for a record that cannot be shown).
 */
export function DeletePatient({
  id,
  name,
  onDeleted,
  compact = false,
}: {
  id: string;
  name: string;
  onDeleted?: () => void;
  /** In a list: the idle button's word comes from the stylesheet (its name is the aria-label), so the row's text stays the patient's. */
  compact?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const msgId = useId();
  const remove = async () => {
    setAsking(false);
    setStatus('Deleting…');
    try {
      const r = await courseStore().deletePatient(id);
      if (r.ok) {
        setStatus(null);
        onDeleted?.();
        bumpCourseRevision();
      } else setStatus(`Not deleted: ${problemLines(r.problems).join('; ')}`);
    } catch (e) {
      setStatus(`Not deleted: ${(e as Error).message}`);
    }
  };
  return (
    <span className={compact ? 'delete-patient compact' : 'delete-patient'} data-testid="delete-patient">
      {asking ? (
        <>
          <span id={msgId}>Delete {name} and every session? This cannot be undone.</span>{' '}
          <button
            type="button"
            className="danger"
            onClick={() => void remove()}
            aria-describedby={msgId}
            data-testid="delete-patient-confirm"
          >
            Yes, delete
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button
          type="button"
          className={compact ? 'secondary delete-compact' : 'secondary'}
          onClick={() => setAsking(true)}
          aria-label={`Delete ${name}`}
          data-testid="delete-patient-button"
        >
          {compact ? null : 'Delete'}
        </button>
      )}
      {status ? (
        <span role="status" className={status.startsWith('Not') ? 'field-error' : 'hint'}>
          {' '}
          {status}
        </span>
      ) : null}
    </span>
  );
}
