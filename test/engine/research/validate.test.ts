/**
 * Tests of engine/research/validate.ts: Varvel 1992's measures (known answers), exact predictions at
 * observation times from NONMEM dose records, datasets built from the engine's own predictions, the
 * export → validate round trip, and what a model needs from the dataset.
 */
import { describe, expect, it } from 'vitest';
import { MODEL_IDS, findModel } from '../../../engine/models/registry.ts';
import { parsePlan, type Plan } from '../../../engine/plan.ts';
import { predict, resolveModel } from '../../../engine/predict.ts';
import { exportNonmem, readNonmem, type Dataset } from '../../../engine/research/nonmem.ts';
import {
  checkModelNeeds,
  median,
  modelUsesWeight,
  performance,
  predictionError,
  predictRecords,
  slope,
  validateModels,
  validationCsv,
  validationJson,
} from '../../../engine/research/validate.ts';
import { expectNear } from '../../support/tolerance.ts';

const TOOL = { name: 'ketasim', version: '9.9.9-test' };
function plan(input: unknown): Plan {
  const r = parsePlan(input, MODEL_IDS);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.plan;
}
function dataset(text: string, unit?: 'h' | 'min'): Dataset {
  const r = readNonmem(text, unit);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.dataset;
}
const PLAN_INPUT = {
  patient: { weightKg: 70, ageYears: 40 },
  model: { id: 'domino-1984' },
  regimen: [
    { at: 0, bolus: 0.35, unit: 'mg/kg' },
    { at: 5, dose: 0.5, unit: 'mg/kg', overMin: 40 },
    { at: 25, rate: 0 },
    { at: 28, rate: 0.75, unit: 'mg/kg/h' },
    { at: 60, bolus: 10, unit: 'mg' },
    { at: 75, rate: 0 },
  ],
  horizonMin: 240,
  resolutionSec: 10,
};
/** Observation times, min: on the 10-s grid, including dose times (after the dose, as the engine reports). */
const OBS_MIN = [0, 2, 5, 10, 25, 28, 45, 60, 61, 75, 90, 120, 180, 240];

/**
 * A dataset for one or more subjects: each subject's plan exported by exportNonmem (the dose records),
 * plus observation rows DV = factor(i) × the engine's own Cp at OBS_MIN[i] (after any dose at that time).
 */
function engineDataset(subjects: { id: number; plan: Plan; factor: (i: number) => number }[]): string {
  const out: string[] = [];
  subjects.forEach(({ id, plan: p, factor }, k) => {
    const lines = exportNonmem(p, TOOL).trimEnd().split('\n');
    const header = lines.find((l) => l.startsWith('ID,'))!;
    if (k === 0) out.push('# time-unit: h', header);
    const cols = header.split(',');
    const doses = lines.filter((l) => /^\d/.test(l)).map((l) => l.split(','));
    const cp = predict(p).trajectory.cp;
    const rows = [
      ...doses.map((d) => ({ t: Number(d[1]), order: 0, cells: [String(id), ...d.slice(1)] })),
      ...OBS_MIN.map((t, i) => {
        const cells = cols.map((_, j) => (j >= cols.indexOf('WT') ? doses[0][j] : '.'));
        cells[0] = String(id);
        cells[cols.indexOf('TIME')] = String(t / 60);
        cells[cols.indexOf('DV')] = String(factor(i) * cp[t * 6]); // 10-s grid: index = t·6
        cells[cols.indexOf('EVID')] = '0';
        cells[cols.indexOf('MDV')] = '0';
        return { t: t / 60, order: 1, cells };
      }),
    ].sort((a, b) => a.t - b.t || a.order - b.order);
    out.push(...rows.map((r) => r.cells.join(',')));
  });
  return out.join('\n') + '\n';
}

describe("Varvel's measures (known answers)", () => {
  it('observed 110, 90, 105 against a prediction of 100: PE 10, −10, 5; MDPE 5, MDAPE 10, wobble 5', () => {
    const pe = [110, 90, 105].map((dv) => predictionError(dv, 100));
    expect(pe).toEqual([10, -10, 5]);
    const p = performance(pe, [0, 1, 2]);
    expect(p.mdpe).toBe(5);
    expect(p.mdape).toBe(10);
    expect(p.wobble).toBe(5);
  });

  it('|PE| 0, 10, 20 at 0, 60, 120 min: divergence 10 %/h', () => {
    expect(performance([0, -10, 20], [0, 1, 2]).divergence).toBe(10);
    expect(slope([0, 1, 2], [0, 10, 20])).toBe(10);
  });

  it('median of an even count is the mean of the middle two; empty → null; divergence needs two times', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(slope([1], [5])).toBeNull();
    expect(slope([1, 1], [5, 6])).toBeNull();
  });
});

