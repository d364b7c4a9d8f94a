// S-ketamine levels, bands and Olofsen 2022's ke0 pinned to docs/research/ketamine-pd.json; the band set chosen by a model's drug.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  KIENBAUM_2001_ANAESTHESIA,
  LANGSJO_2005_ANAESTHETIC,
  LANGSJO_2005_SUBANAESTHETIC,
  OLOFSEN_2022_C50,
  OLOFSEN_2022_KE0,
  SCHUTTLER_1987_S_IC50,
  S_KETAMINE_BANDS,
  S_KETAMINE_NOT_USED,
  S_KETAMINE_REFERENCES,
  S_KETAMINE_UNAVAILABLE,
  bandsForPlanAndModel,
  defaultBandSetForDrug,
  defaultBandSetForModel,
  drugClass,
  ke0Choices,
  ke0FromHalfTime,
} from '../../../engine/pd/s-ketamine-bands.ts';
import { ANTIDEPRESSANT_MARKER, DEFAULT_BANDS } from '../../../engine/pd/bands.ts';
import { MODELS, MODEL_IDS, findModel } from '../../../engine/models/registry.ts';
import { parsePlan } from '../../../engine/plan.ts';
import { predict } from '../../../engine/predict.ts';
import { computeMetrics } from '../../../engine/metrics.ts';

type ResearchRecord = { id: string; drug: string; sampling: string; values: Record<string, unknown> };
const research: ResearchRecord[] = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../docs/research/ketamine-pd.json'), 'utf8'),
);
const record = (id: string): ResearchRecord => {
  const r = research.find((x) => x.id === id);
  if (!r) throw new Error(`${id} not in ketamine-pd.json`);
  return r;
};
const v = (id: string) => record(id).values as Record<string, number & number[]>;

describe('S-ketamine reference levels (engine/pd/s-ketamine-bands.ts) against ketamine-pd.json', () => {
  it('Olofsen 2022: C50 121.2 ng/mL (95% CI 90.3–156.9) for perception and antinociception, a line', () => {
    const r = v('psychedelic-antinociception-olofsen2022');
    expect(OLOFSEN_2022_C50.kind).toBe('c50');
    expect(OLOFSEN_2022_C50.ngMl).toBe(r.C50_ng_per_mL_S_ketamine);
    expect(OLOFSEN_2022_C50.ci95NgMl).toEqual(r.C50_95CI_ng_per_mL);
    // 0.51 nmol/mL × 237.7 g/mol (research notes' molar mass) = 121.2 ng/mL.
    expect(Math.round(r.C50_nmol_per_mL * 237.7 * 10) / 10).toBe(OLOFSEN_2022_C50.ngMl);
    expect(OLOFSEN_2022_C50.researchId).toBe('psychedelic-antinociception-olofsen2022');
  });

  it('Långsjö 2005: 159 ± 21 ng/mL at a 150 target, 1959 ± 442 ng/mL at a 1500–2000 target (serum, n = 8), measured levels', () => {
    const r = v('s-ketamine-subanaesthetic-anaesthetic-langsjo2005');
    expect([LANGSJO_2005_SUBANAESTHETIC.ngMl, LANGSJO_2005_SUBANAESTHETIC.sdNgMl]).toEqual([
      r.subanaesthetic_measured_ng_per_mL,
      r.subanaesthetic_SD,
    ]);
    expect([LANGSJO_2005_ANAESTHETIC.ngMl, LANGSJO_2005_ANAESTHETIC.sdNgMl]).toEqual([
      r.anaesthetic_measured_ng_per_mL,
      r.anaesthetic_SD,
    ]);
    expect(LANGSJO_2005_SUBANAESTHETIC.n).toBe(r.n);
    expect(LANGSJO_2005_ANAESTHETIC.n).toBe(r.n);
    expect(LANGSJO_2005_SUBANAESTHETIC.concentration).toContain(`target of ${r.subanaesthetic_target_ng_per_mL}`);
    expect(LANGSJO_2005_ANAESTHETIC.concentration).toContain(
      `target of ${r.anaesthetic_target_ng_per_mL_low}-${r.anaesthetic_target_ng_per_mL_high}`,
    );
    for (const l of [LANGSJO_2005_SUBANAESTHETIC, LANGSJO_2005_ANAESTHETIC]) expect(l.kind).toBe('measured-level');
  });

  it('Schüttler 1987: EEG median-frequency IC50 0.8 ± 0.4 µg/mL for S-ketamine (serum, n = 5)', () => {
    const r = v('eeg-median-frequency-schuttler1987');
    expect(SCHUTTLER_1987_S_IC50.kind).toBe('ic50');
    expect(SCHUTTLER_1987_S_IC50.ngMl).toBe(r.IC50_S_ug_per_mL * 1000);
    expect(SCHUTTLER_1987_S_IC50.sdNgMl).toBe(r.IC50_S_SD * 1000);
    expect(SCHUTTLER_1987_S_IC50.n).toBe(r.n);
  });

  it('Kienbaum 2001: 713 ± 295 µg/L during S-ketamine anaesthesia (plasma, n = 6)', () => {
    const r = v('s-ketamine-anaesthesia-kienbaum2001');
    expect([KIENBAUM_2001_ANAESTHESIA.ngMl, KIENBAUM_2001_ANAESTHESIA.sdNgMl, KIENBAUM_2001_ANAESTHESIA.n]).toEqual([
      r.Cp_ug_per_L,
      r.Cp_SD_ug_per_L,
      r.n,
    ]);
  });

  it('every reference cites an S-ketamine record of the research notes, with sampling, PK and what it is', () => {
    expect(S_KETAMINE_REFERENCES.map((r) => r.ngMl)).toEqual([...S_KETAMINE_REFERENCES.map((r) => r.ngMl)].sort((a, b) => a - b));
    for (const ref of S_KETAMINE_REFERENCES) {
      expect(record(ref.researchId).drug, ref.id).toMatch(/S-/);
      expect(ref.sampling, ref.id).toBe(record(ref.researchId).sampling);
      for (const text of [ref.citation, ref.pk, ref.concentration, ref.note]) expect(text.length, ref.id).toBeGreaterThan(10);
      // A line carries at most one kind of uncertainty: a CI (model estimate) or an SD (between subjects).
      expect(ref.ci95NgMl === null || ref.sdNgMl === null, ref.id).toBe(true);
    }
    for (const n of S_KETAMINE_NOT_USED) expect(record(n.researchId).drug, n.researchId).toMatch(/S-ketamine/);
  });
});

