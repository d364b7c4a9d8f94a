/**
 * Seeded pseudo-random numbers in 32-bit integer arithmetic only (Math.imul, shifts, xor), so a seed
 * gives the same stream in every JavaScript engine.
 *
 * - SplitMix64 (Steele, Lea & Flood 2014; reference: prng.di.unimi.it/splitmix64.c) in two 32-bit
 *   halves. Its state after m steps is seed + m·γ (mod 2⁶⁴), so output m can be computed directly: it
 *   is a random-access, counter-based generator, used here only to seed.
 * - xoshiro128** 1.1 (Blackman & Vigna 2018; prng.di.unimi.it/xoshiro128starstar.c): the generator
 *   each virtual patient draws from. Patient i's 128-bit state is SplitMix64 outputs 2i and 2i+1 of the
 *   population seed, so a patient's draws do not depend on which worker, chunk or order produced them.
 * - `uniform52`: a double in (0, 1) from two 32-bit outputs: 52 random bits m, u = (m + ½)·2⁻⁵²,
 *   exact in a double, so neither 0 nor 1 can occur (the normal quantile needs that).
 */

/** Largest seed accepted: seeds are non-negative safe integers (split into two 32-bit halves). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

// SplitMix64 constants as 32-bit halves.
const GAMMA_HI = 0x9e3779b9,
  GAMMA_LO = 0x7f4a7c15;
const M1_HI = 0xbf58476d,
  M1_LO = 0x1ce4e5b9;
const M2_HI = 0x94d049bb,
  M2_LO = 0x133111eb;

/** High 32 bits of the 64-bit product of two unsigned 32-bit integers, exactly. */
function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff,
    a1 = a >>> 16;
  const b0 = b & 0xffff,
    b1 = b >>> 16;
  const p00 = a0 * b0,
    p01 = a0 * b1,
    p10 = a1 * b0,
    p11 = a1 * b1; // each < 2^32, exact in a double
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

/** A 64-bit unsigned integer as two unsigned 32-bit halves. */
export interface U64 {
  hi: number;
  lo: number;
}

/** (a · b) mod 2⁶⁴. */
function mul64(ahi: number, alo: number, bhi: number, blo: number, out: U64): void {
  const lo = Math.imul(alo, blo) >>> 0;
  const hi = (mulHi32(alo, blo) + Math.imul(ahi, blo) + Math.imul(alo, bhi)) >>> 0;
  out.hi = hi;
  out.lo = lo;
}

/** (a + b) mod 2⁶⁴. */
function add64(ahi: number, alo: number, bhi: number, blo: number, out: U64): void {
  const lo = (alo + blo) >>> 0;
  const carry = lo < alo >>> 0 ? 1 : 0;
  out.hi = (ahi + bhi + carry) >>> 0;
  out.lo = lo;
}

/** The SplitMix64 output function applied to state z (in place). */
function mix64(z: U64): void {
  // z = (z ^ (z >>> 30)) * M1
  let hi = z.hi,
    lo = z.lo;
  lo = (lo ^ ((lo >>> 30) | (hi << 2))) >>> 0;
  hi = (hi ^ (hi >>> 30)) >>> 0;
  mul64(hi, lo, M1_HI, M1_LO, z);
  // z = (z ^ (z >>> 27)) * M2
  hi = z.hi;
  lo = z.lo;
  lo = (lo ^ ((lo >>> 27) | (hi << 5))) >>> 0;
  hi = (hi ^ (hi >>> 27)) >>> 0;
  mul64(hi, lo, M2_HI, M2_LO, z);
  // z ^ (z >>> 31)
  hi = z.hi;
  lo = z.lo;
  z.lo = (lo ^ ((lo >>> 31) | (hi << 1))) >>> 0;
  z.hi = (hi ^ (hi >>> 31)) >>> 0;
}

/** Split a seed (non-negative safe integer) into 32-bit halves; throws for anything else. */
export function seedWords(seed: number): U64 {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`seed: must be an integer between 0 and ${MAX_SEED}, got ${seed}`);
  return { hi: Math.floor(seed / 0x100000000) >>> 0, lo: seed >>> 0 };
}

/**
 * Output number `m` (0-based) of SplitMix64 seeded with `seed`: mix(seed + (m + 1)·γ). Random access;
 * `splitmix64At(s, 0), splitmix64At(s, 1), …` is the reference sequence.
 */
