// The chart's metabolite series: the worker's decimated `cm` and metabolite record, the toggle's default and memory, legend/PNG entries, peak in the window.
import { describe, expect, it } from 'vitest';
import { api, type ScenarioOk } from '../../../workers/simulation-api.ts';
import { parsePlan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { predict } from '../../../engine/predict.ts';
import { chartLegend } from '../../../ui/chart/legend.ts';
import { composeSvg } from '../../../ui/chart/export-png.ts';
import {
  CM_COLOR,
  CM_DASH,
  loadMetabolitePreference,
  METABOLITE_STORAGE_KEY,
  metaboliteToggle,
  peakInWindow,
  saveMetabolitePreference,
  shownMetabolite,
} from '../../../ui/chart/metabolite.ts';
import { DEFAULT_DISPLAY, DEFAULT_PLAN } from '../../../ui/state/scenario.ts';

const SIMONS = { ...DEFAULT_PLAN, model: { id: 'simons-2022-s-ketamine-arterial' } };
const PEREZ = {
  patient: { weightKg: 70, ageYears: 40 },
  model: { id: 'perez-ruixo-2021-esketamine' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin: 240,
  resolutionSec: 10,
};

const simulate = async (plan: unknown, view: { startMin: number; endMin: number } | null = null): Promise<ScenarioOk> => {
  const o = (await api.simulate({ plans: [plan], view, buckets: 100, full: true })).outcomes[0];
  if (!o.ok) throw new Error(JSON.stringify(o.problems));
  return o;
};
const engineCm = (plan: unknown): Float64Array => {
  const r = parsePlan(plan, MODEL_IDS);
  if (!r.ok) throw new Error('invalid plan in test');
  const cm = predict(r.plan).trajectory.cm;
  if (!cm) throw new Error('the engine gave no cm');
  return cm;
};

/** A Storage over a Map (node has no localStorage): the same getItem/setItem contract. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, String(v)) };
}

describe('the worker sends the metabolite with the chart data', () => {
  it('Simons 2022: every decimated cm sample is the engine’s cm at that grid time, the peak survives, and the record names S-norketamine with its source', async () => {
    const o = await simulate(SIMONS);
    const cm = engineCm(SIMONS);
    expect(o.series.cm).toBeInstanceOf(Float64Array);
    expect(o.series.cm!.length).toBe(o.series.t.length);
    expect(o.series.t.length).toBeLessThan(cm.length); // decimated
    for (let i = 0; i < o.series.t.length; i++) {
      const j = Math.round((o.series.t[i] * 60) / 10);
      expect(o.series.cm![i]).toBe(cm[j]);
    }
    expect(Math.max(...o.series.cm!)).toBe(Math.max(...cm));
    expect(o.full?.cm).toEqual(cm);
    expect(o.model.metabolite).toMatchObject({ name: 'S-norketamine', volume: 'true' });
    expect(o.model.metabolite!.source).toContain('Simons 2022');
    expect(o.model.metabolite!.citation).toMatch(/Simons/);
    const full = await api.fullSeries(SIMONS);
    expect(full.ok && full.cm).toEqual(cm);
  });

  it('Perez-Ruixo 2021: noresketamine is sent as apparent, and a zoomed window keeps its samples in the window', async () => {
    const o = await simulate(PEREZ, { startMin: 30, endMin: 90 });
    const cm = engineCm(PEREZ);
    expect(o.model.metabolite).toMatchObject({ name: 'noresketamine (apparent)', volume: 'apparent' });
    expect(o.model.metabolite!.note).toMatch(/^APPARENT/);
    for (let i = 0; i < o.series.t.length; i++) expect(o.series.cm![i]).toBe(cm[Math.round((o.series.t[i] * 60) / 10)]);
    const inWindow = cm.subarray(30 * 6, 90 * 6 + 1);
    expect(peakInWindow(o.series.t, o.series.cm!, 30, 90)!.ngMl).toBe(Math.max(...inWindow));
  });

  it('a model without a metabolite sends no cm and no metabolite record', async () => {
    const o = await simulate(DEFAULT_PLAN);
    expect(o.series.cm).toBeUndefined();
    expect(o.full?.cm).toBeUndefined();
    expect(o.model.metabolite).toBeNull();
    expect(shownMetabolite(true, o.model.metabolite, o.series)).toBeNull();
  });
});

describe('the toggle', () => {
  it('is off by default, follows the scenario once set, else this browser’s remembered choice', () => {
    expect(DEFAULT_DISPLAY.metabolite).toBeUndefined();
    expect(metaboliteToggle(DEFAULT_DISPLAY, false)).toBe(false);
    expect(metaboliteToggle(DEFAULT_DISPLAY, true)).toBe(true);
    expect(metaboliteToggle({ ...DEFAULT_DISPLAY, metabolite: false }, true)).toBe(false);
    expect(metaboliteToggle({ ...DEFAULT_DISPLAY, metabolite: true }, false)).toBe(true);
  });

  it('is remembered as "on"/"off" under its key; no storage, a refusing storage or other text reads as off', () => {
    const s = memoryStorage();
    expect(loadMetabolitePreference(s)).toBe(false);
    expect(saveMetabolitePreference(s, true)).toBe(true);
    expect(s.map.get(METABOLITE_STORAGE_KEY)).toBe('on');
    expect(loadMetabolitePreference(s)).toBe(true);
    saveMetabolitePreference(s, false);
    expect(loadMetabolitePreference(s)).toBe(false);
    s.map.set(METABOLITE_STORAGE_KEY, 'true');
    expect(loadMetabolitePreference(s)).toBe(false);
    expect(loadMetabolitePreference(null)).toBe(false);
    const refusing = {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
      setItem: (): void => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadMetabolitePreference(refusing)).toBe(false);
    expect(saveMetabolitePreference(refusing, true)).toBe(false);
  });

  it('draws only when on and the prediction carries cm', () => {
    const info = {
      name: 'S-norketamine',
      volume: 'true' as const,
      amount: 'mg',
      source: 's',
      citation: 'c',
      note: 'n',
    };
    const cm = new Float64Array([0, 1]);
    expect(shownMetabolite(true, info, { cm })).toEqual({ info, cm });
    expect(shownMetabolite(false, info, { cm })).toBeNull();
    expect(shownMetabolite(true, info, {})).toBeNull();
    expect(shownMetabolite(true, null, { cm })).toBeNull();
  });
});

describe('legend and PNG', () => {
  it('names the metabolite series after Ce with its own colour and dash, its unit, "apparent" where it is, and that no band applies', () => {
    const items = chartLegend('Current: Simons 2022 · 70 kg', [], 'ce', { name: 'S-norketamine', volume: 'true' });
    expect(items.map((i) => i.id)).toEqual(['cp', 'ce', 'cm']);
    expect(items[2]).toEqual({
      id: 'cm',
      label: 'S-norketamine Cp (metabolite in plasma, ng/mL; not scored against the bands) — Current: Simons 2022 · 70 kg',
      color: CM_COLOR,
      dash: CM_DASH,
    });
    const apparent = chartLegend(null, [], 'ce', { name: 'noresketamine (apparent)', volume: 'apparent' })[2];
    expect(apparent.label).toBe(
      'noresketamine (apparent) Cp (metabolite in plasma, ng/mL, apparent scale; not scored against the bands)',
    );
    expect(chartLegend(null, [], 'ce').map((i) => i.id)).toEqual(['cp', 'ce']);
    const { svg } = composeSvg([{ svg: '<svg width="640" height="300"></svg>', width: 640, height: 300 }], 't', items, 'f');
    expect(svg).toContain(`stroke="${CM_COLOR}" stroke-width="3" stroke-dasharray="${CM_DASH}"`);
    expect(svg).toContain('>S-norketamine Cp (metabolite in plasma, ng/mL; not scored against the bands)');
  });

  it('peakInWindow: the largest sample inside the window and its time; null when none is inside', () => {
    const t = new Float64Array([0, 1, 2, 3, 4]);
    const v = new Float64Array([5, 1, 3, 2, 9]);
    expect(peakInWindow(t, v, 0, 4)).toEqual({ tMin: 4, ngMl: 9 });
    expect(peakInWindow(t, v, 0.5, 3.5)).toEqual({ tMin: 2, ngMl: 3 });
    expect(peakInWindow(t, v, 4.5, 5)).toBeNull();
  });
});
