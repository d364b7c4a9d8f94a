// The plan's stated limits: list lengths, band ids and labels, and the engineering limits that keep every result finite.
import { describe, expect, it } from 'vitest';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { installMathjsMatrixExponential } from '../../engine/pk/mathjs-expm.ts';
import { linearFromMammillary } from '../../engine/pk/linear-system.ts';
import { mammillary } from '../../engine/pk/mammillary.ts';
import {
  BAND_ID_CHARACTERS,
  CUSTOM_VOLUME_RANGE_L,
  MAX_BAND_ID_LENGTH,
  MAX_BANDS,
  MAX_DOSE_MG,
  MAX_LABEL_LENGTH,
  MAX_RATE_MG_PER_MIN,
  MAX_REGIMEN_EVENTS,
  parsePlan,
  RATE_CONSTANT_RANGE_PER_MIN,
  type Plan,
} from '../../engine/plan.ts';
import { nonFiniteProblem, predict, predictChecked } from '../../engine/predict.ts';
import { simulate } from '../../engine/simulate.ts';
import { expectClose } from '../support/tolerance.ts';

installMathjsMatrixExponential();

/**
 * Limits a real clinic or research plan never reaches but that keep the dashboard responsive and the
 * numbers finite (docs/PLAN-FORMAT.md "Errors": nothing is clamped, everything refused names its field).
 * Each limit is a named export of engine/plan.ts, quoted in the message, and accepted exactly at its value.
 */
// biome-ignore lint/suspicious/noExplicitAny: a raw plan-format JSON fixture, deliberately mutated into invalid shapes
type Json = any;
const plan = (): Json => ({
  patient: { weightKg: 70, ageYears: 40 },
  model: { id: 'domino-1984' },
  regimen: [{ at: 0, bolus: 1, unit: 'mg/kg' }],
  horizonMin: 60,
  resolutionSec: 60,
});
const problems = (p: Json) => {
  const r = parsePlan(p, MODEL_IDS);
  return r.ok ? [] : r.problems;
};
const accepted = (p: Json) => {
  const r = parsePlan(p, MODEL_IDS);
  if (!r.ok) throw new Error(r.problems.map((x) => `${x.path}: ${x.message}`).join('; '));
  return r.plan;
};

