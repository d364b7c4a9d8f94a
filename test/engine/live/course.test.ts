// Pump semantics (pause, resume, resume-plan, stop, manual bolus, overrides); given ∪ forecast = course (property).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildCourse, forecastRegimen, givenMg, givenRegimen, pumpAt } from '../../../engine/live/course.ts';
import { currentActions, recordAction, type SessionLog } from '../../../engine/live/log.ts';
import { regimenToActions, totalDoseMg } from '../../../engine/dosing/actions.ts';
import type { Plan } from '../../../engine/plan.ts';
import { antidepressant, logOf, plan } from './fixtures.ts';

const p = antidepressant(70); // 35 mg over 40 min = 0.875 mg/min
const course = (pl: Plan, log: SessionLog) => buildCourse(pl, currentActions(log));

describe('the course of a session (what was actually given)', () => {
  it('with no record, the pump follows the plan: the course is the plan', () => {
    const c = course(p, { entries: [] });
    expect(c.regimen).toEqual([
      { at: 0, rate: 0.875, unit: 'mg/min' },
      { at: 40, rate: 0, unit: 'mg/min' },
    ]);
    expect(c.firstDeviationMin).toBeNull();
    expect(totalDoseMg(c.actions)).toBeCloseTo(35, 12);
    expect(c.actions).toEqual(regimenToActions(p.regimen, 70));
    expect(forecastRegimen(c, 20)).toEqual([{ at: 40, rate: 0, unit: 'mg/min' }]);
  });

  it("pause then resume: 0 from the pause, the last rate from the resume, and the plan's stop at 40 no longer applies", () => {
    const c = course(
      p,
      logOf(p, [
        { kind: 'pause', atMin: 10 },
        { kind: 'resume', atMin: 13 },
      ]),
    );
    expect(c.regimen).toEqual([
      { at: 0, rate: 0.875, unit: 'mg/min' },
      { at: 10, rate: 0, unit: 'mg/min' },
      { at: 13, rate: 0.875, unit: 'mg/min' },
    ]);
    expect(pumpAt(c, 11)).toMatchObject({ mode: 'paused', rateMgPerMin: 0, followingPlan: false });
    expect(pumpAt(c, 50)).toMatchObject({ mode: 'manual', rateMgPerMin: 0.875, followingPlan: false });
    expect(givenMg(c, 50)).toBeCloseTo(0.875 * (10 + 37), 12);
    expect(c.firstDeviationMin).toBe(10);
  });

  it('a rate change in the unit it was entered in, running until changed', () => {
    const c = course(p, logOf(p, [{ kind: 'rate', atMin: 20, rate: 0.5, unit: 'mg/kg/h' }]));
    expect(c.regimen.slice(1)).toEqual([{ at: 20, rate: 0.5, unit: 'mg/kg/h' }]);
    expect(pumpAt(c, 100).rateMgPerMin).toBeCloseTo((0.5 * 70) / 60, 14);
    expect(givenMg(c, 80)).toBeCloseTo(0.875 * 20 + ((0.5 * 70) / 60) * 60, 10);
  });

  it('a bolus by hand does not change the pump: a plan being followed keeps being followed', () => {
    const c = course(p, logOf(p, [{ kind: 'bolus', atMin: 20, amount: 0.1, unit: 'mg/kg' }]));
    expect(c.regimen).toEqual([
      { at: 0, rate: 0.875, unit: 'mg/min' },
      { at: 20, bolus: 0.1, unit: 'mg/kg' },
      { at: 40, rate: 0, unit: 'mg/min' },
    ]);
    expect(pumpAt(c, 30)).toMatchObject({ mode: 'plan', followingPlan: true });
    expect(totalDoseMg(c.actions)).toBeCloseTo(35 + 7, 12);
  });

  it('stop ends all infusion', () => {
    const c = course(p, logOf(p, [{ kind: 'stop', atMin: 25 }]));
    expect(c.stoppedAtMin).toBe(25);
    expect(pumpAt(c, 30)).toMatchObject({ mode: 'stopped', rateMgPerMin: 0 });
    expect(forecastRegimen(c, 25)).toEqual([]);
    expect(givenMg(c, 1000)).toBeCloseTo(0.875 * 25, 12);
  });

  it('resume-plan follows the plan again on its original schedule', () => {
    const c = course(
      p,
      logOf(p, [
        { kind: 'pause', atMin: 10 },
        { kind: 'resume-plan', atMin: 15 },
      ]),
    );
    expect(c.regimen).toEqual([
      { at: 0, rate: 0.875, unit: 'mg/min' },
      { at: 10, rate: 0, unit: 'mg/min' },
      { at: 15, rate: 0.875, unit: 'mg/min' },
      { at: 40, rate: 0, unit: 'mg/min' },
    ]);
    expect(pumpAt(c, 20)).toMatchObject({ mode: 'plan', followingPlan: true });
    expect(givenMg(c, 100)).toBeCloseTo(0.875 * 35, 12);
  });

  it('planned events after a pump deviation are not applied (a planned bolus included) until resume-plan', () => {
    const pl = plan({
      patient: { weightKg: 80 },
      model: { id: 'domino-1984' },
      regimen: [
        { at: 0, rate: 1, unit: 'mg/kg/h' },
        { at: 30, bolus: 10, unit: 'mg' },
        { at: 45, rate: 0 },
      ],
    });
    const c = course(pl, logOf(pl, [{ kind: 'rate', atMin: 20, rate: 0.5, unit: 'mg/kg/h' }]));
    expect(c.regimen.map((e) => e.at)).toEqual([0, 20]);
    const r = course(
      pl,
      logOf(pl, [
        { kind: 'rate', atMin: 20, rate: 0.5, unit: 'mg/kg/h' },
        { kind: 'resume-plan', atMin: 30 },
      ]),
    );
    // At 30 the plan's rate (1 mg/kg/h) and its bolus at that minute apply, then its stop at 45.
    expect(r.regimen).toEqual([
      { at: 0, rate: 1, unit: 'mg/kg/h' },
      { at: 20, rate: 0.5, unit: 'mg/kg/h' },
      { at: 30, rate: 1, unit: 'mg/kg/h' },
      { at: 30, bolus: 10, unit: 'mg' },
      { at: 45, rate: 0, unit: 'mg/kg/h' },
    ]);
  });

  it('a recorded pump action at the minute of a planned event overrides it', () => {
    const c = course(p, logOf(p, [{ kind: 'rate', atMin: 40, rate: 0.3, unit: 'mg/kg/h' }]));
    expect(c.regimen).toEqual([
      { at: 0, rate: 0.875, unit: 'mg/min' },
      { at: 40, rate: 0.3, unit: 'mg/kg/h' },
    ]);
  });

  it('given and forecast split the course at now (events at now belong to the given part)', () => {
    const c = course(
      p,
      logOf(p, [
        { kind: 'pause', atMin: 10 },
        { kind: 'resume', atMin: 13 },
        { kind: 'bolus', atMin: 20, amount: 5, unit: 'mg' },
      ]),
    );
    expect(givenRegimen(c, 13)).toEqual(c.regimen.slice(0, 3));
    expect(forecastRegimen(c, 13)).toEqual(c.regimen.slice(3));
  });

  it('property: given ∪ forecast = course; mass given is monotone in now and equals the sum of the parts', () => {
    const kinds = ['pause', 'resume', 'resume-plan', 'rate', 'bolus', 'stop'] as const;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.double({ min: 0, max: 15, noNaN: true }),
            kind: fc.constantFrom(...kinds),
            v: fc.double({ min: 0.01, max: 3, noNaN: true }),
          }),
          { maxLength: 10 },
        ),
        fc.double({ min: 0, max: 150, noNaN: true }),
        (steps, now) => {
          let log: SessionLog = { entries: [] };
          let t = 0;
          for (const s of steps) {
            t += s.dt;
            const a =
              s.kind === 'rate'
                ? { kind: 'rate', atMin: t, rate: s.v, unit: 'mg/kg/h' }
                : s.kind === 'bolus'
                  ? { kind: 'bolus', atMin: t, amount: s.v * 10, unit: 'mg' }
                  : { kind: s.kind, atMin: t };
            const r = recordAction(p, log, a, t);
            if (r.ok) log = r.log;
          }
          const c = course(p, log);
          expect(c.problems).toEqual([]);
          expect([...givenRegimen(c, now), ...forecastRegimen(c, now)]).toEqual(c.regimen);
          expect(givenMg(c, now)).toBeLessThanOrEqual(givenMg(c, now + 1) + 1e-12);
          const rest =
            totalDoseMg(regimenToActions(c.regimen, 70), now + 1) - totalDoseMg(regimenToActions(givenRegimen(c, now), 70), now);
          expect(rest).toBeGreaterThanOrEqual(-1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });
});
