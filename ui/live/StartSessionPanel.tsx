// `StartSessionPanel`: choose patient and start a session from the current plan; `regimenText`, `usePatients`.
import { nonIvRefusal } from '../components/route-dose.ts';
import { useEffect, useMemo, useState } from 'react';
import type { Plan } from '../../engine/plan.ts';
import { useValidatedPlan } from './hooks.ts';
import { useApp } from '../context.ts';
import { useStore } from '../state/store.ts';
import type { PatientRecord } from '../storage/records.ts';
import { unitLabel } from '../format.ts';
import { courseRevision, courseStore } from './course-store.ts';
import { chosenPatient, startLiveSession, type PatientChoice } from './session.ts';
import { plain, problemLines } from './live-model.ts';
import { sessionPlanFor } from './session-plan.ts';
import { clinicSettings } from '../settings/clinic-settings.ts';
import { FindingList, useDoseSafetyFor } from '../settings/dose-safety.tsx';
import { PumpSettingsPanel } from '../pump/PumpSettingsPanel.tsx';
import { PatientForm } from '../course-view/PatientForm.tsx';
import {
  EMPTY_PATIENT_DRAFT,
  draftToFields,
  patientDraft,
  patientDraftProblems,
  patientSummary,
  type PatientDraft,
} from '../course-view/course-model.ts';

/** The plan's regimen in words, one event per item, with units. */
export function regimenText(plan: Plan): string[] {
  if (plan.regimen.length === 0) return ['no dose events'];
  return plan.regimen.map((e) => {
    if ('bolus' in e) return `${plain(e.at)} min: bolus ${plain(e.bolus)} ${unitLabel(e.unit)}`;
    if ('dose' in e)
      return `${plain(e.at)} min: ${plain(e.dose)} ${unitLabel(e.unit)} ${'route' in e ? e.route : `over ${plain(e.overMin)} min`}`;
    return `${plain(e.at)} min: ${e.rate === 0 ? 'pump to 0' : `rate ${plain(e.rate)} ${unitLabel(e.unit)}`}`;
  });
}

/** Patients by alias, re-read after every write to the course database. */
export function usePatients(): { patients: PatientRecord[] | null; error: string | null } {
  const rev = useStore(courseRevision, (n) => n);
  const [state, setState] = useState<{ patients: PatientRecord[] | null; error: string | null }>({ patients: null, error: null });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `rev` is the trigger: re-read after every write to the course database
  useEffect(() => {
    let live = true;
    courseStore()
      .listPatients()
      .then(
        (patients) => {
          if (live) setState({ patients, error: null });
        },
        (e) => {
          if (live) setState({ patients: [], error: `The course database could not be read: ${(e as Error).message}` });
        },
      );
    return () => {
      live = false;
    };
  }, [rev]);
  return state;
}

/**
 * Start a live session from the current plan: first who it is for (a patient by alias, a new patient,
 * or an anonymous session stored under a generated code), then one button. The session's plan takes
 * the patient's covariates from the patient record; the rest (model, regimen, bands) is the plan's.
 */
