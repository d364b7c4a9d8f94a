// General linear compartment model (`linearSystem`) stepped by matrix exponential of augmented system (`LinearStepper`, propagator cache).
import type { Litres, MgPerL } from '../units.ts';
import type { Mammillary } from './mammillary.ts';
import { NEGLIGIBLE_MG_PER_L } from './modal.ts';

/**
 * A matrix exponential: e^A for a square matrix given as rows (a new array). The engine does not load
 * one itself: mathjs is large (about 1 s to import in Node), and only general linear models need it, so
 * each entry installs one with `setMatrixExponential` — the browser workers by a static import of
 * engine/pk/mathjs-expm.ts, the Node entries (CLI, library, population worker threads) by a loader that
 * requires, on first use, cli/pade-expm.ts: mathjs 15.2.0's `expm` ported step by step to plain numbers (the
 * same bits; test/cli/pade-expm.test.ts compares them), without mathjs's start-up cost
 * (cli/matrix-exponential.ts). Mammillary models never call it.
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

/**
 * Exact stepping of a linear system with an effect site and inputs into more than one compartment: the
 * IV input (`system.input`, at the pump's rate) and `slots` route compartments at the end of the system
 * (indices n − slots … n − 1, engine/dosing/routes.ts), each with its own zero-order rate. Over an
 * interval of constant inputs the state moves by the augmented propagator
 * expm(h·[[M, B], [0, 0]]) = [[P, Q], [0, I]], B = [e_input, e_slot0, …] — the IV path's construction
 * with more input columns, so exact in the same sense (no integration error). Used only for a plan
 * with non-IV doses; IV plans keep `GeneralStepper`/`ModalStepper` and their bits.
 */
export class RoutedLinearStepper {
  readonly system: LinearSystem;
  readonly ke0: number;
  /** Number of route compartments at the end of the system. */
  readonly slots: number;
  /** State: compartment amounts (mg) then ce (mg/L). */
  readonly state: Float64Array;
  private readonly tmp: Float64Array;
  private readonly rates: Float64Array;
  private readonly generator: number[][];
  private readonly cache = new Map<number, Propagator>();

  constructor(system: LinearSystem, ke0: number, slots: number) {
    const n = system.names.length;
    if (!(slots >= 1 && slots < n)) throw new Error(`RoutedLinearStepper: ${slots} route compartments in a system of ${n}`);
    this.system = system;
    this.ke0 = ke0;
    this.slots = slots;
    this.state = new Float64Array(n + 1);
    this.tmp = new Float64Array(n + 1);
    this.rates = new Float64Array(slots);
    const inputs = 1 + slots;
    const m = n + 1 + inputs;
    const g: number[][] = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i][j] = system.a[i * n + j];
    g[n][system.central] = ke0 / system.volume;
    g[n][n] = -ke0;
    g[system.input][n + 1] = 1;
    for (let s = 0; s < slots; s++) g[n - slots + s][n + 2 + s] = 1;
    this.generator = g;
  }

  /** P ((n+1)×(n+1)) and Q ((n+1)×(1+slots), column 0 the IV input) for interval h (min), cached. */
  propagator(h: number): Propagator {
    let prop = this.cache.get(h);
    if (prop) return prop;
    if (matrixExponential === null)
      throw new Error('general linear model: no matrix exponential is installed (call setMatrixExponential)');
    const e = matrixExponential(this.generator.map((row) => row.map((x) => x * h)));
    const s = this.state.length;
    const inputs = 1 + this.slots;
    const p = new Float64Array(s * s);
    const q = new Float64Array(s * inputs);
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) p[i * s + j] = e[i][j];
      for (let k = 0; k < inputs; k++) q[i * inputs + k] = e[i][s + k];
    }
    prop = { p, q };
    if (this.cache.size > 256) this.cache.clear();
    this.cache.set(h, prop);
    return prop;
  }

  reset(): void {
    this.state.fill(0);
    this.rates.fill(0);
  }

  /** Advance by h min at pump rate `rate` (mg/min) and the current route rates (`setRouteRates`). */
  advance(h: number, rate: number): void {
    const { p, q } = this.propagator(h);
    const s = this.state;
    const size = s.length;
    const inputs = 1 + this.slots;
    for (let i = 0; i < size; i++) {
      const qi = i * inputs;
      let acc = q[qi] * rate;
      for (let k = 0; k < this.slots; k++) acc += q[qi + 1 + k] * this.rates[k];
      const row = i * size;
      for (let j = 0; j < size; j++) acc += p[row + j] * s[j];
      this.tmp[i] = Math.abs(acc) < NEGLIGIBLE_MG_PER_L ? 0 : acc;
    }
    s.set(this.tmp);
  }

  /** An IV bolus (mg) into the input compartment. */
  bolus(mg: number): void {
    this.state[this.system.input] += mg;
  }

  /** Amounts (mg) entering the route compartments at once, by slot. */
  routeBolus(mg: readonly number[]): void {
    const first = this.system.names.length - this.slots;
    for (let k = 0; k < this.slots; k++) this.state[first + k] += mg[k];
  }

  /** The route compartments' zero-order input rates (mg/min) from now, by slot. */
  setRouteRates(rates: readonly number[]): void {
    for (let k = 0; k < this.slots; k++) this.rates[k] = rates[k];
  }

  /** Plasma concentration, mg/L. */
  cp(): MgPerL {
    return (this.state[this.system.central] / this.system.volume) as MgPerL;
  }

  /** Effect-site concentration, mg/L. */
  ce(): MgPerL {
    return this.state[this.state.length - 1] as MgPerL;
  }

  /** Concentration (mg/L) of a compartment with the given volume, e.g. a metabolite. */
  concentration(compartment: number, volume: number): MgPerL {
    return (this.state[compartment] / volume) as MgPerL;
  }
}
