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

describe('simulation API: the curve first, then the metrics (what the dashboard sends per edit)', () => {
  const plan24h = {
    patient: { weightKg: 70, ageYears: 40 },
    model: { id: 'domino-1984' },
    regimen: [
      { at: 0, rate: 0.537, unit: 'mg/kg/h' },
      { at: 600, rate: 0, unit: 'mg/kg/h' },
    ],
    horizonMin: 1440,
    resolutionSec: 1,
  };
  const bad = { ...DEFAULT_PLAN, patient: { weightKg: -3 } };

  it('simulateSeries + simulateMetrics give exactly what simulate gives, outcome for outcome', async () => {
    const request = req([plan24h, DEFAULT_PLAN, bad], { buckets: 700, full: false });
    const series = await api.simulateSeries(request);
    const { metrics } = await api.simulateMetrics(request.plans);
    const whole = await api.simulate(request);
    expect(series.outcomes.map((o) => o.ok)).toEqual([true, true, false]);
    expect(metrics[2]).toBeNull();
    expect(series.domain).toEqual(whole.domain);
    for (let i = 0; i < 3; i++) {
      const s = series.outcomes[i];
      const w = whole.outcomes[i];
      if (!s.ok || !w.ok) {
        expect(s).toEqual(w);
        continue;
      }
      expect('metrics' in s).toBe(false); // the first answer carries no metrics
      expect(metrics[i]).toEqual(w.metrics);
      expect({ ...s, metrics: metrics[i] }).toEqual(w);
    }
    // and the metrics are the engine's, on the full trajectory (bit for bit)
    const r = parsePlan(plan24h, MODEL_IDS);
    if (!r.ok) throw new Error('plan invalid');
    const p = predict(r.plan);
    expect(metrics[0]).toEqual(computeMetrics(p.trajectory, DEFAULT_BANDS, p.actions, 70));
  });

  it('reports where its time went: validation, prediction, reduction (metrics separately)', async () => {
    const plan = { ...plan24h, regimen: [{ at: 0, rate: 0.5391, unit: 'mg/kg/h' }, plan24h.regimen[1]] };
    const s = await api.simulateSeries(req([plan], { full: false }));
    for (const v of Object.values(s.phases)) expect(v).toBeGreaterThanOrEqual(0);
    expect(s.phases.metricsMs).toBe(0);
    const m = await api.simulateMetrics([plan]);
    expect(m.metrics[0]?.totalDoseMg).toBeCloseTo(0.5391 * 70 * 10, 9); // 10 h at 0.5391 mg/kg/h, 70 kg
  });

  it('simulateMetrics predicts again when the plan is not in the cache (never a stale or missing answer)', async () => {
    const plans = Array.from({ length: 10 }, (_, i) => ({ ...DEFAULT_PLAN, label: `cache filler ${i}` }));
    const first = { ...DEFAULT_PLAN, horizonMin: 200 };
    const m0 = (await api.simulateMetrics([first])).metrics[0];
    for (const p of plans) await api.simulate(req([p], { full: false })); // more than the cache holds
    const m1 = (await api.simulateMetrics([first])).metrics[0];
    expect(m1).toEqual(m0);
    expect(m1?.totalDoseMg).toBeCloseTo(35, 10);
  });
});

describe('simulation API: predictions into recycled buffers are the engine’s, bit for bit', () => {
  const patient = { weightKg: 70, ageYears: 40, sex: 'male', heightCm: 175 };
  const expectEngine = (plan: unknown, o: ScenarioOk) => {
    const r = parsePlan(plan, MODEL_IDS);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const p = predict(r.plan);
    expect(o.full).not.toBeNull();
    expect(Array.from(o.full!.cp)).toEqual(Array.from(p.trajectory.cp));
    expect(Array.from(o.full!.ce)).toEqual(Array.from(p.trajectory.ce));
    expect(o.warnings).toEqual(p.warnings);
    expect(o.actions).toEqual(p.actions);
    expect(o.model.ke0PerMin).toBe(p.model.ke0);
    expect(o.metrics).toEqual(computeMetrics(p.trajectory, o.bands, p.actions, r.plan.patient.weightKg));
  };

  it('for every registry model, a custom model and a non-IV dose, across more plans than the cache holds', async () => {
    const plans: unknown[] = MODELS.map((m, i) => ({
      patient: m.id.includes('paediatric') || m.id.includes('picu') ? { ...patient, weightKg: 20, ageYears: 6 } : patient,
      model: { id: m.id },
      regimen: [
        { at: 0, bolus: 0.3 + i / 100, unit: 'mg/kg' },
        { at: 5, dose: 0.5, unit: 'mg/kg', overMin: 40 },
        { at: 90, rate: 0.2, unit: 'mg/kg/h' },
        { at: 150, rate: 0 },
      ],
      horizonMin: 240,
      resolutionSec: 10, // every plan on the same 1,441-point grid: each eviction's buffers are reused
    }));
    plans.push({
      patient: { weightKg: 70 },
      model: { v1: 10, cl1: 1.2, v2: 20, cl2: 2, ke0: 0.3 },
      regimen: [{ at: 0, bolus: 20, unit: 'mg' }],
      horizonMin: 240,
      resolutionSec: 10,
    });
    plans.push({
      patient: { weightKg: 70, ageYears: 40 },
      model: { id: 'perez-ruixo-2021-esketamine' },
      regimen: [{ at: 0, dose: 56, unit: 'mg', route: 'intranasal' }],
      horizonMin: 240,
      resolutionSec: 10,
    });
    for (let round = 0; round < 2; round++)
      for (const plan of plans) {
        const res = await api.simulate(req([plan], { full: true }));
        expectEngine(plan, ok(res.outcomes[0]));
      }
  });

  it('pinned plans in one request keep their own buffers even when the request evicts them', async () => {
    // One grid, eleven different doses: more plans than the cache holds, so the request evicts its own first plans.
    const plans = Array.from({ length: 11 }, (_, i) => ({
      ...DEFAULT_PLAN,
      regimen: [{ at: 0, bolus: 10 + i, unit: 'mg' }],
    }));
    const res = await api.simulate(req(plans, { full: false }));
    const r0 = parsePlan(plans[0], MODEL_IDS);
    if (!r0.ok) throw new Error('invalid');
    const p0 = predict(r0.plan);
    const o0 = ok(res.outcomes[0]);
    expect(o0.metrics).toEqual(computeMetrics(p0.trajectory, o0.bands, p0.actions, 70));
    const again = await api.simulate(req([plans[0]], { full: true })); // evicted meanwhile: predicted afresh
    expectEngine(plans[0], ok(again.outcomes[0]));
  });
});
