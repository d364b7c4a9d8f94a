/**
 * Live-mode benchmark: the cost of the once-a-second update on the main thread (budget 2 ms).
 *
 * Scenario: Domino 1984 at 70 kg, 0.5 mg/kg over 40 min, with a recorded pause at 10 min, resume at
 * 12.5, a 10-mg bolus at 20 and a rate change to 1 mg/kg/h at 30; ticks once a (simulated) second from
 * minute 35 to 65 (1,800 ticks), each returning cp, ce, the bands Ce is in and the next band crossing.
 *
 * Measured (per tick, milliseconds; median, p99 and max over every tick of every pass):
 *  - `incremental`: one `LiveTracker`, `now(t)` each tick (closed form from the anchor state; the next
 *    crossing cached and searched on only when passed).
 *  - baseline `full re-simulation`: what a tick costs without live state: `predict()` of the course
 *    from 0 to now + 240 min on the plan's 10-s grid, Ce now read at the last grid point at or before now
 *    (not exact between grid points) and the next crossing by linear interpolation on the grid.
 *  - baseline `fresh tracker`: an exact but stateless tick: a new `LiveTracker` (replay of every action
 *    from 0, crossing search from scratch) each tick.
 *  - `incremental (general linear system)`: the same scenario on Simons 2022 (7 compartments, matrix
 *    exponential per tick).
 * And, once per log change: `buildCourse` + a new tracker + its first tick (main thread), and
 * `analyzeLive` (the worker's job: course trajectory, crossings, 3 what-ifs).
 *
 *   node bin/run-ts.mjs bench/live.bench.ts            human-readable table
 *   node bin/run-ts.mjs bench/live.bench.ts --json     … and the LAST line of stdout is one JSON object
 *   options: --passes N (passes over the 1,800 ticks, default 5)
 */
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { parsePlan, type Plan } from '../engine/plan.ts';
import { MODEL_IDS } from '../engine/models/registry.ts';
import { predict } from '../engine/predict.ts';
import { DEFAULT_BANDS } from '../engine/pd/bands.ts';
import { buildCourse } from '../engine/live/course.ts';
import { analyzeLive } from '../engine/live/forecast.ts';
import { currentActions, recordAction, type SessionLog } from '../engine/live/log.ts';
import { LiveTracker, liveKernel } from '../engine/live/tracker.ts';
import { planTitration } from '../engine/tci/index.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const passesArg = args.indexOf('--passes');
const PASSES = passesArg < 0 ? 5 : Number(args[passesArg + 1]);
if (!Number.isInteger(PASSES) || PASSES < 1) throw new Error(`--passes: must be a positive integer, got ${args[passesArg + 1]}`);

function planOf(j: Record<string, unknown>): Plan {
  const r = parsePlan(j, MODEL_IDS);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.plan;
}
const actions = [
  { kind: 'pause', atMin: 10 },
  { kind: 'resume', atMin: 12.5 },
  { kind: 'bolus', atMin: 20, amount: 10, unit: 'mg' },
  { kind: 'rate', atMin: 30, rate: 1, unit: 'mg/kg/h' },
];
function logOf(p: Plan): SessionLog {
  let log: SessionLog = { entries: [] };
  for (const a of actions) {
    const r = recordAction(p, log, a, a.atMin);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    log = r.log;
  }
  return log;
}
const regimen = [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }];
const domino = planOf({ patient: { weightKg: 70 }, model: { id: 'domino-1984' }, regimen, horizonMin: 120, resolutionSec: 10 });
const simons = planOf({
  patient: { weightKg: 70, ageYears: 25 },
  model: { id: 'simons-2022-s-ketamine-arterial' },
  regimen,
  horizonMin: 120,
  resolutionSec: 10,
});

const TICKS = 1800;
const tickTime = (i: number) => 35 + i / 60;

interface Stats {
  median: number;
  p99: number;
  max: number;
  mean: number;
  ticks: number;
}
function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))];
  return {
    median: q(0.5),
    p99: q(0.99),
    max: s[s.length - 1],
    mean: ms.reduce((a, b) => a + b, 0) / ms.length,
    ticks: ms.length,
  };
}
/** Time `tick(i)` for every tick of every pass (after one untimed warm-up pass). */
function timeTicks(makeTick: () => (i: number) => unknown, passes: number): Stats {
  const warm = makeTick();
  for (let i = 0; i < TICKS; i++) warm(i);
  const ms: number[] = [];
  for (let p = 0; p < passes; p++) {
    const tick = makeTick();
    for (let i = 0; i < TICKS; i++) {
      const t0 = performance.now();
      tick(i);
      ms.push(performance.now() - t0);
    }
  }
  return stats(ms);
}
function timeOnce(fn: () => unknown, reps: number): Stats {
  fn();
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return stats(ms);
}

