import { parsePlan } from './engine/plan.ts';
import { MODEL_IDS } from './engine/models/registry.ts';
import { preparePopulation } from './engine/population/spec.ts';
import { createSampler } from './engine/population/sample.ts';
import { compileSchedule } from './engine/population/schedule.ts';
import { MODAL_STATE, MODAL_STRIDE, modalSetup, runModalBlock } from './engine/population/modal-kernel.ts';
import { fromMicroParameters } from './engine/models/structures.ts';
const plan = parsePlan({ patient: { weightKg: 70 }, model: { id: 'domino-1984' }, regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }], horizonMin: 240, resolutionSec: 10 }, MODEL_IDS);
if (!plan.ok) throw 1;
const prep = preparePopulation(plan.plan, { n: 2500, seed: 42, cv: 0.3, percentiles: [5, 50, 95], metrics: false });
if (!prep.ok) throw 1;
const job = prep.job;
const N = job.n, T = job.grid.count;
const sampler = createSampler(job.parameters.map(p => p.typical), job.cholesky, job.seed);
const P = 7; const params = new Float64Array(N * P);
for (let i = 0; i < N; i++) sampler.sample(i, params, i * P);
const s = compileSchedule(job.actions, job.grid);
const co = new Float64Array(N * MODAL_STRIDE), st = new Float64Array(N * MODAL_STATE);
const names = job.parameters.map(p => p.name);
for (let i = 0; i < N; i++) { const r: any = {}; for (let k = 0; k < 6; k++) r[names[k]] = params[i*P+k]; modalSetup(fromMicroParameters(r) as any, params[i*P+6], s.dt, co, i * MODAL_STRIDE); }
const cp = new Float64Array(N * T), ce = new Float64Array(N * T);
runModalBlock(co, st, N, s, 0, T, cp, ce, null, null);
// count inversions between consecutive columns in sorted order of previous
for (const [name, arr] of [['cp', cp], ['ce', ce]] as const) {
  let perm = Array.from({ length: N }, (_, i) => i);
  let tot = 0; const per: number[] = [];
  for (let j = 0; j < T; j++) {
    const col = arr.subarray(j * N, (j + 1) * N);
    // inversions of col in perm order: count via merge sort
    const seq = perm.map(i => col[i]);
    let inv = 0;
    const ms = (a: number[]): number[] => { if (a.length < 2) return a; const m = a.length >> 1; const L = ms(a.slice(0, m)), R = ms(a.slice(m)); const o: number[] = []; let i = 0, k = 0; while (i < L.length && k < R.length) { if (L[i] <= R[k]) o.push(L[i++]); else { o.push(R[k++]); inv += L.length - i; } } while (i < L.length) o.push(L[i++]); while (k < R.length) o.push(R[k++]); return o; };
    ms(seq);
    per.push(inv); tot += inv;
    perm = perm.slice().sort((a, b) => col[a] - col[b] || a - b);
  }
  const big = per.map((v, j) => [j, v]).filter(([, v]) => v > 8 * N);
  console.log(name, 'total inversions', tot, 'per column avg', tot / T, 'columns over budget', big.length, big.slice(0, 10));
  console.log(per.slice(0, 10), per.slice(235, 250), per.slice(600, 605), per.slice(1400, 1405));
}
import { sortColumnCarry } from './engine/population/order.ts';
{
  const out = new Float64Array(N);
  for (let rep = 0; rep < 3; rep++) {
    const perm = new Int32Array(N).map((_, i) => i);
    let tEarly = 0, tLate = 0;
    for (let j = 0; j < T; j++) {
      const a = performance.now();
      sortColumnCarry(cp, j * N, N, perm, out, 0);
      const d = performance.now() - a;
      if (j < 20) tEarly += d; else tLate += d;
    }
    console.log('sort cp early(20 cols)', tEarly.toFixed(2), 'late', tLate.toFixed(2), 'per late col us', (1000 * tLate / (T - 20)).toFixed(2));
  }
  // baseline: native sort per column
  let a = performance.now();
  for (let j = 0; j < T; j++) { out.set(cp.subarray(j * N, (j + 1) * N)); out.sort(); }
  console.log('native sort all cols', performance.now() - a);
}
