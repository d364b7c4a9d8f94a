// N = 100,000 samples match specified CVs/covariance (5 SE); reproducible regardless of slicing.
import { describe, expect, it } from 'vitest';
import { parsePlan, type Plan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { preparePopulation } from '../../../engine/population/spec.ts';
import { createSampler, sampleRange } from '../../../engine/population/sample.ts';
import type { PopulationJob } from '../../../engine/population/types.ts';

function plan(model: unknown, extra: object = {}): Plan {
  const r = parsePlan(
    {
      patient: { weightKg: 70, ageYears: 40 },
      model,
      regimen: [{ at: 0, bolus: 1, unit: 'mg/kg' }],
      horizonMin: 60,
      resolutionSec: 60,
      ...extra,
    },
    MODEL_IDS,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.plan;
}
function job(model: unknown, n: number, seed: number, cv?: number): PopulationJob {
  const p = preparePopulation(plan(model), { n, seed, cv });
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.job;
}

/** Sample moments of the log-deviations ln(θ/θ_typical): means, SDs and the correlation matrix. */
function logMoments(j: PopulationJob, values: Float64Array) {
  const P = j.parameters.length,
    n = j.n;
  const eta = new Float64Array(n * P);
  for (let i = 0; i < n; i++) for (let k = 0; k < P; k++) eta[i * P + k] = Math.log(values[i * P + k] / j.parameters[k].typical);
  const mean = new Float64Array(P),
    sd = new Float64Array(P);
  for (let k = 0; k < P; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += eta[i * P + k];
    mean[k] = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (eta[i * P + k] - mean[k]) ** 2;
    sd[k] = Math.sqrt(v / (n - 1));
  }
  const corr = (a: number, b: number) => {
    let c = 0;
    for (let i = 0; i < n; i++) c += (eta[i * P + a] - mean[a]) * (eta[i * P + b] - mean[b]);
    return c / (n - 1) / (sd[a] * sd[b]);
  };
  return { mean, sd, corr };
}

const N = 100_000;

describe('virtual patients match the variability specification (N = 100,000, tolerance 5 standard errors)', () => {
  it('workload P (Domino 1984): all seven parameters log-normal with CV 30%, independent', () => {
    const j = job({ id: 'domino-1984' }, N, 2024, 0.3);
    expect(j.parameters.map((p) => p.name)).toEqual(['v1', 'k10', 'k12', 'k21', 'k13', 'k31', 'ke0']);
    const values = sampleRange(
      createSampler(
        j.parameters.map((p) => p.typical),
        j.cholesky,
        j.seed,
      ),
      0,
      N,
    );
    const { mean, sd, corr } = logMoments(j, values);
    const omega = Math.sqrt(Math.log(1 + 0.3 * 0.3));
    j.parameters.forEach((p, k) => {
      expect(p.kind).toBe('assumed');
      expect(p.source).toMatch(/^ASSUMPTION: CV 30%/);
      // SE of a sample mean: ω/√N; of a sample SD of a normal: ω/√(2(N − 1)).
      expect(Math.abs(mean[k]), `${p.name} mean of ln`).toBeLessThan((5 * omega) / Math.sqrt(N));
      expect(Math.abs(sd[k] - omega), `${p.name} SD of ln`).toBeLessThan((5 * omega) / Math.sqrt(2 * (N - 1)));
    });
    // Independent parameters: sample correlation ~ N(0, 1/N).
    for (let a = 0; a < 7; a++) for (let b = a + 1; b < 7; b++) expect(Math.abs(corr(a, b))).toBeLessThan(5 / Math.sqrt(N));
  });

  it("Fanta 2015: the published ω² of V1 and CL and their covariance (Otto 2021); the rest at the user's CV", () => {
    const j = job({ id: 'fanta-2015-s-ketamine' }, N, 77, 0.25);
    const byName = Object.fromEntries(j.parameters.map((p, k) => [p.name, { ...p, k }]));
    expect(byName.v1.kind).toBe('published');
    expect(byName.v1.omega2).toBe(0.084);
    expect(byName.cl1.omega2).toBe(0.026);
    expect(byName.v1.source).toMatch(/Otto 2021/);
    expect(byName.v2.kind).toBe('assumed');
    expect(byName.ke0.kind).toBe('assumed');
    expect(j.covariances).toHaveLength(1);
    const values = sampleRange(
      createSampler(
        j.parameters.map((p) => p.typical),
        j.cholesky,
        j.seed,
      ),
      0,
      N,
    );
    const { sd, corr } = logMoments(j, values);
    for (const p of Object.values(byName)) {
      const omega = Math.sqrt(p.omega2);
      expect(Math.abs(sd[p.k] - omega), `${p.name} SD of ln`).toBeLessThan((5 * omega) / Math.sqrt(2 * (N - 1)));
    }
    const rho = 0.023 / Math.sqrt(0.084 * 0.026);
    // SE of a sample correlation: (1 − ρ²)/√N.
    expect(Math.abs(corr(byName.v1.k, byName.cl1.k) - rho)).toBeLessThan((5 * (1 - rho * rho)) / Math.sqrt(N));
    expect(Math.abs(corr(byName.v1.k, byName.v2.k))).toBeLessThan(5 / Math.sqrt(N));
  });
});

describe('sampling is reproducible and does not depend on how the population is cut', () => {
  const j = job({ id: 'domino-1984' }, 1000, 5);
  const sampler = () =>
    createSampler(
      j.parameters.map((p) => p.typical),
      j.cholesky,
      j.seed,
    );
  it('the same seed gives the same bits; another seed does not', () => {
    const a = sampleRange(sampler(), 0, 1000),
      b = sampleRange(sampler(), 0, 1000);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    const other = createSampler(
      j.parameters.map((p) => p.typical),
      j.cholesky,
      6,
    );
    expect(sampleRange(other, 0, 10)).not.toEqual(a.subarray(0, 70));
  });
  it('patient i is the same whether sampled alone, in another range or out of order', () => {
    const all = sampleRange(sampler(), 0, 1000);
    const part = sampleRange(sampler(), 600, 700);
    expect(part).toEqual(all.subarray(600 * 7, 700 * 7));
    const s = sampler(),
      one = new Float64Array(7);
    s.sample(999, one, 0);
    expect(one).toEqual(all.subarray(999 * 7, 1000 * 7));
  });
  it('a fixed parameter keeps its typical value exactly (Simons 2022 fmNk), and CV 0 fixes the assumed ones', () => {
    const simons = job({ id: 'simons-2022-s-ketamine-arterial' }, 50, 1);
    const k = simons.parameters.findIndex((p) => p.name === 'fmNk');
    expect(simons.parameters[k].kind).toBe('fixed');
    const v = sampleRange(
      createSampler(
        simons.parameters.map((p) => p.typical),
        simons.cholesky,
        1,
      ),
      0,
      50,
    );
    for (let i = 0; i < 50; i++) expect(v[i * simons.parameters.length + k]).toBe(0.8);
    const zero = job({ id: 'domino-1984' }, 10, 3, 0);
    const z = sampleRange(
      createSampler(
        zero.parameters.map((p) => p.typical),
        zero.cholesky,
        3,
      ),
      0,
      10,
    );
    for (let i = 0; i < 10; i++) for (let q = 0; q < 7; q++) expect(z[i * 7 + q]).toBe(zero.parameters[q].typical);
  });
});
