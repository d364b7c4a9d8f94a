// `PinLabel`: rename a pinned comparison (its plan's `label`, which travels in `#compare=` links), with the label rule and identifying text flagged and kept out.
import { useState } from 'react';
import type { Scenario } from '../state/scenario.ts';
import { labelProblem } from './identifying.ts';
import { LabelField } from './LabelField.tsx';

/** The scenario with pinned plan `id` labelled `label` (the label is checked by the caller). */
export function withPinLabel(s: Scenario, id: string, label: string): Scenario {
  return { ...s, pinned: s.pinned.map((p) => (p.id === id ? { ...p, label } : p)) };
}

/**
 * A pinned comparison's label, editable: "rename" opens a field with the label rule; a label that looks
 * identifying (or is too long) is named as such as it is typed and cannot be applied, so it never reaches
 * the chart legend, the PNG or a share link. A label that arrived from elsewhere (an older link) and looks
 * identifying is flagged here too, with the field open to correct it.
 */
export function PinLabel({ label, onRename }: { label: string; onRename: (label: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(label);
  const field = `New label for ${label}`;
  const current = labelProblem(label, 'This label');
  const problem = labelProblem(text.trim(), field);
  const open = () => {
    setText(label);
    setEditing(true);
  };
  return (
    <>
      <button type="button" className="link" onClick={open} aria-expanded={editing} aria-label={`Rename ${label}`}>
        rename
      </button>
      {current && !editing ? (
        <span className="field-error" role="alert" data-testid="pin-label-flag">
          {current}: rename it.
        </span>
      ) : null}
      {editing ? (
        <form
          className="pin-label-form"
          data-testid="pin-label-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (problem || text.trim() === '') return;
            onRename(text.trim());
            setEditing(false);
          }}
        >
          <LabelField name={field} value={text} onChange={setText} testId="pin-label" autoFocus />
          <button type="submit" disabled={problem !== null || text.trim() === ''} data-testid="pin-label-apply">
            Apply
          </button>
          <button type="button" className="secondary" onClick={() => setEditing(false)}>
            Cancel
          </button>
          {text.trim() === '' ? <span className="hint">A label needs some text.</span> : null}
        </form>
      ) : null}
    </>
  );
}
