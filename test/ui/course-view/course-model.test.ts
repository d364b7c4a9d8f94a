// Patient form, score fields, personal-band sessions (Ce = `predict()`), calendar model, file names.
import { describe, expect, it } from 'vitest';
import {
  calendarModel,
  courseFileName,
  dateText,
  dayMonthText,
  draftToFields,
  draftToNotes,
  draftToScores,
  EMPTY_PATIENT_DRAFT,
  notesDraft,
  patientDraft,
  patientDraftProblems,
  scoreFieldProblem,
  timeText,
} from '../../../ui/course-view/course-model.ts';
import { dependsOnClock } from '../../../ui/course-view/useSessionDoses.ts';
import { onsetInputs } from '../../../ui/course-view/onset-inputs.ts';
import { courseSchedule, DEFAULT_COURSE_SETTINGS, WEEK_MS } from '../../../ui/course/schedule.ts';
import { EMPTY_NOTES, parseNotes, parseScores, type SessionNotes } from '../../../ui/storage/records.ts';
import type { SessionRecord } from '../../../ui/storage/db.ts';
import type { SessionWithLog } from '../../../ui/storage/store.ts';
import { buildCourse, currentActions, emptyLog, type SessionLog } from '../../../engine/live/index.ts';
import { personalBand } from '../../../engine/pd/personal-band.ts';
import { predict } from '../../../engine/predict.ts';
import type { DoseEvent, Plan } from '../../../engine/plan.ts';
import { expectNear } from '../../support/tolerance.ts';
import { antidepressant, logOf, plan as makePlan } from '../../engine/live/fixtures.ts';

const DAY = 24 * 3600 * 1000;
const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

function session(
  id: string,
  p: Plan,
  log: SessionLog,
  over: Partial<Omit<SessionRecord, 'notes'>> & { notes?: Partial<SessionNotes> } = {},
): SessionWithLog {
  const { notes, ...rest } = over;
  return {
    session: {
      id,
      patientId: 'p',
      createdAtMs: T0,
      plan: p,
      status: 'finished',
      startEpochMs: T0,
      endedAtMin: 60,
      notes: { ...EMPTY_NOTES, ...notes },
      scores: {},
      ...rest,
    },
    log,
  };
}

describe('the patient form', () => {
  it('sends numbers as numbers, omits empty optional fields, and keeps wrong text so the check names the field', () => {
    expect(draftToFields({ alias: 'K-17', weightKg: '82,5', ageYears: '', sex: 'male', heightCm: '180' })).toEqual({
      alias: 'K-17',
      weightKg: 82.5,
      sex: 'male',
      heightCm: 180,
    });
    expect(patientDraftProblems({ ...EMPTY_PATIENT_DRAFT, alias: 'K-17', weightKg: 'heavy' })).toEqual([
      { path: 'patient.weightKg', message: 'must be a finite number, got "heavy"' },
    ]);
    expect(patientDraftProblems({ ...EMPTY_PATIENT_DRAFT, alias: '1980-04-02', weightKg: '70' })[0]).toMatchObject({
      path: 'patient.alias',
      message: expect.stringMatching(/^looks like a date/),
    });
    expect(patientDraftProblems({ ...EMPTY_PATIENT_DRAFT, alias: 'K-17' })).toEqual([
      { path: 'patient.weightKg', message: 'required; total body weight in kg' },
    ]);
    expect(patientDraft({ alias: 'K-17', weightKg: 70, ageYears: 40 })).toEqual({
      alias: 'K-17',
      weightKg: '70',
      ageYears: '40',
      sex: '',
      heightCm: '',
    });
  });
});

