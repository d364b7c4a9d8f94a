/**
 * The sweet-spot computation: each row is computeMetrics of the plan with that dose; minutes above the
 * dissociation band rise with dose and 2 mg/kg is not "better" (more minutes above, slower fall, more
 * patients past 1060 ng/mL); seeded populations; S-ketamine's equivalent band; the evidence records are
 * those of docs/research/ketamine-pd.json; bad axes are refused naming the field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../engine/metrics.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { DEFAULT_BANDS } from '../../../engine/pd/bands.ts';
import { parsePlan, type Plan } from '../../../engine/plan.ts';
import { predict } from '../../../engine/predict.ts';
import { DOSE_EVIDENCE, marksAt } from '../../../engine/research/dose-evidence.ts';
import { scaleRegimen } from '../../../engine/research/sweep.ts';
import { sweetSpot, sweetSpotCsv, type SweetSpotResult } from '../../../engine/research/sweet-spot.ts';

function plan(over: Record<string, unknown> = {}): Plan {
  const r = parsePlan(
    {
      patient: { weightKg: 70, ageYears: 40 },
      model: { id: 'domino-1984' },
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

async function run(p: Plan, axis: Parameters<typeof sweetSpot>[0]['axis'], population?: { n: number; seed: number }) {
  const r = await sweetSpot({ plan: p, axis, ...(population && { population }) });
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.result;
}

const DOSES = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2];
const above = (r: SweetSpotResult, i: number, band = 'dissociation') =>
  r.rows[i].metrics.bands.find((b) => b.id === band)!.minutesAbove;

describe('sweetSpot (Domino 1984, racemic defaults, 0.1–2 mg/kg over 40 min)', () => {
  it('each row is exactly computeMetrics of the plan with that dose over 40 min (bands, recovery below 100 ng/mL)', async () => {
    const r = await run(plan(), { kind: 'mg/kg', dosesMgPerKg: DOSES, overMin: 40 });
    expect(r.bandSet).toBe('racemic defaults');
    expect(r.reference).toMatchObject({ id: 'dissociation', lowNgMl: 100 });
    DOSES.forEach((d, i) => {
      const p = plan({ regimen: [{ at: 0, dose: d, unit: 'mg/kg', overMin: 40 }] });
      const pr = predict(p);
      expect(r.rows[i].doseMgPerKg).toBe(d);
      expect(r.rows[i].metrics).toEqual(computeMetrics(pr.trajectory, DEFAULT_BANDS, pr.actions, 70, 100));
      expect(r.rows[i].minutesToFallBelowReference).toBe(r.rows[i].metrics.recoveryMin);
    });
  });

  it('minutes above the dissociation band rise with dose; 2 mg/kg is not "better": more minutes above and a slower fall than 0.5 mg/kg', async () => {
    const r = await run(plan(), { kind: 'mg/kg', dosesMgPerKg: DOSES, overMin: 40 });
    for (let i = 1; i < DOSES.length; i++) expect(above(r, i)).toBeGreaterThanOrEqual(above(r, i - 1));
    const half = DOSES.indexOf(0.5),
      two = DOSES.indexOf(2);
    expect(above(r, half)).toBe(0); // peak Ce 234 ng/mL: inside the band, never above it
    expect(above(r, two)).toBeGreaterThan(40);
    expect(r.rows[two].metrics.peakCeNgMl).toBeGreaterThan(3 * r.rows[half].metrics.peakCeNgMl);
    expect(r.rows[two].minutesToFallBelowReference!).toBeGreaterThan(10 * r.rows[half].minutesToFallBelowReference!);
  });

  it('a population gives the chance of reaching 250 and 1060 ng/mL; seeded (same seed, same numbers), rising with dose', async () => {
    const a = await run(plan(), { kind: 'mg/kg', dosesMgPerKg: DOSES, overMin: 40 }, { n: 300, seed: 11 });
    const b = await run(plan(), { kind: 'mg/kg', dosesMgPerKg: DOSES, overMin: 40 }, { n: 300, seed: 11 });
    expect(a.rows.map((x) => x.exceedance)).toEqual(b.rows.map((x) => x.exceedance));
    expect(a.levels.map((l) => l.ngMl)).toEqual([250, 1060]);
    const p = (i: number, k: number) => a.rows[i].exceedance![k].probability;
    for (let i = 1; i < DOSES.length; i++) for (const k of [0, 1]) expect(p(i, k)).toBeGreaterThanOrEqual(p(i - 1, k));
    expect(p(0, 0)).toBe(0);
    expect(p(DOSES.length - 1, 0)).toBeGreaterThan(0.9);
    expect(p(DOSES.length - 1, 1)).toBeGreaterThan(p(DOSES.indexOf(0.5), 1));
    // A count of the 300 patients, divided by 300.
    for (const row of a.rows)
      for (const e of row.exceedance!) expect(Math.abs(e.probability * 300 - Math.round(e.probability * 300))).toBeLessThan(1e-9);
  });

  it('a scale axis scales the plan’s own regimen (sweep.ts scaleRegimen): rows equal computeMetrics of the scaled plan', async () => {
    const base = plan({
      regimen: [
        { at: 0, bolus: 0.25, unit: 'mg/kg' },
        { at: 5, dose: 0.5, unit: 'mg/kg', overMin: 40 },
      ],
    });
    const r = await run(base, { kind: 'scale', scales: [0.5, 2] });
    [0.5, 2].forEach((s, i) => {
      const pr = predict({ ...base, regimen: scaleRegimen(base.regimen, s) });
      expect(r.rows[i].scale).toBe(s);
      expect(r.rows[i].doseMgPerKg).toBeNull();
      expect(r.rows[i].evidence).toEqual([]);
      expect(r.rows[i].metrics).toEqual(computeMetrics(pr.trajectory, DEFAULT_BANDS, pr.actions, 70, 100));
    });
  });

  it('evidence marks sit at the doses studied (Fava 2020 at 0.1/0.2/0.5/1.0 mg/kg over 40 min only)', async () => {
    const r = await run(plan(), { kind: 'mg/kg', dosesMgPerKg: DOSES, overMin: 40 });
    expect(r.rows.map((x) => [...new Set(x.evidence.map((e) => e.id))])).toEqual([
      ['dose-ranging-fava2020'],
      [],
      ['dose-ranging-fava2020', 'dose-ranging-su2017-chen2020', 'ketamine-under-anaesthesia-lii2023'],
      [],
      ['dose-ranging-fava2020'],
      [],
      [],
    ]);
    expect(marksAt(0.5, 60).map((m) => m.id)).toEqual(['dose-ranging-su2017-chen2020', 'ketamine-under-anaesthesia-lii2023']);
    expect(sweetSpotCsv(r).split('\n')[1]).toMatch(/^0\.1,7,0\.1,.*,dose-ranging-fava2020$/);
  });
});

describe('the active band set', () => {
  it('an S-ketamine model: the reference band is the one at or above Olofsen 2022’s C50; levels are the S-ketamine band bounds', async () => {
    const r = await run(plan({ model: { id: 'fanta-2015-s-ketamine' } }), {
      kind: 'mg/kg',
      dosesMgPerKg: [0.25, 1],
      overMin: 40,
    });
    expect(r.bandSet).toBe('S-ketamine defaults');
    expect(r.reference).toMatchObject({ id: 's-ketamine-at-or-above-c50', lowNgMl: 121.2 });
    expect(r.reference!.why).toContain('Olofsen 2022');
    expect(r.levels.map((l) => l.ngMl)).toEqual([121.2, 800]);
    expect(r.notes.join(' ')).toContain('racemic-ketamine studies');
  });

  it("a plan's own thresholds are the active set", async () => {
    const r = await run(plan({ thresholds: [{ id: 'dissociation', lowNgMl: 150, highNgMl: 300 }] }), {
      kind: 'mg/kg',
      dosesMgPerKg: [1],
      overMin: 40,
    });
    expect(r.bandSet).toBe('plan thresholds');
    expect(r.reference).toMatchObject({ id: 'dissociation', lowNgMl: 150 });
    expect(r.levels.map((l) => l.bound)).toEqual(['dissociation.high']);
  });
});

describe('refused requests name the field', () => {
  it('doses ≤ 0, an empty axis, a duration beyond the horizon', async () => {
    const bad = await sweetSpot({ plan: plan(), axis: { kind: 'mg/kg', dosesMgPerKg: [0.5, -1], overMin: 300 } });
    expect(bad).toEqual({
      ok: false,
      problems: [
        'doses[1]: must be a number > 0, got -1',
        "overMin: the dose runs 300 min, beyond the plan's horizonMin (240 min): nothing after dosing could be measured",
      ],
    });
    const empty = await sweetSpot({ plan: plan(), axis: { kind: 'scale', scales: [] } });
    expect(empty).toEqual({ ok: false, problems: ['scales: 1 to 100 values, got 0'] });
    const pop = await sweetSpot({ plan: plan(), axis: { kind: 'scale', scales: [1] }, population: { n: 0, seed: 1 } });
    expect(pop.ok).toBe(false);
    if (!pop.ok) expect(pop.problems[0]).toMatch(/^rows\[0\] \(scale 1\): population\.n: must be an integer/);
  });
});

describe('evidence records', () => {
  const research = JSON.parse(readFileSync(join(import.meta.dirname, '../../../docs/research/ketamine-pd.json'), 'utf8')) as {
    id: string;
    doi: string | null;
    confidence: string;
    values: Record<string, unknown>;
  }[];
  for (const e of DOSE_EVIDENCE) {
    it(`${e.id}: doses, arm sizes, doi and confidence as docs/research/ketamine-pd.json records them`, () => {
      const rec = research.find((r) => r.id === e.id)!;
      expect(rec).toBeDefined();
      expect(e.doi).toBe(rec.doi);
      expect(e.confidence).toBe(rec.confidence);
      const v = rec.values;
      const doses = (v.doses_mg_per_kg as number[] | undefined) ?? [v.dose_mg_per_kg as number];
      expect(e.marks.map((m) => m.doseMgPerKg)).toEqual(doses);
      if (v.n_per_arm) expect(e.marks.map((m) => m.n)).toEqual(v.n_per_arm);
      if (v.infusion_min) for (const m of e.marks) expect(m.overMin).toBe(v.infusion_min);
      if (v.n_0p8) expect(e.marks.find((m) => m.doseMgPerKg === 0.8)!.n).toBe(v.n_0p8);
      if (v.n) expect(e.marks[0].n).toBe(v.n);
    });
  }
});
