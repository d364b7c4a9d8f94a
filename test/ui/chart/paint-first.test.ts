// `paintFirst`: the chart's copy of the results follows at once, or after the frame when the fast path painted.
import { describe, expect, it } from 'vitest';
import { paintFirst } from '../../../ui/chart/paint-first.ts';
import { createStore } from '../../../ui/state/store.ts';

/** An afterPaint whose callbacks run when the test says the frame was painted. */
function frames() {
  const queued: (() => void)[] = [];
  let cancelled = 0;
  const afterPaint = (cb: () => void) => {
    let live = true;
    queued.push(() => {
      if (live) cb();
    });
    return () => {
      live = false;
      cancelled++;
    };
  };
  return { afterPaint, paint: () => queued.splice(0).forEach((f) => f()), cancelled: () => cancelled };
}

describe('paintFirst', () => {
  it('reads the source until connected, then follows it at once when nothing was painted', () => {
    const source = createStore(1);
    const f = frames();
    const copy = paintFirst(source, f.afterPaint);
    source.set(2);
    expect(copy.get()).toBe(2);
    let updates = 0;
    copy.subscribe(() => updates++);
    const seen: number[] = [];
    copy.connect((v) => {
      seen.push(v);
      return false;
    });
    source.set(3);
    expect(copy.get()).toBe(3);
    expect(seen).toEqual([3]);
    expect(updates).toBe(1);
  });

  it('holds a painted value back until the frame is painted, then publishes the latest', () => {
    const source = createStore('a');
    const f = frames();
    const copy = paintFirst(source, f.afterPaint);
    let updates = 0;
    copy.subscribe(() => updates++);
    copy.connect(() => true);
    source.set('b');
    source.set('c'); // a second painted answer in the same frame: one publication
    expect(copy.get()).toBe('a');
    expect(updates).toBe(0);
    f.paint();
    expect(copy.get()).toBe('c');
    expect(updates).toBe(1);
  });

  it('publishes at once (and drops the pending frame) when a later value cannot be painted', () => {
    const source = createStore(0);
    const f = frames();
    const copy = paintFirst(source, f.afterPaint);
    copy.connect((v) => v < 10);
    source.set(1);
    expect(copy.get()).toBe(0);
    source.set(10);
    expect(copy.get()).toBe(10);
    expect(f.cancelled()).toBe(1);
    f.paint();
    expect(copy.get()).toBe(10);
  });

  it('stops following when disconnected (and reads the source again), and is read-only', () => {
    const source = createStore(0);
    const f = frames();
    const copy = paintFirst(source, f.afterPaint);
    let calls = 0;
    const disconnect = copy.connect(() => {
      calls++;
      return true;
    });
    source.set(1);
    disconnect();
    expect(f.cancelled()).toBe(1);
    source.set(2);
    expect(calls).toBe(1);
    expect(copy.get()).toBe(2);
    expect(() => copy.set(3)).toThrow(/read-only/);
  });
});
