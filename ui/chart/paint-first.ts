// `paintFirst`: the chart's copy of the results; an answer its fast path painted reaches React after that frame.
import { afterNextPaint } from '../after-paint.ts';
import type { Store } from '../state/store.ts';

/**
 * A read-only copy of `source` for the concentration chart, with a fast path in front of React. On each
 * change of `source`, the connected `paint` may draw the new value into the chart's DOM itself (the Cp
 * and Ce path `d` attributes, built by the same functions React's render uses) and return true: the
 * copy then follows `source` just after the next frame is painted, so React's render of the chart (axes,
 * bands, dose track: all unchanged by such an answer) never sits between the answer and the frame that
 * paints it, and, when it comes, writes the very same strings. When `paint` returns false (the axes, the
 * window or the set of series would change; nothing painted yet), the copy follows at once, as before.
 * Until `connect` is called the copy reads `source` directly.
 */
export interface PaintFirst<T> extends Store<T> {
  /** Start following `source` with `paint` in front; returns the disconnect function. */
  connect(paint: (value: T) => boolean): () => void;
}

export function paintFirst<T>(source: Store<T>, afterPaint: (cb: () => void) => () => void = afterNextPaint): PaintFirst<T> {
  let value = source.get();
  let connected = false;
  let cancel: (() => void) | null = null;
  const listeners = new Set<() => void>();
  const publish = () => {
    const v = source.get();
    if (Object.is(v, value)) return;
    value = v;
    for (const l of [...listeners]) l();
  };
  return {
    get: () => (connected ? value : source.get()),
    set: () => {
      throw new Error('paintFirst: read-only; set the source store');
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connect(paint) {
      connected = true;
      value = source.get(); // what `get` returned until now: no change to announce
      const unsubscribe = source.subscribe(() => {
        const v = source.get();
        if (Object.is(v, value)) return;
        if (paint(v)) {
          cancel ??= afterPaint(() => {
            cancel = null;
            publish();
          });
          return;
        }
        cancel?.();
        cancel = null;
        publish();
      });
      return () => {
        unsubscribe();
        cancel?.();
        cancel = null;
        connected = false;
      };
    },
  };
}
