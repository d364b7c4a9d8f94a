// predict()'s warnings against the contract (docs/PLAN-FORMAT.md "Dose events", "Warnings"): overlapping-doses, after-horizon, derived ke0, dose safety, S-ketamine bands and ke0.
import { describe, expect, it } from 'vitest';
import { findModel, MODEL_IDS, MODELS } from '../../engine/models/registry.ts';
import { parsePlan } from '../../engine/plan.ts';
import { predict, predictChecked } from '../../engine/predict.ts';
import { DEFAULT_DOSE_LIMITS, doseSafetyWarnings } from '../../engine/safety/dose-safety.ts';
import { defaultBandSetForModel, ke0Choices, NAMED_KE0_MODELS } from '../../engine/pd/s-ketamine-bands.ts';

// biome-ignore lint/suspicious/noExplicitAny: a raw plan-format JSON fixture, deliberately mutated into invalid shapes
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

describe('dose safety in predict() and predictChecked() (dose-above-limit, dose-unit-suspect)', () => {
  const plan82 = (regimen: Json[]) => {
    const r = parsePlan(base(regimen, { patient: { weightKg: 82, ageYears: 40 }, horizonMin: 240 }), MODEL_IDS);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.plan;
  };
  const codes = (ws: readonly { code: string }[]) => ws.map((w) => w.code).filter((c) => c.startsWith('dose-'));

  it('50 mg/kg over 40 min for 82 kg warns dose-above-limit with doseSafetyWarnings’ message; the result is unchanged', () => {
    const p = plan82([{ at: 0, dose: 50, unit: 'mg/kg', overMin: 40 }]);
    const got = predict(p);
    expect(got.warnings.filter((w) => w.code === 'dose-above-limit')).toEqual(doseSafetyWarnings(p));
    expect(got.warnings.find((w) => w.code === 'dose-above-limit')!.message).toContain(
      '(4,100 mg) is above the single-dose limit of 4.5 mg/kg',
    );
    // A warning never changes a result: the same numbers with the check switched off.
    const off = predict(p, { ...DEFAULT_DOSE_LIMITS, singleDoseMgPerKg: null });
    expect(codes(off.warnings)).toEqual([]);
    expect(Array.from(off.trajectory.ce)).toEqual(Array.from(got.trajectory.ce));
  });

  it('0.5 mg (not mg/kg) for 82 kg warns dose-unit-suspect; 0.5 mg/kg over 40 min warns nothing', () => {
    expect(codes(predict(plan82([{ at: 0, dose: 0.5, unit: 'mg', overMin: 40 }])).warnings)).toEqual(['dose-unit-suspect']);
    expect(codes(predict(plan82([{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }])).warnings)).toEqual([]);
  });

  it('predictChecked passes clinic limits through: a raised single-dose limit silences the warning, a total limit adds one', () => {
    const p = plan82([{ at: 0, dose: 50, unit: 'mg/kg', overMin: 40 }]);
    const clinic = (value: number) => ({
      value,
      unit: 'mg/kg' as const,
      basis: 'clinic' as const,
      citation: 'test clinic',
      label: 'test clinic',
    });
    const raised = predictChecked(p, { ...DEFAULT_DOSE_LIMITS, singleDoseMgPerKg: clinic(60) });
    expect(raised.ok && codes(raised.prediction.warnings)).toEqual([]);
    const total = predictChecked(p, { ...DEFAULT_DOSE_LIMITS, singleDoseMgPerKg: clinic(60), totalDoseMgPerKg: clinic(10) });
    expect(total.ok && total.prediction.warnings.map((w) => w.message).filter((m) => m.startsWith('regimen: the total'))).toEqual(
      [
        'regimen: the total of 4,100 mg (50 mg/kg) given over the 240-min plan is above the total-dose limit of 10 mg/kg (820 mg for 82 kg; test clinic)',
      ],
    );
    const def = predictChecked(p);
    expect(def.ok && codes(def.prediction.warnings)).toEqual(['dose-above-limit']);
  });

  it('malformed limits are a programmer error naming the field', () => {
    const bad = { ...DEFAULT_DOSE_LIMITS, rateMgPerKgPerH: { ...DEFAULT_DOSE_LIMITS.rateMgPerKgPerH!, value: -1 } };
    expect(() => predict(plan82([{ at: 0, rate: 1, unit: 'mg/kg/h' }]), bad)).toThrow(
      'limits.rateMgPerKgPerH.value: must be a number > 0',
    );
  });
});

