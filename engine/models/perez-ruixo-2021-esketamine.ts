// Perez-Ruixo 2021 esketamine: hepato-portal elimination compartment, age covariate on Qh; IV, intranasal and oral routes; general path.
import { omega2FromCv, type ModelDefinition, type RouteDefinition, type RouteParameter } from './types.ts';
import { MODEL_ROUTES } from './routes.ts';
import { DERIVED_KE0_NOTE, perHour } from './structures.ts';
import { linearSystem } from '../pk/linear-system.ts';
import type { Patient } from '../patient.ts';
import { COVARIATE_REQUIREMENTS } from './requirements.ts';
import { withMetabolite } from './metabolite.ts';

/** The patient's age; parsePlan refuses a plan for this model without one, so a missing age is a programmer error. */
function requiredAge(patient: Patient): number {
  if (patient.ageYears === undefined) {
    const need = COVARIATE_REQUIREMENTS['perez-ruixo-2021-esketamine'][0];
    throw new Error(`patient.ageYears: required by perez-ruixo-2021-esketamine (${need.reason})`);
  }
  return patient.ageYears;
}

/**
 * Perez-Ruixo 2021, esketamine (Spravato population model): central (Vc 192 L) with two
 * peripherals (Q1 84.3 L/h ↔ Vp1 143 L; Q2 37.6 L/h ↔ Vp2 417 L) and a hepato-portal compartment
 * (Qh 151 L/h ↔ Vh 101 L) from which the drug is eliminated (kel 1.11 /h to other metabolites, kmet
 * 2.77 /h to noresketamine). Elimination from a non-central compartment: general linear path.
 * Covariate: Qh falls 2.19 L/h per year of age above 60. Age is REQUIRED, not assumed: the effect is
 * large within the studied 18–86 years (Qh 38% lower at 86) and the population includes the elderly
 * TRD patients the dashboard is for, so a plan without `patient.ageYears` is refused naming the field
 * (engine/models/requirements.ts, read by parsePlan). Weight, sex and height are not used (weight and
 * sex were tested and not retained in the source); weight is checked against the studied 39–170 kg.
 * Routes: IV (the structure below), intranasal and oral solution (`routes`, below: the source's absorption
 * compartments appended to this structure only for a plan that uses them). Noresketamine (apparent, /F parameters) is the `metabolite`
 * record: its own compartments fed by kmet from the liver, computed beside the parent (cp, ce unchanged).
 */
const SRC = 'Perez-Ruixo 2021 Table 3 (nlmixr2lib transcription), CV% as ω² = ln(1 + CV²)';

/** Where the absorption numbers come from: Table 3 as transcribed, with nlmixr2lib's unit notes. */
const ABS = 'Perez-Ruixo 2021 Table 3 (nlmixr2lib PerezRuixo_2020_esketamine.R; ketamine-models.json "absorption")';
const ROUTE_PARAMETERS = {
  frn: { name: 'FRn', value: 0.54, unit: 'fraction', source: `${ABS}: fraction of each nasal dose absorbed nasally, FRn 0.54` },
  frnLater: {
    name: 'FRn factor, later devices',
    value: 0.62,
    unit: 'factor',
    source: `${ABS}: "Dose on FRn = 0.62", FRn of the second and later 28-mg devices of one session × 0.62 (applied per device here; nlmixr2lib's vignette averages it over the dose instead)`,
  },
  kaN: { name: 'ka_n', value: perHour(2.93), unit: '1/min', source: `${ABS}: ka_n 2.93 /h (Table 3 prints L/h, a units typo)` },
  dsw: {
    name: 'Dsw',
    value: 0.53 * 60,
    unit: 'min',
    source: `${ABS}: zero-order duration of the swallowed nasal portion, 0.53 h`,
  },
  kaSw: { name: 'ka_sw', value: perHour(1.45), unit: '1/min', source: `${ABS}: ka_sw 1.45 /h into the liver compartment` },
  fgut: {
    name: 'Fgut',
    value: 0.64,
    unit: 'fraction',
    source: `${ABS}: fraction of a swallowed dose escaping gut metabolism, Fgut 0.64`,
  },
  dpo: { name: 'Dpo', value: 0.32 * 60, unit: 'min', source: `${ABS}: zero-order duration of the oral solution, 0.32 h` },
  kaPo: { name: 'ka_po', value: perHour(0.97), unit: '1/min', source: `${ABS}: ka_po 0.97 /h into the liver compartment` },
} satisfies Record<string, RouteParameter>;
const R = ROUTE_PARAMETERS;

