// `CourseView`: patient list by alias, add patient, chosen patient's course; `selectedCoursePatient` store.
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useStore } from '../state/store.ts';
import { selectedCoursePatient } from './course-selection.ts';
import { bumpCourseRevision, courseStore } from '../live/course-store.ts';
import { usePatients } from '../live/StartSessionPanel.tsx';
import { problemLines } from '../live/live-model.ts';
import { useSlow } from '../live/hooks.ts';
import { PatientForm } from './PatientForm.tsx';
import { PatientCourse } from './PatientCourse.tsx';
import { EMPTY_PATIENT_DRAFT, draftToFields, patientDraftProblems, patientSummary, type PatientDraft } from './course-model.ts';
import { DeletePatient } from './DeletePatient.tsx';
import type { PatientRecord } from '../storage/records.ts';
import './course.css';

/**
 * The list summary of a stored patient, or null when the record cannot be shown (no string id or alias, or
 * a weight that is not a positive number): it is listed as "unreadable record", still with its delete button.
 */
function readablePatient(p: PatientRecord): string | null {
  if (typeof p !== 'object' || p === null || typeof p.id !== 'string' || typeof p.alias !== 'string') return null;
  if (!(typeof p.weightKg === 'number' && Number.isFinite(p.weightKg) && p.weightKg > 0)) return null;
  try {
    return patientSummary(p);
  } catch {
    return null;
  }
}

export { selectedCoursePatient };

/**
 * The Course view: patients by alias (with weight, age, sex, height), and for the chosen patient the
 * course of sessions — dose and peak Ce per session, outcome scores over sessions, notes with the
 * lamotrigine/benzodiazepine notes, the stabilisation series and maintenance interval on a calendar
 * (clinic protocol settings), the personal band — with export and import of the course file.
 */
export function CourseView() {
  const { patients, error } = usePatients();
  const selected = useStore(selectedCoursePatient, (s) => s);
  const found = patients?.find((p) => p.id === selected) ?? null;
  const current = found && readablePatient(found) !== null ? found : null;
  // Choose the first patient when none is chosen yet. (A patient just added or imported is chosen
  // before the list has been re-read, so a chosen id missing from the list is not reset here.)
  useEffect(() => {
    const first = patients?.find((p) => readablePatient(p) !== null);
    if (first && selected === null) selectedCoursePatient.set(first.id);
  }, [patients, selected]);
  return (
    <div className="course-view" data-testid="course-view">
      <div className="course-side">
        <section className="panel" aria-labelledby="patients-h">
          <h2 id="patients-h">
            Patients <span className="muted">(alias only)</span>
          </h2>
          {patients === null ? (
            <p>
              <span className="spinner" aria-hidden="true" /> Reading the course database…
            </p>
          ) : null}
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
          {patients && patients.length === 0 ? (
            <p className="muted">No patients yet: add one below, import a course file, or start a live session.</p>
          ) : null}
          <ul className="patient-list" aria-label="Patients" data-testid="patient-list">
            {(patients ?? []).map((p) => {
              const summary = readablePatient(p);
              return (
                <li key={String(p.id)} data-testid="patient-item">
                  {summary === null ? (
                    <span className="field-error" data-testid="unreadable-patient">
                      unreadable record <span className="muted">(patient {String(p.id)})</span>
                    </span>
                  ) : (
                    <button
                      type="button"
                      className={p.id === selected ? 'patient-item active' : 'patient-item'}
                      aria-pressed={p.id === selected}
                      onClick={() => selectedCoursePatient.set(p.id)}
                    >
                      <strong>{p.alias}</strong> <span className="muted">{summary}</span>
                    </button>
                  )}
                  <DeletePatient
                    compact
                    id={p.id}
                    name={summary === null ? 'this unreadable record' : p.alias}
                    onDeleted={() => {
                      if (selectedCoursePatient.get() === p.id) selectedCoursePatient.set(null);
                    }}
                  />
                </li>
              );
            })}
          </ul>
        </section>
        <NewPatient />
        <ImportCourse />
      </div>
      <div className="course-main">
        {current ? (
          <PatientCourse key={current.id} patient={current} />
        ) : patients && patients.length > 0 ? (
          <p className="muted">Choose a patient.</p>
        ) : null}
      </div>
    </div>
  );
}

