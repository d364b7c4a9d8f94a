// Live API: analysis split at now, exact samples, what-ifs, planner, personal band, session doses, worker, `LatestWins`.
import '@vitest/web-worker';
import { describe, expect, it } from 'vitest';
import {
  api,
  type LiveAnalysis,
  type LiveAnalyzeRequest,
  type LiveAnalyzeResponse,
  type PlannerResponse,
  type SessionDoseAnswer,
  type SessionDoseItem,
} from '../../workers/live-api.ts';
import { LiveClient, isAbortError, liveWorkerConnection, type LiveApiLike } from '../../workers/live-client.ts';
import { buildCourse, currentActions, LiveTracker, liveKernel, sessionDose, whatIfForPlan } from '../../engine/live/index.ts';
import { predict } from '../../engine/predict.ts';
import { personalBand } from '../../engine/pd/personal-band.ts';
import type { DoseEvent, Plan } from '../../engine/plan.ts';
import { expectNear } from '../support/tolerance.ts';
import { antidepressant, logOf } from '../engine/live/fixtures.ts';

/**
 * The live worker's API called directly (no Worker: Comlink.transfer only tags the result), then the
 * real worker module through comlink (@vitest/web-worker), and the client's latest-wins channels.
 */

const plan = antidepressant(70); // 0.5 mg/kg over 40 min, Domino 1984, 120-min horizon, 10-s grid
const log = logOf(plan, [
  { kind: 'pause', atMin: 10 },
  { kind: 'resume', atMin: 12 },
  { kind: 'rate', atMin: 25, rate: 1, unit: 'mg/kg/h' },
]);
const NOW = 30;

const ok = (r: LiveAnalyzeResponse): LiveAnalysis => {
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r;
};

/** predict() of the session's course (what the pump did and will do), on the plan's grid to `until`. */
function coursePrediction(p: Plan, until: number) {
  const course = buildCourse(p, currentActions(log));
  return predict({ ...p, regimen: course.regimen as DoseEvent[], horizonMin: until });
}

