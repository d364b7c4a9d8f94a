// Sampled patients kept between runs: a run on kept patients equals a fresh run bit for bit; a change of seed, N, model or covariates samples afresh.
import { beforeEach, describe, expect, it } from 'vitest';
import { runPopulationLocal } from '../../../engine/population/local.ts';
import { clearSampledPatients, sampledStats } from '../../../engine/population/runner.ts';
import { fingerprint, jobOf, WORKLOAD_P } from './helpers.ts';

/**
 * engine/population/runner.ts keeps a worker's sampled patients (parameters and modal coefficients)
 * between runs whose seed, N, model and covariates are the same, so that an edit of the regimen alone
 * does not re-sample them. These tests compare fingerprints (every output bit) of a run on kept
 * patients with the same run after the cache was cleared, and watch the hit and miss counters.
 */
const REGIMEN_A = [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }];
const REGIMEN_B = [
  { at: 0, bolus: 0.35, unit: 'mg/kg' },
  { at: 5.5, rate: 1.2, unit: 'mg/kg/h' },
  { at: 60, rate: 0 },
];
const plan = (regimen: unknown, patient: unknown = WORKLOAD_P.patient, model: unknown = WORKLOAD_P.model) => ({
  ...WORKLOAD_P,
  horizonMin: 120,
  regimen,
  patient,
  model,
});

/** A fresh run's fingerprint: the cache cleared first, and cleared again after (so it leaves nothing behind). */
async function fresh(job: Parameters<typeof runPopulationLocal>[0], options?: Parameters<typeof runPopulationLocal>[1]) {
  clearSampledPatients();
  const misses = sampledStats.misses;
  const f = fingerprint(await runPopulationLocal(job, options));
  expect(sampledStats.misses).toBeGreaterThan(misses);
  clearSampledPatients();
  return f;
}

/** Run `job` and return its fingerprint with how many slices re-used kept patients and how many sampled afresh. */
async function counted(job: Parameters<typeof runPopulationLocal>[0], options?: Parameters<typeof runPopulationLocal>[1]) {
  const h = sampledStats.hits,
    m = sampledStats.misses;
  const f = fingerprint(await runPopulationLocal(job, options));
  return { f, hits: sampledStats.hits - h, misses: sampledStats.misses - m };
}

describe('sampled patients kept between runs', () => {
  beforeEach(() => clearSampledPatients());

  it('a regimen edit re-uses the patients and equals a fresh run bit for bit (one slice and shared-memory slices)', async () => {
    const a = jobOf(plan(REGIMEN_A), { n: 1500, seed: 21 });
    const b = jobOf(plan(REGIMEN_B), { n: 1500, seed: 21 });
    for (const options of [undefined, { shared: 2 }]) {
      const freshB = await fresh(b, options);
      clearSampledPatients();
      const first = await counted(a, options);
      expect(first.hits).toBe(0);
      const second = await counted(b, options);
      expect(second.misses).toBe(0);
      expect(second.hits).toBeGreaterThan(0);
      expect(second.f).toBe(freshB);
      // And back: the kept patients were not changed by the run that re-used them.
      const again = await counted(a, options);
      expect(again.misses).toBe(0);
      expect(again.f).toBe(await fresh(a, options));
    }
  });

  it('a change of seed, N, model or covariates samples afresh, and each result equals its fresh run', async () => {
    const base = jobOf(plan(REGIMEN_A), { n: 1200, seed: 5 });
    const changed = [
      jobOf(plan(REGIMEN_A), { n: 1200, seed: 6 }),
      jobOf(plan(REGIMEN_A), { n: 1201, seed: 5 }),
      jobOf(plan(REGIMEN_A, WORKLOAD_P.patient, { id: 'kamp-2020' }), { n: 1200, seed: 5 }),
      jobOf(plan(REGIMEN_A, { weightKg: 85 }), { n: 1200, seed: 5 }),
    ];
    for (const job of changed) {
      const want = await fresh(job);
      await counted(base); // keep the base population's patients
      const got = await counted(job);
      expect(got.hits).toBe(0);
      expect(got.misses).toBe(1);
      expect(got.f).toBe(want);
    }
  });
});
