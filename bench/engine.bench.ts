/**
 * Engine benchmark: one 24-hour plan at 1-second resolution (86,401 points, cp and ce), Domino 1984 at
 * 70 kg (3 compartments + effect site), 0.5 mg/kg over 40 min then off.
 *
 * Measured: `predict()` (plan → trajectory, allocating its output) and the lower-level `runGrid` into
 * preallocated buffers, each after a warm-up, over many repetitions (median, p95, min). Baseline: the
 * independent fixed-step RK4 integrator of test/support/rk4.ts with the largest step (halving from the
 * grid step) whose max relative error against the exact engine is ≤ 1e-6, for cp and ce alike.
 *
 *   npm run bench:engine              human-readable table
 *   npm run bench:engine -- --json    … and the LAST line of stdout is one JSON object
 *   options: --reps N (engine repetitions, default 400), --baseline-reps N (default 40)
 */
import { performance } from 'node:perf_hooks';
import { parsePlan, gridPointCount, type Plan } from '../engine/plan.ts';
import { MODEL_IDS } from '../engine/models/registry.ts';
import { predict, resolveModel } from '../engine/predict.ts';
import { regimenToActions } from '../engine/dosing/actions.ts';
import { runGrid } from '../engine/simulate.ts';
import { stepperFor } from '../engine/pk/stepper.ts';
import { Rk4Integrator, gridTimes } from '../test/support/rk4.ts';
import { maxRelativeError } from '../test/tolerance.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const intArg = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name}: must be a positive integer, got ${args[i + 1]}`);
  return v;
};
const REPS = intArg('--reps', 400);
const BASELINE_REPS = intArg('--baseline-reps', 40);
const TARGET_REL_ERROR = 1e-6;

const planJson = {
  patient: { weightKg: 70 },
  model: { id: 'domino-1984' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin: 24 * 60,
  resolutionSec: 1,
};
const parsed = parsePlan(planJson, MODEL_IDS);
if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
const plan: Plan = parsed.plan;
const points = gridPointCount(plan.horizonMin, plan.resolutionSec);

interface Stats {
  median: number;
  p95: number;
  min: number;
  reps: number;
}
/** Time `fn` `reps` times after `warm` untimed calls; milliseconds per call. */
function measure(fn: () => void, warm: number, reps: number): Stats {
  for (let i = 0; i < warm; i++) fn();
  const ms = new Float64Array(reps);
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ms[i] = performance.now() - t0;
  }
  ms.sort();
  const q = (p: number) => ms[Math.min(reps - 1, Math.ceil(p * reps) - 1)];
  return { median: q(0.5), p95: q(0.95), min: ms[0], reps };
}

// Engine: predict() end to end (model resolution, actions, allocation of t/cp/ce, stepping).
let sink = 0;
const predictStats = measure(() => {
  sink += predict(plan).trajectory.cp[points - 1];
}, 30, REPS);

// Engine: runGrid into caller-owned buffers (no allocation per plan).
const model = resolveModel(plan.model, plan.patient);
const actions = regimenToActions(plan.regimen, plan.patient.weightKg);
const grid = { resolutionSec: plan.resolutionSec, count: points };
const stepper = stepperFor(model.structure, model.ke0);
const buf = { cp: new Float64Array(points), ce: new Float64Array(points) };
const runGridStats = measure(() => {
  stepper.reset();
  runGrid(stepper, actions, grid, buf);
}, 30, REPS);
const exact = predict(plan).trajectory;

// Baseline: RK4, largest step (grid step / 2^k) within the target error, for cp and ce.
if (model.structure.kind !== 'mammillary' && model.structure.kind !== 'linear') throw new Error('unexpected structure');
const rk4 = new Rk4Integrator(model.structure, model.ke0);
const times = gridTimes(plan.resolutionSec, points);
const rkBuf = { cp: new Float64Array(points), ce: new Float64Array(points) };
const gridStepMin = plan.resolutionSec / 60;
let stepMin = gridStepMin;
let rkError = Infinity;
let rkSteps = 0;
const tried: { stepMin: number; maxRelError: number }[] = [];
for (let k = 0; k < 12; k++) {
  stepMin = gridStepMin / 2 ** k;
  const r = rk4.run(actions, times, stepMin, rkBuf);
  rkSteps = r.steps;
  rkError = Math.max(maxRelativeError(r.cp, exact.cp), maxRelativeError(r.ce, exact.ce));
  tried.push({ stepMin, maxRelError: rkError });
  if (rkError <= TARGET_REL_ERROR) break;
}
if (!(rkError <= TARGET_REL_ERROR)) throw new Error(`RK4 did not reach ${TARGET_REL_ERROR} (last error ${rkError} at step ${stepMin} min)`);
const rkStats = measure(() => {
  rk4.run(actions, times, stepMin, rkBuf);
}, 5, BASELINE_REPS);

const fmt = (x: number, d = 3) => x.toFixed(d).padStart(9);
const lines = [
  `KetaSim engine benchmark — ${points} points (24 h at 1 s), domino-1984 70 kg, 0.5 mg/kg over 40 min`,
  `Node ${process.version}, ${REPS} engine repetitions, ${BASELINE_REPS} baseline repetitions (after warm-up)`,
  '',
  `${'method'.padEnd(44)}${'median ms'.padStart(10)}${'p95 ms'.padStart(10)}${'min ms'.padStart(10)}`,
  `${'engine predict() (allocates t, cp, ce)'.padEnd(44)} ${fmt(predictStats.median)} ${fmt(predictStats.p95)} ${fmt(predictStats.min)}`,
  `${'engine runGrid (preallocated buffers)'.padEnd(44)} ${fmt(runGridStats.median)} ${fmt(runGridStats.p95)} ${fmt(runGridStats.min)}`,
  `${`RK4 baseline (step ${stepMin.toPrecision(4)} min, ${rkSteps} steps)`.padEnd(44)} ${fmt(rkStats.median)} ${fmt(rkStats.p95)} ${fmt(rkStats.min)}`,
  '',
  `RK4 max relative error vs exact engine (cp and ce): ${rkError.toExponential(2)} (target ≤ ${TARGET_REL_ERROR})`,
  `RK4 steps tried: ${tried.map((s) => `${s.stepMin.toPrecision(4)} min → ${s.maxRelError.toExponential(2)}`).join('; ')}`,
  `speed-up of predict() over RK4: ${(rkStats.median / predictStats.median).toFixed(1)}×; engine ns per point (runGrid): ${((runGridStats.median * 1e6) / points).toFixed(1)}`,
  `target ≤ 1 ms per plan: ${predictStats.median <= 1 ? 'met' : 'NOT met'} (predict median ${predictStats.median.toFixed(3)} ms)`,
];
for (const l of lines) console.log(l);
if (!Number.isFinite(sink)) console.log('(checksum not finite)');
if (json) {
  console.log(JSON.stringify({
    bench: 'engine',
    msPerPlan: predictStats.median,
    points,
    node: process.version,
    engine: { predict: predictStats, runGrid: runGridStats },
    baseline: {
      name: 'rk4',
      msPerPlan: rkStats.median,
      p95: rkStats.p95,
      stepMin,
      steps: rkSteps,
      maxRelError: rkError,
    },
    targetMsPerPlan: 1,
  }));
}