describe('lists and text', () => {
  it(`regimen: at most ${MAX_REGIMEN_EVENTS} events (one problem, not one per event)`, () => {
    const p = plan();
    p.regimen = Array.from({ length: MAX_REGIMEN_EVENTS }, (_, i) => ({ at: i / 10, bolus: 0.01, unit: 'mg' }));
    expect(accepted(p).regimen).toHaveLength(MAX_REGIMEN_EVENTS);
    p.regimen = Array.from({ length: 10_000 }, (_, i) => ({ at: i / 10, bolus: 0.01, unit: 'mg' }));
    expect(problems(p)).toEqual([{ path: 'regimen', message: `at most ${MAX_REGIMEN_EVENTS} dose events, got 10000` }]);
  });

  it(`thresholds: at most ${MAX_BANDS} bands`, () => {
    const p = plan();
    p.thresholds = Array.from({ length: MAX_BANDS }, (_, i) => ({ id: `band ${i}`, lowNgMl: i }));
    expect(accepted(p).thresholds).toHaveLength(MAX_BANDS);
    p.thresholds.push({ id: 'one more', lowNgMl: 1 });
    expect(problems(p)).toEqual([{ path: 'thresholds', message: `at most ${MAX_BANDS} bands, got ${MAX_BANDS + 1}` }]);
  });

  it(`band ids: at most ${MAX_BAND_ID_LENGTH} characters of ${BAND_ID_CHARACTERS}`, () => {
    const p = plan();
    for (const id of ['dissociation', 'Analgésie 2', 'high_dose-band', 'é'.repeat(MAX_BAND_ID_LENGTH)]) {
      p.thresholds = [{ id, lowNgMl: 100 }];
      expect(accepted(p).thresholds![0].id).toBe(id);
    }
    p.thresholds = [{ id: 'x'.repeat(MAX_BAND_ID_LENGTH + 1), lowNgMl: 100 }];
    expect(problems(p)).toEqual([
      {
        path: 'thresholds[0].id',
        message: `must be at most ${MAX_BAND_ID_LENGTH} characters of ${BAND_ID_CHARACTERS}, got ${MAX_BAND_ID_LENGTH + 1}`,
      },
    ]);
    p.thresholds = [{ id: 'x'.repeat(3_000_000), lowNgMl: 100 }];
    expect(problems(p).map((x) => x.path)).toEqual(['thresholds[0].id']);
    for (const id of ['SAFE: no monitoring needed', 'a/b', 'line\nbreak', '<b>bold</b>', 'tab\there']) {
      p.thresholds = [{ id, lowNgMl: 100 }];
      const got = problems(p);
      expect(
        got.map((x) => x.path),
        id,
      ).toEqual(['thresholds[0].id']);
      expect(got[0].message).toContain(`may use only ${BAND_ID_CHARACTERS}`);
    }
  });

  it(`label: at most ${MAX_LABEL_LENGTH} characters (code points), one line, no text-direction controls`, () => {
    const p = plan();
    p.label = '😀'.repeat(MAX_LABEL_LENGTH); // 400 UTF-16 units, 200 characters
    expect(accepted(p).label).toBe(p.label);
    p.label = 'x'.repeat(MAX_LABEL_LENGTH + 1);
    expect(problems(p)).toEqual([
      { path: 'label', message: `must be at most ${MAX_LABEL_LENGTH} characters, got ${MAX_LABEL_LENGTH + 1}` },
    ]);
    p.label = 'Plan A\nSAFE: no monitoring needed';
    expect(problems(p)).toEqual([
      {
        path: 'label',
        message: 'must be one line of text without control or text-direction characters, got U+000A at character 7',
      },
    ]);
    p.label = 'dose \u202Egm 05\u202C';
    expect(problems(p)[0].message).toContain('U+202E at character 6');
  });
});

