// Validate worker API: same measures as the engine's validateModels (the CLI's code), points and curves, problems by line/column, the client over the real worker.
import '@vitest/web-worker';
import { describe, expect, it } from 'vitest';
import { CURVE_POINTS, validateApi, type ValidateRequest, type ValidateResult } from '../../workers/validate-api.ts';
import { ValidateClient, isAbortError } from '../../ui/validate/validate-client.ts';
import { moduleWorker } from '../../workers/bridge.ts';
import type { ValidateApi } from '../../workers/validate-api.ts';
import { readNonmem, type DataRecord } from '../../engine/research/nonmem.ts';
import { predictRecords, validateModels, validationJson } from '../../engine/research/validate.ts';
import { resolveModel } from '../../engine/predict.ts';
import { expectNear } from '../support/tolerance.ts';

/**
 * The API called directly (plain functions), then through comlink in a real worker module run by
 * @vitest/web-worker, with the client's progress, cancellation and latest-wins.
 */

const SUBJECTS = [
  {
    id: '1',
    wt: 70,
    age: 40,
    sex: 1,
    ht: 168,
    doses: [
      { t: 0, amt: 35, rate: 0 },
      { t: 0, amt: 28, rate: 56 },
    ],
  },
  { id: '2', wt: 85, age: 55, sex: 0, ht: 180, doses: [{ t: 0, amt: 42.5, rate: 85 }] },
  {
    id: '3',
    wt: 60,
    age: 30,
    sex: 1,
    ht: 160,
    doses: [
      { t: 0, amt: 15, rate: 0 },
      { t: 1, amt: 15, rate: 0 },
    ],
  },
];
const OBS_H = [0.05, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];

/** A dataset whose DV are `factor` × Domino 1984's own predictions; subject 2 also has one MDV 1 row. */
function dataset(factor: number): string {
  const lines = ['# time-unit: h', 'ID,TIME,AMT,RATE,DV,EVID,MDV,WT,AGE,SEX,HT'];
  for (const s of SUBJECTS) {
    const cov = [s.wt, s.age, s.sex, s.ht].join(',');
    const recs: DataRecord[] = [
      ...s.doses.map((d) => ({ kind: 'dose' as const, line: 0, tMin: d.t * 60, amtMg: d.amt, rateMgPerH: d.rate })),
      ...OBS_H.map((t) => ({ kind: 'observation' as const, line: 0, tMin: t * 60, dvNgMl: null })),
    ].sort((a, b) => a.tMin - b.tMin || (a.kind === 'dose' ? -1 : 1));
    const model = resolveModel(
      { id: 'domino-1984' },
      { weightKg: s.wt, ageYears: s.age, sex: s.sex ? 'female' : 'male', heightCm: s.ht },
    );
    const pred = predictRecords(model, recs);
    recs.forEach((r, i) => {
      if (r.kind === 'dose') lines.push([s.id, r.tMin / 60, r.amtMg, r.rateMgPerH, '.', 1, 1, cov].join(','));
      else lines.push([s.id, r.tMin / 60, '.', '.', factor * pred[i], 0, 0, cov].join(','));
    });
    if (s.id === '2') lines.push([s.id, 5, '.', '.', '.', 0, 1, cov].join(','));
  }
  return `${lines.join('\n')}\n`;
}

const TEXT = dataset(1.2);
const MODELS = ['domino-1984', 'kamp-2020'];
const REQUEST: ValidateRequest = { text: TEXT, models: MODELS, timeUnit: null };

function runDirect(request: ValidateRequest): ValidateResult {
  const opened = validateApi.open(request);
  if (!opened.ok) throw new Error(opened.problems.join('; '));
  let s = validateApi.step(0);
  expect(s).toEqual({ done: 1, steps: opened.steps, finished: false }); // at least one step per call
  while (!s.finished) s = validateApi.step(1000);
  return validateApi.result();
}