/**
 * Intranasal (Perez-Ruixo 2021 Section 2.3, Fig. 1, as encoded by nlmixr2lib): of each 28-mg device a
 * fraction FRn enters a nasal depot at once and is absorbed into the central compartment at ka_n; the
 * rest is swallowed: (1 − FRn)·Fgut enters a swallowed depot zero-order over Dsw and is absorbed at ka_sw
 * into the liver compartment (first pass: part is eliminated there before reaching the central one).
 * The second and later devices of one dose have FRn × 0.62; devices are 5 min apart (SPRAVATO_DEVICE).
 */
const intranasal: RouteDefinition = {
  route: 'intranasal',
  form: MODEL_ROUTES['perez-ruixo-2021-esketamine'].intranasal!.form,
  device: MODEL_ROUTES['perez-ruixo-2021-esketamine'].intranasal!.device,
  citation: ABS,
  description:
    'each 28-mg device: FRn 0.54 (× 0.62 for the 2nd and later devices of a dose) into a nasal depot at once, absorbed at ka_n 2.93 /h into the central compartment; the rest swallowed, (1 − FRn)·Fgut 0.64 zero-order over Dsw 0.53 h into a gut depot, absorbed at ka_sw 1.45 /h into the liver compartment (first pass)',
  parameters: [R.frn, R.frnLater, R.kaN, R.dsw, R.kaSw, R.fgut],
  compartments: ['nasal depot', 'swallowed nasal depot'],
  flows: [
    { from: 'nasal depot', to: 'central', k: R.kaN.value, parameter: 'ka_n' },
    { from: 'swallowed nasal depot', to: 'liver', k: R.kaSw.value, parameter: 'ka_sw' },
  ],
  inputs: (index) => {
    const frn = index === 0 ? R.frn.value : R.frn.value * R.frnLater.value;
    return [
      { compartment: 'nasal depot', fraction: frn, durationMin: 0 },
      { compartment: 'swallowed nasal depot', fraction: (1 - frn) * R.fgut.value, durationMin: R.dsw.value },
    ];
  },
};

