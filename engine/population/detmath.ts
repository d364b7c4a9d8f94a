/**
 * Deterministic elementary functions for the population engine.
 *
 * ECMAScript fixes +, −, ×, ÷ and Math.sqrt to IEEE-754 correctly rounded results, and integer
 * operations (Math.imul, <<, >>>, ^) exactly, but it leaves Math.exp, Math.log, Math.expm1, Math.cos
 * … "implementation-approximated": two JavaScript engines (or two versions of one) may return
 * different last bits. A virtual population must come out bit for bit the same from a seed in Node
 * and in any browser, so every transcendental the sampler and the population kernel need is computed
 * here from the exact operations only:
 *
 * - `detExp`, `detLog`: ports of fdlibm 5.3 e_exp.c and e_log.c (Sun Microsystems, 1993; the
 *   algorithms V8 also uses), with the IEEE words read and written through a big-endian DataView, whose
 *   byte layout the ECMAScript specification fixes. Error < 1 ulp.
 * - `detExpm1`: Taylor series for |x| ≤ 0.5 (to x^18, truncation ~1e-22 relative), `detExp(x) − 1`
 *   beyond, where no cancellation is possible. Error a few ulp.
 * - `detLog1p`: the classic `log(u) − ((u − 1) − x)/u` correction with u = 1 + x.
 * - `normalQuantile`: Wichura's AS 241 (PPND16, Appl Statist 1988;37:477-484), relative error about
 *   1e-16, on `detLog` and Math.sqrt.
 */

const WORDS = new DataView(new ArrayBuffer(8));

function highWord(x: number): number {
  WORDS.setFloat64(0, x);
  return WORDS.getInt32(0);
}
function lowWord(x: number): number {
  WORDS.setFloat64(0, x);
  return WORDS.getUint32(4);
}
function fromWords(hi: number, lo: number): number {
  WORDS.setUint32(0, hi >>> 0);
  WORDS.setUint32(4, lo >>> 0);
  return WORDS.getFloat64(0);
}
function withHighWord(x: number, hi: number): number {
  WORDS.setFloat64(0, x);
  WORDS.setUint32(0, hi >>> 0);
  return WORDS.getFloat64(0);
}

const LN2_HI = 6.9314718036912381649e-1; // 0x3fe62e42 fee00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef 35793c76
const INV_LN2 = 1.442695040888963387;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.4513321910194110842e2;
const TWO_M1000 = 9.3326361850321887899e-302;
const EULER = 2.718281828459045;

/** 2^k for integer k in [−1022, 1023], exactly (built by doubling and halving, which are exact). */
const POW2 = (() => {
  const t = new Float64Array(2046);
  t[1022] = 1;
  for (let k = 1; k <= 1023; k++) t[1022 + k] = t[1021 + k] * 2;
  for (let k = 1; k <= 1022; k++) t[1022 - k] = t[1023 - k] / 2;
  return t;
})();
const pow2 = (k: number): number => POW2[k + 1022];

// fdlibm's tests on the high word of |x|, as exact comparisons of |x| with doubles: "hx > H" is
// |x| ≥ fromWords(H + 1, 0), "hx < H" is |x| < fromWords(H, 0), "hx ≥ H" is |x| ≥ fromWords(H, 0).
const HX_HUGE = fromWords(0x40862e42, 0); // hx ≥ 0x40862e42: |x| ≥ 709.78…
const HX_HALF_LN2 = fromWords(0x3fd62e43, 0); // hx > 0x3fd62e42: |x| > 0.5 ln2
const HX_1_5_LN2 = fromWords(0x3ff0a2b2, 0); // hx < 0x3ff0a2b2: |x| < 1.5 ln2
const HX_TINY = fromWords(0x3e300000, 0); // hx < 0x3e300000: |x| < 2^-28

