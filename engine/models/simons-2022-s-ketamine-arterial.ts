// Simons 2022 S-ketamine arterial with S-norketamine transit chain; IV and oral thin film routes; general linear path.
import type { ModelDefinition, RouteDefinition, RouteParameter } from './types.ts';
import { MODEL_ROUTES } from './routes.ts';
import { DERIVED_KE0_NOTE, adultAgeByConvention } from './structures.ts';
import { allometric } from '../patient.ts';
import { OLOFSEN_2022_KE0_NOTE } from '../pd/s-ketamine-bands.ts';
import { linearSystem } from '../pk/linear-system.ts';

/**
 * Simons 2022, S-ketamine (arterial), 3 compartments at 70 kg: V1 11.6, V2 39, V3 174 L; CL 1.48,
 * Q2 2.43, Q3 1.21 L/min; with its S-norketamine structure (Table 4 via nlmixr2lib): all S-ketamine
 * clearance enters a two-compartment metabolism chain (each compartment drains at 2/MTT, MTT 20.1 min),
 * 80% of which forms S-norketamine (central volume shared with S-ketamine, Vp 221 L, CL 1.00 L/min,
 * Q 2.63 L/min). Not mammillary as a whole (metabolite compartments, a transit chain with equal rate
 * constants), so it runs on the general linear path; S-ketamine cp equals the mammillary parent model.
 * Exponents are not printed in the paper: 1 for volumes and 0.75 for clearances assumed (nlmixr2lib).
 * Covariates: weight only (allometric, exponents assumed); age is checked against the adult range, not
 * used; sex and height not used.
 * Routes: IV and the oral thin film (`routes.oral`, below; the film's compartments are appended to this
 * structure only for a plan that uses them).
 */
const SRC = 'Simons 2022 Table 4 (nlmixr2lib transcription), as recorded in ketamine-models.json';

/** Where the film's numbers come from. */
const FILM = 'Simons 2022 Table 4 (nlmixr2lib Simons_2022_s_ketamine.R; ketamine-models.json "absorption")';
const FILM_PARAMETERS = {
  f1: { name: 'F1', value: 0.263, unit: 'fraction', source: `${FILM}: oral-mucosal bioavailability F1 26.3%` },
  d1: { name: 'D1', value: 13.1, unit: 'min', source: `${FILM}: duration of zero-order mucosal input D1 13.1 min` },
  ka1: { name: 'KA1', value: 0.04, unit: '1/min', source: `${FILM}: mucosal absorption rate constant KA1 0.04 /min` },
  f2: {
    name: 'F2',
    value: 1.16,
    unit: 'fraction',
    source: `${FILM}: gastrointestinal fraction F2 116% of the film dose, as published (above 100%: an estimate on the metabolite's scale; it never reaches systemic S-ketamine)`,
  },
  d2: { name: 'D2', value: 29.9, unit: 'min', source: `${FILM}: duration of zero-order gastrointestinal input D2 29.9 min` },
  ka2: { name: 'KA2', value: 0.049, unit: '1/min', source: `${FILM}: gastrointestinal absorption rate constant KA2 0.049 /min` },
  ktrGut: {
    name: '1/MTTG',
    value: 1 / 10.7,
    unit: '1/min',
    source: `${FILM}: gut-to-liver mean transit time MTTG 10.7 min, one delay compartment draining at 1/MTTG (derived: 1/10.7 = 0.0935 /min, as nlmixr2lib encodes it)`,
  },
} satisfies Record<string, RouteParameter>;
const F = FILM_PARAMETERS;

/**
 * The oral thin film (sublingual or buccal, held 10 min), two parallel routes per film dose: oral-mucosal,
 * F1 zero-order over D1 into a depot absorbed at KA1 into the S-ketamine central compartment; swallowed,
 * F2 zero-order over D2 into a gut depot drained at KA2 into a gut-to-liver delay (MTTG) that delivers
 * S-ketamine straight into hepatic metabolism (the S-norketamine chain), never into systemic S-ketamine.
 */
