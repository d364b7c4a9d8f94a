/**
 * Tests of engine/research/batch.ts: many plans, each validated and predicted on its own; a bad plan is a
 * result with its problems and never stops the rest; the contract's output line.
 */
import { describe, expect, it } from 'vitest';
import {
  batchLine,
  batchWarnings,
  ndjsonLines,
  predictMany,
  predictOne,
  type BatchSuccess,
} from '../../../engine/research/batch.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { parsePlan } from '../../../engine/plan.ts';
import { predict } from '../../../engine/predict.ts';
import { planMetrics } from '../../../engine/research/meta.ts';

/** A stand-in for the CLI's meta builder: enough to see that each line carries its plan's meta. */
const META = (r: BatchSuccess) => ({ model: r.prediction.model.definition?.id, warnings: r.prediction.warnings });
const PLAN = {
  patient: { weightKg: 70, ageYears: 40 },
  model: { id: 'domino-1984' },
  regimen: [
    { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
    { at: 60, bolus: 10, unit: 'mg' },
  ],
  horizonMin: 240,
  resolutionSec: 10,
};
const KAMP = { ...PLAN, patient: { weightKg: 50, ageYears: 30 }, model: { id: 'kamp-2020' } };

function expected(input: unknown) {
  const r = parsePlan(input, MODEL_IDS);
  if (!r.ok) throw new Error('test plan refused');
  return { plan: r.plan, prediction: predict(r.plan) };
}

describe('predictMany', () => {
  it('gives one result per plan, in order, each equal to predict() number for number; bad plans do not stop the rest', () => {
    const results = predictMany([
      PLAN,
      'not json',
      JSON.stringify(KAMP),
      { ...PLAN, regimen: [{ at: 0, rate: 1, unit: 'mg/kg/hour' }] },
      '   ',
      { ...PLAN, horizonMins: 10 },
      KAMP,
    ]);
    expect(results.map((r) => [r.index, r.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
      [3, false],
      [4, false],
      [5, false],
      [6, true],
    ]);
    for (const [i, input] of [
      [0, PLAN],
      [2, KAMP],
      [6, KAMP],
    ] as const) {
      const r = results[i];
      if (!r.ok) throw new Error(`plan ${i} refused`);
      const want = expected(input).prediction.trajectory;
      expect(Array.from(r.prediction.trajectory.cp)).toEqual(Array.from(want.cp));
      expect(Array.from(r.prediction.trajectory.ce)).toEqual(Array.from(want.ce));
      expect(r.prediction.trajectory.t).toHaveLength(1441);
    }
    const problems = (i: number) => {
      const r = results[i];
      if (r.ok) throw new Error(`plan ${i} accepted`);
      return r.problems;
    };
    expect(problems(1)).toEqual([expect.stringMatching(/^plan: not valid JSON/)]);
    expect(problems(3)).toEqual([
      expect.stringMatching(/^regimen\[0\]\.unit: unknown rate unit "mg\/kg\/hour"; expected one of /),
    ]);
    expect(problems(4)).toEqual(['plan: empty line; expected one plan (a JSON object) per line']);
    expect(problems(5)).toEqual([expect.stringMatching(/^horizonMins: unknown field/)]);
  });

  it('with metrics: the same object as `ketasim metrics` computes (planMetrics of the plan and its prediction)', () => {
    const [r] = predictMany([PLAN], { metrics: true });
    if (!r.ok) throw new Error('refused');
    const { plan, prediction } = expected(PLAN);
    expect(r.metrics).toEqual(planMetrics(plan, prediction));
    expect(r.metrics?.totalDoseMg).toBeCloseTo(45, 12); // 0.5 mg/kg × 70 kg + 10 mg
  });

  it('a field given twice in one object of the JSON text is a problem at its path (not silently the last value)', () => {
    const text = JSON.stringify(PLAN).replace('"horizonMin":240', '"horizonMin":240,"horizonMin":60');
    const r = predictOne(text, 3);
    expect(r).toEqual({ index: 3, ok: false, problems: [expect.stringMatching(/^horizonMin: given more than once/)] });
  });
});

describe('ndjsonLines', () => {
  it('splits LF and CRLF lines, drops only the empty piece after the final newline, keeps inner blank lines, skips a BOM', () => {
    expect(ndjsonLines('a\nb\n')).toEqual(['a', 'b']);
    expect(ndjsonLines('\uFEFFa\r\nb')).toEqual(['a', 'b']);
    expect(ndjsonLines('a\n\nb\n')).toEqual(['a', '', 'b']);
    expect(ndjsonLines('')).toEqual([]);
    expect(ndjsonLines('\n')).toEqual(['']);
  });
});

describe('batchLine', () => {
  it('success: index, ok, then the simulate JSON (t, cp, ce) and meta with model, ke0 provenance, units and warnings', () => {
    const [r] = predictMany([KAMP]);
    const line = batchLine(r, META);
    const out = JSON.parse(line);
    expect(Object.keys(out)).toEqual(['index', 'ok', 't', 'cp', 'ce', 'meta']);
    expect(out.index).toBe(0);
    expect(out.ok).toBe(true);
    const want = expected(KAMP).prediction;
    expect(out.cp).toEqual(Array.from(want.trajectory.cp));
    expect(out.t).toEqual(Array.from(want.trajectory.t));
    expect(out.meta).toEqual({ model: 'kamp-2020', warnings: want.warnings });
    expect(out.meta.warnings.map((w: { code: string }) => w.code)).toContain('derived-ke0');
    expect(line.endsWith('}\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(batchWarnings(r).every((w) => w.message.startsWith('plan[0]: '))).toBe(true);
  });

  it('with metrics: index, ok, metrics, meta (no trajectory)', () => {
    const [r] = predictMany([PLAN], { metrics: true });
    const out = JSON.parse(batchLine(r, META));
    expect(Object.keys(out)).toEqual(['index', 'ok', 'metrics', 'meta']);
    expect(out.metrics.peakCeNgMl).toBe(expected(PLAN).prediction.trajectory.ce.reduce((a, b) => Math.max(a, b), 0));
  });

  it('failure: exactly { index, ok: false, problems }', () => {
    const r = predictOne('{', 7);
    expect(Object.keys(JSON.parse(batchLine(r, META)))).toEqual(['index', 'ok', 'problems']);
    expect(JSON.parse(batchLine(r, META))).toEqual({
      index: 7,
      ok: false,
      problems: [expect.stringMatching(/^plan: not valid JSON/)],
    });
  });
});
