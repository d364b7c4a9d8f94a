// `ketasim population`: worker_threads pool (esbuild-bundled worker), percentiles/probabilities/distributions as JSON or CSV.
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { nodeEndpoint } from './node-endpoint.ts';
import { doseLimitsOf, LIMITS_HELP, parseArgs, readFormat, readPlan, registerCommand, UsageError, type Io } from './main.ts';
import { BYTES_PER_NUMBER, buildMeta, checkOutputSize, printWarnings, writeOutput } from './output.ts';
import { CHUNK_CHARS, jsonChunks } from '../engine/output.ts';
import { runPopulationLocal } from '../engine/population/local.ts';
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
 * The worker thread runs build/population-worker.mjs, the bundle of cli/population-worker.ts made at
 * build time (scripts/build-cli.mjs): beside build/ketasim.cjs in a build, and rebuilt first when the
 * sources are newer in a source checkout (tests and benches import this file directly).
 */

/** The prebuilt worker bundle: a sibling of the running bundle, or build/ of a source checkout. */
export async function populationWorkerScript(): Promise<URL> {
  const sibling = new URL('./population-worker.mjs', import.meta.url);
  if (existsSync(sibling)) return sibling;
  // A source checkout: bring build/ up to date (cheap when it is), then use its worker bundle.
  const build = (await import(/* @vite-ignore */ BUILD_SCRIPT)) as { ensureBuilt(): Promise<string> };
  const outdir = await build.ensureBuilt();
  return new URL(`file://${outdir}/population-worker.mjs`);
}

/** The build script, for a source checkout only (never bundled: the bundle has its sibling worker). */
const BUILD_SCRIPT = new URL('../scripts/build-cli.mjs', import.meta.url).href;

/**
 * Runs up to this many patient × grid points (e.g. 1,000 patients × 1,441 points) on the main thread when
 * `--threads` is not given: thread start-up (~0.5 s for two workers) costs more than such a run.
 * runPopulationLocal is the reference the pool equals bit for bit (test/workers/population-pool.test.ts).
 */
export const LOCAL_MAX_PATIENT_POINTS = 2_000_000;

/** A pool of population worker threads. */
export interface NodePopulationPool {
  readonly size: number;
  run(job: PopulationJob, options?: PoolOptions): Promise<PopulationResult>;
  /** Workers' own statistics (steps run), for tests. */
  stats(): Promise<
    { steps: number; busy: boolean; setupMs: number; loopMs: number; sampledHits: number; sampledMisses: number }[]
  >;
  close(): Promise<void>;
}

/** Start `threads` population workers (default: one per core). */
export async function createNodePopulationPool(threads = availableParallelism()): Promise<NodePopulationPool> {
  const script = fileURLToPath(await populationWorkerScript());
  const size = Math.max(1, threads);
  const workers = Array.from({ length: size }, () => new Worker(script, { name: 'ketasim-population' }));
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

/**
 * The result as JSON (units, method, parameters with sources, percentiles, probabilities, metrics, meta),
 * in chunks. Concentrations and probabilities are finite (checked first, `checkFinite`); a metric's
 * percentile or mean is null only when no patient has a value (e.g. no recovery within the horizon: see
 * `missing` and `missingMeans`).
 */
export function* populationJsonChunks(r: PopulationResult): Generator<string> {
  const job = r.job;
  const byP = (series: readonly Float64Array[]) => Object.fromEntries(r.percentiles.map((p, q) => [pkey(p), series[q]]));
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
    t: r.t,
    cp: byP(r.cp),
    ce: byP(r.ce),
    probabilities: r.probabilities.map((p) => ({ band: p.band, bound: p.bound, ngMl: p.ngMl, ceAtLeast: p.atLeast })),
    metrics: r.metrics.map((m) => ({
      id: m.id,
      label: m.label,
      unit: m.unit,
      patients: m.count,
      missing: job.n - m.count,
      missingMeans: m.missingMeans,
      mean: m.mean,
      percentiles: Object.fromEntries(r.percentiles.map((p, q) => [pkey(p), m.values[q]])),
    })),
    sampled: job.parameters.map((p, k) => ({
      name: p.name,
      unit: p.unit,
      typical: p.typical,
      percentiles: Object.fromEntries(r.percentiles.map((q, i) => [pkey(q), r.sampled[k].values[i]])),
    })),
    meta: populationMeta(job),
  };
  yield* jsonChunks(body, { indent: 1, nonFinite: 'null' });
  yield '\n';
}

/** The result as one JSON string (see `populationJsonChunks`). */
export function populationJson(r: PopulationResult): string {
  return Array.from(populationJsonChunks(r)).join('');
}

/** The `meta` of a population output: the typical patient's model and ke0 (cli/output.ts `buildMeta`). */
export function populationMeta(job: PopulationJob) {
  const ke0 = job.parameters.find((p) => p.name === 'ke0');
  return buildMeta(
    'population',
    { id: job.model.id, name: job.model.name, ke0PerMin: ke0 ? ke0.typical : Number.NaN, ke0Source: job.model.ke0Source },
    job.warnings,
    { time: 'min', concentration: 'ng/mL', ke0: '1/min', probability: 'fraction of virtual patients (0–1)' },
  );
}

