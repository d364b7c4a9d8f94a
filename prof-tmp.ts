import { parsePlan } from './engine/plan.ts';
import { MODEL_IDS } from './engine/models/registry.ts';
import { preparePopulation } from './engine/population/spec.ts';
import { createSampler } from './engine/population/sample.ts';
import { compileSchedule } from './engine/population/schedule.ts';
import { MODAL_STATE, MODAL_STRIDE, modalSetup, runModalBlock } from './engine/population/modal-kernel.ts';
import { fromMicroParameters } from './engine/models/structures.ts';
import { sortColumnCarry } from './engine/population/order.ts';
import { createRunSet } from './engine/population/runner.ts';
import { PopulationMerger } from './engine/population/merge.ts';
const plan = parsePlan({ patient: { weightKg: 70 }, model: { id: 'domino-1984' }, regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }], horizonMin: 240, resolutionSec: 10 }, MODEL_IDS);
if (!plan.ok) throw 1;
const prep = preparePopulation(plan.plan, { n: 10000, seed: 42, cv: 0.3, percentiles: [5, 50, 95], metrics: false });
if (!prep.ok) throw 1;
const job = prep.job;
const N = job.n, T = job.grid.count;
let t0 = performance.now();
const sampler = createSampler(job.parameters.map(p => p.typical), job.cholesky, job.seed);
const P = 7; const params = new Float64Array(N * P);
for (let i = 0; i < N; i++) sampler.sample(i, params, i * P);
console.log('sample', performance.now() - t0); t0 = performance.now();
const s = compileSchedule(job.actions, job.grid);
const co = new Float64Array(N * MODAL_STRIDE), st = new Float64Array(N * MODAL_STATE);
const names = job.parameters.map(p => p.name);
for (let i = 0; i < N; i++) { const r: any = {}; for (let k = 0; k < 6; k++) r[names[k]] = params[i*P+k]; modalSetup(fromMicroParameters(r) as any, params[i*P+6], s.dt, co, i * MODAL_STRIDE); }
console.log('setup', performance.now() - t0);
for (let rep = 0; rep < 3; rep++) {
  st.fill(0);
  const B = 104; const cp = new Float64Array(N * B), ce = new Float64Array(N * B);
  t0 = performance.now();
  for (let j0 = 0; j0 < T; j0 += B) runModalBlock(co, st, N, s, j0, Math.min(T, j0 + B), cp, ce, null, null);
  console.log('kernel all N one run', performance.now() - t0);
}
// sorting cost
{
  const S = 2500; const B = 104;
  const co2 = co.subarray(0, S * MODAL_STRIDE); const st2 = new Float64Array(S * 4);
  const cp = new Float64Array(S * B), ce = new Float64Array(S * B), out = new Float64Array(S * B), out2 = new Float64Array(S*B);
  const perm = new Int32Array(S).map((_, i) => i), perm2 = new Int32Array(S).map((_, i) => i);
  let tk = 0, ts = 0;
  for (let j0 = 0; j0 < T; j0 += B) {
    const j1 = Math.min(T, j0 + B);
    let a = performance.now();
    runModalBlock(co2, st2, S, s, j0, j1, cp, ce, null, null);
    tk += performance.now() - a; a = performance.now();
    for (let jj = 0; jj < j1 - j0; jj++) { sortColumnCarry(cp, jj * S, S, perm, out, jj * S); sortColumnCarry(ce, jj * S, S, perm2, out2, jj * S); }
    ts += performance.now() - a;
  }
  console.log('one run 2500: kernel', tk, 'sort', ts, 'x4 =', 4 * tk, 4 * ts);
}
// merge cost
{
  const rs = await createRunSet(job, [0, 1, 2, 3]);
  const m = new PopulationMerger(job);
  let tb = 0, tm = 0;
  for (let b = 0; b < job.layout.blocks; b++) { let a = performance.now(); const p = rs.block(b); tb += performance.now() - a; a = performance.now(); m.addBlock([p]); tm += performance.now() - a; }
  console.log('runset blocks', tb, 'merge', tm);
}
