// `courseSchedule` stabilisation/maintenance/overdue; settings checked; interaction notes move no band.
import { describe, expect, it } from 'vitest';
import { courseSchedule, DEFAULT_COURSE_SETTINGS, WEEK_MS } from '../../../ui/course/schedule.ts';
import { interactionNotesFor, INTERACTION_NOTES } from '../../../ui/course/interaction-notes.ts';

const DAY = 24 * 3600 * 1000;
const T0 = 1_700_000_000_000;
const finished = (days: number) => ({ status: 'finished' as const, startEpochMs: T0 + days * DAY });

describe('courseSchedule (clinic protocol settings: 6 sessions in 2–3 weeks, then every 3–6 weeks)', () => {
  it('not started, then stabilisation progress; planned and running sessions do not count', () => {
    expect(courseSchedule([], T0).phase).toBe('not-started');
    const s = courseSchedule(
      [finished(0), { status: 'planned', startEpochMs: null }, { status: 'running', startEpochMs: T0 + 2 * DAY }, finished(4)],
      T0 + 5 * DAY,
    );
    expect(s.phase).toBe('stabilisation');
    expect(s.stabilisation).toEqual({ done: 2, of: 6, startedMs: T0, windowEndMs: T0 + 3 * WEEK_MS, overrun: false });
    expect(s.maintenance).toBeNull();
    expect(courseSchedule([finished(0), finished(4)], T0 + 3 * WEEK_MS + 1).stabilisation.overrun).toBe(true);
  });

  it('after six sessions: the next maintenance session is due 3–6 weeks after the last, overdue only after 6 weeks', () => {
    const six = [10, 0, 2, 4, 7, 9].map(finished); // unsorted on purpose
    const last = T0 + 10 * DAY;
    const s = courseSchedule(six, last + DAY);
    expect(s.phase).toBe('maintenance');
    expect(s.stabilisation.overrun).toBe(false);
    expect(s.maintenance).toEqual({
      lastSessionMs: last,
      dueFromMs: last + 3 * WEEK_MS,
      dueByMs: last + 6 * WEEK_MS,
      overdue: false,
    });
    expect(courseSchedule(six, last + 6 * WEEK_MS).maintenance!.overdue).toBe(false);
    expect(courseSchedule(six, last + 6 * WEEK_MS + 1).maintenance!.overdue).toBe(true);
    // A maintenance session moves the window.
    const seven = [...six, finished(40)];
    expect(courseSchedule(seven, T0 + 41 * DAY).maintenance!.dueFromMs).toBe(T0 + 40 * DAY + 3 * WEEK_MS);
    // A series that took longer than 3 weeks is flagged.
    expect(courseSchedule([0, 3, 6, 9, 12, 25].map(finished), T0 + 26 * DAY).stabilisation.overrun).toBe(true);
  });

  it('settings are configurable and checked', () => {
    const s = courseSchedule([0, 7].map(finished), T0 + 8 * DAY, {
      ...DEFAULT_COURSE_SETTINGS,
      stabilisationSessions: 2,
      maintenanceIntervalWeeks: { min: 4, max: 8 },
    });
    expect(s.maintenance).toMatchObject({ dueFromMs: T0 + 7 * DAY + 4 * WEEK_MS, dueByMs: T0 + 7 * DAY + 8 * WEEK_MS });
    expect(() => courseSchedule([], T0, { ...DEFAULT_COURSE_SETTINGS, stabilisationSessions: 0 })).toThrow(
      /stabilisationSessions/,
    );
    expect(() => courseSchedule([], T0, { ...DEFAULT_COURSE_SETTINGS, maintenanceIntervalWeeks: { min: 6, max: 3 } })).toThrow(
      /maintenanceIntervalWeeks.min/,
    );
    expect(() => courseSchedule([], Number.NaN)).toThrow(/nowMs/);
  });
});

describe('interaction notes (docs/research/ketamine-pd.md §3)', () => {
  it('are shown for the flags set, with their citations, and move no band', () => {
    expect(interactionNotesFor({ lamotrigine: false, benzodiazepine: false })).toEqual([]);
    expect(interactionNotesFor({ lamotrigine: true, benzodiazepine: true }).map((n) => n.flag)).toEqual([
      'lamotrigine',
      'benzodiazepine',
    ]);
    expect(INTERACTION_NOTES.lamotrigine.citations[0]).toMatch(/Anand .*2000;57:270/);
    expect(INTERACTION_NOTES.benzodiazepine.text).toMatch(/8 mg\/day diazepam-equivalent/);
    for (const n of Object.values(INTERACTION_NOTES)) expect(n.text).toMatch(/not moved|no band is moved/);
  });
});
