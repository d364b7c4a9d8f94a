// `PatientCourse`: sessions table (dose, peak Ce, scores, notes), calendar, scores chart, personal band, export/import.
import { memo, startTransition, useCallback, useEffect, useMemo, useState } from 'react';
import { useApp } from '../context.ts';
import { useStore } from '../state/store.ts';
import type { PatientRecord } from '../storage/records.ts';
import type { SessionWithLog, UnreadableRecord } from '../storage/store.ts';
import { checkCourseSettings, courseSchedule, DEFAULT_COURSE_SETTINGS, type CourseSettings } from '../course/schedule.ts';
import { conc, formatMg, formatSig } from '../format.ts';
import { bumpCourseRevision, courseRevision, courseStore } from '../live/course-store.ts';
import { problemLines } from '../live/live-model.ts';
import { chosenPatient } from '../live/live-state.ts';
import { PatientForm } from './PatientForm.tsx';
import { DeletePatient } from './DeletePatient.tsx';
import { BY_HAND_LABEL, ManualSession } from './ManualSession.tsx';
import { useStaged } from './useStaged.ts';
import { Spacer, useWindowedRows } from './WindowedRows.tsx';
import { selectedCoursePatient } from './course-selection.ts';
import { CalendarAxis } from './CalendarAxis.tsx';
import { ScoresChart } from './ScoresChart.tsx';
import { SessionNotesEditor, notesSummary } from './SessionNotes.tsx';
import { PersonalBandCard } from './PersonalBandCard.tsx';
import { useSessionDoses, type DoseCell } from './useSessionDoses.ts';
import {
  byStart,
  calendarModel,
  courseFileName,
  dateText,
  draftToFields,
  draftToScores,
  patientDraft,
  patientDraftProblems,
  patientSummary,
  scoreDraft,
  scoreFieldProblem,
  SCORE_IDS,
  timeText,
  type PatientDraft,
  type ScoreDraft,
} from './course-model.ts';
import { SCORE_RANGES } from '../storage/records.ts';
import { createStore } from '../state/store.ts';

/** The clinic protocol settings in use; read from IndexedDB (ui/storage/settings-db.ts) when the Course view opens. */
const settingsStore = createStore<CourseSettings>(DEFAULT_COURSE_SETTINGS);
/** Whether the saved settings have been read, and a note when the saved value was unreadable. */
const settingsLoad = createStore<{ read: boolean; note: string | null }>({ read: false, note: null });

function useSavedSettings(): void {
  useEffect(() => {
    if (settingsLoad.get().read) return;
    courseStore()
      .readCourseSettings()
      .then(
        (r) => {
          settingsStore.set(r.settings);
          settingsLoad.set({ read: true, note: r.note });
        },
        (e) => settingsLoad.set({ read: true, note: `The saved course settings could not be read: ${(e as Error).message}` }),
      );
  }, []);
}

/**
 * A patient's sessions with their logs, oldest first by start, re-read after every write; each stored
 * record is checked in the storage worker, and a record that fails is listed as unreadable instead.
 */
