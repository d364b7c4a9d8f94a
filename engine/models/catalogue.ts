import type { CovariateRange, ModelDefinition } from './types.ts';
import { referenceTimeToPeakMin } from '../predict.ts';

/**
 * A registry model as plain data (what the CLI's `models` command prints and the dashboard's model
 * picker shows): citation, population, sampling, covariates, validity and ke0 provenance. One place,
 * so the two never disagree.
 */
export interface ModelDescription {
  readonly id: string;
  readonly name: string;
  readonly drug: string;
  readonly citation: string;
  readonly doi: string | null;
  readonly population: string;
  readonly sampling: string;
  readonly covariates: string;
  readonly confidence: string;
  readonly validity: { readonly weightKg?: CovariateRange; readonly ageYears?: CovariateRange };
  /** Published ke0 with its citation, or the derivation rule (the value depends on the patient). */
  readonly ke0:
    | { readonly kind: 'published'; readonly valuePerMin: number; readonly citation: string; readonly note: string }
    | { readonly kind: 'derived'; readonly rule: string; readonly note: string; readonly referenceTimeToPeakMin: number };
  readonly notes: readonly string[];
}

export function describeModel(m: ModelDefinition): ModelDescription {
  return {
    id: m.id,
    name: m.name,
    drug: m.drug,
    citation: m.citation,
    doi: m.doi,
    population: m.population,
    sampling: m.sampling,
    covariates: m.covariates,
    confidence: m.confidence,
    validity: { ...m.validity },
    ke0:
      m.ke0.kind === 'published'
        ? { kind: 'published', valuePerMin: m.ke0.valuePerMin, citation: m.ke0.citation, note: m.ke0.note }
        : { kind: 'derived', rule: m.ke0.rule, note: m.ke0.note, referenceTimeToPeakMin: referenceTimeToPeakMin() },
    notes: [...m.notes],
  };
}
