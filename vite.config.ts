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
  preview: { port: PREVIEW_PORT, strictPort: true, host: 'localhost' },
  server: { port: 5173, strictPort: false },
});
