// Domino 1984 racemic, 3-compartment STANPUMP set, V1 0.063 L/kg; published ke0 0.238/min (Navarrete 2025).
import type { ModelDefinition } from './types.ts';
import { fromMicroParameters, ADULT_PROXY_WEIGHT_KG, adultAgeByConvention } from './structures.ts';

/**
 * Domino 1984, racemic ketamine, 3 compartments, the parameter set coded in STANPUMP.
 * Source: ../shared/models/ketamine-models.json (4 independent code copies agree: StanPump, stanpumpR,
 * opentiva, SimTIVA). V1 = 0.063 L/kg × WT; micro-constants fixed (not weight-scaled).
 * ke0 0.238 /min is the one published ketamine ke0 for this PK (Navarrete 2025), analgesia-linked.
 * Covariates: weight only (V1 per kg); age is checked against the adult range, not used; sex and height
 * not used. Weight range: the source states none, so the adult proxy 39–170 kg (see `validity`).
 */
export const domino1984: ModelDefinition = {
  id: 'domino-1984',
  name: 'Domino 1984',
  drug: 'racemic ketamine',
  citation:
    'Domino EF et al. Clin Pharmacol Ther 36:645-653 (parameter set as coded in STANPUMP; STANPUMP comment mislabels the year as 1991; the volume implies 1984). opentiva and a separate JS implementation cite instead Domino EF et al. Anesth Analg 1982;61(2):87-92 (PMID 7198883). Original paper not read.',
  doi: null,
  population: 'adults (original study population not verified)',
  sampling: 'not verified',
  covariates:
    'V1 = 0.063 L/kg × total body weight; micro-constants fixed, so all volumes and clearances scale linearly with weight. No age or sex covariates.',
  confidence:
    'high for the numbers as used in TCI software (4 independent code copies agree); medium for provenance (original paper not read)',
  validity: {
    ageYears: adultAgeByConvention('adults (study population not verified)'),
    weightKg: ADULT_PROXY_WEIGHT_KG,
  },
  requires: [],
  parameters: (patient) => ({
    v1: 0.063 * patient.weightKg,
    k10: 0.4381,
    k12: 0.5921,
    k21: 0.247,
    k13: 0.59,
    k31: 0.0146,
  }),
  structure: fromMicroParameters,
  ke0: {
    kind: 'published',
    valuePerMin: 0.238,
    citation:
      'Navarrete V, Ibacache M, Contreras V, Cortinez LI. J Clin Monit Comput 2025;39(2):349-354. doi:10.1007/s10877-024-01240-4',
    note: 'ke0 0.238 /min (95% CI 0.20-0.28) estimated with Domino PK and ANI (analgesia/nociception index) after a 0.1 mg/kg bolus in 20 adults: an analgesia-linked ke0, not a dissociation or hypnosis ke0.',
  },
  variability: [],
  notes: [
    'StanPump sets no ke0 ("k41 = 10 /* no idea */"); opentiva\'s 0.652 /min is a 1-min time-to-peak assumption, not published.',
  ],
};
