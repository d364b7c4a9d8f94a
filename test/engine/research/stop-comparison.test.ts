// "IV can be stopped, intranasal cannot": the stop rule, the preset's numbers on Perez-Ruixo esketamine, and the crossing arithmetic.
import { describe, expect, it } from 'vitest';
import { compareStop, minutesToFallBelow, stopRegimenAt, type StopCandidate } from '../../../engine/research/stop-comparison.ts';
import { STOP_COMPARISON_PRESET as PRESET } from '../../../engine/pd/presets.ts';
import { OLOFSEN_2022_C50 } from '../../../engine/pd/s-ketamine-bands.ts';

const candidates = (): StopCandidate[] =>
  PRESET.regimens.map((r) => ({
    id: r.id,
    label: r.label,
    plan: {
      patient: PRESET.patient,
      model: { id: PRESET.modelId },
      regimen: r.regimen,
      horizonMin: PRESET.horizonMin,
      resolutionSec: 1,
    },
  }));

describe('stopRegimenAt', () => {
  it('stops the pump at s, drops what is not yet given, keeps a route dose already given', () => {
    expect(
      stopRegimenAt(
        [
          { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
          { at: 30, bolus: 5, unit: 'mg' },
        ],
        15,
      ),
    ).toEqual([
      { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
      { at: 15, rate: 0, unit: 'mg/kg/h' },
    ]);
    expect(
      stopRegimenAt(
        [
          { at: 0, dose: 56, unit: 'mg', route: 'intranasal' },
          { at: 60, dose: 28, unit: 'mg', route: 'intranasal' },
        ],
        15,
      ),
    ).toEqual([{ at: 0, dose: 56, unit: 'mg', route: 'intranasal' }]);
  });
});

describe('minutesToFallBelow', () => {
  const t = Float64Array.from([0, 1, 2, 3, 4]);
  it('interpolates the last downward crossing after s; 0 when never at or above; null when above at the end', () => {
    expect(minutesToFallBelow(t, Float64Array.from([0, 10, 30, 10, 0]), 1, 20)).toBeCloseTo(1.5, 12);
    expect(minutesToFallBelow(t, Float64Array.from([50, 10, 5, 1, 0]), 1, 20)).toBe(0);
    expect(minutesToFallBelow(t, Float64Array.from([0, 10, 30, 40, 50]), 1, 20)).toBeNull();
  });
});

describe('IV 0.5 mg/kg over 40 min stopped at 15 min vs intranasal 56 mg, Perez-Ruixo esketamine (STOP_COMPARISON_PRESET)', () => {
  it('reads Ce against Olofsen 2022 S-ketamine C50 (121.2 ng/mL), not a racemic band', () => {
    expect(PRESET.level).toBe(OLOFSEN_2022_C50);
    expect(PRESET.level.ngMl).toBe(121.2);
    expect(PRESET.levelWhy).toMatch(/racemic dissociation band/);
  });

  it('the numbers: IV only falls after the stop; intranasal keeps rising about 26 min and takes longer to come back', () => {
    const r = compareStop(candidates(), PRESET.stopAtMin, PRESET.level);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const [iv, nasal] = r.outcomes;
    // Typical 70 kg, 45-year-old patient, derived ke0 (3.06 /min). Values seen: IV Ce 57.12 ng/mL at the stop,
    // peak 57.68 at 15.4 min (the effect site lags the plasma by seconds), back below 57.12 1.2 min after the
    // stop; intranasal Ce 50.54 at 15 min, peak 72.63 at 40.9 min, back below 50.54 79.8 min after the stop.
    expect(iv.ceAtStopNgMl).toBeCloseTo(57.12, 1);
    expect(iv.riseAfterStopNgMl).toBeLessThan(1);
    expect(iv.minutesToFallBelowStopValue!).toBeLessThan(2);
    expect(nasal.ceAtStopNgMl).toBeCloseTo(50.54, 1);
    expect(nasal.peakAfterStopNgMl).toBeCloseTo(72.63, 1);
    expect(nasal.peakAfterStopAtMin - PRESET.stopAtMin).toBeGreaterThan(25);
    expect(nasal.peakAfterStopAtMin - PRESET.stopAtMin).toBeLessThan(27);
    expect(nasal.minutesToFallBelowStopValue!).toBeCloseTo(79.75, 0);
    expect(iv.minutesToFallBelowStopValue!).toBeCloseTo(1.18, 1);
    expect(nasal.minutesToFallBelowStopValue!).toBeGreaterThan(50 * iv.minutesToFallBelowStopValue!);
    // Neither reaches the C50 for the typical patient: both are below it from the decision on.
    expect(iv.minutesToFallBelowLevel).toBe(0);
    expect(nasal.minutesToFallBelowLevel).toBe(0);
  });

  it('with a level both cross (a test level, not a clinical band), IV falls below it sooner', () => {
    const level = { ...OLOFSEN_2022_C50, ngMl: 45 };
    const r = compareStop(candidates(), PRESET.stopAtMin, level);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const [iv, nasal] = r.outcomes;
    expect(iv.minutesToFallBelowLevel!).toBeGreaterThan(0);
    // Seen: IV 13.3 min, intranasal 92 min after the stop.
    expect(iv.minutesToFallBelowLevel!).toBeCloseTo(13.3, 0);
    expect(nasal.minutesToFallBelowLevel!).toBeCloseTo(92, 0);
  });

  it('an invalid plan or stop time is a problem naming the candidate and field', () => {
    const bad = candidates();
    const r = compareStop([{ ...bad[1], plan: { ...bad[1].plan, model: { id: 'domino-1984' } } }], 15, OLOFSEN_2022_C50);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0].path).toBe('intranasal.regimen[0].route');
    const s = compareStop(bad, -1, OLOFSEN_2022_C50);
    expect(s.ok).toBe(false);
  });
});
