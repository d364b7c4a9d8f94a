// `kernelFor`: the engine's exact stepper with external Float64Array state (copy, evaluate any minute in closed form).
import {
  advanceConstantRate,
  modalForm,
  newStepCoefficients,
  stepCoefficients,
  type ModalForm,
  type StepCoefficients,
} from '../pk/modal.ts';
import { LinearStepper, type LinearSystem } from '../pk/linear-system.ts';
import type { PkStructure } from '../pk/stepper.ts';
import type { MgPerL } from '../units.ts';

/**
 * The exact stepper of engine/pk with its state held outside it, in a plain Float64Array, so live mode
 * can keep a state at the last event, copy it, and evaluate any later minute from it in closed form
 * without disturbing it (the `Stepper` interface has no save/restore). The arithmetic is the engine's
 * own: the modal path calls `advanceConstantRate` (engine/pk/modal.ts), the general path
 * `LinearStepper.advance` (engine/pk/linear-system.ts).
 *
 * State layout: modal — the n mode amplitudes (mg/L) then ce (mg/L); general — the compartment amounts
 * (mg) then ce (mg/L). Concentrations are mg/L (engine units).
 */
export interface PkKernel {
  /** Length of a state. */
  readonly size: number;
  /** Effect-site rate constant, 1/min. */
  readonly ke0: number;
  /**
   * An upper bound on the fastest rate constant of the system with its effect site, 1/min: the
   * largest mode rate or ke0 (modal), or the largest diagonal outflow rate or ke0 (general).
   */
  readonly fastestRate: number;
  /** A zero state (no drug anywhere). */
  newState(): Float64Array;
  /** Advance a state in place by h ≥ 0 min at a constant rate, mg/min. */
  advance(s: Float64Array, h: number, rateMgPerMin: number): void;
  /** An instantaneous dose (mg) into the input compartment. */
  bolus(s: Float64Array, mg: number): void;
  /** Plasma concentration, mg/L. */
  cp(s: Float64Array): MgPerL;
  /** Effect-site concentration, mg/L. */
  ce(s: Float64Array): MgPerL;
}

/** Most step lengths whose coefficients a kernel keeps (the scan and bisection steps repeat). */
const CACHE_LIMIT = 512;

class ModalKernel implements PkKernel {
  readonly size: number;
  readonly ke0: number;
  readonly fastestRate: number;
  private readonly form: ModalForm;
  private readonly z: Float64Array;
  private readonly cache = new Map<number, StepCoefficients>();
  private readonly scratch: StepCoefficients;

  constructor(form: ModalForm) {
    this.form = form;
    this.size = form.n + 1;
    this.ke0 = form.ke0;
    this.fastestRate = Math.max(form.ke0, ...form.lambda);
    this.z = new Float64Array(form.n);
    this.scratch = newStepCoefficients(form.n);
  }
  newState(): Float64Array {
    return new Float64Array(this.size);
  }
  /** Coefficients for h: cached when `keep` (repeated steps), else computed into scratch. */
  private coefficients(h: number, keep: boolean): StepCoefficients {
    const hit = this.cache.get(h);
    if (hit) return hit;
    if (!keep) return stepCoefficients(this.form, h, this.scratch);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    const k = stepCoefficients(this.form, h, newStepCoefficients(this.form.n));
    this.cache.set(h, k);
    return k;
  }
  advance(s: Float64Array, h: number, rate: number): void {
    this.step(s, h, rate, false);
  }
  /** Advance with the coefficients for h kept for reuse. */
  advanceRepeated(s: Float64Array, h: number, rate: number): void {
    this.step(s, h, rate, true);
  }
  private step(s: Float64Array, h: number, rate: number, keep: boolean): void {
    if (h === 0) return;
    const n = this.form.n;
    const z = this.z;
    for (let i = 0; i < n; i++) z[i] = s[i];
    const ce = advanceConstantRate(this.form, this.coefficients(h, keep), z, s[n], rate);
    for (let i = 0; i < n; i++) s[i] = z[i];
    s[n] = ce;
  }
  bolus(s: Float64Array, mg: number): void {
    for (let i = 0; i < this.form.n; i++) s[i] += this.form.coef[i] * mg;
  }
  cp(s: Float64Array): MgPerL {
    let c = 0;
    for (let i = 0; i < this.form.n; i++) c += s[i];
    return c as MgPerL;
  }
  ce(s: Float64Array): MgPerL {
    return s[this.form.n] as MgPerL;
  }
}

class GeneralKernel implements PkKernel {
  readonly size: number;
  readonly ke0: number;
  readonly fastestRate: number;
  private readonly system: LinearSystem;
  /** Propagators for repeated step lengths (scan steps, bisection halvings). */
  private readonly repeated: LinearStepper;
  /** Propagators for one-off step lengths (the tick), kept apart so they never evict the repeated ones. */
  private readonly oneOff: LinearStepper;
  private readonly tmp: Float64Array;

  constructor(system: LinearSystem, ke0: number) {
    this.system = system;
    this.repeated = new LinearStepper(system, ke0);
    this.oneOff = new LinearStepper(system, ke0);
    this.size = this.repeated.size;
    this.ke0 = ke0;
    const n = system.names.length;
    let fastest = ke0;
    for (let i = 0; i < n; i++) fastest = Math.max(fastest, Math.abs(system.a[i * n + i]));
    this.fastestRate = fastest;
    this.tmp = new Float64Array(this.size);
  }
  newState(): Float64Array {
    return new Float64Array(this.size);
  }
  advance(s: Float64Array, h: number, rate: number): void {
    if (h === 0) return;
    this.oneOff.advance(s, h, rate, this.tmp);
  }
  advanceRepeated(s: Float64Array, h: number, rate: number): void {
    if (h === 0) return;
    this.repeated.advance(s, h, rate, this.tmp);
  }
  bolus(s: Float64Array, mg: number): void {
    s[this.system.input] += mg;
  }
  cp(s: Float64Array): MgPerL {
    return (s[this.system.central] / this.system.volume) as MgPerL;
  }
  ce(s: Float64Array): MgPerL {
    return s[this.size - 1] as MgPerL;
  }
}

/** A kernel that also steps repeated lengths from a cache (used by the crossing search). */
export interface RepeatingKernel extends PkKernel {
  /** As `advance`, keeping the step's coefficients for the next use of the same h. */
  advanceRepeated(s: Float64Array, h: number, rateMgPerMin: number): void;
}

/** The kernel for a PK structure and ke0 (1/min): modal for mammillary models, matrix exponential otherwise. */
export function kernelFor(pk: PkStructure, ke0: number): RepeatingKernel {
  return pk.kind === 'mammillary' ? new ModalKernel(modalForm(pk, ke0)) : new GeneralKernel(pk, ke0);
}
