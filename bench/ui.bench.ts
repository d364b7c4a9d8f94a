// Dashboard benchmark: real key presses → Ce repaint, cold load → first chart, population follow; writes bench/RESULTS.md.
/**
 * Dashboard benchmark: the built app (vite preview) in a real Chromium, driven by real key presses
 * (playwright `page.keyboard.press`, i.e. CDP input events through the browser's input pipeline):
 *  1. key-down → Ce path repainted: a 24-hour plan at 1-s resolution (86,401 points per prediction),
 *     one digit typed into the rate field per edit; from a capture-phase `keydown` listener's
 *     performance.now() to a requestAnimationFrame callback queued by a MutationObserver when the Ce
 *     path's `d` changes (the frame that paints the new curve). Split into key-down → request sent,
 *     the worker's round trip, result → `d` changed, and `d` changed → that frame;
 *  2. cold load: a fresh browser context per run, navigation start → the frame that paints the first
 *     Ce path (same observer + rAF, installed before the page's scripts run);
 *  3. population follow: the Population toggle on at N = 10,000 (default plan); one digit typed into
 *     the infusion duration; key-down → the frame after the percentile bands for the edited plan are
 *     drawn (the overlay no longer marked stale: the bands-only preview, on every k-th grid point so
 *     that it has at most the plot's width in points; ui/components/PopulationPanel.tsx `previewPlan`),
 *     and → the full run's result that replaces it; then N = 100,000 run to the end;
 *  4. the longest main-thread task (Long Tasks API, ≥ 50 ms) during each measured edit, each population
 *     edit and the N = 100,000 run (moved here from the e2e test: a duration is measured, not asserted);
 *  plus the production build's chunk sizes, and a node baseline (path from full vs decimated data).
 *
 * Timing budgets live here, not in tests (see bench/RESULTS.md for the targets and the baselines).
 *
 * Usage: node bin/run-ts.mjs bench/ui.bench.ts [--edits N] [--cold N] [--population N] [--json] [--write]
 *   --write replaces (or appends) the `## Dashboard` section of bench/RESULTS.md; other sections are kept.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumExecutable, CHROMIUM_ARGS } from '../test/support/chromium.ts';
import { DIST_DIR, ROOT_DIR, ensureBuilt, servePreview } from '../scripts/app-build.mjs';
import { parsePlan } from '../engine/plan.ts';
import { MODEL_IDS } from '../engine/models/registry.ts';
import { predict } from '../engine/predict.ts';
import { minMaxIndices } from '../engine/decimate.ts';
import { pathData } from '../ui/chart/path.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const EDITS = opt('edits', 60);
const COLD_RUNS = opt('cold', 9);
const POP_EDITS = opt('population', 9);
const WARMUP = 5;
/** `--only keys,cold,population`: run some parts (for development; --write needs all three). */
const ONLY = (() => {
  const i = args.indexOf('--only');
  return i >= 0 ? new Set(args[i + 1].split(',')) : null;
})();
const want = (part: string) => !ONLY || ONLY.has(part);
if (ONLY && flag('write')) throw new Error('--write records all three measurements: drop --only');

/** Targets (issue 8, item 9) and the baselines the issue measured before this work (same machine). */
const TARGET = { keyMedian: 12, keyP95: 25, coldMs: 700, populationMs: 250 } as const;
const BASELINE = {
  keyMedian: '18–20',
  keyP95: '35',
  coldMs: '1,100–1,400',
  mainChunkKb: 688,
  populationMs: '643 (incl. a 150-ms debounce)',
} as const;

const PLAN_24H = {
  patient: { weightKg: 70, ageYears: 40 },
  model: { id: 'domino-1984' },
  regimen: [
    { at: 0, rate: 0.5, unit: 'mg/kg/h' },
    { at: 600, rate: 0, unit: 'mg/kg/h' },
  ],
  horizonMin: 1440,
  resolutionSec: 1,
};

const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
};
/**
 * Median, p95, min and max of the values that were measured; `n` counts them and `missing` the samples
 * without a value (NaN: the measure was not recorded), which the report names beside the column.
 */
