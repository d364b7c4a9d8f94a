// ≥ 40 malformed plans refused with field path (parsePlan, in-process CLI, real process); valid forms accepted unaltered.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlan, parsePlanText, type Plan } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { predict } from '../../engine/predict.ts';
import { main, type Io } from '../../cli/main.ts';
import '../../cli/commands.ts';

/**
 * The plan contract's "Errors" section (docs/PLAN-FORMAT.md): every malformed plan is refused with a
 * problem whose path names the field and whose message lists the accepted values; the same plan with
 * that one fault fixed is accepted. Each malformed plan goes through parsePlan (or parsePlanText for
 * text), through the CLI in-process (exit 2, one stderr line per problem starting with its path, no
 * stack trace), and a few through a real `node bin/ketasim.mjs` process.
 */

// The accepted values as the contract states them (PLAN-FORMAT.md, "Dose events"), not as the code lists them.
const DOSE_UNITS = ['mg', 'mg/kg', 'ug', 'ug/kg', 'µg', 'mcg'];
const RATE_UNITS = ['mg/kg/h', 'mg/kg/min', 'mg/h', 'mg/min', 'ug/kg/min', 'ug/kg/h'];
const PLAN_FIELDS = ['patient', 'model', 'regimen', 'horizonMin', 'resolutionSec', 'thresholds', 'label'];