let sink = 0;
function incremental(p: Plan) {
  const { kernel } = liveKernel(p);
  const course = buildCourse(p, currentActions(logOf(p)));
  return () => {
    const tr = new LiveTracker(kernel, course);
    return (i: number) => {
      const s = tr.now(tickTime(i));
      sink += s.ceNgMl + (s.nextCrossing?.atMin ?? 0);
    };
  };
}
function freshTracker(p: Plan) {
  const { kernel } = liveKernel(p);
  const course = buildCourse(p, currentActions(logOf(p)));
  return () => (i: number) => {
    const s = new LiveTracker(kernel, course).now(tickTime(i));
    sink += s.ceNgMl + (s.nextCrossing?.atMin ?? 0);
  };
}
function fullResimulation(p: Plan) {
  const course = buildCourse(p, currentActions(logOf(p)));
  const levels = DEFAULT_BANDS.flatMap((b) => [b.lowNgMl, b.highNgMl!]);
  return () => (i: number) => {
    const now = tickTime(i);
    const { trajectory: tr } = predict({ ...p, regimen: course.regimen, horizonMin: now + 240 });
    const j = Math.floor((now * 60) / p.resolutionSec + 1e-9);
    let next = Infinity;
    for (let k = j + 1; k < tr.ce.length && next === Infinity; k++) {
      for (const L of levels) {
        if (tr.ce[k - 1] >= L !== tr.ce[k] >= L)
          next = Math.min(next, tr.t[k - 1] + ((L - tr.ce[k - 1]) / (tr.ce[k] - tr.ce[k - 1])) * (tr.t[k] - tr.t[k - 1]));
      }
    }
    sink += tr.ce[j] + (Number.isFinite(next) ? next : 0);
  };
}

const results = {
  incremental: timeTicks(incremental(domino), PASSES),
  fullResimulation: timeTicks(fullResimulation(domino), Math.max(1, Math.ceil(PASSES / 5))),
  freshTracker: timeTicks(freshTracker(domino), Math.max(1, Math.ceil(PASSES / 5))),
  incrementalGeneral: timeTicks(incremental(simons), Math.max(1, Math.ceil(PASSES / 5))),
  logChangeMainThread: timeOnce(() => {
    const { kernel } = liveKernel(domino);
    const tr = new LiveTracker(kernel, buildCourse(domino, currentActions(logOf(domino))));
    sink += tr.now(35).ceNgMl;
  }, 200),
  analyzeLiveWorker: timeOnce(() => {
    const f = analyzeLive(domino, logOf(domino), 35, { whatIfRates: [{ rate: 0.5, unit: 'mg/kg/h' }] });
    sink += f.trajectory.ce.length;
  }, 50),
  // The titration planner (issue 4's budget: well under a second; moved here from test/engine/tci/planner-quality.test.ts).
  plannerSession: timeOnce(() => {
    const r = planTitration({
      patient: { weightKg: 70, ageYears: 40 },
      model: { id: 'domino-1984' },
      window: { lowNgMl: 100, highNgMl: 250 },
      reachMin: 10,
      durationMin: 40,
      mode: 'effect',
      pump: { unit: 'mg/kg/h', rateStep: 0.05, minIntervalMin: 5, maxBolusMgPerKg: 0.5 },
    });
    sink += r.ok ? 1 : 0;
  }, 5),
};

const env = {
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  passes: PASSES,
  ticksPerPass: TICKS,
};
const fmt = (x: number) => (x < 0.01 ? x.toExponential(2) : x.toFixed(4));
const rows: [string, Stats][] = [
  ['incremental tick (LiveTracker.now), Domino', results.incremental],
  ['baseline: full re-simulation from 0 per tick (predict, 10-s grid)', results.fullResimulation],
  ['baseline: fresh exact tracker per tick (replay from 0)', results.freshTracker],
  ['incremental tick, Simons 2022 (general linear system)', results.incrementalGeneral],
  ['per log change, main thread: buildCourse + tracker + first tick', results.logChangeMainThread],
  ['per log change, worker: analyzeLive (trajectory, crossings, 3 what-ifs)', results.analyzeLiveWorker],
  ['titration planner, 40-min effect-site session at 70 kg (budget: well under 1,000 ms)', results.plannerSession],
];
console.log(`live-mode bench — ${env.date}, Node ${env.node}, ${env.cpu} × ${env.cores}`);
console.log('ms per call: median | p99 | max | mean (calls)');
for (const [name, s] of rows)
  console.log(`  ${name}: ${fmt(s.median)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${fmt(s.mean)} (${s.ticks})`);
console.log(
  `speed-up of the tick over full re-simulation (median): ${(results.fullResimulation.median / results.incremental.median).toFixed(0)}×; over a fresh tracker: ${(results.freshTracker.median / results.incremental.median).toFixed(0)}×`,
);
if (!Number.isFinite(sink)) throw new Error('a tick produced a non-finite value');
if (json) console.log(JSON.stringify({ bench: 'live', env, results }));
