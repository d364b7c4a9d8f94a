// `LiveTracker` now-state = `predict()` within 1e-9; crossings exact to 1e-6 min, none missed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildCourse, givenMg, givenRegimen } from '../../../engine/live/course.ts';
import { currentActions, recordAction, type SessionLog } from '../../../engine/live/log.ts';
import { LiveTracker, liveKernel } from '../../../engine/live/tracker.ts';
import { predict } from '../../../engine/predict.ts';
import type { Band, DoseEvent, Plan } from '../../../engine/plan.ts';
import { DEFAULT_BANDS } from '../../../engine/pd/bands.ts';
import { expectNear } from '../../support/tolerance.ts';
import { antidepressant, logOf, plan } from './fixtures.ts';

/** cp and ce (ng/mL) at exactly minute t from predict(), on a two-point grid [0, t]: an independent evaluation. */
function predictAt(p: Plan, regimen: readonly DoseEvent[], t: number): { cp: number; ce: number } {
  const { trajectory } = predict({ ...p, regimen, horizonMin: t, resolutionSec: t * 60 });
  const j = trajectory.t.length - 1;
  expect(trajectory.t[j]).toBeCloseTo(t, 12);
  return { cp: trajectory.cp[j], ce: trajectory.ce[j] };
}

const kinds = ['pause', 'resume', 'resume-plan', 'rate', 'bolus', 'stop'] as const;
const stepsArb = fc.array(
  fc.record({
    dt: fc.double({ min: 0, max: 12, noNaN: true }),
    kind: fc.constantFrom(...kinds),
    v: fc.double({ min: 0.05, max: 2, noNaN: true }),
  }),
  { maxLength: 8 },
);

function randomLog(p: Plan, steps: { dt: number; kind: (typeof kinds)[number]; v: number }[]): SessionLog {
  let log: SessionLog = { entries: [] };
  let t = 0;
  for (const s of steps) {
    t += s.dt;
    const a =
      s.kind === 'rate'
        ? { kind: 'rate', atMin: t, rate: s.v, unit: 'mg/kg/h' }
        : s.kind === 'bolus'
          ? { kind: 'bolus', atMin: t, amount: s.v * 0.1, unit: 'mg/kg' }
          : { kind: s.kind, atMin: t };
    const r = recordAction(p, log, a, t);
    if (r.ok) log = r.log;
  }
  return log;
}

