// FNV-1a fingerprints of sampling, detmath and whole populations, run in Node and bundled for Chromium.
import { parsePlan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { preparePopulation, type PopulationRequest } from '../../../engine/population/spec.ts';
import { runPopulationLocal } from '../../../engine/population/local.ts';
import { createSampler, sampleRange } from '../../../engine/population/sample.ts';
import { detExp, detLog, normalQuantile } from '../../../engine/population/detmath.ts';
import type { PopulationResult } from '../../../engine/population/types.ts';
import { installMathjsMatrixExponential } from '../../../engine/pk/mathjs-expm.ts';

// The general path's matrix exponential, statically, as the app's workers install it (the Chromium bundle has no setup file).
installMathjsMatrixExponential();

/**
 * Fingerprints of populations, computed by the same code in Node and in Chromium (bundled by
 * cross-engine.test.ts): sampled parameters, the deterministic functions, and whole results from a
 * plan (preparation included), for a micro-constant, a clearance model with covariance and a general
 * linear model. FNV-1a over the IEEE bytes of every number, so equal fingerprints mean equal bits.
 */
function fnv(values: ArrayLike<number>, h = 0x811c9dc5): number {
  const f = Float64Array.from(values);
  const bytes = new Uint8Array(f.buffer);
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h;
}

function resultPrint(r: PopulationResult): string {
  let h = 0x811c9dc5;
  for (const a of [...r.cp, ...r.ce]) h = fnv(a, h);
  for (const p of r.probabilities) h = fnv(p.atLeast, h);
  for (const m of r.metrics) h = fnv([...m.values, m.mean, m.count], h);
  for (const s of r.sampled) h = fnv([...s.values, s.mean, s.count], h);
  h = fnv(
    r.job.parameters.flatMap((p) => [p.typical, p.omega2, p.cv]),
    h,
  );
  return h.toString(16).padStart(8, '0');
}

const P_PLAN = {
  patient: { weightKg: 70 },
  model: { id: 'domino-1984' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin: 240,
  resolutionSec: 10,
};

async function population(json: unknown, req: PopulationRequest): Promise<PopulationResult> {
  const parsed = parsePlan(json, MODEL_IDS);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const prep = preparePopulation(parsed.plan, req);
  if (!prep.ok) throw new Error(JSON.stringify(prep.problems));
  return runPopulationLocal(prep.job, { shared: 2 });
}

export async function crossEngineFingerprints(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const xs = Array.from({ length: 20_000 }, (_, i) => (i - 10_000) / 137.3);
  out.detExp = fnv(xs.map(detExp)).toString(16);
  out.detLog = fnv(xs.map((x) => detLog(Math.abs(x) + 1e-300))).toString(16);
  out.normalQuantile = fnv(xs.map((_, i) => normalQuantile((i + 0.5) / xs.length))).toString(16);
  const parsed = parsePlan(P_PLAN, MODEL_IDS);
  if (!parsed.ok) throw new Error('plan');
  const prep = preparePopulation(parsed.plan, { n: 5000, seed: 123456789, cv: 0.3 });
  if (!prep.ok) throw new Error('prepare');
  const s = createSampler(
    prep.job.parameters.map((p) => p.typical),
    prep.job.cholesky,
    prep.job.seed,
  );
  out.sampledWorkloadP = fnv(sampleRange(s, 0, 5000)).toString(16);
  out.workloadP = resultPrint(await population(P_PLAN, { n: 400, seed: 2024 }));
  out.fantaCovariance = resultPrint(
    await population(
      { ...P_PLAN, model: { id: 'fanta-2015-s-ketamine' }, patient: { weightKg: 81 } },
      { n: 300, seed: 7, cv: 0.25 },
    ),
  );
  out.simonsGeneral = resultPrint(
    await population(
      { ...P_PLAN, model: { id: 'simons-2022-s-ketamine-arterial' }, horizonMin: 60, resolutionSec: 60 },
      { n: 12, seed: 5 },
    ),
  );
  return out;
}