const stats = (xs: readonly number[]) => {
  const measured = xs.filter((x) => Number.isFinite(x));
  return {
    median: pct(measured, 50),
    p95: pct(measured, 95),
    min: pct(measured, 0),
    max: pct(measured, 100),
    n: measured.length,
    missing: xs.length - measured.length,
  };
};
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const load = () => loadavg().map((x) => Number(x.toFixed(2)));
const log = (line: string) => console.log(line);

// ---- build and size ------------------------------------------------------------------------------
log('Building the dashboard if stale…');
const built = await ensureBuilt({ log });
const html = readFileSync(join(DIST_DIR, 'index.html'), 'utf8');
const initialFiles = [...html.matchAll(/(?:src|href)="\.\/assets\/([\w.-]+\.(?:js|css))"/g)].map((m) => m[1]);
const assetDir = join(DIST_DIR, 'assets');
const sizeOf = (f: string) => {
  const buf = readFileSync(join(assetDir, f));
  return { file: f, raw: buf.length, gzip: gzipSync(buf).length };
};
const allJs = readdirSync(assetDir).filter((f) => f.endsWith('.js'));
const initialJs = initialFiles.filter((f) => f.endsWith('.js')).map(sizeOf);
const entry = sizeOf(html.match(/<script type="module"[^>]*src="\.\/assets\/([\w.-]+\.js)"/)![1]);
const largestPageChunk = allJs
  .filter((f) => !/\.worker-/.test(f))
  .map(sizeOf)
  .sort((a, b) => b.raw - a.raw)[0];
const workerChunk = sizeOf(allJs.find((f) => /^simulation\.worker-[\w-]+\.js$/.test(f))!);
const sum = (xs: { raw: number; gzip: number }[]) =>
  xs.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
const initial = sum(initialJs);
const kB = (b: number) => (b / 1000).toFixed(1);

// ---- baseline: path from full vs decimated data (node, the same functions the app uses) ----------
const parsed = parsePlan(PLAN_24H, MODEL_IDS);
if (!parsed.ok) throw new Error('bench plan invalid');
const tr = predict(parsed.plan).trajectory;
const xs = (t: number) => 72 + (t / 1440) * 1000,
  ys = (v: number) => 360 - v;
const time = (f: () => unknown, n: number) => {
  for (let i = 0; i < 5; i++) f();
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return pct(t, 50);
};
const idx = minMaxIndices(tr.t, [tr.cp, tr.ce], 0, 1440, 1000);
const gatherT = Float64Array.from(idx, (i) => tr.t[i]),
  gatherCe = Float64Array.from(idx, (i) => tr.ce[i]);
const baseline = {
  fullPoints: tr.t.length,
  reducedPoints: idx.length,
  decimateMs: time(() => minMaxIndices(tr.t, [tr.cp, tr.ce], 0, 1440, 1000), 50),
  pathFullMs: time(() => pathData(tr.t, tr.ce, xs, ys), 20),
  pathReducedMs: time(() => pathData(gatherT, gatherCe, xs, ys), 50),
};

// ---- the browser runs ------------------------------------------------------------------------------
const server = await servePreview({ port: 0 });
const browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS });
const errors: string[] = [];
const VIEWPORT = { width: 1440, height: 1000 };

async function newPage(b: Browser): Promise<Page> {
  const context = await b.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  // tsx (esbuild keepNames) wraps named functions in __name(); the page needs the helper for page.evaluate.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  // Long tasks (Chromium's Long Tasks API: every main-thread task of 50 ms or more), recorded passively.
  await page.addInitScript({
    content:
      "globalThis.__longTasks = []; try { new PerformanceObserver((l) => { for (const e of l.getEntries()) globalThis.__longTasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true }); } catch {}",
  });
  return page;
}

/** The longest main-thread task (≥ 50 ms: the Long Tasks API's threshold) overlapping [from, to] (page clock, ms); 0 = none. */
const longestTask = (page: Page, from: number, to: number) =>
  page.evaluate(
    ([a, b]) =>
      Math.max(
        0,
        ...((globalThis as unknown as { __longTasks: [number, number][] }).__longTasks ?? [])
          .filter(([s, d]) => s < b && s + d > a)
          .map(([, d]) => d),
      ),
    [from, to] as const,
  );

const totalDose = (page: Page) =>
  page.evaluate(() => document.querySelector('[data-testid=metrics] tr[data-metric="total-dose"] td.value')?.textContent ?? '');