function useSessions(patientId: string): {
  sessions: SessionWithLog[] | null;
  unreadable: readonly UnreadableRecord[];
  error: string | null;
} {
  const rev = useStore(courseRevision, (n) => n);
  const [state, setState] = useState<{
    sessions: SessionWithLog[] | null;
    unreadable: readonly UnreadableRecord[];
    error: string | null;
  }>({
    sessions: null,
    unreadable: [],
    error: null,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `rev` is the trigger: re-read after every write to the course database
  useEffect(() => {
    let live = true;
    // read in pages (each answer is its own short main-thread task, also for a course of 10,000 sessions)
    const read = async () => {
      const now = Date.now();
      const sessions: SessionWithLog[] = [];
      const unreadable: UnreadableRecord[] = [];
      for (let offset = 0; live; offset += PAGE) {
        const r = await courseStore().listSessionsChecked(patientId, now, offset, PAGE);
        sessions.push(...r.sessions);
        unreadable.push(...r.unreadable);
        if (!r.more) break;
      }
      return { sessions, unreadable };
    };
    read().then(
      (r) => {
        if (!live) return;
        const sessions = byStart(r.sessions);
        // a transition: React renders the course (table, calendar, charts) in slices between other work,
        // so even a course of 10,000 sessions never holds the main thread in one long task
        startTransition(() => setState({ sessions, unreadable: r.unreadable, error: null }));
      },
      (e) => {
        if (live) setState({ sessions: [], unreadable: [], error: `The sessions could not be read: ${(e as Error).message}` });
      },
    );
    return () => {
      live = false;
    };
  }, [patientId, rev]);
  return state;
}

/** Sessions read per request from the storage worker. */
const PAGE = 500;

/** Stored session records that failed their checks: named as unreadable, each with a delete button. */
function UnreadableRecords({ records }: { records: readonly UnreadableRecord[] }) {
  const [status, setStatus] = useState<string | null>(null);
  if (records.length === 0 && !status) return null;
  const remove = async (id: string) => {
    try {
      const r = await courseStore().deleteSession(id);
      if (r.ok) {
        setStatus('✓ Unreadable record deleted.');
        bumpCourseRevision();
      } else setStatus(`Not deleted: ${problemLines(r.problems).join('; ')}`);
    } catch (e) {
      setStatus(`Not deleted: ${(e as Error).message}`);
    }
  };
  return (
    <section className="panel" aria-labelledby="unreadable-h" data-testid="unreadable-records">
      <h2 id="unreadable-h">Unreadable records</h2>
      {records.length ? (
        <ul>
          {records.map((r) => (
            <li key={r.id} data-testid="unreadable-record">
              <strong>unreadable record</strong> <span className="muted">(session {r.id})</span>: {r.problems}{' '}
              <button
                type="button"
                className="secondary"
                onClick={() => void remove(r.id)}
                aria-label={`Delete unreadable record ${r.id}`}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {status ? (
        <p role="status" className="hint">
          {status}
        </p>
      ) : null}
    </section>
  );
}

export function PatientCourse({ patient }: { patient: PatientRecord }) {
  const { sessions, unreadable, error } = useSessions(patient.id);
  useSavedSettings();
  const settings = useStore(settingsStore, (s) => s);
  // "Now" for the schedule and running doses: re-read when the sessions change, and every minute.
  const [nowMs, setNowMs] = useState(() => Date.now());
  // biome-ignore lint/correctness/useExhaustiveDependencies: `sessions` is the trigger: "now" is re-read when they change
  useEffect(() => {
    setNowMs(Date.now());
  }, [sessions]);
  useEffect(() => {
    const id = setInterval(() => setNowMs(Date.now()), 60_000);
    return () => clearInterval(id);
  }, []);
  const schedule = useMemo(
    () =>
      sessions
        ? courseSchedule(
            sessions.map((s) => s.session),
            nowMs,
            settings,
          )
        : null,
    [sessions, nowMs, settings],
  );
  const { doses, slow: dosesSlow } = useSessionDoses(sessions, nowMs);
  const calModel = useMemo(
    () => (sessions && schedule ? calendarModel(sessions, schedule, settings, nowMs) : null),
    [sessions, schedule, settings, nowMs],
  );
  // a long course draws the table first, then the calendar, the score charts and the personal band, each in its own task
  const stage = useStaged(3, sessions !== null && sessions.length > STAGE_FROM);
  return (
    <>
      <PatientHeader patient={patient} overdue={schedule?.maintenance?.overdue ? schedule.maintenance.dueByMs : null} />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {sessions === null ? (
        <section className="panel">
          <p>
            <span className="spinner" aria-hidden="true" /> Reading the sessions…
          </p>
        </section>
      ) : null}
      <UnreadableRecords records={unreadable} />
      {sessions && schedule ? (
        <>
          <section className="panel" aria-labelledby="schedule-h" data-testid="course-schedule">
            <div className="panel-head">
              <h2 id="schedule-h">Course schedule</h2>
              <span className="badge protocol">clinic protocol settings, not cited values</span>
            </div>
            <ScheduleSummary schedule={schedule} settings={settings} />
            {stage >= 1 ? <CalendarAxis model={calModel!} settings={settings} /> : <Drawing what="the calendar" />}
            <SettingsEditor settings={settings} />
          </section>
          <SessionsTable sessions={sessions} doses={doses} dosesSlow={dosesSlow} weightKg={patient.weightKg} />
          <ManualSession patient={patient} />
          {stage >= 2 ? <ScoresChart sessions={sessions} /> : <Drawing what="the score charts" />}
          {stage >= 3 ? <PersonalBandCard patientId={patient.id} sessions={sessions} /> : <Drawing what="the personal band" />}
        </>
      ) : null}
    </>
  );
}

/** From this many sessions on, the calendar, score charts and personal band are drawn after the table, one per task (useStaged). */
const STAGE_FROM = 100;

/** Stands in for a part of a long course not drawn yet (for a moment: useStaged draws one part per task). */
function Drawing({ what }: { what: string }) {
  return (
    <p className="muted" data-testid="course-drawing">
      <span className="spinner" aria-hidden="true" /> Drawing {what}…
    </p>
  );
}

function PatientHeader({ patient, overdue }: { patient: PatientRecord; overdue: number | null }) {
  const { scenario } = useApp();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<PatientDraft>(() => patientDraft(patient));
  const [problems, setProblems] = useState<readonly { path: string; message: string }[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  const save = async () => {
    const local = patientDraftProblems(draft);
    if (local.length) {
      setProblems(local);
      return;
    }
    try {
      const r = await courseStore().updatePatient(patient.id, draftToFields(draft));
      if (r.ok) {
        setEditing(false);
        setProblems([]);
        setStatus('✓ Saved.');
        bumpCourseRevision();
      } else setProblems(r.problems);
    } catch (e) {
      setProblems([{ path: 'database', message: (e as Error).message }]);
    }
  };
  /** Put the patient's covariates into the plan and open a view; Live mode also preselects the patient (for the personal band). */
  const openFor = (tab: 'plan' | 'live') => {
    if (tab === 'live') chosenPatient.set(patient.id);
    scenario.set((s) => ({
      ...s,
      tab,
      plan: {
        ...s.plan,
        patient: {
          weightKg: patient.weightKg,
          ...(patient.ageYears !== undefined && { ageYears: patient.ageYears }),
          ...(patient.sex && { sex: patient.sex }),
          ...(patient.heightCm !== undefined && { heightCm: patient.heightCm }),
        },
      },
    }));
  };
  const download = async () => {
    setStatus('Preparing the file…');
    try {
      const r = await courseStore().exportCourse(patient.id, Date.now());
      if (!r.ok) {
        setStatus(`Not exported: ${problemLines(r.problems).join('; ')}`);
        return;
      }
      const blob = new Blob([JSON.stringify(r.value, null, 2) + '\n'], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = courseFileName(patient.alias, r.value.exportedAtMs);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setStatus(
        `✓ Exported ${a.download} (${r.value.sessions.length} sessions). It holds session dates: keep it as confidential clinical data.`,
      );
    } catch (e) {
      setStatus(`Not exported: ${(e as Error).message}`);
    }
  };
  return (
    <section className="panel" aria-labelledby="patient-course-h" data-testid="patient-course">
      <div className="panel-head">
        <h2 id="patient-course-h">
          {patient.alias} <span className="muted">{patientSummary(patient)}</span>
        </h2>
        <div className="button-row">
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(patientDraft(patient));
              setEditing((v) => !v);
              setProblems([]);
            }}
            aria-expanded={editing}
          >
            Edit covariates
          </button>
          <button type="button" onClick={download} data-testid="course-export">
            Export course file
          </button>
          <button type="button" className="secondary" onClick={() => openFor('plan')}>
            Plan &amp; predict for {patient.alias}
          </button>
          <button type="button" className="secondary" onClick={() => openFor('live')} data-testid="course-to-live">
            Live mode and planner for {patient.alias}
          </button>
          <DeletePatient
            id={patient.id}
            name={patient.alias}
            onDeleted={() => {
              if (selectedCoursePatient.get() === patient.id) selectedCoursePatient.set(null);
            }}
          />
        </div>
      </div>
      {overdue !== null ? (
        <p className="overdue" role="alert" data-testid="maintenance-overdue">
          Maintenance session overdue: it was due by {dateText(overdue)} (clinic protocol setting).
        </p>
      ) : null}
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <PatientForm draft={draft} onChange={setDraft} problems={problems} legend="Alias and covariates" />
          <div className="button-row">
            <button type="submit">Save</button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <span className="hint">A session keeps the covariates it was run with; a change applies to new sessions.</span>
          </div>
        </form>
      ) : null}
      {status ? (
        <p role="status" className="hint" data-testid="course-status">
          {status}
        </p>
      ) : null}
    </section>
  );
}

function ScheduleSummary({
  schedule,
  settings,
}: {
  schedule: NonNullable<ReturnType<typeof courseSchedule>>;
  settings: CourseSettings;
}) {
  const st = schedule.stabilisation;
  const m = schedule.maintenance;
  return (
    <ul className="schedule-summary">
      <li>
        <strong>Stabilisation series:</strong> {st.done} of {st.of} sessions done
        {st.startedMs !== null ? ` since ${dateText(st.startedMs)}` : ''} (protocol: {settings.stabilisationSessions} sessions in{' '}
        {settings.stabilisationWeeks.min}–{settings.stabilisationWeeks.max} weeks)
        {st.overrun ? <span className="badge overdue-badge">longer than {settings.stabilisationWeeks.max} weeks</span> : null}
      </li>
      <li>
        <strong>Maintenance:</strong>{' '}
        {m ? (
          <>
            next session due {dateText(m.dueFromMs)} – {dateText(m.dueByMs)} ({settings.maintenanceIntervalWeeks.min}–
            {settings.maintenanceIntervalWeeks.max} weeks after the last, {dateText(m.lastSessionMs)})
            {m.overdue ? <span className="badge overdue-badge">overdue</span> : null}
          </>
        ) : (
          `starts after the stabilisation series (every ${settings.maintenanceIntervalWeeks.min}–${settings.maintenanceIntervalWeeks.max} weeks)`
        )}
      </li>
    </ul>
  );
}

const settingsDraft = (settings: CourseSettings) => ({
  n: String(settings.stabilisationSessions),
  smin: String(settings.stabilisationWeeks.min),
  smax: String(settings.stabilisationWeeks.max),
  mmin: String(settings.maintenanceIntervalWeeks.min),
  mmax: String(settings.maintenanceIntervalWeeks.max),
});

function SettingsEditor({ settings }: { settings: CourseSettings }) {
  const [d, setD] = useState(() => settingsDraft(settings));
  // the saved settings arrive from IndexedDB after the first render (and change when saved): show them
  useEffect(() => setD(settingsDraft(settings)), [settings]);
  const next: CourseSettings = {
    stabilisationSessions: Number(d.n),
    stabilisationWeeks: { min: Number(d.smin), max: Number(d.smax) },
    maintenanceIntervalWeeks: { min: Number(d.mmin), max: Number(d.mmax) },
  };
  const [saveStatus, setSaveStatus] = useState<string | null>(null);
  const load = useStore(settingsLoad, (x) => x);
  const blank = Object.values(d).some((v) => v.trim() === '');
  const problems = blank ? [{ path: 'settings', message: 'every setting needs a number' }] : checkCourseSettings(next);
  const field = (k: keyof typeof d, label: string, unit: string) => (
    <label className="inline-field">
      {label}{' '}
      <input
        type="text"
        inputMode="decimal"
        size={3}
        value={d[k]}
        data-setting={k}
        onChange={(e) => setD({ ...d, [k]: e.target.value })}
        aria-invalid={problems.length > 0 || undefined}
      />{' '}
      {unit}
    </label>
  );
  return (
    <details className="more">
      <summary>Change the clinic protocol settings</summary>
      <form
        className="live-form wrap"
        onSubmit={(e) => {
          e.preventDefault();
          if (problems.length) return;
          setSaveStatus('Saving…');
          courseStore()
            .writeCourseSettings(next)
            .then(
              (r) => {
                if (r.ok) {
                  settingsStore.set(r.value);
                  settingsLoad.set({ read: true, note: null });
                  setSaveStatus('✓ Saved in this browser.');
                } else setSaveStatus(`Not saved: ${problemLines(r.problems).join('; ')}`);
              },
              (err) => setSaveStatus(`Not saved: ${(err as Error).message}`),
            );
        }}
      >
        {field('n', 'Stabilisation:', 'sessions')}
        {field('smin', 'in', '–')}
        {field('smax', '', 'weeks;')}
        {field('mmin', 'maintenance every', '–')}
        {field('mmax', '', 'weeks')}
        <button type="submit" disabled={problems.length > 0} data-testid="settings-apply">
          Apply and save
        </button>
        {saveStatus ? (
          <span role="status" data-testid="settings-status">
            {saveStatus}
          </span>
        ) : null}
        {problems.length ? (
          <span className="field-error" role="alert">
            {problemLines(problems).join('; ')}
          </span>
        ) : null}
      </form>
      <p className="hint">
        These describe the clinic's practice (defaults from the product brief: six sessions in 2–3 weeks, then every 3–6 weeks).
        They are not from a cited source. Applied settings are saved in this browser (IndexedDB) and used for every patient.
      </p>
      {load.note ? (
        <p className="field-error" role="alert">
          {load.note}
        </p>
      ) : null}
    </details>
  );
}

/** From this many sessions on, the table renders only the rows in view (windowed), each ROW_PX high, VIEW_ROWS in view. */
const WINDOW_FROM = 100;
const ROW_PX = 44;
const VIEW_ROWS = 12;

const SessionsTable = memo(function SessionsTable({
  sessions,
  doses,
  dosesSlow,
  weightKg,
}: {
  sessions: readonly SessionWithLog[];
  doses: ReadonlyMap<string, DoseCell>;
  dosesSlow: boolean;
  weightKg: number;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const toggle = useCallback((id: string) => setOpen((o) => (o === id ? null : id)), []);
  const windowed = sessions.length > WINDOW_FROM;
  const win = useWindowedRows(windowed ? sessions.length : 0, ROW_PX, VIEW_ROWS);
  const cols = 7 + SCORE_IDS.length;
  const slice = windowed ? sessions.slice(win.first, win.last) : sessions;
  const offset = windowed ? win.first : 0;
  const openSession = windowed && open ? sessions.find((s) => s.session.id === open) : undefined;
  return (
    <section className="panel" aria-labelledby="sessions-h" data-testid="course-sessions">
      <h2 id="sessions-h">
        Sessions <span className="muted">({sessions.length})</span>
      </h2>
      {sessions.length === 0 ? (
        <p className="muted">No sessions yet: start one in Live mode, or add one by hand below.</p>
      ) : (
        <div
          className={windowed ? 'table-scroll windowed' : 'table-scroll'}
          onScroll={windowed ? win.onScroll : undefined}
          style={windowed ? { maxHeight: ROW_PX * VIEW_ROWS + 48, overflowY: 'auto' } : undefined}
          tabIndex={windowed ? 0 : undefined}
          role="region"
          aria-label={windowed ? `Sessions table, ${sessions.length} rows: scroll for more` : 'Sessions table'}
          data-testid="sessions-scroll"
        >
          <table
            className={windowed ? 'metrics course-table windowed' : 'metrics course-table'}
            aria-rowcount={sessions.length + 1}
          >
            <thead>
              <tr aria-rowindex={1}>
                <th scope="col">#</th>
                <th scope="col">Date</th>
                <th scope="col">Status</th>
                <th scope="col">Dose given</th>
                <th scope="col">Peak Ce</th>
                {SCORE_IDS.map((id) => (
                  <th scope="col" key={id}>
                    {SCORE_RANGES[id].name}{' '}
                    <span className="muted">
                      ({SCORE_RANGES[id].min}–{SCORE_RANGES[id].max})
                    </span>
                  </th>
                ))}
                <th scope="col">
                  <span className="sr-only">Save scores</span>
                </th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {windowed ? <Spacer px={win.before} cols={cols} /> : null}
              {slice.map((s, i) => (
                <SessionRow
                  key={s.session.id}
                  n={offset + i + 1}
                  s={s}
                  dose={doses.get(s.session.id)}
                  updating={dosesSlow}
                  open={open === s.session.id}
                  inlineNotes={!windowed}
                  onToggle={toggle}
                  weightKg={weightKg}
                />
              ))}
              {windowed ? <Spacer px={win.after} cols={cols} /> : null}
            </tbody>
          </table>
        </div>
      )}
      {openSession ? (
        <div className="notes-below" data-testid="notes-below">
          <h3>
            Notes of session {sessions.indexOf(openSession) + 1}
            {openSession.session.startEpochMs !== null ? ` of ${dateText(openSession.session.startEpochMs)}` : ''}
          </h3>
          <SessionNotesEditor
            key={openSession.session.id}
            sessionId={openSession.session.id}
            notes={openSession.session.notes}
            label={`session ${sessions.indexOf(openSession) + 1}`}
          />
        </div>
      ) : null}
      <p className="hint">
        Dose: what was actually given (the live log's course) up to the end of the session, in mg and mg/kg of the session's
        weight. Peak Ce: highest predicted effect-site concentration, up to 120 min after the end. Scores: whole-number totals
        (PHQ-9 0–27, GAD-7 0–21, PCL-5 0–80); empty = not measured.
      </p>
    </section>
  );
});

/**
 * One session. `dose` undefined: not answered yet (the worker is computing it); `updating`: a newer
 * answer has been computing for more than 0.5 s (the value shown is the previous one). Memoised: a page
 * of doses arriving re-renders only the rows whose values changed.
 */
const SessionRow = memo(function SessionRow({
  n,
  s,
  dose,
  updating,
  open,
  inlineNotes = true,
  onToggle,
  weightKg,
}: {
  n: number;
  s: SessionWithLog;
  dose: DoseCell | undefined;
  updating: boolean;
  open: boolean;
  /** Open notes show in a row under this one (false in a windowed table: they show under the table). */
  inlineNotes?: boolean;
  /** Open or close this session's notes (called with its id). */
  onToggle: (id: string) => void;
  weightKg: number;
}) {
  const [draft, setDraft] = useState<ScoreDraft>(() => scoreDraft(s.session.scores));
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const stored = scoreDraft(s.session.scores);
  const changed = SCORE_IDS.some((id) => draft[id].trim() !== stored[id]);
  const fieldProblems = SCORE_IDS.map((id) => scoreFieldProblem(id, draft[id]));
  const invalid = fieldProblems.some(Boolean);
  const save = async () => {
    if (invalid) return;
    try {
      const r = await courseStore().updateScores(s.session.id, draftToScores(draft));
      if (r.ok) {
        setStatus({ kind: 'ok', text: '✓ saved' });
        bumpCourseRevision();
      } else setStatus({ kind: 'error', text: problemLines(r.problems).join('; ') });
    } catch (e) {
      setStatus({ kind: 'error', text: `not saved: ${(e as Error).message}` });
    }
  };
  const start = s.session.startEpochMs;
  const label = `session ${n}${start !== null ? ` of ${dateText(start)}` : ''}`;
  return (
    <>
      <tr data-session={s.session.id} data-testid="course-session-row" aria-rowindex={n + 1} className="session-row">
        <td>{n}</td>
        <td>
          {start !== null ? (
            <>
              {dateText(start)} <span className="muted">{timeText(start)}</span>
            </>
          ) : (
            <span className="muted">planned</span>
          )}
        </td>
        <td>
          {s.session.status}
          {s.session.enteredByHand ? (
            <span className="badge protocol" data-testid="entered-by-hand">
              entered by hand
            </span>
          ) : null}
          {s.session.plan.label !== undefined && s.session.plan.label !== BY_HAND_LABEL ? (
            <span className="muted" data-testid="session-label">
              {' '}
              · {s.session.plan.label}
            </span>
          ) : null}
          {s.session.endedAtMin !== null ? <span className="muted"> · {formatSig(s.session.endedAtMin, 3)} min</span> : null}
          {s.session.plan.patient.weightKg !== weightKg ? (
            <span className="muted"> · at {s.session.plan.patient.weightKg} kg</span>
          ) : null}
        </td>
        <td className="value" data-testid="session-dose" aria-busy={dose === undefined || updating || undefined}>
          {dose === undefined ? (
            <span className="muted" data-testid="session-dose-computing">
              <span className="spinner" aria-hidden="true" /> computing…
            </span>
          ) : typeof dose === 'object' ? (
            <>
              {formatMg(dose.doseMg)} mg{' '}
              <span className="muted">
                ({formatSig(dose.doseMgPerKg)} mg/kg
                {dose.basis === 'planned' ? ', planned' : s.session.status === 'running' ? ', so far' : ''})
              </span>
              {updating ? <Updating /> : null}
            </>
          ) : (
            <span className="field-error">{dose}</span>
          )}
        </td>
        <td className="value" data-testid="session-peak" aria-busy={dose === undefined || updating || undefined}>
          {dose === undefined ? (
            <span className="muted">computing…</span>
          ) : typeof dose === 'object' ? (
            <>
              {conc(dose.peakCeNgMl)} <span className="muted">at {dose.peakCeMin.toFixed(1)} min</span>
              {updating ? <Updating /> : null}
            </>
          ) : (
            '–'
          )}
        </td>
        {SCORE_IDS.map((id, k) => (
          <td key={id} className="score-cell">
            <label className="sr-only" htmlFor={`${s.session.id}-${id}`}>
              {SCORE_RANGES[id].name} total for {label}
            </label>
            <input
              id={`${s.session.id}-${id}`}
              type="text"
              inputMode="numeric"
              size={3}
              value={draft[id]}
              data-score={id}
              onChange={(e) => {
                setDraft({ ...draft, [id]: e.target.value });
                setStatus(null);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') void save();
              }}
              aria-invalid={fieldProblems[k] ? true : undefined}
              aria-describedby={fieldProblems[k] ? `${s.session.id}-${id}-err` : undefined}
            />
            {fieldProblems[k] ? (
              <span className="field-error" id={`${s.session.id}-${id}-err`} role="alert">
                {fieldProblems[k]}
              </span>
            ) : null}
          </td>
        ))}
        <td>
          <button
            type="button"
            className="secondary"
            disabled={!changed || invalid}
            onClick={save}
            aria-label={`Save scores of ${label}`}
          >
            Save
          </button>
          {status ? (
            <span className={status.kind === 'ok' ? 'ok-line' : 'field-error'} role="status">
              {status.text}
            </span>
          ) : null}
        </td>
        <td>
          <button
            type="button"
            className="link"
            aria-expanded={open}
            onClick={() => onToggle(s.session.id)}
            aria-label={`Notes of ${label}`}
          >
            {notesSummary(s.session.notes)}
          </button>
        </td>
      </tr>
      {open && inlineNotes ? (
        <tr className="notes-row">
          <td colSpan={7 + SCORE_IDS.length}>
            <SessionNotesEditor sessionId={s.session.id} notes={s.session.notes} label={label} />
          </td>
        </tr>
      ) : null}
    </>
  );
});

/** Marks a value kept while its recomputation takes longer than 0.5 s. */
function Updating() {
  return (
    <span className="muted" data-testid="session-dose-updating">
      {' '}
      <span className="spinner" aria-hidden="true" />
      <span className="sr-only">updating</span>
    </span>
  );
}
