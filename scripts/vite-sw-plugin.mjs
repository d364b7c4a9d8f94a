// Vite plugin: after the build is written, writes dist/sw.js, a service worker precaching every file of dist/ (listed with SHA-256 hashes) under a build version.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The service worker's file name in dist/ (registered by ui/offline.ts as `./sw.js`). */
export const SW_FILE = 'sw.js';

/** The prefix of every cache the service worker owns (older versions' caches are deleted on activation). */
export const CACHE_PREFIX = 'ketasim-';

/**
 * Every file under `dir` as { path (relative, '/'-separated), sha256 (hex) }, in path order, except the
 * service worker itself and dot-files/dot-folders (build metadata such as .vite/, never served to the app).
 */
export function precacheList(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) {
        const path = relative(dir, full).split(sep).join('/');
        if (path !== SW_FILE) out.push({ path, sha256: createHash('sha256').update(readFileSync(full)).digest('hex') });
      }
    }
  };
  walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The build version: the first 16 hex digits of the SHA-256 of the precache list (same files → same version). */
export function buildVersion(list) {
  return createHash('sha256')
    .update(list.map((f) => `${f.path} ${f.sha256}\n`).join(''))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The service worker, written into sw.js as source text (called there with the version and the list).
 * - install: fetches every listed file past the HTTP cache, checks its SHA-256 against the list (a server
 *   holding another build fails the install, so a version never caches a mix of two builds), stores it
 *   with its response headers (CSP, COOP/COEP: a document served from the cache is isolated as before).
 *   The first install takes control at once; a later one waits until the page asks (the "Update
 *   available — reload" notice, ui/offline.ts), so a running session never changes code under it.
 * - activate: deletes the caches of other versions, then claims the open pages.
 * - fetch: cache-first for a listed file (a navigation to the app's folder is index.html); anything
 *   else is left to the browser (the app makes no other request).
 */
function serviceWorker(version, files, cachePrefix) {
  const cacheName = `${cachePrefix}${version}`;
  const scope = self.registration.scope;
  const index = new URL('index.html', scope).href;
  const listed = new Map(files.map((f) => [new URL(f.path, scope).href, f]));
  const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

  async function precache() {
    const cache = await caches.open(cacheName);
    await Promise.all(
      files.map(async (f) => {
        const url = new URL(f.path, scope).href;
        const res = await fetch(url, { cache: 'reload' });
        if (!res.ok) throw new Error(`sw ${version}: ${f.path} answered HTTP ${res.status}`);
        const body = await res.arrayBuffer();
        const sha = hex(await crypto.subtle.digest('SHA-256', body));
        if (sha !== f.sha256) throw new Error(`sw ${version}: ${f.path} has sha256 ${sha}, this version lists ${f.sha256}`);
        // A fresh response (not the fetched one) so a redirect on the way is never replayed to a navigation.
        await cache.put(url, new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers }));
      }),
    );
  }

  self.addEventListener('install', (event) => {
    event.waitUntil(precache().then(() => (self.registration.active ? undefined : self.skipWaiting())));
  });

  self.addEventListener('activate', (event) => {
    event.waitUntil(
      (async () => {
        for (const key of await caches.keys()) if (key.startsWith(cachePrefix) && key !== cacheName) await caches.delete(key);
        await self.clients.claim();
      })(),
    );
  });

  self.addEventListener('message', (event) => {
    if (event.data?.type === 'ketasim:skip-waiting') self.skipWaiting();
  });

  self.addEventListener('fetch', (event) => {
    const req = event.request;
    if (req.method !== 'GET') return;
    const url = new URL(req.url);
    url.hash = '';
    if (url.search) return;
    const key = req.mode === 'navigate' && url.href === scope ? index : url.href;
    if (!listed.has(key)) return;
    event.respondWith(
      caches
        .open(cacheName)
        .then((cache) => cache.match(key))
        .then((hit) => hit ?? fetch(req)),
    );
  });
}

/** The text of sw.js for a version and a precache list. */
export function serviceWorkerSource(version, list) {
  return (
    `// KetaSim service worker, version ${version}: precaches the ${list.length} files of this build (generated by scripts/vite-sw-plugin.mjs).\n` +
    `const VERSION = ${JSON.stringify(version)};\n` +
    `const PRECACHE = ${JSON.stringify(list, null, 1)};\n` +
    `(${serviceWorker.toString()})(VERSION, PRECACHE, ${JSON.stringify(CACHE_PREFIX)});\n`
  );
}

/** Vite plugin (build only): once the bundle is on disk, write sw.js listing every file in the output folder. */
export function precacheServiceWorker() {
  return {
    name: 'ketasim-service-worker',
    apply: 'build',
    writeBundle: {
      sequential: true,
      order: 'post',
      handler(options) {
        if (!options.dir) throw new Error('ketasim-service-worker: the build has no output folder (build.outDir)');
        const list = precacheList(options.dir);
        writeFileSync(join(options.dir, SW_FILE), serviceWorkerSource(buildVersion(list), list));
      },
    },
  };
}
