// The four presets match research §4 doses and sources; only procedural-sedation flagged UNVERIFIED.
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../../engine/pd/presets.ts';
import { parsePlan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { predict } from '../../../engine/predict.ts';
import { totalDoseMg } from '../../../engine/dosing/actions.ts';

/** docs/research/ketamine-pd.md §4: each preset's numbers and source. */
describe('regimen presets (engine/pd/presets.ts)', () => {
  const byId = Object.fromEntries(PRESETS.map((p) => [p.id, p]));

  it('are the four protocols of the research notes, each with a source', () => {
    expect(PRESETS.map((p) => p.id)).toEqual(['antidepressant', 'crps', 'procedural-sedation', 'induction']);
    for (const p of PRESETS) {
      expect(p.citation.length).toBeGreaterThan(30);
      expect(p.note.length).toBeGreaterThan(20);
      expect(
        parsePlan(
          {
            patient: { weightKg: 70 },
            model: { id: 'domino-1984' },
            regimen: p.regimen,
            horizonMin: p.horizonMin,
            resolutionSec: 10,
          },
          MODEL_IDS,
        ).ok,
      ).toBe(true);
    }
  });

  it('give the doses of their sources for a 70 kg adult', () => {
    const mg = (id: string) => {
      const p = byId[id];
      const r = parsePlan(
        {
          patient: { weightKg: 70 },
          model: { id: 'domino-1984' },
          regimen: p.regimen,
          horizonMin: p.horizonMin,
          resolutionSec: 10,
        },
        MODEL_IDS,
      );
      if (!r.ok) throw new Error(id);
      return totalDoseMg(predict(r.plan).actions, p.horizonMin);
    };
    expect(mg('antidepressant')).toBeCloseTo(0.5 * 70, 9); // Fava 2020: 0.5 mg/kg over 40 min
    expect(mg('crps')).toBeCloseTo(0.35 * 70 * 4, 9); // Cohen 2018: 0.35 mg/kg/h × 4 h
    expect(mg('procedural-sedation')).toBeCloseTo(1.5 * 70, 9); // Green 2011 (IV numbers unverified)
    expect(mg('induction')).toBeCloseTo(2 * 70, 9); // Ketalar label: 2 mg/kg over 60 s
    expect(byId.antidepressant.citation).toMatch(/Fava.*2020/);
    expect(byId.antidepressant.citation).toMatch(/Lii.*2023/);
    expect(byId.crps.citation).toMatch(/Cohen.*Reg Anesth Pain Med 2018;43\(5\):521/);
    expect(byId.induction.citation).toMatch(/KETALAR/);
    expect(byId.induction.regimen).toEqual([{ at: 0, dose: 2, unit: 'mg/kg', overMin: 1 }]);
  });

  it('label the procedural-sedation IV numbers UNVERIFIED, and only those', () => {
    expect(PRESETS.filter((p) => !p.verified).map((p) => p.id)).toEqual(['procedural-sedation']);
    expect(byId['procedural-sedation'].name).toContain('UNVERIFIED');
    expect(byId['procedural-sedation'].citation).toMatch(/Green.*Ann Emerg Med 2011;57\(5\):449/);
  });
});
