/**
 * Validate benchmark: 50 subjects × 12 observations × 3 models (Domino 1984, Kamp 2020, Hijazi 2003)
 * through `ketasim validate` as a real process (target ≤ 1 s wall), and in process: read + check +
 * predict-at-observations (engine/research) against a baseline that simulates each subject's whole
 * 10-s grid with `predict()` and reads the observations off it (same values here: every observation is
 * on the grid).
 *
 *   node bin/run-ts.mjs bench/validate.bench.ts [--json] [--runs N (default 5)]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MODEL_IDS } from '../engine/models/registry.ts';
import { parsePlan } from '../engine/plan.ts';
import { predict } from '../engine/predict.ts';
import { readNonmem } from '../engine/research/nonmem.ts';
import { checkModelNeeds, validateModels } from '../engine/research/validate.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 5;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs: must be a positive integer');
const SUBJECTS = 50;
const MODELS = ['domino-1984', 'kamp-2020', 'hijazi-2003'];
/** Observation times, min (on the 10-s grid). */
const OBS_MIN = [2, 5, 10, 20, 30, 40, 45, 60, 90, 120, 180, 240];
const BIN = join(import.meta.dirname, '..', 'bin', 'ketasim.mjs');

/** Subject k: weight 50–99 kg, 0.2 mg/kg bolus, then 0.5 mg/kg over 40 min. */
const planOf = (k: number) => {
  const r = parsePlan(
    {
      patient: { weightKg: 50 + k, ageYears: 40 },
      model: { id: 'domino-1984' },
      regimen: [
        { at: 0, bolus: 0.2, unit: 'mg/kg' },
        { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
      ],
      horizonMin: 240,
      resolutionSec: 10,
    },
    MODEL_IDS,
  );
  if (!r.ok) throw new Error('bench plan refused');
  return r.plan;
};
// DV: Domino's Cp times a deterministic "error" between −15 % and +25 % (no Math.random: reproducible).
const rows = ['# time-unit: h', 'ID,TIME,AMT,RATE,DV,EVID,MDV,WT,AGE'];
for (let k = 0; k < SUBJECTS; k++) {
  const w = 50 + k;
  const cp = predict(planOf(k)).trajectory.cp;
  rows.push(`${k + 1},0,${0.2 * w},0,.,1,1,${w},40`, `${k + 1},0,${0.5 * w},${0.75 * w},.,1,1,${w},40`);
  OBS_MIN.forEach((t, i) => rows.push(`${k + 1},${t / 60},.,.,${cp[t * 6] * (1.05 + 0.2 * Math.sin(k + i))},0,0,${w},40`));
}
const text = rows.join('\n') + '\n';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const time = (fn: () => void, reps: number) =>
  median(
    Array.from({ length: reps }, () => {
      const t0 = performance.now();
      fn();
      return performance.now() - t0;
    }),
  );

const engine = () => {
  const r = readNonmem(text);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  if (checkModelNeeds(r.dataset, MODELS).length) throw new Error('needs');
  validateModels(r.dataset, MODELS);
};
const baseline = () => {
  for (const id of MODELS)
    for (let k = 0; k < SUBJECTS; k++) {
      const plan = { ...planOf(k), model: { id } };
      const cp = predict(plan).trajectory.cp;
      for (const t of OBS_MIN) if (!(cp[t * 6] > 0)) throw new Error('baseline');
    }
};
engine();
baseline();
const engineMs = time(engine, 20);
const baselineMs = time(baseline, 5);

const dir = mkdtempSync(join(tmpdir(), 'ketasim-validate-bench-'));
try {
  const file = join(dir, 'data.csv');
  writeFileSync(file, text);
  const argv = [BIN, 'validate', file, ...MODELS.flatMap((m) => ['--model', m])];
  const wall = () => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, argv, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return performance.now() - t0;
  };
  wall();
  const walls = Array.from({ length: RUNS }, wall);
  const record = {
    bench: 'validate',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
    subjects: SUBJECTS,
    observationsPerSubject: OBS_MIN.length,
    models: MODELS,
    cliWallMs: { median: Math.round(median(walls)), min: Math.round(Math.min(...walls)), runs: RUNS },
    inProcessMs: Math.round(engineMs * 10) / 10,
    baselineGridMs: Math.round(baselineMs * 10) / 10,
    targetMs: 1000,
  };
  console.log(`ketasim validate: ${SUBJECTS} subjects × ${OBS_MIN.length} observations × ${MODELS.length} models`);
  console.log(`  CLI (real process): median ${record.cliWallMs.median} ms wall (min ${record.cliWallMs.min}, ${RUNS} runs)`);
  console.log(`  in process (read, check, exact predictions at observations, Varvel measures): ${record.inProcessMs} ms`);
  console.log(`  baseline: predict() of each subject's whole 10-s grid (1,441 points) per model: ${record.baselineGridMs} ms`);
  console.log(
    `  target ≤ ${record.targetMs} ms: ${record.cliWallMs.median <= record.targetMs ? 'met' : 'NOT met'}; load average ${record.loadavg.join(' ')}`,
  );
  if (json) console.log(JSON.stringify(record));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
