// A comlink endpoint over node:worker_threads (a Worker, or a worker's parentPort): comlink's node adapter, typed.
import type { MessagePort, Worker } from 'node:worker_threads';
import type * as Comlink from 'comlink';

/** A comlink endpoint around a worker_threads Worker or the worker's `parentPort` (comlink's node adapter, typed). */
export function nodeEndpoint(w: Worker | MessagePort): Comlink.Endpoint {
  const listeners = new WeakMap<object, (data: unknown) => void>();
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) => w.postMessage(message, transfer as never),
    addEventListener: (_type: string, handler: EventListenerOrEventListenerObject) => {
      const l = (data: unknown) => {
        if ('handleEvent' in handler) handler.handleEvent({ data } as MessageEvent);
        else handler({ data } as MessageEvent);
      };
      w.on('message', l);
      listeners.set(handler, l);
    },
    removeEventListener: (_type: string, handler: EventListenerOrEventListenerObject) => {
      const l = listeners.get(handler);
      if (!l) return;
      w.off('message', l);
      listeners.delete(handler);
    },
  };
}
