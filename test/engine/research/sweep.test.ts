/**
 * Tests of engine/research/sweep.ts: every dose and rate scaled by each factor, over a grid of models
 * and weights; metrics exactly `ketasim metrics`' object; the flat CSV.
 */
import { describe, expect, it } from 'vitest';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { parsePlan, type Plan } from '../../../engine/plan.ts';
import { predict } from '../../../engine/predict.ts';
import { planMetrics } from '../../../engine/research/meta.ts';
import {
  acceptScale,
  acceptWeight,
  checkModelIds,
  mergeRowWarnings,
  parseNumberList,
  runSweep,
  scaleRegimen,
  sweepCsv,
  sweepRowsJson,
} from '../../../engine/research/sweep.ts';
import { expectNear } from '../../support/tolerance.ts';

const INPUT = {
  patient: { weightKg: 70, ageYears: 40 },
  model: { id: 'domino-1984' },
  regimen: [
    { at: 0, bolus: 0.2, unit: 'mg/kg' },
    { at: 5, dose: 0.5, unit: 'mg/kg', overMin: 40 },
    { at: 60, rate: 6, unit: 'mg/h' },
    { at: 90, rate: 0 },
  ],
  horizonMin: 240,
  resolutionSec: 10,
};
function plan(input: unknown = INPUT): Plan {
  const r = parsePlan(input, MODEL_IDS);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.plan;
}
function sweep(req: Parameters<typeof runSweep>[0]) {
  const r = runSweep(req);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.result;
}

describe('scaleRegimen', () => {
  it('multiplies every bolus, rate and dose; keeps times, units and durations', () => {
    expect(scaleRegimen(plan().regimen, 2)).toEqual([
      { at: 0, bolus: 0.4, unit: 'mg/kg' },
      { at: 5, dose: 1, unit: 'mg/kg', overMin: 40 },
      { at: 60, rate: 12, unit: 'mg/h' },
      { at: 90, rate: 0, unit: 'mg/kg/h' },
    ]);
  });
});

