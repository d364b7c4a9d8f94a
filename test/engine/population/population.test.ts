// Results are exact order statistics; same bits for any work split; seeds reproduce; variability labelled.
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../engine/metrics.ts';
import { regimenToActions } from '../../../engine/dosing/actions.ts';
import { runPopulationLocal } from '../../../engine/population/local.ts';
import { metricNames } from '../../../engine/population/metrics-stream.ts';
import { percentileBySort, countAtLeastByScan } from '../../../engine/population/select.ts';
import { checkRequest, preparePopulation } from '../../../engine/population/spec.ts';
import { fingerprint, jobOf, planOf, series, trajectories, WORKLOAD_P } from './helpers.ts';

const BUSY = {
  patient: { weightKg: 64, ageYears: 30 },
  model: { v1: 12, cl1: 1.1, v2: 25, cl2: 1.8, v3: 120, cl3: 0.7, ke0: 0.3 },
  regimen: [
    { at: 0, bolus: 0.5, unit: 'mg/kg' },
    { at: 5.55, rate: 1, unit: 'mg/kg/h' },
    { at: 30, rate: 0 },
    { at: 30, bolus: 20, unit: 'mg' },
  ],
  horizonMin: 120,
  resolutionSec: 20,
  thresholds: [
    { id: 'dissociation', lowNgMl: 150, highNgMl: 300 },
    { id: 'high', lowNgMl: 600 },
  ],
};

describe('population results are exact order statistics of the virtual patients', () => {
  for (const [name, json, n] of [
    ['workload P', WORKLOAD_P, 300],
    ['custom 3-cmt, boluses, plan bands', BUSY, 257],
  ] as const) {
    it(`${name}: percentiles, probabilities and metric distributions equal sorting all N trajectories`, async () => {
      const job = jobOf(json, { n, seed: 99 });
      const r = await runPopulationLocal(job, { ranges: 2 });
      const { cp, ce } = await trajectories(job);
      const T = job.grid.count;
      for (let j = 0; j < T; j++) {
        const cpj = cp.subarray(j * n, (j + 1) * n),
          cej = ce.subarray(j * n, (j + 1) * n);
        job.percentiles.forEach((p, q) => {
          if (r.cp[q][j] !== percentileBySort(cpj, p))
            throw new Error(`cp p${p} at ${j}: ${r.cp[q][j]} vs ${percentileBySort(cpj, p)}`);
          if (r.ce[q][j] !== percentileBySort(cej, p)) throw new Error(`ce p${p} at ${j}`);
        });
        for (const pr of r.probabilities) {
          if (pr.atLeast[j] !== countAtLeastByScan(cej, pr.ngMl) / n) throw new Error(`P(Ce ≥ ${pr.ngMl}) at ${j}`);
        }
      }
      // Metrics: engine/metrics.ts on every patient's trajectory, then sorted.
      const plan = planOf(json);
      const actions = regimenToActions(plan.regimen, plan.patient.weightKg);
      const names = metricNames(job.bands);
      const per: number[][] = names.map(() => []);
      for (let i = 0; i < n; i++) {
        const m = computeMetrics(
          { t: r.t, cp: series(cp, n, T, i), ce: series(ce, n, T, i) },
          job.bands,
          actions,
          plan.patient.weightKg,
        );
        const v = [m.peakCpNgMl, m.peakCpMin, m.peakCeNgMl, m.peakCeMin, m.recoveryMin];
        for (const b of m.bands) v.push(b.minutesInside, b.minutesAbove, b.firstEntryMin, b.lastExitMin);
        v.forEach((x, k) => {
          if (x !== null) per[k].push(x);
        });
      }
      r.metrics.forEach((m, k) => {
        expect(m.id).toBe(names[k]);
        expect(m.count, m.id).toBe(per[k].length);
        expect(m.values, m.id).toEqual(job.percentiles.map((p) => (per[k].length ? percentileBySort(per[k], p) : NaN)));
        expect(m.mean, m.id).toBe(per[k].length ? per[k].reduce((a, b) => a + b, 0) / per[k].length : NaN);
      });
    });
  }

  it('gives the same bits for any split of the work: single thread, 2/3/5 time ranges, 1/2/4 shared-memory workers', async () => {
    const job = jobOf({ ...WORKLOAD_P, regimen: BUSY.regimen }, { n: 800, seed: 31 });
    const ref = fingerprint(await runPopulationLocal(job));
    for (const ranges of [2, 3, 5]) expect(fingerprint(await runPopulationLocal(job, { ranges })), `ranges ${ranges}`).toBe(ref);
    for (const shared of [1, 2, 4]) expect(fingerprint(await runPopulationLocal(job, { shared })), `shared ${shared}`).toBe(ref);
  });

  it('the same seed reproduces a population; another seed gives another', async () => {
    const a = fingerprint(await runPopulationLocal(jobOf(WORKLOAD_P, { n: 200, seed: 1 })));
    expect(fingerprint(await runPopulationLocal(jobOf(WORKLOAD_P, { n: 200, seed: 1 })))).toBe(a);
    expect(fingerprint(await runPopulationLocal(jobOf(WORKLOAD_P, { n: 200, seed: 2 })))).not.toBe(a);
  });

  it('works for a population of one (every percentile is that patient)', async () => {
    const r = await runPopulationLocal(jobOf(WORKLOAD_P, { n: 1, seed: 4 }), { shared: 2 });
    for (let q = 1; q < r.percentiles.length; q++) expect(r.ce[q]).toEqual(r.ce[0]);
    expect(r.metrics[0].count).toBe(1);
  });

  it('reports progress up to completion', async () => {
    const seen: number[] = [];
    await runPopulationLocal(jobOf(WORKLOAD_P, { n: 50, seed: 4 }), { onProgress: (d, t) => seen.push(d / t) });
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((x, i) => i === 0 || x >= seen[i - 1])).toBe(true);
  });
});