/**
 * A result whose concentrations or probabilities are not all finite (a dose so large that a patient's
 * concentration overflows) is refused, naming the series and time, as `predictChecked` does for one plan.
 */
export function checkFinite(r: PopulationResult): void {
  const series: [string, ArrayLike<number>][] = [
    ...r.percentiles.map((p, q): [string, ArrayLike<number>] => [`cp ${pkey(p)}`, r.cp[q]]),
    ...r.percentiles.map((p, q): [string, ArrayLike<number>] => [`ce ${pkey(p)}`, r.ce[q]]),
    ...r.probabilities.map((p): [string, ArrayLike<number>] => [`P(ce ≥ ${p.band} ${p.bound})`, p.atLeast]),
  ];
  for (const [name, a] of series)
    for (let j = 0; j < a.length; j++)
      if (!Number.isFinite(a[j]))
        throw new UsageError([
          `regimen: the population's ${name} at t = ${r.t[j]} min is not a finite number: a dose or rate is too large (or a volume too small) to compute`,
        ]);
}

const slug = (s: string): string => s.replace(/[^A-Za-z0-9]+/g, '_');

/** The result as CSV: '#' comment lines (parameters, sources, assumptions, warnings), then one row per grid point, in chunks. */
export function* populationCsvChunks(r: PopulationResult): Generator<string> {
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
  let chunk = lines.join('\n') + '\n';
  const f = (x: number) => (Number.isFinite(x) ? String(x) : '');
  for (let j = 0; j < r.t.length; j++) {
    let row = f(r.t[j]);
    for (const s of r.cp) row += ',' + f(s[j]);
    for (const s of r.ce) row += ',' + f(s[j]);
    for (const p of r.probabilities) row += ',' + f(p.atLeast[j]);
    chunk += row + '\n';
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** The result as one CSV string (see `populationCsvChunks`). */
export function populationCsv(r: PopulationResult): string {
  return Array.from(populationCsvChunks(r)).join('');
}

/** Upper bound of the output size, bytes: every grid point's time, percentiles and probabilities, plus the header part. */
export function populationOutputEstimate(job: PopulationJob): number {
  const probabilities = job.bands.reduce((k, b) => k + (b.highNgMl === undefined ? 1 : 2), 0);
  const columns = 1 + 2 * job.percentiles.length + probabilities;
  return job.grid.count * columns * BYTES_PER_NUMBER + (1 << 20);
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
export async function populationCommand(args: string[], io: Io, err: (line: string) => void = () => {}): Promise<void> {
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
  const { format, problem: formatWrong } = readFormat(flags, ['json', 'csv']);
  if (formatWrong !== null) problems.push(formatWrong);
  if (problems.length) throw new UsageError(problems);
  const limits = doseLimitsOf(io);
  const plan = await readPlan(positional, io);
  const prepared = preparePopulation(plan, { n: n!, seed: seed!, cv }, limits);
  if (!prepared.ok) throw new UsageError(prepared.problems.map((p) => `--${p.path}: ${p.message}`));
  checkOutputSize(populationOutputEstimate(prepared.job), 'the population output');
  let result: PopulationResult;
  if (threads === undefined && prepared.job.n * prepared.job.grid.count <= LOCAL_MAX_PATIENT_POINTS) {
    // Starting worker threads costs more than a small run itself: run it here, with the same bits.
    result = await runPopulationLocal(prepared.job);
  } else {
    const pool = await createNodePopulationPool(threads);
    try {
      result = await pool.run(prepared.job);
    } finally {
      await pool.close();
    }
  }
  checkFinite(result);
  printWarnings(prepared.job.warnings, err);
  await writeOutput(format === 'csv' ? populationCsvChunks(result) : populationJsonChunks(result), flags.out, io);
}

/** `ketasim population --help`. */
export const POPULATION_USAGE = `usage: ketasim population PLAN.json --n N --seed S [--cv 0.3] [--format json|csv] [--out FILE] [--threads K] [--dose-limits FILE]

Simulates N virtual patients (log-normal variability; published ω² where the model has them, else an
ASSUMED coefficient of variation, labelled so) and writes, over the plan's grid: exact percentiles
(5, 25, 50, 75, 95) of cp and ce (ng/mL), the fraction of patients with ce at or above each band bound,
the distribution of each per-patient metric, and every parameter with its source. Same seed, same output,
whatever the thread count.
  --n N           virtual patients, 1–${MAX_PATIENTS} (required)
  --seed S        integer 0–${MAX_SEED} (required)
  --cv F          assumed CV where none is published, a fraction 0–${MAX_CV} (default ${DEFAULT_CV})
  --format json   everything above plus "meta" (default); a metric's value is null only when no patient has one
  --format csv    '#' comment lines (parameters, sources, assumptions, warnings), then one row per grid point
  --threads K     worker threads, 1–256 (default: one per core; a run of ≤ 2 million patient × grid points
                  without --threads runs in the main process, same bits)
  --out FILE      write to FILE instead of standard output ("-": standard output)
${LIMITS_HELP}`;

registerCommand('population', populationCommand, {
  doseLimits: true,
  summary: '  ketasim population PLAN.json --n N --seed S [--cv 0.3] [--format json|csv] [--out FILE]',
  usage: POPULATION_USAGE,
});
