// `ValidateView`: drop a NONMEM-style dataset, pick registry models, see Varvel 1992's measures and the fit charts (worker-computed).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TimeUnit } from '../../engine/research/nonmem.ts';
import type { ValidateModelChoice, ValidateResult } from '../../workers/validate-api.ts';
import { isAbortError, ValidateClient, type CancellableRun } from './validate-client.ts';
import { Legend, ObservedPredictedChart, PeTimeChart, SubjectChart } from './ValidateCharts.tsx';
import { formatCount, formatDivergence, formatPct } from './validate-format.ts';
import './validate.css';

/** Largest dataset file the view reads, MB (a limit of this view, assumed; the CLI has none). */
const MAX_FILE_MB = 50;
/** Progress is shown for a run still going after this long, ms. */
const PROGRESS_AFTER_MS = 500;

type UnitChoice = 'file' | TimeUnit;

type RunState =
  | { kind: 'idle' }
  | { kind: 'running'; done: number; steps: number; showProgress: boolean }
  | { kind: 'problems'; stage: string; problems: readonly string[] }
  | { kind: 'failed'; message: string }
  | { kind: 'done'; result: ValidateResult; models: readonly string[] };

const MEASURES = [
  { key: 'mdpe', label: 'MDPE (median PE), %', format: formatPct },
  { key: 'mdape', label: 'MDAPE (median |PE|), %', format: formatPct },
  { key: 'wobble', label: 'Wobble (median |PE − MDPE|), %', format: formatPct },
  { key: 'divergence', label: 'Divergence (slope of |PE| on time), %/h', format: formatDivergence },
] as const;
const COUNTS = [
  { key: 'subjects', label: 'Subjects with a usable observation' },
  { key: 'observations', label: 'Observations used' },
  { key: 'skipped', label: 'Observations skipped (DV missing, DV ≤ 0 or PRED ≤ 0)' },
] as const;

const STAGE_TEXT: Record<string, string> = {
  dataset: 'The dataset cannot be read; nothing was computed:',
  models: 'The dataset lacks what a picked model needs; nothing was computed:',
  request: 'The request is incomplete:',
};

