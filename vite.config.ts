import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The dashboard's build. The app lives in ui/ (ui/index.html is the entry) and imports engine/ and
 * workers/ beside it; the simulation worker is bundled as its own ES module chunk, so the engine's
 * stepping code never enters the main bundle. `npm start` (scripts/start.mjs) builds to dist/ when
 * it is missing or stale and serves it with `vite preview` on http://localhost:4173 (or $PORT).
 */
export const ROOT = fileURLToPath(new URL('./ui', import.meta.url));
export const OUT_DIR = fileURLToPath(new URL('./dist', import.meta.url));
export const PREVIEW_PORT = 4173;

/**
 * Cross-origin isolation (COOP + COEP): lets the population pool use SharedArrayBuffer (its faster
 * shared-memory shape; without isolation it falls back to the time-split shape, same results). Every
 * asset and worker is same-origin, so require-corp blocks nothing the app loads.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

export default defineConfig({
  root: ROOT,
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    // recharts + react make one ~600 kB (≈190 kB gzip) chunk; the worker (engine + mathjs) is separate.
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
  preview: { port: PREVIEW_PORT, strictPort: true, host: 'localhost', headers: { ...ISOLATION_HEADERS } },
  server: { port: 5173, strictPort: false, headers: { ...ISOLATION_HEADERS } },
});
