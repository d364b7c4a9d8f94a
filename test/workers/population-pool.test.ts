// Real worker_threads pool (2 threads): shared-memory and time-split runs equal the single thread bit for bit; progress, errors, cancellation (waits for values, no time bounds).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodePopulationPool, type NodePopulationPool } from '../../cli/population.ts';
import { runPopulationLocal } from '../../engine/population/local.ts';
import { isAbortError } from '../../workers/bridge.ts';
import { fingerprint, jobOf, WORKLOAD_P } from '../engine/population/helpers.ts';

/**
 * The worker pool on real threads (node:worker_threads, the bundled worker of cli/population.ts):
 * both shapes merge to exactly the single-thread result; progress; cancellation stops the workers.
 */
let pool: NodePopulationPool;
beforeAll(async () => {
  pool = await createNodePopulationPool(2);
});
afterAll(async () => {
  await pool?.close();
});

const BUSY_REGIMEN = [
  { at: 0, bolus: 0.5, unit: 'mg/kg' },
  { at: 7.77, rate: 1.5, unit: 'mg/kg/h' },
  { at: 50, rate: 0 },
];

describe('population worker pool (2 threads)', () => {
  it('shared-memory and time-split runs equal the single-thread run bit for bit', async () => {
    const job = jobOf({ ...WORKLOAD_P, regimen: BUSY_REGIMEN, horizonMin: 180 }, { n: 3000, seed: 8 });
    const local = fingerprint(await runPopulationLocal(job));
    expect(fingerprint(await pool.run(job, { shared: true }))).toBe(local);
    expect(fingerprint(await pool.run(job, { shared: false }))).toBe(local);
  });

  it('a regimen edit re-uses each worker’s sampled patients and still equals the single-thread run bit for bit', async () => {
    // Same seed, N, model and covariates, different regimens: the second run of each shape finds its
    // patients kept in every worker (engine/population/runner.ts `sampledCache`).
    const first = jobOf({ ...WORKLOAD_P, horizonMin: 150 }, { n: 2200, seed: 31 });
    const second = jobOf({ ...WORKLOAD_P, regimen: BUSY_REGIMEN, horizonMin: 150 }, { n: 2200, seed: 31 });
    const want = fingerprint(await runPopulationLocal(second));
    for (const shared of [true, false]) {
      await pool.run(first, { shared });
      const before = await pool.stats();
      const got = fingerprint(await pool.run(second, { shared }));
      const after = await pool.stats();
      expect(got).toBe(want);
      expect(after.map((s, w) => s.sampledMisses - before[w].sampledMisses)).toEqual([0, 0]);
      expect(after.reduce((h, s, w) => h + s.sampledHits - before[w].sampledHits, 0)).toBeGreaterThan(0);
    }
  });

  it('a run on scratch buffers a previous run of the same size left behind equals the single-thread run bit for bit', async () => {
    // Same N and grid (so the same scratch sizes), different regimens and seeds: every value the second
    // run reads must be its own, not the first run's.
    const first = jobOf({ ...WORKLOAD_P, regimen: BUSY_REGIMEN, horizonMin: 180 }, { n: 2500, seed: 11 });
    const second = jobOf({ ...WORKLOAD_P, horizonMin: 180 }, { n: 2500, seed: 12 });
    const third = jobOf({ ...WORKLOAD_P, regimen: [{ at: 0, bolus: 2, unit: 'mg/kg' }], horizonMin: 180 }, { n: 2500, seed: 13 });
    const runs = [first, second, third, first];
    const shared = [];
    for (const job of runs) shared.push(fingerprint(await pool.run(job, { shared: true })));
    const local = await Promise.all(runs.map(async (job) => fingerprint(await runPopulationLocal(job))));
    expect(shared).toEqual(local);
    expect(new Set(local).size).toBe(3);
  });

  it('reports progress that rises to 1, in both shapes', async () => {
    const job = jobOf(WORKLOAD_P, { n: 8000, seed: 2, metrics: false });
    for (const shared of [true, false]) {
      const seen: number[] = [];
      await pool.run(job, { shared, onProgress: (f) => seen.push(f) });
      expect(seen.length, `shared ${shared}`).toBeGreaterThan(1);
      expect(seen.at(-1)).toBe(1);
      expect(seen.every((x, i) => x >= 0 && x <= 1 && (i === 0 || x >= seen[i - 1]))).toBe(true);
    }
  });

  it('a worker error fails the run (no worker left waiting) and the pool stays usable', async () => {
    const good = jobOf(WORKLOAD_P, { n: 1000, seed: 1 });
    const broken = { ...good, recipe: { kind: 'registry' as const, id: 'no-such-model' } };
    for (const shared of [true, false]) {
      await expect(pool.run(broken, { shared })).rejects.toThrow(/unknown model no-such-model/);
    }
    expect(fingerprint(await pool.run(good))).toBe(fingerprint(await runPopulationLocal(good)));
  });

  for (const shared of [true, false]) {
    it(`cancellation rejects the run and stops the workers (${shared ? 'shared memory' : 'time split'})`, async () => {
      const job = jobOf({ ...WORKLOAD_P, horizonMin: 24 * 60 }, { n: 50_000, seed: 3 }); // many seconds of work
      const controller = new AbortController();
      const before = await pool.stats();
      let progressAtCancel = -1;
      const run = pool.run(job, {
        shared,
        signal: controller.signal,
        onProgress: (f) => {
          if (f > 0 && progressAtCancel < 0) {
            progressAtCancel = f;
            controller.abort();
          }
        },
      });
      const error = await run.then(
        () => null,
        (e: unknown) => e,
      );
      expect(isAbortError(error)).toBe(true);
      // Cancelled part-way, not after the run had finished anyway.
      expect(progressAtCancel).toBeGreaterThan(0);
      expect(progressAtCancel).toBeLessThan(1);
      // stats() is answered only once a worker is free again (its message loop is serial), so this waits
      // for the workers to leave the cancelled run, however busy the machine.
      const after = await pool.stats();
      expect(after.every((s) => !s.busy)).toBe(true);
      if (shared) {
        // One runShared each, and each returned (stats() was answered after it).
        expect(after.map((s, w) => s.steps - before[w].steps)).toEqual([1, 1]);
      }
      // The pool is usable again, and nothing of the cancelled run is still stepping: two identical small
      // runs take the same number of steps per worker (a stray step of the cancelled run would be counted
      // in one of them), and each equals the single-thread result.
      const small = jobOf(WORKLOAD_P, { n: 100, seed: 1 });
      const local = fingerprint(await runPopulationLocal(small));
      const s0 = await pool.stats();
      expect(fingerprint(await pool.run(small, { shared }))).toBe(local);
      const s1 = await pool.stats();
      expect(fingerprint(await pool.run(small, { shared }))).toBe(local);
      const s2 = await pool.stats();
      const steps = (a: typeof s0, b: typeof s0) => b.map((s, w) => s.steps - a[w].steps);
      expect(steps(s1, s2)).toEqual(steps(s0, s1));
      if (!shared) expect(steps(s2, await pool.stats())).toEqual([0, 0]);
    });
  }
});
