// Fanta 2015 S-ketamine healthy volunteers, 3-compartment, Otto 2021 scaling and IIV (ω², covariance).
import type { ModelDefinition } from './types.ts';
import { DERIVED_KE0_NOTE, fromClearanceParameters, perHour, ADULT_PROXY_WEIGHT_KG, adultAgeByConvention } from './structures.ts';
import { allometric } from '../patient.ts';
import { OLOFSEN_2022_KE0_NOTE } from '../pd/s-ketamine-bands.ts';

/**
 * Fanta 2015, S-ketamine in healthy volunteers, 3 compartments, values as fixed in Otto 2021 at 70 kg:
 * V1 133, V2 187 (Q2 23.2 L/h), V3 98.8 L (Q3 157 L/h); CL 95.2 L/h. Otto 2021 scaling: V1 × WT/70,
 * CL × (WT/70)^0.75, peripheral volumes and Qs not weight-scaled. IIV (Otto 2021): ω² V1 0.084,
 * CL 0.026, covariance 0.023 (../shared/models/ketamine-models.json).
 * Covariates: weight only (Otto 2021 scaling); age is checked against the adult range, not used; sex
 * and height not used (11 males: a female patient is outside the studied group, not a different model).
 * Weight range: the sources read state none, so the adult proxy 39–170 kg.
 */
const OTTO = 'Otto 2021 EJCP 77:1181 (nlmixr2lib transcription), as recorded in ketamine-models.json';
export const fanta2015SKetamine: ModelDefinition = {
  id: 'fanta-2015-s-ketamine',
  name: 'Fanta 2015 (S-ketamine)',
  drug: 'S-ketamine (esketamine)',
  citation:
    'Fanta S, Kinnunen M, Backman JT, Kalso E. Population pharmacokinetics of S-ketamine and norketamine in healthy volunteers after intravenous and oral dosing. Eur J Clin Pharmacol 2015;71(4):441-447 (values as fixed in Otto 2021, EJCP 77:1181-1192, doi:10.1007/s00228-021-03104-1).',
  doi: '10.1007/s00228-015-1826-y',
  population: '11 healthy males, 0.125 mg/kg IV bolus and 0.25 mg/kg oral',
  sampling: 'venous',
  covariates: 'Otto 2021 implementation: V1 × (WT/70), CL × (WT/70)^0.75; peripheral volumes and Qs not weight-scaled.',
  confidence: 'medium-high',
  validity: {
    ageYears: adultAgeByConvention('healthy adult males'),
    weightKg: ADULT_PROXY_WEIGHT_KG,
  },
  requires: [],
  parameters: (patient) => ({
    v1: 133 * allometric(patient.weightKg, 1),
    v2: 187,
    v3: 98.8,
    cl1: perHour(95.2) * allometric(patient.weightKg, 0.75),
    cl2: perHour(23.2),
    cl3: perHour(157),
  }),
  structure: fromClearanceParameters,
  ke0: {
    kind: 'derived',
    rule: 'time-to-peak',
    note: DERIVED_KE0_NOTE + OLOFSEN_2022_KE0_NOTE,
  },
  variability: [
    { parameter: 'v1', omega2: 0.084, source: OTTO },
    { parameter: 'cl1', omega2: 0.026, source: OTTO },
  ],
  covariances: [{ a: 'v1', b: 'cl1', cov: 0.023, source: OTTO }],
  notes: ['Q2 pairs with V2 = 187 L and Q3 with V3 = 98.8 L, as in Otto 2021 Table 3.'],
};
