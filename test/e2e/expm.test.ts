// A general linear model in the built app: the simulation worker imports mathjs on first need (under the CSP) and shows the engine's numbers.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectClean, launch, openPage, planHash, waitForMetric } from './support.ts';
import { parsePlan } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { predict } from '../../engine/predict.ts';
import { conc } from '../../ui/format.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';

/**
 * mathjs (the matrix exponential of general linear models) is a chunk of its own that the simulation
 * worker imports when a plan first needs it (workers/expm.ts), not before the first prediction. This
 * opens a share link with Simons 2022 (S-ketamine with its metabolite compartments: the general path)
 * in Chromium, served with the app's CSP, and waits for the numbers the engine computes in node.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('a general linear model in the dashboard (mathjs loaded on demand in the worker)', () => {
  it('predicts from a share link: peak Cp and Ce are the engine’s, the console stays clean', async () => {
    const plan = { ...DEFAULT_PLAN, model: { id: 'simons-2022-s-ketamine-arterial' } };
    const parsed = parsePlan(plan, MODEL_IDS);
    if (!parsed.ok) throw new Error('invalid plan in test');
    const tr = predict(parsed.plan).trajectory;
    const peak = (xs: Float64Array) => xs.reduce((a, b) => Math.max(a, b), 0);
    const { page, watch } = await openPage(browser, `${inject('baseUrl')}${planHash(plan)}`);
    await waitForMetric(page, 'peak-cp', conc(peak(tr.cp)));
    await waitForMetric(page, 'peak-ce', conc(peak(tr.ce)));
    await expect.poll(() => page.getByTestId('engine-info').getAttribute('data-computed-in')).toBe('DedicatedWorkerGlobalScope');
    expectClean(watch);
    await page.context().close();
  });
});
