import { parsePlan } from './engine/plan.ts';
import { MODEL_IDS } from './engine/models/registry.ts';
import { preparePopulation } from './engine/population/spec.ts';
import { createNodePopulationPool, populationWorkerScript } from './cli/population.ts';
import { runPopulationLocal } from './engine/population/local.ts';
const plan = parsePlan({ patient: { weightKg: 70 }, model: { id: 'domino-1984' }, regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }], horizonMin: 240, resolutionSec: 10 }, MODEL_IDS);
if (!plan.ok) throw 1;
const prep = preparePopulation(plan.plan, { n: 10000, seed: 42, cv: 0.3, percentiles: [5, 50, 95], metrics: false });
if (!prep.ok) throw 1;
let t0 = performance.now(); await populationWorkerScript(); console.log('bundle', (performance.now() - t0).toFixed(1));
for (let rep = 0; rep < 4; rep++) {
  t0 = performance.now();
  const pool = await createNodePopulationPool(2);
  const r = await pool.run(prep.job);
  const t1 = performance.now();
  await pool.close();
  console.log('pool total', (t1 - t0).toFixed(1), r.ce[1][240]);
}
t0 = performance.now(); const l = await runPopulationLocal(prep.job); console.log('local', (performance.now() - t0).toFixed(1), l.ce[1][240]);
