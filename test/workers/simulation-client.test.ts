// `SimulationClient` latest-wins, AbortSignal, error passing, idle shutdown.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulationClient, isAbortError, type ApiLike, type Connection } from '../../workers/simulation-client.ts';
import type { SimulateRequest, SimulateResponse } from '../../workers/simulation-api.ts';

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
