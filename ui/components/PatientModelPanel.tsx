// `PatientModelPanel`: covariates with unit toggles, model picker with citation/ke0 provenance, custom model fields.
import { memo } from 'react';
import { useApp, useResults, useScenario } from '../context.ts';
import { current } from '../state/simulation.ts';
import {
  CLEARANCE_KEYS,
  describePlan,
  MICRO_KEYS,
  modelKind,
  pin,
  setCustomModel,
  setDisplay,
  setModelField,
  setModelId,
  setPatientField,
  type CustomKind,
} from '../state/actions.ts';
import type { ModelInfo } from '../../workers/simulation-api.ts';
import { NumberField, SelectField, useFieldProblems } from './fields.tsx';
import { formatSig } from '../format.ts';

const LB_PER_KG = 1 / 0.45359237;
const IN_PER_CM = 1 / 2.54;

const PARAM_UNITS: Record<string, string> = {
  v1: 'L',
  v2: 'L',
  v3: 'L',
  cl1: 'L/min',
  cl2: 'L/min',
  cl3: 'L/min',
  k10: '1/min',
  k12: '1/min',
  k21: '1/min',
  k13: '1/min',
  k31: '1/min',
  ke0: '1/min',
};

/** Patient covariates (with units) and the model picker with citation, population, sampling and ke0 provenance. */
export const PatientModelPanel = memo(function PatientModelPanel() {
  const { scenario } = useApp();
  const patient = useScenario((s) => s.plan.patient);
  const model = useScenario((s) => s.plan.model);
  const display = useScenario((s) => s.display);
  const catalogue = useResults((r) => r.catalogue);
  const kind = modelKind(model);
  const info =
    kind === 'registry' && catalogue ? (catalogue.models.find((m) => m.id === (model as { id: string }).id) ?? null) : null;
  const uses = info?.uses ?? { ageYears: true, sex: true, heightCm: true };
  const notUsed = (used: boolean) => (used ? undefined : `not used by ${info?.name ?? 'this model'}`);
  const update = scenario.set;

  return (
    <section className="panel" aria-labelledby="patient-h">
      <h2 id="patient-h">Patient &amp; model</h2>
      <div className="grid-2">
        <div className="with-unit-choice">
          <NumberField
            path="patient.weightKg"
            label="Weight"
            name="Weight"
            unit={display.weightUnit}
            toDisplay={display.weightUnit === 'lb' ? LB_PER_KG : 1}
            value={patient.weightKg}
            onCommit={(v) => update((s) => setPatientField(s, 'weightKg', v))}
          />
          <SelectField
            label="Weight unit"
            compact
            className="unit-choice"
            value={display.weightUnit}
            options={[
              { value: 'kg', label: 'kg' },
              { value: 'lb', label: 'lb' },
            ]}
            onChange={(u) => update((s) => setDisplay(s, { weightUnit: u }))}
          />
        </div>
        <NumberField
          path="patient.ageYears"
          label="Age"
          name="Age"
          unit="years"
          hint={notUsed(uses.ageYears)}
          value={patient.ageYears}
          onCommit={(v) => update((s) => setPatientField(s, 'ageYears', v))}
        />
        <SelectField
          label="Sex"
          path="patient.sex"
          value={patient.sex ?? ''}
          options={[
            { value: '', label: 'not given' },
            { value: 'female', label: 'female' },
            { value: 'male', label: 'male' },
          ]}
          onChange={(v) => update((s) => setPatientField(s, 'sex', v === '' ? undefined : v))}
        />
        <div className="with-unit-choice">
          <NumberField
            path="patient.heightCm"
            label="Height"
            name="Height"
            hint={notUsed(uses.heightCm)}
            unit={display.heightUnit}
            toDisplay={display.heightUnit === 'in' ? IN_PER_CM : 1}
            value={patient.heightCm}
            onCommit={(v) => update((s) => setPatientField(s, 'heightCm', v))}
          />
          <SelectField
            label="Height unit"
            compact
            className="unit-choice"
            value={display.heightUnit}
            options={[
              { value: 'cm', label: 'cm' },
              { value: 'in', label: 'in' },
            ]}
            onChange={(u) => update((s) => setDisplay(s, { heightUnit: u }))}
          />
        </div>
      </div>
      {!uses.sex && info ? <p className="hint">Sex is not used by {info.name}.</p> : null}

      <ModelPicker
        kind={kind}
        modelId={kind === 'registry' ? (model as { id: string }).id : null}
        models={catalogue?.models ?? null}
      />
      {kind === 'registry' ? <RegistryModelDetails info={info} /> : <CustomModelFields kind={kind} />}
      <PopulationWarnings />
    </section>
  );
});