/** e^x, a port of fdlibm e_exp.c (< 1 ulp), deterministic across JavaScript engines. */
export function detExp(x: number): number {
  if (x !== x) return x + x;
  const ax = Math.abs(x);
  const neg = x < 0;
  if (ax >= HX_HUGE) {
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  let hi = 0,
    lo = 0,
    k = 0;
  if (ax >= HX_HALF_LN2) {
    if (ax < HX_1_5_LN2) {
      if (x === 1) return EULER; // fdlibm's special case (as V8): e itself, not the rounded polynomial
      hi = neg ? x + LN2_HI : x - LN2_HI;
      lo = neg ? -LN2_LO : LN2_LO;
      k = neg ? -1 : 1;
    } else {
      k = Math.trunc(INV_LN2 * x + (neg ? -0.5 : 0.5));
      hi = x - k * LN2_HI; // exact: LN2_HI has 21 trailing zero bits
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (ax < HX_TINY) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  if (k >= -1021) return k === 1024 ? y * 2 * pow2(1023) : y * pow2(k);
  return y * pow2(k + 1000) * TWO_M1000;
}

const LG1 = 6.66666666666673513e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;
const TWO54 = 1.8014398509481984e16;

/** Natural logarithm, a port of fdlibm e_log.c (< 1 ulp), deterministic across JavaScript engines. */
export function detLog(x: number): number {
  let hx = highWord(x);
  const lx = lowWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2^-1022
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity; // log(±0)
    if (hx < 0) return NaN; // log(−x)
    k -= 54;
    x *= TWO54; // subnormal: scale up
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000)); // normalise x or x/2
  k += i >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k === 0) return f - R;
    return k * LN2_HI - (R - k * LN2_LO - f);
  }
  const s = f / (2 + f);
  const dk = k;
  const z = s * s;
  let ii = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  ii |= j;
  const R = t2 + t1;
  if (ii > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    return dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f);
  }
  if (k === 0) return f - s * (f - R);
  return dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f);
}

/** 1/n! for n = 2 … 18 (the Taylor coefficients of e^x − 1 beyond x). */
const INV_FACT = (() => {
  const c: number[] = [];
  let f = 1;
  for (let n = 2; n <= 18; n++) {
    f *= n;
    c.push(1 / f);
  } // n! is exact in a double up to 18!
  return Float64Array.from(c);
})();

/**
 * e^x − 1 without cancellation near 0, deterministic: for |x| ≤ 0.5 the Taylor series to x^18 in
 * Horner form (truncation below 0.5^18/19! relative, ~1e-22), beyond it `detExp(x) − 1`.
 */
export function detExpm1(x: number): number {
  if (x !== x) return x;
  if (Math.abs(x) > 0.5) return detExp(x) - 1;
  let s = INV_FACT[16];
  for (let k = 15; k >= 0; k--) s = s * x + INV_FACT[k];
  return x + x * x * s;
}

/** ln(1 + x) without cancellation near 0, deterministic. */
export function detLog1p(x: number): number {
  if (x === 0) return x;
  const u = 1 + x;
  if (u === 1) return x; // |x| below half an ulp of 1: ln(1 + x) = x to working precision
  if (u === Infinity) return u;
  return detLog(u) - (u - 1 - x) / u;
}

/** ω² = ln(1 + CV²) of a log-normal parameter with coefficient of variation `cv` (fraction). */
export const omega2FromCvDet = (cv: number): number => detLog1p(cv * cv);
/** The coefficient of variation (fraction) of a log-normal with variance of the log ω²: √(e^ω² − 1). */
export const cvFromOmega2Det = (omega2: number): number => Math.sqrt(detExpm1(omega2));

// Wichura AS 241 (PPND16) coefficients.
const A = [
  3.387132872796366608, 1.3314166789178437745e2, 1.9715909503065514427e3, 1.3731693765509461125e4, 4.5921953931549871457e4,
  6.7265770927008700853e4, 3.3430575583588128105e4, 2.5090809287301226727e3,
];
const B = [
  1.0, 4.2313330701600911252e1, 6.871870074920579083e2, 5.3941960214247511077e3, 2.1213794301586595867e4, 3.930789580009271061e4,
  2.8729085735721942674e4, 5.226495278852854561e3,
];
const C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  2.4178072517745061177e-1, 2.27238449892691845833e-2, 7.7454501427834140764e-4,
];
const D = [
  1.0, 2.05319162663775882187, 1.6763848301838038494, 6.8976733498510000455e-1, 1.4810397642748007459e-1,
  1.51986665636164571966e-2, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 2.9656057182850489123e-1, 2.6532189526576123093e-2,
  1.2426609473880784386e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const F = [
  1.0, 5.9983220655588793769e-1, 1.3692988092273580531e-1, 1.48753612908506148525e-2, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

const horner = (c: readonly number[], x: number): number => {
  let v = c[7];
  for (let i = 6; i >= 0; i--) v = v * x + c[i];
  return v;
};

/**
 * The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (Wichura AS 241, relative error about 1e-16),
 * deterministic across JavaScript engines. Throws for p outside (0, 1): the sampler never passes one.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner(A, r)) / horner(B, r);
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-detLog(r));
  let v: number;
  if (r <= 5) {
    r -= 1.6;
    v = horner(C, r) / horner(D, r);
  } else {
    r -= 5;
    v = horner(E, r) / horner(F, r);
  }
  return q < 0 ? -v : v;
}