describe('runSweep', () => {
  it('scale 1 is the plan itself: metrics equal to ketasim metrics; a linear model scales peaks and doses by the factor', () => {
    const p = plan();
    const r = sweep({ plan: p, scales: [0.25, 0.5, 1, 2] });
    expect(r.grid).toBe(false);
    expect(r.rows.map((x) => x.scale)).toEqual([0.25, 0.5, 1, 2]);
    expect(r.rows[2].metrics).toEqual(planMetrics(p, predict(p)));
    const base = r.rows[2].metrics;
    expectNear(base.totalDoseMg, 0.2 * 70 + 0.5 * 70 + 6 * 0.5, 1e-14, 'total dose, mg');
    for (const row of r.rows) {
      // Linear PK: concentrations scale exactly with the dose (to rounding); times of the peaks do not move.
      expectNear(row.metrics.peakCpNgMl, row.scale * base.peakCpNgMl, 1e-12, `peak Cp at ×${row.scale}`);
      expectNear(row.metrics.peakCeNgMl, row.scale * base.peakCeNgMl, 1e-12, `peak Ce at ×${row.scale}`);
      expect(row.metrics.peakCeMin).toBe(base.peakCeMin);
      expectNear(row.metrics.totalDoseMg, row.scale * base.totalDoseMg, 1e-14, `total dose at ×${row.scale}`);
    }
    expect(sweepRowsJson(r)).toEqual(r.rows.map((x) => ({ scale: x.scale, metrics: x.metrics })));
  });

  it('a grid of models × weights × factors: every combination once, models outer, factors inner, each row named', () => {
    const models = ['domino-1984', 'kamp-2020', 'hijazi-2003'];
    const r = sweep({ plan: plan(), scales: [0.5, 1], models, weightsKg: [50, 90] });
    expect(r.grid).toBe(true);
    expect(r.rows.map((x) => [x.model.id, x.weightKg, x.scale])).toEqual(
      models.flatMap((m) => [50, 90].flatMap((w) => [0.5, 1].map((s) => [m, w, s]))),
    );
    // Each row is the prediction of the plan with that model, weight and factor.
    const kamp90 = plan({ ...INPUT, patient: { weightKg: 90, ageYears: 40 }, model: { id: 'kamp-2020' } });
    const row = r.rows.find((x) => x.model.id === 'kamp-2020' && x.weightKg === 90 && x.scale === 1)!;
    expect(row.metrics).toEqual(planMetrics(kamp90, predict(kamp90)));
    expect(row.model.ke0Source).toBe('derived');
    expect(row.model.ke0PerMin).toBe(predict(kamp90).model.ke0);
    // Per-kg doses follow the weight: 0.7 mg/kg + 3 mg (6 mg/h for 30 min).
    expectNear(row.metrics.totalDoseMg, 0.7 * 90 + 3, 1e-14, 'total dose at 90 kg');
    const json = sweepRowsJson(r) as { model: string; weightKg: number; scale: number }[];
    expect(Object.keys(json[0])).toEqual(['model', 'weightKg', 'scale', 'metrics']);
    const warnings = mergeRowWarnings(r.warnings);
    const derived = warnings.filter((w) => w.code === 'derived-ke0');
    // Kamp and Hijazi (not Domino, whose ke0 is published): each distinct message once, listing its rows.
    expect(new Set(derived.map((w) => w.message)).size).toBe(derived.length);
    expect(derived.flatMap((w) => w.where!.split(', ')).sort()).toEqual(
      [4, 5, 6, 7, 8, 9, 10, 11].map((i) => `rows[${i}]`).sort(),
    );
    expect(derived.find((w) => w.message.startsWith('Hijazi'))?.where).toBe('rows[8], rows[9], rows[10], rows[11]');
  });

  it("a plan's ke0 override is not carried to other models; weights replace the patient's", () => {
    const p = plan({ ...INPUT, model: { id: 'domino-1984', ke0: 0.5 } });
    const own = sweep({ plan: p, scales: [1] });
    expect(own.rows[0].model).toEqual({
      id: 'domino-1984',
      name: 'Domino 1984',
      ke0PerMin: 0.5,
      ke0Source: 'override',
      weightKg: 70,
    });
    const grid = sweep({ plan: p, scales: [1], models: ['domino-1984'] });
    expect(grid.rows[0].model.ke0Source).toBe('published');
  });

  it('a combination the engine refuses fails the whole sweep, naming the row', () => {
    const r = runSweep({ plan: plan(), scales: [1, 1e9] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatch(/^rows\[1\] \(plan model, 70 kg, scale 1000000000\): regimen\[\d\]/);
  });
});

describe('option lists', () => {
  it('parseNumberList: numbers checked by the option, each problem naming option and item', () => {
    expect(parseNumberList('0.25, 0.5,1,2', '--scale', acceptScale)).toEqual({ ok: true, values: [0.25, 0.5, 1, 2] });
    expect(parseNumberList('1,x,-2,', '--scale', acceptScale)).toEqual({
      ok: false,
      problems: [
        '--scale: item 2 "x" is not a number; expected a comma-separated list of numbers',
        '--scale: item 3 (-2) must be > 0, got -2',
        '--scale: item 4 "" is not a number; expected a comma-separated list of numbers',
      ],
    });
    expect(parseNumberList('0.2,70', '--weights', acceptWeight)).toEqual({
      ok: false,
      problems: ['--weights: item 1 (0.2) must be between 0.3 and 400 kg, got 0.2'],
    });
    expect(checkModelIds(['kamp-2020', 'kamp'])).toEqual([
      expect.stringMatching(/^--models: unknown model "kamp"; expected one of domino-1984, /),
    ]);
  });
});

describe('sweepCsv', () => {
  it('one row per combination, unit-bearing column names, empty cells for metrics that do not exist', () => {
    const r = sweep({ plan: plan(), scales: [0.01, 1], models: ['domino-1984'], weightsKg: [70] });
    const lines = sweepCsv(r).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const head = lines[0].split(',');
    expect(head.slice(0, 9)).toEqual([
      'model',
      'weight_kg',
      'ke0_per_min',
      'ke0_source',
      'scale',
      'peak_cp_ng_ml',
      'peak_cp_time_min',
      'peak_ce_ng_ml',
      'peak_ce_time_min',
    ]);
    expect(head).toContain('dissociation_minutes_inside_min');
    expect(head.slice(-5)).toEqual([
      'last_dose_end_min',
      'recovery_min',
      'recovery_level_ng_ml',
      'total_dose_mg',
      'total_dose_mg_per_kg',
    ]);
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
    expect(Number(rows[1].peak_ce_ng_ml)).toBe(r.rows[1].metrics.peakCeNgMl);
    expect(rows[1].ke0_source).toBe('published');
    // At 1 % of the dose Ce never reaches the dissociation band: no first entry.
    expect(rows[0].dissociation_first_entry_min).toBe('');
    expect(Number(rows[0].total_dose_mg)).toBe(r.rows[0].metrics.totalDoseMg);
  });
});
