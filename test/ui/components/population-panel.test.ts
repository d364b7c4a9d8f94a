// `previewPlan`: the bands-only preview's grid is every k-th point of the plan's own grid, at most the asked number of points.
import { describe, expect, it } from 'vitest';
import { gridPointCount } from '../../../engine/plan.ts';
import { previewPlan } from '../../../ui/components/PopulationPanel.tsx';

const plan = (horizonMin: number, resolutionSec: number) => ({
  patient: { weightKg: 70 },
  model: { id: 'domino-1984' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin,
  resolutionSec,
});

describe('previewPlan', () => {
  it('keeps a plan that already has few enough points (the same object)', () => {
    const p = plan(240, 10); // 1,441 points
    expect(previewPlan(p, 1441)).toBe(p);
    expect(previewPlan(p, 5000)).toBe(p);
    expect(previewPlan(p, undefined)).toBe(p);
  });

  it('steps every k-th grid point, k the smallest whole number within the limit; everything else unchanged', () => {
    const p = plan(240, 10);
    const q = previewPlan(p, 920) as ReturnType<typeof plan>;
    expect(q.resolutionSec).toBe(20); // 721 points ≤ 920; k = 1 would give 1,441
    expect(gridPointCount(q.horizonMin, q.resolutionSec)).toBe(721);
    expect({ ...q, resolutionSec: 10 }).toEqual(p);
    // 24 h at 1 s (86,401 points) into 1,000 columns: k = 87 (86,400 / 999 = 86.5 → 87), 994 points.
    const day = previewPlan(plan(1440, 1), 1000) as ReturnType<typeof plan>;
    expect(day.resolutionSec).toBe(87);
    expect(gridPointCount(1440, day.resolutionSec)).toBeLessThanOrEqual(1000);
    expect(gridPointCount(1440, 86)).toBeGreaterThan(1000);
  });

  it('leaves anything that is not a plan with a positive horizon and step alone (the worker names the problem)', () => {
    expect(previewPlan(null, 900)).toBeNull();
    const bad = { ...plan(240, 10), resolutionSec: 'ten' };
    expect(previewPlan(bad, 900)).toBe(bad);
    const zero = plan(0, 10);
    expect(previewPlan(zero, 900)).toBe(zero);
  });
});
