// `Stepper` interface, `ModalStepper`, `GeneralStepper`, `stepperFor(pk, ke0)`; `PkStructure` = mammillary | linear.
import type { Mammillary } from './mammillary.ts';
import { LinearStepper, type LinearSystem } from './linear-system.ts';
import {
  advanceConstantRate,
  modalForm,
  NEGLIGIBLE_MG_PER_L,
  newStepCoefficients,
  stepCoefficients,
  type ModalForm,
  type StepCoefficients,
} from './modal.ts';
import type { MgPerL } from '../units.ts';

/** A model's PK structure: mammillary (closed-form modal path) or a general linear system. */
export type PkStructure = Mammillary | LinearSystem;

/**
 * The state of one patient's model, advanced exactly across intervals of constant infusion rate.
 * Every concentration a stepper gives — `cp()`, `ce()` and the values `advanceSampled` writes — is in
 * mg/L (engine units, `MgPerL`); the conversion to ng/mL happens once, at the output edge (`runGrid`,
 * through units.ts). Two implementations: `ModalStepper` (mammillary) and `GeneralStepper` (any
 * linear system, matrix exponential).
 */
export interface Stepper {
  /** Back to zero drug everywhere. */
  reset(): void;
  /** Advance by h min at constant rate (mg/min). */
  advance(h: number, rateMgPerMin: number): void;
  /** Add an instantaneous dose (mg) to the input compartment. */
  bolus(mg: number): void;
  /** Plasma concentration, mg/L. */
  cp(): MgPerL;
  /** Effect-site concentration, mg/L. */
  ce(): MgPerL;
  /**
   * Optional fast path for a stretch of output points with no event: `count` steps of h min at
   * constant rate (mg/min), writing cp and ce in mg/L (as `cp()` and `ce()`) after step m into
   * `cpOut[offset + m]` and `ceOut[offset + m]`. Equivalent to `count` × (advance, cp, ce) up to
   * rounding; the state is left after the last step.
   */
  advanceSampled?(h: number, rateMgPerMin: number, count: number, cpOut: Float64Array, ceOut: Float64Array, offset: number): void;
}

/** Closed-form stepping of a mammillary model; coefficients cached for the last two step lengths. */
export class ModalStepper implements Stepper {
  readonly form: ModalForm;
  private readonly z: Float64Array;
  private c = 0;
  private readonly kA;
  private readonly kB;
  private nextSlot = 0;

  constructor(m: Mammillary, ke0: number) {
    this.form = modalForm(m, ke0);
    this.z = new Float64Array(this.form.n);
    this.kA = newStepCoefficients(this.form.n);
    this.kB = newStepCoefficients(this.form.n);
  }
  reset(): void {
    this.z.fill(0);
    this.c = 0;
  }
  private coefficients(h: number): StepCoefficients {
    if (this.kA.h === h) return this.kA;
    if (this.kB.h === h) return this.kB;
    // Alternate slots so a grid step survives an off-grid event step.
    const k = stepCoefficients(this.form, h, this.nextSlot === 0 ? this.kA : this.kB);
    this.nextSlot ^= 1;
    return k;
  }
  advance(h: number, rate: number): void {
    this.c = advanceConstantRate(this.form, this.coefficients(h), this.z, this.c, rate);
  }
  /**
   * The hot loop of a simulation: `advanceConstantRate` with the modes in locals (padded to three with
   * zero modes, which add exact zeros) and the per-interval products hoisted, so the loop touches
   * memory only to write its outputs. Same operations in the same order, so the results are
   * bit-for-bit those of `count` × (advance, cp, ce).
   */
  advanceSampled(h: number, rate: number, count: number, cpOut: Float64Array, ceOut: Float64Array, offset: number): void {
    const f = this.form;
    const k = this.coefficients(h);
    const z = this.z;
    const n = f.n;
    const zs0 = rate === 0 ? 0 : (f.coef[0] * rate) / f.lambda[0];
    const zs1 = rate === 0 || n < 2 ? 0 : (f.coef[1] * rate) / f.lambda[1];
    const zs2 = rate === 0 || n < 3 ? 0 : (f.coef[2] * rate) / f.lambda[2];
    const e0 = k.decay[0],
      e1 = n < 2 ? 0 : k.decay[1],
      e2 = n < 3 ? 0 : k.decay[2];
    const x0 = k.cross[0],
      x1 = n < 2 ? 0 : k.cross[1],
      x2 = n < 3 ? 0 : k.cross[2];
    const g0 = zs0 * k.grow[0],
      g1 = n < 2 ? 0 : zs1 * k.grow[1],
      g2 = n < 3 ? 0 : zs2 * k.grow[2];
    const f0 = zs0 * k.fill[0],
      f1 = n < 2 ? 0 : zs1 * k.fill[1],
      f2 = n < 3 ? 0 : zs2 * k.fill[2];
    const ec = k.decayCe;
    const tiny = NEGLIGIBLE_MG_PER_L;
    let z0 = z[0],
      z1 = n < 2 ? 0 : z[1],
      z2 = n < 3 ? 0 : z[2];
    let c = this.c;
    for (let m = 0; m < count; m++) {
      c *= ec;
      c += z0 * x0 + f0;
      c += z1 * x1 + f1;
      c += z2 * x2 + f2;
      if (Math.abs(c) < tiny) c = 0;
      z0 = z0 * e0 + g0;
      z1 = z1 * e1 + g1;
      z2 = z2 * e2 + g2;
      // Flush negligible modes: decaying into subnormals would make every later step slow.
      if (Math.abs(z0) < tiny) z0 = 0;
      if (Math.abs(z1) < tiny) z1 = 0;
      if (Math.abs(z2) < tiny) z2 = 0;
      cpOut[offset + m] = 0 + z0 + z1 + z2; // cp()'s summation order, mg/L
      ceOut[offset + m] = c;
    }
    z[0] = z0;
    if (n > 1) z[1] = z1;
    if (n > 2) z[2] = z2;
    this.c = c;
  }
  bolus(mg: number): void {
    for (let i = 0; i < this.form.n; i++) this.z[i] += this.form.coef[i] * mg;
  }
  cp(): MgPerL {
    let s = 0;
    for (let i = 0; i < this.form.n; i++) s += this.z[i];
    return s as MgPerL;
  }
  ce(): MgPerL {
    return this.c as MgPerL;
  }
  /** The mode amplitudes (mg/L), a view for tests and for live mode snapshots. */
  modes(): Float64Array {
    return this.z;
  }
}

