import type { Mammillary } from './mammillary.ts';
import { LinearStepper, type LinearSystem } from './linear-system.ts';
import { advanceConstantRate, modalForm, newStepCoefficients, stepCoefficients, type ModalForm } from './modal.ts';

/** A model's PK structure: mammillary (closed-form modal path) or a general linear system. */
export type PkStructure = Mammillary | LinearSystem;

/**
 * The state of one patient's model, advanced exactly across intervals of constant infusion rate.
 * Concentrations are mg/L (engine units). Two implementations: `ModalStepper` (mammillary) and
 * `GeneralStepper` (any linear system, matrix exponential).
 */
export interface Stepper {
  /** Back to zero drug everywhere. */
  reset(): void;
  /** Advance by h min at constant rate (mg/min). */
  advance(h: number, rateMgPerMin: number): void;
  /** Add an instantaneous dose (mg) to the input compartment. */
  bolus(mg: number): void;
  /** Plasma concentration, mg/L. */
  cp(): number;
  /** Effect-site concentration, mg/L. */
  ce(): number;
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
  advance(h: number, rate: number): void {
    let k;
    if (this.kA.h === h) k = this.kA;
    else if (this.kB.h === h) k = this.kB;
    else {
      // Alternate slots so a grid step survives an off-grid event step.
      k = stepCoefficients(this.form, h, this.nextSlot === 0 ? this.kA : this.kB);
      this.nextSlot ^= 1;
    }
    this.c = advanceConstantRate(this.form, k, this.z, this.c, rate);
  }
  bolus(mg: number): void {
    for (let i = 0; i < this.form.n; i++) this.z[i] += this.form.coef[i] * mg;
  }
  cp(): number {
    let s = 0;
    for (let i = 0; i < this.form.n; i++) s += this.z[i];
    return s;
  }
  ce(): number {
    return this.c;
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
  bolus(mg: number): void {
    this.state[this.system.input] += mg;
  }
  cp(): number {
    return this.state[this.system.central] / this.system.volume;
  }
  ce(): number {
    return this.state[this.state.length - 1];
  }
  /** Concentration (mg/L) of a compartment with the given volume, e.g. a metabolite. */
  concentration(compartment: number, volume: number): number {
    return this.state[compartment] / volume;
  }
}

/** The stepper for a structure: modal for mammillary models, matrix exponential otherwise. */
export function stepperFor(pk: PkStructure, ke0: number): Stepper {
  return pk.kind === 'mammillary' ? new ModalStepper(pk, ke0) : new GeneralStepper(pk, ke0);
}
