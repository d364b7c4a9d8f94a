// Ce at onset = `predict()` and one-compartment closed form (incl. property); summary statistics; field errors.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkPersonalBandInput, personalBand, summarise, type OnsetSession } from '../../../engine/pd/personal-band.ts';
import { predict } from '../../../engine/predict.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import type { DoseEvent, ModelRef, Plan } from '../../../engine/plan.ts';
import type { Patient } from '../../../engine/patient.ts';
import { expectNear } from '../../support/tolerance.ts';

const patient: Patient = { weightKg: 70, ageYears: 40, sex: 'female', heightCm: 168 };
const domino: ModelRef = { id: 'domino-1984' };

/** Ce and Cp at minute `at` from predict() on a grid that has `at` as a point. */
function predictAt(
  model: ModelRef,
  p: Patient,
  regimen: readonly DoseEvent[],
  durationMin: number,
  at: number,
  resolutionSec: number,
) {
  const plan: Plan = { patient: p, model, regimen, horizonMin: durationMin, resolutionSec };
  const { trajectory } = predict(plan);
  const j = Math.round((at * 60) / resolutionSec);
  expect(Math.abs(trajectory.t[j] - at)).toBeLessThan(1e-9);
  return { ce: trajectory.ce[j], cp: trajectory.cp[j] };
}