describe('S-ketamine models: their own bands, and Olofsen 2022’s ke0 as a labelled transfer', () => {
  const fanta = (model: Json = { id: 'fanta-2015-s-ketamine' }, over: Json = {}) => {
    const r = parsePlan(
      base([{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }], { patient: { weightKg: 82, ageYears: 40 }, model, ...over }),
      MODEL_IDS,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.plan;
  };

  it('a plan without thresholds on an S-ketamine model warns s-ketamine-bands (the set’s notice); with thresholds, or a racemic model, it does not', () => {
    for (const id of NAMED_KE0_MODELS['olofsen-2022']) {
      const ws = predict(fanta({ id })).warnings.filter((w) => w.code === 's-ketamine-bands');
      expect(ws.map((w) => w.message)).toEqual([defaultBandSetForModel(findModel(id)!).notice]);
    }
    expect(predict(fanta(undefined, { thresholds: [{ id: 'mine', lowNgMl: 50 }] })).warnings.map((w) => w.code)).not.toContain(
      's-ketamine-bands',
    );
    expect(predict(fanta({ id: 'domino-1984' })).warnings.map((w) => w.code)).not.toContain('s-ketamine-bands');
  });

  it('Fanta 2015 with "ke0": "olofsen-2022": ke0 = ln 2 / 8.3 /min, source "transferred", with its citation and a warning', () => {
    const p = predict(fanta({ id: 'fanta-2015-s-ketamine', ke0: 'olofsen-2022' }));
    expect(p.model.ke0).toBe(Math.LN2 / 8.3);
    expect(p.model.ke0Source).toBe('transferred');
    expect(p.model.ke0Citation).toContain('Olofsen E, Kamp J');
    expect(p.model.ke0Citation).toContain('doi:10.1097/ALN.0000000000004176');
    expect(p.model.ke0Citation).toContain('transferred to Fanta');
    expect(p.warnings.find((w) => w.code === 'transferred-ke0')!.message).toMatch(/t½ke0 8\.3 min.*a transfer, not an estimate$/);
    expect(p.warnings.map((w) => w.code)).not.toContain('derived-ke0');
    // The same numbers as giving the value as a number override.
    const num = predict(fanta({ id: 'fanta-2015-s-ketamine', ke0: Math.LN2 / 8.3 }));
    expect(Array.from(p.trajectory.ce)).toEqual(Array.from(num.trajectory.ce));
    expect(num.model.ke0Source).toBe('override');
    expect(num.model.ke0Citation).toBeUndefined();
  });

  it('parsePlan refuses "olofsen-2022" for a racemic model, naming model.ke0 and the models it applies to; and an unknown name', () => {
    const r = parsePlan(base([], { model: { id: 'domino-1984', ke0: 'olofsen-2022' } }), MODEL_IDS);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([
      {
        path: 'model.ke0',
        message:
          '"olofsen-2022" is a ke0 for S-ketamine concentrations and applies only to fanta-2015-s-ketamine, simons-2022-s-ketamine-arterial, flint-2017-s-ketamine-picu, perez-ruixo-2021-esketamine, not to domino-1984; give a number (1/min) or leave ke0 out',
      },
    ]);
    const u = parsePlan(base([], { model: { id: 'fanta-2015-s-ketamine', ke0: 'olofsen' } }), MODEL_IDS);
    expect(!u.ok && u.problems.map((p) => p.path + ': ' + p.message)).toEqual([
      'model.ke0: must be a number > 0 (1/min) or one of "olofsen-2022", got "olofsen"',
    ]);
  });

  it('NAMED_KE0_MODELS lists exactly the models ke0Choices offers Olofsen 2022 to', () => {
    const offered = MODELS.filter((m) => ke0Choices(m).some((c) => c.choice === 'olofsen-2022')).map((m) => m.id);
    expect([...NAMED_KE0_MODELS['olofsen-2022']]).toEqual(offered);
  });
});