describe('validateApi (direct)', () => {
  it('lists the registry models with drug, population and the columns each needs', () => {
    const list = validateApi.models();
    const domino = list.find((m) => m.id === 'domino-1984')!;
    expect(domino.drug).toBe('racemic ketamine');
    expect(domino.population.length).toBeGreaterThan(0);
    expect(domino.needs).toEqual(['WT']);
    expect(list.find((m) => m.id === 'perez-ruixo-2021-esketamine')!.needs).toEqual(['AGE']);
  });

  it('gives exactly the measures of engine validateModels (the CLI JSON), per model and subject', () => {
    const r = runDirect(REQUEST);
    const read = readNonmem(TEXT);
    if (!read.ok) throw new Error(read.problems.join('; '));
    expect(JSON.parse(JSON.stringify(r.models))).toEqual(validationJson(validateModels(read.dataset, MODELS)));
    expect(r.timeUnit).toBe('h');
    expect(r.timeUnitSource).toBe('file');
    const domino = r.models[0].population;
    expectNear(domino.mdpe!, 20, 1e-12);
    expectNear(domino.mdape!, 20, 1e-12);
    expect(domino.subjects).toBe(3);
    expect(domino.observations).toBe(3 * OBS_H.length);
    expect(domino.skipped).toBe(1);
    expect(r.models[1].population.mdpe).not.toBeCloseTo(20, 1); // a different model, a different fit
  });

  it('returns every used observation with its prediction and PE, and each subject’s curves', () => {
    const r = runDirect(REQUEST);
    for (const [m, p] of r.points.entries()) {
      expect(p.dv.length).toBe(r.models[m].population.observations);
      for (let i = 0; i < p.dv.length; i++) expectNear(p.pe[i], (100 * (p.dv[i] - p.pred[i])) / p.pred[i], 1e-14);
    }
    for (let i = 0; i < r.points[0].dv.length; i++) expectNear(r.points[0].pe[i], 20, 1e-9);
    expect(r.subjects.map((s) => s.id)).toEqual(['1', '2', '3']);
    const s3 = r.subjects[2];
    expect(s3.doses).toEqual([
      { tH: 0, amtMg: 15, rateMgPerH: 0 },
      { tH: 1, amtMg: 15, rateMgPerH: 0 },
    ]);
    expect(s3.curves).toHaveLength(2);
    const c = s3.curves[0];
    expect(c.tH.length).toBe(CURVE_POINTS + 1 + 2 * s3.doses.length);
    // Each bolus appears twice: the level just before it and just after (a jump by dose / V1).
    const at1 = [...c.tH].flatMap((t, i) => (t === 1 ? [i] : []));
    expect(at1.length).toBeGreaterThanOrEqual(2);
    expect(c.cp[at1.at(-1)!]).toBeGreaterThan(c.cp[at1[0]]);
    // The curve at the last observation (4 h) is the prediction the PE used (DV / 1.2).
    const last = r.points[0].dv.length - 1;
    expectNear(c.cp[c.tH.length - 1], r.points[0].pred[last], 1e-12);
  });

  it('refuses a malformed dataset naming line and column, computing nothing', () => {
    const bad = TEXT.replace(/\n2,0,42\.5,85,/, '\n2,zero,42.5,85,');
    const r = validateApi.open({ ...REQUEST, text: bad });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.stage).toBe('dataset');
    expect(r.problems).toEqual([expect.stringMatching(/^line 14, column 2 \(TIME\): expected a number, got "zero"$/)]);
    expect(() => validateApi.step(10)).toThrow(/without an open job/);
    // The reader's problems come first, before any model is picked.
    expect(validateApi.open({ ...REQUEST, text: bad, models: [] })).toMatchObject({ ok: false, stage: 'dataset' });
  });

  it('refuses a dataset lacking a covariate a model needs, and a bad request, naming the field', () => {
    const noWt = TEXT.replace('ID,TIME,AMT,RATE,DV,EVID,MDV,WT,', 'ID,TIME,AMT,RATE,DV,EVID,MDV,W,');
    const r = validateApi.open({ ...REQUEST, text: noWt });
    expect(r).toMatchObject({ ok: false, stage: 'models' });
    if (!r.ok) expect(r.problems[0]).toMatch(/^line 2: column WT is missing/);
    expect(validateApi.open({ ...REQUEST, models: [] })).toMatchObject({ ok: false, stage: 'request' });
    const unknown = validateApi.open({ ...REQUEST, models: ['nope'] });
    expect(unknown.ok === false && unknown.problems).toEqual(['models: unknown model "nope"']);
    const unit = validateApi.open({ ...REQUEST, timeUnit: 's' as never });
    expect(unit.ok === false && unit.problems[0]).toMatch(/^time unit: /);
    // The chosen unit must agree with the file's comment, as the CLI's --time-unit.
    const clash = validateApi.open({ ...REQUEST, timeUnit: 'min' });
    expect(clash.ok === false && clash.problems[0]).toMatch(/^time unit: min contradicts the file's "# time-unit: h"/);
  });
});

const connect = () =>
  moduleWorker<ValidateApi>(
    () => new Worker(new URL('../../workers/validate.worker.ts', import.meta.url), { type: 'module' }),
    'validate',
  );

describe('ValidateClient over the real worker module', () => {
  it('resolves to the direct API’s result, with progress up to all steps', async () => {
    const client = new ValidateClient({ connect: connect() });
    const seen: [number, number][] = [];
    const out = await client.run(REQUEST, (d, s) => seen.push([d, s]));
    if (!out.ok) throw new Error(out.problems.join('; '));
    expect(JSON.parse(JSON.stringify(out.result.models))).toEqual(JSON.parse(JSON.stringify(runDirect(REQUEST).models)));
    expect(seen.at(-1)).toEqual([6, 6]);
    expect((await client.models()).length).toBe(validateApi.models().length);
    client.dispose();
  });

  it('returns the reader’s problems; cancel() and a newer run reject with an AbortError', async () => {
    const client = new ValidateClient({ connect: connect() });
    const bad = await client.run({ ...REQUEST, text: 'ID,TIME\n' });
    expect(bad).toMatchObject({ ok: false, stage: 'dataset' });
    const first = client.run(REQUEST);
    const second = client.run({ ...REQUEST, models: ['domino-1984'] });
    await expect(first).rejects.toSatisfy(isAbortError);
    const third = client.run(REQUEST);
    third.cancel();
    await expect(third).rejects.toSatisfy(isAbortError);
    await expect(second).rejects.toSatisfy(isAbortError);
    const last = await client.run({ ...REQUEST, models: ['kamp-2020'] });
    expect(last.ok && last.result.models.map((m) => m.id)).toEqual(['kamp-2020']);
    client.dispose();
  });
});