/** 1. Real key presses into the rate field of the 24-hour plan. */
async function keyPresses() {
  const page = await newPage(browser);
  await page.goto(`${server.url}#plan=${Buffer.from(JSON.stringify(PLAN_24H)).toString('base64url')}`);
  await page.waitForFunction(() => document.querySelector('[data-testid=engine-info]')?.textContent?.includes('86,401 points'));
  await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown> & { __k: { down: number; d: number; frame: number; before: string } };
    w.__k = { down: 0, d: 0, frame: 0, before: '' };
    window.addEventListener(
      'keydown',
      () => {
        w.__k.down = performance.now();
        w.__k.d = 0;
        w.__k.frame = 0;
      },
      true,
    );
    new MutationObserver(() => {
      const k = w.__k;
      if (!k.down || k.d) return;
      if (document.querySelector('path.series-ce')?.getAttribute('d') === k.before) return;
      k.d = performance.now();
      requestAnimationFrame(() => {
        k.frame = performance.now();
      });
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['d'] });
  });
  const input = page.locator('[data-path="regimen[0].rate"]');
  const rows: {
    total: number;
    toD: number;
    toFrame: number;
    wait: number;
    roundTrip: number;
    worker: number;
    validate: number;
    predict: number;
    reduce: number;
    metricsDone: number;
    metricsWorker: number;
    longest: number;
  }[] = [];
  for (let i = 0; i < EDITS + WARMUP; i++) {
    // Unmeasured: a fresh prefix (e.g. "0.517"), settled; then one measured digit makes a value not seen before.
    const prefix = `0.${500 + i}`;
    await input.fill(prefix);
    await page.waitForFunction(
      (v) =>
        document.querySelector('[data-testid=metrics] tr[data-metric="total-dose"] td.value')?.textContent ===
        `${(v * 700).toFixed(1)} mg`,
      Number(prefix),
    );
    await page.waitForTimeout(50 + (i % 5) * 10); // let the panels settle (a pause between keystrokes, not a sleep for a result)
    await page.evaluate(() => {
      const w = window as unknown as { __k: { down: number; before: string } };
      w.__k.down = 0;
      w.__k.before = document.querySelector('path.series-ce')?.getAttribute('d') ?? '';
    });
    await page.keyboard.press(String(1 + ((i * 7) % 9)));
    const r = await (
      await page.waitForFunction(
        () => {
          const w = window as unknown as { __k: { down: number; d: number; frame: number } };
          if (!w.__k.frame) return null;
          const m = performance
            .getEntriesByName('ketasim:simulate')
            .filter((e) => e.startTime >= w.__k.down)
            .pop() as PerformanceMeasure | undefined;
          // The metrics follow the curve in a second answer (absent in builds before the split: NaN).
          const mm = performance
            .getEntriesByName('ketasim:simulate-metrics')
            .filter((e) => e.startTime >= w.__k.down)
            .pop() as PerformanceMeasure | undefined;
          const phases = (m?.detail as { phases?: Record<string, number> | null } | undefined)?.phases ?? null;
          return {
            down: w.__k.down,
            end: w.__k.frame,
            total: w.__k.frame - w.__k.down,
            toD: w.__k.d - w.__k.down,
            toFrame: w.__k.frame - w.__k.d,
            wait: m ? m.startTime - w.__k.down : NaN,
            roundTrip: m ? m.duration : NaN,
            worker: m ? (m.detail as { workerMs: number }).workerMs : NaN,
            validate: phases ? phases.validateMs : NaN,
            predict: phases ? phases.predictMs : NaN,
            reduce: phases ? phases.reduceMs : NaN,
            metricsDone: mm ? mm.startTime + mm.duration - w.__k.down : NaN,
            metricsWorker: mm ? (mm.detail as { workerMs: number }).workerMs : NaN,
          };
        },
        undefined,
        { polling: 'raf' },
      )
    ).jsonValue();
    if (r && !Number.isFinite(r.metricsDone)) {
      // The metrics answer follows the curve's frame: wait for its measure (this press's, not a later one's),
      // so the column is not left empty just because the curve painted first. Absent after 5 s: NaN, counted.
      const m = await page
        .waitForFunction(
          (down) => {
            const mm = performance.getEntriesByName('ketasim:simulate-metrics').filter((e) => e.startTime >= down)[0] as
              | PerformanceMeasure
              | undefined;
            return mm ? { done: mm.startTime + mm.duration - down, worker: (mm.detail as { workerMs: number }).workerMs } : null;
          },
          r.down,
          { polling: 'raf', timeout: 5_000 },
        )
        .then((h) => h.jsonValue())
        .catch(() => null);
      if (m) Object.assign(r, { metricsDone: m.done, metricsWorker: m.worker });
    }
    if (i >= WARMUP && r) rows.push({ ...r, longest: await longestTask(page, r.down, r.end) });
  }
  const info = await page.evaluate(() => ({
    ua: navigator.userAgent,
    computedIn: document.querySelector('[data-testid=engine-info]')?.getAttribute('data-computed-in') ?? '',
  }));
  const dose = await totalDose(page);
  await page.context().close();
  const col = (k: keyof (typeof rows)[number]) => stats(rows.map((r) => r[k]));
  return {
    ...info,
    lastTotalDose: dose,
    total: col('total'),
    toD: col('toD'),
    toFrame: col('toFrame'),
    wait: col('wait'),
    roundTrip: col('roundTrip'),
    worker: col('worker'),
    validate: col('validate'),
    predict: col('predict'),
    reduce: col('reduce'),
    metricsDone: col('metricsDone'),
    metricsWorker: col('metricsWorker'),
    longest: col('longest'),
  };
}