function ModelPicker(props: { kind: string; modelId: string | null; models: readonly ModelInfo[] | null }) {
  const { scenario, results } = useApp();
  const value = props.kind === 'registry' ? `id:${props.modelId}` : props.kind;
  const groups = new Map<string, ModelInfo[]>();
  for (const m of props.models ?? []) groups.set(m.drug, [...(groups.get(m.drug) ?? []), m]);
  const idError = useFieldProblems('model.id');
  const modelError = useFieldProblems('model');
  const error = [idError, modelError].filter(Boolean).join('; ');
  return (
    <div className={`field model-picker${error ? ' invalid' : ''}`}>
      <label htmlFor="model-select">Model</label>
      <select
        id="model-select"
        value={value}
        data-path="model.id"
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          const v = e.target.value;
          if (v.startsWith('id:')) scenario.set((s) => setModelId(s, v.slice(3)));
          else {
            const o = current(results.get());
            scenario.set((s) => setCustomModel(s, v as CustomKind, o?.model.parameters ?? null, o?.model.ke0PerMin ?? null));
          }
        }}
      >
        {props.models === null ? <option value={value}>{props.modelId ?? 'custom'} (loading the model list…)</option> : null}
        {[...groups].map(([drug, ms]) => (
          <optgroup key={drug} label={drug}>
            {ms.map((m) => (
              <option key={m.id} value={`id:${m.id}`}>
                {m.name}
              </option>
            ))}
          </optgroup>
        ))}
        <optgroup label="custom (not weight-scaled)">
          <option value="custom-clearance">Custom: volumes &amp; clearances</option>
          <option value="custom-micro">Custom: V1 &amp; micro-constants</option>
        </optgroup>
      </select>
      {error ? (
        <span className="field-error" aria-live="polite">
          Model: {error}
        </span>
      ) : null}
    </div>
  );
}