describe('engineering limits (not physiology): custom models, doses and rates', () => {
  const custom = { v1: 20, k10: 0.06, k12: 0.1, k21: 0.04, k13: 0.05, k31: 0.008, ke0: 0.3 };
  const [vLo, vHi] = CUSTOM_VOLUME_RANGE_L;
  const [kLo, kHi] = RATE_CONSTANT_RANGE_PER_MIN;

  it('v1 = 1e-300 L (measured: 8.7e302 ng/mL, exit 0) is refused naming model.v1 and the limit', () => {
    const got = problems({ ...plan(), model: { ...custom, v1: 1e-300 } });
    expect(got).toEqual([
      {
        path: 'model.v1',
        message: `must be between ${vLo} and ${vHi} L (an engineering limit that keeps every result a finite number, not a clinical limit), got 1e-300`,
      },
    ]);
  });

  it('every volume, rate constant and ke0 is held to its limit, in both model forms and as a registry ke0 override', () => {
    for (const key of ['k10', 'k12', 'k21', 'k13', 'k31', 'ke0']) {
      for (const v of [kLo / 2, kHi * 2]) {
        const got = problems({ ...plan(), model: { ...custom, [key]: v } });
        expect(
          got.map((x) => x.path),
          `${key} ${v}`,
        ).toEqual([`model.${key}`]);
        expect(got[0].message).toContain(`between ${kLo} and ${kHi} /min`);
      }
    }
    const cl = { v1: 20, cl1: 1.2, v2: 50, cl2: 2, v3: 150, cl3: 0.8, ke0: 0.3 };
    for (const key of ['v1', 'v2', 'v3'])
      expect(problems({ ...plan(), model: { ...cl, [key]: 2e5 } })[0].path).toBe(`model.${key}`);
    // A clearance is checked through the rate constants it gives: cl2 = 600 L/min gives k12 = 30 and k21 = 12 /min.
    const got = problems({ ...plan(), model: { ...cl, cl2: 600 } });
    expect(got.map((x) => x.path)).toEqual(['model.cl2']);
    expect(got[0].message).toMatch(
      /^gives k12 = cl2\/v1 = 30 \/min and k21 = cl2\/v2 = 12 \/min; rate constants must be between/,
    );
    expect(problems({ ...plan(), model: { id: 'kamp-2020', ke0: 1e3 } }).map((x) => x.path)).toEqual(['model.ke0']);
    expect(accepted({ ...plan(), model: { id: 'kamp-2020', ke0: kHi } }).model).toEqual({ id: 'kamp-2020', ke0: kHi });
  });

  it('a 1e308-mg bolus (measured: null in the output) is refused naming the event field; doses and rates in mg after unit conversion', () => {
    const p = plan();
    p.regimen = [{ at: 0, bolus: 1e308, unit: 'mg' }];
    expect(problems(p)).toEqual([
      {
        path: 'regimen[0].bolus',
        message: `1e+308 mg is 1e+308 mg; one dose may be at most ${MAX_DOSE_MG} mg (100 g; an engineering limit that keeps every result a finite number, not a clinical limit)`,
      },
    ]);
    p.regimen = [{ at: 0, bolus: MAX_DOSE_MG / 70 + 1, unit: 'mg/kg' }];
    expect(problems(p).map((x) => x.path)).toEqual(['regimen[0].bolus']);
    p.regimen = [{ at: 0, dose: MAX_DOSE_MG, unit: 'mg', overMin: 1 }];
    expect(problems(p).map((x) => x.path)).toEqual(['regimen[0].overMin']);
    expect(problems(p)[0].message).toContain(`at most ${MAX_RATE_MG_PER_MIN} mg/min`);
    p.regimen = [{ at: 0, rate: (MAX_RATE_MG_PER_MIN * 60) / 70 + 1, unit: 'mg/kg/h' }];
    expect(problems(p).map((x) => x.path)).toEqual(['regimen[0].rate']);
    // An invalid weight is its own problem; the per-kg limit is not guessed without it.
    expect(problems({ ...p, patient: { weightKg: 0 } }).map((x) => x.path)).toEqual(['patient.weightKg']);
  });

  it('the largest accepted values work: every corner of the limits gives finite, non-negative cp and ce that the matrix exponential confirms', () => {
    const ks = [kLo, kHi];
    let worst = 0;
    let cases = 0;
    for (const v1 of [vLo, vHi])
      for (const k10 of ks)
        for (const k12 of ks)
          for (const k21 of ks)
            for (const k13 of ks)
              for (const k31 of ks)
                for (const ke0 of ks) {
                  const p = accepted({
                    patient: { weightKg: 400 },
                    model: { v1, k10, k12, k21, k13, k31, ke0 },
                    regimen: [
                      { at: 0, bolus: MAX_DOSE_MG, unit: 'mg' },
                      { at: 0.5, rate: MAX_RATE_MG_PER_MIN, unit: 'mg/min' },
                      { at: 3.25, rate: 0, unit: 'mg/min' },
                    ],
                    horizonMin: 30,
                    resolutionSec: 30,
                  });
                  const checked = predictChecked(p);
                  expect(checked.ok).toBe(true);
                  if (!checked.ok) return;
                  const { cp, ce } = checked.prediction.trajectory;
                  let peak = 0;
                  for (let j = 0; j < cp.length; j++) peak = Math.max(peak, cp[j], ce[j]);
                  for (let j = 0; j < cp.length; j++) {
                    expect(cp[j]).toBeGreaterThanOrEqual(-1e-12 * peak);
                    expect(ce[j]).toBeGreaterThanOrEqual(-1e-12 * peak);
                  }
                  // The general path (matrix exponential of the same system) as the independent check.
                  const general = simulate(
                    linearFromMammillary(mammillary(v1, k10, k12, k21, k13, k31)),
                    ke0,
                    checked.prediction.actions,
                    { resolutionSec: 30, count: cp.length },
                  );
                  expectClose(cp, general.cp, 1e-6, `cp ${JSON.stringify({ v1, k10, k12, k21, k13, k31, ke0 })}`);
                  expectClose(ce, general.ce, 1e-6, 'ce');
                  worst = Math.max(worst, peak);
                  cases++;
                }
    expect(cases).toBe(128); // 2 volumes × 2⁶ rate-constant corners
    // (1e5 mg + 1e4 mg/min × 2.75 min) / 1e-3 L = 1.275e8 mg/L = 1.275e11 ng/mL at most: finite with room to spare.
    expect(worst).toBeLessThanOrEqual(1.275e11 * (1 + 1e-12));
    expect(worst).toBeGreaterThan(1e10);
  });

  it('the whole horizon at the largest dose and rate on the smallest volume stays finite (7 days, 1,000 boluses)', () => {
    const p = accepted({
      patient: { weightKg: 400 },
      model: { v1: vLo, k10: kLo, ke0: kLo },
      regimen: [
        ...Array.from({ length: MAX_REGIMEN_EVENTS - 1 }, (_, i) => ({ at: i, bolus: MAX_DOSE_MG, unit: 'mg' })),
        { at: 0, rate: MAX_RATE_MG_PER_MIN, unit: 'mg/min' },
      ],
      horizonMin: 10080,
      resolutionSec: 3600,
    });
    const checked = predictChecked(p);
    expect(checked.ok).toBe(true);
    if (checked.ok) for (const x of checked.prediction.trajectory.cp) expect(Number.isFinite(x)).toBe(true);
  });
});