describe('LiveTracker: the now-state equals predict() of what was actually given', () => {
  const plans: [string, Plan][] = [
    ['Domino 1984 (modal, 3 compartments)', antidepressant(70)],
    [
      'Simons 2022 (general linear system)',
      plan({
        patient: { weightKg: 70, ageYears: 25 },
        model: { id: 'simons-2022-s-ketamine-arterial' },
        regimen: [
          { at: 0, bolus: 0.1, unit: 'mg/kg' },
          { at: 0, dose: 0.25, unit: 'mg/kg', overMin: 40 },
        ],
      }),
    ],
  ];
  for (const [name, p] of plans) {
    it(`${name}: random logs, random minutes, cp and ce within 1e-9 relative`, () => {
      const { kernel } = liveKernel(p);
      fc.assert(
        fc.property(stepsArb, fc.double({ min: 0.01, max: 120, noNaN: true }), (steps, now) => {
          const c = buildCourse(p, currentActions(randomLog(p, steps)));
          const s = new LiveTracker(kernel, c).now(now);
          const ref = predictAt(p, givenRegimen(c, now), now);
          expectNear(s.cpNgMl, ref.cp, 1e-9, 'cp');
          expectNear(s.ceNgMl, ref.ce, 1e-9, 'ce');
        }),
        { numRuns: name.startsWith('Simons') ? 40 : 200 },
      );
    });
  }

  it('ticking once a second for 90 min gives the same states as fresh evaluations; a clock going back is handled', () => {
    const p = antidepressant(70);
    const log = logOf(p, [
      { kind: 'pause', atMin: 10 },
      { kind: 'resume', atMin: 13.5 },
      { kind: 'bolus', atMin: 20.25, amount: 10, unit: 'mg' },
      { kind: 'rate', atMin: 50, rate: 0.25, unit: 'mg/kg/h' },
    ]);
    const c = buildCourse(p, currentActions(log));
    const { kernel } = liveKernel(p);
    const ticking = new LiveTracker(kernel, c);
    for (let i = 0; i <= 90 * 60; i++) {
      const t = i / 60;
      const s = ticking.now(t);
      if (i % 450 === 0 && t > 0) {
        const ref = predictAt(p, givenRegimen(c, t), t);
        expectNear(s.ceNgMl, ref.ce, 1e-9, `ce at ${t}`);
        const fresh = new LiveTracker(kernel, c).now(t);
        expectNear(s.ceNgMl, fresh.ceNgMl, 1e-12, `tick vs fresh at ${t}`);
        expect(s.givenMg).toBeCloseTo(givenMg(c, t), 10);
        if (fresh.nextCrossing === null) expect(s.nextCrossing).toBeNull();
        else expect(Math.abs(s.nextCrossing!.atMin - fresh.nextCrossing.atMin)).toBeLessThan(1e-9);
        if (s.nextCrossing) expect(s.nextCrossing.inMin).toBeCloseTo(s.nextCrossing.atMin - t, 12);
      }
    }
    const back = ticking.now(15);
    expectNear(back.ceNgMl, predictAt(p, givenRegimen(c, 15), 15).ce, 1e-9, 'after going back');
    expect(() => ticking.now(Number.NaN)).toThrow(/nowMin/);
    expect(() => ticking.now(-1)).toThrow(/nowMin/);
  });

  it('reports the bands Ce is in (low ≤ Ce < high; overlapping bands both listed), the pump and the dose so far', () => {
    const p = antidepressant(70);
    const c = buildCourse(p, []);
    const { kernel } = liveKernel(p);
    const tr = new LiveTracker(kernel, c);
    for (const t of [1, 5, 10, 20, 39, 41, 90]) {
      const s = tr.now(t);
      const expected = DEFAULT_BANDS.filter(
        (b) => s.ceNgMl >= b.lowNgMl && (b.highNgMl === undefined || s.ceNgMl < b.highNgMl),
      ).map((b) => b.id);
      expect(s.bandIds).toEqual(expected);
      expect(s.givenMg).toBeCloseTo(0.875 * Math.min(t, 40), 10);
      expect(s.pump.mode).toBe('plan');
    }
    expect(tr.now(10).bandIds).toEqual(['analgesia', 'dissociation']);
  });
});

