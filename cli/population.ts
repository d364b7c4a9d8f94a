import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { OutputError, parseArgs, readPlan, registerCommand, UsageError, type Io } from './main.ts';
import { preparePopulation, MAX_PATIENTS } from '../engine/population/spec.ts';
import { MAX_SEED } from '../engine/population/prng.ts';
import { DEFAULT_CV, MAX_CV } from '../engine/population/variability.ts';
import type { PopulationJob, PopulationResult } from '../engine/population/types.ts';
import type { PopulationWorkerApi } from '../workers/population-api.ts';
import { runPopulationPool, type PoolOptions, type PopulationRemote } from '../workers/population-pool.ts';

/**
 * `ketasim population PLAN.json --n N --seed S [--cv 0.3] [--format json|csv] [--out FILE] [--threads K]`
 *
 * Simulates N virtual patients of the plan on a pool of worker_threads (one per core by default) and
 * writes exact percentiles of cp and ce over time, the probability over time that Ce is at or above
 * each band bound, the distribution of each per-patient metric, and every parameter's variability
 * with its source (assumed CVs labelled ASSUMPTION). Same seed, same output, whatever the thread count.
 *
 * Node 20 cannot run TypeScript in a worker thread, so the worker is bundled on first use with
 * esbuild (a dependency of tsx) from workers/population-api.ts into one script run with `eval`;
 * mathjs stays external (required by absolute path, and only if a general linear model needs it).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

let bundle: Promise<string> | null = null;
/** The worker script (CommonJS), bundled once per process. */
export function populationWorkerScript(): Promise<string> {
  bundle ??= (async () => {
    const esbuild = await import('esbuild');
    const req = createRequire(import.meta.url);
    const mathjs = req.resolve('mathjs');
    const out = await esbuild.build({
      stdin: {
        contents: [
          "import { parentPort } from 'node:worker_threads';",
          "import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';",
          "import { exposePopulationApi } from './workers/population-api.ts';",
          'exposePopulationApi(nodeEndpoint(parentPort));',
        ].join('\n'),
        resolveDir: ROOT,
        sourcefile: 'population-node-worker.ts',
        loader: 'ts',
      },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'mathjs-absolute',
          setup(b) {
            b.onResolve({ filter: /^mathjs$/ }, () => ({ path: mathjs, external: true }));
          },
        },
      ],
    });
    return out.outputFiles[0].text;
  })();
  return bundle;
}

/** A comlink endpoint around a worker_threads Worker (comlink's node adapter, typed). */
function nodeEndpoint(w: Worker): Comlink.Endpoint {
  const listeners = new WeakMap<object, (data: unknown) => void>();
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) => w.postMessage(message, transfer as never),
    addEventListener: (_type: string, handler: EventListenerOrEventListenerObject) => {
      const l = (data: unknown) => {
        if ('handleEvent' in handler) handler.handleEvent({ data } as MessageEvent);
        else handler({ data } as MessageEvent);
      };
      w.on('message', l);
      listeners.set(handler, l);
    },
    removeEventListener: (_type: string, handler: EventListenerOrEventListenerObject) => {
      const l = listeners.get(handler);
      if (!l) return;
      w.off('message', l);
      listeners.delete(handler);
    },
  };
}

/** A pool of population worker threads. */
export interface NodePopulationPool {
  readonly size: number;
  run(job: PopulationJob, options?: PoolOptions): Promise<PopulationResult>;
  /** Workers' own statistics (steps run), for tests. */
  stats(): Promise<{ steps: number; busy: boolean; setupMs: number; loopMs: number }[]>;
  close(): Promise<void>;
}