describe('predictChecked: a plan that bypassed parsePlan gets the same refusals, and a non-finite result names its cause', () => {
  const built = (over: Partial<Plan>): Plan => ({ ...(plan() as Plan), ...over });

  it('a Plan built in code with a 1e308-mg bolus: the problem names regimen[0].bolus, where predict() gives Infinity/NaN', () => {
    const p = built({ regimen: [{ at: 0, bolus: 1e308, unit: 'mg' }] });
    const raw = predict(p).trajectory.cp;
    expect(raw.some((x) => !Number.isFinite(x))).toBe(true);
    const r = predictChecked(p);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((x) => x.path)).toEqual(['regimen[0].bolus']);
  });

  it('a Plan built in code with v1 = 1e-300: the problem names model.v1', () => {
    const r = predictChecked(built({ model: { v1: 1e-300, k10: 0.1, ke0: 0.3 } }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((x) => x.path)).toEqual(['model.v1']);
  });
});

describe('nonFiniteProblem: the cause of a non-finite result, for a prediction made without the checks', () => {
  it('names the dose event whose drug overflows, and where', () => {
    const p = {
      ...(plan() as Plan),
      regimen: [
        { at: 0, bolus: 1, unit: 'mg' as const },
        { at: 5, bolus: 1e308, unit: 'mg' as const },
      ],
    };
    const prediction = predict(p);
    expect(nonFiniteProblem(p, prediction)).toEqual({
      path: 'regimen[1]',
      message:
        'the prediction is not a finite number (cp at t = 5 min), after this event (at 5 min): its dose or rate is too large to compute with this model (central volume 4.41 L)',
    });
    expect(nonFiniteProblem(plan() as Plan, predict(plan() as Plan))).toBeNull();
  });
  it('names a model parameter that is not a finite number > 0', () => {
    const p = { ...(plan() as Plan), model: { v1: 20, k10: Number.NaN, ke0: 0.3 } };
    const problem = nonFiniteProblem(p, predict(p));
    expect(problem?.path).toBe('model.k10');
    expect(problem?.message).toContain('parameter k10 is NaN');
  });
});
