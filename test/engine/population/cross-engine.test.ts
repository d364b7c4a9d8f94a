// The same seed gives the same bits in Node and Chromium.
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../support/chromium.ts';
import { crossEngineFingerprints } from './cross-engine-harness.ts';

/**
 * A seed reproduces a population bit for bit in Node and in the browser: the population engine is
 * bundled for the browser (esbuild), run in a Chromium page, and its fingerprints compared with Node's.
 */
describe('same seed, same bits in Node and Chromium', () => {
  it('sampling, deterministic functions and whole populations (micro, clearance with covariance, general)', async () => {
    const bundle = await build({
      entryPoints: [new URL('./cross-engine-harness.ts', import.meta.url).pathname],
      bundle: true,
      format: 'iife',
      globalName: 'harness',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.addScriptTag({ content: bundle.outputFiles[0].text });
      const inBrowser = await page.evaluate(async () => {
        const h = (globalThis as unknown as { harness: { crossEngineFingerprints(): Promise<Record<string, string>> } }).harness;
        return { ua: navigator.userAgent, prints: await h.crossEngineFingerprints() };
      });
      expect(inBrowser.ua).toMatch(/Chrome/);
      const inNode = await crossEngineFingerprints();
      expect(Object.keys(inNode)).toHaveLength(7);
      expect(inBrowser.prints).toEqual(inNode);
    } finally {
      await browser.close();
    }
  });
});
