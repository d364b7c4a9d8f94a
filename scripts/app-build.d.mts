/** Types for scripts/app-build.mjs (build dist/ when stale; serve it with vite preview). */
export declare const ROOT_DIR: string;
export declare const DIST_DIR: string;
export declare function staleReason(): string | null;
export declare function ensureBuilt(options?: {
  log?: (line: string) => void;
  force?: boolean;
}): Promise<{ built: boolean; reason: string; ms: number }>;
export declare function servePreview(options?: {
  port?: number;
  host?: string;
}): Promise<{ url: string; port: number; close: () => Promise<void> }>;