/** Matrix-exponential stepping of any linear system with an effect site. */
export class GeneralStepper implements Stepper {
  private readonly inner: LinearStepper;
  /** State: compartment amounts (mg) then ce (mg/L). */
  readonly state: Float64Array;
  private readonly tmp: Float64Array;

  readonly system: LinearSystem;

  constructor(system: LinearSystem, ke0: number) {
    this.system = system;
    this.inner = new LinearStepper(system, ke0);
    this.state = new Float64Array(this.inner.size);
    this.tmp = new Float64Array(this.inner.size);
  }
  reset(): void {
    this.state.fill(0);
  }
  advance(h: number, rate: number): void {
    this.inner.advance(this.state, h, rate, this.tmp);
  }
  /** `count` steps of `LinearStepper.advance` with the propagator looked up once (same arithmetic). */
  advanceSampled(h: number, rate: number, count: number, cpOut: Float64Array, ceOut: Float64Array, offset: number): void {
    const { p, q } = this.inner.propagator(h);
    const s = this.state;
    const tmp = this.tmp;
    const size = s.length;
    const central = this.system.central;
    const volume = this.system.volume;
    const tiny = NEGLIGIBLE_MG_PER_L;
    for (let m = 0; m < count; m++) {
      for (let i = 0; i < size; i++) {
        let acc = q[i] * rate;
        const row = i * size;
        for (let j = 0; j < size; j++) acc += p[row + j] * s[j];
        tmp[i] = Math.abs(acc) < tiny ? 0 : acc;
      }
      for (let i = 0; i < size; i++) s[i] = tmp[i];
      cpOut[offset + m] = s[central] / volume; // mg/L, as cp()
      ceOut[offset + m] = s[size - 1];
    }
  }
  bolus(mg: number): void {
    this.state[this.system.input] += mg;
  }
  cp(): MgPerL {
    return (this.state[this.system.central] / this.system.volume) as MgPerL;
  }
  ce(): MgPerL {
    return this.state[this.state.length - 1] as MgPerL;
  }
  /** Concentration (mg/L) of a compartment with the given volume, e.g. a metabolite. */
  concentration(compartment: number, volume: number): MgPerL {
    return (this.state[compartment] / volume) as MgPerL;
  }
}

/** The stepper for a structure: modal for mammillary models, matrix exponential otherwise. */
export function stepperFor(pk: PkStructure, ke0: number): Stepper {
  return pk.kind === 'mammillary' ? new ModalStepper(pk, ke0) : new GeneralStepper(pk, ke0);
}
