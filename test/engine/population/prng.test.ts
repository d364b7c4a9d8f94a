// SplitMix64 and xoshiro128** vs published/BigInt references; `seedPatient`, `uniform52` range and moments.
import { describe, expect, it } from 'vitest';
import { seedPatient, seedWords, splitmix64At, uniform52, Xoshiro128ss } from '../../../engine/population/prng.ts';

const u64 = (w: { hi: number; lo: number }): bigint => (BigInt(w.hi >>> 0) << 32n) | BigInt(w.lo >>> 0);

/** SplitMix64 in BigInt arithmetic, straight from prng.di.unimi.it/splitmix64.c: an independent reference. */
function splitmixBig(seed: bigint, m: number): bigint {
  const mask = (1n << 64n) - 1n;
  let z = (seed + BigInt(m + 1) * 0x9e3779b97f4a7c15n) & mask;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
  return z ^ (z >> 31n);
}

describe('splitmix64At', () => {
  it('reproduces the published SplitMix64 outputs for seed 1234567', () => {
    // Reference outputs of splitmix64.c seeded with 1234567 (also Rosetta Code "Pseudo-random numbers/Splitmix64").
    const want = [6457827717110365317n, 3203168211198807973n, 9817491932198370423n, 4593380528125082431n, 16408922859458223821n];
    expect([0, 1, 2, 3, 4].map((m) => u64(splitmix64At(seedWords(1234567), m)))).toEqual(want);
  });
  it('gives 0xe220a8397b1dcdaf first for seed 0', () => {
    expect(u64(splitmix64At(seedWords(0), 0))).toBe(0xe220a8397b1dcdafn);
  });
  it('equals a BigInt implementation for seeds up to 2^53 − 1 and far positions', () => {
    for (const seed of [1, 42, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 12345, Number.MAX_SAFE_INTEGER]) {
      for (const m of [0, 7, 65535, 2 ** 31, 2 ** 33 + 5]) {
        expect(u64(splitmix64At(seedWords(seed), m))).toBe(splitmixBig(BigInt(seed), m));
      }
    }
  });
  it('rejects seeds that are not non-negative safe integers', () => {
    for (const bad of [-1, 0.5, 2 ** 53, NaN, Infinity]) expect(() => seedWords(bad)).toThrow(/seed/);
  });
});

describe('Xoshiro128ss', () => {
  it('reproduces the reference xoshiro128** 1.1 outputs from state {1, 2, 3, 4}', () => {
    // Values of the reference implementation prng.di.unimi.it/xoshiro128starstar.c (as in rand_xoshiro's test).
    const rng = new Xoshiro128ss().setState(1, 2, 3, 4);
    const want = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804];
    expect(want.map(() => rng.next())).toEqual(want);
  });
  it('never keeps an all-zero state', () => {
    const rng = new Xoshiro128ss().setState(0, 0, 0, 0);
    expect(rng.next() === 0 && rng.next() === 0 && rng.next() === 0 && rng.next() === 0).toBe(false);
  });
});

describe('seedPatient', () => {
  it('seeds patient i from SplitMix64 outputs 2i and 2i+1 (low word first), whatever the order of calls', () => {
    const w = seedWords(987654321);
    const rng = new Xoshiro128ss();
    for (const i of [5, 0, 3, 2 ** 31 - 1, 1]) {
      seedPatient(rng, w, i);
      const a = splitmixBig(987654321n, 2 * i),
        b = splitmixBig(987654321n, 2 * i + 1);
      const words = [a & 0xffffffffn, a >> 32n, b & 0xffffffffn, b >> 32n].map(Number);
      expect([rng.s0, rng.s1, rng.s2, rng.s3].map((x) => x >>> 0)).toEqual(words);
    }
  });
});

describe('uniform52', () => {
  it('stays strictly inside (0, 1), even for the extreme 52-bit words', () => {
    const fixed = (v: number) => ({ next: () => v }) as unknown as Xoshiro128ss;
    expect(uniform52(fixed(0))).toBe(0.5 / 2 ** 52);
    expect(uniform52(fixed(0xffffffff))).toBe(1 - 0.5 / 2 ** 52);
    expect(uniform52(fixed(0xffffffff))).toBeLessThan(1);
  });
  it('has mean 1/2 and variance 1/12 over 200,000 draws (within 5 standard errors)', () => {
    const rng = new Xoshiro128ss().setState(7, 8, 9, 10);
    const n = 200_000;
    let s = 0,
      s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = uniform52(rng);
      s += u;
      s2 += u * u;
    }
    const mean = s / n,
      variance = s2 / n - mean * mean;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    // SE of the variance of a uniform: sqrt((1/80 − 1/144)/n).
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt((1 / 80 - 1 / 144) / n));
  });
});
