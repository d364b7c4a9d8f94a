import { createSampler } from './engine/population/sample.ts';
import { modalSetup, MODAL_STRIDE, modeRatesDet } from './engine/population/modal-kernel.ts';
import { fromMicroParameters } from './engine/models/structures.ts';
const L = new Array(49).fill(0); for (let i = 0; i < 7; i++) L[i * 7 + i] = Math.sqrt(0.0862);
const N = 10000;
let t0 = performance.now();
const s = createSampler([4.41, 0.4381, 0.5921, 0.247, 0.59, 0.0146, 0.238], L, 42);
const out = new Float64Array(7 * N);
for (let i = 0; i < N; i++) s.sample(i, out, i * 7);
console.log('sample cold', (performance.now() - t0).toFixed(1));
const co = new Float64Array(N * MODAL_STRIDE);
const names = ['v1', 'k10', 'k12', 'k21', 'k13', 'k31'];
t0 = performance.now();
const lam = new Float64Array(3);
for (let i = 0; i < N; i++) { const rec: Record<string, number> = {}; for (let k = 0; k < 6; k++) rec[names[k]] = out[i * 7 + k]; modeRatesDet(fromMicroParameters(rec) as any, lam); }
console.log('roots cold', (performance.now() - t0).toFixed(1));
t0 = performance.now();
for (let i = 0; i < N; i++) { const rec: Record<string, number> = {}; for (let k = 0; k < 6; k++) rec[names[k]] = out[i * 7 + k]; modalSetup(fromMicroParameters(rec) as any, out[i * 7 + 6], 1 / 6, co, i * MODAL_STRIDE); }
console.log('setup (incl roots) after warm roots', (performance.now() - t0).toFixed(1));
