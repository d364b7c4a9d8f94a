// `describeModel()`: a registry model as plain data (citation, population, ke0 provenance) shared by CLI and dashboard.
import type { CovariateRange, CovariateRequirement, ModelDefinition } from './types.ts';
import { referenceTimeToPeakMin } from '../predict.ts';
import { ke0Choices, NAMED_KE0_RECORDS, type Ke0Choice } from '../pd/s-ketamine-bands.ts';

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
  readonly validity: { readonly weightKg: CovariateRange; readonly ageYears: CovariateRange };
  /** Covariates besides weight that a plan for this model must give. */
  readonly requires: readonly CovariateRequirement[];
  /** Published ke0 with its citation, or the derivation rule (the value depends on the patient). */
  readonly ke0:
    | { readonly kind: 'published'; readonly valuePerMin: number; readonly citation: string; readonly note: string }
    | { readonly kind: 'derived'; readonly rule: string; readonly note: string; readonly referenceTimeToPeakMin: number };
  /**
   * The ke0 a plan may choose for this model: its own (`model.ke0` left out: published or derived), and for
   * an S-ketamine model Olofsen 2022's (`"ke0": "olofsen-2022"`, a transfer), each with its label and, for a
   * named one, its citation. A number in `model.ke0` overrides any of them.
   */
  readonly ke0Choices: readonly (Ke0Choice & { readonly planValue: string | null; readonly citation: string | null })[];
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
    validity: { weightKg: { ...m.validity.weightKg }, ageYears: { ...m.validity.ageYears } },
    requires: m.requires.map((r) => ({ ...r })),
    ke0:
      m.ke0.kind === 'published'
        ? { kind: 'published', valuePerMin: m.ke0.valuePerMin, citation: m.ke0.citation, note: m.ke0.note }
        : { kind: 'derived', rule: m.ke0.rule, note: m.ke0.note, referenceTimeToPeakMin: referenceTimeToPeakMin() },
    ke0Choices: ke0Choices(m).map((c) => ({
      ...c,
      planValue: c.choice === 'model' ? null : c.choice,
      citation: c.choice === 'model' ? null : `${NAMED_KE0_RECORDS[c.choice].citation}, doi:${NAMED_KE0_RECORDS[c.choice].doi}`,
    })),
    notes: [...m.notes],
  };
}
