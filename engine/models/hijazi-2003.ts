// Hijazi 2003 racemic, adult ICU brain/spinal injury, 2-compartment, V1 1.08 L/kg, fixed micro-constants; derived ke0.
import type { ModelDefinition } from './types.ts';
import { DERIVED_KE0_NOTE, fromMicroParameters, ADULT_PROXY_WEIGHT_KG, adultAgeByConvention } from './structures.ts';

/**
 * Hijazi 2003, racemic ketamine in adult ICU patients with brain or spinal cord injury, 2 compartments.
 * V1 = 1.08 L/kg × WT; k10 0.0333, k12 0.0088, k21 0.003 /min (../shared/models/ketamine-models.json;
 * consistent with the abstract's CL 36 mL/min/kg and t½ 4.9 h).
 * Covariates: weight only (V1 per kg); age is checked against the adult range, not used; sex and height
 * not used. Weight range: the abstract states none, so the adult proxy 39–170 kg.
 */
export const hijazi2003: ModelDefinition = {
  id: 'hijazi-2003',
  name: 'Hijazi 2003 (ICU)',
  drug: 'racemic ketamine',
  citation:
    'Hijazi Y, Bodonian C, Bolon M, Salord F, Boulieu R. Pharmacokinetics and haemodynamics of ketamine in intensive care patients with brain or spinal cord injury. Br J Anaesth 2003;90(2):155-160.',
  doi: '10.1093/bja/aeg028',
  population: '12 adult ICU patients with brain or spinal cord injury',
  sampling: 'not verified',
  covariates: 'V1 = 1.08 L/kg × WT; micro-constants fixed.',
  confidence: 'medium (one code source, internally consistent with the abstract)',
  validity: {
    ageYears: adultAgeByConvention('adults'),
    weightKg: ADULT_PROXY_WEIGHT_KG,
  },
  requires: [],
  parameters: (patient) => ({ v1: 1.08 * patient.weightKg, k10: 0.0333, k12: 0.0088, k21: 0.003 }),
  structure: fromMicroParameters,
  ke0: { kind: 'derived', rule: 'time-to-peak', note: DERIVED_KE0_NOTE },
  variability: [],
  notes: [
    'Abstract variability: CL 36.0 (SD 13.3) mL/min/kg; Vβ 16.0 (SD 8.6) L/kg — not in log-normal form, so not used for populations.',
  ],
};
