/**
 * workers/bridge.ts, the one worker bridge: latest wins per channel, AbortSignal before send and in flight,
 * idle shutdown and restart, a dead worker, and one abort error type for all of it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bridgeRemote, isAbortError, WorkerAbortError, WorkerBridge, type Connection } from '../../workers/bridge.ts';

/** A fake worker API whose calls stay pending until the test settles them. */
function fakeWorker() {
  const calls: { n: number; signal: AbortSignal; resolve: (v: number) => void; reject: (e: unknown) => void }[] = [];
  let disposed = 0;
  let fail: ((e: Error) => void) | null = null;
  const api = {
    times10: (n: number, signal: AbortSignal) =>
      new Promise<number>((resolve, reject) => calls.push({ n, signal, resolve: (v) => resolve(v), reject })),
  };
  const connect = (onFailure: (e: Error) => void): Connection<typeof api> => {
    fail = onFailure;
    return { api, dispose: () => void disposed++ };
  };
  return { calls, connect, disposed: () => disposed, die: (e: Error) => fail?.(e) };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => vi.useRealTimers());

describe('WorkerBridge: latest wins on a channel', () => {
  it('sends the first request at once, holds only the newest of the rest, and never sends a superseded one', async () => {
    const w = fakeWorker();
    const b = new WorkerBridge({ connect: w.connect, idleMs: Infinity });
    const run = (n: number) => b.run((api, signal) => api.times10(n, signal), { channel: 'c' });
    const p1 = run(1),
      p2 = run(2),
      p3 = run(3);
    await expect(p2).rejects.toSatisfy(isAbortError); // superseded while waiting: never sent
    await expect(p1).rejects.toSatisfy(isAbortError); // superseded in flight: rejected at once
    expect(w.calls.map((c) => c.n)).toEqual([1]);
    expect(w.calls[0].signal.aborted).toBe(true); // a cooperative task can stop
    expect(b.busy).toBe(true);
    w.calls[0].resolve(10); // its late answer is dropped; then 3 is sent
    await flush();
    expect(w.calls.map((c) => c.n)).toEqual([1, 3]);
    w.calls[1].resolve(30);
    await expect(p3).resolves.toBe(30);
    expect(b.sent).toBe(2);
    expect(b.busy).toBe(false);
  });

  it('channels are independent, and requests without a channel are all sent', async () => {
    const w = fakeWorker();
    const b = new WorkerBridge({ connect: w.connect, idleMs: Infinity });
    const a = b.run((api, s) => api.times10(1, s), { channel: 'a' });
    const c = b.run((api, s) => api.times10(2, s), { channel: 'b' });
    const d = b.run((api, s) => api.times10(3, s));
    const e = b.run((api, s) => api.times10(4, s));
    expect(w.calls.map((x) => x.n)).toEqual([1, 2, 3, 4]);
    for (const x of w.calls) x.resolve(x.n * 10);
    await expect(Promise.all([a, c, d, e])).resolves.toEqual([10, 20, 30, 40]);
  });

  it('a worker error rejects that request only, and the channel keeps working', async () => {
    const w = fakeWorker();
    const b = new WorkerBridge({ connect: w.connect, idleMs: Infinity });
    const p1 = b.run((api, s) => api.times10(1, s), { channel: 'c' });
    w.calls[0].reject(new Error('boom'));
    await expect(p1).rejects.toThrow('boom');
    expect(isAbortError(await p1.catch((e) => e))).toBe(false);
    const p2 = b.run((api, s) => api.times10(2, s), { channel: 'c' });
    w.calls[1].resolve(20);
    await expect(p2).resolves.toBe(20);
  });
});

