// The one tolerance helper: max |actual − expected| / max |expected| (the oracle measure).
import { expect } from 'vitest';

/**
 * The one tolerance helper (DESIGN.md rule 9): max |actual − expected| / max |expected|, the measure
 * the oracle contract is stated in.
 */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  let scale = 0,
    err = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    err = Math.max(err, Math.abs(actual[i] - expected[i]));
  }
  return scale === 0 ? err : err / scale;
}

/** Assert agreement to `tol` in the max-relative measure. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = ''): void {
  const e = maxRelativeError(actual, expected);
  expect(e, `${what} max relative error ${e.toExponential(2)} > ${tol}`).toBeLessThanOrEqual(tol);
}

/** Relative closeness of two scalars. */
export function expectNear(actual: number, expected: number, rtol: number, what = ''): void {
  const e = Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect(e, `${what} ${actual} vs ${expected}: relative error ${e.toExponential(2)} > ${rtol}`).toBeLessThanOrEqual(rtol);
}