describe('score fields', () => {
  it('are checked as typed, each message naming the instrument and its range', () => {
    expect(scoreFieldProblem('phq9', '')).toBeNull();
    expect(scoreFieldProblem('phq9', '27')).toBeNull();
    expect(scoreFieldProblem('phq9', '28')).toBe('PHQ-9: must be a whole number 0–27, got 28');
    expect(scoreFieldProblem('gad7', '12.5')).toBe('GAD-7: must be a whole number 0–21, got 12.5');
    expect(scoreFieldProblem('pcl5', 'lots')).toBe('PCL-5: must be a whole number 0–80, got "lots"');
    expect(scoreFieldProblem('pcl5', '-1')).toBe('PCL-5: must be a whole number 0–80, got -1');
    // What the form sends is what the store's own check accepts (or names).
    expect(parseScores(draftToScores({ phq9: '14', gad7: '', pcl5: '31' }))).toEqual({ ok: true, value: { phq9: 14, pcl5: 31 } });
  });

  it("notes round-trip through the form; wrong entries reach the store's check named", () => {
    const n: SessionNotes = {
      sideEffects: ['nausea'],
      dissociationIntensity: 6,
      dissociationOnsetMin: 14,
      lamotrigine: true,
      benzodiazepine: false,
    };
    expect(parseNotes(draftToNotes(notesDraft(n)))).toEqual({ ok: true, value: n });
    const bad = parseNotes(draftToNotes({ ...notesDraft(n), intensity: '11', onset: 'soon' }));
    expect(bad.ok ? [] : bad.problems.map((p) => p.path)).toEqual(['notes.dissociationIntensity', 'notes.dissociationOnsetMin']);
  });
});

describe('the sessions behind the personal band', () => {
  const p = antidepressant(70);
  const paused = logOf(p, [
    { kind: 'pause', atMin: 10 },
    { kind: 'resume', atMin: 13 },
    { kind: 'stop', atMin: 35 },
  ]);

  it('use what was actually given up to the session end and the reported onset; Ce equals predict() of that course at the onset', () => {
    const sessions = [
      session('a', p, paused, { startEpochMs: T0, endedAtMin: 50, notes: { dissociationOnsetMin: 14 } }),
      session('b', p, emptyLog(), { startEpochMs: T0 + 3 * DAY, endedAtMin: 60, notes: { dissociationOnsetMin: 11.5 } }),
    ];
    const o = onsetInputs(sessions);
    expect(o.sessionIds).toEqual(['a', 'b']);
    expect(o.excluded).toEqual([]);
    expect(o.modelLabel).toBe('domino-1984');
    const band = personalBand(o.input!);
    expect(band.ce.n).toBe(2);
    // independent check: the course regimen (pause 10–13, stop at 35) predicted to the onset minute
    const regimen = buildCourse(p, currentActions(paused)).regimen as DoseEvent[];
    const ref = predict({ ...p, regimen, horizonMin: 14, resolutionSec: 14 * 60 }).trajectory;
    expectNear(band.sessions[0].ceNgMl, ref.ce[1], 1e-9, 'Ce at onset, session a');
    const refB = predict({ ...p, horizonMin: 11.5, resolutionSec: 11.5 * 60 }).trajectory;
    expectNear(band.sessions[1].ceNgMl, refB.ce[1], 1e-9, 'Ce at onset, session b');
  });

  it('lists why a session does not count: no onset, not finished, onset after the end, another model', () => {
    const kamp = makePlan({
      patient: { weightKg: 70, ageYears: 40, sex: 'female', heightCm: 168 },
      model: { id: 'kamp-2020' },
      regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
    });
    const o = onsetInputs([
      session('none', p, emptyLog()),
      session('running', p, emptyLog(), { status: 'running', endedAtMin: null, notes: { dissociationOnsetMin: 5 } }),
      session('late', p, emptyLog(), { endedAtMin: 30, notes: { dissociationOnsetMin: 45 } }),
      session('kamp', kamp, emptyLog(), { startEpochMs: T0 + DAY, notes: { dissociationOnsetMin: 12 } }),
      session('ok', p, emptyLog(), { startEpochMs: T0 + 2 * DAY, notes: { dissociationOnsetMin: 12 } }),
    ]);
    expect(o.sessionIds).toEqual(['ok']);
    const reasons = Object.fromEntries(o.excluded.map((e) => [e.sessionId, e.reason]));
    expect(reasons.none).toBe('no onset minute recorded');
    expect(reasons.running).toBe('the session is running');
    expect(reasons.late).toBe('onset 45 min is after the session end (30.0 min)');
    expect(reasons.kamp).toMatch(/^predicted with another model \(kamp-2020\)/);
    expect(onsetInputs([session('none', p, emptyLog())]).input).toBeNull();
  });
});

