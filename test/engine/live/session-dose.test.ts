// `sessionDose`: planned and finished sessions' dose and exact peak Ce.
import { describe, expect, it } from 'vitest';
import { sessionDose } from '../../../engine/live/session-dose.ts';
import { predict } from '../../../engine/predict.ts';
import { antidepressant, logOf } from './fixtures.ts';

/** The Course view's per-session dose and peak Ce (computed in the live worker: workers/live-api.ts sessionDoses). */
describe('sessionDose: dose and peak Ce from the engine', () => {
  const p = antidepressant(70);

  it('a planned session: the plan (0.5 mg/kg = 35 mg); the peak Ce is the exact maximum (≥ every 1-s sample, within 1e-6 of the best)', () => {
    const d = sessionDose(p, { entries: [] }, 'planned', null);
    expect(d.basis).toBe('planned');
    expect(d.doseMg).toBeCloseTo(35, 12);
    expect(d.doseMgPerKg).toBeCloseTo(0.5, 12);
    const { trajectory } = predict({ ...p, horizonMin: 240, resolutionSec: 1 });
    let max = 0,
      at = 0;
    for (let j = 0; j < trajectory.ce.length; j++)
      if (trajectory.ce[j] > max) {
        max = trajectory.ce[j];
        at = trajectory.t[j];
      }
    expect(d.peakCeNgMl).toBeGreaterThanOrEqual(max - 1e-9);
    expect((d.peakCeNgMl - max) / max).toBeLessThan(1e-6);
    expect(Math.abs(d.peakCeMin - at)).toBeLessThanOrEqual(1 / 60);
    expect(d.peakCeMin).toBeGreaterThan(40); // Ce lags: it peaks after the infusion ends
  });

  it('a finished session: what was actually given up to its end', () => {
    const log = logOf(p, [
      { kind: 'pause', atMin: 10 },
      { kind: 'resume', atMin: 12 },
      { kind: 'bolus', atMin: 20, amount: 5, unit: 'mg' },
      { kind: 'stop', atMin: 42 },
    ]);
    const d = sessionDose(p, log, 'finished', 45);
    expect(d.basis).toBe('given');
    expect(d.doseMg).toBeCloseTo(0.875 * (10 + 30) + 5, 12);
    expect(d.doseMgPerKg).toBeCloseTo((0.875 * 40 + 5) / 70, 12);
    expect(() => sessionDose(p, log, 'finished', null)).toThrow(/endMin/);
  });
});
