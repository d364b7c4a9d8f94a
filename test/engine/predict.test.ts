// predict()'s warnings against the contract (docs/PLAN-FORMAT.md "Dose events", "Warnings"): overlapping-doses, after-horizon, derived ke0.
import { describe, expect, it } from 'vitest';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { parsePlan } from '../../engine/plan.ts';
import { predict } from '../../engine/predict.ts';

type Json = any;
const base = (regimen: Json[], over: Json = {}): Json => ({
  patient: { weightKg: 70, ageYears: 40 },
  model: { id: 'domino-1984' },
  regimen,
  horizonMin: 120,
  resolutionSec: 60,
  ...over,
});
const warnings = (p: Json, code: string) => {
  const r = parsePlan(p, MODEL_IDS);
  if (!r.ok) throw new Error(r.problems.map((x) => `${x.path}: ${x.message}`).join('; '));
  return predict(r.plan)
    .warnings.filter((w) => w.code === code)
    .map((w) => w.message);
};

describe('overlapping-doses: a dose over a duration starting while another runs (one pump)', () => {
  it('names both events, when the second starts and until when the first runs, and where the pump stops', () => {
    const msgs = warnings(
      base([
        { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
        { at: 10, dose: 20, unit: 'mg', overMin: 60 },
      ]),
      'overlapping-doses',
    );
    expect(msgs).toEqual([
      'regimen[1] starts at 10 min while regimen[0] runs until 40 min: one pump, so regimen[1] replaces regimen[0] and the pump stops at 40 min (the end of regimen[0]): less than the two doses is given. Give one event with the combined rate, or start the second when the first ends',
    ]);
  });

  it('the stop is the first of the two ends, whichever event it belongs to; file order does not matter', () => {
    const msgs = warnings(
      base([
        { at: 5, dose: 10, unit: 'mg', overMin: 5 },
        { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
      ]),
      'overlapping-doses',
    );
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatch(
      /^regimen\[0\] starts at 5 min while regimen\[1\] runs until 40 min: .* stops at 10 min \(the end of regimen\[0\]\)/,
    );
  });

  it('two doses starting at the same instant: one warning, the later in the list replacing the earlier', () => {
    const msgs = warnings(
      base([
        { at: 3, dose: 10, unit: 'mg', overMin: 20 },
        { at: 3, dose: 10, unit: 'mg', overMin: 30 },
      ]),
      'overlapping-doses',
    );
    expect(msgs).toEqual([
      expect.stringMatching(
        /^regimen\[0\] and regimen\[1\] both start at 3 min .* regimen\[1\] replaces regimen\[0\] .* stops at 23 min/,
      ),
    ]);
  });

  it('back to back is not an overlap, even with float noise in at + overMin; but listed before the dose it follows, its start is cancelled', () => {
    expect(
      warnings(
        base([
          { at: 0.1, dose: 10, unit: 'mg', overMin: 0.2 },
          { at: 0.30000000000000004, dose: 10, unit: 'mg', overMin: 10 },
          { at: 60, rate: 1 },
        ]),
        'overlapping-doses',
      ),
    ).toEqual([]);
    const msgs = warnings(
      base([
        { at: 40, dose: 10, unit: 'mg', overMin: 10 },
        { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
      ]),
      'overlapping-doses',
    );
    expect(msgs).toEqual([
      expect.stringContaining('regimen[0] starts at 40 min, the instant regimen[1] ends, but is listed before it'),
    ]);
    // It really is not given: nothing is infused after 40 min.
    const r = parsePlan(
      base([
        { at: 40, dose: 10, unit: 'mg', overMin: 10 },
        { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
      ]),
      MODEL_IDS,
    );
    if (!r.ok) throw new Error('refused');
    const after = predict(r.plan).actions.filter((a) => a.t >= 40);
    expect(after.map((a) => [a.t, a.rateMgPerMin])).toEqual([
      [40, 0],
      [50, 0],
    ]);
  });

  it('a rate change or a bolus during a dose is not this warning (the contract names doses over a duration)', () => {
    expect(
      warnings(
        base([
          { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
          { at: 25, rate: 0 },
          { at: 28, rate: 0.75, unit: 'mg/kg/h' },
          { at: 30, bolus: 10, unit: 'mg' },
        ]),
        'overlapping-doses',
      ),
    ).toEqual([]);
  });
});

describe('after-horizon and derived-ke0', () => {
  it('after-horizon names each late event and its time (an event at the horizon shows, so it is not late)', () => {
    expect(
      warnings(
        base([
          { at: 120, bolus: 1, unit: 'mg' },
          { at: 130, bolus: 1, unit: 'mg' },
          { at: 0, bolus: 1, unit: 'mg' },
        ]),
        'after-horizon',
      ),
    ).toEqual(['regimen[1] (at 130 min) starts after horizonMin (120 min) and does not show in the prediction']);
    const many = warnings(base(Array.from({ length: 8 }, (_, i) => ({ at: 200 + i, bolus: 1, unit: 'mg' }))), 'after-horizon');
    expect(many).toEqual([
      'regimen[0] (at 200 min), regimen[1] (at 201 min), regimen[2] (at 202 min), regimen[3] (at 203 min), regimen[4] (at 204 min) and 3 more start after horizonMin (120 min) and do not show in the prediction',
    ]);
  });

  it('derived-ke0 states the value in use and that model.ke0 overrides it; no such warning with an override or a published ke0', () => {
    const r = parsePlan(base([], { model: { id: 'kamp-2020' } }), MODEL_IDS);
    if (!r.ok) throw new Error('refused');
    const p = predict(r.plan);
    const msgs = p.warnings.filter((w) => w.code === 'derived-ke0').map((w) => w.message);
    expect(msgs).toEqual([
      `Kamp 2020 has no published ke0; using a derived ke0 of ${p.model.ke0.toPrecision(3)} /min (the same time to peak effect as Domino 1984 with its published 0.238 /min); model.ke0 overrides it`,
    ]);
    expect(warnings(base([], { model: { id: 'kamp-2020', ke0: 0.5 } }), 'derived-ke0')).toEqual([]);
    expect(warnings(base([]), 'derived-ke0')).toEqual([]);
  });

  it('outside-population names the range and its basis for weight and age; every registry model checks both', () => {
    const msgs = warnings(
      base([], { patient: { weightKg: 400, ageYears: 120 }, model: { id: 'perez-ruixo-2021-esketamine' } }),
      'outside-population',
    );
    expect(msgs).toEqual([
      'patient.weightKg 400 kg is outside the Perez-Ruixo 2021 (esketamine) population (39–170 kg, study range); the prediction is an extrapolation',
      'patient.ageYears 120 years is outside the Perez-Ruixo 2021 (esketamine) population (18–86 years, study range); the prediction is an extrapolation',
    ]);
  });
});
