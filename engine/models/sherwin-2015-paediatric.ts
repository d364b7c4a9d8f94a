// Sherwin 2015 racemic, children (procedural sedation), 2-compartment; allometric exponents ASSUMED (1, 0.75).
import type { ModelDefinition } from './types.ts';
import { DERIVED_KE0_NOTE, fromClearanceParameters, PAEDIATRIC_PROXY_WEIGHT_KG, perHour } from './structures.ts';
import { allometric } from '../patient.ts';

/**
 * Sherwin 2015, racemic ketamine in children (procedural sedation), 2 compartments at 70 kg:
 * V1 20.5, V2 220 L; CL 87.9, Q 87.3 L/h. The abstract does not state the allometric exponents:
 * 1 for volumes and 0.75 for clearances are ASSUMED (flagged in ketamine-models.json).
 * Covariates: weight only (allometric, exponents assumed); age is checked against 0–18 years (children),
 * not used; sex and height not used. Weight range: the abstract states none, so the paediatric proxy 1.3–63.7 kg.
 */
export const sherwin2015Paediatric: ModelDefinition = {
  id: 'sherwin-2015-paediatric',
  name: 'Sherwin 2015 (children)',
  drug: 'racemic ketamine',
  citation:
    'Sherwin CMT et al. Development of an optimal sampling schedule for children receiving ketamine for short-term procedural sedation and analgesia. Paediatr Anaesth 2015;25(2):211-216.',
  doi: '10.1111/pan.12521',
  population: '57 children, 1-1.5 mg/kg IV bolus',
  sampling: 'not verified',
  covariates: 'Per 70 kg; exponents not stated in the abstract: V × (WT/70) and CL, Q × (WT/70)^0.75 assumed.',
  confidence: 'medium (single abstract)',
  validity: {
    ageYears: {
      min: 0,
      max: 18,
      basis: 'children (age range not stated in the abstract): 0 to 18 by convention',
      kind: 'derived',
    },
    weightKg: PAEDIATRIC_PROXY_WEIGHT_KG,
  },
  requires: [],
  parameters: (patient) => {
    const fv = allometric(patient.weightKg, 1);
    const fcl = allometric(patient.weightKg, 0.75);
    return { v1: 20.5 * fv, v2: 220 * fv, cl1: perHour(87.9) * fcl, cl2: perHour(87.3) * fcl };
  },
  structure: fromClearanceParameters,
  ke0: { kind: 'derived', rule: 'time-to-peak', note: DERIVED_KE0_NOTE },
  variability: [],
  notes: [
    'Allometric exponents are an assumption (not in the abstract).',
    'Abstract: population parameter variability 34%-98%, per parameter not given.',
  ],
};
