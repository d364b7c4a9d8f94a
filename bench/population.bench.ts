/**
 * Population benchmark, workload P (issue 5): Domino 1984 3-compartment model with effect site at
 * 70 kg, 30% CV on all seven parameters (v1, k10, k12, k21, k13, k31, ke0), 0.5 mg/kg over 40 min,
 * 240 min at 10-s output (1,441 points), cp and ce, exact 5/50/95th percentiles at every point.
 *
 *   npm run bench:population -- --n 10000 --json [--reps 5] [--threads 2]
 *
 * `seconds` is the median wall time of a complete run on a fresh worker pool: spawning the worker
 * threads (cold JIT included), sampling, simulating, reducing and merging (the one-off esbuild
 * bundling of the worker script, once per process, is reported separately as `bundleSeconds`).
 * The 1-minute load average is recorded with each run: this machine is shared, and another process
 * on one of the two cores roughly doubles a run. Baselines: the same run on
 * the calling thread (`singleThreadSeconds`), and the simulation alone with percentiles by sorting
 * every column (`sortBaselineSeconds`). The last stdout line is JSON.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parsePlan, type Plan } from '../engine/plan.ts';
import { MODEL_IDS } from '../engine/models/registry.ts';
import { preparePopulation } from '../engine/population/spec.ts';
import { runPopulationLocal } from '../engine/population/local.ts';
import { PatientSlice } from '../engine/population/runner.ts';
import { percentileOfSorted } from '../engine/population/select.ts';
import type { PopulationJob } from '../engine/population/types.ts';
import { createNodePopulationPool, populationWorkerScript } from '../cli/population.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: number): number => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: expected a positive number, got ${args[i + 1]}`);
  return v;
};
const n = opt('n', 10_000);
const reps = opt('reps', 5);
const threads = opt('threads', availableParallelism());
const json = args.includes('--json');

export const WORKLOAD_P: unknown = {
  patient: { weightKg: 70 },
  model: { id: 'domino-1984' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin: 240,
  resolutionSec: 10,
};

function job(plan: Plan, metrics: boolean): PopulationJob {
  const p = preparePopulation(plan, { n, seed: 20241, cv: 0.3, percentiles: [5, 50, 95], metrics });
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.job;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (s: string) => { if (!json) console.log(s); else console.error(s); };

const parsed = parsePlan(WORKLOAD_P, MODEL_IDS);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const jobP = job(parsed.plan, false);
if (jobP.parameters.length !== 7 || jobP.parameters.some((p) => p.kind !== 'assumed' || Math.abs(p.cv - 0.3) > 1e-12)) {
  throw new Error('workload P must vary all seven parameters with CV 30%');
}

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 5);

let t = performance.now();
await populationWorkerScript();
const bundleSeconds = (performance.now() - t) / 1000;

interface Run { total: number; spawn: number; setup: number; loop: number; digest: number }
async function pooled(j: PopulationJob): Promise<Run> {
  const t0 = performance.now();
  const pool = await createNodePopulationPool(threads);
  const t1 = performance.now();
  const r = await pool.run(j);
  const t2 = performance.now();
  const stats = await pool.stats();
  await pool.close();
  return {
    total: (t2 - t0) / 1000, spawn: (t1 - t0) / 1000,
    setup: Math.max(...stats.map((s) => s.setupMs)) / 1000, loop: Math.max(...stats.map((s) => s.loopMs)) / 1000,
    digest: r.ce[1][240],
  };
}

const runs: Run[] = [];
const loads: number[] = [];
for (let k = 0; k < reps; k++) {
  loads.push(loadavg()[0]);
  runs.push(await pooled(jobP));
}
const seconds = median(runs.map((r) => r.total));
log(`workload P, n=${n}, ${threads} threads: ${runs.map((r) => r.total.toFixed(3)).join(' ')} s (median ${seconds.toFixed(3)}, best ${Math.min(...runs.map((r) => r.total)).toFixed(3)}); in the slowest worker: sampling+set-up ${median(runs.map((r) => r.setup)).toFixed(3)} s, block loop ${median(runs.map((r) => r.loop)).toFixed(3)} s; bundle once ${bundleSeconds.toFixed(3)} s`);

// Product path: the same population with metrics, five percentiles and all band probabilities.
const fullJob = (() => {
  const p = preparePopulation(parsed.plan, { n, seed: 20241, cv: 0.3, metrics: true });
  if (!p.ok) throw new Error('prepare');
  return p.job;
})();
const full: number[] = [];
for (let k = 0; k < Math.min(reps, 3); k++) full.push((await pooled(fullJob)).total);
const fullSeconds = median(full);
log(`with metrics, 5 percentiles: ${full.map((x) => x.toFixed(3)).join(' ')} s`);

// Baseline 1: the identical computation on this thread.
const single: number[] = [];
for (let k = 0; k < Math.min(reps, 3); k++) {
  t = performance.now();
  const r = await runPopulationLocal(jobP);
  single.push((performance.now() - t) / 1000);
  if (r.ce[1][240] !== runs[0].digest) throw new Error('single-thread result differs from the pool');
}
const singleThreadSeconds = median(single);
log(`single thread: ${single.map((x) => x.toFixed(3)).join(' ')} s`);

// Baseline 2: simulation on this thread, percentiles by sorting each column (the naive exact method).
t = performance.now();
{
  const slice = await PatientSlice.create(jobP, 0, n, false);
  const B = jobP.layout.blockSize, T = jobP.grid.count, nb = slice.scales.nb;
  const cp = new Float64Array(n * B), ce = new Float64Array(n * B);
  const hc = new Int32Array(B * nb), he = new Int32Array(B * nb);
  const col = new Float64Array(n);
  let check = 0;
  for (let j0 = 0; j0 < T; j0 += B) {
    const j1 = Math.min(T, j0 + B);
    slice.block(j0, j1, cp, ce, n, 0, hc, he);
    for (let jj = 0; jj < j1 - j0; jj++) {
      for (const buf of [cp, ce]) {
        col.set(buf.subarray(jj * n, (jj + 1) * n));
        col.sort();
        for (const p of [5, 50, 95]) check += percentileOfSorted(col, p);
      }
    }
  }
  if (!Number.isFinite(check)) throw new Error('sort baseline');
}
const sortBaselineSeconds = (performance.now() - t) / 1000;
log(`sort-based percentiles, single thread: ${sortBaselineSeconds.toFixed(3)} s`);

clearInterval(sampler);
const maxRssMb = process.resourceUsage().maxRSS / 1024;
const out = {
  n,
  seconds,
  threads,
  reps,
  bestSeconds: Math.min(...runs.map((r) => r.total)),
  runsSeconds: runs.map((r) => Math.round(r.total * 1000) / 1000),
  workerSetupSeconds: median(runs.map((r) => r.setup)),
  workerLoopSeconds: median(runs.map((r) => r.loop)),
  bundleSeconds,
  fullProductSeconds: fullSeconds,
  singleThreadSeconds,
  sortBaselineSeconds,
  peakRssMb: Math.round(Math.max(peakRss / 1048576, maxRssMb)),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  loadAverage1mDuringRuns: loads.map((l) => Math.round(l * 100) / 100),
};
console.log(JSON.stringify(out));
