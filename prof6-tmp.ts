import { parsePlan } from './engine/plan.ts';
import { MODEL_IDS } from './engine/models/registry.ts';
import { preparePopulation } from './engine/population/spec.ts';
import { compileSchedule } from './engine/population/schedule.ts';
import { ColumnSelector } from './engine/population/select.ts';
import { RangeRunner } from './engine/population/runner.ts';
import { probabilityThresholds } from './engine/population/runner.ts';
const plan = parsePlan({ patient: { weightKg: 70 }, model: { id: 'domino-1984' }, regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }], horizonMin: 240, resolutionSec: 10 }, MODEL_IDS);
if (!plan.ok) throw 1;
const prep = preparePopulation(plan.plan, { n: 10000, seed: 42, cv: 0.3, percentiles: [5, 50, 95], metrics: false });
if (!prep.ok) throw 1;
const job = prep.job;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let rep = 0; rep < 3; rep++) {
  let c0 = cpu(); const r = await RangeRunner.create(job, { from: 0, to: job.grid.count, patients: true });
  console.log('create cpu', (cpu() - c0).toFixed(1));
  c0 = cpu(); r.step(1e9); console.log('step cpu', (cpu() - c0).toFixed(1));
}
// kernel only and selection only
const N = job.n, T = job.grid.count;
const r: any = await RangeRunner.create(job, { from: 0, to: T, patients: true });
for (let rep = 0; rep < 3; rep++) {
  let c0 = cpu(); const B = job.layout.blockSize;
  for (let j0 = 0; j0 < T; j0 += B) r.kernel.block(j0, Math.min(T, j0 + B), r.cpBuf, r.ceBuf, null, null);
  console.log('kernel cpu', (cpu() - c0).toFixed(1));
}
const col = new Float64Array(N); for (let i = 0; i < N; i++) col[i] = 100 + 50 * Math.sin(i);
const sel = new ColumnSelector(N, [5, 50, 95], probabilityThresholds(job));
const out = [0, 1, 2].map(() => new Float64Array(T)); const counts = Array.from(probabilityThresholds(job), () => new Int32Array(T));
for (let rep = 0; rep < 3; rep++) { let c0 = cpu(); for (let j = 0; j < 2 * T; j++) sel.select(col, 0, out, j % T, counts); console.log('select 2T cols cpu', (cpu() - c0).toFixed(1)); }