/** 2. Cold load: navigation start → the frame that paints the first Ce path, a fresh context per run. */
async function coldLoads() {
  const runs: { first: number; boot: number; uiLoaded: number; dcl: number }[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const page = await newPage(browser);
    await page.addInitScript(() => {
      const w = window as unknown as { __first: number };
      w.__first = 0;
      const mo = new MutationObserver(() => {
        if ((document.querySelector('path.series-ce')?.getAttribute('d')?.length ?? 0) > 20) {
          mo.disconnect();
          requestAnimationFrame(() => {
            w.__first = performance.now();
          });
        }
      });
      mo.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['d'] });
    });
    await page.goto(server.url);
    const r = await (
      await page.waitForFunction(
        () => {
          const w = window as unknown as { __first: number };
          if (!w.__first) return null;
          const mark = (n: string) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
          return {
            first: w.__first,
            boot: mark('ketasim:boot'),
            uiLoaded: mark('ketasim:ui-loaded'),
            dcl: nav ? nav.domContentLoadedEventEnd : NaN,
          };
        },
        undefined,
        { polling: 'raf' },
      )
    ).jsonValue();
    if (r) runs.push(r);
    await page.context().close();
  }
  const col = (k: keyof (typeof runs)[number]) => stats(runs.map((r) => r[k]));
  return { first: col('first'), boot: col('boot'), uiLoaded: col('uiLoaded'), dcl: col('dcl') };
}

