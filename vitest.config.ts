// Two Vitest projects: `unit` (every test but e2e, in node) and `e2e` (the built dashboard in a real Chromium, with a global setup).
import { defineConfig } from 'vitest/config';

/**
 * Two projects, both in node:
 *  - unit: every test/**\/*.test.ts except the browser e2e (engine, cli, ui state, workers, …);
 *  - e2e: test/e2e drives the BUILT dashboard in a real Chromium. Its global setup builds dist/ once
 *    if it is missing or stale (scripts/app-build.mjs), serves it with vite preview on a free port,
 *    and provides the URL; each file launches one browser.
 */
export default defineConfig({
  test: {
    // Caps for a hung test, not budgets (no test asserts a duration): generous, because `npm test` must
    // pass with other CPU-bound work beside it on two cores (real CLI processes, npm pack + install).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // The engine's matrix exponential (engine/pk/linear-system.ts has an injection point; entries fill it).
    setupFiles: ['test/support/matrix-exponential.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['**/node_modules/**', 'test/e2e/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          // Caps for a hung page, not budgets: every e2e wait is for a value, and `npm test` must pass on a
          // machine busy with other work (test/e2e/support.ts VALUE_WAIT_MS is the per-wait cap).
          expect: { poll: { timeout: 120_000 } },
        },
      },
    ],
  },
});
