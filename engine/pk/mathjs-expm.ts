// mathjs's matrix exponential for the general linear path, and `installMathjsMatrixExponential` (static import: browser workers, tests).
import { create, expmDependencies, matrixDependencies } from 'mathjs';
import { setMatrixExponential } from './linear-system.ts';

/**
 * Only the two mathjs functions the general path needs, built from their dependency lists (mathjs's
 * documented way to a small bundle): a bundler keeps about 180 kB of mathjs instead of all of it, and
 * Node loads the prebuilt bundle of this file (build/expm.cjs, scripts/build-cli.mjs) in ~20 ms instead
 * of ~1 s for all of mathjs. Same code as the full library's `expm`, so the same bits (tested).
 */
const math = create({ expmDependencies, matrixDependencies });

/** e^A by mathjs `expm` (Padé approximant with scaling and squaring), A square, as rows. */
export function mathjsMatrixExponential(a: number[][]): number[][] {
  return math.expm(math.matrix(a)).toArray() as number[][];
}

/** Make mathjs `expm` the engine's matrix exponential (engine/pk/linear-system.ts `setMatrixExponential`). */
export function installMathjsMatrixExponential(): void {
  setMatrixExponential(mathjsMatrixExponential);
}
