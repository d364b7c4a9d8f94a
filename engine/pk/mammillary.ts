// `Mammillary` 1–3 compartment structure; `microFromClearances` (the one place micro-constants are derived), `macroFromMicro`.
import type { Litres, LitresPerMinute, PerMinute } from '../units.ts';

/**
 * A linear mammillary model: a central compartment (volume `v1`) exchanging with up to two
 * peripheral compartments, eliminating from the central one. Rate constants are per minute; a
 * peripheral compartment that is absent has k12 = k21 = 0 (or k13 = k31 = 0).
 *
 * This is the only representation the modal (closed-form) path accepts. Models whose clearances and
 * volumes are published are converted here by `microFromClearances`, the ONE place in the engine
 * where micro-constants are derived (see DESIGN.md rule 2).
 */
export interface Mammillary {
  readonly kind: 'mammillary';
  /** Central volume, L. */
  readonly v1: Litres;
  /** Elimination rate constant from the central compartment, 1/min. */
  readonly k10: PerMinute;
  /** Central → compartment 2, 1/min (0 when absent). */
  readonly k12: PerMinute;
  /** Compartment 2 → central, 1/min (0 when absent). */
  readonly k21: PerMinute;
  /** Central → compartment 3, 1/min (0 when absent). */
  readonly k13: PerMinute;
  /** Compartment 3 → central, 1/min (0 when absent). */
  readonly k31: PerMinute;
}

/** Volumes (L) and clearances (L/min) of a mammillary model; peripheral pairs optional. */
export interface Clearances {
  v1: number;
  cl1: number;
  v2?: number;
  cl2?: number;
  v3?: number;
  cl3?: number;
}

/** Micro-constants from volumes and clearances: k10 = CL1/V1, k12 = CL2/V1, k21 = CL2/V2, … */
export function microFromClearances(c: Clearances): Mammillary {
  const { v1, cl1 } = c;
  const has2 = c.v2 !== undefined && c.cl2 !== undefined;
  const has3 = c.v3 !== undefined && c.cl3 !== undefined;
  return {
    kind: 'mammillary',
    v1: v1 as Litres,
    k10: (cl1 / v1) as PerMinute,
    k12: (has2 ? c.cl2! / v1 : 0) as PerMinute,
    k21: (has2 ? c.cl2! / c.v2! : 0) as PerMinute,
    k13: (has3 ? c.cl3! / v1 : 0) as PerMinute,
    k31: (has3 ? c.cl3! / c.v3! : 0) as PerMinute,
  };
}

/** Mammillary model from micro-constants; absent peripheral constants are 0. */
export function mammillary(v1: number, k10: number, k12 = 0, k21 = 0, k13 = 0, k31 = 0): Mammillary {
  return {
    kind: 'mammillary',
    v1: v1 as Litres,
    k10: k10 as PerMinute,
    k12: k12 as PerMinute,
    k21: k21 as PerMinute,
    k13: k13 as PerMinute,
    k31: k31 as PerMinute,
  };
}

/** Derived volumes (L) and clearances (L/min) of a mammillary model, for display and tests. */
export interface MammillaryMacro {
  v1: Litres;
  v2: Litres | null;
  v3: Litres | null;
  cl1: LitresPerMinute;
  cl2: LitresPerMinute | null;
  cl3: LitresPerMinute | null;
}

/** Volumes and clearances implied by a mammillary model (V2 = V1·k12/k21, CL2 = V1·k12, …). */
export function macroFromMicro(m: Mammillary): MammillaryMacro {
  const has2 = m.k12 > 0 && m.k21 > 0;
  const has3 = m.k13 > 0 && m.k31 > 0;
  return {
    v1: m.v1,
    v2: has2 ? (((m.v1 * m.k12) / m.k21) as Litres) : null,
    v3: has3 ? (((m.v1 * m.k13) / m.k31) as Litres) : null,
    cl1: (m.v1 * m.k10) as LitresPerMinute,
    cl2: has2 ? ((m.v1 * m.k12) as LitresPerMinute) : null,
    cl3: has3 ? ((m.v1 * m.k13) as LitresPerMinute) : null,
  };
}

/** Number of compartments (1, 2 or 3) of a mammillary model. */
export function compartmentCount(m: Mammillary): 1 | 2 | 3 {
  const n = 1 + (m.k12 > 0 ? 1 : 0) + (m.k13 > 0 ? 1 : 0);
  return n as 1 | 2 | 3;
}

/** Scale a mammillary model to the same micro-constants with a different central volume. */
export function withV1(m: Mammillary, v1: number): Mammillary {
  return { ...m, v1: v1 as Litres };
}

/** Kind of a model's PK structure. */
export type MicroConstants = Pick<Mammillary, 'k10' | 'k12' | 'k21' | 'k13' | 'k31'>;
/** Rate constant type re-exported for model files. */
export type { PerMinute };