/** Oral solution (Perez-Ruixo 2021, study ESKETINTRD1009, 84 mg): Fgut zero-order over Dpo into a gut depot, ka_po into the liver. */
const oral: RouteDefinition = {
  route: 'oral',
  form: MODEL_ROUTES['perez-ruixo-2021-esketamine'].oral!.form,
  citation: ABS,
  description:
    'Fgut 0.64 of the dose zero-order over Dpo 0.32 h into a gut depot, absorbed at ka_po 0.97 /h into the liver compartment (first pass); studied at 84 mg',
  parameters: [R.fgut, R.dpo, R.kaPo],
  compartments: ['oral depot'],
  flows: [{ from: 'oral depot', to: 'liver', k: R.kaPo.value, parameter: 'ka_po' }],
  inputs: () => [{ compartment: 'oral depot', fraction: R.fgut.value, durationMin: R.dpo.value }],
};
export const perezRuixo2021Esketamine: ModelDefinition = {
  id: 'perez-ruixo-2021-esketamine',
  name: 'Perez-Ruixo 2021 (esketamine)',
  drug: 'S-ketamine (esketamine)',
  citation:
    'Perez-Ruixo C, Rossenu S, Zannikos P, Nandy P, Singh J, Drevets WC, Perez-Ruixo JJ. Population pharmacokinetics of esketamine nasal spray and its metabolite noresketamine in healthy subjects and patients with treatment-resistant depression. Clin Pharmacokinet 2021;60(4):501-516.',
  doi: '10.1007/s40262-020-00953-4',
  population: '820 subjects (256 healthy, 564 TRD), age 18-86 (median 45), weight 39-170 kg (median 74), 58.4% female',
  sampling: 'venous plasma',
  covariates:
    'Qh − 2.19 L/h per year of age above 60. Weight, sex, hepatic and renal markers not retained. (Asian/Japanese covariates not applied.)',
  confidence: 'high for parameter values; IV use of an intranasal model is an extrapolation',
  validity: {
    ageYears: { min: 18, max: 86, basis: 'study range', kind: 'source' },
    weightKg: { min: 39, max: 170, basis: 'study range', kind: 'source' },
  },
  requires: COVARIATE_REQUIREMENTS['perez-ruixo-2021-esketamine'],
  parameters: (patient) => ({
    vc: 192,
    vp1: 143,
    vp2: 417,
    vh: 101,
    q1: perHour(84.3),
    q2: perHour(37.6),
    qh: perHour(151 - 2.19 * Math.max(0, requiredAge(patient) - 60)),
    kel: perHour(1.11),
    kmet: perHour(2.77),
  }),
  structure: (p) =>
    linearSystem({
      names: ['central', 'peripheral 1', 'peripheral 2', 'liver'],
      flows: [
        { from: 0, to: 1, k: p.q1 / p.vc },
        { from: 1, to: 0, k: p.q1 / p.vp1 },
        { from: 0, to: 2, k: p.q2 / p.vc },
        { from: 2, to: 0, k: p.q2 / p.vp2 },
        { from: 0, to: 3, k: p.qh / p.vc },
        { from: 3, to: 0, k: p.qh / p.vh },
        { from: 3, to: null, k: p.kel + p.kmet },
      ],
      input: 0,
      central: 0,
      volume: p.vc,
    }),
  ke0: { kind: 'derived', rule: 'time-to-peak', note: DERIVED_KE0_NOTE },
  routes: { intranasal, oral },
  variability: [
    { parameter: 'vc', omega2: omega2FromCv(0.275), source: SRC },
    { parameter: 'vp1', omega2: omega2FromCv(0.493), source: SRC },
    { parameter: 'qh', omega2: omega2FromCv(0.232), source: SRC },
    { parameter: 'vh', omega2: omega2FromCv(0.346), source: SRC },
    { parameter: 'kel', omega2: omega2FromCv(1.2), source: SRC },
  ],
  metabolite: {
    name: 'noresketamine (apparent)',
    volume: 'apparent',
    amount: 'mg esketamine equivalents (no molar-mass correction, as in the nlmixr2lib transcription)',
    source:
      'Perez-Ruixo 2021 Table 3 (nlmixr2lib PerezRuixo_2020_esketamine.R), as recorded in ketamine-models.json: "noresketamine apparent 2-cmt: Vcn/F 70 L, CLn/F 38 L/h, Vpn/F 115 L, Q3/F 26.1 L/h"; formed at kmet 2.77 /h from the liver compartment',
    note: 'APPARENT: no noresketamine was given IV, so its volumes and clearances are divided by an unidentified fraction (V/F, CL/F) and cm is on that apparent scale, not a measured concentration. The nlmixr2lib transcription reports that this literal encoding matches the published noresketamine Cmax within 2% but over-predicts its AUC0-24 by a factor of about 1.38-1.56 (nlmixr2lib vignette, Errata).',
    system: (p, structure) => {
      if (structure.kind !== 'linear') throw new Error('perez-ruixo-2021-esketamine: the parent structure must be linear');
      return withMetabolite(structure, {
        id: 'noresketamine (apparent)',
        names: ['noresketamine central (apparent)', 'noresketamine peripheral (apparent)'],
        formation: [{ from: structure.names.indexOf('liver'), to: 0, k: p.kmet }],
        flows: [
          { from: 0, to: 1, k: perHour(26.1) / 70 },
          { from: 1, to: 0, k: perHour(26.1) / 115 },
          { from: 0, to: null, k: perHour(38) / 70 },
        ],
        observed: 0,
        volume: 70,
      });
    },
  },
  notes: [
    'kmet variability is reported but its value is blank in Table 3; not applied.',
    'Systemic CL implied: 109 L/h (abstract reports 114 L/h).',
  ],
};