describe('next band crossing: exact on the closed form', () => {
  it('one-compartment model against the analytic solution: every crossing within 1e-6 min', () => {
    // Custom 1-compartment model (V 20 L, k10 0.1 /min, ke0 0.3 /min), 2 mg/min for 30 min then stop.
    const V = 20,
      k = 0.1,
      ke0 = 0.3,
      R = 2,
      T = 30;
    const bands: Band[] = [
      { id: 'a', lowNgMl: 300, highNgMl: 700 },
      { id: 'b', lowNgMl: 500 },
    ];
    const p = plan({
      patient: { weightKg: 70 },
      model: { v1: V, k10: k, ke0 },
      regimen: [
        { at: 0, rate: R, unit: 'mg/min' },
        { at: T, rate: 0, unit: 'mg/min' },
      ],
      thresholds: bands,
    });
    // Analytic ce (mg/L = µg/mL; ×1000 for ng/mL) and its derivative.
    const css = R / (k * V);
    const cpAt = (t: number) => (t <= T ? css * (1 - Math.exp(-k * t)) : css * (1 - Math.exp(-k * T)) * Math.exp(-k * (t - T)));
    const ceAt = (t: number): number => {
      if (t <= T) return css * (1 - (ke0 * Math.exp(-k * t) - k * Math.exp(-ke0 * t)) / (ke0 - k));
      const h = t - T,
        cpT = cpAt(T),
        ceT = ceAt(T);
      return ceT * Math.exp(-ke0 * h) + ((cpT * ke0) / (ke0 - k)) * (Math.exp(-k * h) - Math.exp(-ke0 * h));
    };
    const bisect = (f: (t: number) => number, a: number, b: number) => {
      for (let i = 0; i < 200; i++) {
        const m = (a + b) / 2;
        if (Math.sign(f(m)) === Math.sign(f(a))) a = m;
        else b = m;
      }
      return (a + b) / 2;
    };
    const tPeak = bisect((t) => cpAt(t) - ceAt(t), T, T + 60); // ce' = ke0(cp − ce) = 0 after the stop
    const refs: number[] = [];
    for (const L of [0.3, 0.5, 0.7]) {
      if (ceAt(0) < L && ceAt(tPeak) >= L) refs.push(bisect((t) => ceAt(t) - L, 0, tPeak));
      if (ceAt(tPeak) >= L && ceAt(400) < L) refs.push(bisect((t) => ceAt(t) - L, tPeak, 400));
    }
    refs.sort((a, b) => a - b);
    expect(refs.length).toBe(6);
    const { kernel } = liveKernel(p);
    const tr = new LiveTracker(kernel, buildCourse(p, []), bands, { lookaheadMin: 600 });
    const found: number[] = [];
    let t = 0;
    for (let x = tr.now(t).nextCrossing; x; x = tr.now(t).nextCrossing) {
      found.push(x.atMin);
      t = x.atMin;
    }
    expect(found.length).toBe(refs.length);
    for (let i = 0; i < refs.length; i++)
      expect(Math.abs(found[i] - refs[i]), `crossing ${i}: ${found[i]} vs ${refs[i]}`).toBeLessThanOrEqual(1e-6);
  });

  it('a level just under the Ce peak is crossed up and down within one scan step: both crossings found, to 1e-6 min', () => {
    const V = 20,
      k = 0.1,
      ke0 = 0.3,
      R = 2,
      T = 30;
    const css = R / (k * V);
    const cpT = css * (1 - Math.exp(-k * T));
    const ceT = css * (1 - (ke0 * Math.exp(-k * T) - k * Math.exp(-ke0 * T)) / (ke0 - k));
    const ceAfter = (h: number) => ceT * Math.exp(-ke0 * h) + ((cpT * ke0) / (ke0 - k)) * (Math.exp(-k * h) - Math.exp(-ke0 * h));
    const cpAfter = (h: number) => cpT * Math.exp(-k * h);
    const bisect = (f: (t: number) => number, a: number, b: number) => {
      for (let i = 0; i < 200; i++) {
        const m = (a + b) / 2;
        if (Math.sign(f(m)) === Math.sign(f(a))) a = m;
        else b = m;
      }
      return (a + b) / 2;
    };
    const hPeak = bisect((h) => cpAfter(h) - ceAfter(h), 0, 60);
    const peakNg = ceAfter(hPeak) * 1000;
    const L = peakNg - 1e-4; // 1e-7 mg/L under the peak: the two crossings are ~0.005 min apart
    const refs = [bisect((h) => ceAfter(h) * 1000 - L, 0, hPeak) + T, bisect((h) => ceAfter(h) * 1000 - L, hPeak, 60) + T];
    expect(refs[1] - refs[0]).toBeLessThan(0.01);
    const p = plan({
      patient: { weightKg: 70 },
      model: { v1: V, k10: k, ke0 },
      regimen: [
        { at: 0, rate: R, unit: 'mg/min' },
        { at: T, rate: 0, unit: 'mg/min' },
      ],
    });
    const bands: Band[] = [{ id: 'near-peak', lowNgMl: L }];
    const { kernel } = liveKernel(p);
    const tr = new LiveTracker(kernel, buildCourse(p, []), bands);
    const up = tr.now(T).nextCrossing!;
    expect(up.direction).toBe('up');
    const down = tr.now(up.atMin).nextCrossing!;
    expect(down.direction).toBe('down');
    expect(Math.abs(up.atMin - refs[0])).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(down.atMin - refs[1])).toBeLessThanOrEqual(1e-6);
    expect(tr.now(down.atMin).nextCrossing).toBeNull();
  });

  const cases: [string, Plan, Record<string, unknown>[]][] = [
    [
      'Domino 1984, pause/resume/bolus/rate/stop',
      antidepressant(70),
      [
        { kind: 'pause', atMin: 8 },
        { kind: 'resume', atMin: 11 },
        { kind: 'bolus', atMin: 22, amount: 0.15, unit: 'mg/kg' },
        { kind: 'rate', atMin: 30, rate: 1.2, unit: 'mg/kg/h' },
        { kind: 'stop', atMin: 60 },
      ],
    ],
    [
      'Simons 2022 (general linear system), bolus then stop',
      plan({
        patient: { weightKg: 70, ageYears: 25 },
        model: { id: 'simons-2022-s-ketamine-arterial' },
        regimen: [
          { at: 0, bolus: 0.2, unit: 'mg/kg' },
          { at: 0, rate: 0.6, unit: 'mg/kg/h' },
        ],
      }),
      [{ kind: 'stop', atMin: 45 }],
    ],
  ];
  for (const [name, p, actions] of cases) {
    it(`${name}: each crossing is bracketed to ±1e-6 min by predict(), and none is missed on a 1-s grid`, () => {
      const c = buildCourse(p, currentActions(logOf(p, actions)));
      const { kernel } = liveKernel(p);
      const tr = new LiveTracker(kernel, c, DEFAULT_BANDS, { lookaheadMin: 300 });
      const found: { atMin: number; level: number; direction: string }[] = [];
      let t = 0;
      for (let x = tr.now(t).nextCrossing; x; x = tr.now(t).nextCrossing) {
        found.push({ atMin: x.atMin, level: x.levelNgMl, direction: x.direction });
        t = x.atMin;
      }
      expect(found.length).toBeGreaterThan(3);
      for (const x of found) {
        const before = predictAt(p, c.regimen, x.atMin - 1e-6).ce;
        const after = predictAt(p, c.regimen, x.atMin + 1e-6).ce;
        if (x.direction === 'up')
          expect(before < x.level && after >= x.level, `up at ${x.atMin}: ${before} → ${after} vs ${x.level}`).toBe(true);
        else expect(before >= x.level && after < x.level, `down at ${x.atMin}: ${before} → ${after} vs ${x.level}`).toBe(true);
      }
      // Independent count: sign changes of ce − level on a 1-s grid from predict().
      const { trajectory } = predict({ ...p, regimen: c.regimen, horizonMin: 300, resolutionSec: 1 });
      let count = 0;
      for (const b of DEFAULT_BANDS) {
        for (const L of [b.lowNgMl, b.highNgMl!]) {
          for (let j = 1; j < trajectory.ce.length; j++) if (trajectory.ce[j - 1] >= L !== trajectory.ce[j] >= L) count++;
        }
      }
      expect(found.length).toBe(count);
    });
  }

  it('returns null when no bound is crossed within the look-ahead', () => {
    const p = antidepressant(70);
    const c = buildCourse(p, currentActions(logOf(p, [{ kind: 'stop', atMin: 0 }])));
    const { kernel } = liveKernel(p);
    const s = new LiveTracker(kernel, c).now(5);
    expect(s.ceNgMl).toBe(0);
    expect(s.nextCrossing).toBeNull();
    expect(s.bandIds).toEqual([]);
  });
});
