// `followAfterPaint`: a read-only copy of a store that follows it after the next frame is painted; `afterNextPaint`.
import { createStore, type Store } from './state/store.ts';

/**
 * A read-only copy of `source` that follows it just after the next frame has been painted: a
 * requestAnimationFrame callback (which runs right before that frame's paint) posts a MessageChannel
 * message, which runs after it. The concentration chart reads `source`, so an edit's frame carries
 * the new curve alone; every other panel reads the copy and renders in the task after that paint,
 * where it cannot delay the curve. A timer covers hidden tabs, which get no animation frames.
 */
export function followAfterPaint<T>(source: Store<T>, hiddenFallbackMs = 100): Store<T> {
  const copy = createStore(source.get());
  const channel = new MessageChannel();
  let queued = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  channel.port1.onmessage = () => {
    if (!queued) return;
    queued = false;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    copy.set(source.get());
  };
  const post = () => channel.port2.postMessage(null);
  source.subscribe(() => {
    if (queued) return;
    queued = true;
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(post);
    timer = setTimeout(post, hiddenFallbackMs);
  });
  return {
    get: copy.get,
    subscribe: copy.subscribe,
    set: () => {
      throw new Error('followAfterPaint: read-only; set the source store');
    },
  };
}

/**
 * Call `cb` once, just after the next frame has been painted: a requestAnimationFrame callback posts a
 * MessageChannel message, which runs after that frame; a timer covers hidden tabs (no frames). Returns a
 * cancel function.
 */
export function afterNextPaint(cb: () => void, hiddenFallbackMs = 100): () => void {
  let done = false;
  const channel = new MessageChannel();
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    channel.port1.close();
    cb();
  };
  channel.port1.onmessage = once;
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => channel.port2.postMessage(null));
  const timer = setTimeout(once, hiddenFallbackMs);
  return () => {
    done = true;
    clearTimeout(timer);
    channel.port1.close();
  };
}
