// Validate tab in Chromium: a dataset built from the engine's predictions × 1.2, two models, table = the real CLI's JSON, charts, malformed file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectClean, launch, openPage, type PageWatch } from './support.ts';
import type { DataRecord } from '../../engine/research/nonmem.ts';
import { predictRecords } from '../../engine/research/validate.ts';
import { resolveModel } from '../../engine/predict.ts';
import { formatCount, formatDivergence, formatPct } from '../../ui/validate/validate-format.ts';

/**
 * The Validate tab of the built dashboard: a NONMEM-style dataset of 3 subjects whose DV are Domino 1984's
 * own predictions × 1.2 is given to the file picker (setInputFiles); with Domino 1984 and Kamp 2020 picked,
 * every number of the table equals, as displayed, the JSON of the real `ketasim validate` process on the
 * same file; the three charts have one point per used observation; a malformed file dropped on the view
 * shows the reader's line and column and no result; nothing is requested off the page's origin.
 */
const BIN = join(import.meta.dirname, '../../bin/ketasim.mjs');
const dir = mkdtempSync(join(tmpdir(), 'ketasim-e2e-validate-'));

const SUBJECTS = [
  {
    id: '1',
    wt: 70,
    age: 40,
    sex: 1,
    ht: 168,
    doses: [
      { t: 0, amt: 35, rate: 0 },
      { t: 0, amt: 28, rate: 56 },
    ],
  },
  { id: '2', wt: 85, age: 55, sex: 0, ht: 180, doses: [{ t: 0, amt: 42.5, rate: 85 }] },
  {
    id: '3',
    wt: 60,
    age: 30,
    sex: 1,
    ht: 160,
    doses: [
      { t: 0, amt: 15, rate: 0 },
      { t: 1, amt: 15, rate: 0 },
    ],
  },
];
const OBS_H = [0.05, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];

/** The dataset: DV = 1.2 × Domino 1984's prediction (engine, this process); subject 2 has one extra MDV 1 row. */
function dataset(): string {
  const lines = ['# time-unit: h', 'ID,TIME,AMT,RATE,DV,EVID,MDV,WT,AGE,SEX,HT'];
  for (const s of SUBJECTS) {
    const cov = [s.wt, s.age, s.sex, s.ht].join(',');
    const recs: DataRecord[] = [
      ...s.doses.map((d) => ({ kind: 'dose' as const, line: 0, tMin: d.t * 60, amtMg: d.amt, rateMgPerH: d.rate })),
      ...OBS_H.map((t) => ({ kind: 'observation' as const, line: 0, tMin: t * 60, dvNgMl: null })),
    ].sort((a, b) => a.tMin - b.tMin || (a.kind === 'dose' ? -1 : 1));
    const model = resolveModel(
      { id: 'domino-1984' },
      { weightKg: s.wt, ageYears: s.age, sex: s.sex ? 'female' : 'male', heightCm: s.ht },
    );
    const pred = predictRecords(model, recs);
    recs.forEach((r, i) => {
      if (r.kind === 'dose') lines.push([s.id, r.tMin / 60, r.amtMg, r.rateMgPerH, '.', 1, 1, cov].join(','));
      else lines.push([s.id, r.tMin / 60, '.', '.', 1.2 * pred[i], 0, 0, cov].join(','));
    });
    if (s.id === '2') lines.push([s.id, 5, '.', '.', '.', 0, 1, cov].join(','));
  }
  return `${lines.join('\n')}\n`;
}

const TEXT = dataset();
const MODELS = ['domino-1984', 'kamp-2020'];
const FILE = join(dir, 'three-subjects.csv');
writeFileSync(FILE, TEXT);

interface CliModel {
  id: string;
  population: {
    mdpe: number | null;
    mdape: number | null;
    wobble: number | null;
    divergence: number | null;
    subjects: number;
    observations: number;
    skipped: number;
  };
}

