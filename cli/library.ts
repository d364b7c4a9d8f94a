// Node entry of the `ketasim` package (`import … from 'ketasim'`): the engine's public API with mathjs expm loaded on first use.
import { installLazyMatrixExponential } from './matrix-exponential.ts';

/**
 * Bundled to build/index.mjs (scripts/build-cli.mjs); its types are engine/index.ts's declarations
 * (build/types/engine/index.d.ts). The engine stays free of Node: this entry is where Node fills the
 * engine's matrix-exponential seam (a general linear model loads mathjs's `expm` the first time it runs).
 */
installLazyMatrixExponential();

export * from '../engine/index.ts';