export function StartSessionPanel() {
  const { scenario, client } = useApp();
  const { plan, problems } = useValidatedPlan();
  const limits = useStore(clinicSettings, (c) => c.limits);
  const [confirmed, setConfirmed] = useState(false);
  const { patients, error: listError } = usePatients();
  const choice = useStore(chosenPatient, (c) => c);
  const [draft, setDraft] = useState<PatientDraft>(EMPTY_PATIENT_DRAFT);
  const [touched, setTouched] = useState(false);
  const [status, setStatus] = useState<{ kind: 'saving' } | { kind: 'error'; lines: string[] } | null>(null);
  const existing = patients?.find((p) => p.id === choice) ?? null;
  // A new patient starts from the plan's covariates.
  useEffect(() => {
    if (choice === 'new' && plan)
      setDraft((d) => (d.alias === '' && d.weightKg === '' ? { ...patientDraft(plan.patient), alias: '' } : d));
  }, [choice, plan]);
  const draftProblems = choice === 'new' ? patientDraftProblems(draft) : [];
  const sessionPlan = useMemo(() => (plan && existing ? sessionPlanFor(plan, existing) : plan), [plan, existing]);
  // The dose check of the plan the session will run (the patient's weight may differ from the plan's).
  const { safety, error: safetyError } = useDoseSafetyFor(client, sessionPlan, limits);
  const findings = safety && safety.plan === sessionPlan ? safety.warnings : [];
  const findingsKey = findings.map((w) => w.message).join('\n');
  // A changed finding needs a new confirmation.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the findings change
  useEffect(() => setConfirmed(false), [findingsKey]);
  const checkPending = sessionPlan !== null && safety?.plan !== sessionPlan && safetyError === null;
  // A non-IV dose is refused in words before anything is stored (ui/components/route-dose.ts).
  const refusal = nonIvRefusal(plan, 'live');
  const ready =
    plan !== null &&
    choice !== '' &&
    (choice !== 'new' || draftProblems.length === 0) &&
    (choice === 'new' || choice === 'anonymous' || existing !== null);

  const start = async () => {
    setTouched(true);
    if (!plan || !ready || checkPending || refusal !== null) return;
    if (findings.length > 0 && !confirmed) return;
    const c: PatientChoice =
      choice === 'new'
        ? { kind: 'new', fields: draftToFields(draft) }
        : choice === 'anonymous'
          ? { kind: 'anonymous' }
          : { kind: 'existing', patientId: choice };
    setStatus({ kind: 'saving' });
    try {
      const r = await startLiveSession(c, plan);
      if (r.ok) {
        setStatus(null);
        chosenPatient.set(r.value.patient.id);
      } else setStatus({ kind: 'error', lines: problemLines(r.problems) });
    } catch (e) {
      setStatus({ kind: 'error', lines: [`The browser's database refused the write: ${(e as Error).message}`] });
    }
  };

  const weightNote =
    plan && existing && existing.weightKg !== plan.patient.weightKg
      ? `Weight from ${existing.alias}'s record (${existing.weightKg} kg), not the plan's ${plan.patient.weightKg} kg: per-kg doses scale with it.`
      : null;

  return (
    <section className="panel live-start" aria-labelledby="live-start-h" data-testid="live-start">
      <h2 id="live-start-h">Start a live session</h2>
      <p className="hint">
        The session clock is the computer's clock from the moment you press Start; reloading the page or a sleeping laptop does
        not lose time or events.
      </p>
      <div className="live-start-grid">
        <div>
          <div className="field">
            <label htmlFor="live-patient">Patient</label>
            <select
              id="live-patient"
              value={choice}
              onChange={(e) => chosenPatient.set(e.target.value)}
              data-testid="live-patient"
            >
              <option value="">— choose who this session is for —</option>
              {(patients ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.alias} ({patientSummary(p)})
                </option>
              ))}
              <option value="new">New patient…</option>
              <option value="anonymous">Anonymous session (stored under a generated code)</option>
            </select>
            {patients === null ? (
              <span className="hint">
                <span className="spinner" aria-hidden="true" /> Reading the patient list…
              </span>
            ) : null}
            {listError ? (
              <span className="field-error" role="alert">
                {listError}
              </span>
            ) : null}
            {touched && choice === '' ? (
              <span className="field-error" role="alert">
                Patient: choose a patient, a new patient or an anonymous session.
              </span>
            ) : null}
          </div>
          {choice === 'new' ? (
            <PatientForm
              draft={draft}
              onChange={setDraft}
              problems={touched || draft.alias !== '' ? draftProblems : []}
              legend="New patient (alias only)"
            />
          ) : null}
          {choice === 'anonymous' ? (
            <p className="hint">
              Stored as a patient with a generated code (Anon-…) and the plan's covariates; it appears in the Course tab like any
              other.
            </p>
          ) : null}
        </div>
        <div className="live-plan-summary" data-testid="live-plan-summary">
          <h3>Plan to run</h3>
          {sessionPlan ? (
            <>
              <p>
                Model <strong>{'id' in sessionPlan.model ? sessionPlan.model.id : 'custom'}</strong> · patient{' '}
                {sessionPlan.patient.weightKg} kg
                {sessionPlan.patient.ageYears !== undefined ? `, ${sessionPlan.patient.ageYears} years` : ''}
                {sessionPlan.patient.sex ? `, ${sessionPlan.patient.sex}` : ''}
                {sessionPlan.patient.heightCm !== undefined ? `, ${sessionPlan.patient.heightCm} cm` : ''} · view{' '}
                {sessionPlan.horizonMin} min
              </p>
              <ul>
                {regimenText(sessionPlan).map((l, i) => (
                  <li key={i}>{l}</li>
                ))}
              </ul>
              {weightNote ? <p className="warning-box">{weightNote}</p> : null}
              {findings.length > 0 ? (
                <div className="confirm-findings" data-testid="live-dose-findings">
                  <p>
                    <strong>Dose check: this plan is outside the limits in force.</strong>
                  </p>
                  <FindingList warnings={findings} testId="live-findings" />
                  <label>
                    <input
                      type="checkbox"
                      checked={confirmed}
                      data-testid="live-confirm-findings"
                      onChange={(e) => setConfirmed(e.target.checked)}
                    />{' '}
                    I have checked {findings.length === 1 ? 'this finding' : `these ${findings.length} findings`} and start this
                    plan as intended
                  </label>
                  {touched && !confirmed ? (
                    <span className="field-error" role="alert">
                      Dose check: confirm the finding{findings.length === 1 ? '' : 's'} above (
                      {findings[0].code === 'dose-above-limit' ? 'above the dose limit' : 'possible unit slip'}) before starting.
                    </span>
                  ) : null}
                </div>
              ) : null}
              {safetyError ? <p className="field-error">Dose check: {safetyError}</p> : null}
              <button type="button" className="secondary" onClick={() => scenario.set((s) => ({ ...s, tab: 'plan' }))}>
                Edit the plan in Plan &amp; predict
              </button>
            </>
          ) : (
            <div className="problem-summary" role="alert">
              <p>
                <strong>The plan in "Plan &amp; predict" needs fixing before a session can start:</strong>
              </p>
              <ul>
                {problemLines(problems).map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
      </div>
      <PumpSettingsPanel idPrefix="live" />
      <div className="button-row">
        <button
          type="button"
          className="primary"
          data-testid="live-start-button"
          onClick={start}
          disabled={status?.kind === 'saving' || plan === null || checkPending || refusal !== null}
        >
          Start the session now
        </button>
        <span role="status" aria-live="polite">
          {status?.kind === 'saving' ? (
            <>
              <span className="spinner" aria-hidden="true" /> Saving the session…
            </>
          ) : null}
        </span>
      </div>
      {refusal !== null ? (
        <p className="field-error" data-testid="live-start-refused">
          {refusal}
        </p>
      ) : null}
      {status?.kind === 'error' ? (
        <div className="problem-summary" role="alert" data-testid="live-start-error">
          <p>
            <strong>The session was not started:</strong>
          </p>
          <ul>
            {status.lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
