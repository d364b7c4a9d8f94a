// What-ifs never commit, exact band-leaving time; `analyzeLive` trajectory = `predict()` of the course.
import { describe, expect, it } from 'vitest';
import { analyzeLive, whatIf, whatIfForPlan } from '../../../engine/live/forecast.ts';
import { buildCourse } from '../../../engine/live/course.ts';
import { currentActions } from '../../../engine/live/log.ts';
import { LiveTracker, liveKernel } from '../../../engine/live/tracker.ts';
import { predict } from '../../../engine/predict.ts';
import type { DoseEvent, Plan } from '../../../engine/plan.ts';
import { expectClose } from '../../support/tolerance.ts';
import { antidepressant, logOf } from './fixtures.ts';

const p = antidepressant(70);
const { kernel } = liveKernel(p);
const log = logOf(p, [
  { kind: 'pause', atMin: 10 },
  { kind: 'resume', atMin: 12 },
  { kind: 'rate', atMin: 25, rate: 1, unit: 'mg/kg/h' },
]);
const NOW = 30;
const LOW = 100; // dissociation band low bound of DEFAULT_BANDS (Zanos 2018)

function predictAt(pl: Plan, regimen: readonly DoseEvent[], t: number): number {
  const { trajectory } = predict({ ...pl, regimen, horizonMin: t, resolutionSec: t * 60 });
  return trajectory.ce[trajectory.ce.length - 1];
}

describe('what-ifs at now, never committed', () => {
  const stopped = whatIf(kernel, p, log, NOW, { kind: 'stop' });
  const paused = whatIf(kernel, p, log, NOW, { kind: 'pause' });
  const pausedResumed = whatIf(kernel, p, log, NOW, { kind: 'pause', resumeAfterMin: 10 });
  const lower = whatIf(kernel, p, log, NOW, { kind: 'rate', rate: 0.1, unit: 'mg/kg/h' });
  const higher = whatIf(kernel, p, log, NOW, { kind: 'rate', rate: 1.5, unit: 'mg/kg/h' });

  it('leave the log as it was', () => {
    expect(log.entries).toHaveLength(3);
    expect(currentActions(log).map((a) => a.action.kind)).toEqual(['pause', 'resume', 'rate']);
  });

  it('"stop now" trajectory equals predict() of the course with a stop at now, on the grid from now', () => {
    if (!stopped.ok) throw new Error('refused');
    const regimen = [...buildCourse(p, currentActions(log)).regimen, { at: NOW, rate: 0, unit: 'mg/kg/h' } as DoseEvent];
    const ref = predict({ ...p, regimen, horizonMin: NOW + 120, resolutionSec: 10 }).trajectory;
    const from = NOW * 6; // index of minute 30 on the 10-s grid
    expect(stopped.trajectory.t.length).toBe(ref.t.length - from);
    expectClose(stopped.trajectory.t, ref.t.subarray(from), 1e-12, 't');
    expectClose(stopped.trajectory.ce, ref.ce.subarray(from), 1e-9, 'ce');
    expectClose(stopped.trajectory.cp, ref.cp.subarray(from), 1e-9, 'cp');
  });

  it('"pause now" with no resume is the same trajectory as "stop now"; with a resume it differs after the resume only', () => {
    if (!stopped.ok || !paused.ok || !pausedResumed.ok) throw new Error('refused');
    expect(Array.from(paused.trajectory.ce)).toEqual(Array.from(stopped.trajectory.ce));
    expect(paused.minutesToLeave).toBe(stopped.minutesToLeave);
    const j = 10 * 6; // resume 10 min after now
    expect(Array.from(pausedResumed.trajectory.ce.subarray(0, j + 1))).toEqual(
      Array.from(paused.trajectory.ce.subarray(0, j + 1)),
    );
    expect(pausedResumed.trajectory.cp[j + 6]).toBeGreaterThan(paused.trajectory.cp[j + 6]);
  });

  it('time to leave the dissociation band is exact: Ce ≥ low just before, < low just after and for the rest of the horizon', () => {
    for (const w of [stopped, lower]) {
      if (!w.ok) throw new Error('refused');
      expect(w.lowNgMl).toBe(LOW);
      expect(w.minutesToLeave).not.toBeNull();
      const tLeave = NOW + w.minutesToLeave!;
      const course = buildCourse(p, currentActions(log));
      const regimen = [
        ...course.regimen,
        w.change.kind === 'rate'
          ? { at: NOW, rate: w.change.rate, unit: w.change.unit }
          : { at: NOW, rate: 0 as number, unit: 'mg/kg/h' as const },
      ];
      expect(predictAt(p, regimen, tLeave - 1e-6)).toBeGreaterThanOrEqual(LOW);
      expect(predictAt(p, regimen, tLeave + 1e-6)).toBeLessThan(LOW);
      for (let j = 0; j < w.trajectory.t.length; j++)
        if (w.trajectory.t[j] > tLeave + 1e-6) expect(w.trajectory.ce[j]).toBeLessThan(LOW);
    }
    if (!stopped.ok || !lower.ok) return;
    // A lower rate keeps Ce higher than stopping, so it leaves the band later.
    expect(lower.minutesToLeave!).toBeGreaterThan(stopped.minutesToLeave!);
  });

  it('a rate whose course stays in the band gives no leaving time, and the peak reflects Ce still rising', () => {
    if (!higher.ok) throw new Error('refused');
    expect(higher.minutesToLeave).toBeNull();
    expect(higher.trajectory.ce[higher.trajectory.ce.length - 1]).toBeGreaterThanOrEqual(LOW);
    expect(higher.peakCeNgMl).toBeGreaterThanOrEqual(Math.max(...higher.trajectory.ce) - 1e-9);
  });

  it('already below the band and staying below: 0', () => {
    const late = logOf(p, [{ kind: 'pause', atMin: 5 }]);
    const w = whatIf(kernel, p, late, 200, { kind: 'pause' });
    expect(w.ok && w.minutesToLeave).toBe(0);
  });

  it('a what-if the log would refuse is refused with the same problems; bad options are named', () => {
    const ended = logOf(p, [{ kind: 'stop', atMin: 20 }]);
    const w = whatIf(kernel, p, ended, NOW, { kind: 'rate', rate: 1, unit: 'mg/kg/h' });
    expect(w.ok).toBe(false);
    if (!w.ok) expect(w.problems[0].message).toMatch(/after the stop/);
    const bad = whatIf(kernel, p, log, NOW, { kind: 'rate', rate: -1, unit: 'mg/kg/h' });
    expect(!bad.ok && bad.problems.map((x) => x.path)).toEqual(['action.rate']);
    const badH = whatIf(kernel, p, log, NOW, { kind: 'stop' }, { horizonMin: 0 });
    expect(!badH.ok && badH.problems.map((x) => x.path)).toEqual(['horizonMin']);
    const badR = whatIf(kernel, p, log, NOW, { kind: 'pause', resumeAfterMin: -3 });
    expect(!badR.ok && badR.problems.map((x) => x.path)).toEqual(['resumeAfterMin']);
  });
});