export function splitmix64At(seed: U64, m: number, out: U64 = { hi: 0, lo: 0 }): U64 {
  const k = m + 1;
  mul64(Math.floor(k / 0x100000000) >>> 0, k >>> 0, GAMMA_HI, GAMMA_LO, out);
  add64(seed.hi, seed.lo, out.hi, out.lo, out);
  mix64(out);
  return out;
}

/** xoshiro128** 1.1: 128-bit state, 32-bit outputs. */
export class Xoshiro128ss {
  s0 = 0;
  s1 = 0;
  s2 = 0;
  s3 = 0;

  /** Set the state directly (the reference tests use { 1, 2, 3, 4 }). An all-zero state is replaced by { 1, 0, 0, 0 }. */
  setState(s0: number, s1: number, s2: number, s3: number): this {
    this.s0 = s0 >>> 0;
    this.s1 = s1 >>> 0;
    this.s2 = s2 >>> 0;
    this.s3 = s3 >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    return this;
  }

  /** Next 32-bit output, as an unsigned integer. */
  next(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }
}

/** SplitMix64 output number m of `seed`, returned as [lo, hi] into `out` (no allocation): the hot path of seeding. */
function splitmixWords(seedHi: number, seedLo: number, m: number, out: Int32Array, at: number): void {
  // state = seed + (m + 1)·γ (mod 2^64); (m + 1) < 2^32 here.
  const k = (m + 1) >>> 0;
  const plo = Math.imul(k, GAMMA_LO) >>> 0;
  const phi = (mulHi32(k, GAMMA_LO) + Math.imul(k, GAMMA_HI)) >>> 0;
  let lo = (seedLo + plo) >>> 0;
  let hi = (seedHi + phi + (lo < plo ? 1 : 0)) >>> 0;
  // z = (z ^ (z >>> 30)) * M1
  lo = (lo ^ ((lo >>> 30) | (hi << 2))) >>> 0;
  hi = (hi ^ (hi >>> 30)) >>> 0;
  let nlo = Math.imul(lo, M1_LO) >>> 0;
  let nhi = (mulHi32(lo, M1_LO) + Math.imul(hi, M1_LO) + Math.imul(lo, M1_HI)) >>> 0;
  // z = (z ^ (z >>> 27)) * M2
  lo = (nlo ^ ((nlo >>> 27) | (nhi << 5))) >>> 0;
  hi = (nhi ^ (nhi >>> 27)) >>> 0;
  nlo = Math.imul(lo, M2_LO) >>> 0;
  nhi = (mulHi32(lo, M2_LO) + Math.imul(hi, M2_LO) + Math.imul(lo, M2_HI)) >>> 0;
  // z ^ (z >>> 31)
  out[at] = nlo ^ ((nlo >>> 31) | (nhi << 1));
  out[at + 1] = nhi ^ (nhi >>> 31);
}

const words = new Int32Array(4);

/** Seed `rng` with the stream of virtual patient `index` (0-based) of the population with `seed`. */
export function seedPatient(rng: Xoshiro128ss, seed: U64, index: number): Xoshiro128ss {
  if (2 * index + 2 > 0xffffffff) return seedPatientWide(rng, seed, index);
  splitmixWords(seed.hi, seed.lo, 2 * index, words, 0);
  splitmixWords(seed.hi, seed.lo, 2 * index + 1, words, 2);
  return rng.setState(words[0], words[1], words[2], words[3]);
}

const scratch: U64 = { hi: 0, lo: 0 };
/** The general path for indices whose counter does not fit 32 bits. */
function seedPatientWide(rng: Xoshiro128ss, seed: U64, index: number): Xoshiro128ss {
  splitmix64At(seed, 2 * index, scratch);
  const a = scratch.lo,
    b = scratch.hi;
  splitmix64At(seed, 2 * index + 1, scratch);
  return rng.setState(a, b, scratch.lo, scratch.hi);
}

const TWO_POW_M52 = 1 / 4503599627370496;
/**
 * A double uniform on (0, 1): 52 random bits m (the top 26 of two outputs), u = (m + ½)·2⁻⁵². Every
 * step is exact (m + ½ < 2⁵² needs 53 significant bits), so u is never 0 or 1.
 */
export function uniform52(rng: Xoshiro128ss): number {
  const a = rng.next() >>> 6;
  const b = rng.next() >>> 6;
  return (a * 67108864 + b + 0.5) * TWO_POW_M52;
}
