// `fromClearanceParameters`, `fromMicroParameters`, `perHour` (L/h → L/min), `DERIVED_KE0_NOTE`, the shared adult validity ranges.
import { mammillary, microFromClearances } from '../pk/mammillary.ts';
import type { PkStructure } from '../pk/stepper.ts';
import type { CovariateRange } from './types.ts';

/** Mammillary structure from named volumes (L) and clearances (L/min): v1, cl1, v2?, cl2?, v3?, cl3?. */
export function fromClearanceParameters(p: Record<string, number>): PkStructure {
  return microFromClearances({ v1: p.v1, cl1: p.cl1, v2: p.v2, cl2: p.cl2, v3: p.v3, cl3: p.cl3 });
}

/** Mammillary structure from V1 (L) and micro-constants (1/min): v1, k10, k12?, k21?, k13?, k31?. */
export function fromMicroParameters(p: Record<string, number>): PkStructure {
  return mammillary(p.v1, p.k10, p.k12 ?? 0, p.k21 ?? 0, p.k13 ?? 0, p.k31 ?? 0);
}

/** L/h → L/min. Published clearances are often per hour; the engine works per minute. */
export const perHour = (lPerH: number): number => lPerH / 60;

/** A derived-ke0 provenance with the standard note (see engine/pk/ke0.ts for the rule). */
export const DERIVED_KE0_NOTE =
  'No ke0 was published with this model. Derived: the ke0 that gives the same time to peak effect-site ' +
  'concentration after a bolus as Domino 1984 PK with the published ke0 0.238 /min (Navarrete 2025, ' +
  'doi 10.1007/s10877-024-01240-4) — the rule SimTIVA applies to Kamp 2020. A software derivation, not a ' +
  'published estimate: change it if you have a better one.';

/**
 * Adult weight range for a model whose sources give none: a labelled proxy, the union of the adult weight
 * ranges the registry's sources do give. One record, so the proxy changes in one place.
 */
export const ADULT_PROXY_WEIGHT_KG: CovariateRange = {
  min: 39,
  max: 170,
  basis:
    'no weight range in the sources read; proxy: the union of the adult weight ranges the registry sources give (Perez-Ruixo 2021 39–170 kg, study range; Simons 2022 49–97 kg, mean ± 2 SD)',
  kind: 'proxy',
};

/**
 * The weight range used for paediatric models whose sources state none: the union of the paediatric
 * weight ranges the registry's sources give. A proxy, labelled so in every warning that uses it.
 */
export const PAEDIATRIC_PROXY_WEIGHT_KG: CovariateRange = {
  min: 1.3,
  max: 63.7,
  basis:
    'no weight range in the sources read; proxy: the union of the paediatric weight ranges the registry sources give (Herd 2007 1.3–63.7 kg, mean ± 2 SD; Flint 2017 3.4–35 kg, study range)',
  kind: 'proxy',
};

/** Adult age range by convention (18 up; no upper age stated, so the plan format's 120), naming the population. */
export const adultAgeByConvention = (population: string): CovariateRange => ({
  min: 18,
  max: 120,
  basis: `${population}: 18 by convention; no upper age stated (120 = the plan format limit)`,
  kind: 'derived',
});
