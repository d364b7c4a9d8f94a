/** Types for scripts/vite-sw-plugin.mjs (writes dist/sw.js: the precache list with SHA-256 hashes and the build version). */
export interface PrecacheEntry {
  readonly path: string;
  readonly sha256: string;
}
export declare const SW_FILE: string;
export declare const CACHE_PREFIX: string;
export declare function precacheList(dir: string): PrecacheEntry[];
export declare function buildVersion(list: readonly PrecacheEntry[]): string;
export declare function serviceWorkerSource(version: string, list: readonly PrecacheEntry[]): string;
export declare function precacheServiceWorker(): import('vite').Plugin;
