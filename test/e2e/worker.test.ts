// Simulation runs in a dedicated worker; engine absent from the main bundle.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { field, launch, openPage, waitForMetric } from './support.ts';

/**
 * The simulation runs in a Web Worker, not on the main thread: the page starts a dedicated worker
 * from the simulation chunk, every result carries the name of the global scope that computed it,
 * and the main bundle does not contain the engine (its stepping, validation or mathjs) at all.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Strings that exist only in the engine's code (they survive minification), with where they come from. */
const ENGINE_FINGERPRINTS = [
  'no ke0 reproduces the reference time to peak', // engine/predict.ts (model resolution before stepping)
  'peripheral 2', // engine/pk/linear-system.ts (the matrix-exponential stepper)
  'mixes clearances', // engine/plan.ts (validation happens in the worker)
];
/** mathjs (expm for general linear systems): a chunk the worker imports on first need (workers/expm.ts), not the worker chunk. */
const MATHJS_FINGERPRINT = 'Dimension mismatch';

describe('the simulation worker', () => {
  it('is a dedicated worker started from the simulation chunk, and computes every result shown', async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    const workers = page.workers().map((w) => w.url());
    expect(workers.some((u) => /\/assets\/simulation\.worker-[\w-]+\.js$/.test(u))).toBe(true);
    await expect.poll(() => page.getByTestId('engine-info').getAttribute('data-computed-in')).toBe('DedicatedWorkerGlobalScope');
    // after an edit, the new result too (the attribute is re-rendered from each response)
    await field(page, 'regimen[0].dose').fill('0.7');
    await waitForMetric(page, 'total-dose', '49.0 mg');
    await expect.poll(() => page.getByTestId('engine-info').getAttribute('data-computed-in')).toBe('DedicatedWorkerGlobalScope');
    // the main thread's scope is a Window: the page itself could not have produced that name
    expect(await page.evaluate(() => globalThis.constructor.name)).toBe('Window');
    // and the worker really is the engine: it answers in its own scope
    const workerScope = await page
      .workers()
      .find((w) => w.url().includes('simulation.worker'))!
      .evaluate(() => globalThis.constructor.name);
    expect(workerScope).toBe('DedicatedWorkerGlobalScope');
    expect(watch.pageErrors).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await page.context().close();
  });

  it('keeps the engine out of the JavaScript the page loads at start (and in the worker chunk)', () => {
    const assets = join(inject('distDir'), 'assets');
    const html = readFileSync(join(inject('distDir'), 'index.html'), 'utf8');
    // The initial JavaScript: the entry script and the chunks it preloads (lazy tabs load later).
    const initial = [...html.matchAll(/(?:src|href)="\.\/assets\/([\w.-]+\.js)"/g)].map((m) => m[1]);
    expect(initial.some((f) => /^index-[\w-]+\.js$/.test(f))).toBe(true);
    const workerName = readdirSync(assets).find((f) => /^simulation\.worker-[\w-]+\.js$/.test(f))!;
    const worker = readFileSync(join(assets, workerName), 'utf8');
    for (const s of ENGINE_FINGERPRINTS) expect(worker, `worker chunk should contain "${s}"`).toContain(s);
    expect(worker, 'the worker chunk imports mathjs on demand').not.toContain(MATHJS_FINGERPRINT);
    const mathjs = readdirSync(assets).filter(
      (f) => f.endsWith('.js') && worker.includes(f) && readFileSync(join(assets, f), 'utf8').includes(MATHJS_FINGERPRINT),
    );
    expect(mathjs, 'a chunk the worker names carries mathjs').toHaveLength(1);
    for (const f of initial) {
      const code = readFileSync(join(assets, f), 'utf8');
      for (const s of [...ENGINE_FINGERPRINTS, MATHJS_FINGERPRINT]) expect(code, `${f} must not contain "${s}"`).not.toContain(s);
    }
  });
});
