/** Types for scripts/build-cli.mjs (the Node bundles in build/; rebuilt when stale). */
export declare const ROOT_DIR: string;
export declare const BUILD_DIR: string;
export declare const ENTRIES: readonly {
  entry: string;
  out: string;
  format: 'esm' | 'cjs';
  minify?: boolean;
}[];
export declare function staleReason(): string | null;
export declare function build(options?: { log?: (line: string) => void }): Promise<{ inputs: number; ms: number }>;
export declare function ensureBuilt(options?: { log?: (line: string) => void }): Promise<string>;
