// Herd & Anderson 2007 racemic, children (ED sedation), 2-compartment allometric, with published BSV.
import { omega2FromCv, type ModelDefinition } from './types.ts';
import { DERIVED_KE0_NOTE, fromClearanceParameters, perHour } from './structures.ts';
import { allometric } from '../patient.ts';

/**
 * Herd & Anderson 2007, racemic ketamine in children (emergency department sedation), 2 compartments,
 * standardised to 70 kg: V1 38.7, V2 102 L; CL 90, Q 215 L/h; V × WT/70, CL and Q × (WT/70)^0.75.
 * Between-subject variability (%): V1 64, V2 51.7, CL 38.1, Q 19 (../shared/models/ketamine-models.json).
 * Covariates: weight only (allometric); age is checked against its derived range, not used; sex and
 * height not used.
 */
const BSV = 'Herd & Anderson 2007 (abstract and opentiva agree); BSV % read as CV, ω² = ln(1 + CV²)';
export const herd2007Paediatric: ModelDefinition = {
  id: 'herd-2007-paediatric',
  name: 'Herd 2007 (children)',
  drug: 'racemic ketamine',
  citation:
    "Herd DW, Anderson BJ. Ketamine disposition in children presenting for procedural sedation and analgesia in a children's emergency department. Paediatr Anaesth 2007;17(7):622-629.",
  doi: '10.1111/j.1460-9592.2006.02145.x',
  population: '54 children, age 8.3 (SD 3.5) y, weight 32.5 (SD 15.6) kg; 1-1.5 mg/kg IV',
  sampling: 'venous (serum) presumed; not verified',
  covariates: 'V × (WT/70); CL, Q × (WT/70)^0.75 (allometric, as in abstract and opentiva).',
  confidence: 'high (abstract and code agree)',
  validity: {
    ageYears: {
      min: 1.3,
      max: 15.3,
      basis: 'mean ± 2 SD of the study population (derived from 8.3 ± 3.5 y)',
      kind: 'derived',
    },
    weightKg: {
      min: 1.3,
      max: 63.7,
      basis: 'mean ± 2 SD of the study population (derived from 32.5 ± 15.6 kg)',
      kind: 'derived',
    },
  },
  requires: [],
  parameters: (patient) => {
    const fv = allometric(patient.weightKg, 1);
    const fcl = allometric(patient.weightKg, 0.75);
    return { v1: 38.7 * fv, v2: 102 * fv, cl1: perHour(90) * fcl, cl2: perHour(215) * fcl };
  },
  structure: fromClearanceParameters,
  ke0: {
    kind: 'derived',
    rule: 'time-to-peak',
    note:
      DERIVED_KE0_NOTE +
      ' Herd 2008 reports a sedation t½keo of 11 s for the same children; not used because the link to this PK is presumed, not verified.',
  },
  variability: [
    { parameter: 'v1', omega2: omega2FromCv(0.64), source: BSV },
    { parameter: 'v2', omega2: omega2FromCv(0.517), source: BSV },
    { parameter: 'cl1', omega2: omega2FromCv(0.381), source: BSV },
    { parameter: 'cl2', omega2: omega2FromCv(0.19), source: BSV },
  ],
  notes: [],
};