describe('predictRecords', () => {
  it("equals predict() at the observation times for the plan's exported dose records", () => {
    const p = plan(PLAN_INPUT);
    const ds = dataset(engineDataset([{ id: 1, plan: p, factor: () => 1 }]));
    const s = ds.subjects[0];
    const pred = predictRecords(resolveModel(p.model, p.patient), s.records);
    const cp = predict(p).trajectory.cp;
    const obs = s.records.map((r, i) => [r, pred[i]] as const).filter(([r]) => r.kind === 'observation');
    expect(obs).toHaveLength(OBS_MIN.length);
    obs.forEach(([r, v], i) => expectNear(v, cp[OBS_MIN[i] * 6], 1e-12, `Cp at ${r.tMin} min`));
  });

  it('takes records in file order: an observation written before a bolus at the same time sees the level before it', () => {
    const p = plan({ ...PLAN_INPUT, regimen: [] });
    const ds = dataset(
      ['ID,TIME,AMT,RATE,DV,EVID,MDV,WT', '1,0,.,.,1,0,0,70', '1,0,70,0,.,1,1,70', '1,0,.,.,1,0,0,70'].join('\n'),
    );
    const pred = predictRecords(resolveModel(p.model, p.patient), ds.subjects[0].records);
    expect(pred[0]).toBe(0);
    expectNear(pred[2], (70 / (0.063 * 70)) * 1000, 1e-14, 'bolus / V1 (Domino V1 0.063 L/kg)');
  });

  it('overlapping infusion records add (superposition), as in NONMEM', () => {
    const p = plan({ ...PLAN_INPUT, regimen: [] });
    const model = resolveModel(p.model, p.patient);
    const two = dataset(
      ['ID,TIME,AMT,RATE,DV,WT', '1,0,30,30,.,70', '1,0.5,30,30,.,70', '1,1.2,.,.,1,70', '1,3,.,.,1,70'].join('\n'),
    );
    const one = dataset(
      ['ID,TIME,AMT,RATE,DV,WT', '1,0,15,30,.,70', '1,0.5,30,60,.,70', '1,1,15,30,.,70', '1,1.2,.,.,1,70', '1,3,.,.,1,70'].join(
        '\n',
      ),
    );
    const a = predictRecords(model, two.subjects[0].records);
    const b = predictRecords(model, one.subjects[0].records);
    expectNear(a[2], b[3], 1e-12, 'Cp at 1.2 h');
    expectNear(a[3], b[4], 1e-12, 'Cp at 3 h');
  });
});