// What was actually given: the antidepressant protocol with a pause and a restart at a lower rate; a
// bolus then an infusion; a dose over time interrupted by a rate change.
const sessions: OnsetSession[] = [
  {
    regimen: [
      { at: 0, rate: 0.75, unit: 'mg/kg/h' },
      { at: 12, rate: 0, unit: 'mg/kg/h' },
      { at: 15, rate: 0.5, unit: 'mg/kg/h' },
      { at: 40, rate: 0, unit: 'mg/kg/h' },
    ],
    onsetMin: 17.5,
    durationMin: 40,
  },
  {
    regimen: [
      { at: 0, bolus: 0.1, unit: 'mg/kg' },
      { at: 0, rate: 0.6, unit: 'mg/kg/h' },
      { at: 30, rate: 0, unit: 'mg/kg/h' },
    ],
    onsetMin: 6,
    durationMin: 30,
  },
  {
    regimen: [
      { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
      { at: 20, rate: 1, unit: 'mg/kg/h' },
      { at: 25, rate: 0, unit: 'mg/kg/h' },
    ],
    onsetMin: 22.25,
    durationMin: 45,
  },
];

describe('personal band', () => {
  it('Ce (and Cp) at each onset equal predict() of the regimen actually given, at that minute', () => {
    const r = personalBand({ patient, model: domino, sessions });
    expect(r.sessions).toHaveLength(3);
    sessions.forEach((s, i) => {
      const ref = predictAt(domino, patient, s.regimen, s.durationMin, s.onsetMin, 15);
      expect(r.sessions[i].session).toBe(i);
      expect(r.sessions[i].onsetMin).toBe(s.onsetMin);
      expectNear(r.sessions[i].ceNgMl, ref.ce, 1e-12, `session ${i} ce`);
      expectNear(r.sessions[i].cpNgMl, ref.cp, 1e-12, `session ${i} cp`);
      expect(r.sessions[i].ke0PerMin).toBe(0.238);
    });
    expect(r.ke0PerMin).toBe(0.238);
    expect(r.ke0Source).toBe('published');
  });

  it('matches the closed form of a one-compartment model at constant rate (an independent solution)', () => {
    // Cp = R/CL·(1 − e^{−k t}); Ce = R/CL·[1 − (ke0·e^{−k t} − k·e^{−ke0 t})/(ke0 − k)], k = CL/V.
    const v1 = 20,
      cl1 = 1,
      ke0 = 0.3,
      k = cl1 / v1,
      R = 2; // L, L/min, 1/min, mg/min
    const model: ModelRef = { v1, cl1, ke0 };
    const t = 13.7;
    const r = personalBand({
      patient,
      model,
      sessions: [{ regimen: [{ at: 0, rate: R, unit: 'mg/min' }], onsetMin: t, durationMin: 30 }],
    });
    const css = (R / cl1) * 1000;
    expectNear(r.sessions[0].cpNgMl, css * (1 - Math.exp(-k * t)), 1e-12, 'cp');
    expectNear(r.sessions[0].ceNgMl, css * (1 - (ke0 * Math.exp(-k * t) - k * Math.exp(-ke0 * t)) / (ke0 - k)), 1e-12, 'ce');
    expect(r.ke0Source).toBe('custom');
  });

  it('any regimen, model and onset: Ce at onset equals predict() at that minute (property)', () => {
    const event = fc.oneof(
      fc
        .record({ at: fc.integer({ min: 0, max: 1800 }), rate: fc.double({ min: 0, max: 3, noNaN: true }) })
        .map((e) => ({ at: e.at / 60, rate: e.rate, unit: 'mg/kg/h' as const })),
      fc
        .record({ at: fc.integer({ min: 0, max: 1800 }), bolus: fc.double({ min: 0, max: 0.5, noNaN: true }) })
        .map((e) => ({ at: e.at / 60, bolus: e.bolus, unit: 'mg/kg' as const })),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...MODEL_IDS),
        fc.array(event, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 1800 }),
        fc.double({ min: 20, max: 120, noNaN: true }),
        (id, regimen, onsetSec, w) => {
          const p = { ...patient, weightKg: w };
          const r = personalBand({
            patient: p,
            model: { id },
            sessions: [{ regimen, onsetMin: onsetSec / 60, durationMin: 30 }],
          });
          const ref = predictAt({ id }, p, regimen, 30, onsetSec / 60, 1);
          expect(Math.abs(r.sessions[0].ceNgMl - ref.ce)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref.ce)));
          expect(Math.abs(r.sessions[0].cpNgMl - ref.cp)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref.cp)));
        },
      ),
      { numRuns: 30, seed: 11 },
    );
  });

  it('a session with its own patient (a changed weight) is predicted for that patient', () => {
    const s: OnsetSession = { ...sessions[0], patient: { ...patient, weightKg: 82 } };
    const r = personalBand({ patient, model: { id: 'kamp-2020' }, sessions: [s] });
    const ref = predictAt({ id: 'kamp-2020' }, { ...patient, weightKg: 82 }, s.regimen, s.durationMin, s.onsetMin, 15);
    expectNear(r.sessions[0].ceNgMl, ref.ce, 1e-12, 'ce at 82 kg');
    // Kamp 2020 has a derived ke0 that depends on the patient's parameters, reported per session.
    expect(r.sessions[0].ke0PerMin).not.toBe(r.ke0PerMin);
  });

  it('summarises Ce at onset: n, mean, sample SD (n − 1), min, max', () => {
    const r = personalBand({ patient, model: domino, sessions });
    const ce = r.sessions.map((s) => s.ceNgMl);
    const mean = (ce[0] + ce[1] + ce[2]) / 3;
    const sd = Math.sqrt(((ce[0] - mean) ** 2 + (ce[1] - mean) ** 2 + (ce[2] - mean) ** 2) / 2);
    expect(r.ce.n).toBe(3);
    expectNear(r.ce.meanNgMl!, mean, 1e-14, 'mean');
    expectNear(r.ce.sdNgMl!, sd, 1e-12, 'sd');
    expect(r.ce.minNgMl).toBe(Math.min(...ce));
    expect(r.ce.maxNgMl).toBe(Math.max(...ce));
    expect(r.cp.n).toBe(3);
  });

  it('summarise(values) on known numbers; one value has no SD; none has no statistics', () => {
    expect(summarise([100, 120, 140])).toEqual({ n: 3, meanNgMl: 120, sdNgMl: 20, minNgMl: 100, maxNgMl: 140 });
    expect(summarise([2, 4, 4, 4, 5, 5, 7, 9]).sdNgMl).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(summarise([150])).toEqual({ n: 1, meanNgMl: 150, sdNgMl: null, minNgMl: 150, maxNgMl: 150 });
    expect(summarise([])).toEqual({ n: 0, meanNgMl: null, sdNgMl: null, minNgMl: null, maxNgMl: null });
    expect(personalBand({ patient, model: domino, sessions: [] }).ce.n).toBe(0);
  });

  it('an onset outside its session is an error naming the field', () => {
    const late = [sessions[0], { ...sessions[1], onsetMin: 31 }];
    expect(() => personalBand({ patient, model: domino, sessions: late })).toThrow(
      /^sessions\[1\]\.onsetMin: must be within the session: 0 < onsetMin ≤ durationMin \(30 min\), got 31$/,
    );
    expect(() => personalBand({ patient, model: domino, sessions: [{ ...sessions[0], onsetMin: 0 }] })).toThrow(
      /sessions\[0\]\.onsetMin: .*got 0/,
    );
    expect(() => personalBand({ patient, model: domino, sessions: [{ ...sessions[0], onsetMin: -2 }] })).toThrow(
      /sessions\[0\]\.onsetMin/,
    );
    expect(() => personalBand({ patient, model: domino, sessions: [{ ...sessions[0], onsetMin: NaN }] })).toThrow(
      /sessions\[0\]\.onsetMin/,
    );
  });

  it('other invalid input names its field too', () => {
    const paths = (s: OnsetSession[], p: Patient = patient, m: ModelRef = domino) =>
      checkPersonalBandInput({ patient: p, model: m, sessions: s }).map((x) => x.path);
    expect(paths([{ ...sessions[0], regimen: [{ at: 50, rate: 1, unit: 'mg/kg/h' }] }])).toEqual(['sessions[0].regimen[0].at']);
    expect(paths([sessions[0], { ...sessions[1], regimen: [{ at: 0, rate: -1, unit: 'mg/kg/h' }] }])).toEqual([
      'sessions[1].regimen[0].rate',
    ]);
    expect(paths([{ ...sessions[0], durationMin: 0 }])).toEqual(['sessions[0].durationMin']);
    expect(paths([{ ...sessions[0], patient: { weightKg: 1000 } }])).toEqual(['sessions[0].patient.weightKg']);
    expect(paths(sessions, { weightKg: 0 })).toEqual(['patient.weightKg']);
    expect(paths(sessions, patient, { id: 'nope' })).toEqual(['model.id']);
    expect(paths(sessions)).toEqual([]);
  });
});