const oralThinFilm: RouteDefinition = {
  route: 'oral',
  form: MODEL_ROUTES['simons-2022-s-ketamine-arterial'].oral!.form,
  citation: FILM,
  description:
    'oral thin film: F1 26.3% zero-order over D1 13.1 min into a mucosal depot, KA1 0.04 /min into the S-ketamine central compartment; F2 116% zero-order over D2 29.9 min into a gut depot, KA2 0.049 /min into a gut-to-liver delay (MTTG 10.7 min) delivering into the metabolism chain (S-norketamine only); studied at 50 and 100 mg',
  parameters: [F.f1, F.d1, F.ka1, F.f2, F.d2, F.ka2, F.ktrGut],
  compartments: ['oral-mucosal depot', 'gut depot', 'gut-to-liver delay'],
  flows: [
    { from: 'oral-mucosal depot', to: 'S-ketamine central', k: F.ka1.value, parameter: 'KA1' },
    { from: 'gut depot', to: 'gut-to-liver delay', k: F.ka2.value, parameter: 'KA2' },
    { from: 'gut-to-liver delay', to: 'metabolism transit 1', k: F.ktrGut.value, parameter: '1/MTTG' },
  ],
  inputs: () => [
    { compartment: 'oral-mucosal depot', fraction: F.f1.value, durationMin: F.d1.value },
    { compartment: 'gut depot', fraction: F.f2.value, durationMin: F.d2.value },
  ],
};
export const simons2022SKetamineArterial: ModelDefinition = {
  id: 'simons-2022-s-ketamine-arterial',
  name: 'Simons 2022 (S-ketamine, arterial)',
  drug: 'S-ketamine (esketamine)',
  citation:
    'Simons P, Olofsen E, van Velzen M, et al., Dahan A. S-Ketamine oral thin film - Part 1: population pharmacokinetics of S-ketamine, S-norketamine and S-hydroxynorketamine. Front Pain Res 2022;3:946486.',
  doi: '10.3389/fpain.2022.946486',
  population: '20 healthy volunteers (10 M/10 F), 73 (SD 12) kg; 50/100 mg oral thin film + 20 mg IV over 20 min',
  sampling: 'arterial',
  covariates: 'Reported per 70 kg; exponents not printed: V × (WT/70) and CL, Q × (WT/70)^0.75 assumed (as nlmixr2lib).',
  confidence: 'medium-high (one careful transcription + abstract agreement)',
  // The sources read (ketamine-models.json) give weight as 73 (SD 12) kg and no age range: the weight
  // range is mean ± 2 SD (a derivation, as for Herd 2007) and the age range only says "adult volunteers".
  validity: {
    ageYears: adultAgeByConvention('healthy adult volunteers (age range not in the sources read)'),
    weightKg: {
      min: 49,
      max: 97,
      basis: 'mean ± 2 SD of the study population (derived from 73 ± 12 kg)',
      kind: 'derived',
    },
  },
  requires: [],
  parameters: (patient) => {
    const fv = allometric(patient.weightKg, 1);
    const fcl = allometric(patient.weightKg, 0.75);
    return {
      v1: 11.6 * fv,
      v2: 39 * fv,
      v3: 174 * fv,
      cl1: 1.48 * fcl,
      cl2: 2.43 * fcl,
      cl3: 1.21 * fcl,
      mttNk: 20.1,
      fmNk: 0.8,
      vpNk: 221 * fv,
      clNk: 1.0 * fcl,
      qNk: 2.63 * fcl,
    };
  },
  structure: (p) => {
    const ktr = 2 / p.mttNk;
    return linearSystem({
      names: [
        'S-ketamine central',
        'S-ketamine peripheral 2',
        'S-ketamine peripheral 3',
        'metabolism transit 1',
        'metabolism transit 2',
        'S-norketamine central',
        'S-norketamine peripheral',
      ],
      flows: [
        { from: 0, to: 3, k: p.cl1 / p.v1 },
        { from: 0, to: 1, k: p.cl2 / p.v1 },
        { from: 1, to: 0, k: p.cl2 / p.v2 },
        { from: 0, to: 2, k: p.cl3 / p.v1 },
        { from: 2, to: 0, k: p.cl3 / p.v3 },
        { from: 3, to: 4, k: ktr },
        { from: 4, to: 5, k: p.fmNk * ktr },
        { from: 4, to: null, k: (1 - p.fmNk) * ktr },
        { from: 5, to: 6, k: p.qNk / p.v1 },
        { from: 6, to: 5, k: p.qNk / p.vpNk },
        { from: 5, to: null, k: p.clNk / p.v1 },
      ],
      input: 0,
      central: 0,
      volume: p.v1,
      outputs: [{ id: 'S-norketamine (S-ketamine equivalents)', compartment: 5, volume: p.v1 }],
    });
  },
  ke0: {
    kind: 'derived',
    rule: 'time-to-peak',
    note: DERIVED_KE0_NOTE + OLOFSEN_2022_KE0_NOTE,
  },
  routes: { oral: oralThinFilm },
  variability: [
    { parameter: 'v1', omega2: 0.057, source: SRC },
    { parameter: 'cl1', omega2: 0.029, source: SRC },
    { parameter: 'cl3', omega2: 0.026, source: SRC },
  ],
  metabolite: {
    name: 'S-norketamine',
    volume: 'true',
    amount: 'mg S-ketamine equivalents (no molar-mass correction, as in the published model)',
    source: SRC,
    note: "S-norketamine in plasma (arterial), in the model's own structure: 80% (fixed) of S-ketamine clearance forms it through a two-compartment transit chain (MTT 20.1 min); its central volume is S-ketamine's V1.",
  },
  notes: [
    'S-norketamine is carried in mg S-ketamine equivalents (no molar-mass correction), as in the published model.',
    'The fraction 80% forming S-norketamine is fixed in the paper (assumed there).',
  ],
};