/** Start `threads` population workers (default: one per core). */
export async function createNodePopulationPool(threads = availableParallelism()): Promise<NodePopulationPool> {
  const script = await populationWorkerScript();
  const size = Math.max(1, threads);
  const workers = Array.from({ length: size }, () => new Worker(script, { eval: true, name: 'ketasim-population' }));
  const remotes = workers.map((w) => Comlink.wrap<PopulationWorkerApi>(nodeEndpoint(w)));
  // A worker that dies (an exception outside comlink, out of memory) fails the run instead of hanging
  // it, and the run is cancelled so that the other workers leave their barrier.
  let failure: Error | null = null;
  let closing = false;
  const failures = new Set<(e: Error) => void>();
  const fail = (e: Error) => {
    failure ??= e;
    for (const f of failures) f(e);
  };
  for (const w of workers) {
    w.on('error', (e) => fail(e));
    w.on('exit', (code) => {
      if (!closing) fail(new Error(`population worker exited with code ${code}`));
    });
  }
  return {
    size,
    async run(job, options = {}) {
      if (failure) throw failure;
      const controller = new AbortController();
      const outer = options.signal;
      const onOuter = () => controller.abort();
      if (outer?.aborted) controller.abort();
      outer?.addEventListener('abort', onOuter, { once: true });
      let onFail: (e: Error) => void = () => {};
      const failed = new Promise<never>((_, reject) => {
        onFail = (e) => {
          reject(e);
          controller.abort();
        };
        failures.add(onFail);
      });
      failed.catch(() => {});
      try {
        return await Promise.race([
          runPopulationPool(remotes as unknown as PopulationRemote[], job, { ...options, signal: controller.signal }),
          failed,
        ]);
      } finally {
        failures.delete(onFail);
        outer?.removeEventListener('abort', onOuter);
      }
    },
    stats: () => Promise.all(remotes.map((r) => r.stats())),
    async close() {
      closing = true;
      for (const r of remotes) r[Comlink.releaseProxy]();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Percentile key: 5 → "p5", 2.5 → "p2.5". */
const pkey = (p: number): string => `p${p}`;
const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
const arr = (a: ArrayLike<number>): (number | null)[] => Array.from(a, num);

/** The result as JSON (units, method, parameters with sources, percentiles, probabilities, metrics). */
export function populationJson(r: PopulationResult): string {
  const job = r.job;
  const byP = (series: readonly Float64Array[]) => Object.fromEntries(r.percentiles.map((p, q) => [pkey(p), arr(series[q])]));
  const body = {
    command: 'population',
    units: { time: 'min', concentration: 'ng/mL', probability: 'fraction of virtual patients (0–1)' },
    n: job.n,
    seed: job.seed,
    cvAssumed: job.cv,
    model: { id: job.model.id ?? 'custom', name: job.model.name, structure: job.structure, ke0Source: job.model.ke0Source },
    method: {
      variability: 'log-normal: θᵢ = θ_typical · exp(ηᵢ), η ~ N(0, Ω); the typical value is the median',
      sampling:
        'xoshiro128** per patient, seeded from SplitMix64(seed) at positions 2i, 2i+1; normals by the inverse CDF (AS 241); deterministic across JavaScript engines',
      percentiles:
        'exact order statistics over all N patients at every grid point, linear interpolation between them (type 7, as numpy and R)',
      probabilities: 'fraction of virtual patients with Ce ≥ the bound at each grid point',
    },
    parameters: job.parameters.map((p) => ({
      name: p.name,
      unit: p.unit,
      typical: p.typical,
      omega2: p.omega2,
      cv: p.cv,
      variability: p.kind,
      source: p.source,
    })),
    covariances: job.covariances,
    assumptions: job.assumptions,
    warnings: job.warnings,
    percentiles: r.percentiles,
    t: arr(r.t),
    cp: byP(r.cp),
    ce: byP(r.ce),
    probabilities: r.probabilities.map((p) => ({ band: p.band, bound: p.bound, ngMl: p.ngMl, ceAtLeast: arr(p.atLeast) })),
    metrics: r.metrics.map((m) => ({
      id: m.id,
      label: m.label,
      unit: m.unit,
      patients: m.count,
      missing: job.n - m.count,
      missingMeans: m.missingMeans,
      mean: num(m.mean),
      percentiles: Object.fromEntries(r.percentiles.map((p, q) => [pkey(p), num(m.values[q])])),
    })),
    sampled: job.parameters.map((p, k) => ({
      name: p.name,
      unit: p.unit,
      typical: p.typical,
      percentiles: Object.fromEntries(r.percentiles.map((q, i) => [pkey(q), num(r.sampled[k].values[i])])),
    })),
  };
  return JSON.stringify(body, null, 1) + '\n';
}

const slug = (s: string): string => s.replace(/[^A-Za-z0-9]+/g, '_');

/** The result as CSV: '#' comment lines (parameters, sources, assumptions), then one row per grid point. */
export function populationCsv(r: PopulationResult): string {
  const job = r.job;
  const lines: string[] = [];
  lines.push(
    `# ketasim population: n=${job.n} seed=${job.seed} model=${job.model.id ?? 'custom'} (${job.model.name}); concentrations ng/mL, time min, probabilities 0-1`,
  );
  for (const p of job.parameters) {
    lines.push(
      `# parameter ${p.name} (${p.unit}): typical ${p.typical}, omega2 ${p.omega2}, CV ${(p.cv * 100).toFixed(1)}%, ${p.kind}: ${p.source}`,
    );
  }
  for (const c of job.covariances)
    lines.push(`# covariance ${c.a}-${c.b}: ${c.cov} (correlation ${c.correlation.toFixed(3)}): ${c.source}`);
  for (const a of job.assumptions) lines.push(`# ${a}`);
  for (const w of job.warnings) lines.push(`# warning ${w.code}: ${w.message}`);
  const header = ['t_min'];
  for (const p of r.percentiles) header.push(`cp_${slug(pkey(p))}_ng_per_ml`);
  for (const p of r.percentiles) header.push(`ce_${slug(pkey(p))}_ng_per_ml`);
  for (const p of r.probabilities) header.push(`p_ce_ge_${slug(p.band)}_${p.bound}_${slug(String(p.ngMl))}_ng_per_ml`);
  lines.push(header.join(','));
  const f = (x: number) => (Number.isFinite(x) ? String(x) : '');
  for (let j = 0; j < r.t.length; j++) {
    const row = [f(r.t[j])];
    for (const s of r.cp) row.push(f(s[j]));
    for (const s of r.ce) row.push(f(s[j]));
    for (const p of r.probabilities) row.push(f(p.atLeast[j]));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

/** An integer option in [lo, hi]; problems name the option. */
function intOption(
  flags: Record<string, string>,
  name: string,
  lo: number,
  hi: number,
  required: boolean,
  problems: string[],
): number | undefined {
  const v = flags[name];
  if (v === undefined) {
    if (required) problems.push(`--${name}: required; an integer between ${lo} and ${hi}`);
    return undefined;
  }
  const x = Number(v);
  if (v.trim() === '' || !Number.isSafeInteger(x) || x < lo || x > hi) {
    problems.push(`--${name}: must be an integer between ${lo} and ${hi}, got ${JSON.stringify(v)}`);
    return undefined;
  }
  return x;
}

/** The `population` command. */
export async function populationCommand(args: string[], io: Io): Promise<void> {
  const { positional, flags } = parseArgs(args, {
    n: 'value',
    seed: 'value',
    cv: 'value',
    format: 'value',
    out: 'value',
    threads: 'value',
  });
  const problems: string[] = [];
  const n = intOption(flags, 'n', 1, MAX_PATIENTS, true, problems);
  const seed = intOption(flags, 'seed', 0, MAX_SEED, true, problems);
  const threads = intOption(flags, 'threads', 1, 256, false, problems);
  let cv = DEFAULT_CV;
  if (flags.cv !== undefined) {
    const x = Number(flags.cv);
    if (flags.cv.trim() === '' || !Number.isFinite(x) || x < 0 || x > MAX_CV) {
      problems.push(`--cv: must be a number between 0 and ${MAX_CV} (a fraction: 0.3 is 30%), got ${JSON.stringify(flags.cv)}`);
    } else cv = x;
  }
  const format = flags.format ?? 'json';
  if (format !== 'json' && format !== 'csv')
    problems.push(`--format: unknown format ${JSON.stringify(format)}; expected one of json, csv`);
  if (problems.length) throw new UsageError(problems);
  const plan = readPlan(positional, io);
  const prepared = preparePopulation(plan, { n: n!, seed: seed!, cv });
  if (!prepared.ok) throw new UsageError(prepared.problems.map((p) => `--${p.path}: ${p.message}`));
  const pool = await createNodePopulationPool(threads);
  let result: PopulationResult;
  try {
    result = await pool.run(prepared.job);
  } finally {
    await pool.close();
  }
  const text = format === 'csv' ? populationCsv(result) : populationJson(result);
  if (flags.out && flags.out !== '-') {
    try {
      io.writeFile(flags.out, text);
    } catch (e) {
      throw new OutputError(
        `--out: cannot write ${JSON.stringify(flags.out)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  } else io.write(text);
}

registerCommand('population', populationCommand);
