// Scenario actions: event rows, presets, patient/model, bands, zoom, pins (max four), no identifying labels.
import { describe, expect, it } from 'vitest';
import { parsePlan, type Plan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { PRESETS, findPreset } from '../../../engine/pd/presets.ts';
import {
  addEvent,
  applyPreset,
  changeEventKind,
  describePlan,
  draftBands,
  editPinned,
  modelKind,
  nextEventTime,
  pin,
  removeEvent,
  resetBands,
  setBandBound,
  setCustomModel,
  setGrid,
  setModelField,
  setModelId,
  setPatientField,
  setView,
  sortRegimen,
  unpin,
  updateEvent,
  zoom,
} from '../../../ui/state/actions.ts';
import { DEFAULT_PLAN, MAX_PINNED, defaultScenario, scenarioToPlanInput, type Scenario } from '../../../ui/state/scenario.ts';

const plan = (s: Scenario) => scenarioToPlanInput(s.plan) as unknown as Plan;
const valid = (s: Scenario) => {
  const r = parsePlan(scenarioToPlanInput(s.plan), MODEL_IDS);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r.plan;
};

describe('scenario actions (pure Scenario → Scenario)', () => {
  it("adds each kind of event after the last one ends, in clinicians' default units", () => {
    let s = defaultScenario(); // 0.5 mg/kg over 40 min from 0
    expect(nextEventTime(s.plan)).toBe(50);
    s = addEvent(s, 'bolus');
    s = addEvent(s, 'rate');
    s = addEvent(s, 'pause');
    s = addEvent(s, 'resume');
    s = addEvent(s, 'dose');
    const r = valid(s).regimen;
    expect(r[1]).toEqual({ at: 50, bolus: 0.35, unit: 'mg/kg' });
    expect(r[2]).toEqual({ at: 60, rate: 0.5, unit: 'mg/kg/h' });
    expect(r[3]).toEqual({ at: 70, rate: 0, unit: 'mg/kg/h' });
    expect(r[4]).toEqual({ at: 80, rate: 0.5, unit: 'mg/kg/h' }); // resumes the last running rate
    expect(r[5]).toEqual({ at: 90, dose: 0.5, unit: 'mg/kg', overMin: 40 });
    expect(s.presetId).toBeNull(); // no longer the preset
  });

  it('resume after a dose over time restarts its rate in mg/kg/h', () => {
    const s = addEvent(addEvent(defaultScenario(), 'pause'), 'resume');
    expect(valid(s).regimen[2]).toMatchObject({ rate: 0.75, unit: 'mg/kg/h' });
  });

  it('edits, re-kinds, sorts and removes rows by identity', () => {
    let s = addEvent(defaultScenario(), 'rate');
    const [first, second] = s.plan.regimen;
    s = updateEvent(s, second.uid, { rate: 0.9, at: 5 });
    s = changeEventKind(s, first.uid, 'bolus'); // keeps time and amount; dose unit kept
    expect(valid(s).regimen).toEqual([
      { at: 0, bolus: 0.5, unit: 'mg/kg' },
      { at: 5, rate: 0.9, unit: 'mg/kg/h' },
    ]);
    s = changeEventKind(s, first.uid, 'rate'); // a dose unit cannot be a rate: default rate unit
    expect(valid(s).regimen[0]).toEqual({ at: 0, rate: 0.5, unit: 'mg/kg/h' });
    s = updateEvent(s, first.uid, { at: 30 });
    s = sortRegimen(s);
    expect(s.plan.regimen.map((e) => e.uid)).toEqual([second.uid, first.uid]);
    s = removeEvent(s, second.uid);
    expect(valid(s).regimen).toEqual([{ at: 30, rate: 0.5, unit: 'mg/kg/h' }]);
  });

  it('applies every preset as a valid plan with its horizon, keeping patient and model', () => {
    for (const p of PRESETS) {
      const s = applyPreset(setPatientField(defaultScenario(), 'weightKg', 82), p);
      const v = valid(s);
      expect(v.regimen).toEqual(p.regimen);
      expect(v.horizonMin).toBe(p.horizonMin);
      expect(v.patient.weightKg).toBe(82);
      expect(s.presetId).toBe(p.id);
    }
  });

  it('patient fields: set, clear; model: registry id with ke0 override, custom forms', () => {
    let s = setPatientField(defaultScenario(), 'heightCm', 170);
    s = setPatientField(s, 'sex', 'female');
    s = setPatientField(s, 'ageYears', undefined);
    expect(valid(s).patient).toEqual({ weightKg: 70, sex: 'female', heightCm: 170 });
    s = setModelField(s, 'ke0', 0.4);
    expect(valid(s).model).toEqual({ id: 'domino-1984', ke0: 0.4 });
    s = setModelId(s, 'kamp-2020');
    expect(valid(s).model).toEqual({ id: 'kamp-2020' }); // the override belonged to Domino
    s = setCustomModel(s, 'custom-micro', { v1: 4.41, k10: 0.4381, k12: 0.5921, k21: 0.247, k13: 0.59, k31: 0.0146 }, 0.238);
    expect(modelKind(s.plan.model)).toBe('custom-micro');
    expect(valid(s).model).toEqual({ v1: 4.41, k10: 0.4381, k12: 0.5921, k21: 0.247, k13: 0.59, k31: 0.0146, ke0: 0.238 });
    // micro-constants → clearances and back give the same model (to the 6 digits kept)
    s = setCustomModel(s, 'custom-clearance', { v1: 4.41, k10: 0.4381, k12: 0.5921, k21: 0.247, k13: 0.59, k31: 0.0146 }, 0.238);
    expect(modelKind(s.plan.model)).toBe('custom-clearance');
    const cl = valid(s).model as unknown as Record<string, number>;
    expect(cl.cl1).toBeCloseTo(4.41 * 0.4381, 5);
    expect(cl.v2).toBeCloseTo((4.41 * 0.5921) / 0.247, 3);
    const back = setCustomModel(s, 'custom-micro', cl, 0.238);
    const m = valid(back).model as unknown as Record<string, number>;
    for (const [k, v] of Object.entries({ k10: 0.4381, k12: 0.5921, k21: 0.247, k13: 0.59, k31: 0.0146 }))
      expect(m[k] / v).toBeCloseTo(1, 5);
    // a general linear system (no cl1, no k10): typical Kamp-2020 values
    s = setCustomModel(s, 'custom-clearance', { qh: 2.5, v1: 10 }, null);
    expect(Object.keys(valid(s).model).sort()).toEqual(['cl1', 'cl2', 'cl3', 'ke0', 'v1', 'v2', 'v3']);
    expect(valid(s).model).toMatchObject({ v1: 25, ke0: 0.238 });
  });

  it('bands: the first edit copies the sourced defaults into the plan; reset removes them', () => {
    expect(draftBands(defaultScenario().plan).map((b) => b.id)).toEqual([
      'analgesia',
      'dissociation',
      'responsiveness',
      'anaesthesia',
    ]);
    let s = setBandBound(defaultScenario(), 'dissociation', 'lowNgMl', 120);
    expect(valid(s).thresholds).toEqual([
      { id: 'analgesia', lowNgMl: 70, highNgMl: 160 },
      { id: 'dissociation', lowNgMl: 120, highNgMl: 250 },
      { id: 'responsiveness', lowNgMl: 1060, highNgMl: 1640 },
      { id: 'anaesthesia', lowNgMl: 1200, highNgMl: 2400 },
    ]);
    s = resetBands(s);
    expect(plan(s).thresholds).toBeUndefined();
  });

  it('window: zoom in around a time within the horizon, out to the whole horizon; tiny windows ignored', () => {
    const d = { startMin: 0, endMin: 240 };
    let s = zoom(defaultScenario(), d, 0.5, 40, 240);
    expect(s.view).toEqual({ startMin: 20, endMin: 140 });
    s = zoom(s, s.view!, 0.5, 5, 240);
    expect(s.view!.startMin).toBeGreaterThanOrEqual(0);
    expect(s.view!.endMin - s.view!.startMin).toBeCloseTo(60, 10);
    expect(zoom(s, s.view!, 8, 100, 240).view).toBeNull();
    expect(setView(s, { startMin: 10, endMin: 10.05 })).toBe(s);
    expect(setGrid(s, 'horizonMin', 60).view).toBeNull(); // a new horizon resets the window
  });

  it('pins at most four valid plans (the oldest gives way), each with its own colour; edit and unpin', () => {
    let s = defaultScenario();
    const base = valid(s);
    for (let i = 1; i <= MAX_PINNED + 1; i++) s = pin(s, { ...base, patient: { weightKg: 60 + i } }, `p${i}`);
    expect(s.pinned.map((p) => p.label)).toEqual(['p2', 'p3', 'p4', 'p5']);
    expect(new Set(s.pinned.map((p) => p.color)).size).toBe(MAX_PINNED);
    s = editPinned(s, s.pinned[0].id);
    expect(valid(s).patient.weightKg).toBe(62);
    s = unpin(s, s.pinned[0].id);
    expect(s.pinned).toHaveLength(3);
  });

  it("editing a pin keeps the plan being edited: it takes the pin's place, colour and slot (a swap)", () => {
    let s = defaultScenario();
    const base = valid(s);
    s = pin(s, { ...base, patient: { weightKg: 61 } }, 'p61');
    s = pin(s, { ...base, patient: { weightKg: 62 } }, 'p62');
    const color = s.pinned[0].color;
    s = editPinned(s, s.pinned[0].id, base, 'the edited one');
    expect(valid(s).patient.weightKg).toBe(61);
    expect(s.pinned.map((p) => p.label)).toEqual(['the edited one', 'p62']);
    expect(s.pinned[0].plan).toEqual(base);
    expect(s.pinned[0].color).toBe(color);
  });

  it('labels a pinned plan without anything that identifies a person', () => {
    const label = describePlan({ ...DEFAULT_PLAN, label: 'Jane Doe, MRN 123' }, 'Domino 1984');
    expect(label).toBe('Domino 1984 · 70 kg · 0.5 mg/kg over 40 min');
    expect(findPreset('antidepressant')).toBeDefined();
  });
});
