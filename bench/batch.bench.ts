/**
 * Batch benchmark: 1,000 plans (4 h at 10 s, 1,441 points each; four registry models, weights 50–90 kg,
 * five dose levels) through `ketasim batch` as a real process, against 1,000 single `ketasim simulate`
 * calls (20 measured and extrapolated ×50, stated as such); plus the in-process breakdown (validate,
 * predict, write) of engine/research/batch.ts. Target: the batch in ≤ 2 s wall.
 *
 *   node bin/run-ts.mjs bench/batch.bench.ts [--json] [--runs N (batch runs, default 5)] [--singles N (default 20)]
 *   … with --json the LAST line of stdout is one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { batchLineChunks, ndjsonLines, predictPlan, readBatchInput } from '../engine/research/batch.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const intArg = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name}: must be a positive integer, got ${args[i + 1]}`);
  return v;
};
const RUNS = intArg('--runs', 5);
const SINGLES = intArg('--singles', 20);
const PLANS = 1000;
const BIN = join(import.meta.dirname, '..', 'bin', 'ketasim.mjs');

const MODELS = ['domino-1984', 'kamp-2020', 'hijazi-2003', 'fanta-2015-s-ketamine'];
/** Plan i of the workload: 4 h at 10 s; 0.5–1.0 mg/kg over 40 min, then a 10-mg bolus at 60 min. */
const planOf = (i: number) => ({
  patient: { weightKg: 50 + (i % 41), ageYears: 40 },
  model: { id: MODELS[i % MODELS.length] },
  regimen: [
    { at: 0, dose: 0.5 * (1 + (i % 5) / 4), unit: 'mg/kg', overMin: 40 },
    { at: 60, bolus: 10, unit: 'mg' },
  ],
  horizonMin: 240,
  resolutionSec: 10,
});

const dir = mkdtempSync(join(tmpdir(), 'ketasim-batch-bench-'));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Wall time of one real process, ms; throws on a non-zero exit. */
function wall(argv: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`ketasim ${argv.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return ms;
}

try {
  const ndjson = join(dir, 'plans.ndjson');
  writeFileSync(ndjson, Array.from({ length: PLANS }, (_, i) => JSON.stringify(planOf(i))).join('\n') + '\n');
  const out = join(dir, 'out.ndjson');

  // In-process breakdown (one warm-up pass, then one timed pass).
  const text = readFileSync(ndjson, 'utf8');
  const inProcess = () => {
    const t0 = performance.now();
    const inputs = ndjsonLines(text).map((l) => readBatchInput(l));
    const t1 = performance.now();
    const results = inputs.map((r, i) => (r.ok ? predictPlan(r.plan, i) : null));
    const t2 = performance.now();
    let chars = 0;
    for (const r of results) if (r) for (const c of batchLineChunks(r, () => ({}))) chars += c.length;
    const t3 = performance.now();
    if (results.some((r) => !r?.ok)) throw new Error('a workload plan was refused');
    return { validateMs: t1 - t0, predictMs: t2 - t1, writeMs: t3 - t2, chars };
  };
  inProcess();
  const breakdown = inProcess();

  // The CLI: batch (trajectories to a file, and --metrics), then single simulate calls.
  wall(['batch', ndjson, '--out', out]); // warm-up (also rebuilds build/ if the sources changed)
  const batchRuns = Array.from({ length: RUNS }, () => wall(['batch', ndjson, '--out', out]));
  const outBytes = statSync(out).size;
  const metricsRuns = Array.from({ length: RUNS }, () => wall(['batch', ndjson, '--metrics', '--out', out]));
  const single = join(dir, 'plan.json');
  const singleOut = join(dir, 'single.json');
  const singleRuns = Array.from({ length: SINGLES }, (_, k) => {
    writeFileSync(single, JSON.stringify(planOf(k)));
    return wall(['simulate', single, '--out', singleOut]);
  });
  const singleMedian = median(singleRuns);
  const record = {
    bench: 'batch',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
    plans: PLANS,
    pointsPerPlan: 1441,
    outputMB: Math.round(outBytes / 1e5) / 10,
    batchWallMs: { median: Math.round(median(batchRuns)), min: Math.round(Math.min(...batchRuns)), runs: RUNS },
    batchMetricsWallMs: { median: Math.round(median(metricsRuns)), min: Math.round(Math.min(...metricsRuns)), runs: RUNS },
    singleCallWallMs: { median: Math.round(singleMedian), min: Math.round(Math.min(...singleRuns)), measured: SINGLES },
    baselineExtrapolatedMs: Math.round(singleMedian * PLANS),
    inProcessMs: {
      validate: Math.round(breakdown.validateMs),
      predict: Math.round(breakdown.predictMs),
      write: Math.round(breakdown.writeMs),
    },
    targetMs: 2000,
  };
  console.log(`ketasim batch: ${PLANS} plans × 1,441 points (4 h at 10 s), ${record.outputMB} MB of NDJSON to a file`);
  console.log(
    `  batch, trajectories:   median ${record.batchWallMs.median} ms wall (min ${record.batchWallMs.min}, ${RUNS} runs)`,
  );
  console.log(
    `  batch, --metrics:      median ${record.batchMetricsWallMs.median} ms wall (min ${record.batchMetricsWallMs.min})`,
  );
  console.log(
    `  baseline: single simulate call median ${record.singleCallWallMs.median} ms (${SINGLES} measured) → ${PLANS} calls ≈ ${record.baselineExtrapolatedMs} ms (extrapolated ×${PLANS / SINGLES} from ${SINGLES})`,
  );
  console.log(
    `  in-process: validate ${record.inProcessMs.validate} ms, predict ${record.inProcessMs.predict} ms, write JSON ${record.inProcessMs.write} ms`,
  );
  console.log(
    `  target ≤ ${record.targetMs} ms: ${record.batchWallMs.median <= record.targetMs ? 'met' : 'NOT met'}; load average ${record.loadavg.join(' ')}`,
  );
  if (json) console.log(JSON.stringify(record));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
