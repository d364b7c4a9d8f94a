/**
 * Engine benchmark: one 24-hour plan at 1-second resolution (86,401 points, cp and ce), Domino 1984 at
 * 70 kg (3 compartments + effect site), 0.5 mg/kg over 40 min then off.
 *
 * Measured: `predict()` (plan → trajectory, allocating its output) and the lower-level `runGrid` into
 * preallocated buffers, each after a warm-up, over many repetitions (median, p95, min). Baselines: the
 * independent fixed-step RK4 integrator of test/support/rk4.ts, (a) with cubic Hermite dense output and
 * the largest step on the ladder 2 min·2^(−k/4) whose max relative error against the exact engine is
 * ≤ 1e-6 (the worse of cp and ce over all points), and (b) stepping onto every output point (a step no
 * longer than the 1-s grid). The JSON `baseline` is the faster of the two; both are in `baselines`.
 *
 *   npm run bench:engine              human-readable table
 *   npm run bench:engine -- --json    … and the LAST line of stdout is one JSON object
 *   options: --reps N (engine repetitions, default 400), --baseline-reps N (default 40)
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parsePlan, gridPointCount, type Plan } from '../engine/plan.ts';
import { MODEL_IDS } from '../engine/models/registry.ts';
import { predict, resolveModel } from '../engine/predict.ts';
import { regimenToActions } from '../engine/dosing/actions.ts';
import { runGrid } from '../engine/simulate.ts';
import { stepperFor } from '../engine/pk/stepper.ts';
import { Rk4Integrator, gridTimes } from '../test/support/rk4.ts';
import { maxRelativeError } from '../test/support/tolerance.ts';

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
const predictStats = measure(
  () => {
    sink += predict(plan).trajectory.cp[points - 1];
  },
  30,
  REPS,
);

// Engine: runGrid into caller-owned buffers (no allocation per plan).
const model = resolveModel(plan.model, plan.patient);
const actions = regimenToActions(plan.regimen, plan.patient.weightKg);
const grid = { resolutionSec: plan.resolutionSec, count: points };
const stepper = stepperFor(model.structure, model.ke0);
const buf = { cp: new Float64Array(points), ce: new Float64Array(points) };
const runGridStats = measure(
  () => {
    stepper.reset();
    runGrid(stepper, actions, grid, buf);
  },
  30,
  REPS,
);
const exact = predict(plan).trajectory;
// The part of predict() outside the stepping: allocating (zero-filling) its three output arrays.
const allocStats = measure(
  () => {
    const t = new Float64Array(points),
      cp = new Float64Array(points),
      ce = new Float64Array(points);
    sink += t[1] + cp[2] + ce[3];
  },
  30,
  REPS,
);

// Baselines: the independent RK4 integrator (test/support/rk4.ts), error measured against the exact
// engine as max |rk4 − exact| / max |exact| over the 86,401 points, the worse of cp and ce.
const rk4 = new Rk4Integrator(model.structure, model.ke0);
const times = gridTimes(plan.resolutionSec, points);
const rkBuf = { cp: new Float64Array(points), ce: new Float64Array(points) };
const errorOf = (r: { cp: Float64Array; ce: Float64Array }) =>
  Math.max(maxRelativeError(r.cp, exact.cp), maxRelativeError(r.ce, exact.ce));
interface Tried {
  stepMin: number;
  maxRelError: number;
  steps: number;
}
/** Largest step on the ladder start·2^(−k/4) whose error is within the target; every step tried is reported. */
function chooseStep(start: number, run: (step: number) => { cp: Float64Array; ce: Float64Array; steps: number }) {
  const tried: Tried[] = [];
  for (let k = 0; k < 64; k++) {
    const stepMin = start / 2 ** (k / 4);
    const r = run(stepMin);
    tried.push({ stepMin, maxRelError: errorOf(r), steps: r.steps });
    if (tried[tried.length - 1].maxRelError <= TARGET_REL_ERROR) return { chosen: tried[tried.length - 1], tried };
  }
  throw new Error(`RK4 did not reach ${TARGET_REL_ERROR}: ${JSON.stringify(tried)}`);
}
// (a) RK4 with cubic Hermite dense output: steps as long as the accuracy allows, from 2 min down.
const dense = chooseStep(2, (step) => rk4.runDense(actions, times, step, rkBuf));
const denseStats = measure(
  () => {
    rk4.runDense(actions, times, dense.chosen.stepMin, rkBuf);
  },
  5,
  BASELINE_REPS,
);
// (b) RK4 stepping onto every output point (step ≤ the 1-s grid step), the plain fine-step integrator.
const gridStepMin = plan.resolutionSec / 60;
const stepped = chooseStep(gridStepMin, (step) => rk4.run(actions, times, step, rkBuf));
const steppedStats = measure(
  () => {
    rk4.run(actions, times, stepped.chosen.stepMin, rkBuf);
  },
  5,
  BASELINE_REPS,
);

