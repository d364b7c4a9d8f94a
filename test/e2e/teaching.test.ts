// Teaching flows in Chromium: minutes above the bands, a comparison that travels (#compare=, window, y-axis mode), PNG legend names, log axis, sweet-spot view, S-ketamine bands and ke0.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  compareHeaders,
  expectClean,
  field,
  launch,
  newContext,
  metric,
  openPage,
  planHash,
  waitForChart,
  waitForMetric,
  type PageWatch,
} from './support.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';

/** The educator's scenario of issue 10: 0.5, 1.0 and 2.0 mg/kg over 40 min, pinned and compared. */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const minutesOf = (text: string | null) => Number((text ?? '').replace(/ min$/, ''));

async function setDose(page: Page, mgPerKg: string, totalMg: string) {
  await field(page, 'regimen[0].dose').fill(mgPerKg);
  await waitForMetric(page, 'total-dose', totalMg);
}

/** Legend entries of the on-screen chart. */
const legend = async (page: Page) =>
  (await page.locator('[data-testid=legend] li[data-legend]').allTextContents()).map((t) => t.trim());

/**
 * A page opened on a link to a view other than Plan (no concentration chart to wait for), watched like
 * support.ts openPage: console errors, page errors, requests off its origin.
 */
async function openView(url: string): Promise<{ page: Page; watch: PageWatch }> {
  const context = await newContext(browser, { viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const origin = new URL(url).origin;
  const watch: PageWatch = { consoleErrors: [], pageErrors: [], foreignRequests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') watch.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => watch.pageErrors.push(e.message));
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin) watch.foreignRequests.push(u);
  });
  await page.goto(url);
  return { page, watch };
}