describe('live-api analyze', () => {
  const req: LiveAnalyzeRequest = {
    plan,
    log: log.entries,
    nowMin: NOW,
    buckets: 400,
    whatIfRates: [{ rate: 0.25, unit: 'mg/kg/h' }],
  };

  it('splits the course at now: solid part ends at the last grid point at or before now, dashed part starts there', async () => {
    const a = ok(await api.analyze({ ...req, nowMin: 30.05 }));
    const g = a.givenSeries.t,
      f = a.forecastSeries.t;
    expect(g[0]).toBe(0);
    expect(g[g.length - 1]).toBeCloseTo(30, 12); // 30.05 min lies between the grid points 30.0 and 30.1667
    expect(f[0]).toBe(g[g.length - 1]);
    expect(a.domain.startMin).toBe(0);
    expect(a.domain.endMin).toBeCloseTo(150, 9); // max(horizon 120, now + 120) = 150.05, on the 10-s grid
    expect(a.forecastSeries.t[a.forecastSeries.t.length - 1]).toBeCloseTo(a.domain.endMin, 12);
  });

  it('every plotted sample is an exact sample of predict() of the course (decimation keeps real samples only)', async () => {
    const a = ok(await api.analyze(req));
    const ref = coursePrediction(plan, a.domain.endMin).trajectory;
    for (const s of [a.givenSeries, a.forecastSeries]) {
      for (let k = 0; k < s.t.length; k++) {
        const j = Math.round((s.t[k] * 60) / plan.resolutionSec);
        expect(s.t[k]).toBeCloseTo(ref.t[j], 12);
        expectNear(s.ce[k], ref.ce[j], 1e-9, `ce at ${s.t[k]} min`);
        expectNear(s.cp[k], ref.cp[j], 1e-9, `cp at ${s.t[k]} min`);
      }
    }
  });

  it('reduces to about the pixel width and keeps the peak (min/max per column)', async () => {
    const a = ok(await api.analyze({ ...req, buckets: 50 }));
    expect(a.gridPoints).toBe(Math.floor((a.domain.endMin * 60) / 10 + 1e-9) + 1);
    const plotted = a.givenSeries.t.length + a.forecastSeries.t.length;
    expect(plotted).toBeLessThan(a.gridPoints / 2);
    expect(plotted).toBeLessThanOrEqual(4 * 50 + 2 * 2 + 2);
    const maxCe = Math.max(...a.givenSeries.ce, ...a.forecastSeries.ce);
    expect(maxCe).toBe(a.metrics.peakCeNgMl);
  });

  it('reports what was given and what is forecast, the pump now and the crossings ahead', async () => {
    const a = ok(await api.analyze(req));
    expect(a.pump).toMatchObject({ mode: 'manual', rate: 1, unit: 'mg/kg/h', followingPlan: false });
    expect(a.given.every((e) => e.at <= NOW)).toBe(true);
    expect(a.forecast.every((e) => e.at > NOW)).toBe(true);
    // 35 min of 0.75 mg/kg/h at 70 kg (0–10, 12–25 at the planned rate; 25–30 at 1 mg/kg/h): 15 + 5 min.
    expectNear(a.givenMg, (70 * (0.75 * 23 + 1 * 5)) / 60, 1e-12, 'given mg');
    for (const x of a.crossings) expect(x.atMin).toBeGreaterThan(NOW);
    expect(a.crossings.map((x) => x.atMin)).toEqual([...a.crossings.map((x) => x.atMin)].sort((x, y) => x - y));
    expect(a.computedIn).toBeTypeOf('string');
  });

  it('what-ifs: paused, stopped and "set to X" ghosts start at now, with the engine\'s time to leave the dissociation band', async () => {
    const a = ok(await api.analyze(req));
    const { paused, stopped, rates } = a.whatIfs;
    for (const [view, change] of [
      [stopped, { kind: 'stop' }],
      [paused, { kind: 'pause' }],
      [rates[0], { kind: 'rate', rate: 0.25, unit: 'mg/kg/h' }],
    ] as const) {
      if (!view.ok) throw new Error('what-if refused');
      const ref = whatIfForPlan(plan, log, NOW, change, { horizonMin: 120 });
      if (!ref.ok) throw new Error('reference refused');
      expect(view.series.t[0]).toBe(NOW);
      expect(view.series.t[view.series.t.length - 1]).toBeCloseTo(NOW + 120, 9);
      expect(view.minutesToLeave).toBe(ref.minutesToLeave);
      expect(view.peakCeNgMl).toBe(ref.peakCeNgMl);
      expect(view.lowNgMl).toBe(100); // dissociation band low bound, Zanos 2018 (engine/pd/bands.ts)
    }
    if (!stopped.ok) throw new Error('refused');
    expect(stopped.minutesToLeave).toBeGreaterThan(0);
  });

  it('the log is never changed by an analysis (what-ifs are not committed)', async () => {
    const entries = JSON.stringify(log.entries);
    ok(await api.analyze(req));
    expect(JSON.stringify(log.entries)).toBe(entries);
  });

  it('bad input is an answer with problems naming the field, never a throw', async () => {
    const badPlan = await api.analyze({ ...req, plan: { ...plan, patient: { weightKg: -3 } } });
    expect(badPlan.ok).toBe(false);
    if (!badPlan.ok) expect(badPlan.problems.map((p) => p.path)).toContain('plan.patient.weightKg');

    const badLog = await api.analyze({
      ...req,
      log: [{ ...log.entries[0], action: { kind: 'rate', atMin: 10, rate: -1, unit: 'mg/kg/h' } }],
    });
    expect(badLog.ok).toBe(false);
    if (!badLog.ok) expect(badLog.problems[0].path).toBe('log[0].action.rate');

    const badNow = await api.analyze({ ...req, nowMin: Number.NaN });
    expect(badNow.ok).toBe(false);
    if (!badNow.ok) expect(badNow.problems[0].path).toBe('nowMin');

    // A bad what-if rate is refused on its own; the rest of the analysis stands.
    const badRate = ok(
      await api.analyze({
        ...req,
        whatIfRates: [
          { rate: -2, unit: 'mg/kg/h' },
          { rate: 1, unit: 'furlongs' },
          { rate: 0.5, unit: 'mg/kg/h' },
        ],
      }),
    );
    const [r0, r1, r2] = badRate.whatIfs.rates;
    expect(r0.ok || r0.problems[0].path).toBe('whatIfRates[0].rate');
    expect(r1.ok || r1.problems[0].path).toBe('whatIfRates[1].unit');
    expect(r2.ok).toBe(true);
  });

  it('after a stop, the what-ifs are refused by the log rules (nothing may follow a stop)', async () => {
    const stoppedLog = logOf(plan, [{ kind: 'stop', atMin: 20 }]);
    const a = ok(await api.analyze({ ...req, log: stoppedLog.entries }));
    expect(a.pump.mode).toBe('stopped');
    expect(a.whatIfs.stopped.ok).toBe(false);
    expect(a.whatIfs.paused.ok).toBe(false);
  });
});