function RegistryModelDetails({ info }: { info: ModelInfo | null }) {
  const { scenario } = useApp();
  const ke0Override = useScenario((s) => ('id' in s.plan.model ? s.plan.model.ke0 : undefined));
  const resolved = useResults((r) => current(r)?.model ?? null);
  if (!info) return <p className="muted">Loading model details…</p>;
  const inUse = resolved && resolved.id === info.id ? resolved : null;
  return (
    <div className="model-card" data-testid="model-card">
      <p className="model-name">
        <strong>{info.name}</strong> · {info.drug}
      </p>
      <dl>
        <dt>Citation</dt>
        <dd>
          {info.citation}
          {info.doi ? (
            <>
              {' '}
              doi:
              <a href={`https://doi.org/${info.doi}`} target="_blank" rel="noreferrer noopener">
                {info.doi}
              </a>
            </>
          ) : (
            <> (no doi)</>
          )}
        </dd>
        <dt>Population</dt>
        <dd>{info.population}</dd>
        <dt>Sampling site</dt>
        <dd>{info.sampling}</dd>
        <dt>ke0</dt>
        <dd data-testid="ke0">
          {inUse ? <strong>{formatSig(inUse.ke0PerMin, 4)} /min</strong> : null}{' '}
          {inUse?.ke0Source === 'override' ? (
            <>
              <span className="badge override">override</span>{' '}
              <span className="muted">
                The model's own ke0 is {info.ke0.kind === 'published' ? `${info.ke0.valuePerMin} /min (published)` : 'derived'}.
                Clear the override to use it.
              </span>
            </>
          ) : info.ke0.kind === 'published' ? (
            <>
              <span className="badge published">published</span> {info.ke0.citation}
            </>
          ) : (
            <>
              <span className="badge derived">derived</span>{' '}
              <span>
                not published: the ke0 giving the same time to peak effect ({formatSig(info.ke0.referenceTimeToPeakMin, 3)} min)
                as Domino 1984 with Navarrete 2025's ke0.
              </span>
            </>
          )}
        </dd>
      </dl>
      <details className="more">
        <summary>Covariates, studied range, ke0 note{info.notes.length ? ' and model notes' : ''}</summary>
        <dl>
          <dt>Covariates</dt>
          <dd>{info.covariates}</dd>
          <dt>Studied range</dt>
          <dd>
            {info.validity.weightKg
              ? `weight ${info.validity.weightKg.min}–${info.validity.weightKg.max} kg (${info.validity.weightKg.basis})`
              : ''}
            {info.validity.weightKg && info.validity.ageYears ? '; ' : ''}
            {info.validity.ageYears
              ? `age ${info.validity.ageYears.min}–${info.validity.ageYears.max} years (${info.validity.ageYears.basis})`
              : ''}
            {!info.validity.weightKg && !info.validity.ageYears ? 'not stated' : ''}
          </dd>
          <dt>ke0 note</dt>
          <dd>{info.ke0.note}</dd>
          <dt>Confidence</dt>
          <dd>{info.confidence}</dd>
        </dl>
        {info.notes.length ? (
          <ul className="notes">
            {info.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        ) : null}
      </details>
      <Ke0Choice info={info} ke0Override={ke0Override} />
      {typeof ke0Override === 'string' && info.ke0Choices.some((c) => c.planValue === ke0Override) ? null : (
        <NumberField
          path="model.ke0"
          label="ke0 override"
          name="ke0 override"
          unit="1/min"
          placeholder="model's own"
          hint="Leave empty to use the model's published or derived ke0."
          value={ke0Override}
          onCommit={(v) => scenario.set((s) => setModelField(s, 'ke0', v))}
        />
      )}
    </div>
  );
}

/**
 * The ke0 choices a model has (engine/models/catalogue.ts `ke0Choices`): its own, and for an S-ketamine
 * model Olofsen 2022's, labelled as a transfer. "Show both Ce curves" pins the current plan with the other
 * choice, so the two effect-site curves are overlaid (and compared side by side in Compare).
 */
function Ke0Choice({ info, ke0Override }: { info: ModelInfo; ke0Override: string | number | undefined }) {
  const { scenario } = useApp();
  const cur = useResults((r) => current(r));
  const invalid = useResults((r) => r.problems !== null);
  if (info.ke0Choices.length < 2) return null;
  const named = typeof ke0Override === 'string' ? info.ke0Choices.find((c) => c.planValue === ke0Override) : undefined;
  const value = named ? named.choice : ke0Override === undefined || ke0Override === '' ? 'model' : 'number';
  const chosen = info.ke0Choices.find((c) => c.choice === value);
  const other = info.ke0Choices.find((c) => c.choice !== (value === 'number' ? 'model' : value)) ?? null;
  const showBoth = () => {
    if (!cur || !other || !('id' in cur.plan.model)) return;
    const { ke0: _k, ...base } = cur.plan.model;
    const model = other.planValue === null ? base : { ...base, ke0: other.planValue as typeof _k };
    const plan = { ...cur.plan, model };
    const label = `${describePlan(plan, cur.model.name)} · ke0: ${other.choice === 'model' ? "the model's own" : `${other.choice} (transfer)`}`;
    scenario.set((s) => pin(s, plan, label));
  };
  return (
    <div className="field ke0-choice" data-testid="ke0-choice">
      <label htmlFor="ke0-choice">ke0 (effect-site equilibration)</label>
      <select
        id="ke0-choice"
        data-path="model.ke0.choice"
        value={value}
        onChange={(e) => {
          const c = info.ke0Choices.find((x) => x.choice === e.target.value);
          if (c) scenario.set((s) => setModelField(s, 'ke0', c.planValue ?? undefined));
        }}
      >
        {info.ke0Choices.map((c) => (
          <option key={c.choice} value={c.choice}>
            {c.choice === 'model' ? "the model's own (published or derived)" : `${c.choice}: t½ke0-based, a transfer (labelled)`}
          </option>
        ))}
        {value === 'number' ? <option value="number">a number (override below)</option> : null}
      </select>
      <span className="hint" data-testid="ke0-choice-label">
        {chosen ? chosen.label : 'A number overrides the model’s ke0.'}
        {chosen?.citation ? ` Source: ${chosen.citation}.` : ''}
      </span>
      <button type="button" className="secondary" onClick={showBoth} disabled={!cur || invalid || !other}>
        Show both Ce curves (pin the other ke0)
      </button>
    </div>
  );
}

function CustomModelFields({ kind }: { kind: CustomKind }) {
  const { scenario } = useApp();
  const model = useScenario((s) => s.plan.model as Record<string, string | number | undefined>);
  const keys = [...(kind === 'custom-clearance' ? CLEARANCE_KEYS : MICRO_KEYS), 'ke0'];
  return (
    <div className="model-card" data-testid="custom-model">
      <p className="muted">
        A custom linear mammillary model (
        {kind === 'custom-clearance' ? 'volumes in L, clearances in L/min' : 'V1 in L, micro-constants in 1/min'}), not scaled by
        weight. Leave a peripheral pair empty for fewer compartments. It has no citation: label your source when you share it.
      </p>
      <div className="grid-3">
        {keys.map((k) => (
          <NumberField
            key={k}
            path={`model.${k}`}
            label={k}
            name={k}
            unit={PARAM_UNITS[k]}
            value={model[k]}
            onCommit={(v) => scenario.set((s) => setModelField(s, k, v))}
          />
        ))}
      </div>
    </div>
  );
}

function PopulationWarnings() {
  const warnings = useResults((r) => current(r)?.warnings ?? null);
  const list = (warnings ?? []).filter((w) => w.code === 'outside-population' || w.code === 'after-horizon');
  if (list.length === 0) return null;
  return (
    <div className="warning-box" role="status" data-testid="population-warning">
      {list.map((w) => (
        <p key={w.message}>
          <strong>{w.code === 'outside-population' ? 'Outside the studied population:' : 'Note:'}</strong> {w.message}
        </p>
      ))}
    </div>
  );
}