let browser: Browser;
let page: Page;
let watch: PageWatch;
const sent: string[] = [];
beforeAll(async () => {
  browser = await launch();
  ({ page, watch } = await openPage(browser, inject('baseUrl')));
  // Nothing is uploaded: no request but GET, on or off the origin (the file is read in the page).
  page.context().on('request', (r) => {
    if (r.method() !== 'GET') sent.push(`${r.method()} ${r.url()}`);
  });
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const cell = (p: Page, measure: string, model: string) =>
  p.locator(`[data-testid=validate-table] tr[data-measure="${measure}"] td[data-model="${model}"]`).textContent();

describe('Validate tab (built app, Chromium)', () => {
  it('shows the table of the CLI for the same file, to display precision, and the charts', async () => {
    const cli = spawnSync(process.execPath, [BIN, 'validate', FILE, ...MODELS.flatMap((m) => ['--model', m])], {
      encoding: 'utf8',
    });
    expect(cli.status).toBe(0);
    const models = (JSON.parse(cli.stdout) as { models: CliModel[] }).models;
    expect(models.map((m) => m.id)).toEqual(MODELS);
    expect(models[0].population.mdpe).toBeCloseTo(20, 9); // the data are Domino's predictions × 1.2

    await page.getByRole('tab', { name: 'Validate' }).click();
    await expect(page.getByTestId('validate-local-note').textContent()).resolves.toMatch(/nothing is uploaded/);
    await page
      .getByLabel('Choose a dataset file (CSV)')
      .setInputFiles({ name: 'three-subjects.csv', mimeType: 'text/csv', buffer: Buffer.from(TEXT) });
    for (const id of MODELS) await page.locator(`label.validate-model[data-model="${id}"] input`).check();
    await page.getByTestId('validate-table').waitFor();

    // The table fills in as each model's answer arrives: wait for every model's column (a value, not a time).
    await expect
      .poll(() =>
        page
          .locator('[data-testid=validate-table] thead th[data-model]')
          .evaluateAll((e) => e.map((x) => x.getAttribute('data-model'))),
      )
      .toEqual(MODELS);
    for (const m of models) {
      const p = m.population;
      await expect.poll(() => cell(page, 'mdpe', m.id)).toBe(formatPct(p.mdpe));
      await expect.poll(() => cell(page, 'mdape', m.id)).toBe(formatPct(p.mdape));
      await expect.poll(() => cell(page, 'wobble', m.id)).toBe(formatPct(p.wobble));
      await expect.poll(() => cell(page, 'divergence', m.id)).toBe(formatDivergence(p.divergence));
      await expect.poll(() => cell(page, 'subjects', m.id)).toBe(formatCount(p.subjects));
      await expect.poll(() => cell(page, 'observations', m.id)).toBe(formatCount(p.observations));
      await expect.poll(() => cell(page, 'skipped', m.id)).toBe(formatCount(p.skipped));
    }
    await expect.poll(() => cell(page, 'mdpe', 'domino-1984')).toBe('20.0 %');
    await expect.poll(() => page.getByTestId('validate-unit-used').textContent()).toMatch(/hours \(from the file/);

    // One point per used observation and model, in both scatter charts; the subject chart: one curve per model.
    for (const m of models) {
      const n = m.population.observations;
      expect(n).toBe(3 * OBS_H.length);
      await expect
        .poll(() => page.locator(`[data-testid=validate-obs-pred] g[data-model="${m.id}"] circle.vp-point`).count())
        .toBe(n);
      await expect
        .poll(() => page.locator(`[data-testid=validate-pe-time] g[data-model="${m.id}"] circle.pe-point`).count())
        .toBe(n);
    }
    await expect.poll(() => page.locator('[data-testid=validate-obs-pred] line.identity').count()).toBe(1);
    await expect.poll(() => page.locator('.validate-legend li').count()).toBe(2);
    await page.getByTestId('validate-subject-pick').selectOption({ label: '3 (line 25)' });
    await expect.poll(() => page.locator('[data-testid=validate-subject] path.subject-curve').count()).toBe(2);
    await expect.poll(() => page.locator('[data-testid=validate-subject] circle.subject-obs').count()).toBe(OBS_H.length);
    const d = await page.locator('[data-testid=validate-subject] path.subject-curve').first().getAttribute('d');
    expect((d ?? '').split('L').length).toBeGreaterThan(200);
    await page.getByLabel('Log concentration axis').check();
    await expect
      .poll(() => page.locator('[data-testid=validate-subject] .axis-label').last().textContent())
      .toMatch(/ng\/mL \(log\)/);
    await expect.poll(() => page.locator('[data-testid=validate-subject] circle.subject-obs').count()).toBe(OBS_H.length);
    // Pixel resolution: the SVG's viewBox is its size in CSS px.
    const svg = page.getByTestId('validate-obs-pred');
    const box = (await svg.boundingBox())!;
    await expect.poll(() => svg.getAttribute('viewBox')).toBe(`0 0 ${Math.round(box.width)} ${Math.round(box.height)}`);
  });

  it('shows the reader’s line and column for a malformed file dropped on the view, and no result', async () => {
    const bad = TEXT.replace(/\n2,0,42\.5,85,/, '\n2,zero,42.5,85,');
    await page.getByTestId('validate-drop').evaluate((zone, text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'bad.csv', { type: 'text/csv' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, bad);
    await page.getByTestId('validate-problems').waitFor();
    await expect
      .poll(() => page.getByTestId('validate-problems').textContent())
      .toContain('line 14, column 2 (TIME): expected a number, got "zero"');
    await expect(page.getByTestId('validate-table').count()).resolves.toBe(0);
    await expect.poll(() => page.locator('[data-testid=validate-obs-pred]').count()).toBe(0);
    await expect.poll(() => page.getByTestId('validate-file-name').textContent()).toContain('bad.csv');
    expect(sent).toEqual([]);
    expectClean(watch);
  });
});
