// `MODELS` (ten models in display order), `MODEL_IDS`, `findModel`, `DEFAULT_MODEL_ID`.
import type { ModelDefinition } from './types.ts';
import { domino1984 } from './domino-1984.ts';
import { kamp2020 } from './kamp-2020.ts';
import { hijazi2003 } from './hijazi-2003.ts';
import { herd2007Paediatric } from './herd-2007-paediatric.ts';
import { elkomy2015PaediatricCardiac } from './elkomy-2015-paediatric-cardiac.ts';
import { sherwin2015Paediatric } from './sherwin-2015-paediatric.ts';
import { fanta2015SKetamine } from './fanta-2015-s-ketamine.ts';
import { simons2022SKetamineArterial } from './simons-2022-s-ketamine-arterial.ts';
import { flint2017SKetaminePicu } from './flint-2017-s-ketamine-picu.ts';
import { perezRuixo2021Esketamine } from './perez-ruixo-2021-esketamine.ts';

/**
 * Every published model KetaSim knows, in display order. The UI, the CLI and the tests read this
 * list. Adding a model = one file in this folder + one line here + one reference test.
 */
export const MODELS: readonly ModelDefinition[] = [
  domino1984,
  kamp2020,
  hijazi2003,
  herd2007Paediatric,
  elkomy2015PaediatricCardiac,
  sherwin2015Paediatric,
  fanta2015SKetamine,
  simons2022SKetamineArterial,
  flint2017SKetaminePicu,
  perezRuixo2021Esketamine,
];

/** Registry ids, for plan validation. */
export const MODEL_IDS: readonly string[] = MODELS.map((m) => m.id);

/** The model with this id, or undefined. */
export function findModel(id: string): ModelDefinition | undefined {
  return MODELS.find((m) => m.id === id);
}

/** The default model of the dashboard and the examples. */
export const DEFAULT_MODEL_ID = 'domino-1984';