function NewPatient() {
  const [draft, setDraft] = useState<PatientDraft>(EMPTY_PATIENT_DRAFT);
  const [shown, setShown] = useState(false);
  const [status, setStatus] = useState<
    { kind: 'saving' } | { kind: 'error'; lines: string[] } | { kind: 'ok'; text: string } | null
  >(null);
  const problems = patientDraftProblems(draft);
  const [serverProblems, setServerProblems] = useState<readonly { path: string; message: string }[]>([]);
  const save = async () => {
    setShown(true);
    if (problems.length) return;
    setStatus({ kind: 'saving' });
    try {
      const r = await courseStore().createPatient(draftToFields(draft), Date.now());
      if (r.ok) {
        setStatus({ kind: 'ok', text: `${r.value.alias} added.` });
        setDraft(EMPTY_PATIENT_DRAFT);
        setShown(false);
        setServerProblems([]);
        bumpCourseRevision();
        selectedCoursePatient.set(r.value.id);
      } else {
        setServerProblems(r.problems);
        setStatus({ kind: 'error', lines: [] });
      }
    } catch (e) {
      setStatus({ kind: 'error', lines: [`The browser's database refused the write: ${(e as Error).message}`] });
    }
  };
  return (
    <section className="panel" aria-labelledby="new-patient-h">
      <h2 id="new-patient-h">New patient</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        data-testid="new-patient"
      >
        <PatientForm
          draft={draft}
          onChange={(d) => {
            setDraft(d);
            setServerProblems([]);
          }}
          problems={[...(shown ? problems : []), ...serverProblems]}
          legend="Alias and covariates"
        />
        <div className="button-row">
          <button type="submit" disabled={status?.kind === 'saving'}>
            Add patient
          </button>
          <span role="status" aria-live="polite">
            {status?.kind === 'ok' ? `✓ ${status.text}` : status?.kind === 'saving' ? 'Saving…' : ''}
          </span>
        </div>
        {status?.kind === 'error' && status.lines.length ? (
          <ul className="field-error" role="alert">
            {status.lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        ) : null}
      </form>
    </section>
  );
}

/**
 * Import a course file (JSON). Everything is validated before anything is written; a file with any
 * problem changes nothing and lists every problem with the field it names.
 */
function ImportCourse() {
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [alias, setAlias] = useState('');
  const [busy, setBusy] = useState(false);
  const slow = useSlow(busy, 500);
  const [result, setResult] = useState<{ ok: true; text: string } | { ok: false; lines: string[]; aliasTaken: boolean } | null>(
    null,
  );
  const run = async (json: string, name: string, asAlias?: string) => {
    setBusy(true);
    try {
      const r = await courseStore().importCourse(json, Date.now(), asAlias ? { alias: asAlias } : {});
      if (r.ok) {
        setResult({ ok: true, text: `Imported ${r.value.alias} from ${name}.` });
        setText(null);
        setAlias('');
        bumpCourseRevision();
        selectedCoursePatient.set(r.value.id);
      } else {
        setResult({
          ok: false,
          lines: problemLines(r.problems),
          aliasTaken: r.problems.some((p) => p.path === 'patient.alias' && /already exists/.test(p.message)),
        });
      }
    } catch (e) {
      setResult({ ok: false, lines: [`The browser's database refused the import: ${(e as Error).message}`], aliasTaken: false });
    } finally {
      setBusy(false);
    }
  };
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    setFileName(f.name);
    setResult(null);
    let content: string;
    try {
      content = await f.text();
    } catch (err) {
      setResult({ ok: false, lines: [`file: could not be read (${(err as Error).message})`], aliasTaken: false });
      return;
    }
    setText(content);
    await run(content, f.name);
  };
  return (
    <section className="panel" aria-labelledby="import-h">
      <h2 id="import-h">Import a course file</h2>
      <label className="file-label" htmlFor="course-import">
        Course file (.json)
      </label>
      <input
        ref={inputRef}
        id="course-import"
        type="file"
        accept=".json,application/json"
        onChange={onFile}
        data-testid="course-import"
      />
      <p className="hint">
        A file exported from KetaSim. It is checked completely first: a file with any problem imports nothing.
      </p>
      <div role="status" aria-live="polite">
        {slow ? (
          <>
            <span className="spinner" aria-hidden="true" /> Checking and importing…
          </>
        ) : null}
      </div>
      {result?.ok ? (
        <p className="ok-line" role="status" data-testid="import-ok">
          ✓ {result.text}
        </p>
      ) : null}
      {result && !result.ok ? (
        <div className="problem-summary" role="alert" data-testid="import-problems">
          <p>
            <strong>Nothing was imported{fileName ? ` from ${fileName}` : ''}; the course database is unchanged.</strong>{' '}
            {result.lines.length === 1 ? 'One problem' : `${result.lines.length} problems`}:
          </p>
          <ul>
            {result.lines.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
          {result.aliasTaken && text ? (
            <form
              className="live-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (alias.trim()) void run(text, fileName, alias.trim());
              }}
            >
              <label htmlFor="import-alias">Import under another alias</label>
              <input id="import-alias" type="text" value={alias} onChange={(e) => setAlias(e.target.value)} size={12} />
              <button type="submit" disabled={busy || alias.trim() === ''}>
                Import
              </button>
            </form>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
