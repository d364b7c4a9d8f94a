// Controller: one request per frame, display-only changes skipped, last valid prediction kept; `followLater`.
import { describe, expect, it } from 'vitest';
import { api, type SimulateRequest } from '../../../workers/simulation-api.ts';
import { SimulationClient, type ApiLike } from '../../../workers/simulation-client.ts';
import { startSimulation, current, type Layout } from '../../../ui/state/simulation.ts';
import { createStore, followLater } from '../../../ui/state/store.ts';
import { defaultScenario, type Scenario } from '../../../ui/state/scenario.ts';
import { setDisplay, setPatientField, updateEvent } from '../../../ui/state/actions.ts';

/** The controller over the real API (called directly), with frames advanced by hand and requests recorded. */
function harness() {
  const sent: SimulateRequest[] = [];
  const client = new SimulationClient({
    connect: () => ({ api: api as unknown as ApiLike, dispose: () => {} }),
    idleMs: Infinity,
  });
  const simulate = client.simulate.bind(client);
  // Record what the controller asks for (the client may still drop superseded ones: tested in test/workers).
  client.simulate = (req, signal, onSeries) => {
    sent.push(structuredClone(req));
    return simulate(req, signal, onSeries);
  };
  const frames: (() => void)[] = [];
  const scenario = createStore<Scenario>(defaultScenario());
  const layout = createStore<Layout>({ plotWidthPx: 700 });
  const sim = startSimulation({ scenario, layout, client, nextFrame: (cb) => frames.push(cb) });
  const frame = () => frames.splice(0).forEach((f) => f());
  // Wait for values, not for time: every request answered (not busy) and the model list in.
  const settle = () =>
    new Promise<void>((resolve) => {
      const done = () => !sim.results.get().busy && sim.results.get().catalogue !== null;
      if (done()) return resolve();
      const unsubscribe = sim.results.subscribe(() => {
        if (done()) {
          unsubscribe();
          resolve();
        }
      });
    });
  return { sent, scenario, layout, sim, frame, settle };
}

