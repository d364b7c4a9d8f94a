// Node entry of the `ketasim` package (`import … from 'ketasim'`): the engine's public API with the matrix exponential (mathjs `expm`'s bits, cli/pade-expm.ts) loaded on first use.
import { installLazyMatrixExponential } from './matrix-exponential.ts';

/**
 * Bundled to build/index.mjs (scripts/build-cli.mjs); its types are engine/index.ts's declarations
 * (build/types/engine/index.d.ts). The engine stays free of Node: this entry is where Node fills the
 * engine's matrix-exponential seam (a general linear model loads build/expm.cjs, mathjs's `expm` ported with the same
 * bits, the first time it runs).
 */
installLazyMatrixExponential();

export * from '../engine/index.ts';
