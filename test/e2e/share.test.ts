// Share links round-trip the scenario; malformed link shows a message; custom model matches oracle public03.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { field, launch, metric, openPage, planHash, waitForMetric, type PageWatch } from './support.ts';
import { conc } from '../../ui/format.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';

/** Share links (#plan=<base64url of the UTF-8 JSON>, docs/PLAN-FORMAT.md) in the built app. */
const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/oracle', name), 'utf8'));

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});
const clean = (w: PageWatch) => {
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
  expect(w.foreignRequests).toEqual([]);
};

describe('share links', () => {
  it('round-trip: the link restores the scenario exactly and carries only the plan', async () => {
    const base = inject('baseUrl');
    const a = await openPage(browser, base);
    const p = a.page;
    await field(p, 'patient.weightKg').fill('82.5');
    await p.locator('[data-testid=model-card]').waitFor();
    await p.locator('#model-select').selectOption('id:kamp-2020');
    await p.getByRole('button', { name: '+ Bolus' }).click();
    await field(p, 'regimen[1].bolus').fill('0.25');
    await p.getByRole('button', { name: '+ Pause' }).click();
    await field(p, 'horizonMin').fill('300');
    await waitForMetric(p, 'total-dose', `${(0.75 * 82.5).toFixed(1)} mg`);
    await p.getByRole('button', { name: 'Copy share link' }).click();
    const link = await p.getByTestId('share-link').inputValue();
    expect(link.startsWith(`${base}#plan=`)).toBe(true);
    const plan = JSON.parse(Buffer.from(link.split('#plan=')[1], 'base64url').toString('utf8'));
    expect(plan).toEqual({
      patient: { weightKg: 82.5, ageYears: 40 },
      model: { id: 'kamp-2020' },
      regimen: [
        { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
        { at: 50, bolus: 0.25, unit: 'mg/kg' },
        { at: 60, rate: 0, unit: 'mg/kg/h' },
      ],
      horizonMin: 300,
      resolutionSec: 10,
    });
    const metricIds = ['peak-cp', 'peak-ce', 'band-analgesia', 'band-dissociation', 'recovery', 'total-dose'];
    const expected = await Promise.all(metricIds.map((id) => metric(p, id)));
    const b = await openPage(browser, link);
    await expect.poll(() => field(b.page, 'patient.weightKg').inputValue()).toBe('82.5');
    await expect.poll(() => b.page.locator('#model-select').inputValue()).toBe('id:kamp-2020');
    await expect.poll(() => field(b.page, 'regimen[1].bolus').inputValue()).toBe('0.25');
    await expect.poll(() => field(b.page, 'horizonMin').inputValue()).toBe('300');
    expect(await Promise.all(metricIds.map((id) => metric(b.page, id)))).toEqual(expected);
    await expect.poll(() => b.page.getByTestId('link-notice').count()).toBe(0);
    clean(a.watch);
    clean(b.watch);
    await a.page.context().close();
    await b.page.context().close();
  });

  it('a malformed link shows a message naming the problem and the default plan, never a blank page', async () => {
    const base = inject('baseUrl');
    const cases: [string, RegExp][] = [
      ['#plan=%%%', /base64url/],
      ['#plan=', /empty/],
      [`#plan=${Buffer.from('{"patient":').toString('base64url')}`, /plan: not valid JSON/],
      [planHash({ ...DEFAULT_PLAN, patient: { weightKg: 500 } }), /patient\.weightKg: .*500/],
      [planHash({ ...DEFAULT_PLAN, horizonMins: 240 }), /horizonMins: unknown field/],
      [planHash({ ...DEFAULT_PLAN, regimen: [{ at: 0, rate: 1, unit: 'mg/kg/hour' }] }), /regimen\[0\]\.unit: .*mg\/kg\/hour/],
    ];
    const { page, watch } = await openPage(browser, base + cases[0][0]);
    for (const [i, [hash, problem]] of cases.entries()) {
      if (i > 0) {
        await page.goto('about:blank');
        await page.goto(base + hash);
        await page.locator('path.series-ce').waitFor({ state: 'attached' });
      }
      const notice = page.getByTestId('link-notice');
      await notice.waitFor();
      const text = (await notice.textContent())!;
      expect(text).toMatch(problem);
      expect(text).toContain('showing the default plan (70 kg adult, Domino 1984, 0.5 mg/kg over 40 min, 4-hour view) instead');
      await expect.poll(() => field(page, 'patient.weightKg').inputValue()).toBe('70');
      await waitForMetric(page, 'total-dose', '35.0 mg');
    }
    clean(watch);
    await page.context().close();
  });

  it("a link with a custom model (oracle public03) shows the exact reference's peak Cp", async () => {
    const plan = fixture('public03.plan.json');
    const ref = fixture('public03.ref.json');
    const peak = Math.max(...(ref.cp as number[]));
    const { page, watch } = await openPage(browser, inject('baseUrl') + planHash(plan));
    await expect.poll(() => metric(page, 'peak-cp')).toBe(conc(peak));
    const refT = ref.t[(ref.cp as number[]).indexOf(peak)] as number;
    await expect
      .poll(() => page.locator('[data-testid=metrics] tr[data-metric="peak-cp"] td.detail').textContent())
      .toBe(`at ${refT.toFixed(1)} min`);
    await expect.poll(() => page.locator('#model-select').inputValue()).toBe('custom-clearance');
    await expect.poll(() => field(page, 'model.v1').inputValue()).toBe('5.892');
    await expect.poll(() => field(page, 'model.ke0').inputValue()).toBe('0.255');
    await expect.poll(() => field(page, 'patient.weightKg').inputValue()).toBe('137.6');
    await expect.poll(() => page.locator('[data-testid=event-row]').count()).toBe(plan.regimen.length);
    await expect.poll(() => page.getByTestId('link-notice').count()).toBe(0);
    clean(watch);
    await page.context().close();
  });
});