describe('teaching "more is not better"', () => {
  it('the metrics table gives minutes ABOVE the dissociation band: 0 for 0.5 mg/kg, more than 0 for 2 mg/kg', async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    await expect.poll(() => metric(page, 'above-dissociation')).toBe('0.0 min');
    const in05 = minutesOf(await metric(page, 'band-dissociation'));
    await setDose(page, '2', '140.0 mg');
    const in2 = minutesOf(await metric(page, 'band-dissociation'));
    const above2 = minutesOf(await metric(page, 'above-dissociation'));
    expect(in2).toBeGreaterThan(in05); // what made 2 mg/kg look "best"
    expect(above2).toBeGreaterThan(0); // and what the table now shows beside it
    const label = await page.locator('[data-testid=metrics] tr[data-metric="above-dissociation"] th').textContent();
    expect(label).toMatch(/^Ce above Dissociation.*\(≥ \d+ ng\/mL\)$/);
    expectClean(watch);
    await page.context().close();
  });

  it('a comparison travels: every pin, its label, the window and the y-axis mode restored in a fresh browser context', async () => {
    const base = inject('baseUrl');
    const a = await openPage(browser, base);
    const p = a.page;
    const pinBtn = p.getByRole('button', { name: /^Pin current scenario/ });
    await pinBtn.click(); // 0.5 mg/kg
    await setDose(p, '1', '70.0 mg');
    await pinBtn.click(); // 1 mg/kg
    await setDose(p, '2', '140.0 mg'); // 2 mg/kg stays the edited plan
    await p.locator('path.series-pinned').nth(1).waitFor({ state: 'attached' });
    await p.locator('.chart-options select').selectOption('log');
    await p.locator('svg.ketasim-chart[data-y-scale="log"]').waitFor();
    const form = p.getByRole('form', { name: 'Time window' });
    await form.getByLabel('from').fill('10');
    await form.getByLabel('to').fill('120');
    await form.getByRole('button', { name: 'Show window' }).click();
    await p.waitForFunction(() => document.querySelector('.zoom-controls .muted')?.textContent?.includes('10.0–120.0 min'));
    const labels = ['Domino 1984 · 70 kg · 0.5 mg/kg over 40 min', 'Domino 1984 · 70 kg · 1 mg/kg over 40 min'];
    expect(await legend(p)).toEqual([
      'Cp (plasma), ng/mL — Current: Domino 1984 · 70 kg · 2 mg/kg over 40 min',
      'Ce (effect site), ng/mL — Current: Domino 1984 · 70 kg · 2 mg/kg over 40 min',
      ...labels.map((l) => `${l} (Ce)`),
    ]);

    await p.getByRole('button', { name: 'Copy share link' }).click();
    const link = await p.getByTestId('share-link').inputValue();
    expect(link.startsWith(`${base}#compare=`)).toBe(true);
    expect(link).toMatch(/&window=10,120&y=log$/);
    const plans = JSON.parse(Buffer.from(link.split('#compare=')[1].split('&')[0], 'base64url').toString('utf8'));
    expect(plans.map((x: { label: string }) => x.label)).toEqual([
      'Current: Domino 1984 · 70 kg · 2 mg/kg over 40 min',
      ...labels,
    ]);

    // A fresh context: nothing shared with the first but the link.
    const b = await openPage(browser, link);
    const q = b.page;
    await q.locator('path.series-pinned').nth(1).waitFor({ state: 'attached' });
    await expect.poll(() => q.locator('path.series-pinned').count()).toBe(2);
    const legendP = await legend(p);
    await expect.poll(() => legend(q)).toEqual(legendP);
    await expect.poll(async () => (await compareHeaders(q))[2]).toContain(labels[0]);
    await expect.poll(async () => (await compareHeaders(q))[3]).toContain(labels[1]);
    expect(await field(q, 'regimen[0].dose').inputValue()).toBe('2');
    await expect.poll(() => q.locator('.chart-options select').inputValue()).toBe('log');
    await expect.poll(() => q.locator('svg.ketasim-chart[data-y-scale="log"]').count()).toBe(1);
    await expect.poll(() => q.locator('.zoom-controls .muted').textContent()).toContain('10.0–120.0 min (zoomed)');
    await expect.poll(() => q.getByTestId('link-notice').count()).toBe(0);
    await expect.poll(() => metric(q, 'total-dose')).toBe('140.0 mg');

    // Editing a pin keeps the scenario being edited: it is pinned in the pin's place.
    await q.getByRole('button', { name: `Edit ${labels[0]} (the plan being edited is pinned in its place)` }).click();
    await waitForMetric(q, 'total-dose', '35.0 mg');
    await expect.poll(async () => (await compareHeaders(q))[2]).toContain('Domino 1984 · 70 kg · 2 mg/kg over 40 min');
    await expect.poll(async () => (await compareHeaders(q))[3]).toContain(labels[1]);

    expectClean(a.watch);
    expectClean(b.watch);
    await p.context().close();
    await q.context().close();
  });

  it('the PNG legend names every curve: the edited plan and each of four pins', async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    const pinBtn = page.getByRole('button', { name: /^Pin current scenario/ });
    const doses = ['0.5', '1', '1.5', '2'];
    for (const [i, d] of doses.entries()) {
      if (i > 0) await setDose(page, d, `${(Number(d) * 70).toFixed(1)} mg`);
      await pinBtn.click();
    }
    await setDose(page, '0.75', '52.5 mg');
    await page.locator('path.series-pinned').nth(3).waitFor({ state: 'attached' });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download PNG' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('ketasim-chart.png');
    await page.getByText('PNG ready: its legend names 6 curves.').waitFor();
    const names = await page.locator('[data-testid=png-legend] li').allTextContents();
    expect(names).toEqual([
      'Cp (plasma) — Current: Domino 1984 · 70 kg · 0.75 mg/kg over 40 min',
      'Ce (effect site) — Current: Domino 1984 · 70 kg · 0.75 mg/kg over 40 min',
      ...doses.map((d) => `Domino 1984 · 70 kg · ${d} mg/kg over 40 min (Ce)`),
    ]);
    expectClean(watch);
    await page.context().close();
  });

  it('a log y axis keeps a bolus spike from flattening the effect-site curve', async () => {
    const bolus = { ...DEFAULT_PLAN, regimen: [{ at: 0, bolus: 2, unit: 'mg/kg' }] };
    const { page, watch } = await openPage(browser, inject('baseUrl') + planHash(bolus));
    const ceHeight = async () => (await page.locator('path.series-ce').boundingBox())!.height;
    const linear = await ceHeight();
    const ticks = async () => page.locator('svg.ketasim-chart[data-y-scale] .chart-y-ticks text').allTextContents();
    expect(Number((await ticks()).at(-1))).toBeGreaterThanOrEqual(5000); // the Cp spike sets the linear axis
    await page.locator('.chart-options select').selectOption('log');
    await page.locator('svg.ketasim-chart[data-y-scale="log"]').waitFor();
    await waitForChart(page);
    expect(await ticks()).toContain('10000');
    expect(await ticks()).toContain('1');
    const log = await ceHeight();
    expect(log).toBeGreaterThan(linear * 1.5);
    expect(page.url()).toMatch(/&y=log$/); // the address bar's link follows the y-axis mode
    expectClean(watch);
    await page.context().close();
  });

  it('the sweet-spot view: peak Ce per dose over the bands, minutes above, cited marks, population chances, PNG and link', async () => {
    const base = inject('baseUrl');
    const { page, watch } = await openPage(browser, base);
    await page.getByRole('tab', { name: 'Sweet spot' }).click();
    const table = page.getByTestId('sweet-spot-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(7);
    await expect.poll(() => page.locator('svg.sweet-spot-chart circle[data-dose]').count()).toBe(7);
    const aboveAt = async (dose: string) =>
      minutesOf(await table.locator(`tr[data-dose="${dose}"] td[data-band="dissociation"] [data-above]`).textContent());
    expect(await aboveAt('0.5')).toBe(0);
    expect(await aboveAt('2')).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('svg.sweet-spot-chart [data-evidence="dose-ranging-fava2020"] [data-mark]').count())
      .toBe(4);
    await expect.poll(() => page.getByTestId('sweet-spot-evidence').textContent()).toContain('Fava M');
    // A bad dose is named, and nothing is computed from it.
    await page.locator('#ss-doses').fill('0.5, abc');
    await page.getByText('doses[1]: must be a number > 0, got "abc"').waitFor();
    await page.locator('#ss-doses').fill('0.5, 1, 2');
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByLabel(/virtual population/).check();
    await page.locator('#ss-n').fill('50');
    await table.locator('th', { hasText: 'Chance peak Ce ≥ 250 ng/mL' }).waitFor();
    await table.locator('th', { hasText: 'Chance peak Ce ≥ 1060 ng/mL' }).waitFor();
    await expect.poll(() => table.locator('td[data-exceed="250"]').count()).toBe(3);
    for (const t of await table.locator('td[data-exceed]').allTextContents()) expect(t).toMatch(/^\d+(\.\d+)?%$/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download PNG of this view' }).click();
    expect((await download).suggestedFilename()).toBe('ketasim-sweet-spot.png');
    await page.getByRole('button', { name: 'Copy link to this view' }).click();
    const link = await page.getByTestId('sweet-spot-link').inputValue();
    expect(link).toMatch(/&tab=sweet-spot&ss=/);
    const b = await openView(link);
    await b.page.getByTestId('sweet-spot-table').waitFor();
    await expect.poll(() => b.page.getByRole('tab', { name: 'Sweet spot' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => b.page.locator('#ss-doses').inputValue()).toBe('0.5, 1, 2');
    await expect.poll(() => b.page.locator('#ss-n').inputValue()).toBe('50');
    expectClean(watch);
    expectClean(b.watch);
    await page.context().close();
    await b.page.context().close();
  });

  it('S-ketamine on its own scale: its own bands or "no published band", and Olofsen 2022 ke0 as a labelled choice with both Ce curves', async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    await page.locator('[data-testid=model-card]').waitFor();
    await page.locator('#model-select').selectOption('id:fanta-2015-s-ketamine');
    await page.locator('ul.bands[data-band-set="s-ketamine"]').waitFor();
    await expect.poll(() => page.locator('ul.bands li[data-band="dissociation"]').count()).toBe(0);
    await expect
      .poll(() => page.locator('ul.bands li[data-unavailable="dissociation"]').textContent())
      .toContain('no published S-ketamine band');
    await expect
      .poll(() => page.locator('svg.ketasim-chart .chart-band[data-band="s-ketamine-at-or-above-c50"]').count())
      .toBe(1);
    await expect.poll(() => page.locator('svg.ketasim-chart .chart-band[data-band="dissociation"]').count()).toBe(0);
    const choice = page.locator('#ke0-choice');
    await choice.waitFor();
    await choice.selectOption('olofsen-2022');
    await page.getByTestId('ke0-choice-label').filter({ hasText: 'Olofsen 2022' }).waitFor();
    await page.waitForFunction(() =>
      /override|olofsen|published/i.test(document.querySelector('[data-testid=ke0]')?.textContent ?? ''),
    );
    await page.getByRole('button', { name: 'Show both Ce curves (pin the other ke0)' }).click();
    await page.locator('path.series-pinned').first().waitFor({ state: 'attached' });
    await expect.poll(async () => (await compareHeaders(page))[2]).toContain("ke0: the model's own");
    expectClean(watch);
    await page.context().close();
  });
});
