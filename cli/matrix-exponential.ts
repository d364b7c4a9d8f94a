// Node entries' matrix exponential: mathjs `expm` required synchronously on first use (only general linear models need it).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hasMatrixExponential, setMatrixExponential, type MatrixExponential } from '../engine/pk/linear-system.ts';

/**
 * Install a matrix exponential that loads mathjs only when a general linear model first needs it, so a
 * mammillary model never pays for it. In a build (build/ketasim.mjs, build/index.mjs, the population
 * worker bundle) the loader requires build/expm.cjs, the prebuilt bundle of engine/pk/mathjs-expm.ts (only
 * `expm` and `matrix`, ~20 ms to load); in a source checkout (tsx, tests) it requires mathjs itself and
 * builds the same two functions. An entry that already installed one (a test setup file) keeps it.
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
    return (require(prebuilt.pathname) as { mathjsMatrixExponential: MatrixExponential }).mathjsMatrixExponential;
  const mathjs = require('mathjs') as typeof import('mathjs');
  const math = mathjs.create({ expmDependencies: mathjs.expmDependencies, matrixDependencies: mathjs.matrixDependencies });
  return (a) => math.expm(math.matrix(a)).toArray() as number[][];
}
