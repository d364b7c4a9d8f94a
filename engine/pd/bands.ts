// `bandsForPlan`: a plan's bands (its own thresholds, else its model's drug's defaults); re-exports the racemic `DEFAULT_BANDS`.
import type { Band, ModelRef } from '../plan.ts';
import { isRegistryRef } from '../plan.ts';
import type { ModelDefinition } from '../models/types.ts';
import { findModel, MODEL_IDS } from '../models/registry.ts';
import { defaultBandSetForModel, type DefaultBandSet } from './s-ketamine-bands.ts';

/**
 * Where bands are chosen. The racemic defaults live in ./racemic-bands.ts and the S-ketamine set in
 * ./s-ketamine-bands.ts (which reads the racemic one); this module picks between them by the model's
 * drug, so an S-ketamine (esketamine) model is never scored against racemic bands silently.
 */
export { ANTIDEPRESSANT_MARKER, DEFAULT_BANDS, type CitedBand } from './racemic-bands.ts';

/**
 * What names a plan's drug: its model as written in the plan (`plan.model`: a registry id, or a custom
 * model, which the plan format gives no drug), or a resolved registry definition
 * (`prediction.model.definition`; `null` for a custom model).
 */
export type BandModel = ModelRef | Pick<ModelDefinition, 'drug'> | null;

const definitionOf = (model: BandModel): Pick<ModelDefinition, 'drug'> | null => {
  if (model === null) return null;
  if ('drug' in model) return model;
  if (!isRegistryRef(model)) return null;
  const def = findModel(model.id);
  if (!def) throw new Error(`model.id: unknown model "${model.id}"; expected one of ${MODEL_IDS.join(', ')}`);
  return def;
};

/**
 * The default band set (bands, reference lines, racemic bands with no counterpart and the notice) for a
 * plan's model: the racemic set for a racemic or custom model, the S-ketamine set
 * (engine/pd/s-ketamine-bands.ts) for an S-ketamine or esketamine model.
 */
export function defaultBandSet(model: BandModel): DefaultBandSet {
  return defaultBandSetForModel(definitionOf(model));
}

/**
 * The bands a plan uses: its own `thresholds` when given, else the defaults of its model's drug — the
 * racemic bands (Zanos 2018 and others, ./racemic-bands.ts) for racemic and custom models, the
 * S-ketamine bands (Olofsen 2022 C50, Schüttler 1987 EEG IC50; open-ended) for S-ketamine and esketamine
 * models. Pass the plan's model (`plan.model`) or the resolved definition; without one (`model` left
 * out, as in code written before the S-ketamine set) the racemic defaults apply, as for a custom model.
 */
export function bandsForPlan(thresholds: readonly Band[] | undefined, model: BandModel = null): readonly Band[] {
  return thresholds ?? defaultBandSet(model).bands;
}
