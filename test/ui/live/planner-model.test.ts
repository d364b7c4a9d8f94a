// Planner form defaults and field problems, personal window, loaded proposal predicts exactly.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PLANNER_FORM,
  personalWindow,
  plannerRequest,
  POPULATION_WINDOW,
  scenarioWithRegimen,
  convertRateText,
  unreachableWords,
  withRateUnit,
} from '../../../ui/live/planner-model.ts';
import { api } from '../../../workers/live-api.ts';
import { defaultScenario, scenarioToPlanInput } from '../../../ui/state/scenario.ts';
import { parsePlan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { predict } from '../../../engine/predict.ts';
import { antidepressant } from '../../engine/live/fixtures.ts';

const plan = antidepressant(70);

describe('the planner form', () => {
  it("defaults: the dissociation band (no window sent), reach by 10 min of 40, the engine's pump defaults, 60 min shown after the stop", () => {
    const r = plannerRequest(DEFAULT_PLANNER_FORM, plan, null);
    if (!r.ok) throw new Error(r.problems.join('; '));
    expect(r.request).toEqual({
      patient: plan.patient,
      model: plan.model,
      reachMin: 10,
      durationMin: 40,
      mode: 'effect',
      pump: { unit: 'mg/kg/h', maxRate: 2, rateStep: 0.05, minIntervalMin: 5, maxBolusMgPerKg: 0 },
      horizonMin: 100,
    });
    expect(POPULATION_WINDOW).toMatchObject({ lowNgMl: 100, highNgMl: 250 });
  });

  it('names every wrong field', () => {
    const r = plannerRequest(
      {
        ...DEFAULT_PLANNER_FORM,
        window: 'custom',
        lowNgMl: '300',
        highNgMl: '200',
        reachMin: '45',
        rateStep: '3',
        maxCpNgMl: 'x',
      },
      plan,
      null,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toEqual([
        'Window high bound: must be above the low bound (300 ng/mL), got 200',
        'Reach the window by: must be before the end of the session (40 min), got 45',
        'Rate step: must not exceed the maximum rate (2 mg/kg/h), got 3',
        'Cp cap: must be a number > 0 ng/mL, got "x"',
      ]);
    }
    const p = plannerRequest({ ...DEFAULT_PLANNER_FORM, window: 'personal' }, plan, null);
    expect(p.ok || p.problems[0]).toMatch(/^Window: this patient has no personal band yet/);
  });

  it("the personal window: low = the mean Ce at onset (0.1 ng/mL), high = the population band's high bound", () => {
    expect(personalWindow(132.46)).toEqual({ lowNgMl: 132.5, highNgMl: 250 });
    expect(personalWindow(null)).toBeNull();
    const r = plannerRequest({ ...DEFAULT_PLANNER_FORM, window: 'personal' }, plan, personalWindow(132.46));
    expect(r.ok && r.request.window).toEqual({ lowNgMl: 132.5, highNgMl: 250 });
    const tooHigh = plannerRequest({ ...DEFAULT_PLANNER_FORM, window: 'personal' }, plan, personalWindow(260));
    expect(tooHigh.ok).toBe(false);
  });
});

describe('"Use this plan"', () => {
  it("loads the proposal into the scenario: the plan predicts exactly the proposal's curve", async () => {
    const r = plannerRequest(DEFAULT_PLANNER_FORM, plan, null);
    if (!r.ok) throw new Error('form');
    const proposal = await api.plan(r.request);
    if (proposal.kind !== 'proposal') throw new Error(proposal.kind);
    const s = scenarioWithRegimen(
      { ...defaultScenario(), presetId: 'antidepressant' },
      proposal.regimen,
      proposal.settings.horizonMin,
    );
    expect(s.presetId).toBeNull();
    expect(s.view).toBeNull();
    expect(new Set(s.plan.regimen.map((e) => e.uid)).size).toBe(proposal.regimen.length);
    const parsed = parsePlan(scenarioToPlanInput(s.plan), MODEL_IDS);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.plan.regimen).toEqual(proposal.regimen);
    expect(parsed.plan.horizonMin).toBe(100);
    const ce = predict(parsed.plan).trajectory.ce;
    expect(Array.from(ce)).toEqual(Array.from(proposal.trajectory.ce));
  });
});

describe('planner units and boluses (clinic settings)', () => {
  it('changing the rate unit converts the maximum rate and the step for the patient (70 kg)', () => {
    const f = withRateUnit(DEFAULT_PLANNER_FORM, 'mg/h', 70);
    expect(f).toMatchObject({ unit: 'mg/h', maxRate: '140', rateStep: '3.5' });
    expect(withRateUnit(f, 'mg/kg/h', 70)).toMatchObject({ unit: 'mg/kg/h', maxRate: '2', rateStep: '0.05' });
    expect(withRateUnit(DEFAULT_PLANNER_FORM, 'ug/kg/min', 70)).toMatchObject({ maxRate: '33.3333', rateStep: '0.833333' });
    expect(convertRateText('abc', 'mg/kg/h', 'mg/h', 70)).toBe('abc');
  });

  it('the same programme is found in either unit', async () => {
    const a = plannerRequest(DEFAULT_PLANNER_FORM, plan, null);
    const b = plannerRequest(withRateUnit(DEFAULT_PLANNER_FORM, 'mg/h', 70), plan, null);
    if (!a.ok || !b.ok) throw new Error('invalid');
    const [ra, rb] = await Promise.all([api.plan(a.request), api.plan(b.request)]);
    expect(ra.kind).toBe('proposal');
    expect(rb.kind).toBe('proposal');
    if (ra.kind !== 'proposal' || rb.kind !== 'proposal') return;
    expect(rb.metrics.totalDoseMg).toBeCloseTo(ra.metrics.totalDoseMg, 6);
  });

  it('every unreachable code reads as words; an unknown one is named, never bare', () => {
    for (const code of [
      'unreachable-max-rate',
      'too-late',
      'window-not-held',
      'window-too-narrow-for-step',
      'cp-cap-below-window',
    ])
      expect(unreachableWords(code)).not.toMatch(/[a-z]+-[a-z]+-/);
    expect(unreachableWords('new-code')).toMatch(/"new-code" has no description/);
  });

  it('no loading bolus below the smallest bolus: the step is the minimum, a cap below it allows none', async () => {
    const small = plannerRequest({ ...DEFAULT_PLANNER_FORM, maxBolusMgPerKg: '0.05' }, plan, null, 0.1);
    if (!small.ok) throw new Error('invalid');
    expect(small.request.pump).toMatchObject({ maxBolusMgPerKg: 0, bolusStepMgPerKg: 0.1 });
    const big = plannerRequest({ ...DEFAULT_PLANNER_FORM, maxBolusMgPerKg: '1' }, plan, null, 0.1);
    if (!big.ok) throw new Error('invalid');
    const r = await api.plan(big.request);
    if (r.kind !== 'proposal') throw new Error(r.kind);
    for (const e of r.regimen) if ('bolus' in e) expect(e.bolus).toBeGreaterThanOrEqual(0.1 - 1e-12);
  });
});
