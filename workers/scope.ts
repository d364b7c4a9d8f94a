/**
 * The name of the global scope this code runs in: `DedicatedWorkerGlobalScope` inside a Web Worker,
 * something else on a main thread or in Node. Results carry it so tests can prove where the engine ran.
 */
export function scopeName(): string {
  const ctor = (globalThis as { constructor?: { name?: string } }).constructor;
  return ctor?.name || 'unknown';
}