describe('live-api plan (titration planner)', () => {
  const patient = { weightKg: 70, ageYears: 40 };
  const model = { id: 'domino-1984' };

  it('proposes a pump-programmable regimen whose exact prediction holds the dissociation band', async () => {
    const r = await api.plan({ patient, model, reachMin: 10, durationMin: 40 });
    if (r.kind !== 'proposal') throw new Error(JSON.stringify(r));
    expect(r.settings.window).toEqual({ lowNgMl: 100, highNgMl: 250 });
    expect(r.settings.horizonMin).toBe(100); // session + 60 min to show the fall after the stop
    for (const s of r.steps) {
      expect(Math.abs(s.rate / 0.05 - Math.round(s.rate / 0.05))).toBeLessThan(1e-9); // default step 0.05 mg/kg/h
      expect(s.rate).toBeLessThanOrEqual(2);
      expect(Math.abs(s.atMin / 5 - Math.round(s.atMin / 5))).toBeLessThan(1e-9); // every 5 min at most
    }
    expect(r.metrics.fractionInWindow).toBeGreaterThanOrEqual(0.95);
    const ref = predict({ patient, model, regimen: r.regimen as DoseEvent[], horizonMin: 100, resolutionSec: 10 }).trajectory;
    expect(Array.from(r.trajectory.ce)).toEqual(Array.from(ref.ce));
  });

  it('returns the unreachable code and reason when the pump cannot reach the window', async () => {
    const r = await api.plan({
      patient,
      model,
      reachMin: 10,
      durationMin: 40,
      window: { lowNgMl: 900, highNgMl: 1000 },
      pump: { maxRate: 0.5 },
    });
    expect(r.kind).toBe('unreachable');
    if (r.kind === 'unreachable') {
      expect(r.code).toBe('unreachable-max-rate');
      expect(r.reasons[0].message).toMatch(/ng\/mL/);
    }
  });

  it('an invalid request lists its problems by field (request and patient alike)', async () => {
    const bad = async (x: Partial<Parameters<typeof api.plan>[0]>): Promise<string[]> => {
      const r: PlannerResponse = await api.plan({ patient, model, reachMin: 10, durationMin: 40, ...x });
      return r.kind === 'invalid' ? r.problems.map((p) => p.path) : [];
    };
    expect(await bad({ reachMin: 50 })).toContain('reachMin');
    expect(await bad({ pump: { rateStep: 0 } })).toContain('pump.rateStep');
    expect(await bad({ pump: { unit: 'mg/kg/hour' } })).toContain('pump.unit');
    expect(await bad({ window: { lowNgMl: 300, highNgMl: 200 } })).toContain('window.highNgMl');
    expect(await bad({ patient: { weightKg: 'seventy' } })).toContain('patient.weightKg');
    expect(await bad({ durationMin: Number.NaN })).toContain('durationMin');
  });
});

