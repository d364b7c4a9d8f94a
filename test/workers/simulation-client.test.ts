// `SimulationClient` latest-wins, AbortSignal, error passing, idle shutdown.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulationClient, isAbortError, type ApiLike, type Connection } from '../../workers/simulation-client.ts';
import type {
  ScenarioSeriesOk,
  SimulateRequest,
  SimulateResponse,
  SimulateSeriesResponse,
} from '../../workers/simulation-api.ts';
import type { Metrics } from '../../engine/metrics.ts';

/** A fake API whose simulate calls stay pending until the test resolves them. */
function fakeConnection() {
  const calls: { req: SimulateRequest; resolve: (r: SimulateResponse) => void; reject: (e: unknown) => void }[] = [];
  let disposed = 0;
  const api = {
    simulate: (req: SimulateRequest) => new Promise<SimulateResponse>((resolve, reject) => calls.push({ req, resolve, reject })),
    catalogue: async () => ({ models: [], modelIds: [], defaultModelId: 'x' }),
  } as unknown as ApiLike;
  const connect = (): Connection => ({
    api,
    dispose: () => {
      disposed++;
    },
  });
  return { calls, connect, disposed: () => disposed };
}
const req = (tag: number): SimulateRequest => ({ plans: [{ tag }], view: null, buckets: 100, full: false });
const resp = (tag: number): SimulateResponse => ({
  outcomes: [],
  domain: { startMin: 0, endMin: tag },
  computedIn: 'test',
  workerMs: 1,
});
const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => vi.useRealTimers());

describe('SimulationClient: latest request wins', () => {
  it('sends the first request at once and holds only the newest of the rest', async () => {
    const f = fakeConnection();
    const c = new SimulationClient({ connect: f.connect, idleMs: Infinity });
    const p1 = c.simulate(req(1)),
      p2 = c.simulate(req(2)),
      p3 = c.simulate(req(3));
    expect(f.calls.map((x) => x.req.plans[0])).toEqual([{ tag: 1 }]); // 2 and 3 wait; 2 is replaced by 3
    await expect(p2).rejects.toSatisfy(isAbortError); // superseded before it was ever sent
    f.calls[0].resolve(resp(1));
    await expect(p1).rejects.toSatisfy(isAbortError); // its result is stale: dropped
    await flush();
    expect(f.calls.map((x) => x.req.plans[0])).toEqual([{ tag: 1 }, { tag: 3 }]);
    f.calls[1].resolve(resp(3));
    await expect(p3).resolves.toEqual(resp(3));
    expect(c.lastTiming?.workerMs).toBe(1);
  });

  it('delivers every result when requests do not overlap', async () => {
    const f = fakeConnection();
    const c = new SimulationClient({ connect: f.connect, idleMs: Infinity });
    const p1 = c.simulate(req(1));
    f.calls[0].resolve(resp(1));
    await expect(p1).resolves.toEqual(resp(1));
    const p2 = c.simulate(req(2));
    f.calls[1].resolve(resp(2));
    await expect(p2).resolves.toEqual(resp(2));
  });

  it('honours an AbortSignal: a waiting request is never sent, an in-flight one is dropped', async () => {
    const f = fakeConnection();
    const c = new SimulationClient({ connect: f.connect, idleMs: Infinity });
    const a1 = new AbortController(),
      a2 = new AbortController();
    const p1 = c.simulate(req(1), a1.signal);
    const p2 = c.simulate(req(2), a2.signal);
    a2.abort();
    await expect(p2).rejects.toSatisfy(isAbortError);
    a1.abort();
    f.calls[0].resolve(resp(1));
    await expect(p1).rejects.toSatisfy(isAbortError);
    expect(f.calls).toHaveLength(1);
    const pre = new AbortController();
    pre.abort();
    await expect(c.simulate(req(3), pre.signal)).rejects.toSatisfy(isAbortError);
  });

  it('passes a worker error through to the newest request, and keeps working after it', async () => {
    const f = fakeConnection();
    const c = new SimulationClient({ connect: f.connect, idleMs: Infinity });
    const p1 = c.simulate(req(1));
    f.calls[0].reject(new Error('boom'));
    await expect(p1).rejects.toThrow('boom');
    const p2 = c.simulate(req(2));
    f.calls[1].resolve(resp(2));
    await expect(p2).resolves.toEqual(resp(2));
  });

  it('shuts the worker down after idleMs without calls and starts a new one on the next call', async () => {
    vi.useFakeTimers();
    const f = fakeConnection();
    const c = new SimulationClient({ connect: f.connect, idleMs: 1000 });
    const p = c.simulate(req(1));
    expect(c.connected).toBe(true);
    vi.advanceTimersByTime(5000); // busy: no shutdown while a request is in flight
    expect(c.connected).toBe(true);
    f.calls[0].resolve(resp(1));
    await p;
    vi.advanceTimersByTime(999);
    expect(c.connected).toBe(true);
    vi.advanceTimersByTime(2);
    expect(c.connected).toBe(false);
    expect(f.disposed()).toBe(1);
    const p2 = c.simulate(req(2));
    expect(c.connections).toBe(2);
    f.calls[1].resolve(resp(2));
    await expect(p2).resolves.toEqual(resp(2));
  });

  it('rejects waiting requests when shut down', async () => {
    const f = fakeConnection();
    const c = new SimulationClient({ connect: f.connect, idleMs: Infinity });
    const p1 = c.simulate(req(1)),
      p2 = c.simulate(req(2));
    c.shutdown();
    await expect(p1).rejects.toSatisfy(isAbortError);
    await expect(p2).rejects.toSatisfy(isAbortError);
    f.calls[0].resolve(resp(1)); // a late answer from the terminated worker is ignored
    await flush();
  });
});