describe('the simulation controller: every edit re-predicts, at most one request per frame', () => {
  it('predicts the opening scenario at once', async () => {
    const h = harness();
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0].buckets).toBe(700);
    await h.settle();
    const r = h.sim.results.get();
    expect(current(r)?.metrics.totalDoseMg).toBeCloseTo(35, 10);
    expect(r.problems).toBeNull();
    expect(r.busy).toBe(false);
    expect(r.catalogue?.modelIds).toContain('domino-1984');
  });

  it('coalesces a burst of edits in one frame into one request carrying the last edit', async () => {
    const h = harness();
    h.frame();
    await h.settle();
    const uid = h.scenario.get().plan.regimen[0].uid;
    h.scenario.set((s) => updateEvent(s, uid, { dose: 0.6 })); // leading edge: goes at once
    h.scenario.set((s) => updateEvent(s, uid, { dose: 0.7 }));
    h.scenario.set((s) => updateEvent(s, uid, { dose: 0.8 }));
    expect(h.sent).toHaveLength(2);
    h.frame();
    expect(h.sent).toHaveLength(3);
    expect((h.sent[2].plans[0] as { regimen: { dose: number }[] }).regimen[0].dose).toBe(0.8);
    h.frame(); // nothing new: nothing sent
    expect(h.sent).toHaveLength(3);
    await h.settle();
    expect(current(h.sim.results.get())?.metrics.totalDoseMg).toBeCloseTo(0.8 * 70, 10);
  });

  it('does not re-predict for display-only changes, but does for a new plot width', async () => {
    const h = harness();
    h.frame();
    h.scenario.set((s) => setDisplay(s, { weightUnit: 'lb' }));
    h.frame();
    expect(h.sent).toHaveLength(1);
    h.layout.set({ plotWidthPx: 900 });
    expect(h.sent).toHaveLength(2);
    expect(h.sent[1].buckets).toBe(900);
  });

  it('keeps the last valid prediction on screen while the draft has problems', async () => {
    const h = harness();
    await h.settle();
    const before = h.sim.results.get().shown;
    h.frame();
    h.scenario.set((s) => setPatientField(s, 'weightKg', 'abc'));
    await h.settle();
    const r = h.sim.results.get();
    expect(r.shown).toBe(before);
    expect(r.problems?.map((p) => p.path)).toEqual(['patient.weightKg']);
    h.frame();
    h.scenario.set((s) => setPatientField(s, 'weightKg', 80));
    await h.settle();
    expect(h.sim.results.get().problems).toBeNull();
    expect(current(h.sim.results.get())?.plan.patient.weightKg).toBe(80);
  });

  it('followLater(store) mirrors a store one task later', async () => {
    const src = createStore(1);
    const copy = followLater(src);
    src.set(2);
    src.set(3);
    expect(copy.get()).toBe(1);
    await new Promise<void>((resolve) => {
      const unsubscribe = copy.subscribe(() => {
        unsubscribe();
        resolve();
      });
    });
    expect(copy.get()).toBe(3);
    expect(() => copy.set(4)).toThrow(/read-only/);
  });

  it("shows an edit's curve before its metrics: the chart store at once, the panels' store only whole", async () => {
    // The real API, with the metrics half held back until the test lets it go.
    let release: () => void = () => {};
    const held = { api: { ...api } as typeof api };
    held.api.simulateMetrics = async (plans) => {
      await new Promise<void>((r) => {
        release = r;
      });
      return api.simulateMetrics(plans);
    };
    const client = new SimulationClient({
      connect: () => ({ api: held.api as unknown as ApiLike, dispose: () => {} }),
      idleMs: Infinity,
    });
    const scenario = createStore<Scenario>(defaultScenario());
    const layout = createStore<Layout>({ plotWidthPx: 700 });
    const frames: (() => void)[] = [];
    const sim = startSimulation({ scenario, layout, client, nextFrame: (cb) => frames.push(cb) });
    const until = (cond: () => boolean) =>
      new Promise<void>((resolve) => {
        if (cond()) return resolve();
        const unsubscribe = sim.results.subscribe(() => {
          if (cond()) {
            unsubscribe();
            resolve();
          }
        });
      });
    // The first answer has no earlier metrics to stand in: it is shown whole, in both stores.
    await until(() => sim.results.get().shown !== null || sim.results.get().busy);
    expect(sim.results.get().shown).toBeNull();
    release();
    await until(() => !sim.results.get().busy);
    const first = sim.results.get().shown;
    expect(current(sim.results.get())?.metrics.totalDoseMg).toBeCloseTo(35, 10);
    expect(sim.complete.get().shown).toBe(first);

    frames.splice(0).forEach((f) => f());
    const uid = scenario.get().plan.regimen[0].uid;
    scenario.set((s) => updateEvent(s, uid, { dose: 0.6 }));
    await until(() => sim.results.get().shown !== first);
    // The curve of the edit is in the chart's store while its metrics are still being computed …
    const early = sim.results.get();
    expect(early.busy).toBe(true);
    const edited = current(early);
    if (!edited) throw new Error('no valid outcome shown');
    expect((edited.plan.regimen[0] as { dose: number }).dose).toBe(0.6);
    expect(edited.series.ce.length).toBeGreaterThan(0);
    // … and the panels' store still holds the whole previous answer (curve and metrics of one plan).
    expect(sim.complete.get().shown).toBe(first);
    expect(current(sim.complete.get())?.metrics.totalDoseMg).toBeCloseTo(35, 10);
    release();
    await until(() => !sim.results.get().busy);
    const done = sim.results.get();
    expect(current(done)?.metrics.totalDoseMg).toBeCloseTo(0.6 * 70, 10);
    expect(current(done)?.series).toBe(current(early)?.series); // the same curve, now with its own metrics
    expect(sim.complete.get().shown).toBe(done.shown);
    sim.stop();
  });

  it("with metricsAfterPaint, asks for an edit's metrics only after the frame that paints its curve", async () => {
    const metricsCalls: unknown[][] = [];
    const counted = { ...api } as typeof api;
    counted.simulateMetrics = (plans) => {
      metricsCalls.push([...plans]);
      return api.simulateMetrics(plans);
    };
    const client = new SimulationClient({
      connect: () => ({ api: counted as unknown as ApiLike, dispose: () => {} }),
      idleMs: Infinity,
    });
    const scenario = createStore<Scenario>(defaultScenario());
    const layout = createStore<Layout>({ plotWidthPx: 700 });
    const frames: (() => void)[] = [];
    const painted: (() => void)[] = [];
    const sim = startSimulation({
      scenario,
      layout,
      client,
      nextFrame: (cb) => frames.push(cb),
      afterPaint: (cb) => painted.push(cb),
      metricsAfterPaint: true,
    });
    const until = (cond: () => boolean, store = sim.results) =>
      new Promise<void>((resolve) => {
        if (cond()) return resolve();
        const unsubscribe = store.subscribe(() => {
          if (cond()) {
            unsubscribe();
            resolve();
          }
        });
      });
    // The first answer has nothing on screen to stand in for it: its metrics are asked for at once.
    await until(() => !sim.results.get().busy && sim.results.get().shown !== null);
    expect(metricsCalls).toHaveLength(1);
    const first = sim.results.get().shown;
    frames.splice(0).forEach((f) => f());
    const uid = scenario.get().plan.regimen[0].uid;
    scenario.set((s) => updateEvent(s, uid, { dose: 0.6 }));
    await until(() => sim.results.get().shown !== first);
    await new Promise((r) => setTimeout(r, 0)); // let the client reach its wait
    expect(metricsCalls).toHaveLength(1); // the curve is shown; its metrics wait for the paint
    expect(painted.length).toBeGreaterThan(0);
    painted.splice(0).forEach((f) => f());
    await until(() => metricsCalls.length === 2 && current(sim.complete.get())?.metrics.totalDoseMg !== 35, sim.complete);
    expect(current(sim.complete.get())?.metrics.totalDoseMg).toBeCloseTo(0.6 * 70, 10);
    painted.splice(0).forEach((f) => f()); // the chart's store takes the whole answer after its paint
    await until(() => !sim.results.get().busy);
    expect(current(sim.results.get())?.metrics.totalDoseMg).toBeCloseTo(0.6 * 70, 10);
    sim.stop();
  });
});