describe('S-ketamine bands: lines, not made-up ranges', () => {
  it('each band is open-ended at a cited C50/IC50 line and is named "at or above" it', () => {
    expect(S_KETAMINE_BANDS.map((b) => [b.id, b.lowNgMl, b.highNgMl])).toEqual([
      ['s-ketamine-at-or-above-c50', 121.2, undefined],
      ['s-ketamine-at-or-above-eeg-ic50', 800, undefined],
    ]);
    for (const b of S_KETAMINE_BANDS) {
      expect(b.name).toMatch(/^At or above/);
      expect(['c50', 'ic50']).toContain(b.reference.kind);
      expect(b.lowNgMl).toBe(b.reference.ngMl);
      expect(b.citation).toBe(b.reference.citation);
      expect(DEFAULT_BANDS.map((d) => d.id)).not.toContain(b.id);
    }
  });

  it('says explicitly which racemic band has no S-ketamine counterpart', () => {
    const ids = S_KETAMINE_UNAVAILABLE.map((u) => u.id);
    for (const b of DEFAULT_BANDS) expect(ids).toContain(b.id);
    expect(ids).toContain(ANTIDEPRESSANT_MARKER.id);
    for (const u of S_KETAMINE_UNAVAILABLE) expect(u.reason).toMatch(/No (published )?S-ketamine/);
  });
});

describe('the default band set follows the model’s drug', () => {
  it('classifies every registry model; the four S-ketamine models get S-ketamine bands, the rest the racemic ones unchanged', () => {
    const sIds = MODELS.filter((m) => drugClass(m.drug) === 's-ketamine').map((m) => m.id);
    expect(sIds).toEqual([
      'fanta-2015-s-ketamine',
      'simons-2022-s-ketamine-arterial',
      'flint-2017-s-ketamine-picu',
      'perez-ruixo-2021-esketamine',
    ]);
    for (const m of MODELS) {
      const set = defaultBandSetForModel(m);
      if (sIds.includes(m.id)) {
        expect(set.drug).toBe('s-ketamine');
        expect(set.bands).toBe(S_KETAMINE_BANDS);
        expect(set.notice).toMatch(/^S-ketamine model: .*No published S-ketamine band for: .*recovery ↔ loss of responsiveness/);
        // Nothing racemic is scored: no racemic id and no racemic bound appears.
        for (const b of set.bands) {
          expect(DEFAULT_BANDS.some((d) => d.id === b.id || d.lowNgMl === b.lowNgMl)).toBe(false);
        }
      } else {
        expect(set).toMatchObject({ drug: 'racemic', unavailable: [], notice: null });
        expect(set.bands).toBe(DEFAULT_BANDS);
        expect(set.references).toEqual([ANTIDEPRESSANT_MARKER]);
      }
    }
  });

  it('reads racemic, S-ketamine and esketamine texts; refuses an unknown drug instead of falling back', () => {
    expect(drugClass('racemic ketamine')).toBe('racemic');
    expect(drugClass('S-ketamine (esketamine)')).toBe('s-ketamine');
    expect(drugClass('esketamine')).toBe('s-ketamine');
    expect(drugClass('S(+)-ketamine')).toBe('s-ketamine');
    expect(defaultBandSetForDrug('Esketamine').drug).toBe('s-ketamine');
    expect(() => drugClass('R-ketamine (arketamine)')).toThrow('drug: no default bands for "R-ketamine (arketamine)"');
    expect(() => drugClass('racemic and S-ketamine')).toThrow(/no default bands/);
  });

  it('a custom model (no drug in the plan format) keeps the racemic defaults; a plan’s own thresholds always win', () => {
    expect(defaultBandSetForModel(null).bands).toBe(DEFAULT_BANDS);
    const own = [{ id: 'mine', lowNgMl: 50, highNgMl: 90 }];
    expect(bandsForPlanAndModel(own, findModel('fanta-2015-s-ketamine')!)).toBe(own);
    expect(bandsForPlanAndModel(undefined, findModel('fanta-2015-s-ketamine')!)).toBe(S_KETAMINE_BANDS);
    expect(bandsForPlanAndModel(undefined, findModel('domino-1984')!)).toBe(DEFAULT_BANDS);
  });
});