/** 3. Population toggle on (N = 10,000): key-down in the infusion duration → bands of the edited plan drawn. */
async function populationFollow() {
  const page = await newPage(browser);
  await page.goto(server.url);
  await page.locator('path.series-ce').waitFor({ state: 'attached' });
  await page.getByTestId('population-toggle').check();
  const settled = () =>
    page.waitForFunction(
      () => {
        const areas = document.querySelector('.ketasim-areas');
        return (
          !!areas &&
          !areas.hasAttribute('data-stale') &&
          !!document.querySelector('[data-testid=population-results]:not([data-stale])') &&
          !document.querySelector('[data-testid=population-progress]')
        );
      },
      undefined,
      { timeout: 60_000 },
    );
  await settled();
  const n = await page.locator('[aria-label="N"]').inputValue();
  await page.evaluate(() => {
    const w = window as unknown as { __p: { down: number; sawStale: boolean; shown: number; frame: number } };
    w.__p = { down: 0, sawStale: false, shown: 0, frame: 0 };
    window.addEventListener(
      'keydown',
      () => {
        w.__p.down = performance.now();
        w.__p.sawStale = false;
        w.__p.shown = 0;
        w.__p.frame = 0;
      },
      true,
    );
    new MutationObserver(() => {
      const p = w.__p;
      if (!p.down || p.shown) return;
      const areas = document.querySelector('.ketasim-areas');
      if (!areas) return;
      if (areas.hasAttribute('data-stale')) p.sawStale = true;
      else if (p.sawStale) {
        p.shown = performance.now();
        requestAnimationFrame(() => {
          p.frame = performance.now();
        });
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-stale', 'd'] });
  });
  const input = page.locator('[data-path="regimen[0].overMin"]');
  const times: number[] = [];
  const longest: number[] = [];
  /** Per edit, ms from key-down: the prediction on the main thread, the population run started (panel), its job prepared, its bands' result in, painted; and each worker's own times. */
  const parts: {
    simulated: number;
    started: number;
    prepared: number;
    result: number;
    painted: number;
    setup: number;
    loop: number;
    exact: number;
  }[] = [];
  for (let i = 0; i < POP_EDITS + 2; i++) {
    await input.fill('3'); // unmeasured: a 3-min infusion, settled
    // (first the panel must have seen the edit: its bands go stale, or a run is in progress)
    await page
      .waitForFunction(
        () =>
          !!document.querySelector('.ketasim-areas[data-stale]') || !!document.querySelector('[data-testid=population-progress]'),
        undefined,
        { polling: 'raf', timeout: 5_000 },
      )
      .catch(() => {}); // a run that started and finished between two polls
    await settled();
    await page.evaluate(() => {
      (window as unknown as { __p: { down: number } }).__p.down = 0;
    });
    await page.keyboard.press(String(i % 10)); // "30" … "39" min
    const r = await (
      await page.waitForFunction(
        () => {
          const p = (window as unknown as { __p: { down: number; frame: number } }).__p;
          return p.frame ? { ms: p.frame - p.down, down: p.down, end: p.frame } : null;
        },
        undefined,
        { polling: 'raf', timeout: 60_000 },
      )
    ).jsonValue();
    if (i >= 2 && r !== null) {
      times.push(r.ms);
      longest.push(await longestTask(page, r.down, r.end));
      // The bands-only run's measure is recorded once its workers report their times (just after its result);
      // a build without the measure (before 2026-12-02) gives none: its parts are left out (NaN).
      const b = await page
        .waitForFunction(
          (down) => {
            const after = (name: string) => performance.getEntriesByName(name).filter((e) => e.startTime >= down);
            const sim = after('ketasim:simulate')[0] as PerformanceMeasure | undefined;
            const started = after('ketasim:population-start')[0];
            const runs = after('ketasim:population-run') as PerformanceMeasure[];
            const run = runs.find((e) => (e.detail as { metrics: boolean }).metrics === false);
            if (!run) return null;
            const d = run.detail as { prepareMs: number; workers: { setupMs: number; loopMs: number }[] };
            return {
              simulated: sim ? sim.startTime + sim.duration - down : NaN,
              started: started ? started.startTime - down : NaN,
              prepared: run.startTime + d.prepareMs - down,
              result: run.startTime + run.duration - down,
              setup: Math.max(...d.workers.map((w) => w.setupMs)),
              loop: Math.max(...d.workers.map((w) => w.loopMs)),
            };
          },
          r.down,
          { polling: 'raf', timeout: 10_000 },
        )
        .then((h) => h.jsonValue())
        .catch(() => null);
      // The full run (per-patient metrics, bands at every grid point) that follows and replaces the preview.
      const exact = await page
        .waitForFunction(
          (down) => {
            const runs = performance.getEntriesByName('ketasim:population-run').filter((e) => e.startTime >= down);
            const run = runs.find((e) => (e as PerformanceMeasure).detail?.metrics === true);
            return run ? run.startTime + run.duration - down : null;
          },
          r.down,
          { polling: 'raf', timeout: 60_000 },
        )
        .then((h) => h.jsonValue() as Promise<number>)
        .catch(() => NaN);
      const none = { simulated: NaN, started: NaN, prepared: NaN, result: NaN, setup: NaN, loop: NaN };
      parts.push({ ...(b ? (b as Omit<(typeof parts)[number], 'painted' | 'exact'>) : none), painted: r.ms, exact });
    }
  }
  // N = 100,000, run to the end: the longest main-thread task while it runs (progress, merging, drawing).
  const t0 = await page.evaluate(() => performance.now());
  await page.locator('[aria-label="preset N"]').selectOption('100000');
  await page.getByTestId('population-progress').waitFor({ state: 'visible', timeout: 60_000 });
  await settled();
  const t1 = await page.evaluate(() => performance.now());
  const big = { n: 100_000, ms: t1 - t0, longest: await longestTask(page, t0, t1) };
  await page.context().close();
  const part = (k: keyof (typeof parts)[number]) => stats(parts.map((p) => p[k]));
  return {
    n: Number(n),
    follow: stats(times),
    longest: stats(longest),
    big,
    parts: {
      simulated: part('simulated'),
      started: part('started'),
      prepared: part('prepared'),
      result: part('result'),
      setup: part('setup'),
      loop: part('loop'),
      exact: part('exact'),
    },
  };
}

let result: Record<string, unknown>;
try {
  const loadBefore = load();
  const empty = { median: NaN, p95: NaN, min: NaN, max: NaN, n: 0, missing: 0 };
  const keys = want('keys')
    ? await keyPresses()
    : {
        ua: '',
        computedIn: '',
        lastTotalDose: '',
        total: empty,
        toD: empty,
        toFrame: empty,
        wait: empty,
        roundTrip: empty,
        worker: empty,
        validate: empty,
        predict: empty,
        reduce: empty,
        metricsDone: empty,
        metricsWorker: empty,
        longest: empty,
      };
  const loadKeys = load();
  const cold = want('cold') ? await coldLoads() : { first: empty, boot: empty, uiLoaded: empty, dcl: empty };
  const loadCold = load();
  const population = want('population')
    ? await populationFollow()
    : {
        n: 0,
        follow: empty,
        longest: empty,
        big: { n: 0, ms: NaN, longest: NaN },
        parts: { simulated: empty, started: empty, prepared: empty, result: empty, setup: empty, loop: empty },
      };
  const loadPop = load();
  result = {
    date: new Date().toISOString(),
    node: process.version,
    chromium: browser.version(),
    userAgent: keys.ua,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memGB: Number((totalmem() / 1e9).toFixed(1)),
    loadavg: { before: loadBefore, afterKeys: loadKeys, afterCold: loadCold, afterPopulation: loadPop },
    built: built.built ? `rebuilt (${built.reason})` : 'up to date',
    keys,
    cold,
    population,
    baseline,
    bundle: {
      entry,
      largestPageChunk,
      initialJs,
      initialJsRaw: initial.raw,
      initialJsGzip: initial.gzip,
      worker: workerChunk,
    },
    errors,
  };
} finally {
  await browser.close();
  await server.close();
}

// ---- report ------------------------------------------------------------------------------------------
// biome-ignore lint/suspicious/noExplicitAny: the record above, read back for the report
const r = result as any;
const ok = (v: number, target: number) => (v <= target ? 'met' : 'MISSED');
const la = (x: number[]) => x.join(' / ');
/** The key-press columns with presses that have no value (left out of that column's median and p95, never silently). */
const KEY_COLUMNS: Record<string, string> = {
  total: 'key-down → Ce path repainted',
  toD: 'key-down → path `d` changed',
  toFrame: '`d` changed → its frame',
  wait: 'key-down → request sent',
  roundTrip: 'worker round trip',
  worker: 'inside the worker',
  validate: 'validate',
  predict: 'predict',
  reduce: 'reduce to pixels',
  metricsDone: 'key-down → metrics on the main thread',
  metricsWorker: 'metrics computed in the worker',
  longest: 'longest main-thread task',
};
const missingNote = (keys: Record<string, { missing?: number }>, presses: number) => {
  const gaps = Object.entries(KEY_COLUMNS)
    .filter(([k]) => (keys[k]?.missing ?? 0) > 0)
    .map(([k, name]) => `${name}: ${keys[k].missing} of ${presses}`);
  return gaps.length
    ? `Presses without a value, left out of that row's median and p95 (the measure was not recorded): ${gaps.join('; ')}.\n`
    : '';
};
const md = `## Dashboard

\`node bin/run-ts.mjs bench/ui.bench.ts --write\` (= \`npm run bench:ui -- --write\`) — ${r.date.slice(0, 16).replace('T', ' ')} UTC; Node ${r.node};
Chromium ${r.chromium} (headless, via test/support/chromium.ts); ${r.cpus}, ${r.memGB} GB RAM. Build: ${r.built}. The machine is
shared with other engineers' runs: load average (1/5/15 min) ${la(r.loadavg.before)} at the start, ${la(r.loadavg.afterKeys)} after the
key presses, ${la(r.loadavg.afterCold)} after the cold loads, ${la(r.loadavg.afterPopulation)} at the end.

Method: the built app served by \`vite preview\`, 1440×1000 viewport, real key presses (\`page.keyboard.press\`: CDP input events through
Chromium's input pipeline, not synthetic DOM events). Key-down is a capture-phase \`keydown\` listener's \`performance.now()\`; "repainted"
is a requestAnimationFrame callback queued by a MutationObserver when the path changes (the frame that paints it).

| | median | p95 | target | before (issue 8) |
|---|---|---|---|---|
| **key-down → Ce path repainted**, 24 h at 1 s (86,401 points), ${r.keys.total.n} presses | **${ms(r.keys.total.median)} ms** | **${ms(r.keys.total.p95)} ms** | ≤ ${TARGET.keyMedian} / ≤ ${TARGET.keyP95} ms: ${ok(r.keys.total.median, TARGET.keyMedian)} / ${ok(r.keys.total.p95, TARGET.keyP95)} | ${BASELINE.keyMedian} / ${BASELINE.keyP95} ms |
| &nbsp;&nbsp;key-down → request sent (input event, store update) | ${ms(r.keys.wait.median)} | ${ms(r.keys.wait.p95)} | | |
| &nbsp;&nbsp;worker round trip (request sent → result on the main thread) | ${ms(r.keys.roundTrip.median)} | ${ms(r.keys.roundTrip.p95)} | | |
| &nbsp;&nbsp;&nbsp;&nbsp;of which inside the worker (validate, predict, decimate; the metrics follow) | ${ms(r.keys.worker.median)} | ${ms(r.keys.worker.p95)} | | |
| &nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;validate (parsePlan) / predict (resolve, warnings, stepping, finiteness) / reduce to pixels | ${ms(r.keys.validate.median)} / ${ms(r.keys.predict.median)} / ${ms(r.keys.reduce.median)} | ${ms(r.keys.validate.p95)} / ${ms(r.keys.predict.p95)} / ${ms(r.keys.reduce.p95)} | | |
| &nbsp;&nbsp;metrics: computed in the worker after the curve was sent; key-down → metrics on the main thread | ${ms(r.keys.metricsWorker.median)}; ${ms(r.keys.metricsDone.median)} | ${ms(r.keys.metricsWorker.p95)}; ${ms(r.keys.metricsDone.p95)} | | |
| &nbsp;&nbsp;key-down → path \`d\` changed | ${ms(r.keys.toD.median)} | ${ms(r.keys.toD.p95)} | | |
| &nbsp;&nbsp;path \`d\` changed → its frame | ${ms(r.keys.toFrame.median)} | ${ms(r.keys.toFrame.p95)} | | |
| **cold load → first Ce path painted** (navigation start; fresh context; default plan), ${r.cold.first.n} loads | **${ms(r.cold.first.median)} ms** | ${ms(r.cold.first.p95)} ms | ≤ ${TARGET.coldMs} ms: ${ok(r.cold.first.median, TARGET.coldMs)} | ${BASELINE.coldMs} ms |
| &nbsp;&nbsp;entry module running (\`ketasim:boot\`: worker started, first request sent) | ${ms(r.cold.boot.median)} | ${ms(r.cold.boot.p95)} | | |
| &nbsp;&nbsp;dashboard chunk loaded (\`ketasim:ui-loaded\`: React renders next) | ${ms(r.cold.uiLoaded.median)} | ${ms(r.cold.uiLoaded.p95)} | | |
| &nbsp;&nbsp;longest main-thread task during an edit (≥ 50 ms counted; 0 = none) | ${ms(r.keys.longest.median)} | ${ms(r.keys.longest.p95)} (max ${ms(r.keys.longest.max)}) | | |
| **population follow**: N = ${r.population.n.toLocaleString('en')}, key-down in the infusion duration → the edited plan's bands painted (preview at the plot's resolution), ${r.population.follow.n} edits | **${ms(r.population.follow.median)} ms** | ${ms(r.population.follow.p95)} ms | ≤ ${TARGET.populationMs} ms: ${ok(r.population.follow.median, TARGET.populationMs)} | ${BASELINE.populationMs} ms |
| &nbsp;&nbsp;key-down → the edited plan's prediction on the main thread / population run started (after its curve's paint and the 20-ms wait) | ${ms(r.population.parts.simulated.median)} / ${ms(r.population.parts.started.median)} | ${ms(r.population.parts.simulated.p95)} / ${ms(r.population.parts.started.p95)} | | |
| &nbsp;&nbsp;key-down → job prepared (plan checked, model resolved in a worker) / bands-only result on the main thread | ${ms(r.population.parts.prepared.median)} / ${ms(r.population.parts.result.median)} | ${ms(r.population.parts.prepared.p95)} / ${ms(r.population.parts.result.p95)} | | |
| &nbsp;&nbsp;&nbsp;&nbsp;in the slowest worker: sampling and set-up / block loop (stepping and percentiles) | ${ms(r.population.parts.setup.median)} / ${ms(r.population.parts.loop.median)} | ${ms(r.population.parts.setup.p95)} / ${ms(r.population.parts.loop.p95)} | | |
| &nbsp;&nbsp;key-down → the full run's result (bands at every grid point, per-patient metrics), which replaces the preview | ${ms(r.population.parts.exact.median)} | ${ms(r.population.parts.exact.p95)} | | |
| &nbsp;&nbsp;longest main-thread task during that edit (≥ 50 ms counted; 0 = none) | ${ms(r.population.longest.median)} | ${ms(r.population.longest.p95)} (max ${ms(r.population.longest.max)}) | | |
| **population N = 100,000** run to the end (N chosen → bands painted): ${ms(r.population.big.ms)} ms; longest main-thread task meanwhile | ${ms(r.population.big.longest)} ms | | | |

${missingNote(r.keys, r.keys.total.n + r.keys.total.missing)}Last total dose shown after the key presses: ${r.keys.lastTotalDose}. Every prediction was computed in ${r.keys.computedIn}.

Production build (\`vite build\`, gzip level 6): entry chunk **${r.bundle.entry.file} ${kB(r.bundle.entry.raw)} kB** (${kB(r.bundle.entry.gzip)} kB gzip; it starts
the worker and the first request, then imports the dashboard); the largest page chunk ${r.bundle.largestPageChunk.file} ${kB(r.bundle.largestPageChunk.raw)} kB
(${kB(r.bundle.largestPageChunk.gzip)} kB gzip); JavaScript named in index.html (entry + modulepreload) ${kB(r.bundle.initialJsRaw)} kB raw, ${kB(r.bundle.initialJsGzip)} kB gzip
(${r.bundle.initialJs.map((x: { file: string; raw: number }) => `${x.file} ${kB(x.raw)} kB`).join(', ')}); simulation worker ${kB(r.bundle.worker.raw)} kB (${kB(r.bundle.worker.gzip)} kB gzip).
Before: one main chunk of ${BASELINE.mainChunkKb} kB (recharts, react-dom and every Plan panel).

Baseline (node, the same functions): the Ce path from all ${r.baseline.fullPoints.toLocaleString('en')} points takes ${r.baseline.pathFullMs.toFixed(2)} ms to build;
min/max decimation to 1,000 pixel columns (${r.baseline.decimateMs.toFixed(2)} ms, in the worker) leaves ${r.baseline.reducedPoints.toLocaleString('en')} real samples whose path
takes ${r.baseline.pathReducedMs.toFixed(3)} ms.
${r.errors.length ? `\nPage errors during the run: ${r.errors.join(' | ')}\n` : ''}`;

console.log(`\n${md}`);
if (flag('write')) {
  const file = join(ROOT_DIR, 'bench', 'RESULTS.md');
  const current = statSync(file, { throwIfNoEntry: false }) ? readFileSync(file, 'utf8') : '';
  const start = current.search(/^## Dashboard\s*$/m);
  let next: string;
  if (start < 0) next = `${current.replace(/\s*$/, '\n\n')}${md}`;
  else {
    const rest = current.slice(start + 1);
    const end = rest.search(/^## /m);
    next = current.slice(0, start) + md + (end < 0 ? '' : `\n${rest.slice(end)}`);
  }
  writeFileSync(file, next.replace(/\n{3,}/g, '\n\n'));
  console.log(`(bench/RESULTS.md: the Dashboard section ${start < 0 ? 'appended' : 'replaced'})`);
}
if (flag('json')) console.log(JSON.stringify(result));
if (r.errors.length) process.exitCode = 1;
