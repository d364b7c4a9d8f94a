// `WORKLOAD_P` plan, `planOf`/`jobOf`, per-patient `trajectories` via the engine, result `fingerprint`.
import { parsePlan, type Plan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { preparePopulation, type PopulationRequest } from '../../../engine/population/spec.ts';
import { PatientSlice } from '../../../engine/population/runner.ts';
import type { PatientPart, PopulationJob, PopulationResult } from '../../../engine/population/types.ts';

/** Workload P of the issue: Domino 1984 at 70 kg, 0.5 mg/kg over 40 min, 240 min at 10 s. */
export const WORKLOAD_P = {
  patient: { weightKg: 70 },
  model: { id: 'domino-1984' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin: 240,
  resolutionSec: 10,
};

export function planOf(json: unknown): Plan {
  const r = parsePlan(json, MODEL_IDS);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.plan;
}

export function jobOf(json: unknown, req: PopulationRequest): PopulationJob {
  const p = preparePopulation(planOf(json), req);
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.job;
}

/**
 * Every patient's whole trajectory (test only: the N × T matrix the population never holds), cp and
 * ce column-major (value of patient i at grid point j at j·n + i), stepped in blocks of `block` points,
 * plus the patients' results.
 */
export async function trajectories(
  job: PopulationJob,
  block = job.grid.count,
): Promise<{ cp: Float64Array; ce: Float64Array; patients: PatientPart }> {
  const n = job.n,
    T = job.grid.count;
  const slice = await PatientSlice.create(job, 0, n, true);
  const cp = new Float64Array(n * T),
    ce = new Float64Array(n * T);
  const nb = slice.scales.nb;
  for (let j0 = 0; j0 < T; j0 += block) {
    const j1 = Math.min(T, j0 + block);
    const hc = new Int32Array((j1 - j0) * nb),
      he = new Int32Array((j1 - j0) * nb);
    slice.block(j0, j1, cp.subarray(j0 * n), ce.subarray(j0 * n), n, 0, hc, he);
  }
  return { cp, ce, patients: slice.finish() };
}

/** A patient's series out of a column-major matrix. */
export const series = (m: Float64Array, n: number, T: number, i: number): Float64Array =>
  Float64Array.from({ length: T }, (_, j) => m[j * n + i]);

/** FNV-1a (32-bit) over the bytes of every number of a result: a compact bitwise fingerprint. */
export function fingerprint(r: PopulationResult): string {
  let h = 0x811c9dc5;
  const eat = (a: ArrayLike<number>) => {
    const f = Float64Array.from(a);
    const bytes = new Uint8Array(f.buffer);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  };
  for (const a of [...r.cp, ...r.ce]) eat(a);
  for (const p of r.probabilities) eat(p.atLeast);
  for (const m of r.metrics) eat([...m.values, m.mean, m.count]);
  for (const s of r.sampled) eat([...s.values, s.mean, s.count]);
  return h.toString(16).padStart(8, '0');
}
