// Kamp 2020 meta-analysis racemic, 3-compartment at 70 kg; clearance exponent 0.75 chosen (SimTIVA), pinned by test.
import type { ModelDefinition } from './types.ts';
import { DERIVED_KE0_NOTE, fromClearanceParameters, perHour, ADULT_PROXY_WEIGHT_KG, adultAgeByConvention } from './structures.ts';
import { allometric } from '../patient.ts';

/**
 * Kamp 2020 meta-analysis, racemic ketamine, 3 compartments, typical values at 70 kg:
 * V1 25, V2 56, V3 157 L; CL 84, Q2 161, Q3 79 L/h (../shared/models/ketamine-models.json).
 * Choice between implementations: volumes × WT/70 and clearances × (WT/70)^0.75 as in SimTIVA; opentiva
 * scales clearances linearly. 0.75 is the conventional allometric exponent and the pooled analysis is
 * allometric; the paper's exponent was not verified. test/engine/models pins this choice.
 * Covariates: weight only (allometric); age is checked against the adult range, not used; sex and
 * height not used. Weight range: the sources read state none, so the adult proxy 39–170 kg.
 */
export const kamp2020: ModelDefinition = {
  id: 'kamp-2020',
  name: 'Kamp 2020',
  drug: 'racemic ketamine',
  citation:
    'Kamp J, Olofsen E, Henthorn TK, van Velzen M, Niesters M, Dahan A. Ketamine pharmacokinetics: a systematic review of the literature, meta-analysis, and population analysis. Anesthesiology 2020;133(6):1192-1213.',
  doi: '10.1097/ALN.0000000000003577',
  population:
    "pooled raw data sets (14) from published studies; adults (the paper's two venous delay compartments are not represented)",
  sampling: 'central compartment = arterial (per abstract)',
  covariates: 'Volumes × (WT/70); clearances × (WT/70)^0.75 (SimTIVA; opentiva uses exponent 1; paper not verified).',
  confidence:
    'medium: two code sources agree on all six values; allometric exponent on clearance differs between them; venous-delay part of the published model is not included',
  validity: {
    ageYears: adultAgeByConvention('adults'),
    weightKg: ADULT_PROXY_WEIGHT_KG,
  },
  requires: [],
  parameters: (patient) => {
    const fv = allometric(patient.weightKg, 1);
    const fcl = allometric(patient.weightKg, 0.75);
    return {
      v1: 25 * fv,
      v2: 56 * fv,
      v3: 157 * fv,
      cl1: perHour(84) * fcl,
      cl2: perHour(161) * fcl,
      cl3: perHour(79) * fcl,
    };
  },
  structure: fromClearanceParameters,
  ke0: {
    kind: 'derived',
    rule: 'time-to-peak',
    note: DERIVED_KE0_NOTE + " SimTIVA's own fit of this rule is ke0 = 0.1876·ln(WT) + 0.5932 /min.",
  },
  variability: [],
  notes: ["Clearance exponent 0.75 chosen over opentiva's 1.0 (see covariates)."],
};
