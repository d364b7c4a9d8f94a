// Real simulation worker through comlink: typed arrays, catalogue, plain errors, latest-wins.
import '@vitest/web-worker';
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScenarioOk, SimulationApi } from '../../workers/simulation-api.ts';
import { SimulationClient, isAbortError, type Connection, type ApiLike } from '../../workers/simulation-client.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';
import { parsePlan } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { predict } from '../../engine/predict.ts';

/**
 * The real worker module (workers/simulation.worker.ts) through comlink, as the app loads it.
 * @vitest/web-worker runs it in this thread with a simulated worker scope (stack-notes: it needs
 * `self` passed to Comlink.expose, which this test would catch by timing out).
 */
const worker = new Worker(new URL('../../workers/simulation.worker.ts', import.meta.url), { type: 'module' });
const remote = Comlink.wrap<SimulationApi>(worker);
afterAll(() => worker.terminate());

describe('simulation.worker.ts through comlink', () => {
  it('answers simulate with typed arrays and metrics', async () => {
    const res = await remote.simulate({ plans: [DEFAULT_PLAN], view: null, buckets: 400, full: true });
    const o = res.outcomes[0] as ScenarioOk;
    expect(o.ok).toBe(true);
    expect(o.series.cp).toBeInstanceOf(Float64Array);
    expect(o.full!.ce.length).toBe(1441);
    expect(o.metrics.peakCeNgMl).toBeGreaterThan(100);
    expect(o.metrics.totalDoseMg).toBeCloseTo(35, 10);
  });

  it('predicts a general linear model too: mathjs is imported on first need (workers/expm.ts), the answer is the engine’s', async () => {
    const plan = { ...DEFAULT_PLAN, model: { id: 'simons-2022-s-ketamine-arterial' } };
    const res = await remote.simulate({ plans: [plan], view: null, buckets: 300, full: true });
    const o = res.outcomes[0] as ScenarioOk;
    expect(o.ok, JSON.stringify(res.outcomes[0])).toBe(true);
    const parsed = parsePlan(plan, MODEL_IDS);
    if (!parsed.ok) throw new Error('fixture plan invalid');
    const p = predict(parsed.plan); // mathjs installed by the test setup file
    expect(Array.from(o.full!.ce)).toEqual(Array.from(p.trajectory.ce));
  });

  it('serves the catalogue and plan problems across the boundary as plain data', async () => {
    const c = await remote.catalogue();
    expect(c.modelIds).toContain('domino-1984');
    const r = await remote.parseText('{"patient":{}}');
    expect(r.ok).toBe(false);
  });

  it('rejects with a plain Error message (no instanceof across the boundary)', async () => {
    await expect(remote.csv({ nonsense: true })).rejects.toThrow(/nonsense|patient/);
  });

  it('drives the client: a burst of requests resolves only the newest', async () => {
    const client = new SimulationClient({
      connect: (): Connection => ({ api: remote as unknown as ApiLike, dispose: () => {} }),
      idleMs: Infinity,
    });
    const plans = [0.3, 0.4, 0.5, 0.6].map((dose) => ({
      ...DEFAULT_PLAN,
      regimen: [{ at: 0, dose, unit: 'mg/kg', overMin: 40 }],
    }));
    const settled = await Promise.allSettled(
      plans.map((p) => client.simulate({ plans: [p], view: null, buckets: 100, full: false })),
    );
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected', 'fulfilled']);
    for (const s of settled.slice(0, 3)) expect(isAbortError((s as PromiseRejectedResult).reason)).toBe(true);
    const last = (settled[3] as PromiseFulfilledResult<Awaited<ReturnType<SimulationApi['simulate']>>>).value;
    expect((last.outcomes[0] as ScenarioOk).metrics.totalDoseMg).toBeCloseTo(0.6 * 70, 10);
  });
});
