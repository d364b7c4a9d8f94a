// Dashboard build: root `ui/`, React plugin, ES-module workers, output `dist/`, preview on port 4173 (`PREVIEW_PORT`).
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { DEV_HEADERS, devCspNonce, SECURITY_HEADERS } from './scripts/headers.mjs';
import { precacheServiceWorker } from './scripts/vite-sw-plugin.mjs';

/**
 * The dashboard's build. The app lives in ui/ (ui/index.html is the entry) and imports engine/ and
 * workers/ beside it; the simulation worker is bundled as its own ES module chunk, so the engine's
 * stepping code never enters the main bundle. `npm start` (scripts/start.mjs) builds to dist/ when
 * it is missing or stale and serves it with `vite preview` on http://localhost:4173 (or $PORT).
 */
export const ROOT = fileURLToPath(new URL('./ui', import.meta.url));
export const OUT_DIR = process.env.KETASIM_DIST_DIR || fileURLToPath(new URL('./dist', import.meta.url));
export const PREVIEW_PORT = 4173;

/** COOP + COEP (cross-origin isolation for the population pool's SharedArrayBuffer); the full header set is in scripts/headers.mjs. */
export { ISOLATION_HEADERS } from './scripts/headers.mjs';

/** Where the chunk-module manifest is written, relative to dist/ (read by test/e2e/main-thread.test.ts). */
export const CHUNK_MODULES_FILE = '.vite/chunk-modules.json';

/**
 * Writes, for every output chunk of the main build, the source modules it carries (Rollup's
 * chunk.modules: id relative to the project, rendered length and rendered exports) and its static and
 * dynamic imports, so a test can tell which source code the page loads however the chunk is minified.
 */
function chunkModules(): Plugin {
  const project = fileURLToPath(new URL('.', import.meta.url));
  const name = (id: string) => relative(project, id.replace(/\0/g, '').split('?')[0]).split('\\').join('/');
  return {
    name: 'ketasim-chunk-modules',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks: Record<string, unknown> = {};
      for (const out of Object.values(bundle)) {
        if (out.type !== 'chunk') continue;
        const modules: Record<string, { renderedLength: number; renderedExports: string[] }> = {};
        for (const [id, m] of Object.entries(out.modules))
          modules[name(id)] = { renderedLength: m.renderedLength, renderedExports: [...m.renderedExports] };
        chunks[out.fileName] = { isEntry: out.isEntry, imports: out.imports, dynamicImports: out.dynamicImports, modules };
      }
      this.emitFile({ type: 'asset', fileName: CHUNK_MODULES_FILE, source: JSON.stringify({ chunks }, null, 1) });
    },
  };
}

/**
 * The entry module (ui/main.tsx) is small: it starts the simulation worker and the first request, then
 * imports the dashboard (ui/render.tsx). This lists the dashboard's chunk and its static imports as
 * modulepreload links in index.html, so the browser fetches them in parallel with the entry instead of
 * after it.
 */
function preloadDashboard(): Plugin {
  return {
    name: 'ketasim-preload-dashboard',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const chunks = new Map<string, { imports: string[]; isEntry: boolean; css: string[] }>();
        let root: string | null = null;
        for (const c of Object.values(bundle)) {
          if (c.type !== 'chunk') continue;
          chunks.set(c.fileName, { imports: c.imports, isEntry: c.isEntry, css: [...(c.viteMetadata?.importedCss ?? [])] });
          if (c.facadeModuleId?.endsWith('/ui/render.tsx')) root = c.fileName;
        }
        if (!root) return html;
        const files = new Set<string>();
        const css = new Set<string>();
        const visit = (f: string) => {
          const c = chunks.get(f);
          if (!c || c.isEntry || files.has(f)) return;
          files.add(f);
          for (const s of c.css) css.add(s);
          for (const i of c.imports) visit(i);
        };
        visit(root);
        const link = (rel: string, f: string) => ({
          tag: 'link',
          attrs: { rel, crossorigin: true, href: `./${f}` },
          injectTo: 'head' as const,
        });
        return {
          html,
          tags: [
            ...[...css].filter((f) => !html.includes(f)).map((f) => link('stylesheet', f)),
            ...[...files].filter((f) => !html.includes(f)).map((f) => link('modulepreload', f)),
          ],
        };
      },
    },
  };
}

export default defineConfig({
  root: ROOT,
  base: './',
  plugins: [react(), chunkModules(), devCspNonce(), preloadDashboard(), precacheServiceWorker()],
  worker: { format: 'es' },
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    // The entry is small; the dashboard (react-dom + the Plan view, ~300 kB) is its own chunk; recharts
    // is used only by the Course tab's chart (lazy); the worker (engine + mathjs) is separate.
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
  preview: { port: PREVIEW_PORT, strictPort: true, host: 'localhost', headers: { ...SECURITY_HEADERS } },
  server: { port: 5173, strictPort: false, headers: { ...DEV_HEADERS } },
});
