// Scenario record: worked default, plain JSON, exact plan round-trip, bad text kept.
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import {
  DEFAULT_PLAN,
  commitText,
  defaultScenario,
  draftFromPlan,
  scenarioFromPlan,
  scenarioToPlanInput,
  textToNum,
} from '../../../ui/state/scenario.ts';

describe('the scenario record', () => {
  it('opens on the worked default: 70 kg adult, Domino 1984, 0.5 mg/kg over 40 min, 240-min view', () => {
    const s = defaultScenario();
    const input = scenarioToPlanInput(s.plan);
    expect(input).toEqual({
      patient: { weightKg: 70, ageYears: 40 },
      model: { id: 'domino-1984' },
      regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
      horizonMin: 240,
      resolutionSec: 10,
    });
    expect(parsePlan(input, MODEL_IDS).ok).toBe(true);
    expect(s.view).toBeNull();
    expect(s.pinned).toEqual([]);
  });

  it('is plain JSON: it survives JSON and structured clone unchanged', () => {
    const s = scenarioFromPlan({ ...DEFAULT_PLAN, thresholds: [{ id: 'analgesia', lowNgMl: 60, highNgMl: 150 }] });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(structuredClone(s)).toEqual(s);
  });

  it('round-trips a valid plan exactly through the editable draft (row identities dropped)', () => {
    const plan = {
      ...DEFAULT_PLAN,
      regimen: [
        { at: 0, bolus: 1.5, unit: 'mg/kg' as const },
        { at: 5, rate: 0.25, unit: 'mg/kg/h' as const },
        { at: 65, rate: 0, unit: 'mg/h' as const },
      ],
    };
    const draft = draftFromPlan(plan);
    expect(draft.regimen.every((e) => typeof e.uid === 'string')).toBe(true);
    expect(new Set(draft.regimen.map((e) => e.uid)).size).toBe(3);
    expect(scenarioToPlanInput(draft)).toEqual(plan);
  });

  it('keeps text that is not a number, so validation names the field and shows what was typed', () => {
    const draft = { ...draftFromPlan(DEFAULT_PLAN), patient: { weightKg: 'seventy', ageYears: '' } };
    const input = scenarioToPlanInput(draft);
    expect(input.patient).toEqual({ weightKg: 'seventy' }); // empty age omitted
    const r = parsePlan(input, MODEL_IDS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(['patient.weightKg']);
    expect(r.problems[0].message).toContain('"seventy"');
  });

  it('textToNum reads numbers (a decimal comma too) and leaves anything else as text', () => {
    expect(textToNum('0.5')).toBe(0.5);
    expect(textToNum(' 0,75 ')).toBe(0.75);
    expect(textToNum('1e3')).toBe(1000);
    expect(textToNum('7.')).toBe(7);
    expect(textToNum('.5')).toBe(0.5);
    expect(textToNum('12 mg')).toBe('12 mg');
    expect(textToNum('0x10')).toBe('0x10');
    expect(textToNum('Infinity')).toBe('Infinity');
    expect(textToNum(3)).toBe(3);
    expect(commitText('   ')).toBeUndefined();
    expect(commitText('-2')).toBe(-2);
  });
});
