// `PatientForm`: alias and covariate fields with problems under each field.
import { useId } from 'react';
import type { Problem } from '../../engine/plan.ts';
import { MAX_ALIAS_LENGTH } from '../storage/records.ts';
import { PATIENT_FIELD_NAMES, type PatientDraft } from './course-model.ts';

/**
 * The patient fields: alias (a clinic code only — no name, record number or date of birth) and the
 * covariates with their units. Problems show under the field they name.
 */
export function PatientForm({
  draft,
  onChange,
  problems,
  legend,
}: {
  draft: PatientDraft;
  onChange: (d: PatientDraft) => void;
  problems: readonly Problem[];
  legend: string;
}) {
  const id = useId();
  const msg = (path: string) =>
    problems
      .filter((p) => p.path === path)
      .map((p) => `${PATIENT_FIELD_NAMES[path] ?? path}: ${p.message}`)
      .join('; ');
  const other = problems.filter((p) => !(p.path in PATIENT_FIELD_NAMES));
  const text = (key: 'alias' | 'weightKg' | 'ageYears' | 'heightCm', label: string, unit: string, hint?: string) => {
    const m = msg(`patient.${key}`);
    return (
      <div className={`field${m ? ' invalid' : ''}`}>
        <label htmlFor={`${id}-${key}`}>{label}</label>
        <span className="input-with-unit">
          <input
            id={`${id}-${key}`}
            type="text"
            inputMode={key === 'alias' ? 'text' : 'decimal'}
            autoComplete="off"
            spellCheck={false}
            value={draft[key]}
            onChange={(e) => onChange({ ...draft, [key]: e.target.value })}
            data-field={key}
            aria-invalid={m ? true : undefined}
            aria-describedby={m ? `${id}-${key}-err` : hint ? `${id}-${key}-hint` : undefined}
            maxLength={key === 'alias' ? MAX_ALIAS_LENGTH + 10 : undefined}
          />
          {unit ? (
            <span className="unit" aria-hidden="true">
              {unit}
            </span>
          ) : null}
        </span>
        {hint && !m ? (
          <span className="hint" id={`${id}-${key}-hint`}>
            {hint}
          </span>
        ) : null}
        {m ? (
          <span className="field-error" id={`${id}-${key}-err`} role="alert">
            {m}
          </span>
        ) : null}
      </div>
    );
  };
  const sexMsg = msg('patient.sex');
  return (
    <fieldset className="patient-form">
      <legend>{legend}</legend>
      {text('alias', 'Alias (clinic code)', '', 'e.g. K-17: never a name, record number or date of birth')}
      <div className="grid-2">
        {text('weightKg', 'Weight', 'kg')}
        {text('ageYears', 'Age', 'years')}
        <div className={`field${sexMsg ? ' invalid' : ''}`}>
          <label htmlFor={`${id}-sex`}>Sex</label>
          <select
            id={`${id}-sex`}
            value={draft.sex}
            onChange={(e) => onChange({ ...draft, sex: e.target.value as PatientDraft['sex'] })}
            data-field="sex"
          >
            <option value="">not given</option>
            <option value="female">female</option>
            <option value="male">male</option>
          </select>
          {sexMsg ? (
            <span className="field-error" role="alert">
              {sexMsg}
            </span>
          ) : null}
        </div>
        {text('heightCm', 'Height', 'cm')}
      </div>
      {other.length ? (
        <ul className="field-error" role="alert">
          {other.map((p) => (
            <li key={p.path + p.message}>
              {p.path}: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