/** The example plan of PLAN-FORMAT.md: valid. */
// biome-ignore lint/suspicious/noExplicitAny: a raw plan-format JSON fixture, deliberately mutated into invalid shapes
type Json = any;
const example = (): Json => ({
  patient: { weightKg: 70, ageYears: 40, sex: 'female', heightCm: 168 },
  model: { id: 'domino-1984' },
  regimen: [
    { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
    { at: 25, rate: 0 },
    { at: 28, rate: 0.75, unit: 'mg/kg/h' },
    { at: 60, bolus: 10, unit: 'mg' },
  ],
  horizonMin: 240,
  resolutionSec: 10,
  thresholds: [{ id: 'dissociation', lowNgMl: 150, highNgMl: 300 }],
});
const clearanceModel = () => ({ v1: 20, cl1: 1.2, v2: 50, cl2: 2, v3: 150, cl3: 0.8, ke0: 0.3 });
const microModel = () => ({ v1: 20, k10: 0.06, k12: 0.1, k21: 0.04, k13: 0.05, k31: 0.008, ke0: 0.3 });

/** JSON text of a plan; a non-finite number is written as 1e999, the literal JSON.parse reads as Infinity. */
const toText = (plan: Json): string =>
  JSON.stringify(plan, (_k, v) => (v === Infinity ? '__INF__' : v === -Infinity ? '__NINF__' : v))
    .replaceAll('"__INF__"', '1e999')
    .replaceAll('"__NINF__"', '-1e999');

interface Case {
  /** What is wrong. */
  readonly name: string;
  /** Paths of the problems expected, exactly (usually one). */
  readonly paths: readonly string[];
  /** Substrings the first problem's message must contain: the accepted values (and the value given). */
  readonly says: readonly string[];
  /** The malformed plan: an edit of the example plan, or raw text. */
  readonly bad: ((p: Json) => void) | string;
  /** The one fix that turns it back into a valid plan (an edit of the malformed plan), or valid text. */
  readonly fix: ((p: Json) => void) | string;
}

const cases: Case[] = [
  // ── patient ──
  {
    name: 'missing weight',
    paths: ['patient.weightKg'],
    says: ['required', '0.3', '400', 'kg'],
    bad: (p) => delete p.patient.weightKg,
    fix: (p) => (p.patient.weightKg = 70),
  },
  {
    name: 'weight below 0.3 kg',
    paths: ['patient.weightKg'],
    says: ['0.3', '400', 'got 0.29'],
    bad: (p) => (p.patient.weightKg = 0.29),
    fix: (p) => (p.patient.weightKg = 0.3),
  },
  {
    name: 'weight above 400 kg',
    paths: ['patient.weightKg'],
    says: ['0.3', '400', 'got 400.5'],
    bad: (p) => (p.patient.weightKg = 400.5),
    fix: (p) => (p.patient.weightKg = 400),
  },
  {
    name: 'weight as a string',
    paths: ['patient.weightKg'],
    says: ['0.3', '400', 'got "70"'],
    bad: (p) => (p.patient.weightKg = '70'),
    fix: (p) => (p.patient.weightKg = 70),
  },
  {
    name: 'weight null',
    paths: ['patient.weightKg'],
    says: ['0.3', '400', 'got null'],
    bad: (p) => (p.patient.weightKg = null),
    fix: (p) => (p.patient.weightKg = 70),
  },
  {
    name: 'weight not finite (1e999)',
    paths: ['patient.weightKg'],
    says: ['0.3', '400', 'got Infinity'],
    bad: (p) => (p.patient.weightKg = Infinity),
    fix: (p) => (p.patient.weightKg = 70),
  },
  {
    name: 'no patient',
    paths: ['patient'],
    says: ['weightKg'],
    bad: (p) => delete p.patient,
    fix: (p) => (p.patient = { weightKg: 70 }),
  },
  {
    name: 'patient as a list',
    paths: ['patient'],
    says: ['weightKg', 'got a list'],
    bad: (p) => (p.patient = [70]),
    fix: (p) => (p.patient = { weightKg: 70 }),
  },
  {
    name: 'age below 0',
    paths: ['patient.ageYears'],
    says: ['0', '120', 'got -1'],
    bad: (p) => (p.patient.ageYears = -1),
    fix: (p) => (p.patient.ageYears = 0),
  },
  {
    name: 'age above 120',
    paths: ['patient.ageYears'],
    says: ['0', '120', 'got 121'],
    bad: (p) => (p.patient.ageYears = 121),
    fix: (p) => (p.patient.ageYears = 120),
  },
  {
    name: 'age as a string',
    paths: ['patient.ageYears'],
    says: ['0', '120', 'got "forty"'],
    bad: (p) => (p.patient.ageYears = 'forty'),
    fix: (p) => (p.patient.ageYears = 40),
  },
  {
    name: 'height below 20 cm',
    paths: ['patient.heightCm'],
    says: ['20', '250', 'got 19'],
    bad: (p) => (p.patient.heightCm = 19),
    fix: (p) => (p.patient.heightCm = 20),
  },
  {
    name: 'height above 250 cm',
    paths: ['patient.heightCm'],
    says: ['20', '250', 'got 251'],
    bad: (p) => (p.patient.heightCm = 251),
    fix: (p) => (p.patient.heightCm = 250),
  },
  {
    name: 'sex not female/male',
    paths: ['patient.sex'],
    says: ['"female"', '"male"', 'got "F"'],
    bad: (p) => (p.patient.sex = 'F'),
    fix: (p) => (p.patient.sex = 'female'),
  },
  {
    name: 'sex of the wrong type',
    paths: ['patient.sex'],
    says: ['"female"', '"male"', 'got 1'],
    bad: (p) => (p.patient.sex = 1),
    fix: (p) => delete p.patient.sex,
  },
  {
    name: 'unknown patient field (weight for weightKg)',
    paths: ['patient.weight'],
    says: ['weightKg', 'ageYears', 'sex', 'heightCm'],
    bad: (p) => (p.patient.weight = 70),
    fix: (p) => delete p.patient.weight,
  },

  // ── model ──
  {
    name: 'no model',
    paths: ['model'],
    says: ['domino-1984', 'v1', 'cl1', 'k10'],
    bad: (p) => delete p.model,
    fix: (p) => (p.model = { id: 'domino-1984' }),
  },
  {
    name: 'unknown model id',
    paths: ['model.id'],
    says: ['"domino-1985"', ...MODEL_IDS],
    bad: (p) => (p.model.id = 'domino-1985'),
    fix: (p) => (p.model.id = 'domino-1984'),
  },
  {
    name: 'model id of the wrong type',
    paths: ['model.id'],
    says: [...MODEL_IDS],
    bad: (p) => (p.model.id = 1984),
    fix: (p) => (p.model.id = 'kamp-2020'),
  },
  {
    name: 'registry ke0 override of 0',
    paths: ['model.ke0'],
    says: ['> 0', '1/min', 'got 0'],
    bad: (p) => (p.model.ke0 = 0),
    fix: (p) => (p.model.ke0 = 0.5),
  },
  {
    name: 'registry ke0 override as a string',
    paths: ['model.ke0'],
    says: ['> 0', '1/min', 'got "0.5"'],
    bad: (p) => (p.model.ke0 = '0.5'),
    fix: (p) => (p.model.ke0 = 0.5),
  },
  {
    name: 'registry model with a custom field',
    paths: ['model.v1'],
    says: ['id', 'ke0'],
    bad: (p) => (p.model.v1 = 20),
    fix: (p) => delete p.model.v1,
  },
  {
    name: 'model field typo (Id)',
    paths: ['model.Id', 'model'],
    says: ['id', 'v1', 'cl1', 'k10', 'ke0'],
    bad: (p) => (p.model = { Id: 'domino-1984' }),
    fix: (p) => (p.model = { id: 'domino-1984' }),
  },
  {
    name: 'custom model v1 = 0',
    paths: ['model.v1'],
    says: ['> 0', 'L', 'got 0'],
    bad: (p) => (p.model = { ...clearanceModel(), v1: 0 }),
    fix: (p) => (p.model.v1 = 20),
  },
  {
    name: 'custom model negative cl1',
    paths: ['model.cl1'],
    says: ['> 0', 'L/min', 'got -1.2'],
    bad: (p) => (p.model = { ...clearanceModel(), cl1: -1.2 }),
    fix: (p) => (p.model.cl1 = 1.2),
  },
  {
    name: 'custom model v3 = 0',
    paths: ['model.v3'],
    says: ['> 0', 'L', 'got 0'],
    bad: (p) => (p.model = { ...clearanceModel(), v3: 0 }),
    fix: (p) => (p.model.v3 = 150),
  },
  {
    name: 'custom model negative cl2',
    paths: ['model.cl2'],
    says: ['> 0', 'L/min', 'got -2'],
    bad: (p) => (p.model = { ...clearanceModel(), cl2: -2 }),
    fix: (p) => (p.model.cl2 = 2),
  },
  {
    name: 'custom micro model k10 = 0',
    paths: ['model.k10'],
    says: ['> 0', '1/min', 'got 0'],
    bad: (p) => (p.model = { ...microModel(), k10: 0 }),
    fix: (p) => (p.model.k10 = 0.06),
  },
  {
    name: 'custom micro model negative k31',
    paths: ['model.k31'],
    says: ['> 0', '1/min', 'got -0.008'],
    bad: (p) => (p.model = { ...microModel(), k31: -0.008 }),
    fix: (p) => (p.model.k31 = 0.008),
  },
  {
    name: 'custom model ke0 missing',
    paths: ['model.ke0'],
    says: ['required', '> 0', '1/min'],
    bad: (p) => {
      p.model = clearanceModel();
      delete p.model.ke0;
    },
    fix: (p) => (p.model.ke0 = 0.3),
  },
  {
    name: 'custom model mixing clearances and micro-constants',
    paths: ['model'],
    says: ['cl1', 'k10', 'one form'],
    bad: (p) => (p.model = { ...clearanceModel(), k13: 0.05 }),
    fix: (p) => delete p.model.k13,
  },
  {
    name: 'micro model with a peripheral volume',
    paths: ['model'],
    says: ['v2', 'k12', 'one form'],
    bad: (p) => (p.model = { ...microModel(), v2: 50 }),
    fix: (p) => delete p.model.v2,
  },
  {
    name: 'peripheral volume without its clearance (v2, no cl2)',
    paths: ['model.cl2'],
    says: ['required', 'model.v2'],
    bad: (p) => {
      p.model = clearanceModel();
      delete p.model.cl2;
    },
    fix: (p) => (p.model.cl2 = 2),
  },
  {
    name: 'peripheral clearance without its volume (cl3, no v3)',
    paths: ['model.v3'],
    says: ['required', 'model.cl3'],
    bad: (p) => {
      p.model = clearanceModel();
      delete p.model.v3;
    },
    fix: (p) => (p.model.v3 = 150),
  },
  {
    name: 'micro-constant k12 without k21',
    paths: ['model.k21'],
    says: ['required', 'model.k12'],
    bad: (p) => {
      p.model = microModel();
      delete p.model.k21;
    },
    fix: (p) => (p.model.k21 = 0.04),
  },
  {
    name: 'custom model with neither cl1 nor k10',
    paths: ['model'],
    says: ['v1', 'cl1', 'k10', 'ke0', '"id"'],
    bad: (p) => (p.model = { v1: 20, ke0: 0.3 }),
    fix: (p) => (p.model.cl1 = 1.2),
  },
  {
    name: 'clearance model missing cl1',
    paths: ['model.cl1'],
    says: ['required', '> 0', 'L/min'],
    bad: (p) => {
      p.model = clearanceModel();
      delete p.model.cl1;
    },
    fix: (p) => (p.model.cl1 = 1.2),
  },

  // ── regimen ──
  {
    name: 'no regimen',
    paths: ['regimen'],
    says: ['list of dose events', 'got nothing'],
    bad: (p) => delete p.regimen,
    fix: (p) => (p.regimen = []),
  },
  {
    name: 'regimen as an object',
    paths: ['regimen'],
    says: ['list of dose events', 'got an object'],
    bad: (p) => (p.regimen = { at: 0, bolus: 1, unit: 'mg/kg' }),
    fix: (p) => (p.regimen = [p.regimen]),
  },
  {
    name: 'unknown rate unit',
    paths: ['regimen[2].unit'],
    says: ['"mg/kg/hour"', ...RATE_UNITS],
    bad: (p) => (p.regimen[2].unit = 'mg/kg/hour'),
    fix: (p) => (p.regimen[2].unit = 'mg/kg/h'),
  },
  {
    name: 'unknown bolus unit',
    paths: ['regimen[3].unit'],
    says: ['"grams"', ...DOSE_UNITS],
    bad: (p) => (p.regimen[3].unit = 'grams'),
    fix: (p) => (p.regimen[3].unit = 'mg'),
  },
  {
    name: 'unit of the wrong type',
    paths: ['regimen[3].unit'],
    says: ['unit 5', ...DOSE_UNITS],
    bad: (p) => (p.regimen[3].unit = 5),
    fix: (p) => (p.regimen[3].unit = 'mg'),
  },
  {
    name: 'dose unit on a rate',
    paths: ['regimen[2].unit'],
    says: ['"mg/kg" is a dose unit', ...RATE_UNITS],
    bad: (p) => (p.regimen[2].unit = 'mg/kg'),
    fix: (p) => (p.regimen[2].unit = 'mg/kg/h'),
  },
  {
    name: 'rate unit on a bolus',
    paths: ['regimen[3].unit'],
    says: ['"mg/h" is a rate unit', ...DOSE_UNITS],
    bad: (p) => (p.regimen[3].unit = 'mg/h'),
    fix: (p) => (p.regimen[3].unit = 'mg'),
  },
  {
    name: 'rate unit on a dose over time',
    paths: ['regimen[0].unit'],
    says: ['"mg/kg/h" is a rate unit', ...DOSE_UNITS],
    bad: (p) => (p.regimen[0].unit = 'mg/kg/h'),
    fix: (p) => (p.regimen[0].unit = 'mg/kg'),
  },
  {
    name: 'bolus without a unit',
    paths: ['regimen[3].unit'],
    says: ['required', ...DOSE_UNITS],
    bad: (p) => delete p.regimen[3].unit,
    fix: (p) => (p.regimen[3].unit = 'mg'),
  },
  {
    name: 'negative rate',
    paths: ['regimen[2].rate'],
    says: ['≥ 0', 'got -0.75'],
    bad: (p) => (p.regimen[2].rate = -0.75),
    fix: (p) => (p.regimen[2].rate = 0.75),
  },
  {
    name: 'negative bolus',
    paths: ['regimen[3].bolus'],
    says: ['≥ 0', 'got -10'],
    bad: (p) => (p.regimen[3].bolus = -10),
    fix: (p) => (p.regimen[3].bolus = 10),
  },
  {
    name: 'negative dose',
    paths: ['regimen[0].dose'],
    says: ['≥ 0', 'got -0.5'],
    bad: (p) => (p.regimen[0].dose = -0.5),
    fix: (p) => (p.regimen[0].dose = 0.5),
  },
  {
    name: 'rate as a string',
    paths: ['regimen[2].rate'],
    says: ['≥ 0', 'got "0.75"'],
    bad: (p) => (p.regimen[2].rate = '0.75'),
    fix: (p) => (p.regimen[2].rate = 0.75),
  },
  {
    name: 'overMin = 0',
    paths: ['regimen[0].overMin'],
    says: ['> 0', 'min', 'got 0'],
    bad: (p) => (p.regimen[0].overMin = 0),
    fix: (p) => (p.regimen[0].overMin = 40),
  },
  {
    name: 'overMin negative',
    paths: ['regimen[0].overMin'],
    says: ['> 0', 'min', 'got -40'],
    bad: (p) => (p.regimen[0].overMin = -40),
    fix: (p) => (p.regimen[0].overMin = 40),
  },
  {
    name: 'dose without overMin',
    paths: ['regimen[0].overMin'],
    says: ['required', '> 0'],
    bad: (p) => delete p.regimen[0].overMin,
    fix: (p) => (p.regimen[0].overMin = 40),
  },
  {
    name: 'event with both bolus and rate',
    paths: ['regimen[3]'],
    says: ['bolus', 'rate', 'dose', 'got bolus and rate'],
    bad: (p) => (p.regimen[3].rate = 1),
    fix: (p) => delete p.regimen[3].rate,
  },
  {
    name: 'event with neither bolus, rate nor dose',
    paths: ['regimen[3]'],
    says: ['bolus', 'rate', 'dose'],
    bad: (p) => delete p.regimen[3].bolus,
    fix: (p) => (p.regimen[3].bolus = 10),
  },
  {
    name: 'event field typo (bolsu)',
    paths: ['regimen[3].bolsu', 'regimen[3]'],
    says: ['at', 'bolus', 'rate', 'dose', 'unit', 'overMin'],
    bad: (p) => {
      p.regimen[3].bolsu = p.regimen[3].bolus;
      delete p.regimen[3].bolus;
    },
    fix: (p) => {
      p.regimen[3].bolus = p.regimen[3].bolsu;
      delete p.regimen[3].bolsu;
    },
  },
  {
    name: 'overMin on a bolus',
    paths: ['regimen[3].overMin'],
    says: ['at', 'bolus', 'unit'],
    bad: (p) => (p.regimen[3].overMin = 5),
    fix: (p) => delete p.regimen[3].overMin,
  },
  {
    name: 'rate event with "units"',
    paths: ['regimen[2].units'],
    says: ['at', 'rate', 'unit'],
    bad: (p) => (p.regimen[2].units = 'mg/kg/h'),
    fix: (p) => delete p.regimen[2].units,
  },
  {
    name: 'event that is not an object',
    paths: ['regimen[1]'],
    says: ['at', 'bolus', 'rate', 'dose', 'got 25'],
    bad: (p) => (p.regimen[1] = 25),
    fix: (p) => (p.regimen[1] = { at: 25, rate: 0 }),
  },
  {
    name: 'negative time',
    paths: ['regimen[1].at'],
    says: ['≥ 0', 'min', 'got -25'],
    bad: (p) => (p.regimen[1].at = -25),
    fix: (p) => (p.regimen[1].at = 25),
  },
  {
    name: 'time as a string',
    paths: ['regimen[1].at'],
    says: ['≥ 0', 'minutes', 'got "25"'],
    bad: (p) => (p.regimen[1].at = '25'),
    fix: (p) => (p.regimen[1].at = 25),
  },
  {
    name: 'time not finite (1e999)',
    paths: ['regimen[1].at'],
    says: ['≥ 0', 'minutes', 'got Infinity'],
    bad: (p) => (p.regimen[1].at = Infinity),
    fix: (p) => (p.regimen[1].at = 25),
  },
  {
    name: 'time missing',
    paths: ['regimen[1].at'],
    says: ['required', '≥ 0'],
    bad: (p) => delete p.regimen[1].at,
    fix: (p) => (p.regimen[1].at = 25),
  },

  // ── horizon and resolution ──
  {
    name: 'horizon 0',
    paths: ['horizonMin'],
    says: ['> 0', '10080', '7 days', 'got 0'],
    bad: (p) => (p.horizonMin = 0),
    fix: (p) => (p.horizonMin = 240),
  },
  {
    name: 'horizon negative',
    paths: ['horizonMin'],
    says: ['> 0', '10080', 'got -240'],
    bad: (p) => (p.horizonMin = -240),
    fix: (p) => (p.horizonMin = 240),
  },
  {
    name: 'horizon beyond 7 days',
    paths: ['horizonMin'],
    says: ['> 0', '10080', 'got 10081'],
    bad: (p) => (p.horizonMin = 10081),
    fix: (p) => (p.horizonMin = 10080),
  },
  {
    name: 'horizon missing',
    paths: ['horizonMin'],
    says: ['required', '10080'],
    bad: (p) => delete p.horizonMin,
    fix: (p) => (p.horizonMin = 240),
  },
  {
    name: 'horizon as a string',
    paths: ['horizonMin'],
    says: ['10080', 'got "240"'],
    bad: (p) => (p.horizonMin = '240'),
    fix: (p) => (p.horizonMin = 240),
  },
  {
    name: 'resolution 0',
    paths: ['resolutionSec'],
    says: ['> 0', 's', 'got 0'],
    bad: (p) => (p.resolutionSec = 0),
    fix: (p) => (p.resolutionSec = 10),
  },
  {
    name: 'resolution missing',
    paths: ['resolutionSec'],
    says: ['required', '> 0'],
    bad: (p) => delete p.resolutionSec,
    fix: (p) => (p.resolutionSec = 10),
  },
  // 7 days at 0.06 s is 10 080 × 1000 + 1 points; at 0.0605 s it is 9 996 695.
  {
    name: 'resolution giving more than 10 million points',
    paths: ['resolutionSec'],
    says: ['10080001', '10000000'],
    bad: (p) => {
      p.horizonMin = 10080;
      p.resolutionSec = 0.06;
    },
    fix: (p) => (p.resolutionSec = 0.0605),
  },

  // ── thresholds ──
  {
    name: 'band low above high',
    paths: ['thresholds[0].lowNgMl'],
    says: ['highNgMl', '300', 'got 350'],
    bad: (p) => (p.thresholds[0].lowNgMl = 350),
    fix: (p) => (p.thresholds[0].lowNgMl = 150),
  },
  {
    name: 'duplicate band ids',
    paths: ['thresholds[1].id'],
    says: ['duplicate', '"dissociation"'],
    bad: (p) => p.thresholds.push({ id: 'dissociation', lowNgMl: 70, highNgMl: 160 }),
    fix: (p) => (p.thresholds[1].id = 'analgesia'),
  },
  {
    name: 'band without id',
    paths: ['thresholds[0].id'],
    says: ['required', 'non-empty string'],
    bad: (p) => delete p.thresholds[0].id,
    fix: (p) => (p.thresholds[0].id = 'dissociation'),
  },
  {
    name: 'band with negative low bound',
    paths: ['thresholds[0].lowNgMl'],
    says: ['≥ 0', 'ng/mL', 'got -1'],
    bad: (p) => (p.thresholds[0].lowNgMl = -1),
    fix: (p) => (p.thresholds[0].lowNgMl = 150),
  },
  {
    name: 'band high bound as a string',
    paths: ['thresholds[0].highNgMl'],
    says: ['≥ 0', 'ng/mL', 'got "300"'],
    bad: (p) => (p.thresholds[0].highNgMl = '300'),
    fix: (p) => delete p.thresholds[0].highNgMl,
  },
  {
    name: 'thresholds not a list',
    paths: ['thresholds'],
    says: ['id', 'lowNgMl', 'highNgMl', 'got an object'],
    bad: (p) => (p.thresholds = p.thresholds[0]),
    fix: (p) => (p.thresholds = [p.thresholds]),
  },
  {
    name: 'band field typo (high)',
    paths: ['thresholds[0].high'],
    says: ['id', 'lowNgMl', 'highNgMl'],
    bad: (p) => (p.thresholds[0].high = 300),
    fix: (p) => delete p.thresholds[0].high,
  },

  // ── the plan itself ──
  {
    name: 'unknown field horizonMins (typo of horizonMin)',
    paths: ['horizonMins', 'horizonMin'],
    says: PLAN_FIELDS,
    bad: (p) => {
      p.horizonMins = p.horizonMin;
      delete p.horizonMin;
    },
    fix: (p) => {
      p.horizonMin = p.horizonMins;
      delete p.horizonMins;
    },
  },
  {
    name: 'unknown extra field',
    paths: ['patientName'],
    says: PLAN_FIELDS,
    bad: (p) => (p.patientName = 'anonymous'),
    fix: (p) => delete p.patientName,
  },
  {
    name: 'label not a string',
    paths: ['label'],
    says: ['string', 'got 42'],
    bad: (p) => (p.label = 42),
    fix: (p) => (p.label = '42'),
  },
  {
    name: 'label too long',
    paths: ['label'],
    says: ['200', 'got 201'],
    bad: (p) => (p.label = 'x'.repeat(201)),
    fix: (p) => (p.label = 'x'.repeat(200)),
  },

  // ── stated limits (engine/plan.ts: MAX_REGIMEN_EVENTS, MAX_BANDS, band ids, label text, engineering limits) ──
  {
    name: 'label with a line break',
    paths: ['label'],
    says: ['one line', 'U+000A'],
    bad: (p) => (p.label = 'Plan A\nSAFE: no monitoring needed'),
    fix: (p) => (p.label = 'Plan A: no monitoring advice'),
  },
  {
    name: 'more than 1000 dose events',
    paths: ['regimen'],
    says: ['at most 1000', 'got 1001'],
    bad: (p) => (p.regimen = Array.from({ length: 1001 }, (_, i) => ({ at: i, bolus: 1, unit: 'mg' }))),
    fix: (p) => p.regimen.pop(),
  },
  {
    name: 'more than 12 bands',
    paths: ['thresholds'],
    says: ['at most 12', 'got 13'],
    bad: (p) => (p.thresholds = Array.from({ length: 13 }, (_, i) => ({ id: `b${i}`, lowNgMl: i }))),
    fix: (p) => p.thresholds.pop(),
  },
  {
    name: 'band id longer than 40 characters',
    paths: ['thresholds[0].id'],
    says: ['at most 40', 'got 41'],
    bad: (p) => (p.thresholds[0].id = 'd'.repeat(41)),
    fix: (p) => (p.thresholds[0].id = 'd'.repeat(40)),
  },
  {
    name: 'band id with punctuation',
    paths: ['thresholds[0].id'],
    says: ['letters, digits, space, - and _', 'got "SAFE: no monitoring needed"'],
    bad: (p) => (p.thresholds[0].id = 'SAFE: no monitoring needed'),
    fix: (p) => (p.thresholds[0].id = 'SAFE no monitoring needed'),
  },
  {
    name: 'custom model volume below the engineering limit (1e-300 L)',
    paths: ['model.v1'],
    says: ['between 0.001 and 100000 L', 'engineering limit', 'got 1e-300'],
    bad: (p) => (p.model = { ...microModel(), v1: 1e-300 }),
    fix: (p) => (p.model = { ...microModel(), v1: 0.001 }),
  },
  {
    name: 'custom model rate constant above the engineering limit',
    paths: ['model.k12'],
    says: ['between 0.0001 and 10 /min', 'got 1000'],
    bad: (p) => (p.model = { ...microModel(), k12: 1000 }),
    fix: (p) => (p.model = { ...microModel(), k12: 10 }),
  },
  {
    name: 'bolus of 1e308 mg',
    paths: ['regimen[3].bolus'],
    says: ['at most 100000 mg', 'engineering limit'],
    bad: (p) => (p.regimen[3].bolus = 1e308),
    fix: (p) => (p.regimen[3].bolus = 100000),
  },
  {
    name: 'perez-ruixo-2021-esketamine without an age',
    paths: ['patient.ageYears'],
    says: ['required by perez-ruixo-2021-esketamine', 'Qh'],
    bad: (p) => {
      p.model = { id: 'perez-ruixo-2021-esketamine' };
      delete p.patient.ageYears;
    },
    fix: (p) => (p.patient.ageYears = 67),
  },
  {
    name: 'plan is a list',
    paths: ['plan'],
    says: ['patient', 'model', 'regimen', 'horizonMin', 'resolutionSec', 'got a list'],
    bad: toText([example()]),
    fix: toText(example()),
  },
  {
    name: 'file that is not JSON (truncated)',
    paths: ['plan'],
    says: ['not valid JSON'],
    bad: toText(example()).slice(0, 60),
    fix: toText(example()),
  },
  {
    name: 'file that is not JSON (comments)',
    paths: ['plan'],
    says: ['not valid JSON'],
    bad: '// my plan\n' + toText(example()),
    fix: toText(example()),
  },
  { name: 'empty file', paths: ['plan'], says: ['not valid JSON'], bad: '', fix: toText(example()) },
  {
    name: 'field given twice (JSON keeps only the last)',
    paths: ['patient.weightKg'],
    says: ['more than once'],
    bad: toText(example()).replace('"weightKg":70', '"weightKg":70,"weightKg":7'),
    fix: toText(example()),
  },
  {
    name: 'field given twice inside a regimen event',
    paths: ['regimen[2].rate'],
    says: ['more than once'],
    bad: toText(example()).replace('"rate":0.75', '"rate":0.75,"rate":7.5'),
    fix: toText(example()),
  },
];

/** The malformed plan's text and, when it is an object, the object. */
function malformed(c: Case): { text: string; value?: Json } {
  if (typeof c.bad === 'string') return { text: c.bad };
  const p = example();
  c.bad(p);
  return { text: toText(p), value: p };
}
function neighbour(c: Case): { text: string; value?: Json } {
  if (typeof c.fix === 'string') return { text: c.fix };
  const p = example();
  (c.bad as (p: Json) => void)(p);
  c.fix(p);
  return { text: toText(p), value: p };
}

/** An in-memory Io: one plan file (`plan.json`) and stdin; captures stdout and written files. */
function memoryIo(files: Record<string, string>, stdin = '') {
  const out: string[] = [];
  const written: Record<string, string> = {};
  const io: Io = {
    readFile(path) {
      if (!Object.hasOwn(files, path)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return files[path];
    },
    readStdin: () => stdin,
    write: (t) => void out.push(t),
    writeFile: (path, t) => void (written[path] = t),
  };
  return { io, out, written };
}
async function runCli(argv: string[], files: Record<string, string> = {}, stdin = '') {
  const { io, out, written } = memoryIo(files, stdin);
  const errLines: string[] = [];
  const code = await main(argv, io, (line) => errLines.push(...line.split('\n')));
  return { code, stdout: out.join(''), stderr: errLines, written };
}
/** Nothing that looks like a stack trace or an exception dump. */
function expectNoStackTrace(lines: readonly string[]): void {
  for (const l of lines) {
    expect(l).not.toMatch(/^\s+at\s/);
    expect(l).not.toMatch(/\b(TypeError|ReferenceError|SyntaxError|RangeError)\b/);
    expect(l).not.toMatch(/node:internal|\.ts:\d+:\d+/);
  }
}

describe('malformed plans (PLAN-FORMAT.md "Errors")', () => {
  it('the example plan of PLAN-FORMAT.md is valid, and there are at least 40 distinct malformed plans', () => {
    expect(parsePlan(example(), MODEL_IDS).ok).toBe(true);
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(new Set(cases.map((c) => malformed(c).text)).size).toBe(cases.length);
  });

  for (const c of cases) {
    describe(c.name, () => {
      it(`is refused at ${c.paths.join(' and ')} with the accepted values; the fixed neighbour passes`, () => {
        const bad = malformed(c);
        const results = [parsePlanText(bad.text, MODEL_IDS)];
        // Objects also go straight to parsePlan (non-finite numbers included, which JSON text writes as 1e999).
        if (bad.value !== undefined) results.push(parsePlan(bad.value, MODEL_IDS));
        for (const r of results) {
          expect(r.ok).toBe(false);
          if (r.ok) return;
          expect(r.problems.map((p) => p.path)).toEqual(c.paths);
          for (const s of c.says) expect(r.problems[0].message).toContain(s);
        }
        const good = neighbour(c);
        const g = parsePlanText(good.text, MODEL_IDS);
        if (!g.ok) throw new Error(`neighbour refused: ${g.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
        if (good.value !== undefined) expect(parsePlan(good.value, MODEL_IDS).ok).toBe(true);
      });

      it('the CLI exits 2 with one stderr line per problem, each starting with its path, no stack trace', async () => {
        const { text } = malformed(c);
        for (const argv of [
          ['simulate', 'plan.json'],
          ['simulate', '-'],
          ['metrics', 'plan.json'],
        ]) {
          const r = await runCli(argv, { 'plan.json': text }, text);
          expect(r.code).toBe(2);
          expect(r.stdout).toBe('');
          expect(r.stderr).toHaveLength(c.paths.length);
          r.stderr.forEach((line, i) => expect(line.startsWith(`${c.paths[i]}: `), line).toBe(true));
          for (const s of c.says) expect(r.stderr[0]).toContain(s);
          expectNoStackTrace(r.stderr);
        }
      });
    });
  }
});

describe('what a valid plan may contain', () => {
  it('a regimen may be empty, events may be in any order and rate units default to mg/kg/h', () => {
    const p = example();
    p.regimen = [];
    expect(parsePlan(p, MODEL_IDS).ok).toBe(true);
    p.regimen = [
      { at: 60, bolus: 10, unit: 'mg' },
      { at: 0, rate: 1 },
    ];
    const r = parsePlan(p, MODEL_IDS);
    expect(r.ok && r.plan.regimen[1]).toEqual({ at: 0, rate: 1, unit: 'mg/kg/h' });
  });
  it('accepts every unit the contract lists, for its own kind of event', () => {
    for (const unit of DOSE_UNITS) {
      const p = example();
      p.regimen = [
        { at: 0, bolus: 1, unit },
        { at: 1, dose: 1, unit, overMin: 5 },
      ];
      expect(parsePlan(p, MODEL_IDS).ok, unit).toBe(true);
    }
    for (const unit of RATE_UNITS) {
      const p = example();
      p.regimen = [{ at: 0, rate: 1, unit }];
      expect(parsePlan(p, MODEL_IDS).ok, unit).toBe(true);
    }
  });
  it('accepts custom models in either form, with 1, 2 or 3 compartments, and the bounds of every range', () => {
    for (const model of [
      clearanceModel(),
      microModel(),
      { v1: 20, cl1: 1, ke0: 0.3 },
      { v1: 20, k10: 0.05, ke0: 0.3 },
      { v1: 20, cl1: 1, v2: 40, cl2: 2, ke0: 0.3 },
      { v1: 20, k10: 0.05, k13: 0.1, k31: 0.01, ke0: 0.3 },
    ]) {
      expect(parsePlan({ ...example(), model }, MODEL_IDS).ok, JSON.stringify(model)).toBe(true);
    }
    const p = example();
    p.patient = { weightKg: 0.3, ageYears: 0, heightCm: 20 };
    p.horizonMin = 10080;
    p.thresholds = [
      { id: 'open', lowNgMl: 0 },
      { id: 'point', lowNgMl: 5, highNgMl: 5 },
    ];
    expect(parsePlan(p, MODEL_IDS).ok).toBe(true);
  });
  it('nothing is rounded or clamped: the parsed plan carries the numbers as given', () => {
    const p = example();
    p.regimen[2].at = 28.123456789;
    p.resolutionSec = 7.3;
    const r = parsePlan(p, MODEL_IDS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.regimen[2].at).toBe(28.123456789);
    expect(r.plan.resolutionSec).toBe(7.3);
    expect(r.plan.thresholds).toEqual(example().thresholds);
  });
  it('the duplicate-field scan is not fooled by quotes, braces or commas inside strings; a leading BOM is skipped', () => {
    const p = example();
    p.label = 'a "quoted" {label}, [with] \\ "weightKg": 1, "id": "dissociation"';
    const text = toText(p);
    const r = parsePlanText(text, MODEL_IDS);
    expect(r.ok && r.plan.label).toBe(p.label);
    expect(parsePlanText('\uFEFF' + text, MODEL_IDS).ok).toBe(true);
    const twice = text.replace('"lowNgMl":150', '"lowNgMl":150,"lowNgMl":150');
    const d = parsePlanText(twice, MODEL_IDS);
    expect(!d.ok && d.problems.map((x) => x.path)).toEqual(['thresholds[0].lowNgMl']);
  });
  it('reports every problem of a plan at once, not only the first', () => {
    const p = example();
    p.patient.weightKg = 0;
    p.regimen[2].unit = 'mg/kg/hour';
    p.horizonMin = -1;
    const r = parsePlan(p, MODEL_IDS);
    expect(!r.ok && r.problems.map((x) => x.path)).toEqual(['patient.weightKg', 'regimen[2].unit', 'horizonMin']);
  });
});

describe("values outside a model's population are warnings, not errors", () => {
  const run = (patient: Plan['patient'], id: string) => {
    const r = parsePlan({ ...example(), patient, model: { id } }, MODEL_IDS);
    if (!r.ok) throw new Error('refused');
    return predict(r.plan).warnings;
  };
  it('a child on Domino 1984 (adults) gets outside-population naming the age range', () => {
    const w = run({ weightKg: 20, ageYears: 6 }, 'domino-1984');
    const pop = w.filter((x) => x.code === 'outside-population');
    expect(pop).toHaveLength(1);
    expect(pop[0].message).toContain('patient.ageYears');
    expect(pop[0].message).toContain('18–120');
  });
  it('a 70-kg adult on Flint 2017 (PICU, 3.4–35 kg, 0.02–12.5 y) gets both ranges named', () => {
    const msgs = run({ weightKg: 70, ageYears: 40 }, 'flint-2017-s-ketamine-picu')
      .filter((x) => x.code === 'outside-population')
      .map((x) => x.message);
    expect(msgs).toHaveLength(2);
    expect(msgs.some((m) => m.includes('patient.weightKg') && m.includes('3.4–35 kg'))).toBe(true);
    expect(msgs.some((m) => m.includes('patient.ageYears') && m.includes('0.02–12.5 years'))).toBe(true);
  });
  it('inside the population there is no such warning', () => {
    expect(run({ weightKg: 20, ageYears: 6 }, 'herd-2007-paediatric').filter((x) => x.code === 'outside-population')).toEqual([]);
  });
  it('the CLI still exits 0 and reports the warning in metrics', async () => {
    const text = toText({ ...example(), patient: { weightKg: 200, ageYears: 90 }, model: { id: 'perez-ruixo-2021-esketamine' } });
    const r = await runCli(['metrics', 'plan.json'], { 'plan.json': text });
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    const pop = body.warnings.filter((x: { code: string }) => x.code === 'outside-population');
    expect(pop.map((x: { message: string }) => x.message).join(' ')).toMatch(/39–170 kg.*18–86 years|18–86 years.*39–170 kg/);
  });
});

// Each process loads tsx, the engine and mathjs (about 1–3 s each on a busy 2-core machine).
describe('the real process: node bin/ketasim.mjs', () => {
  const root = join(import.meta.dirname, '../..');
  let dir = '';
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'ketasim-plan-test-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const proc = (args: string[], stdin?: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [join(root, 'bin/ketasim.mjs'), ...args], { cwd: dir });
      let stdout = '',
        stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin ?? '');
    });
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const byName = (n: string) => cases.find((c) => c.name === n)!;

  it('exit 2 for malformed plans from a file and from stdin, one line per problem, no stack trace', async () => {
    const picks = ['unknown rate unit', 'unknown field horizonMins (typo of horizonMin)', 'file that is not JSON (truncated)'];
    const runs = await Promise.all(
      picks.flatMap((n, i) => {
        const text = malformed(byName(n)).text;
        return [proc(['simulate', file(`bad${i}.json`, text)]), proc(['simulate', '-'], text)];
      }),
    );
    runs.forEach((r, k) => {
      const c = byName(picks[Math.floor(k / 2)]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(c.paths.length);
      lines.forEach((l, i) => expect(l.startsWith(`${c.paths[i]}: `), l).toBe(true));
      expectNoStackTrace(lines);
    });
  });

  it("exit 0 for the valid neighbours, from a file and from stdin, with exactly predict()'s numbers", async () => {
    const text = neighbour(byName('unknown rate unit')).text;
    const [a, b] = await Promise.all([proc(['simulate', file('good.json', text)]), proc(['simulate', '-'], text)]);
    for (const r of [a, b]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
    }
    expect(b.stdout).toBe(a.stdout);
    const parsed = parsePlanText(text, MODEL_IDS);
    if (!parsed.ok) throw new Error('neighbour refused');
    const { trajectory } = predict(parsed.plan);
    const out = JSON.parse(a.stdout);
    expect(out.t).toEqual(Array.from(trajectory.t));
    expect(out.cp).toEqual(Array.from(trajectory.cp));
    expect(out.ce).toEqual(Array.from(trajectory.ce));
  });

  it('exit 1 (not 2) when the output cannot be written, with a one-line message naming --out; exit 2 for a missing plan file', async () => {
    const good = file('ok.json', toText(example()));
    const [unwritable, missing] = await Promise.all([
      proc(['simulate', good, '--out', join(dir, 'no-such-dir', 'out.json')]),
      proc(['simulate', join(dir, 'no-such-plan.json')]),
    ]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(unwritable.stderr).toMatch(/^--out: cannot write ".*no-such-dir\/out\.json": ENOENT/);
    expectNoStackTrace(unwritable.stderr.split('\n'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^PLAN: cannot read ".*no-such-plan\.json": ENOENT\n$/);
    expect(readFileSync(good, 'utf8')).toBe(toText(example()));
  });
});