describe('Olofsen 2022 ke0 for S-ketamine: a labelled transfer beside the derived one', () => {
  it('is ln 2 / 8.3 min with the CI of t½ke0 5.1–13.0 min, as in ketamine-pd.json', () => {
    const r = v('psychedelic-antinociception-olofsen2022');
    expect(OLOFSEN_2022_KE0.tHalfMin).toBe(r.t_half_ke0_min);
    expect(OLOFSEN_2022_KE0.tHalfCi95Min).toEqual(r.t_half_ke0_95CI_min);
    expect(OLOFSEN_2022_KE0.valuePerMin).toBe(Math.LN2 / 8.3);
    expect(ke0FromHalfTime(8.3)).toBe(OLOFSEN_2022_KE0.valuePerMin);
    // The research notes round the derived ke0 and its CI to 4 decimals.
    expect(Number(OLOFSEN_2022_KE0.valuePerMin.toFixed(4))).toBe(r.ke0_per_min_derived);
    expect(OLOFSEN_2022_KE0.ci95PerMin.map((k) => Number(k.toFixed(4)))).toEqual(r.ke0_95CI_per_min_derived);
    expect(OLOFSEN_2022_KE0.pk).toMatch(/own population PK .*not in the registry/);
  });

  it('is offered to S-ketamine models only, labelled as a transfer to that model’s PK', () => {
    for (const m of MODELS) {
      const choices = ke0Choices(m);
      if (drugClass(m.drug) === 'racemic') {
        expect(choices.map((c) => c.choice)).toEqual(['model']);
        continue;
      }
      expect(choices.map((c) => c.choice)).toEqual(['model', 'olofsen-2022']);
      expect(choices[1].valuePerMin).toBe(OLOFSEN_2022_KE0.valuePerMin);
      expect(choices[1].label).toContain(`a transfer to ${m.name} PK, not an estimate for it`);
      expect(choices[1].label).toContain('t½ke0 8.3 min (ke0 0.0835 /min, 95% CI 0.0533–0.1359)');
    }
  });

  it('scores Fanta 2015 on the S-ketamine bands with either ke0 (the plan’s ke0 override carries the choice today)', () => {
    const entry = (ke0?: number) => {
      const r = parsePlan(
        {
          patient: { weightKg: 82, ageYears: 40 },
          model: ke0 === undefined ? { id: 'fanta-2015-s-ketamine' } : { id: 'fanta-2015-s-ketamine', ke0 },
          regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
          horizonMin: 240,
          resolutionSec: 10,
        },
        MODEL_IDS,
      );
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      const p = predict(r.plan);
      const m = computeMetrics(p.trajectory, bandsForPlanAndModel(undefined, p.model.definition), p.actions, 82);
      expect(m.bands.map((b) => b.id)).toEqual(S_KETAMINE_BANDS.map((b) => b.id));
      return m.bands[0];
    };
    const derived = entry();
    const olofsen = entry(OLOFSEN_2022_KE0.valuePerMin);
    for (const b of [derived, olofsen]) {
      expect(b.minutesInside).toBeGreaterThan(0);
      expect(b.minutesAbove).toBe(0);
    }
    // The slower Olofsen ke0 (0.0835 vs ≈2.9 /min derived) reaches the C50 later.
    expect(olofsen.firstEntryMin!).toBeGreaterThan(derived.firstEntryMin! + 5);
  });
});
