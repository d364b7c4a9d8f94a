// `PatientForm`: alias and covariate fields with problems under each field.
import { useId, useState } from 'react';
import { ALIAS_RULE, findIdentifying, findingsText } from '../privacy/identifying.ts';
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
  // Weight may be typed in pounds: converted to kg (1 lb = 0.45359237 kg), rounded to 0.1 kg, and stored in kg.
  const [weightUnit, setWeightUnit] = useState<'kg' | 'lb'>('kg');
  const [lbText, setLbText] = useState('');
  const aliasFlags = findIdentifying(draft.alias);
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
      {text('alias', 'Alias (clinic code)', '', ALIAS_RULE)}
      {aliasFlags.length && !msg('patient.alias') ? (
        <p className="field-error" role="alert" data-testid="alias-flag">
          Alias: {findingsText(aliasFlags)}; it will be refused. Use a clinic code instead.
        </p>
      ) : null}
      <div className="grid-2">
        {weightUnit === 'kg' ? (
          text('weightKg', 'Weight', 'kg')
        ) : (
          <div className={`field${msg('patient.weightKg') ? ' invalid' : ''}`}>
            <label htmlFor={`${id}-lb`}>Weight</label>
            <span className="input-with-unit">
              <input
                id={`${id}-lb`}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                value={lbText}
                data-field="weightLb"
                onChange={(e) => {
                  setLbText(e.target.value);
                  const lb = Number(e.target.value.trim().replace(',', '.'));
                  onChange({
                    ...draft,
                    weightKg:
                      e.target.value.trim() !== '' && Number.isFinite(lb)
                        ? String(Math.round(lb * 0.45359237 * 10) / 10)
                        : e.target.value,
                  });
                }}
              />
              <span className="unit" aria-hidden="true">
                lb
              </span>
            </span>
            <span className="hint" data-testid="weight-converted">
              = {draft.weightKg || '–'} kg (converted from lb, rounded to 0.1 kg; stored in kg)
            </span>
            {msg('patient.weightKg') ? (
              <span className="field-error" role="alert">
                {msg('patient.weightKg')}
              </span>
            ) : null}
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-wunit`}>Weight unit</label>
          <select
            id={`${id}-wunit`}
            value={weightUnit}
            data-field="weightUnit"
            onChange={(e) => {
              const u = e.target.value as 'kg' | 'lb';
              const kg = Number(draft.weightKg);
              if (u === 'lb')
                setLbText(
                  draft.weightKg.trim() !== '' && Number.isFinite(kg) ? String(Math.round((kg / 0.45359237) * 10) / 10) : '',
                );
              setWeightUnit(u);
            }}
          >
            <option value="kg">kg</option>
            <option value="lb">lb (pounds; shown to 0.1 lb)</option>
          </select>
        </div>
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
