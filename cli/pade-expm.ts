// The Node entries' matrix exponential: mathjs 15's `expm` (Padé with scaling and squaring) on plain numbers, operation for operation, so the same bits without mathjs's start-up.
import type { MatrixExponential } from '../engine/pk/linear-system.ts';

/**
 * Why a port: `ketasim simulate` on a general linear model spent most of its time in mathjs, not in
 * the arithmetic (0.320 s against 0.193 s for a mammillary model, quiet machine, bench/RESULTS.md).
 * Requiring the 180 kB subset (build/expm.cjs as it was) took 51–78 ms and its first call 274–568 ms
 * more (2-core machine at a 1-minute load of 6; later calls ~6 ms each), because mathjs builds its
 * typed functions (`expm`, `multiply`, `add`, `inv` and their dependencies) on first use and then
 * dispatches every scalar operation through them. This file runs the same algorithm as mathjs 15.2.0
 * (node_modules/mathjs/lib/esm/function/matrix/expm.js, inv.js, det.js and arithmetic/multiply.js;
 * Moler & Van Loan, "Nineteen Dubious Ways
 * to Compute the Exponential of a Matrix", SIAM Review 1978/2003): the same Padé order and scaling
 * power, the same scalar operations on IEEE doubles in the same order (a matrix product's sum starts
 * from its first product, not from 0; the inverse is mathjs's Gauss–Jordan with partial pivoting and
 * its zero skip; 1×1 and 2×2 inverses by mathjs's formulas), and the same errors. JavaScript never
 * fuses or reorders floating-point operations, so each result is the same double as mathjs's:
 * test/cli/pade-expm.test.ts compares every element's bits against mathjs's `expm` on the engine's own
 * generators and on random matrices of every size the engine uses. The browser workers keep mathjs
 * (engine/pk/mathjs-expm.ts); cross-engine results are unchanged because the bits are.
 */

/** mathjs's target accuracy of the approximant. */
const EPS = 1e-15;

/** mathjs `expm`'s error estimate of the (q, q) Padé approximant after scaling by 2^−j. */
function errorEstimate(infNorm: number, q: number, j: number): number {
  let qfac = 1;
  for (let i = 2; i <= q; i++) qfac *= i;
  let twoqfac = qfac;
  for (let i = q + 1; i <= 2 * q; i++) twoqfac *= i;
  const twoqp1fac = twoqfac * (2 * q + 1);
  return (8.0 * Math.pow(infNorm / Math.pow(2, j), 2 * q) * qfac * qfac) / (twoqfac * twoqp1fac);
}

/** mathjs `expm`'s choice of Padé order q and scaling power j: the first acceptable pair by increasing cost. */
function findParams(infNorm: number): { q: number; j: number } {
  for (let k = 0; k < 30; k++) {
    for (let q = 0; q <= k; q++) {
      const j = k - q;
      if (errorEstimate(infNorm, q, j) < EPS) return { q, j };
    }
  }
  throw new Error(
    'Could not find acceptable parameters to compute the matrix exponential (try increasing maxSearchSize in expm.js)',
  );
}

/** a·b for n×n row-major matrices, as mathjs's dense product: sum = a[i][0]·b[0][j], then sum += a[i][x]·b[x][j]. */
function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      let sum = a[row] * b[j];
      for (let x = 1; x < n; x++) sum = sum + a[row + x] * b[x * n + j];
      c[row + j] = sum;
    }
  }
  return c;
}

/** The n×n identity, row-major. */
function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

const SINGULAR = 'Cannot calculate inverse, determinant is zero';

/** mathjs `inv` of an n×n row-major matrix (a new array; `m` is not changed). */
function inverse(m: Float64Array, n: number): Float64Array {
  if (n === 1) {
    const value = m[0];
    if (value === 0) throw new Error(SINGULAR);
    return Float64Array.of(1 / value);
  }
  if (n === 2) {
    // mathjs `det` of a 2×2: a11·a22 − a21·a12.
    const d = m[0] * m[3] - m[2] * m[1];
    if (d === 0) throw new Error(SINGULAR);
    return Float64Array.of(m[3] / d, -m[1] / d, -m[2] / d, m[0] / d);
  }
  // Gauss–Jordan on rows of A and B = I, as mathjs: pivot = the first largest |A[r][c]|, r ≥ c.
  const a: Float64Array[] = [];
  const b: Float64Array[] = [];
  for (let r = 0; r < n; r++) {
    a.push(m.slice(r * n, (r + 1) * n));
    const e = new Float64Array(n);
    e[r] = 1;
    b.push(e);
  }
  for (let c = 0; c < n; c++) {
    let big = Math.abs(a[c][c]);
    let rBig = c;
    for (let r = c + 1; r < n; r++) {
      if (Math.abs(a[r][c]) > big) {
        big = Math.abs(a[r][c]);
        rBig = r;
      }
    }
    if (big === 0) throw new Error(SINGULAR);
    if (rBig !== c) {
      [a[c], a[rBig]] = [a[rBig], a[c]];
      [b[c], b[rBig]] = [b[rBig], b[c]];
    }
    const ac = a[c],
      bc = b[c];
    for (let r = 0; r < n; r++) {
      const ar = a[r],
        br = b[r];
      if (r !== c) {
        if (ar[c] !== 0) {
          const f = -ar[c] / ac[c];
          for (let s = c; s < n; s++) ar[s] = ar[s] + f * ac[s];
          for (let s = 0; s < n; s++) br[s] = br[s] + f * bc[s];
        }
      } else {
        const f = ac[c];
        for (let s = c; s < n; s++) ar[s] = ar[s] / f;
        for (let s = 0; s < n; s++) br[s] = br[s] / f;
      }
    }
  }
  const out = new Float64Array(n * n);
  for (let r = 0; r < n; r++) out.set(b[r], r * n);
  return out;
}

/**
 * e^A for a square matrix given as rows (a new array), bit for bit mathjs 15.2.0 `expm(matrix(a)).toArray()`.
 * Throws mathjs's errors: a matrix that is not square, a norm that is not finite (no Padé parameters),
 * a singular denominator.
 */
export const padeMatrixExponential: MatrixExponential = (rows) => {
  const n = rows.length;
  for (const row of rows) if (row.length !== n) throw new RangeError(`Matrix must be square (size: [${n}, ${row.length}])`);
  let infNorm = 0;
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let j = 0; j < n; j++) rowSum += Math.abs(rows[i][j]);
    infNorm = Math.max(rowSum, infNorm);
  }
  const { q, j } = findParams(infNorm);
  const scale = Math.pow(2, -j);
  const apos = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) apos[i * n + k] = rows[i][k] * scale;
  const num = identity(n);
  const den = identity(n);
  let factor = 1;
  let power: Float64Array = apos;
  let alternate = -1;
  for (let i = 1; i <= q; i++) {
    if (i > 1) {
      power = multiply(power, apos, n);
      alternate = -alternate;
    }
    factor = (factor * (q - i + 1)) / ((2 * q - i + 1) * i);
    const signed = factor * alternate;
    for (let e = 0; e < n * n; e++) {
      num[e] = num[e] + factor * power[e];
      den[e] = den[e] + signed * power[e];
    }
  }
  let r: Float64Array = multiply(inverse(den, n), num, n);
  for (let s = 0; s < j; s++) r = multiply(r, r, n);
  return Array.from({ length: n }, (_, i) => Array.from(r.subarray(i * n, (i + 1) * n)));
};