describe('live-api personalBand', () => {
  it("is the engine's personal band of what was given, or problems naming the session field", async () => {
    const input = {
      patient: { weightKg: 70 },
      model: { id: 'domino-1984' },
      sessions: [
        {
          regimen: [
            { at: 0, rate: 0.75, unit: 'mg/kg/h' as const },
            { at: 40, rate: 0, unit: 'mg/kg/h' as const },
          ],
          onsetMin: 14,
          durationMin: 60,
        },
        {
          regimen: [
            { at: 0, rate: 0.9, unit: 'mg/kg/h' as const },
            { at: 40, rate: 0, unit: 'mg/kg/h' as const },
          ],
          onsetMin: 11,
          durationMin: 60,
        },
      ],
    };
    const r = await api.personalBand(input);
    if (!r.ok) throw new Error('refused');
    expect(r.band).toEqual(personalBand(input));
    expect(r.band.ce.n).toBe(2);
    const bad = await api.personalBand({ ...input, sessions: [{ ...input.sessions[0], onsetMin: 90 }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0].path).toBe('sessions[0].onsetMin');
  });
});

describe("live-api sessionDoses (the Course view's table)", () => {
  const stoppedLog = logOf(plan, [
    { kind: 'pause', atMin: 10 },
    { kind: 'resume', atMin: 13 },
    { kind: 'stop', atMin: 43 },
  ]);
  const items: SessionDoseItem[] = [
    { id: 'finished', plan, log: stoppedLog.entries, status: 'finished', endMin: 60 },
    { id: 'running', plan, log: log.entries, status: 'running', endMin: NOW },
    { id: 'planned', plan, log: [], status: 'planned', endMin: null },
  ];
  const answers = async (xs: readonly SessionDoseItem[]): Promise<SessionDoseAnswer[]> => {
    const r = await api.sessionDoses(xs);
    if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    return [...r.doses];
  };
  const paths = (a: SessionDoseAnswer): string[] => (a.ok ? [] : a.problems.map((p) => p.path));

  it('one answer per session, in order and keyed by id, each equal to sessionDose on the same inputs', async () => {
    const r = await answers(items);
    expect(r.map((a) => a.id)).toEqual(['finished', 'running', 'planned']);
    expect(r[0]).toEqual({ id: 'finished', ok: true, dose: sessionDose(plan, stoppedLog, 'finished', 60) });
    expect(r[1]).toEqual({ id: 'running', ok: true, dose: sessionDose(plan, log, 'running', NOW) });
    expect(r[2]).toEqual({ id: 'planned', ok: true, dose: sessionDose(plan, { entries: [] }, 'planned', null) });
    if (r[0].ok) expect(r[0].dose.doseMg).toBeCloseTo((0.75 * 70 * 40) / 60, 9); // 0.75 mg/kg/h for 0–10 and 13–43 min
    if (r[1].ok) expect(r[1].dose.basis).toBe('given');
    if (r[2].ok) expect(r[2].dose.basis).toBe('planned');
    expect(await answers([])).toEqual([]);
  });

  it('a bad session is refused on its own with problems naming its field; the others stand; never a throw', async () => {
    const r = await answers([
      { ...items[0], id: 'a', plan: { ...plan, patient: { weightKg: -3 } } },
      {
        ...items[0],
        id: 'b',
        log: [{ ...stoppedLog.entries[0], action: { kind: 'rate', atMin: 10, rate: -1, unit: 'mg/kg/h' } }],
      },
      { ...items[0], id: 'c', endMin: null },
      { ...items[1], id: 'd', endMin: Number.NaN },
      { ...items[0], id: 'e', status: 'paused' },
      { ...items[0], id: 'f', log: 'not a log' },
      { ...items[0], id: 'g', plan: { ...plan, model: { id: 'no-such-model' } } },
      { ...items[2], id: 'h', endMin: Number.NaN }, // a planned session's end is not used
      items[0],
    ]);
    expect(r.map((a) => a.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'finished']);
    expect(paths(r[0])).toContain('plan.patient.weightKg');
    expect(paths(r[1])).toEqual(['log[0].action.rate']);
    expect(paths(r[2])).toEqual(['endMin']);
    expect(paths(r[3])).toEqual(['endMin']);
    if (!r[3].ok) expect(r[3].problems[0].message).toMatch(/running session needs its end.*NaN/);
    expect(paths(r[4])).toEqual(['status']);
    expect(paths(r[5])).toEqual(['log']);
    expect(paths(r[6])[0]).toMatch(/^plan\.model/);
    expect(r[7].ok).toBe(true);
    expect(r[8]).toEqual({ id: 'finished', ok: true, dose: sessionDose(plan, stoppedLog, 'finished', 60) });
  });

  it('a list that cannot be answered item by item is refused as a whole, naming the item', async () => {
    const refused = async (x: unknown): Promise<string[]> => {
      const r = await api.sessionDoses(x as SessionDoseItem[]);
      return r.ok ? [] : r.problems.map((p) => p.path);
    };
    expect(await refused(null)).toEqual(['items']);
    expect(await refused({ id: 'x' })).toEqual(['items']);
    expect(await refused([items[0], 42])).toEqual(['items[1]']);
    expect(await refused([items[0], { ...items[1], id: '' }])).toEqual(['items[1].id']);
    expect(await refused([items[0], { ...items[1], id: 'finished' }])).toEqual(['items[1].id']);
  });
});

describe('the live worker through comlink', () => {
  it('runs the analysis in the worker module and returns typed arrays', async () => {
    const client = new LiveClient({ connect: liveWorkerConnection });
    try {
      const a = ok(await client.analyze({ plan, log: log.entries, nowMin: NOW, buckets: 200 }));
      expect(a.givenSeries.ce).toBeInstanceOf(Float64Array);
      expect(a.pump.rate).toBe(1);
      const p = await client.plan({ patient: plan.patient, model: plan.model, reachMin: 10, durationMin: 40 });
      expect(p.kind).toBe('proposal');
      const d = await client.sessionDoses([{ id: 's1', plan, log: log.entries, status: 'running', endMin: NOW }]);
      expect(d.ok && d.doses[0]).toEqual({ id: 's1', ok: true, dose: sessionDose(plan, log, 'running', NOW) });
    } finally {
      client.shutdown();
    }
  });
});

describe('LiveClient channels (over workers/bridge.ts)', () => {
  it('channels are independent: a planner request does not supersede an analysis, nor a readout either', async () => {
    const fake = {
      analyze: async () => ({ ok: false, problems: [{ path: 'x', message: 'analysis' }] }),
      plan: async () => ({ kind: 'invalid', problems: [{ path: 'y', message: 'plan' }] }),
      now: async () => ({ ok: false, message: 'no session' }),
    } as unknown as LiveApiLike;
    const client = new LiveClient({ connect: () => ({ api: fake, dispose() {} }) });
    const [a, p, n] = await Promise.all([
      client.analyze({ plan, log: [], nowMin: 0, buckets: 10 }),
      client.plan({ patient: {}, model: {}, reachMin: 0, durationMin: 1 }),
      client.now({ plan, log: [], nowMin: 0 }),
    ]);
    expect(a.ok).toBe(false);
    expect(p.kind).toBe('invalid');
    expect(n.ok).toBe(false);
  });

  it('a burst of readouts on the real API delivers only the newest, equal to the tracker on this thread', async () => {
    const client = new LiveClient({ connect: () => ({ api: api as unknown as LiveApiLike, dispose() {} }) });
    const settled = await Promise.allSettled([10, 20, 30].map((nowMin) => client.now({ plan, log: log.entries, nowMin })));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    for (const s of settled.slice(0, 2)) expect(isAbortError((s as PromiseRejectedResult).reason)).toBe(true);
    const r = (settled[2] as PromiseFulfilledResult<Awaited<ReturnType<LiveClient['now']>>>).value;
    if (!r.ok) throw new Error(r.message);
    const tracker = new LiveTracker(liveKernel(plan).kernel, buildCourse(plan, currentActions(log)));
    const expected = tracker.now(30);
    expect(r.now.ceNgMl).toBe(expected.ceNgMl);
    expect(r.now.cpNgMl).toBe(expected.cpNgMl);
    expect(r.now.pump).toEqual(expected.pump);
  });

  it('a readout on an inconsistent log is a message, never a throw', async () => {
    const r = await api.now({ plan, log: log.entries, nowMin: -1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/nowMin/);
  });
});
