// Sweet-spot view settings: the default axis is the engine's, bad input is named by field, and the worker's sweetSpot answers for the current plan.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DOSES_MG_PER_KG, DEFAULT_OVER_MIN } from '../../../engine/research/sweet-spot.ts';
import { DEFAULT_SWEET_SPOT, settingsFromJson, sweetSpotRequest } from '../../../ui/sweet-spot/settings.ts';
import { api } from '../../../workers/simulation-api.ts';
import { DEFAULT_PLAN } from '../../../ui/state/scenario.ts';

describe('sweet-spot settings', () => {
  it('default to the engine axis: 0.1–2.0 mg/kg over 40 min, no population', () => {
    const r = sweetSpotRequest(DEFAULT_SWEET_SPOT);
    expect(r).toEqual({
      ok: true,
      axis: { kind: 'mg/kg', dosesMgPerKg: DEFAULT_DOSES_MG_PER_KG, overMin: DEFAULT_OVER_MIN },
      population: null,
    });
  });

  it('name each bad field: a dose that is not a number, an empty duration, a population too large', () => {
    const r = sweetSpotRequest({ ...DEFAULT_SWEET_SPOT, doses: '0.5, x, -1', overMin: '', population: true, n: '1e6' });
    expect(r).toEqual({
      ok: false,
      problems: [
        'doses[1]: must be a number > 0, got "x"',
        'doses[2]: must be a number > 0, got "-1"',
        'overMin: must be a number of minutes > 0, got ""',
        'n: virtual patients must be a whole number from 10 to 2000, got "1e6"',
      ],
    });
    expect(sweetSpotRequest({ ...DEFAULT_SWEET_SPOT, axis: 'scale', scales: ' ' })).toEqual({
      ok: false,
      problems: ['scales: give at least one number'],
    });
  });

  it('read from a link: types checked, unknown fields named, defaults fill the rest', () => {
    expect(settingsFromJson({ axis: 'scale', scales: '1, 2' })).toEqual({
      ok: true,
      settings: { ...DEFAULT_SWEET_SPOT, axis: 'scale', scales: '1, 2' },
    });
    expect(settingsFromJson({ axis: 'mg', population: 'yes' })).toEqual({
      ok: false,
      problems: [
        'share link: ss.axis: expected "mg/kg" or "scale", got "mg"',
        'share link: ss.population: expected true or false',
      ],
    });
    expect(settingsFromJson([1])).toMatchObject({ ok: false });
  });
});

describe('the worker API sweetSpot (what the view calls)', () => {
  it('gives per dose the peak Ce and minutes in and above each band; 2 mg/kg spends time above dissociation, 0.5 mg/kg none', async () => {
    const req = sweetSpotRequest({ ...DEFAULT_SWEET_SPOT, doses: '0.5, 2' });
    if (!req.ok) throw new Error(req.problems.join());
    const a = await api.sweetSpot({ plan: DEFAULT_PLAN, axis: req.axis });
    if (!a.ok) throw new Error(a.problems.join('\n'));
    const [low, high] = a.result.rows;
    const above = (r: typeof low) => r.metrics.bands.find((b) => b.id === 'dissociation')!.minutesAbove;
    expect(above(low)).toBe(0);
    expect(above(high)).toBeGreaterThan(0);
    expect(high.metrics.peakCeNgMl).toBeGreaterThan(low.metrics.peakCeNgMl);
    expect(low.evidence.map((e) => e.id)).toContain('dose-ranging-fava2020');
  });

  it('names a bad plan field (validated in the worker with parsePlan) and a bad axis', async () => {
    const bad = await api.sweetSpot({ plan: { ...DEFAULT_PLAN, horizonMin: 0 }, axis: { kind: 'scale', scales: [1] } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems[0]).toMatch(/^plan\.horizonMin: /);
    const axis = await api.sweetSpot({ plan: DEFAULT_PLAN, axis: { kind: 'mg/kg', dosesMgPerKg: [0.5], overMin: 500 } });
    expect(!axis.ok && axis.problems[0]).toMatch(/^overMin: the dose runs 500 min, beyond the plan's horizonMin/);
  });
});
