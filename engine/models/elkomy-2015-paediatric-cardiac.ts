// Elkomy 2015 racemic, children with heart disease, 2-compartment allometric (abstract numbers).
import type { ModelDefinition } from './types.ts';
import { DERIVED_KE0_NOTE, fromClearanceParameters, PAEDIATRIC_PROXY_WEIGHT_KG, perHour } from './structures.ts';
import { allometric } from '../patient.ts';

/**
 * Elkomy 2015, racemic ketamine in children with heart disease, 2 compartments at 70 kg:
 * V1 57.3, V2 152 L; CL 60.6, Q 73.2 L/h; V × WT/70, CL and Q × (WT/70)^0.75 (abstract numbers).
 * Covariates: weight only (allometric); age is checked against the studied 6 months-18 years, not
 * used; sex and height not used. Weight range: the abstract states none, so the paediatric proxy 1.3–63.7 kg.
 */
export const elkomy2015PaediatricCardiac: ModelDefinition = {
  id: 'elkomy-2015-paediatric-cardiac',
  name: 'Elkomy 2015 (children, cardiac)',
  drug: 'racemic ketamine',
  citation:
    'Elkomy MH, Drover DR, Hammer GB, Galinkin JL, Ramamoorthy C. Population pharmacokinetics of ketamine in children with heart disease. Int J Pharm 2015;478(1):223-231.',
  doi: '10.1016/j.ijpharm.2014.11.026',
  population: '21 children 6 months-18 years with heart disease; 2 mg/kg IV',
  sampling: 'not verified',
  covariates: 'V × (WT/70); CL, Q × (WT/70)^0.75.',
  confidence: 'medium-high (abstract numbers only)',
  validity: {
    ageYears: { min: 0.5, max: 18, basis: 'study range (6 months-18 years)', kind: 'source' },
    weightKg: PAEDIATRIC_PROXY_WEIGHT_KG,
  },
  requires: [],
  parameters: (patient) => {
    const fv = allometric(patient.weightKg, 1);
    const fcl = allometric(patient.weightKg, 0.75);
    return { v1: 57.3 * fv, v2: 152 * fv, cl1: perHour(60.6) * fcl, cl2: perHour(73.2) * fcl };
  },
  structure: fromClearanceParameters,
  ke0: { kind: 'derived', rule: 'time-to-peak', note: DERIVED_KE0_NOTE },
  variability: [],
  notes: [],
};
