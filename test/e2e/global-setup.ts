// Builds dist/ if stale and serves it with vite preview; provides `baseUrl`.
import type { TestProject } from 'vitest/node';
import { DIST_DIR, ensureBuilt, servePreview } from '../../scripts/app-build.mjs';

/**
 * Once per run: build the dashboard if dist/ is missing or older than its sources, then serve dist/
 * with vite preview on a free port. Every e2e file reads the URL with inject('baseUrl').
 */
export default async function setup(project: TestProject) {
  const built = await ensureBuilt({ log: (line) => console.log(`[e2e] ${line}`) });
  if (built.built) console.log(`[e2e] built in ${(built.ms / 1000).toFixed(1)} s`);
  const server = await servePreview({ port: 0 });
  project.provide('baseUrl', server.url);
  project.provide('distDir', DIST_DIR);
  return async () => {
    await server.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    distDir: string;
  }
}
