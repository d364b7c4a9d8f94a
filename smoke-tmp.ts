import { parsePlan } from './engine/plan.ts';
import { MODEL_IDS } from './engine/models/registry.ts';
import { preparePopulation } from './engine/population/spec.ts';
import { runPopulationLocal } from './engine/population/local.ts';
const plan = parsePlan({ patient: { weightKg: 70 }, model: { id: 'domino-1984' }, regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }], horizonMin: 240, resolutionSec: 10 }, MODEL_IDS);
if (!plan.ok) throw new Error(JSON.stringify(plan.problems));
for (const metrics of [false, true]) {
const prep = preparePopulation(plan.plan, { n: 10000, seed: 42, cv: 0.3, percentiles: [5, 50, 95], metrics });
if (!prep.ok) throw new Error(JSON.stringify(prep.problems));
const job = prep.job;
console.log(job.layout, job.parameters.map(p => [p.name, p.typical, p.omega2, p.kind]));
for (let rep = 0; rep < 3; rep++) {
const t0 = performance.now();
const r = await runPopulationLocal(job);
console.log('metrics', metrics, 'local ms', (performance.now() - t0).toFixed(1));
if (rep==0) { const j = 240; console.log('t', r.t[j], 'ce', r.ce.map(a => a[j]), 'cp', r.cp.map(a=>a[j]));
console.log(r.probabilities.map(p => [p.band, p.bound, p.atLeast[180]]));
console.log(r.metrics.slice(0,6).map(m => [m.id, m.values, m.count]));}
}
}
