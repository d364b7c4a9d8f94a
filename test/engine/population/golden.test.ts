// Populations keep their bits across rewrites of the kernels: fingerprints of three fixed-seed runs, as computed before the modal kernel was split for start-up speed.
import { describe, expect, it } from 'vitest';
import { runPopulationLocal } from '../../../engine/population/local.ts';
import { fingerprint, jobOf, WORKLOAD_P } from './helpers.ts';

/**
 * The fingerprints (FNV-1a over the bytes of every percentile, probability, metric and sampled
 * parameter, helpers.ts) were computed by the code of commit a56ce92, before engine/population/
 * modal-kernel.ts was split into small functions for V8's start-up (the `ketasim population` wall-time
 * target), and they are what the split code computes too. Only a change meant to change the numbers
 * may change them, and then it says so.
 */
const OFF_GRID = {
  patient: { weightKg: 70, ageYears: 40, sex: 'female', heightCm: 168 },
  model: { id: 'kamp-2020' },
  regimen: [
    { at: 0, bolus: 35, unit: 'mg' },
    { at: 3.33, rate: 1, unit: 'mg/kg/h' },
    { at: 17.77, rate: 0 },
    { at: 19.1, bolus: 5, unit: 'mg' },
    { at: 33.3, rate: 0.5, unit: 'mg/kg/h' },
    { at: 90.05, rate: 0 },
  ],
  horizonMin: 180,
  resolutionSec: 7,
  thresholds: [
    { id: 'analgesia', lowNgMl: 100, highNgMl: 200 },
    { id: 'dissociation', lowNgMl: 150, highNgMl: 300 },
    { id: 'anaesthesia', lowNgMl: 1000 },
  ],
};

describe('population bits are pinned', () => {
  for (const [name, json, n, seed, expected] of [
    ['workload P (Domino 1984, 0.5 mg/kg over 40 min), N = 1000, seed 1', WORKLOAD_P, 1000, 1, '687609d7'],
    ['Kamp 2020, boluses and rate changes between grid points, three bands, N = 400, seed 7', OFF_GRID, 400, 7, '2b58ad8f'],
    [
      'Simons 2022 (general linear system), the same regimen, N = 40, seed 3',
      { ...OFF_GRID, model: { id: 'simons-2022-s-ketamine-arterial' } },
      40,
      3,
      'f75b076d',
    ],
  ] as const) {
    it(name, async () => {
      expect(fingerprint(await runPopulationLocal(jobOf(json, { n, seed })))).toBe(expected);
    });
  }
});