describe('the calendar axis', () => {
  it('places sessions, the stabilisation window, the maintenance due window and today in order; overdue shows', () => {
    const p = antidepressant(70);
    const days = [0, 2, 4, 7, 9, 11];
    const sessions = days.map((d, i) => session(`s${i}`, p, emptyLog(), { startEpochMs: T0 + d * DAY }));
    const now = T0 + 11 * DAY + 7 * WEEK_MS; // a week past the 6-week limit
    const sched = courseSchedule(
      sessions.map((s) => s.session),
      now,
      DEFAULT_COURSE_SETTINGS,
    );
    const m = calendarModel(sessions, sched, DEFAULT_COURSE_SETTINGS, now);
    const xs = m.sessions.map((s) => s.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(m.sessions.map((s) => s.n)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(xs[0]).toBeGreaterThan(0);
    expect(m.stabilisation).toMatchObject({ fromMs: T0, toMs: T0 + 3 * WEEK_MS });
    expect(m.maintenance).toMatchObject({
      fromMs: T0 + 11 * DAY + 3 * WEEK_MS,
      toMs: T0 + 11 * DAY + 6 * WEEK_MS,
      overdue: true,
    });
    expect(m.maintenance!.x1).toBeLessThan(m.today.x);
    expect(m.today.x).toBeLessThan(1);
    for (const t of m.ticks) expect(t.x >= 0 && t.x <= 1).toBe(true);
    const early = calendarModel(
      sessions,
      courseSchedule(
        sessions.map((s) => s.session),
        T0 + 12 * DAY,
      ),
      DEFAULT_COURSE_SETTINGS,
      T0 + 12 * DAY,
    );
    expect(early.maintenance!.overdue).toBe(false);
    expect(early.maintenance!.x0).toBeGreaterThan(early.today.x);
  });

  it('a course of years has a few dozen ticks at most (every 13 or 52 weeks), not hundreds', () => {
    const p = antidepressant(70);
    const HOUR = 3600 * 1000;
    // the benchmark's course: 10,000 sessions every 12 h (13.7 years)
    const sessions = Array.from({ length: 10_000 }, (_, i) =>
      session(`s${i}`, p, emptyLog(), { startEpochMs: T0 + i * 12 * HOUR }),
    );
    const now = T0 + 10_000 * 12 * HOUR;
    const m = calendarModel(
      sessions,
      courseSchedule(
        sessions.map((s) => s.session),
        now,
      ),
      DEFAULT_COURSE_SETTINGS,
      now,
    );
    expect(m.sessions.length).toBe(10_000);
    expect(m.ticks.length).toBeGreaterThan(10);
    expect(m.ticks.length).toBeLessThan(20);
    expect(m.ticks[1].atMs - m.ticks[0].atMs).toBe(364 * DAY);
    // three years: every 13 weeks
    const three = sessions.filter((_, i) => i < 2 * 365 * 3);
    const now3 = three[three.length - 1].session.startEpochMs!;
    const m3 = calendarModel(
      three,
      courseSchedule(
        three.map((s) => s.session),
        now3,
      ),
      DEFAULT_COURSE_SETTINGS,
      now3,
    );
    expect(m3.ticks[1].atMs - m3.ticks[0].atMs).toBe(91 * DAY);
    expect(m3.ticks.length).toBeLessThan(20);
  });

  it('dates and times read as the browser writes them (formatters made once), "Invalid Date" beyond a Date', () => {
    for (let i = 0; i < 500; i++) {
      const ms = T0 + i * 7.3 * 3600 * 1000 * 24 - i * 977_000;
      const d = new Date(ms);
      expect(dateText(ms)).toBe(d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }));
      expect(dayMonthText(ms)).toBe(d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' }));
      expect(timeText(ms)).toBe(d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }));
    }
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1, -1e20]) {
      expect(dateText(bad)).toBe(new Date(bad).toLocaleDateString('en-GB'));
      expect(dateText(bad)).toBe('Invalid Date');
      expect(timeText(bad)).toBe('Invalid Date');
    }
  });

  it("only a running session's dose depends on the clock (finished and planned ones are computed once per list)", () => {
    const p = antidepressant(70);
    expect(dependsOnClock(session('a', p, emptyLog(), { status: 'running' }))).toBe(true);
    expect(dependsOnClock(session('b', p, emptyLog(), { status: 'finished' }))).toBe(false);
    expect(dependsOnClock(session('c', p, emptyLog(), { status: 'planned', startEpochMs: null, endedAtMin: null }))).toBe(false);
  });

  it('course file names are file-safe and dated', () => {
    expect(courseFileName('K-17', T0)).toBe('ketasim-course-K-17-2026-01-01.json');
    expect(courseFileName('a b/c', T0)).toBe('ketasim-course-a_b_c-2026-01-01.json');
    expect(courseFileName('///', T0)).toBe('ketasim-course-patient-2026-01-01.json');
  });
});
