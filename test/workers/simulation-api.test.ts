// Simulation API directly: engine-equal metrics, decimated windows, transfer, CSV = CLI, public03 exact, catalogue.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { api, trajectoryCsv, type ScenarioOk, type SimulateRequest } from '../../workers/simulation-api.ts';
import { trajectoryCsv as cliCsv } from '../../cli/main.ts';
import { parsePlan } from '../../engine/plan.ts';
import { MODEL_IDS, MODELS } from '../../engine/models/registry.ts';
import { predict } from '../../engine/predict.ts';
import { computeMetrics } from '../../engine/metrics.ts';
import { DEFAULT_BANDS } from '../../engine/pd/bands.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';

const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/oracle', name), 'utf8'));
const req = (plans: unknown[], extra: Partial<SimulateRequest> = {}): SimulateRequest => ({
  plans,
  view: null,
  buckets: 600,
  full: true,
  ...extra,
});
const ok = (o: unknown): ScenarioOk => {
  if (!(o as ScenarioOk).ok) throw new Error(JSON.stringify(o));
  return o as ScenarioOk;
};

describe('simulation API, called directly (no worker)', () => {
  it("predicts the default plan: metrics equal the engine's computeMetrics on the full trajectory", async () => {
    const res = await api.simulate(req([DEFAULT_PLAN]));
    const o = ok(res.outcomes[0]);
    const r = parsePlan(DEFAULT_PLAN, MODEL_IDS);
    if (!r.ok) throw new Error('default plan invalid');
    const p = predict(r.plan);
    expect(o.metrics).toEqual(computeMetrics(p.trajectory, DEFAULT_BANDS, p.actions, 70));
    expect(o.gridPoints).toBe(1441);
    expect(o.model).toMatchObject({ id: 'domino-1984', ke0PerMin: 0.238, ke0Source: 'published' });
    expect(res.domain).toEqual({ startMin: 0, endMin: 240 });
    // full-resolution arrays are the engine's, bit for bit
    expect(Array.from(o.full!.cp)).toEqual(Array.from(p.trajectory.cp));
    expect(Array.from(o.full!.ce)).toEqual(Array.from(p.trajectory.ce));
    expect(o.full!.resolutionSec).toBe(10);
  });

  it('reduces each series to the window at pixel resolution, keeping the exact peaks', async () => {
    const plan = { ...DEFAULT_PLAN, horizonMin: 1440, resolutionSec: 1 };
    const res = await api.simulate(req([plan], { buckets: 500 }));
    const o = ok(res.outcomes[0]);
    expect(o.gridPoints).toBe(86_401);
    expect(o.series.t.length).toBeLessThanOrEqual(2 * 2 * 500 + 2);
    expect(Math.max(...o.series.cp)).toBe(o.metrics.peakCpNgMl);
    expect(Math.max(...o.series.ce)).toBe(o.metrics.peakCeNgMl);
    const zoomed = ok((await api.simulate(req([plan], { buckets: 500, view: { startMin: 30, endMin: 50 } }))).outcomes[0]);
    expect(zoomed.series.t[0]).toBeLessThan(30);
    expect(zoomed.series.t[zoomed.series.t.length - 1]).toBeGreaterThanOrEqual(50);
    expect(zoomed.series.t[zoomed.series.t.length - 1]).toBeLessThan(50.02);
  });

  it("returns the plan's problems, naming the fields, and still predicts the valid pinned plans", async () => {
    const bad = { ...DEFAULT_PLAN, patient: { weightKg: 500 }, regimen: [{ at: 0, rate: -1, unit: 'mg/kg/h' }] };
    const res = await api.simulate(req([bad, DEFAULT_PLAN]));
    const o = res.outcomes[0];
    expect(o.ok).toBe(false);
    if (o.ok) return;
    expect(o.problems.map((p) => p.path).sort()).toEqual(['patient.weightKg', 'regimen[0].rate']);
    expect(res.outcomes[1].ok).toBe(true);
  });

  it('hands the result buffers to Comlink.transfer (zero-copy across the worker boundary)', async () => {
    const res = await api.simulate(req([DEFAULT_PLAN]));
    // Comlink keeps transfer lists in a WeakMap keyed by the value; a transferred value round-trips
    // through a MessageChannel with its buffers detached at the sender.
    const { port1, port2 } = new MessageChannel();
    const wrapped = Comlink.wrap<{ f(): Promise<unknown> }>(port1);
    Comlink.expose({ f: () => res }, port2);
    const got = (await wrapped.f()) as typeof res;
    expect(ok(got.outcomes[0]).series.cp.length).toBeGreaterThan(0);
    expect(ok(res.outcomes[0]).series.cp.byteLength).toBe(0); // detached: it was transferred, not cloned
    expect(ok(res.outcomes[0]).full!.cp.byteLength).toBe(0);
    port1.close();
    port2.close();
  });

  it('reports where it ran: not a DedicatedWorkerGlobalScope when called directly in node', async () => {
    const res = await api.simulate(req([DEFAULT_PLAN]));
    expect(res.computedIn).not.toBe('DedicatedWorkerGlobalScope');
    expect(res.computedIn).toBe(await api.whereAmI());
    expect(res.workerMs).toBeGreaterThanOrEqual(0);
  });

  it('exports CSV exactly as the CLI does (same columns, units and number text)', async () => {
    const plan = fixture('public03.plan.json');
    const r = parsePlan(plan, MODEL_IDS);
    if (!r.ok) throw new Error('fixture invalid');
    const csv = await api.csv(plan);
    expect(csv).toBe(cliCsv(predict(r.plan).trajectory));
    expect(csv.split('\n')[0]).toBe('t_min,cp_ng_per_ml,ce_ng_per_ml');
    expect(trajectoryCsv({ t: new Float64Array([0, 0.5]), cp: new Float64Array([1, 2.5]), ce: new Float64Array([0, NaN]) })).toBe(
      cliCsv({ t: new Float64Array([0, 0.5]), cp: new Float64Array([1, 2.5]), ce: new Float64Array([0, NaN]) }),
    );
    await expect(api.csv({ ...plan, horizonMin: -1 })).rejects.toThrow(/horizonMin/);
  });

  it('predicts a custom model from a share link to the exact reference (public03)', async () => {
    const ref = fixture('public03.ref.json');
    const o = ok((await api.simulate(req([fixture('public03.plan.json')]))).outcomes[0]);
    expect(o.model).toMatchObject({ id: null, ke0Source: 'custom', ke0PerMin: 0.255 });
    const refMax = Math.max(...(ref.cp as number[]));
    expect(Math.abs(o.metrics.peakCpNgMl - refMax) / refMax).toBeLessThan(1e-9);
  });

  it('lists every registry model with citation, population, sampling and ke0 provenance', async () => {
    const c = await api.catalogue();
    expect(c.models.map((m) => m.id)).toEqual(MODELS.map((m) => m.id));
    expect(c.defaultModelId).toBe('domino-1984');
    for (const m of c.models) {
      expect(m.citation.length).toBeGreaterThan(20);
      expect(m.population).toBeTruthy();
      expect(m.sampling).toBeTruthy();
      if (m.ke0.kind === 'published') expect(m.ke0.citation).toMatch(/\d{4}/);
      else expect(m.ke0.note).toMatch(/[Dd]erived/);
    }
    const domino = c.models.find((m) => m.id === 'domino-1984')!;
    expect(domino.uses).toEqual({ ageYears: false, sex: false, heightCm: false });
    expect(c.models.some((m) => m.ke0.kind === 'derived')).toBe(true);
    expect(() => structuredClone(c)).not.toThrow(); // plain data: it must cross the worker boundary
  });

  it("warns (not errors) for a patient outside the model's population, and reports a derived ke0", async () => {
    const child = { ...DEFAULT_PLAN, patient: { weightKg: 20, ageYears: 6 } };
    const o = ok((await api.simulate(req([child]))).outcomes[0]);
    expect(o.warnings.some((w) => w.code === 'outside-population' && /ageYears 6/.test(w.message))).toBe(true);
    const kamp = ok((await api.simulate(req([{ ...DEFAULT_PLAN, model: { id: 'kamp-2020' } }]))).outcomes[0]);
    expect(kamp.model.ke0Source).toBe('derived');
    const over = ok((await api.simulate(req([{ ...DEFAULT_PLAN, model: { id: 'kamp-2020', ke0: 0.5 } }]))).outcomes[0]);
    expect(over.model).toMatchObject({ ke0Source: 'override', ke0PerMin: 0.5 });
  });

  it('parses share-link text: not-JSON and unknown fields are problems with paths', async () => {
    expect(await api.parseText('{nope')).toMatchObject({ ok: false, problems: [{ path: 'plan' }] });
    const r = await api.parseText(JSON.stringify({ ...DEFAULT_PLAN, horizonMins: 5 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toContain('horizonMins');
  });
});
