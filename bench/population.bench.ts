/**
 * Population benchmark, workload P (issue 5): Domino 1984 3-compartment model with effect site at
 * 70 kg, 30% CV on all seven parameters (v1, k10, k12, k21, k13, k31, ke0), 0.5 mg/kg over 40 min,
 * 240 min at 10-s output (1,441 points), cp and ce, exact 5/50/95th percentiles at every point (the
 * pipeline also computes the probability of Ce ≥ each default band bound at every point).
 *
 *   npm run bench:population -- --n 10000 --json [--reps 5] [--threads 2]
 *
 * - `seconds`: median wall time of a complete run on a FRESH worker pool — spawning the worker
 *   threads, their cold JIT, sampling, simulating, reducing, merging. The one-off esbuild bundling of
 *   the worker script (once per process) is `bundleSeconds`, not included.
 * - `warmSeconds`: median of the same run on a pool that has already run it once (the dashboard's
 *   case after its first run); `seconds − warmSeconds` is the start-up cost.
 * - Baselines: the identical computation on the calling thread (`singleThreadSeconds`, warm), and
 *   the simulation with percentiles by sorting every column (`sortBaselineSeconds`).
 * - Memory: resident set size of the whole process (main thread and worker threads) before the
 *   runs, its peak during the fresh workload-P runs, and its peak over the whole bench (which also
 *   runs the single-thread and sort baselines in this process).
 * - The 1-minute load average is recorded with each fresh run: this 2-core machine is shared, and
 *   another process on one core slows a two-thread run by up to 2×.
 * The last stdout line is the JSON record.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parsePlan, type Plan } from '../engine/plan.ts';
import { MODEL_IDS } from '../engine/models/registry.ts';
import { preparePopulation, type PopulationRequest } from '../engine/population/spec.ts';
import { runPopulationLocal } from '../engine/population/local.ts';
import { PatientSlice } from '../engine/population/runner.ts';
import { percentileOfSorted } from '../engine/population/select.ts';
import type { PopulationJob } from '../engine/population/types.ts';
import { createNodePopulationPool, populationWorkerScript, type NodePopulationPool } from '../cli/population.ts';

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
const log = (s: string) => (json ? console.error(s) : console.log(s));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r3 = (x: number) => Math.round(x * 1000) / 1000;

const WORKLOAD_P = {
  patient: { weightKg: 70 },
  model: { id: 'domino-1984' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin: 240,
  resolutionSec: 10,
};
const parsed = parsePlan(WORKLOAD_P, MODEL_IDS);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const plan: Plan = parsed.plan;
function job(req: Omit<PopulationRequest, 'n' | 'seed' | 'cv'>): PopulationJob {
  const p = preparePopulation(plan, { n, seed: 20241, cv: 0.3, ...req });
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.job;
}
const jobP = job({ percentiles: [5, 50, 95], metrics: false });
if (
  jobP.grid.count !== 1441 ||
  jobP.parameters.length !== 7 ||
  jobP.parameters.some((p) => p.kind !== 'assumed' || Math.abs(p.cv - 0.3) > 1e-12)
) {
  throw new Error('workload P must vary all seven parameters with CV 30% on 1,441 points');
}
const jobFull = job({ metrics: true }); // the product default: 5 percentiles, per-patient metrics

const rssBaseline = process.memoryUsage().rss;
let peakRss = rssBaseline;
const rssTimer = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 2);

let t = performance.now();
await populationWorkerScript();
const bundleSeconds = (performance.now() - t) / 1000;

interface Timed {
  total: number;
  setup: number;
  loop: number;
  digest: number;
}
async function timedRun(pool: NodePopulationPool, j: PopulationJob): Promise<Timed> {
  const t0 = performance.now();
  const r = await pool.run(j);
  const total = (performance.now() - t0) / 1000;
  const stats = await pool.stats();
  return {
    total,
    setup: Math.max(...stats.map((s) => s.setupMs)) / 1000,
    loop: Math.max(...stats.map((s) => s.loopMs)) / 1000,
    digest: r.ce[1][240],
  };
}
async function fresh(j: PopulationJob): Promise<Timed> {
  const t0 = performance.now();
  const pool = await createNodePopulationPool(threads);
  const r = await timedRun(pool, j);
  const total = (performance.now() - t0) / 1000;
  await pool.close();
  return { ...r, total };
}

// Fresh pools: the headline.
const freshRuns: Timed[] = [];
const loads: number[] = [];
for (let k = 0; k < reps; k++) {
  loads.push(loadavg()[0]);
  freshRuns.push(await fresh(jobP));
}
const seconds = median(freshRuns.map((r) => r.total));
const peakRssFreshRuns = peakRss;
log(
  `workload P, n=${n}, ${threads} threads, fresh pool: ${freshRuns.map((r) => r.total.toFixed(3)).join(' ')} s (median ${seconds.toFixed(3)}); slowest worker: sampling+set-up ${median(freshRuns.map((r) => r.setup)).toFixed(3)} s, block loop ${median(freshRuns.map((r) => r.loop)).toFixed(3)} s; load ${loads.map((l) => l.toFixed(2)).join(' ')}`,
);

// A warm pool (one run to warm it, then the timed runs).
const pool = await createNodePopulationPool(threads);
await pool.run(jobP);
const warmRuns: Timed[] = [];
for (let k = 0; k < reps; k++) warmRuns.push(await timedRun(pool, jobP));
const warmSeconds = median(warmRuns.map((r) => r.total));
log(`warm pool: ${warmRuns.map((r) => r.total.toFixed(3)).join(' ')} s (median ${warmSeconds.toFixed(3)})`);
const fullWarm: number[] = [];
await pool.run(jobFull);
for (let k = 0; k < Math.min(reps, 3); k++) fullWarm.push((await timedRun(pool, jobFull)).total);
await pool.close();
const fullFresh: number[] = [];
for (let k = 0; k < Math.min(reps, 3); k++) fullFresh.push((await fresh(jobFull)).total);
log(
  `product default (5 percentiles, per-patient metrics, probabilities): fresh ${fullFresh.map((x) => x.toFixed(3)).join(' ')} s, warm ${fullWarm.map((x) => x.toFixed(3)).join(' ')} s`,
);

// Baseline 1: the identical computation on this thread (warm: after one discarded run).
await runPopulationLocal(jobP);
const single: number[] = [];
for (let k = 0; k < Math.min(reps, 3); k++) {
  t = performance.now();
  const r = await runPopulationLocal(jobP);
  single.push((performance.now() - t) / 1000);
  if (r.ce[1][240] !== freshRuns[0].digest) throw new Error('single-thread result differs from the pool');
}
const singleThreadSeconds = median(single);
log(`single thread (warm): ${single.map((x) => x.toFixed(3)).join(' ')} s`);

// Baseline 2: simulation on this thread, percentiles by sorting each column (the naive exact method).
t = performance.now();
{
  const slice = await PatientSlice.create(jobP, 0, n, false);
  const B = jobP.layout.blockSize,
    T = jobP.grid.count,
    nb = slice.scales.nb;
  const cp = new Float64Array(n * B),
    ce = new Float64Array(n * B);
  const hc = new Int32Array(B * nb),
    he = new Int32Array(B * nb);
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

clearInterval(rssTimer);
const out = {
  n,
  seconds: r3(seconds),
  threads,
  reps,
  freshRunsSeconds: freshRuns.map((r) => r3(r.total)),
  warmSeconds: r3(warmSeconds),
  startupSeconds: r3(seconds - warmSeconds),
  workerSetupSecondsFresh: r3(median(freshRuns.map((r) => r.setup))),
  workerLoopSecondsFresh: r3(median(freshRuns.map((r) => r.loop))),
  bundleSeconds: r3(bundleSeconds),
  productDefaultFreshSeconds: r3(median(fullFresh)),
  productDefaultWarmSeconds: r3(median(fullWarm)),
  singleThreadSeconds: r3(singleThreadSeconds),
  sortBaselineSeconds: r3(sortBaselineSeconds),
  rssBeforeRunsMb: Math.round(rssBaseline / 1048576),
  peakRssWorkloadPMb: Math.round(peakRssFreshRuns / 1048576),
  peakRssWholeBenchMb: Math.round(Math.max(peakRss / 1048576, process.resourceUsage().maxRSS / 1024)),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  loadAverage1mAtFreshRuns: loads.map((l) => Math.round(l * 100) / 100),
};
console.log(JSON.stringify(out));
