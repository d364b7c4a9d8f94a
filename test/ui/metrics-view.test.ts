// Metric rows: units on every number, not-reached messages, concentration formatting.
import { describe, expect, it } from 'vitest';
import { api, type ScenarioOk } from '../../workers/simulation-api.ts';
import { metricRows } from '../../ui/metrics-view.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';
import { conc, formatConc } from '../../ui/format.ts';
import type { Plan } from '../../engine/plan.ts';

const rows = async (plan: Plan) => {
  const o = (await api.simulate({ plans: [plan], view: null, buckets: 100, full: false })).outcomes[0] as ScenarioOk;
  return Object.fromEntries(metricRows(o).map((r) => [r.id, r]));
};

describe('metrics as shown: units on every number, "not reached" stated', () => {
  it('the default plan: peaks with times, minutes per band, recovery after the infusion, total dose', async () => {
    const r = await rows(DEFAULT_PLAN);
    expect(r['peak-cp'].value).toMatch(/^\d+(\.\d+)? ng\/mL$/);
    expect(r['peak-cp'].detail).toMatch(/^at \d+\.\d min$/);
    expect(r['band-analgesia'].value).toMatch(/ min$/);
    expect(r['band-anaesthesia'].detail).toBe('never reached within the 240-min horizon');
    expect(r['above-anaesthesia']).toMatchObject({ value: '0.0 min', detail: 'never above within the 240-min horizon' });
    expect(r.recovery.value).toMatch(/^\d+\.\d min$/);
    expect(r.recovery.detail).toBe('after dosing ended at 40.0 min');
    expect(r['total-dose']).toMatchObject({ value: '35.0 mg', detail: '0.500 mg/kg' });
    for (const row of Object.values(r)) expect(`${row.value} ${row.detail ?? ''}`).toMatch(/ng\/mL|min|mg|n\/a|not reached/);
  });

  it('says when Ce has not fallen below the dissociation band within the horizon, and why', async () => {
    const running = await rows({ ...DEFAULT_PLAN, regimen: [{ at: 0, rate: 1, unit: 'mg/kg/h' }] });
    expect(running.recovery).toMatchObject({
      value: 'not reached',
      detail: 'the pump is still running at the end of the 240-min horizon',
    });
    const short = await rows({ ...DEFAULT_PLAN, horizonMin: 45 });
    expect(short.recovery.value).toBe('not reached');
    expect(short.recovery.detail).toMatch(/still ≥ 100 ng\/mL at the end of the 45-min horizon \(dosing ended at 40.0 min\)/);
    const none = await rows({ ...DEFAULT_PLAN, regimen: [] });
    expect(none.recovery).toMatchObject({ value: 'n/a', detail: 'no dose given within the 240-min horizon' });
  });

  it('formats concentrations to about four significant figures', () => {
    expect(formatConc(1234.56)).toBe('1235');
    expect(formatConc(212.345)).toBe('212.3');
    expect(formatConc(45.678)).toBe('45.68');
    expect(formatConc(3.4567)).toBe('3.457');
    expect(formatConc(0)).toBe('0');
    expect(conc(0.5)).toBe('0.5 ng/mL');
  });
});

describe('minutes ABOVE each band: why 2 mg/kg is not "best"', () => {
  const dose = (mgPerKg: number): Plan => ({
    ...DEFAULT_PLAN,
    regimen: [{ at: 0, dose: mgPerKg, unit: 'mg/kg', overMin: 40 }],
  });
  it('gives every bounded band an "above" row, with the minutes the engine computed (computeMetrics minutesAbove)', async () => {
    const o = (await api.simulate({ plans: [dose(2)], view: null, buckets: 100, full: false })).outcomes[0] as ScenarioOk;
    const r = Object.fromEntries(metricRows(o).map((x) => [x.id, x]));
    for (const b of o.metrics.bands) {
      if (b.highNgMl === null) expect(r[`above-${b.id}`]).toBeUndefined();
      else expect(r[`above-${b.id}`].value).toBe(`${b.minutesAbove.toFixed(1)} min`);
    }
    expect(r['above-dissociation'].label).toMatch(/^Ce above Dissociation .*\(≥ \d+ ng\/mL\)$/);
  });
  it('2 mg/kg over 40 min: more minutes "in dissociation" than 0.5 mg/kg, but also minutes above it that 0.5 mg/kg never has', async () => {
    const [low, high] = await Promise.all([rows(dose(0.5)), rows(dose(2))]);
    const min = (s: string) => Number(s.replace(/ min$/, ''));
    expect(min(high['band-dissociation'].value)).toBeGreaterThan(min(low['band-dissociation'].value));
    expect(low['above-dissociation']).toMatchObject({ value: '0.0 min', detail: 'never above within the 240-min horizon' });
    expect(min(high['above-dissociation'].value)).toBeGreaterThan(0);
  });
});