describe('WorkerBridge: AbortSignal', () => {
  it('an already aborted signal: the request is never sent', async () => {
    const w = fakeWorker();
    const b = new WorkerBridge({ connect: w.connect, idleMs: Infinity });
    const ac = new AbortController();
    ac.abort();
    await expect(b.run((api, s) => api.times10(1, s), { signal: ac.signal })).rejects.toSatisfy(isAbortError);
    expect(w.calls).toHaveLength(0);
    expect(b.connected).toBe(false); // not even a worker started
  });

  it('aborted while waiting: never sent; aborted in flight: rejected at once, its answer dropped', async () => {
    const w = fakeWorker();
    const b = new WorkerBridge({ connect: w.connect, idleMs: Infinity });
    const a1 = new AbortController(),
      a2 = new AbortController();
    const p1 = b.run((api, s) => api.times10(1, s), { channel: 'c', signal: a1.signal });
    const p2 = b.run((api, s) => api.times10(2, s), { channel: 'c', signal: a2.signal });
    // p2 superseded p1 already; abort p2 while it waits
    await expect(p1).rejects.toSatisfy(isAbortError);
    a2.abort();
    await expect(p2).rejects.toSatisfy(isAbortError);
    w.calls[0].resolve(10);
    await flush();
    expect(w.calls).toHaveLength(1);
    const a3 = new AbortController();
    const p3 = b.run((api, s) => api.times10(3, s), { signal: a3.signal });
    a3.abort();
    await expect(p3).rejects.toSatisfy(isAbortError);
    expect(w.calls[1].signal.aborted).toBe(true);
    w.calls[1].resolve(30); // dropped
    await flush();
  });
});

describe('WorkerBridge: idle shutdown and restart', () => {
  it('stops the worker idleMs after the last answer (never while busy) and starts a new one on the next request', async () => {
    vi.useFakeTimers();
    const w = fakeWorker();
    const b = new WorkerBridge({ connect: w.connect, idleMs: 1000 });
    const p = b.run((api, s) => api.times10(1, s));
    expect(b.connected).toBe(true);
    vi.advanceTimersByTime(5000); // busy: no shutdown while a request is in flight
    expect(b.connected).toBe(true);
    w.calls[0].resolve(10);
    await p;
    vi.advanceTimersByTime(999);
    expect(b.connected).toBe(true);
    vi.advanceTimersByTime(2);
    expect(b.connected).toBe(false);
    expect(w.disposed()).toBe(1);
    const p2 = b.run((api, s) => api.times10(2, s));
    expect(b.connections).toBe(2);
    w.calls[1].resolve(20);
    await expect(p2).resolves.toBe(20);
  });

  it('shutdown rejects everything in flight or waiting with the one abort error, and ignores late answers', async () => {
    const w = fakeWorker();
    const b = new WorkerBridge({ connect: w.connect, idleMs: Infinity });
    const p1 = b.run((api, s) => api.times10(1, s), { channel: 'c' });
    const p2 = b.run((api, s) => api.times10(2, s), { channel: 'c' });
    const p3 = b.run((api, s) => api.times10(3, s));
    b.shutdown();
    for (const p of [p1, p2, p3]) {
      const e = await p.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(WorkerAbortError);
      expect(isAbortError(e)).toBe(true);
    }
    expect(w.disposed()).toBe(1);
    w.calls[0].resolve(10);
    await flush();
    expect(b.busy).toBe(false);
  });

  it('a worker that dies rejects what it was doing with its message, and the next request starts a new worker', async () => {
    const w = fakeWorker();
    const b = new WorkerBridge({ connect: w.connect, idleMs: Infinity });
    const p1 = b.run((api, s) => api.times10(1, s), { channel: 'c' });
    w.die(new Error('the x worker failed: out of memory'));
    await expect(p1).rejects.toThrow('out of memory');
    expect(b.connected).toBe(false);
    const p2 = b.run((api, s) => api.times10(2, s), { channel: 'c' });
    expect(b.connections).toBe(2);
    w.calls[1].resolve(20);
    await expect(p2).resolves.toBe(20);
  });
});

describe('the one abort error', () => {
  it('is recognised by name, so it survives comlink (which keeps name and message only)', () => {
    const e = new WorkerAbortError();
    expect(e.name).toBe('AbortError');
    expect(isAbortError({ name: e.name, message: e.message })).toBe(true);
    expect(isAbortError(new DOMException('x', 'AbortError'))).toBe(true);
    expect(isAbortError(new Error('boom'))).toBe(false);
    expect(isAbortError(null)).toBe(false);
  });
});

describe('bridgeRemote', () => {
  it('calls the worker API by name through the bridge, every call sent', async () => {
    const api = { add: async (a: number, b: number) => a + b, whereAmI: async () => 'test' };
    const remote = bridgeRemote<typeof api>(new WorkerBridge({ connect: () => ({ api: api as never, dispose() {} }) }));
    await expect(Promise.all([remote.add(1, 2), remote.add(3, 4), remote.whereAmI()])).resolves.toEqual([3, 7, 'test']);
  });
});
