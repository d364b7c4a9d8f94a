// Workers' on-demand matrix exponential: the stand-in records a miss, mathjs is imported once, the call reruns to the same bits.
import { afterAll, describe, expect, it } from 'vitest';
import { api as simulationApi, MAX_FULL_POINTS, type ScenarioOk } from '../../workers/simulation-api.ts';
import {
  deferMatrixExponential,
  deferredApi,
  loadMatrixExponential,
  matrixExponentialLoaded,
  withMatrixExponential,
} from '../../workers/expm.ts';
import { installMathjsMatrixExponential } from '../../engine/pk/mathjs-expm.ts';
import { predict } from '../../engine/predict.ts';
import { parsePlan } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';

/**
 * workers/expm.ts on the real engine and the real mathjs: the workers install the stand-in, a
 * mammillary plan never loads mathjs, and a general linear model (Simons 2022, with its metabolite
 * compartments) is predicted exactly as with mathjs installed up front. The rest of the suite gets the
 * setup file's exponential back afterwards.
 */
afterAll(() => installMathjsMatrixExponential());

const GENERAL = { ...DEFAULT_PLAN, model: { id: 'simons-2022-s-ketamine-arterial' } };
const request = (plan: unknown) => ({ plans: [plan], view: null, buckets: 300, full: true });

describe('matrix exponential on demand (workers/expm.ts)', () => {
  it('a mammillary plan runs with the stand-in and does not load mathjs', async () => {
    deferMatrixExponential();
    const deferred = deferredApi(simulationApi);
    const res = await deferred.simulate(request(DEFAULT_PLAN));
    expect(res.outcomes[0].ok).toBe(true);
    expect(matrixExponentialLoaded()).toBe(false);
  });

  it('a general linear model loads mathjs and reruns: the same bits as with mathjs installed up front', async () => {
    deferMatrixExponential();
    const deferred = deferredApi(simulationApi);
    const res = await deferred.simulate(request(GENERAL));
    expect(matrixExponentialLoaded()).toBe(true);
    const o = res.outcomes[0] as ScenarioOk;
    expect(o.ok, JSON.stringify(res.outcomes[0])).toBe(true);
    installMathjsMatrixExponential();
    const parsed = parsePlan(GENERAL, MODEL_IDS);
    if (!parsed.ok) throw new Error('fixture plan invalid');
    const p = predict(parsed.plan);
    expect(Array.from(o.full!.cp)).toEqual(Array.from(p.trajectory.cp));
    expect(Array.from(o.full!.ce)).toEqual(Array.from(p.trajectory.ce));
  });

  it('a call that catches the stand-in’s error itself is still rerun (the miss is recorded)', async () => {
    let calls = 0;
    deferMatrixExponential();
    await loadMatrixExponential(); // loaded: no rerun needed from here on
    const value = await withMatrixExponential(async () => {
      calls++;
      return 'answer';
    });
    expect([value, calls]).toEqual(['answer', 1]);
  });

  it('fullSeries answers from the cache, and names the reason when a plan cannot be read point by point', async () => {
    const full = await simulationApi.fullSeries(DEFAULT_PLAN);
    if (!full.ok) throw new Error(full.reason);
    expect(full.cp.length).toBe(1441);
    expect(full.resolutionSec).toBe(10);
    const long = { ...DEFAULT_PLAN, horizonMin: 2400, resolutionSec: 0.5 };
    const r = await simulationApi.fullSeries(long);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toContain('grid points');
      expect(r.reason).toContain(MAX_FULL_POINTS.toLocaleString('en-US'));
    }
    const bad = await simulationApi.fullSeries({ ...DEFAULT_PLAN, horizonMin: -1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toContain('horizonMin');
  });
});
