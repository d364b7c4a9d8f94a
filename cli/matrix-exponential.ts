// Node entries' matrix exponential: mathjs `expm`'s algorithm (cli/pade-expm.ts, same bits) required synchronously on first use (only general linear models need it).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hasMatrixExponential, setMatrixExponential, type MatrixExponential } from '../engine/pk/linear-system.ts';

/**
 * Install a matrix exponential that is loaded only when a general linear model first needs it, so a
 * mammillary model never pays for it. In a build (build/ketasim.cjs, build/index.mjs, the population
 * worker bundle) the loader requires build/expm.cjs, the prebuilt bundle of cli/pade-expm.ts: mathjs
 * 15's `expm` ported operation for operation to plain numbers (a few kB, under a millisecond to load,
 * and no typed-function set-up on the first call; the bits are mathjs's, tested). In a source checkout
 * without that bundle (tsx) it requires mathjs itself and builds the same function from `expm` and
 * `matrix`. An entry that already installed one (a test setup file) keeps it.
 */
export function installLazyMatrixExponential(): void {
  if (hasMatrixExponential()) return;
  let loaded: MatrixExponential | null = null;
  setMatrixExponential((a) => (loaded ??= loadMatrixExponential())(a));
}

function loadMatrixExponential(): MatrixExponential {
  const require = createRequire(import.meta.url);
  const prebuilt = new URL('./expm.cjs', import.meta.url);
  if (existsSync(prebuilt))
    return (require(prebuilt.pathname) as { padeMatrixExponential: MatrixExponential }).padeMatrixExponential;
  const mathjs = require('mathjs') as typeof import('mathjs');
  const math = mathjs.create({ expmDependencies: mathjs.expmDependencies, matrixDependencies: mathjs.matrixDependencies });
  return (a) => math.expm(math.matrix(a)).toArray() as number[][];
}
