import { parsePlan } from './engine/plan.ts';
import { MODEL_IDS } from './engine/models/registry.ts';
import { preparePopulation } from './engine/population/spec.ts';
import { RangeRunner } from './engine/population/runner.ts';
const plan = parsePlan({ patient: { weightKg: 70 }, model: { id: 'domino-1984' }, regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }], horizonMin: 240, resolutionSec: 10 }, MODEL_IDS);
if (!plan.ok) throw 1;
const prep = preparePopulation(plan.plan, { n: 10000, seed: 42, cv: 0.3, percentiles: [5, 50, 95], metrics: false });
if (!prep.ok) throw 1;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const B of [2, 4, 8, 16, 32, 64]) {
  const job = { ...prep.job, layout: { blockSize: B, blocks: Math.ceil(1441 / B) } };
  const T = job.grid.count;
  const ts: number[] = [], tk: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const r: any = await RangeRunner.create(job, { from: 0, to: T, patients: true });
    let c0 = cpu(); r.step(1e9); ts.push(cpu() - c0);
    c0 = cpu();
    for (let j0 = 0; j0 < T; j0 += B) r.kernel.block(j0, Math.min(T, j0 + B), r.cpBuf, r.ceBuf, null, null);
    tk.push(cpu() - c0);
  }
  console.log('B', B, 'step', ts.map(x => x.toFixed(0)).join(' '), 'kernel', tk.map(x => x.toFixed(0)).join(' '));
}