describe('validateModels', () => {
  it('export → add observations from the engine → validate: MDPE = MDAPE = 0 (to 1e-9) for the model that made them', () => {
    const p = plan(PLAN_INPUT);
    const ds = dataset(engineDataset([{ id: 1, plan: p, factor: () => 1 }]));
    const [m] = validateModels(ds, ['domino-1984']).models;
    expect(m.subjects[0].n).toBe(OBS_MIN.length);
    expect(Math.abs(m.population.mdpe!)).toBeLessThanOrEqual(1e-9);
    expect(m.population.mdape!).toBeLessThanOrEqual(1e-9);
    expect(m.population.wobble!).toBeLessThanOrEqual(1e-9);
  });

  it('observations × 1.2 of the engine’s own predictions: MDPE = MDAPE = 20 for every subject and pooled, wobble 0', () => {
    const subjects = [55, 70, 95].map((w, k) => ({
      id: k + 1,
      plan: plan({ ...PLAN_INPUT, patient: { weightKg: w, ageYears: 40 } }),
      factor: () => 1.2,
    }));
    const r = validateModels(dataset(engineDataset(subjects)), ['domino-1984']);
    const m = r.models[0];
    expect(m.subjects.map((s) => s.id)).toEqual([1, 2, 3]);
    for (const s of [...m.subjects, m.population]) {
      expectNear(s.mdpe!, 20, 1e-9, 'MDPE');
      expectNear(s.mdape!, 20, 1e-9, 'MDAPE');
      expect(s.wobble!).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(s.divergence!)).toBeLessThanOrEqual(1e-9);
    }
    expect(m.population.subjects).toBe(3);
    expect(m.population.observations).toBe(3 * OBS_MIN.length);
  });

  it('errors of 0, 10 and 20 % at 0, 1 and 2 h: divergence 10 %/h, MDPE = MDAPE = wobble = 10; pooled medians of subjects', () => {
    const p = plan({ ...PLAN_INPUT, regimen: [{ at: 0, dose: 1, unit: 'mg/kg', overMin: 180 }] });
    const rows = ['ID,TIME,AMT,RATE,DV,EVID,MDV,WT', '1,0,70,23.3333333333333333,.,1,1,70'];
    const cp = predict(p).trajectory.cp;
    [
      [1, 1.0],
      [2, 1.1],
      [3, 1.2],
    ].forEach(([h, f]) => rows.push(`1,${h},.,.,${f * cp[h * 360]},0,0,70`));
    // Subjects 2 and 3: constant errors of +40 % and −10 %.
    for (const [id, f] of [
      [2, 1.4],
      [3, 0.9],
    ])
      rows.push(`${id},0,70,23.3333333333333333,.,1,1,70`, ...[1, 2].map((h) => `${id},${h},.,.,${f * cp[h * 360]},0,0,70`));
    const [m] = validateModels(dataset(rows.join('\n')), ['domino-1984']).models;
    const s1 = m.subjects[0];
    expectNear(s1.mdpe!, 10, 1e-9, 'MDPE');
    expectNear(s1.mdape!, 10, 1e-9, 'MDAPE');
    expectNear(s1.wobble!, 10, 1e-9, 'wobble');
    expectNear(s1.divergence!, 10, 1e-9, 'divergence %/h');
    // Pooled: medians of the individual values (10, 40, −10 → 10; |…| 10, 40, 10 → 10).
    expectNear(m.population.mdpe!, 10, 1e-9, 'pooled MDPE');
    expectNear(m.population.mdape!, 10, 1e-9, 'pooled MDAPE');
  });

  it('several models side by side; observations with DV ≤ 0 or PRED ≤ 0 are skipped and counted', () => {
    const rows = ['ID,TIME,AMT,RATE,DV,EVID,MDV,WT,AGE', '1,0,.,.,5,0,0,70,40', '1,0,35,0,.,1,1,70,40', '1,0.5,.,.,0,0,0,70,40'];
    rows.push('1,1,.,.,100,0,0,70,40', '1,2,.,.,60,0,0,70,40');
    const r = validateModels(dataset(rows.join('\n')), ['domino-1984', 'kamp-2020', 'perez-ruixo-2021-esketamine']);
    expect(r.models.map((m) => m.id)).toEqual(['domino-1984', 'kamp-2020', 'perez-ruixo-2021-esketamine']);
    for (const m of r.models) {
      expect(m.subjects[0]).toMatchObject({ id: 1, n: 2, skipped: 2 });
      expect(m.population).toMatchObject({ subjects: 1, observations: 2, skipped: 2 });
    }
    expect(r.modelSummaries.map((s) => s.ke0Source)).toEqual(['published', 'derived', 'derived']);
    expect(r.warnings.some((w) => w.code === 'derived-ke0' && w.where === 'kamp-2020, subject 1')).toBe(true);
    const json = validationJson(r) as { population: object; subjects: object[] }[];
    expect(Object.keys(json[0])).toEqual(['id', 'population', 'subjects']);
    expect(Object.keys(json[0].population)).toEqual([
      'mdpe',
      'mdape',
      'wobble',
      'divergence',
      'subjects',
      'observations',
      'skipped',
    ]);
    expect(Object.keys(json[0].subjects[0])).toEqual(['id', 'mdpe', 'mdape', 'wobble', 'divergence', 'n', 'skipped']);
    const csv = validationCsv(r).trimEnd().split('\n');
    expect(csv[0]).toBe('model,level,subject,n,skipped,subjects,mdpe_pct,mdape_pct,wobble_pct,divergence_pct_per_h');
    expect(csv).toHaveLength(1 + 3 * 2);
    expect(csv[2]).toMatch(/^domino-1984,population,,2,2,1,/);
  });
});

describe('checkModelNeeds', () => {
  it('WT is needed by every model that scales with weight, and required covariates (AGE for Perez-Ruixo 2021), named by line and column', () => {
    const noWt = dataset(['ID,TIME,AMT,DV', '1,0,35,.', '1,1,.,100'].join('\n'));
    expect(checkModelNeeds(noWt, ['domino-1984'])).toEqual([
      'line 1: column WT is missing (body weight, kg; model domino-1984 scales with weight)',
    ]);
    expect(MODEL_IDS.filter((id) => !modelUsesWeight(findModel(id)!))).toEqual(['perez-ruixo-2021-esketamine']);
    expect(checkModelNeeds(noWt, ['perez-ruixo-2021-esketamine'])).toEqual([
      expect.stringMatching(/^line 1: column AGE is missing \(model perez-ruixo-2021-esketamine needs it: /),
    ]);
    const ageOnly = dataset(['ID,TIME,AMT,DV,AGE', '1,0,35,.,70', '1,1,.,100,70'].join('\n'));
    expect(checkModelNeeds(ageOnly, ['perez-ruixo-2021-esketamine'])).toEqual([]);
    expect(validateModels(ageOnly, ['perez-ruixo-2021-esketamine']).models[0].subjects[0].n).toBe(1);
    const blank = dataset(['ID,TIME,AMT,DV,WT', '1,0,35,.,70', '2,0,35,.,.', '2,1,.,100,.'].join('\n'));
    expect(checkModelNeeds(blank, ['kamp-2020'])).toEqual([
      'line 3, column 5 (WT): no value for subject 2 (body weight, kg; model kamp-2020 scales with weight)',
    ]);
  });
});
