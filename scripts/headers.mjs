// The dashboard's HTTP response headers (CSP, nosniff, referrer, COOP/COEP/CORP): the one set used by vite preview, vite dev and the nginx example.
//
// Run `node scripts/headers.mjs --nginx` to print the same set as nginx `add_header` lines.
import { pathToFileURL } from 'node:url';

/**
 * Cross-origin isolation (COOP + COEP): lets the population pool use SharedArrayBuffer (its faster
 * shared-memory shape; without isolation it falls back to the time-split shape, same results). Every
 * asset and worker is same-origin, so require-corp blocks nothing the app loads.
 */
export const ISOLATION_HEADERS = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
});

/**
 * The Content-Security-Policy of the built app, one directive per entry. Everything the app loads is a
 * file of its own origin, so each fetch kind is 'self' or 'none':
 * - script-src 'self': no inline script, no eval (the built index.html loads one module file; Vite's
 *   module-preload polyfill is bundled into that file, not inlined).
 * - worker-src 'self': the simulation, live and population workers are module files in assets/, and the
 *   service worker is sw.js; no worker is started from a blob: or data: URL, so neither is allowed.
 * - style-src 'self': the stylesheets are files. React (style props) and recharts set styles through
 *   the CSSOM (element.style.setProperty), which CSP does not govern; only <style> elements and style
 *   attributes parsed from markup are, and the app creates neither, so no 'unsafe-inline' is needed
 *   (test/e2e/headers.test.ts listens for violations through a prediction, the population toggle, Live
 *   mode and the Course tab).
 * - img-src 'self' data:: the PNG export draws the chart's SVG through a data: image onto a canvas.
 * - connect-src 'self': the service worker's precache fetches; the app makes no other request.
 * - manifest-src 'self': the web app manifest.
 * - frame-ancestors 'none': no page may frame the app (clickjacking); base-uri, object-src, form-action,
 *   frame-src 'none': nothing uses them.
 */
export const CSP_DIRECTIVES = Object.freeze({
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'worker-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'frame-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'object-src': ["'none'"],
  'form-action': ["'none'"],
});

/** A directive map as a Content-Security-Policy header value. */
export function cspValue(directives = CSP_DIRECTIVES) {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/**
 * Every header of a response from the built app (document, scripts, workers, the service worker, the
 * manifest, icons). Cross-Origin-Resource-Policy: same-origin stops other sites embedding the app's
 * files (the counterpart of COEP require-corp for anyone else).
 */
export const SECURITY_HEADERS = Object.freeze({
  'Content-Security-Policy': cspValue(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  ...ISOLATION_HEADERS,
  'Cross-Origin-Resource-Policy': 'same-origin',
});

/**
 * The nonce `vite dev` puts on the tags it injects (html.cspNonce, set by `devCspNonce()` below). Only
 * the dev server uses it: its React Refresh preamble is an inline module script and its CSS hot reload
 * adds <style> elements, so dev allows exactly those tags through this fixed nonce. A nonce that never
 * changes protects nothing against an attacker, which is why the built app does not use one at all.
 */
export const DEV_NONCE = 'ketasim-dev';

/** The dev server's headers: the same set, with the dev nonce added to script-src and style-src. */
export const DEV_HEADERS = Object.freeze({
  ...SECURITY_HEADERS,
  'Content-Security-Policy': cspValue({
    ...CSP_DIRECTIVES,
    'script-src': [...CSP_DIRECTIVES['script-src'], `'nonce-${DEV_NONCE}'`],
    'style-src': [...CSP_DIRECTIVES['style-src'], `'nonce-${DEV_NONCE}'`],
  }),
});

/** Vite plugin: in `vite dev` only, put DEV_NONCE on the script and style tags Vite and its plugins inject. */
export function devCspNonce() {
  return { name: 'ketasim-dev-csp-nonce', apply: 'serve', config: () => ({ html: { cspNonce: DEV_NONCE } }) };
}

/** The headers as nginx `add_header … always;` lines (for a `location` serving dist/). */
export function nginxAddHeaders(headers = SECURITY_HEADERS) {
  return Object.entries(headers)
    .map(([name, value]) => `add_header ${name} "${value}" always;`)
    .join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--nginx') console.log(nginxAddHeaders());
  else console.log(JSON.stringify(SECURITY_HEADERS, null, 2));
}
