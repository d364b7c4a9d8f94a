// `NumberField`, `TextField`, `SelectField`, `problemsAt`, `useFieldProblems`: inputs showing problems at their plan path.
import { useId, useState, type ReactNode } from 'react';
import type { Problem } from '../../engine/plan.ts';
import { commitText, type Num } from '../state/scenario.ts';
import { useResults } from '../context.ts';

/** Problems whose path is exactly `path`. */
export function problemsAt(problems: readonly Problem[] | null, path: string): Problem[] {
  return problems ? problems.filter((p) => p.path === path) : [];
}

/** The current draft's problems at a field path (re-renders only when they change). */
export function useFieldProblems(path: string): string {
  return useResults((r) =>
    problemsAt(r.problems, path)
      .map((p) => p.message)
      .join('; '),
  );
}

export interface NumberFieldProps {
  /** Plan field path, e.g. `patient.weightKg` or `regimen[2].rate`: problems at this path show here. */
  readonly path: string;
  readonly label: ReactNode;
  /** Plain-text name used in the inline message (defaults to the label when it is text). */
  readonly name?: string;
  readonly unit?: ReactNode;
  readonly value: Num | undefined;
  readonly onCommit: (v: Num | undefined) => void;
  /** Display = stored × toDisplay (e.g. kg → lb); commits divide back. */
  readonly toDisplay?: number;
  readonly hint?: ReactNode;
  readonly placeholder?: string;
  readonly className?: string;
  /** Label visually hidden (still read by screen readers), for table cells. */
  readonly compact?: boolean;
}

const displayText = (v: Num | undefined, f: number): string => {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return f === 1 ? String(v) : String(Number((v * f).toPrecision(8)));
};

/**
 * A labelled number input bound to one plan field. It keeps the text as typed ("7.", "abc") and
 * commits on every keystroke: a number when the text reads as one, the text itself otherwise (so
 * validation names the field), nothing when empty. Problems from the worker's validation show inline
 * under the input, naming the field.
 */
export function NumberField(props: NumberFieldProps) {
  const { path, label, unit, value, onCommit, hint, placeholder, className, compact } = props;
  const f = props.toDisplay ?? 1;
  const [text, setText] = useState(() => displayText(value, f));
  const [committed, setCommitted] = useState<{ v: Num | undefined; f: number }>({ v: value, f });
  // The value changed from outside (a preset, a share link, a unit switch): show it.
  if (committed.v !== value || committed.f !== f) {
    setCommitted({ v: value, f });
    const shown = displayText(value, f);
    if (shown !== text) setText(shown);
  }
  const error = useFieldProblems(path);
  const name = props.name ?? (typeof label === 'string' ? label : path);
  return (
    <TextField
      label={label}
      unit={unit}
      value={text}
      path={path}
      placeholder={placeholder}
      hint={hint}
      error={error ? `${name}: ${error}` : null}
      compact={compact}
      className={className}
      onChange={(t) => {
        setText(t);
        const c = commitText(t);
        const v = typeof c === 'number' && f !== 1 ? c / f : c;
        setCommitted({ v, f });
        onCommit(v);
      }}
    />
  );
}

export interface TextFieldProps {
  readonly label: ReactNode;
  readonly unit?: ReactNode;
  /** The text as typed (the caller parses it). */
  readonly value: string;
  readonly onChange: (text: string) => void;
  /** The message under the input, naming the field (the input is marked invalid), or nothing. */
  readonly error?: string | null;
  readonly hint?: ReactNode;
  readonly placeholder?: string;
  /** `data-path` of the input (a plan field path). */
  readonly path?: string;
  readonly testId?: string;
  /** `data-field-error` of the message (what tests and styles find it by). */
  readonly errorKey?: string;
  readonly className?: string;
  /** Label visually hidden (still read by screen readers), for table cells. */
  readonly compact?: boolean;
}

/**
 * A labelled text input for a number with its unit, hint and error message: the markup every number
 * field shares (`NumberField`, the planner's and the clinic settings' fields). Keeps no state.
 */
export function TextField(props: TextFieldProps) {
  const { label, unit, value, onChange, error, hint, placeholder, path, testId, errorKey, className, compact } = props;
  const id = useId();
  const errId = `${id}-err`;
  const hintId = `${id}-hint`;
  return (
    <div className={`field${compact ? ' compact' : ''}${error ? ' invalid' : ''}${className ? ' ' + className : ''}`}>
      <label htmlFor={id} className={compact ? 'sr-only' : undefined}>
        {label}
      </label>
      <span className="input-with-unit">
        <input
          id={id}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          data-path={path}
          data-testid={testId}
          value={value}
          placeholder={placeholder}
          aria-invalid={error ? true : undefined}
          aria-describedby={[error ? errId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        {unit ? (
          <span className="unit" aria-hidden="true">
            {unit}
          </span>
        ) : null}
      </span>
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={errId} className="field-error" data-field-error={errorKey} aria-live="polite">
          {error}
        </span>
      ) : null}
    </div>
  );
}

export interface SelectFieldProps<T extends string> {
  readonly label: ReactNode;
  readonly value: T;
  readonly options: readonly { readonly value: T; readonly label: string }[];
  readonly onChange: (v: T) => void;
  readonly path?: string;
  readonly compact?: boolean;
  readonly className?: string;
}

/** A labelled select; problems at `path` show inline like NumberField's. */
export function SelectField<T extends string>(props: SelectFieldProps<T>) {
  const id = useId();
  const error = useFieldProblems(props.path ?? '\u0000');
  const errId = `${id}-err`;
  return (
    <div
      className={`field${props.compact ? ' compact' : ''}${error ? ' invalid' : ''}${props.className ? ' ' + props.className : ''}`}
    >
      <label htmlFor={id} className={props.compact ? 'sr-only' : undefined}>
        {props.label}
      </label>
      <select
        id={id}
        value={props.value}
        data-path={props.path}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errId : undefined}
        onChange={(e) => props.onChange(e.target.value as T)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <span id={errId} className="field-error" aria-live="polite">
          {typeof props.label === 'string' ? props.label : props.path}: {error}
        </span>
      ) : null}
    </div>
  );
}
