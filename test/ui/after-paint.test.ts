// `followAfterPaint`: the panels' copy of the results follows its source once per frame, never in the same task.
import { describe, expect, it } from 'vitest';
import { followAfterPaint } from '../../ui/after-paint.ts';
import { createStore } from '../../ui/state/store.ts';

const nextChange = <T>(s: { subscribe(l: () => void): () => void; get(): T }) =>
  new Promise<T>((resolve) => {
    const off = s.subscribe(() => {
      off();
      resolve(s.get());
    });
  });

describe('followAfterPaint', () => {
  it('follows the source later, coalescing a burst into one update with the latest value', async () => {
    const source = createStore(0);
    const copy = followAfterPaint(source, 5); // node has no animation frames: the timer path
    let updates = 0;
    copy.subscribe(() => updates++);
    const changed = nextChange(copy);
    source.set(1);
    source.set(2);
    source.set(3);
    expect(copy.get()).toBe(0); // not in the same task
    expect(await changed).toBe(3);
    expect(updates).toBe(1);
    source.set(4);
    expect(await nextChange(copy)).toBe(4);
  });
  it('is read-only', () => {
    const copy = followAfterPaint(createStore('a'));
    expect(() => copy.set('b')).toThrow(/read-only/);
  });
});
