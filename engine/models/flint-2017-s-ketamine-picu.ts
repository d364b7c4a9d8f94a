// Flint 2017 S-ketamine paediatric ICU, 2-compartment allometric, CL CV 40.2%.
import { omega2FromCv, type ModelDefinition } from './types.ts';
import { DERIVED_KE0_NOTE, fromClearanceParameters, perHour } from './structures.ts';
import { allometric } from '../patient.ts';

/**
 * Flint 2017, S-ketamine during prolonged sedation in the paediatric ICU, 2 compartments at 70 kg:
 * V1 7.73, V2 545 L; CL 112, Q 196 L/h; V × WT/70, CL and Q × (WT/70)^0.75 (fixed exponents).
 * IIV: CL CV 40.2% (../shared/models/ketamine-models.json). Paediatric ICU only.
 * Covariates: weight only (allometric); age is checked against the study range, not used; sex and
 * height not used.
 */
export const flint2017SKetaminePicu: ModelDefinition = {
  id: 'flint-2017-s-ketamine-picu',
  name: 'Flint 2017 (S-ketamine, PICU)',
  drug: 'S-ketamine (esketamine)',
  citation:
    'Flint RB, Brouwer CNM, Kranzlin ASC, Lie-A-Huen L, Bos AP, Mathot RAA. Pharmacokinetics of S-ketamine during prolonged sedation at the pediatric intensive care unit. Paediatr Anaesth 2017;27(11):1098-1107.',
  doi: '10.1111/pan.13239',
  population: '25 ventilated children 0.02-12.5 y, 3.4-35 kg; continuous infusion 0.3-3.6 mg/kg/h',
  sampling: 'not verified',
  covariates: 'V × (WT/70); CL, Q × (WT/70)^0.75 (fixed exponents).',
  confidence: 'medium-high (paediatric ICU only; do not use for adults)',
  validity: {
    ageYears: { min: 0.02, max: 12.5, basis: 'study range', kind: 'source' },
    weightKg: { min: 3.4, max: 35, basis: 'study range', kind: 'source' },
  },
  requires: [],
  parameters: (patient) => {
    const fv = allometric(patient.weightKg, 1);
    const fcl = allometric(patient.weightKg, 0.75);
    return { v1: 7.73 * fv, v2: 545 * fv, cl1: perHour(112) * fcl, cl2: perHour(196) * fcl };
  },
  structure: fromClearanceParameters,
  ke0: { kind: 'derived', rule: 'time-to-peak', note: DERIVED_KE0_NOTE },
  variability: [
    { parameter: 'cl1', omega2: omega2FromCv(0.402), source: 'Flint 2017 (nlmixr2lib), CL CV 40.2%, ω² = ln(1 + CV²)' },
  ],
  notes: ['S-norketamine (1 compartment, apparent CL/Fm 53.2 L/h/70 kg) is not modelled.'],
};