/** The Validate tab: everything is read and computed in this browser (a worker); nothing is uploaded. */
export function ValidateView() {
  const client = useMemo(() => new ValidateClient(), []);
  useEffect(() => () => client.dispose(), [client]);
  const [choices, setChoices] = useState<readonly ValidateModelChoice[] | null>(null);
  const [choicesError, setChoicesError] = useState<string | null>(null);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [picked, setPicked] = useState<readonly string[]>([]);
  const [unit, setUnit] = useState<UnitChoice>('file');
  const [state, setState] = useState<RunState>({ kind: 'idle' });
  const [subjectIndex, setSubjectIndex] = useState(0);
  const [dragging, setDragging] = useState(false);
  const runRef = useRef<CancellableRun | null>(null);

  useEffect(() => {
    let live = true;
    client.models().then(
      (m) => live && setChoices(m),
      (e: unknown) => live && !isAbortError(e) && setChoicesError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [client]);

  // Models in registry order (the table's columns and the colours follow it).
  const models = useMemo(() => (choices ?? []).map((c) => c.id).filter((id) => picked.includes(id)), [choices, picked]);

  useEffect(() => {
    if (!file) {
      setState({ kind: 'idle' });
      return;
    }
    const started = performance.now();
    setState({ kind: 'running', done: 0, steps: 0, showProgress: false });
    const timer = setTimeout(() => setState((s) => (s.kind === 'running' ? { ...s, showProgress: true } : s)), PROGRESS_AFTER_MS);
    const run = client.run({ text: file.text, models, timeUnit: unit === 'file' ? null : unit }, (done, steps) =>
      setState((s) =>
        s.kind === 'running' ? { ...s, done, steps, showProgress: performance.now() - started > PROGRESS_AFTER_MS } : s,
      ),
    );
    runRef.current = run;
    run.then(
      (outcome) => {
        if (outcome.ok) {
          setState({ kind: 'done', result: outcome.result, models });
          setSubjectIndex((i) => (i < outcome.result.subjects.length ? i : 0));
        } else setState({ kind: 'problems', stage: outcome.stage, problems: outcome.problems });
      },
      (e: unknown) => {
        if (isAbortError(e)) return;
        setState({ kind: 'failed', message: (e as Error).message });
      },
    );
    return () => {
      clearTimeout(timer);
      run.cancel();
    };
  }, [client, file, models, unit]);

  const readFile = (f: File | undefined) => {
    if (!f) return;
    if (f.size > MAX_FILE_MB * 1024 * 1024) {
      setFileProblem(
        `file: ${f.name} is ${(f.size / 1024 / 1024).toFixed(1)} MB; this view reads datasets up to ${MAX_FILE_MB} MB (use ketasim validate for larger ones)`,
      );
      return;
    }
    f.text().then(
      (text) => {
        setFileProblem(null);
        setFile({ name: f.name, text });
      },
      (e: unknown) => setFileProblem(`file: ${f.name} cannot be read (${(e as Error).message})`),
    );
  };

  const cancel = () => {
    runRef.current?.cancel();
    setState({ kind: 'failed', message: 'Cancelled. Change the file, a model or the time unit to run again.' });
  };

  const nameOf = (id: string) => choices?.find((c) => c.id === id)?.name ?? id;

  return (
    <div className="validate-view">
      <section className="panel validate-inputs" aria-labelledby="validate-title">
        <h2 id="validate-title">Validate models against observed data</h2>
        <p className="validate-local" data-testid="validate-local-note">
          The file is read and computed in this browser only: nothing is uploaded or sent anywhere.
        </p>
        <div
          className={`drop-zone${dragging ? ' dragging' : ''}`}
          role="region"
          aria-label="Dataset file: drop it here or choose it below"
          data-testid="validate-drop"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            readFile(e.dataTransfer.files[0]);
          }}
        >
          <p>Drop a NONMEM-style dataset (CSV) here, or</p>
          <label className="file-label" htmlFor="validate-file">
            Choose a dataset file (CSV)
          </label>
          <input
            id="validate-file"
            data-testid="validate-file"
            type="file"
            accept=".csv,.txt,.dat,text/csv,text/plain"
            onChange={(e) => {
              readFile(e.currentTarget.files?.[0]);
              e.currentTarget.value = '';
            }}
          />
          <p className="hint">
            Columns ID, TIME, AMT, DV (RATE, EVID, MDV, WT, AGE, SEX, HT optional); AMT mg, RATE mg/h, DV ng/mL; lines starting
            with # are comments (as <code>ketasim export</code> writes and <code>ketasim validate</code> reads).
          </p>
          {file && (
            <p data-testid="validate-file-name">
              File: <strong>{file.name}</strong> ({formatCount(file.text.length)} characters)
            </p>
          )}
          {fileProblem && (
            <p className="field-error" role="alert">
              {fileProblem}
            </p>
          )}
        </div>

        <fieldset className="validate-models">
          <legend>Models (one or more, shown side by side)</legend>
          {choicesError && (
            <p className="field-error" role="alert">
              models: the list cannot be loaded ({choicesError})
            </p>
          )}
          {!choices && !choicesError && (
            <p>
              <span className="spinner" aria-hidden="true" /> Loading the model registry…
            </p>
          )}
          {choices?.map((c) => (
            <label key={c.id} className="validate-model" data-model={c.id}>
              <input
                type="checkbox"
                value={c.id}
                checked={picked.includes(c.id)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setPicked((p) => (on ? [...p, c.id] : p.filter((x) => x !== c.id)));
                }}
              />{' '}
              <strong>{c.name}</strong> <span className="muted">({c.id})</span>
              <span className="validate-model-detail">
                {c.drug}; {c.population}
                {c.needs.length > 0 && <> — dataset needs {c.needs.join(', ')}</>}
              </span>
            </label>
          ))}
        </fieldset>

        <div className="field">
          <label htmlFor="validate-unit">Unit of the TIME column</label>
          <select
            id="validate-unit"
            data-testid="validate-unit"
            value={unit}
            onChange={(e) => setUnit(e.currentTarget.value as UnitChoice)}
          >
            <option value="file">From the file's "# time-unit:" comment (hours if none)</option>
            <option value="h">Hours (h)</option>
            <option value="min">Minutes (min)</option>
          </select>
        </div>
        {state.kind === 'done' && (
          <p className="hint" data-testid="validate-unit-used">
            TIME read in {state.result.timeUnit === 'h' ? 'hours' : 'minutes'} (
            {state.result.timeUnitSource === 'file'
              ? 'from the file\'s "# time-unit:" comment'
              : state.result.timeUnitSource === 'option'
                ? 'as chosen above'
                : 'default: the file states no unit'}
            ).
          </p>
        )}
      </section>

      <section className="panel validate-results" aria-labelledby="validate-results-title" aria-live="polite">
        <h2 id="validate-results-title">Predictive performance (Varvel 1992)</h2>
        {state.kind === 'idle' && <p className="muted">Choose a dataset file to start.</p>}
        {state.kind === 'running' && (
          <div data-testid="validate-running">
            <span className="spinner" aria-hidden="true" /> Computing in a worker…
            {state.showProgress && state.steps > 0 && (
              <>
                {' '}
                <progress
                  data-testid="validate-progress"
                  max={state.steps}
                  value={state.done}
                  aria-label="Subjects × models computed"
                />{' '}
                {state.done} of {state.steps} subject × model fits{' '}
                <button type="button" onClick={cancel}>
                  Cancel
                </button>
              </>
            )}
          </div>
        )}
        {state.kind === 'problems' && state.stage === 'request' && (
          <p className="hint" data-testid="validate-request">
            The dataset reads without a problem. {state.problems.join(' ')}
          </p>
        )}
        {state.kind === 'problems' && state.stage !== 'request' && (
          <div className="warning-box" role="alert" data-testid="validate-problems">
            <p>{STAGE_TEXT[state.stage] ?? 'Nothing was computed:'}</p>
            <ul>
              {state.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
        {state.kind === 'failed' && (
          <p className="field-error" role="alert" data-testid="validate-failed">
            {state.message}
          </p>
        )}
        {state.kind === 'done' && (
          <Results
            result={state.result}
            models={state.models}
            nameOf={nameOf}
            subjectIndex={subjectIndex}
            setSubjectIndex={setSubjectIndex}
          />
        )}
      </section>
    </div>
  );
}

function Results(props: {
  result: ValidateResult;
  models: readonly string[];
  nameOf: (id: string) => string;
  subjectIndex: number;
  setSubjectIndex: (i: number) => void;
}) {
  const { result, models, nameOf } = props;
  const subject = result.subjects[props.subjectIndex] ?? result.subjects[0];
  const legend = models.map((id) => ({ id, name: nameOf(id) }));
  const [logY, setLogY] = useState(false);
  return (
    <>
      <div className="table-scroll">
        <table className="validate-table" data-testid="validate-table">
          <caption>
            Pooled over subjects: the unweighted medians of each subject's values. PE = 100·(DV − PRED)/PRED, with PRED the
            model's plasma concentration for the subject's own doses and covariates.
          </caption>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              {result.models.map((m) => (
                <th key={m.id} scope="col" data-model={m.id}>
                  {nameOf(m.id)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {MEASURES.map((row) => (
              <tr key={row.key} data-measure={row.key}>
                <th scope="row">{row.label}</th>
                {result.models.map((m) => (
                  <td key={m.id} data-model={m.id}>
                    {row.format(m.population[row.key])}
                  </td>
                ))}
              </tr>
            ))}
            {COUNTS.map((row) => (
              <tr key={row.key} data-measure={row.key}>
                <th scope="row">{row.label}</th>
                {result.models.map((m) => (
                  <td key={m.id} data-model={m.id}>
                    {formatCount(m.population[row.key])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.warnings.length > 0 && (
        <div className="warning-box" data-testid="validate-warnings">
          <p>Model warnings:</p>
          <ul>
            {result.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <Legend models={legend} />
      <div className="validate-charts">
        <figure>
          <figcaption>Observed against predicted (log–log); the grey line is identity (PE = 0)</figcaption>
          <ObservedPredictedChart models={models} points={result.points} />
        </figure>
        <figure>
          <figcaption>Prediction error against time; the grey line is PE = 0</figcaption>
          <PeTimeChart models={models} points={result.points} />
        </figure>
      </div>
      <figure className="validate-subject">
        <figcaption>
          <label htmlFor="validate-subject-pick">Subject</label>{' '}
          <select
            id="validate-subject-pick"
            data-testid="validate-subject-pick"
            value={props.subjectIndex}
            onChange={(e) => props.setSubjectIndex(Number(e.currentTarget.value))}
          >
            {result.subjects.map((s, i) => (
              <option key={s.id} value={i}>
                {s.id} (line {s.line})
              </option>
            ))}
          </select>{' '}
          : observations (black) over each model's predicted plasma curve for this subject's doses (ticks on the time axis) and
          covariates ({covariateText(subject.covariates)})
        </figcaption>
        <label className="inline-field">
          <input type="checkbox" checked={logY} onChange={(e) => setLogY(e.currentTarget.checked)} /> Log concentration axis
        </label>
        <SubjectChart models={models} subject={subject} logY={logY} />
        <table className="validate-table" data-testid="validate-subject-table">
          <thead>
            <tr>
              <th scope="col">Subject {subject.id}</th>
              {result.models.map((m) => (
                <th key={m.id} scope="col">
                  {nameOf(m.id)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {MEASURES.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                {result.models.map((m) => (
                  <td key={m.id}>{row.format(m.subjects[props.subjectIndex]?.[row.key] ?? null)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </figure>
    </>
  );
}

/** The subject's covariates with units. */
function covariateText(c: ValidateResult['subjects'][number]['covariates']): string {
  const parts: string[] = [];
  if (c.WT !== undefined) parts.push(`${c.WT} kg`);
  if (c.AGE !== undefined) parts.push(`${c.AGE} years`);
  if (c.SEX !== undefined) parts.push(c.SEX === 1 ? 'female' : 'male');
  if (c.HT !== undefined) parts.push(`${c.HT} cm`);
  return parts.length ? parts.join(', ') : 'none given';
}
