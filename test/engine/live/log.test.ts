// Session log: immutable records, refusals naming fields, corrections/deletions keep history, `parseSessionLog` rejects tampering.
import { describe, expect, it } from 'vitest';
import {
  correctAction,
  currentActions,
  deleteAction,
  emptyLog,
  eventHistory,
  parseLiveAction,
  parseSessionLog,
  recordAction,
  type SessionLog,
} from '../../../engine/live/log.ts';
import { antidepressant, logOf } from './fixtures.ts';

const p = antidepressant();
const paths = (r: { ok: boolean; problems?: readonly { path: string }[] }) => (r.ok ? [] : r.problems!.map((x) => x.path));

describe('recordAction', () => {
  it('appends an immutable entry with a sequential event id and leaves the old log untouched', () => {
    const log0 = emptyLog();
    const r1 = recordAction(p, log0, { kind: 'pause', atMin: 10 }, 10.5);
    expect(r1.ok).toBe(true);
    if (!r1.ok) return;
    expect(log0.entries).toHaveLength(0);
    expect(r1.entry).toEqual({
      seq: 0,
      eventId: 'e1',
      version: 1,
      change: 'record',
      recordedAtMin: 10.5,
      action: { kind: 'pause', atMin: 10 },
    });
    const r2 = recordAction(p, r1.log, { kind: 'rate', atMin: 12, rate: 0.5, unit: 'mg/kg/h' }, 12);
    expect(r2.ok && r2.entry.eventId).toBe('e2');
    expect(r1.log.entries).toHaveLength(1);
  });

  it('refuses invalid fields, naming each one', () => {
    const cases: [unknown, string[]][] = [
      [{ kind: 'rate', atMin: 5, rate: -1, unit: 'mg/kg/h' }, ['action.rate']],
      [{ kind: 'rate', atMin: 5, rate: 1, unit: 'mg/kg' }, ['action.unit']],
      [{ kind: 'bolus', atMin: 5, amount: 0, unit: 'mg' }, ['action.amount']],
      [{ kind: 'bolus', atMin: 5, amount: 10, unit: 'mg/kg/h' }, ['action.unit']],
      [{ kind: 'bolus', atMin: Number.NaN, amount: 10, unit: 'mg' }, ['action.atMin']],
      [{ kind: 'pause', atMin: -1 }, ['action.atMin']],
      [{ kind: 'pause', atMin: 1, rate: 3 }, ['action.rate']],
      [{ kind: 'wobble', atMin: 1 }, ['action.kind']],
      ['pause', ['action']],
    ];
    for (const [action, expected] of cases) {
      const r = recordAction(p, emptyLog(), action, 10);
      expect(paths(r), JSON.stringify(action)).toEqual(expected);
    }
  });

  it('refuses an action later than the time it is recorded at', () => {
    const r = recordAction(p, emptyLog(), { kind: 'pause', atMin: 11 }, 10);
    expect(paths(r)).toEqual(['action.atMin']);
  });

  it('refuses anything after a stop, a resume with nothing to resume, and a resume while running', () => {
    const stopped = logOf(p, [{ kind: 'stop', atMin: 30 }]);
    const after = recordAction(p, stopped, { kind: 'bolus', atMin: 31, amount: 5, unit: 'mg' }, 31);
    expect(after.ok).toBe(false);
    if (!after.ok) expect(after.problems[0].message).toMatch(/after the stop at 30 min/);
    const noRun = antidepressant();
    const early = logOf({ ...noRun, regimen: [{ at: 5, rate: 1, unit: 'mg/kg/h' }] }, [{ kind: 'pause', atMin: 2 }]);
    const resume = recordAction(
      { ...noRun, regimen: [{ at: 5, rate: 1, unit: 'mg/kg/h' }] },
      early,
      { kind: 'resume', atMin: 3 },
      3,
    );
    expect(resume.ok).toBe(false);
    if (!resume.ok) expect(resume.problems[0].message).toMatch(/nothing to resume/);
    const running = recordAction(p, emptyLog(), { kind: 'resume', atMin: 3 }, 3);
    expect(running.ok).toBe(false);
    if (!running.ok) expect(running.problems[0].message).toMatch(/the pump is running/);
  });
});

