// General linear compartment model (`linearSystem`) stepped by matrix exponential of augmented system (`LinearStepper`, propagator cache).
import type { Litres } from '../units.ts';
import type { Mammillary } from './mammillary.ts';
import { NEGLIGIBLE_MG_PER_L } from './modal.ts';

/**
 * A matrix exponential: e^A for a square matrix given as rows (a new array). The engine does not load
 * one itself: mathjs is large (about 1 s to import in Node), and only general linear models need it, so
 * each entry installs one with `setMatrixExponential` — the browser workers by a static import of
 * engine/pk/mathjs-expm.ts, the Node entries (CLI, library, population worker threads) by a loader that
 * requires mathjs's `expm` on first use (cli/matrix-exponential.ts). Mammillary models never call it.
 */
export type MatrixExponential = (a: number[][]) => number[][];

let matrixExponential: MatrixExponential | null = null;

/** Install the matrix exponential the general linear path uses (replaces any earlier one). */
export function setMatrixExponential(f: MatrixExponential): void {
  matrixExponential = f;
}

/** Whether a matrix exponential is installed. */
export function hasMatrixExponential(): boolean {
  return matrixExponential !== null;
}

/**
 * A general linear compartment model: dx/dt = A·x + e_input·r(t), amounts in mg, A in 1/min.
 * Any structure fits: elimination from a non-central compartment (a liver), metabolite
 * compartments, transit chains with equal rate constants (a defective eigen-decomposition), so this
 * path never diagonalises; it steps with the matrix exponential of the augmented system.
 */
export interface LinearSystem {
  readonly kind: 'linear';
  /** Compartment names, for display and for extra outputs. */
  readonly names: readonly string[];
  /** n×n system matrix, row-major, 1/min. Column sums are −(elimination rate) of each compartment. */
  readonly a: Float64Array;
  /** Index of the compartment that receives IV boluses and infusions. */
  readonly input: number;
  /** Index of the compartment whose concentration is the plasma concentration cp. */
  readonly central: number;
  /** Volume of the observed (central) compartment, L. */
  readonly volume: Litres;
  /** Further observed concentrations (e.g. a metabolite's plasma concentration). */
  readonly outputs?: readonly { id: string; compartment: number; volume: Litres }[];
}

/** Build a linear system from a list of first-order flows; `to: null` is elimination. */
export function linearSystem(spec: {
  names: readonly string[];
  flows: readonly { from: number; to: number | null; k: number }[];
  input: number;
  central: number;
  volume: number;
  outputs?: readonly { id: string; compartment: number; volume: number }[];
}): LinearSystem {
  const n = spec.names.length;
  const a = new Float64Array(n * n);
  for (const f of spec.flows) {
    a[f.from * n + f.from] -= f.k;
    if (f.to !== null) a[f.to * n + f.from] += f.k;
  }
  return {
    kind: 'linear',
    names: spec.names,
    a,
    input: spec.input,
    central: spec.central,
    volume: spec.volume as Litres,
    outputs: spec.outputs?.map((o) => ({ ...o, volume: o.volume as Litres })),
  };
}

/** The same mammillary model written as a general linear system (for cross-checks). */
export function linearFromMammillary(m: Mammillary): LinearSystem {
  const names = ['central'];
  const flows: { from: number; to: number | null; k: number }[] = [{ from: 0, to: null, k: m.k10 }];
  if (m.k12 > 0) {
    names.push('peripheral 2');
    flows.push({ from: 0, to: names.length - 1, k: m.k12 }, { from: names.length - 1, to: 0, k: m.k21 });
  }
  if (m.k13 > 0) {
    names.push('peripheral 3');
    flows.push({ from: 0, to: names.length - 1, k: m.k13 }, { from: names.length - 1, to: 0, k: m.k31 });
  }
  return linearSystem({ names, flows, input: 0, central: 0, volume: m.v1 });
}

/**
 * The augmented propagator for one interval length: with state s = [x₀ … x_{n−1}, ce (mg/L)],
 * s(t+h) = P·s(t) + q·r, where [[P, q], [0, 1]] = expm(h·[[M, b], [0, 0]]) and M adds the effect
 * site ce' = ke0·(x_central/V − ce). P is (n+1)×(n+1) row-major, q has n+1 entries.
 */
export interface Propagator {
  readonly p: Float64Array;
  readonly q: Float64Array;
}

/** Matrix exponential propagators for a linear system with an effect site, cached per interval. */
export class LinearStepper {
  readonly size: number;
  private readonly generator: number[][];
  private readonly cache = new Map<number, Propagator>();

  readonly system: LinearSystem;
  readonly ke0: number;

  constructor(system: LinearSystem, ke0: number) {
    this.system = system;
    this.ke0 = ke0;
    const n = system.names.length;
    this.size = n + 1;
    const m = n + 2;
    const g: number[][] = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i][j] = system.a[i * n + j];
    g[n][system.central] = ke0 / system.volume;
    g[n][n] = -ke0;
    g[system.input][n + 1] = 1;
    this.generator = g;
  }

  /** The propagator for interval length h (min), computed once per distinct h. */
  propagator(h: number): Propagator {
    let prop = this.cache.get(h);
    if (prop) return prop;
    const m = this.size + 1;
    const scaled = this.generator.map((row) => row.map((x) => x * h));
    if (matrixExponential === null)
      throw new Error(
        'general linear model: no matrix exponential is installed (call setMatrixExponential; engine/pk/mathjs-expm.ts provides mathjs expm)',
      );
    const e = matrixExponential(scaled);
    const s = this.size;
    const p = new Float64Array(s * s);
    const q = new Float64Array(s);
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) p[i * s + j] = e[i][j];
      q[i] = e[i][m - 1];
    }
    prop = { p, q };
    if (this.cache.size > 256) this.cache.clear();
    this.cache.set(h, prop);
    return prop;
  }

  /**
   * Advance state `s` (length n+1) in place across h at constant `rate` (mg/min); `tmp` is scratch.
   * Values below NEGLIGIBLE_MG_PER_L are set to 0 so that no state lingers in slow subnormals.
   */
  advance(s: Float64Array, h: number, rate: number, tmp: Float64Array): void {
    const { p, q } = this.propagator(h);
    const n = this.size;
    for (let i = 0; i < n; i++) {
      let acc = q[i] * rate;
      const row = i * n;
      for (let j = 0; j < n; j++) acc += p[row + j] * s[j];
      tmp[i] = Math.abs(acc) < NEGLIGIBLE_MG_PER_L ? 0 : acc;
    }
    s.set(tmp.subarray(0, n));
  }
}

/** Amounts (mg) a time `h` (min) after the state `x0` with no input: e^{A·h}·x0, one n×n matrix exponential. */
export function freeResponse(system: LinearSystem, x0: Float64Array, h: number): Float64Array {
  if (matrixExponential === null)
    throw new Error('general linear model: no matrix exponential is installed (call setMatrixExponential)');
  const n = system.names.length;
  const scaled = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => system.a[i * n + j] * h));
  const e = matrixExponential(scaled);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let j = 0; j < n; j++) acc += e[i][j] * x0[j];
    out[i] = acc;
  }
  return out;
}
