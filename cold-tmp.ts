import { parsePlan } from './engine/plan.ts';
import { MODEL_IDS } from './engine/models/registry.ts';
import { preparePopulation } from './engine/population/spec.ts';
import { RangeRunner, splitRanges } from './engine/population/runner.ts';
const plan = parsePlan({ patient: { weightKg: 70 }, model: { id: 'domino-1984' }, regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }], horizonMin: 240, resolutionSec: 10 }, MODEL_IDS);
if (!plan.ok) throw 1;
const prep = preparePopulation(plan.plan, { n: 10000, seed: 42, cv: 0.3, percentiles: [5, 50, 95], metrics: false });
if (!prep.ok) throw 1;
const tasks = splitRanges(prep.job, 2);
console.log(tasks);
const which = Number(process.argv[2] ?? 0);
const t0 = performance.now();
const r = await RangeRunner.create(prep.job, tasks[which]);
const t1 = performance.now();
const times: number[] = [];
while (true) { const a = performance.now(); const f = r.step(2); times.push(performance.now() - a); if (f) break; }
console.log('task', which, 'create', (t1 - t0).toFixed(1), 'steps', (performance.now() - t1).toFixed(1), times.map(x => x.toFixed(0)).join(' '));
