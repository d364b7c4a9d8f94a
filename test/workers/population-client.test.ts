// `createPopulationClient` over the real worker module: engine-equal results, problems naming fields, cancellation and latest-run-wins.
import '@vitest/web-worker';
import { describe, expect, it } from 'vitest';
import { createPopulationClient } from '../../workers/population-client.ts';
import { runPopulationLocal } from '../../engine/population/local.ts';
import { fingerprint, jobOf, WORKLOAD_P } from '../engine/population/helpers.ts';

/**
 * The dashboard's client API over the real worker module (workers/population.worker.ts through
 * comlink), run by @vitest/web-worker in this thread: results, problems, cancellation.
 */
const worker = () => new Worker(new URL('../../workers/population.worker.ts', import.meta.url), { type: 'module' });

describe('createPopulationClient', () => {
  it('start(plan, n, seed, cv, onProgress) resolves to the same result as the engine on this thread', async () => {
    const client = createPopulationClient({ createWorker: worker });
    const seen: number[] = [];
    const run = client.start(WORKLOAD_P, 500, 42, 0.3, (f) => seen.push(f));
    expect(typeof run.cancel).toBe('function');
    const outcome = await run;
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    expect(fingerprint(outcome.result)).toBe(
      fingerprint(await runPopulationLocal(jobOf(WORKLOAD_P, { n: 500, seed: 42, cv: 0.3 }))),
    );
    expect(seen.at(-1)).toBe(1);
    client.dispose();
  });

  it('returns the problems of an invalid plan or request, naming the fields', async () => {
    const client = createPopulationClient({ createWorker: worker });
    const bad = await client.start({ ...WORKLOAD_P, patient: { weightKg: -3 } }, 10, 1, 0.3);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path)).toContain('patient.weightKg');
    const tooMany = await client.start(WORKLOAD_P, 10_000_000, 1, 0.3);
    expect(tooMany.ok).toBe(false);
    if (!tooMany.ok) expect(tooMany.problems.map((p) => p.path)).toEqual(['n']);
    client.dispose();
  });

  it('cancel() rejects the run with an AbortError, and a newer start cancels an older run', async () => {
    const client = createPopulationClient({ createWorker: worker });
    const first = client.start(WORKLOAD_P, 20_000, 1, 0.3);
    const second = client.start(WORKLOAD_P, 100, 2, 0.3);
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    const third = client.start(WORKLOAD_P, 100, 3, 0.3);
    third.cancel();
    await expect(third).rejects.toMatchObject({ name: 'AbortError' });
    await expect(second).rejects.toMatchObject({ name: 'AbortError' }); // superseded by the third start
    const last = await client.start(WORKLOAD_P, 50, 4, 0.3);
    expect(last.ok).toBe(true);
    client.dispose();
  });
});
