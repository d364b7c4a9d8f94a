// Minimal external store: `createStore`, `useStore` (useSyncExternalStore), `followLater` (mirror one task later).
import { useSyncExternalStore } from 'react';

/**
 * A minimal external store (React's useSyncExternalStore contract): one immutable value, replaced by
 * `set`, with subscribers called after each change. The scenario record and the results each live in
 * one; non-React code (the simulation controller, tests, future panels) subscribes without React.
 */
export interface Store<T> {
  get(): T;
  set(next: T | ((prev: T) => T)): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      const v = typeof next === 'function' ? (next as (prev: T) => T)(value) : next;
      if (Object.is(v, value)) return;
      value = v;
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Read a slice of a store in a component; re-renders only when the slice changes (by Object.is). */
export function useStore<T, S>(store: Store<T>, select: (v: T) => S): S {
  return useSyncExternalStore(
    store.subscribe,
    () => select(store.get()),
    () => select(store.get()),
  );
}

/**
 * A read-only copy of `source` that follows it one task later (a MessageChannel message, which is
 * not clamped like a timer). Panels that need not repaint in the same frame as the chart read the
 * copy, so an edit's first commit is the chart alone and the rest render in the next task.
 */
export function followLater<T>(source: Store<T>): Store<T> {
  const copy = createStore(source.get());
  const channel = new MessageChannel();
  let queued = false;
  channel.port1.onmessage = () => {
    queued = false;
    copy.set(source.get());
  };
  source.subscribe(() => {
    if (queued) return;
    queued = true;
    channel.port2.postMessage(null);
  });
  return {
    get: copy.get,
    subscribe: copy.subscribe,
    set: () => {
      throw new Error('followLater: read-only; set the source store');
    },
  };
}
