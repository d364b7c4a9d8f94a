// Live chart series (solid given, dashed forecast, ghosts when on); plan summary text.
import { describe, expect, it } from 'vitest';
import { liveSeries, liveYMax } from '../../../ui/live/LiveChart.tsx';
import { regimenText } from '../../../ui/live/StartSessionPanel.tsx';
import { api, type LiveAnalysis } from '../../../workers/live-api.ts';
import { antidepressant, logOf } from '../../engine/live/fixtures.ts';
import { plan as makePlan } from '../../engine/live/fixtures.ts';

const plan = antidepressant(70);

async function analysis(): Promise<LiveAnalysis> {
  const log = logOf(plan, [{ kind: 'pause', atMin: 10 }]);
  const a = await api.analyze({
    plan,
    log: log.entries,
    nowMin: 20,
    buckets: 300,
    whatIfRates: [{ rate: 0.5, unit: 'mg/kg/h' }],
  });
  if (!a.ok) throw new Error('refused');
  return a;
}

describe("the live chart's series", () => {
  it('given so far is solid, the forecast dashed (Ce over Cp), and each what-if ghost only when switched on', async () => {
    const a = await analysis();
    const none = liveSeries(a, { paused: false, stopped: false, rate: false });
    expect(none.map((s) => [s.id, s.dash ?? 'solid'])).toEqual([
      ['forecast-cp', '6 4'],
      ['forecast-ce', '6 4'],
      ['given-cp', 'solid'],
      ['given-ce', 'solid'],
    ]);
    expect(none.find((s) => s.id === 'given-ce')!.v).toBe(a.givenSeries.ce);
    expect(none.find((s) => s.id === 'forecast-cp')!.v).toBe(a.forecastSeries.cp);
    const all = liveSeries(a, { paused: true, stopped: true, rate: true });
    expect(all.map((s) => s.id).slice(0, 3)).toEqual(['stopped', 'paused', 'rate']);
    const rate = all.find((s) => s.id === 'rate')!;
    expect(rate.className).toContain('series-ghost-rate');
    if (!a.whatIfs.rates[0].ok) throw new Error('refused');
    expect(rate.v).toBe(a.whatIfs.rates[0].series.ce);
  });

  it('a refused what-if draws no ghost', async () => {
    const log = logOf(plan, [{ kind: 'stop', atMin: 5 }]);
    const a = await api.analyze({ plan, log: log.entries, nowMin: 20, buckets: 300 });
    if (!a.ok) throw new Error('refused');
    expect(liveSeries(a, { paused: true, stopped: true, rate: true }).map((s) => s.id)).toEqual([
      'forecast-cp',
      'forecast-ce',
      'given-cp',
      'given-ce',
    ]);
  });
});

describe("the live chart's y axis (the plan chart's choices plus a fixed top)", () => {
  const bands = [
    { y1: 100, y2: 250 },
    { y1: 1200, y2: 2400 },
    { y1: 3000, y2: null },
  ];
  it('fits the curves on the linear and the log axis alike (rounded up from max + 10 %), zooms to the highest finite bound + 20 %, or holds a fixed top', () => {
    expect(liveYMax({ kind: 'fit' }, 412, bands)).toBe(500);
    expect(liveYMax({ kind: 'log' }, 412, bands)).toBe(500);
    expect(liveYMax({ kind: 'bands' }, 412, bands)).toBe(4000); // the open band's low 3000 is the highest finite bound: × 1.2 = 3600, rounded up
    expect(liveYMax({ kind: 'fixed', maxNgMl: 350 }, 412, bands)).toBe(350);
    expect(liveYMax({ kind: 'log' }, 0, [])).toBe(liveYMax({ kind: 'fit' }, 1, []));
  });
});

describe('the plan summary before a start', () => {
  it('reads every event with its units', () => {
    const p = makePlan({
      patient: { weightKg: 70 },
      model: { id: 'domino-1984' },
      regimen: [
        { at: 0, bolus: 0.25, unit: 'mg/kg' },
        { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
        { at: 50, rate: 0.3, unit: 'mg/kg/h' },
        { at: 70, rate: 0, unit: 'mg/kg/h' },
      ],
    });
    expect(regimenText(p)).toEqual([
      '0 min: bolus 0.25 mg/kg',
      '0 min: 0.5 mg/kg over 40 min',
      '50 min: rate 0.3 mg/kg/h',
      '70 min: pump to 0',
    ]);
    expect(regimenText({ ...p, regimen: [] })).toEqual(['no dose events']);
  });
});