describe('the variability specification travels with the results', () => {
  it('labels every assumed CV as an ASSUMPTION and says why; published ones keep their source', () => {
    const job = jobOf(
      { ...WORKLOAD_P, model: { id: 'herd-2007-paediatric' }, patient: { weightKg: 30, ageYears: 8 } },
      { n: 10, seed: 1, cv: 0.2 },
    );
    const byName = Object.fromEntries(job.parameters.map((p) => [p.name, p]));
    expect(byName.v1.kind).toBe('published');
    expect(byName.v1.source).toMatch(/Herd & Anderson 2007/);
    expect(byName.v1.cv).toBeCloseTo(0.64, 12);
    expect(['v1', 'v2', 'cl1', 'cl2'].map((k) => byName[k].kind)).toEqual(['published', 'published', 'published', 'published']);
    expect(byName.ke0.kind).toBe('assumed');
    expect(byName.ke0.source).toMatch(/^ASSUMPTION: CV 20%/);
    expect(job.assumptions.join('\n')).toMatch(/ASSUMPTION: ke0 varies with CV 20%/);
    expect(job.assumptions.join('\n')).toMatch(/not re-derived per virtual patient/);
  });
  it('a custom model gets the CV on every parameter, ke0 included', () => {
    const job = jobOf(BUSY, { n: 10, seed: 1 });
    expect(job.parameters.map((p) => p.name)).toEqual(['v1', 'cl1', 'v2', 'cl2', 'v3', 'cl3', 'ke0']);
    expect(job.parameters.every((p) => p.kind === 'assumed' && p.source.includes('custom model'))).toBe(true);
    expect(job.parameters.map((p) => p.unit)).toEqual(['L', 'L/min', 'L', 'L/min', 'L', 'L/min', '1/min']);
  });
  it('bad requests are problems naming the field, not exceptions', () => {
    expect(checkRequest({ n: 0, seed: 1 }).map((p) => p.path)).toEqual(['n']);
    expect(checkRequest({ n: 5, seed: -1 }).map((p) => p.path)).toEqual(['seed']);
    expect(checkRequest({ n: 5, seed: 1, cv: 4 }).map((p) => p.path)).toEqual(['cv']);
    expect(checkRequest({ n: 1.5, seed: 1.5, cv: -1, percentiles: [101] }).map((p) => p.path)).toEqual([
      'n',
      'seed',
      'cv',
      'percentiles',
    ]);
    const r = preparePopulation(planOf(WORKLOAD_P), { n: 2_000_000, seed: 1 });
    expect(r.ok).toBe(false);
  });
});
