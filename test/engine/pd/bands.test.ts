// `bandsForPlan` (engine/pd/bands.ts): a plan's bands follow its model's drug; open-ended bands through metrics, sweep CSV and population.
import { describe, expect, it } from 'vitest';
import { ANTIDEPRESSANT_MARKER, bandsForPlan, DEFAULT_BANDS, defaultBandSet } from '../../../engine/pd/bands.ts';
import { S_KETAMINE_BANDS } from '../../../engine/pd/s-ketamine-bands.ts';
import { findModel, MODEL_IDS, MODELS } from '../../../engine/models/registry.ts';
import { parsePlan, type Plan } from '../../../engine/plan.ts';
import { predict } from '../../../engine/predict.ts';
import { computeMetrics } from '../../../engine/metrics.ts';
import { planMetrics } from '../../../engine/research/meta.ts';
import { runSweep, sweepCsv, sweepRowsJson } from '../../../engine/research/sweep.ts';
import { preparePopulation } from '../../../engine/population/spec.ts';

const S_IDS = [
  'fanta-2015-s-ketamine',
  'simons-2022-s-ketamine-arterial',
  'flint-2017-s-ketamine-picu',
  'perez-ruixo-2021-esketamine',
];

function plan(model: Record<string, unknown>, over: Record<string, unknown> = {}): Plan {
  const r = parsePlan(
    {
      patient: { weightKg: 82, ageYears: 40 },
      model,
      regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
      horizonMin: 240,
      resolutionSec: 10,
      ...over,
    },
    MODEL_IDS,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.plan;
}

describe('bandsForPlan(thresholds, model)', () => {
  it('racemic registry models keep today’s bands; S-ketamine and esketamine models get the S-ketamine set, by plan.model or definition', () => {
    for (const m of MODELS) {
      const want = S_IDS.includes(m.id) ? S_KETAMINE_BANDS : DEFAULT_BANDS;
      expect(bandsForPlan(undefined, { id: m.id }), m.id).toBe(want);
      expect(bandsForPlan(undefined, m), m.id).toBe(want);
    }
    expect(defaultBandSet({ id: 'domino-1984' }).references).toEqual([ANTIDEPRESSANT_MARKER]);
  });

  it('a custom model, null or no model: the racemic defaults; a plan’s own thresholds always win', () => {
    expect(bandsForPlan(undefined, { v1: 10, cl1: 1, ke0: 0.2 })).toBe(DEFAULT_BANDS);
    expect(bandsForPlan(undefined, null)).toBe(DEFAULT_BANDS);
    expect(bandsForPlan(undefined)).toBe(DEFAULT_BANDS);
    const own = [{ id: 'mine', lowNgMl: 10 }];
    expect(bandsForPlan(own, { id: 'fanta-2015-s-ketamine' })).toBe(own);
  });

  it('an unknown registry id (a plan not validated) throws naming model.id', () => {
    expect(() => bandsForPlan(undefined, { id: 'nope' })).toThrow('model.id: unknown model "nope"');
  });
});

describe('open-ended bands (no high bound) through every output', () => {
  it('computeMetrics: highNgMl null, nothing above, minutes inside = minutes at or above the line', () => {
    const p = plan({ id: 'fanta-2015-s-ketamine' });
    const pred = predict(p);
    const m = computeMetrics(pred.trajectory, bandsForPlan(p.thresholds, p.model), pred.actions, 82);
    expect(m.bands.map((b) => [b.id, b.lowNgMl, b.highNgMl])).toEqual([
      ['s-ketamine-at-or-above-c50', 121.2, null],
      ['s-ketamine-at-or-above-eeg-ic50', 800, null],
    ]);
    const c50 = m.bands[0];
    expect(c50.minutesAbove).toBe(0);
    expect(c50.minutesInside).toBeGreaterThan(0);
    // Independent count on the grid: the time Ce ≥ 121.2 ng/mL lies within one grid step per crossing.
    const { t, ce } = pred.trajectory;
    let onGrid = 0;
    for (let i = 1; i < t.length; i++) if (ce[i] >= 121.2 && ce[i - 1] >= 121.2) onGrid += t[i] - t[i - 1];
    expect(Math.abs(c50.minutesInside - onGrid)).toBeLessThanOrEqual(2 * (10 / 60));
    // No dissociation band for S-ketamine: no recovery level, so no recovery time (null, not a racemic number).
    expect(m.recoveryLevelNgMl).toBeNull();
    expect(m.recoveryMin).toBeNull();
    // The research commands' metrics are the same object.
    expect(planMetrics(p, pred)).toEqual(m);
  });

  it('sweep: JSON null and an empty CSV cell for the open bands’ high bound', () => {
    const r = runSweep({ plan: plan({ id: 'fanta-2015-s-ketamine' }), scales: [1, 2] });
    if (!r.ok) throw new Error(r.problems.join('; '));
    const rows = sweepRowsJson(r.result) as { metrics: { bands: { id: string; highNgMl: number | null }[] } }[];
    for (const row of rows) expect(row.metrics.bands.map((b) => b.highNgMl)).toEqual([null, null]);
    const [header, ...lines] = sweepCsv(r.result).trim().split('\n');
    const cols = header.split(',');
    const hi = cols.findIndex((c) => c.startsWith('s-ketamine-at-or-above-c50') && c.includes('high'));
    expect(hi).toBeGreaterThan(-1);
    for (const line of lines) expect(line.split(',')[hi]).toBe('');
  });

  it('population: the job carries the S-ketamine bands (open) and the notice, and the dose-safety warnings', () => {
    const job = preparePopulation(plan({ id: 'fanta-2015-s-ketamine' }), { n: 10, seed: 1 });
    if (!job.ok) throw new Error(JSON.stringify(job.problems));
    expect(job.job.bands).toEqual(S_KETAMINE_BANDS.map((b) => ({ id: b.id, lowNgMl: b.lowNgMl })));
    expect(job.job.recoveryLevelNgMl).toBeNull();
    expect(job.job.warnings.map((w) => w.code)).toContain('s-ketamine-bands');
    const big = preparePopulation(plan({ id: 'domino-1984' }, { regimen: [{ at: 0, dose: 50, unit: 'mg/kg', overMin: 40 }] }), {
      n: 10,
      seed: 1,
    });
    expect(big.ok && big.job.warnings.map((w) => w.code)).toEqual(['dose-above-limit']);
    expect(big.ok && big.job.bands.map((b) => b.id)).toEqual(DEFAULT_BANDS.map((b) => b.id));
    expect(findModel('domino-1984')!.drug).toMatch(/racemic/);
  });
});