describe("analyzeLive (the worker's job when the log changes)", () => {
  const f = analyzeLive(p, log, NOW, { whatIfRates: [{ rate: 0.2, unit: 'mg/kg/h' }] });
  const course = buildCourse(p, currentActions(log));

  it('the course trajectory is predict() of the course regimen', () => {
    const ref = predict({ ...p, regimen: course.regimen, horizonMin: 150, resolutionSec: 10 }).trajectory;
    expectClose(f.trajectory.ce, ref.ce, 1e-9, 'ce');
    expect(f.trajectory.t[f.nowIndex]).toBeCloseTo(NOW, 12);
  });

  it("given and forecast regimens split at now; the crossings are the tracker's, in order", () => {
    expect([...f.given, ...f.forecast]).toEqual(course.regimen);
    expect(f.pump).toMatchObject({ mode: 'manual', rate: 1, unit: 'mg/kg/h' });
    const tr = new LiveTracker(kernel, course, undefined, { lookaheadMin: 120 });
    const seq: number[] = [];
    for (let t = NOW, x = tr.now(t).nextCrossing; x && x.atMin <= 150; x = tr.now(t).nextCrossing) {
      seq.push(x.atMin);
      t = x.atMin;
    }
    expect(f.crossings.map((x) => x.atMin)).toEqual(seq);
    for (const x of f.crossings) expect(x.inMin).toBeCloseTo(x.atMin - NOW, 12);
    expect(f.whatIfs.rates).toHaveLength(1);
    expect(f.whatIfs.stopped.ok && f.whatIfs.paused.ok).toBe(true);
  });

  it("refuses a bad now or window, naming it; whatIfForPlan equals whatIf with the plan's kernel", () => {
    expect(() => analyzeLive(p, log, Number.NaN)).toThrow(/nowMin/);
    expect(() => analyzeLive(p, log, 30, { untilMin: 20 })).toThrow(/untilMin/);
    const a = whatIfForPlan(p, log, NOW, { kind: 'stop' });
    const b = whatIf(kernel, p, log, NOW, { kind: 'stop' });
    expect(a.ok && b.ok && Array.from(a.trajectory.ce)).toEqual(b.ok && Array.from(b.trajectory.ce));
  });

  it('throws for a log inconsistent with the plan', () => {
    const bad = {
      entries: [
        {
          seq: 0,
          eventId: 'e1',
          version: 1,
          change: 'record' as const,
          recordedAtMin: 5,
          action: { kind: 'resume' as const, atMin: 5 },
        },
      ],
    };
    expect(() => analyzeLive(p, bad, NOW)).toThrow(/pump is running/);
  });
});
