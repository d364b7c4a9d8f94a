// The stop comparison the dashboard asks the worker for: the engine's compareStop numbers for the chosen decision minute and IV dose, curves that are the stopped regimens, problems naming the field.
import { describe, expect, it } from 'vitest';
import { stopComparisonView } from '../../workers/stop-comparison-api.ts';
import { api } from '../../workers/simulation-api.ts';
import { compareStop, type StopCandidate } from '../../engine/research/stop-comparison.ts';
import { STOP_COMPARISON_PRESET as PRESET } from '../../engine/pd/presets.ts';
import { OLOFSEN_2022_C50 } from '../../engine/pd/s-ketamine-bands.ts';

const engine = (stopAtMin: number, dose: number) => {
  const candidates: StopCandidate[] = PRESET.regimens.map((r) => ({
    id: r.id,
    label: r.label,
    plan: {
      patient: PRESET.patient,
      model: { id: PRESET.modelId },
      regimen: r.id === 'iv' ? [{ at: 0, dose, unit: 'mg/kg', overMin: 40 }] : r.regimen,
      horizonMin: PRESET.horizonMin,
      resolutionSec: 1,
    },
  }));
  const r = compareStop(candidates, stopAtMin, PRESET.level);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
};

describe('stopComparisonView', () => {
  it('without inputs is the preset (15 min, 0.5 mg/kg): the engine’s outcomes, S-ketamine band set, Olofsen 2022 C50, Perez-Ruixo model', () => {
    const v = stopComparisonView({ buckets: 300 });
    if (!v.ok) throw new Error(JSON.stringify(v.problems));
    expect(v.stopAtMin).toBe(15);
    expect(v.ivDoseMgPerKg).toBe(0.5);
    expect(v.preset).toEqual({ stopAtMin: 15, ivDoseMgPerKg: 0.5 });
    expect(v.regimens.map((r) => r.outcome)).toEqual(engine(15, 0.5).outcomes.map((o) => ({ ...o, label: expect.any(String) })));
    expect(v.bandSet.drug).toBe('s-ketamine');
    expect(v.level).toBe(OLOFSEN_2022_C50);
    expect(v.model.id).toBe('perez-ruixo-2021-esketamine');
    // Values the engine test pins for this preset (test/engine/research/stop-comparison.test.ts).
    expect(v.regimens[1].outcome.minutesToFallBelowStopValue!).toBeCloseTo(79.75, 0);
  });

  it('with a chosen minute and dose: the same numbers as compareStop; the IV curve is the stopped regimen (rate 0 at the decision)', () => {
    const v = stopComparisonView({ stopAtMin: 30, ivDoseMgPerKg: 2, buckets: 400 });
    if (!v.ok) throw new Error(JSON.stringify(v.problems));
    const want = engine(30, 2);
    expect(v.regimens.map((r) => ({ ...r.outcome, label: '' }))).toEqual(want.outcomes.map((o) => ({ ...o, label: '' })));
    expect(v.regimens[0].label).toBe('IV 2 mg/kg over 40 min');
    expect(v.regimens[0].regimen).toEqual([
      { at: 0, dose: 2, unit: 'mg/kg', overMin: 40 },
      { at: 30, rate: 0, unit: 'mg/kg/h' },
    ]);
    expect(v.regimens[1].regimen).toEqual([{ at: 0, dose: 56, unit: 'mg', route: 'intranasal' }]);
    // The curve: real samples in time order, its highest point the engine's peak after the decision or before it.
    const iv = v.regimens[0];
    expect(iv.t.length).toBe(iv.ce.length);
    expect(iv.t.length).toBeLessThanOrEqual(2 * 400 + 2);
    for (let j = 1; j < iv.t.length; j++) expect(iv.t[j]).toBeGreaterThan(iv.t[j - 1]);
    expect(Math.max(...iv.ce)).toBeGreaterThanOrEqual(want.outcomes[0].peakAfterStopNgMl);
  });

  it('bad input is a problem naming the field', () => {
    expect(stopComparisonView({ stopAtMin: -1, ivDoseMgPerKg: 0, buckets: 100 })).toEqual({
      ok: false,
      problems: [
        { path: 'stopAtMin', message: `must be a time in minutes from 0 to ${PRESET.horizonMin}, got -1` },
        { path: 'ivDoseMgPerKg', message: 'must be a dose in mg/kg > 0, got 0' },
      ],
    });
    expect(stopComparisonView({ stopAtMin: Number.NaN, buckets: 100 })).toMatchObject({
      ok: false,
      problems: [{ path: 'stopAtMin' }],
    });
    // Above the format's largest single dose (100 g): parsePlan's message, on the dose field.
    const huge = stopComparisonView({ ivDoseMgPerKg: 1e6, buckets: 100 });
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(huge.problems[0].path).toBe('ivDoseMgPerKg');
  });

  it('is the simulation API’s stopComparison and routes methods', async () => {
    const v = await api.stopComparison({ stopAtMin: 15, buckets: 100 });
    expect(v.ok).toBe(true);
    const table = await api.routes();
    expect(Object.keys(table)).toEqual(['perez-ruixo-2021-esketamine', 'simons-2022-s-ketamine-arterial']);
  });
});