const fmt = (x: number, d = 3) => x.toFixed(d).padStart(9);
const row = (name: string, st: Stats) => `${name.padEnd(58)} ${fmt(st.median)} ${fmt(st.p95)} ${fmt(st.min)}`;
const triedText = (t: Tried[]) =>
  t
    .slice(-3)
    .map((x) => `${x.stepMin.toPrecision(4)} min → ${x.maxRelError.toExponential(2)}`)
    .join('; ');
const load = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
const lines = [
  `KetaSim engine benchmark — ${points} points (24 h at 1 s), domino-1984 70 kg, 0.5 mg/kg over 40 min`,
  `Node ${process.version}, ${REPS} engine repetitions, ${BASELINE_REPS} per baseline (after warm-up); load average ${load}`,
  '',
  `${'method'.padEnd(58)}${'median ms'.padStart(10)}${'p95 ms'.padStart(10)}${'min ms'.padStart(10)}`,
  row('engine predict() (plan → trajectory, allocates t, cp, ce)', predictStats),
  row('engine runGrid (preallocated buffers)', runGridStats),
  row('  (for scale: allocating 3 × Float64Array(86,401), no stepping)', allocStats),
  row(`RK4 + Hermite dense output, step ${dense.chosen.stepMin.toPrecision(4)} min (${dense.chosen.steps} steps)`, denseStats),
  row(`RK4 onto every point, step ${stepped.chosen.stepMin.toPrecision(4)} min (${stepped.chosen.steps} steps)`, steppedStats),
  '',
  `RK4 max relative error vs the exact engine (worse of cp, ce; target ≤ ${TARGET_REL_ERROR}):`,
  `  dense output: ${dense.chosen.maxRelError.toExponential(2)} at step ${dense.chosen.stepMin} min (last tried: ${triedText(dense.tried)})`,
  `  onto every point: ${stepped.chosen.maxRelError.toExponential(2)} at step ${stepped.chosen.stepMin} min (last tried: ${triedText(stepped.tried)})`,
  `speed-up of predict() over the faster RK4: ${(Math.min(denseStats.median, steppedStats.median) / predictStats.median).toFixed(1)}×; runGrid ns per point: ${((runGridStats.median * 1e6) / points).toFixed(1)}`,
  `target ≤ 1 ms per plan: ${predictStats.median <= 1 ? 'met' : 'NOT met'} (predict median ${predictStats.median.toFixed(3)} ms)`,
];
for (const l of lines) console.log(l);
if (!Number.isFinite(sink)) console.log('(checksum not finite)');
const best =
  denseStats.median <= steppedStats.median
    ? { variant: 'hermite-dense-output', st: denseStats, c: dense.chosen }
    : { variant: 'step-onto-every-point', st: steppedStats, c: stepped.chosen };
if (json) {
  console.log(
    JSON.stringify({
      bench: 'engine',
      msPerPlan: predictStats.median,
      points,
      node: process.version,
      loadavg: loadavg(),
      engine: { predict: predictStats, runGrid: runGridStats, allocateOutputs: allocStats },
      baseline: {
        name: 'rk4',
        variant: best.variant,
        msPerPlan: best.st.median,
        p95: best.st.p95,
        stepMin: best.c.stepMin,
        steps: best.c.steps,
        maxRelError: best.c.maxRelError,
      },
      baselines: {
        rk4Dense: {
          ...denseStats,
          stepMin: dense.chosen.stepMin,
          steps: dense.chosen.steps,
          maxRelError: dense.chosen.maxRelError,
          tried: dense.tried,
        },
        rk4OntoEveryPoint: {
          ...steppedStats,
          stepMin: stepped.chosen.stepMin,
          steps: stepped.chosen.steps,
          maxRelError: stepped.chosen.maxRelError,
          tried: stepped.tried,
        },
      },
      targetMsPerPlan: 1,
    }),
  );
}
