import { detExp, detLog, normalQuantile } from './engine/population/detmath.ts';
import { seedPatient, seedWords, uniform52, Xoshiro128ss } from './engine/population/prng.ts';
const N = 1_000_000;
const xs = new Float64Array(N); for (let i = 0; i < N; i++) xs[i] = (i / N - 0.5) * 4;
const us = new Float64Array(N); for (let i = 0; i < N; i++) us[i] = (i + 0.5) / N;
function t(name: string, f: () => number) { for (let r = 0; r < 3; r++) { const a = performance.now(); const s = f(); console.log(name, ((performance.now() - a) * 1e6 / N).toFixed(1), 'ns/call', s > 0 ? '' : s); } }
t('Math.exp', () => { let s = 0; for (let i = 0; i < N; i++) s += Math.exp(xs[i]); return s; });
t('detExp', () => { let s = 0; for (let i = 0; i < N; i++) s += detExp(xs[i]); return s; });
t('detLog', () => { let s = 0; for (let i = 0; i < N; i++) s += detLog(us[i]); return s; });
t('normalQuantile', () => { let s = 0; for (let i = 0; i < N; i++) s += normalQuantile(us[i]); return s; });
const rng = new Xoshiro128ss(); const w = seedWords(42);
t('seedPatient', () => { let s = 0; for (let i = 0; i < N; i++) { seedPatient(rng, w, i); s += rng.s0; } return s; });
t('uniform52', () => { let s = 0; for (let i = 0; i < N; i++) s += uniform52(rng); return s; });
import { createSampler } from './engine/population/sample.ts';
import { modalSetup, MODAL_STRIDE } from './engine/population/modal-kernel.ts';
import { fromMicroParameters } from './engine/models/structures.ts';
{
  const L = new Array(49).fill(0); for (let i = 0; i < 7; i++) L[i * 7 + i] = 0.29;
  const s = createSampler([4.41, 0.4381, 0.5921, 0.247, 0.59, 0.0146, 0.238], L, 42);
  const out = new Float64Array(7 * 10000);
  for (let r = 0; r < 4; r++) { const a = performance.now(); for (let i = 0; i < 10000; i++) s.sample(i, out, i * 7); console.log('sample 10k', (performance.now() - a).toFixed(1)); }
  const co = new Float64Array(10000 * MODAL_STRIDE);
  const names = ['v1', 'k10', 'k12', 'k21', 'k13', 'k31'];
  for (let r = 0; r < 4; r++) { const a = performance.now(); for (let i = 0; i < 10000; i++) { const rec: Record<string, number> = {}; for (let k = 0; k < 6; k++) rec[names[k]] = out[i * 7 + k]; modalSetup(fromMicroParameters(rec) as any, out[i * 7 + 6], 1 / 6, co, i * MODAL_STRIDE); } console.log('setup 10k', (performance.now() - a).toFixed(1)); }
}
