/** Types for scripts/headers.mjs (the dashboard's HTTP response headers, one set for preview, dev and nginx). */
export declare const ISOLATION_HEADERS: Readonly<Record<'Cross-Origin-Opener-Policy' | 'Cross-Origin-Embedder-Policy', string>>;
export declare const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>>;
export declare function cspValue(directives?: Readonly<Record<string, readonly string[]>>): string;
export declare const SECURITY_HEADERS: Readonly<Record<string, string>>;
export declare const DEV_NONCE: string;
export declare const DEV_HEADERS: Readonly<Record<string, string>>;
export declare function devCspNonce(): import('vite').Plugin;
export declare function nginxAddHeaders(headers?: Readonly<Record<string, string>>): string;
