// `LabelField`: a typed label (pinned comparison, session) with the label rule beside it and identifying text flagged as typed.
import { useId } from 'react';
import { LABEL_RULE, labelProblem } from './identifying.ts';

/**
 * A text input for a label, with the label rule stated beside it and, as the text is typed, why it cannot
 * be kept (it looks identifying, is too long, or holds a control character), naming the field. The caller
 * keeps the label only when `labelProblem(value, name)` is null, so flagged text is never stored or shared;
 * the person edits it.
 */
export function LabelField({
  name,
  value,
  onChange,
  placeholder,
  testId,
  autoFocus,
}: {
  /** The field's name as a person reads it (the input's label and the start of every message), e.g. "Label of Pinned 1". */
  name: string;
  value: string;
  onChange: (text: string) => void;
  placeholder?: string;
  /** data-testid of the input; the message is `${testId}-flag`, the rule `${testId}-rule`. */
  testId?: string;
  autoFocus?: boolean;
}) {
  const id = useId();
  const problem = value.trim() === '' ? null : labelProblem(value, name);
  return (
    <span className="label-field">
      <label htmlFor={id}>{name}</label>{' '}
      <input
        id={id}
        type="text"
        value={value}
        size={24}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-rule${problem ? ` ${id}-flag` : ''}`}
        data-testid={testId}
        // biome-ignore lint/a11y/noAutofocus: the field opens on the person's own "rename" click
        autoFocus={autoFocus}
      />
      <span className="hint" id={`${id}-rule`} data-testid={testId ? `${testId}-rule` : undefined}>
        {LABEL_RULE}
      </span>
      {problem ? (
        <span className="field-error" id={`${id}-flag`} role="alert" data-testid={testId ? `${testId}-flag` : undefined}>
          {problem}
        </span>
      ) : null}
    </span>
  );
}