describe('SimulationClient: the curve first (onSeries), then the whole answer', () => {
  /** A fake API whose simulateSeries and simulateMetrics calls stay pending until the test answers them. */
  function twoPartConnection() {
    const series: { req: SimulateRequest; resolve: (r: SimulateSeriesResponse) => void }[] = [];
    const metrics: { plans: readonly unknown[]; resolve: (r: { metrics: (Metrics | null)[]; workerMs: number }) => void }[] = [];
    const api = {
      simulateSeries: (req: SimulateRequest) => new Promise((resolve) => series.push({ req, resolve })),
      simulateMetrics: (plans: readonly unknown[]) => new Promise((resolve) => metrics.push({ plans, resolve })),
    } as unknown as ApiLike;
    return { series, metrics, connect: (): Connection => ({ api, dispose: () => {} }) };
  }
  const outcome = (tag: number) => ({ ok: true, plan: { tag }, series: { tag } }) as unknown as ScenarioSeriesOk;
  const seriesResp = (tag: number): SimulateSeriesResponse => ({
    outcomes: [outcome(tag), { ok: false, problems: [{ path: 'patient.weightKg', message: 'required' }] }],
    domain: { startMin: 0, endMin: tag },
    computedIn: 'test',
    workerMs: 2,
    phases: { validateMs: 0.1, predictMs: 1.5, reduceMs: 0.4, metricsMs: 0 },
  });
  const metricsOf = (tag: number) => ({ totalDoseMg: tag }) as unknown as Metrics;

  it('posts both calls together, hands over the curves before the metrics, and resolves with both', async () => {
    const f = twoPartConnection();
    const c = new SimulationClient({ connect: f.connect, idleMs: Infinity });
    const seen: SimulateSeriesResponse[] = [];
    const p = c.simulate(req(1), undefined, (s) => seen.push(s));
    expect(f.series).toHaveLength(1);
    expect(f.metrics).toHaveLength(1); // sent right behind: the worker computes the metrics after answering the curves
    expect(f.metrics[0].plans).toEqual([{ tag: 1 }]);
    f.series[0].resolve(seriesResp(1));
    await flush();
    expect(seen).toHaveLength(1);
    expect(seen[0].outcomes[0]).toEqual(outcome(1));
    expect(c.lastTiming?.workerMs).toBe(2);
    f.metrics[0].resolve({ metrics: [metricsOf(1), null], workerMs: 3 });
    const whole = await p;
    expect(whole.outcomes[0]).toEqual({ ...outcome(1), metrics: metricsOf(1) });
    expect(whole.outcomes[1]).toEqual(seriesResp(1).outcomes[1]);
    expect(whole.domain).toEqual({ startMin: 0, endMin: 1 });
  });

  it('does not hand over the curves of a request superseded before they arrive, and rejects it', async () => {
    const f = twoPartConnection();
    const c = new SimulationClient({ connect: f.connect, idleMs: Infinity });
    const seen: number[] = [];
    const p1 = c.simulate(req(1), undefined, (s) => seen.push(s.domain.endMin));
    const p2 = c.simulate(req(2), undefined, (s) => seen.push(s.domain.endMin));
    await expect(p1).rejects.toSatisfy(isAbortError);
    f.series[0].resolve(seriesResp(1));
    f.metrics[0].resolve({ metrics: [metricsOf(1), null], workerMs: 1 });
    await flush();
    await flush();
    expect(seen).toEqual([]); // request 1's curves were stale when they came
    f.series[1].resolve(seriesResp(2));
    f.metrics[1].resolve({ metrics: [metricsOf(2), null], workerMs: 1 });
    await expect(p2).resolves.toMatchObject({ domain: { endMin: 2 } });
    expect(seen).toEqual([2]);
  });

  it('with metricsAfter, asks for the metrics only once the curves are handed over and its promise resolves', async () => {
    const f = twoPartConnection();
    const c = new SimulationClient({ connect: f.connect, idleMs: Infinity });
    const order: string[] = [];
    let paint: () => void = () => {};
    const p = c.simulate(req(1), undefined, () => order.push('series'), {
      metricsAfter: () => {
        order.push('after');
        return new Promise<void>((r) => {
          paint = r;
        });
      },
    });
    expect(f.series).toHaveLength(1);
    expect(f.metrics).toHaveLength(0); // not posted with the curves' call
    f.series[0].resolve(seriesResp(1));
    await flush();
    expect(order).toEqual(['series', 'after']);
    expect(f.metrics).toHaveLength(0); // still waiting (e.g. for the frame that paints the curve)
    paint();
    await flush();
    expect(f.metrics).toHaveLength(1);
    expect(f.metrics[0].plans).toEqual([{ tag: 1 }]);
    f.metrics[0].resolve({ metrics: [metricsOf(1), null], workerMs: 3 });
    expect((await p).outcomes[0]).toEqual({ ...outcome(1), metrics: metricsOf(1) });
  });

  it('with metricsAfter returning nothing, asks for the metrics at once after the curves', async () => {
    const f = twoPartConnection();
    const c = new SimulationClient({ connect: f.connect, idleMs: Infinity });
    const p = c.simulate(req(1), undefined, () => {}, { metricsAfter: () => undefined });
    expect(f.metrics).toHaveLength(0);
    f.series[0].resolve(seriesResp(1));
    await flush();
    expect(f.metrics).toHaveLength(1);
    f.metrics[0].resolve({ metrics: [metricsOf(1), null], workerMs: 3 });
    await expect(p).resolves.toMatchObject({ domain: { endMin: 1 } });
  });

  it('a request superseded while it waits for metricsAfter never asks for its metrics, and the newer one is sent at once', async () => {
    const f = twoPartConnection();
    const c = new SimulationClient({ connect: f.connect, idleMs: Infinity });
    const never = () => new Promise<void>(() => {});
    const p1 = c.simulate(req(1), undefined, () => {}, { metricsAfter: never });
    f.series[0].resolve(seriesResp(1));
    await flush();
    const p2 = c.simulate(req(2), undefined, () => {}, { metricsAfter: () => undefined });
    await expect(p1).rejects.toSatisfy(isAbortError);
    await flush();
    expect(f.series).toHaveLength(2); // the waiting request let go of the worker at once
    expect(f.metrics).toHaveLength(0); // request 1's metrics were never asked for
    f.series[1].resolve(seriesResp(2));
    await flush();
    expect(f.metrics).toHaveLength(1);
    expect(f.metrics[0].plans).toEqual([{ tag: 2 }]);
    f.metrics[0].resolve({ metrics: [metricsOf(2), null], workerMs: 1 });
    await expect(p2).resolves.toMatchObject({ domain: { endMin: 2 } });
  });

  it('fails loudly when the worker gives no metrics for a valid outcome', async () => {
    const f = twoPartConnection();
    const c = new SimulationClient({ connect: f.connect, idleMs: Infinity });
    const p = c.simulate(req(1), undefined, () => {});
    f.series[0].resolve(seriesResp(1));
    f.metrics[0].resolve({ metrics: [null, null], workerMs: 1 });
    await expect(p).rejects.toThrow(/no metrics for plans\[0\]/);
  });
});
