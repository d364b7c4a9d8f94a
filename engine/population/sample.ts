// `createSampler`/`sampleRange`: per-patient normal draws by inverse CDF, η = Lz, θ = θ·e^η.
import { detExp, normalQuantile } from './detmath.ts';
import { seedPatient, seedWords, uniform52, Xoshiro128ss, type U64 } from './prng.ts';

/**
 * Sampling of virtual patients. Patient i draws from its own xoshiro128** stream (seeded from the
 * population seed and i, see prng.ts): one standard normal per parameter, in parameter order, by the
 * inverse normal CDF of a uniform (one uniform per normal, no rejection, so every patient consumes
 * exactly 2P outputs), then η = L z and θ = θ_typical · e^η. Every operation is deterministic across
 * JavaScript engines (detmath.ts), so a seed reproduces the population bit for bit anywhere.
 */
export interface Sampler {
  /** Number of parameters P. */
  readonly size: number;
  /** Write patient `index`'s P parameters into `out[offset … offset + P)`. */
  sample(index: number, out: Float64Array, offset: number): void;
  /** Patient `index`'s η (log deviations from the typical values) into `out[offset …)`. */
  eta(index: number, out: Float64Array, offset: number): void;
}

/** A sampler for typical values `typical` and Cholesky factor `cholesky` (row-major P × P), seeded with `seed`. */
export function createSampler(typical: readonly number[], cholesky: readonly number[], seed: number): Sampler {
  const p = typical.length;
  if (cholesky.length !== p * p) throw new Error(`sampler: Cholesky factor has ${cholesky.length} entries, expected ${p * p}`);
  const words: U64 = seedWords(seed);
  const rng = new Xoshiro128ss();
  const z = new Float64Array(p);
  const l = Float64Array.from(cholesky);
  const th = Float64Array.from(typical);
  const eta = (index: number, out: Float64Array, offset: number): void => {
    seedPatient(rng, words, index);
    for (let k = 0; k < p; k++) z[k] = normalQuantile(uniform52(rng));
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let k = 0; k <= i; k++) s += l[i * p + k] * z[k];
      out[offset + i] = s;
    }
  };
  return {
    size: p,
    eta,
    sample(index, out, offset) {
      eta(index, out, offset);
      for (let i = 0; i < p; i++) out[offset + i] = th[i] * detExp(out[offset + i]);
    },
  };
}

/** Parameters of patients [from, to) as a row-major (to − from) × P array. */
export function sampleRange(sampler: Sampler, from: number, to: number): Float64Array {
  const out = new Float64Array((to - from) * sampler.size);
  for (let i = from; i < to; i++) sampler.sample(i, out, (i - from) * sampler.size);
  return out;
}
