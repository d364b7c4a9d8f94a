// Build the dashboard when dist/ is missing or older than its sources, and serve dist/ with vite's
// preview server. Shared by `npm start` (scripts/start.mjs), the e2e tests' global setup and the UI
// bench, so all three serve the same production build.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the build goes: dist/, or $KETASIM_DIST_DIR (an absolute path) to keep a separate build, e.g. one per engineer. */
export const DIST_DIR = process.env.KETASIM_DIST_DIR || join(ROOT_DIR, 'dist');
const CONFIG = join(ROOT_DIR, 'vite.config.ts');
/** What the build reads: the app, the worker, the engine, the build config (and its service-worker plugin) and the dependency set. */
const SOURCES = [
  'ui',
  'workers',
  'engine',
  'vite.config.ts',
  'scripts/app-build.mjs',
  'scripts/vite-sw-plugin.mjs',
  'package.json',
  'package-lock.json',
];
const LOCK = `${DIST_DIR}.lock`;

/** Newest modification time (ms) under a file or folder. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of readdirSync(path)) m = Math.max(m, newest(join(path, e)));
  return m;
}

/** Why dist/ must be rebuilt, or null when it is up to date. */
export function staleReason() {
  const index = join(DIST_DIR, 'index.html');
  if (!existsSync(index)) return 'dist/ has no build yet';
  const built = statSync(index).mtimeMs;
  for (const s of SOURCES) if (newest(join(ROOT_DIR, s)) > built) return `${s} changed since the last build`;
  return null;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Hold a lock file while building, so two processes (tests and `npm start`) never write dist/ at once. */
async function withLock(fn) {
  mkdirSync(dirname(LOCK), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      closeSync(openSync(LOCK, 'wx'));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock older than 3 min belongs to a build that died.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 180_000) unlinkSync(LOCK);
      } catch {
        /* gone already */
      }
      if (Date.now() - started > 240_000) throw new Error(`waited 4 min for ${LOCK}; remove it if no build is running`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(LOCK);
    } catch {
      /* already removed */
    }
  }
}

/**
 * Build dist/ if it is missing or stale. Returns what happened: { built: boolean, reason, ms }.
 * `log` receives one line before a build starts (progress for anything over half a second).
 */
export async function ensureBuilt({ log = () => {}, force = false } = {}) {
  const t0 = Date.now();
  return withLock(async () => {
    const reason = force ? 'forced' : staleReason();
    if (!reason) return { built: false, reason: 'up to date', ms: Date.now() - t0 };
    log(`Building the dashboard (${reason})…`);
    const { build } = await import('vite');
    // Always the production build: vitest sets NODE_ENV=test, and under any NODE_ENV but production Vite
    // bundles React's development build with import.meta.env.PROD false (no service worker).
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: CONFIG, logLevel: 'warn' });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    return { built: true, reason, ms: Date.now() - t0 };
  });
}

/**
 * Serve dist/ with `vite preview` on `port` (strict: fails if taken). Returns { url, close }.
 * Port 0 picks a free port.
 */
export async function servePreview({ port = 4173, host = 'localhost' } = {}) {
  const { preview } = await import('vite');
  const server = await preview({ configFile: CONFIG, logLevel: 'warn', preview: { port, strictPort: true, host, open: false } });
  const addr = server.httpServer.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `http://${host}:${actual}/`,
    port: actual,
    close: () =>
      new Promise((resolve) => {
        server.httpServer.closeAllConnections?.();
        server.close().then(resolve, resolve);
      }),
  };
}