describe('corrections and deletions', () => {
  const base = logOf(p, [
    { kind: 'pause', atMin: 10 },
    { kind: 'resume', atMin: 13 },
    { kind: 'bolus', atMin: 20, amount: 10, unit: 'mg' },
  ]);

  it('a correction is a new version; the effective action changes, the history keeps both', () => {
    const r = correctAction(p, base, 'e3', { amount: 12 }, 25, 'syringe read wrong');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entry).toMatchObject({ seq: 3, eventId: 'e3', version: 2, change: 'correct', reason: 'syringe read wrong' });
    expect(currentActions(r.log).find((a) => a.eventId === 'e3')!.action).toEqual({
      kind: 'bolus',
      atMin: 20,
      amount: 12,
      unit: 'mg',
    });
    expect(eventHistory(r.log, 'e3').map((e) => (e.action as { amount: number }).amount)).toEqual([10, 12]);
    expect(currentActions(base).find((a) => a.eventId === 'e3')!.action).toMatchObject({ amount: 10 });
  });

  it('a time correction re-sorts the effective actions', () => {
    const r = correctAction(p, base, 'e3', { atMin: 5 }, 25);
    expect(r.ok && currentActions(r.log).map((a) => a.eventId)).toEqual(['e3', 'e1', 'e2']);
  });

  it('a deletion removes the event from the effective log but not from the history', () => {
    const r = deleteAction(p, base, 'e3', 25, 'recorded twice');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(currentActions(r.log).map((a) => a.eventId)).toEqual(['e1', 'e2']);
    expect(eventHistory(r.log, 'e3').map((e) => e.change)).toEqual(['record', 'delete']);
    expect(paths(deleteAction(p, r.log, 'e3', 26))).toEqual(['eventId']);
    expect(paths(correctAction(p, r.log, 'e3', { amount: 3 }, 26))).toEqual(['eventId']);
  });

  it('refuses a correction that makes the log inconsistent, a kind change, and an unknown event', () => {
    // Moving the pause after its resume leaves a resume while the pump runs.
    const r = correctAction(p, base, 'e1', { atMin: 15 }, 25);
    expect(r.ok).toBe(false);
    // Deleting the pause does the same.
    expect(deleteAction(p, base, 'e1', 25).ok).toBe(false);
    expect(paths(correctAction(p, base, 'e1', { rate: 3 } as never, 25))).toEqual(['patch.rate']);
    expect(paths(correctAction(p, base, 'e9', { atMin: 3 }, 25))).toEqual(['eventId']);
    expect(paths(correctAction(p, base, 'e3', {}, 25))).toEqual(['patch']);
    expect(paths(correctAction(p, base, 'e3', { atMin: 30 }, 25))).toEqual(['action.atMin']);
    expect(paths(correctAction(p, base, 'e3', { amount: -2 }, 25))).toEqual(['action.amount']);
  });
});

describe('parseSessionLog (replay validation)', () => {
  const log = (() => {
    let l: SessionLog = logOf(p, [
      { kind: 'pause', atMin: 10 },
      { kind: 'resume', atMin: 13 },
      { kind: 'bolus', atMin: 20, amount: 10, unit: 'mg' },
    ]);
    const c = correctAction(p, l, 'e3', { amount: 12 }, 25, 'typo');
    if (c.ok) l = c.log;
    const d = deleteAction(p, l, 'e3', 26);
    if (d.ok) l = d.log;
    return l;
  })();

  it('accepts a log written by the log functions, through JSON', () => {
    const r = parseSessionLog(p, JSON.parse(JSON.stringify(log.entries)));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.log).toEqual(log);
  });

  it('refuses tampered logs with the entry and field named', () => {
    const entries = () => JSON.parse(JSON.stringify(log.entries)) as Record<string, unknown>[];
    const tamper = (f: (e: Record<string, unknown>[]) => void) => {
      const e = entries();
      f(e);
      return paths(parseSessionLog(p, e));
    };
    expect(
      tamper((e) => {
        e[1].seq = 5;
      }),
    ).toEqual(['log[1].seq']);
    expect(
      tamper((e) => {
        e[1].eventId = 'e7';
      }),
    ).toEqual(['log[1].eventId']);
    expect(
      tamper((e) => {
        e[3].version = 3;
      }),
    ).toEqual(['log[3].version']);
    expect(
      tamper((e) => {
        (e[2].action as Record<string, unknown>).amount = -1;
      }),
    ).toEqual(['log[2].action.amount']);
    expect(
      tamper((e) => {
        e[3].action = { kind: 'pause', atMin: 20 };
      }),
    ).toEqual(['log[3].action.kind']);
    expect(
      tamper((e) => {
        e[0].name = 'x';
      }),
    ).toEqual(['log[0].name']);
    expect(
      tamper((e) => {
        e[1].action = { kind: 'resume', atMin: 9 };
      }),
    ).toEqual(['log[1].action']);
    expect(
      tamper((e) => {
        e[4].action = { kind: 'bolus', atMin: 20, amount: 1, unit: 'mg' };
      }),
    ).toEqual(['log[4].action']);
    expect(
      tamper((e) => {
        e[2].change = 'edit';
      }),
    ).toEqual(['log[2].change']);
    expect(
      tamper((e) => {
        e[0].reason = 'why';
      }),
    ).toEqual(['log[0].reason']);
    expect(paths(parseSessionLog(p, { entries: [] }))).toEqual(['log']);
  });

  it('parseLiveAction fills nothing in: a rate needs its unit', () => {
    expect(paths({ ...parseLiveAction({ kind: 'rate', atMin: 1, rate: 1 }) })).toEqual(['action.unit']);
  });
});
