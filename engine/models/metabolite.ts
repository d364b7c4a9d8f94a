// A model's metabolite record (`MetaboliteDefinition`) and the parent + metabolite linear system its `cm` output is computed on.
import { linearFromMammillary, type LinearSystem } from '../pk/linear-system.ts';
import type { PkStructure } from '../pk/stepper.ts';
import type { MetaboliteRun } from '../simulate.ts';
import type { Litres } from '../units.ts';

/**
 * What a model says about its metabolite (docs/PLAN-FORMAT.md "Output": a model with a metabolite adds
 * `cm`, ng/mL of the metabolite in plasma, and `metabolite`, its name). The metabolite never changes cp
 * or ce: its compartments receive drug from the parent and give nothing back.
 */
export interface MetaboliteDefinition {
  /**
   * The name written as the output's `metabolite`. An apparent metabolite says so in the name
   * ("noresketamine (apparent)"), so that a reader of the output alone cannot take it for a measured scale.
   */
  readonly name: string;
  /**
   * `true`: the source estimated the metabolite's volume itself. `apparent`: the source's metabolite volumes
   * and clearances are divided by an unidentified fraction (V/F, CL/F: no metabolite was given IV), so cm
   * is on that apparent scale, not a measured plasma concentration.
   */
  readonly volume: 'true' | 'apparent';
  /** What one mg of metabolite amount is, e.g. "mg S-ketamine equivalents (no molar-mass correction)". */
  readonly amount: string;
  /** Where the metabolite's parameters come from. */
  readonly source: string;
  /** What a user must know to read cm. */
  readonly note: string;
  /**
   * The parent and the metabolite as one linear system whose `outputs[0]` is the metabolite in plasma,
   * with the parent part exactly `structure(parameters)` (so cp and ce are unchanged). Absent: the
   * model's own `structure` already carries the metabolite as `outputs[0]` (Simons 2022).
   */
  system?(parameters: Record<string, number>, structure: PkStructure): LinearSystem;
}

/** The metabolite's own compartments and how the parent feeds them (`withMetabolite`). */
export interface MetaboliteCompartments {
  /** Output id: the metabolite's name. */
  readonly id: string;
  /** Names of the metabolite compartments (index 0 … m−1 below). */
  readonly names: readonly string[];
  /**
   * Formation: amount per minute `k · A_parent[from]` enters metabolite compartment `to`. The parent's own
   * elimination already contains k (the drug leaves the parent there), so formation adds to the
   * metabolite and takes nothing more from the parent.
   */
  readonly formation: readonly { readonly from: number; readonly to: number; readonly k: number }[];
  /** First-order flows among the metabolite compartments (`to: null`: elimination), 1/min. */
  readonly flows: readonly { readonly from: number; readonly to: number | null; readonly k: number }[];
  /** The metabolite compartment observed in plasma and its volume (L; apparent where the source's is). */
  readonly observed: number;
  readonly volume: number;
}

/**
 * The parent structure (mammillary or linear) extended with metabolite compartments: the parent's
 * matrix entries are copied unchanged, the metabolite's added after them, and `outputs[0]` is the
 * metabolite's plasma concentration.
 */
export function withMetabolite(parent: PkStructure, m: MetaboliteCompartments): LinearSystem {
  const p = parent.kind === 'mammillary' ? linearFromMammillary(parent) : parent;
  const n = p.names.length;
  const size = n + m.names.length;
  const a = new Float64Array(size * size);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * size + j] = p.a[i * n + j];
  for (const f of m.formation) {
    if (!(f.from >= 0 && f.from < n)) throw new Error(`metabolite ${m.id}: formation from compartment ${f.from} of ${n}`);
    a[(n + f.to) * size + f.from] += f.k;
  }
  for (const f of m.flows) {
    const from = n + f.from;
    a[from * size + from] -= f.k;
    if (f.to !== null) a[(n + f.to) * size + from] += f.k;
  }
  return {
    kind: 'linear',
    names: [...p.names, ...m.names],
    a,
    input: p.input,
    central: p.central,
    volume: p.volume,
    outputs: [{ id: m.id, compartment: n + m.observed, volume: m.volume as Litres }],
  };
}

/**
 * The metabolite run of a resolved model (engine/simulate.ts `simulate`): none for a model without a
 * metabolite (or a custom model); else its name and the linear system `cm` is read from.
 */
export function metaboliteRun(
  definition: { readonly id: string; readonly metabolite?: MetaboliteDefinition } | null,
  parameters: Record<string, number>,
  structure: PkStructure,
): MetaboliteRun | undefined {
  const m = definition?.metabolite;
  if (!m) return undefined;
  const system = m.system ? m.system(parameters, structure) : structure;
  if (system.kind !== 'linear' || !system.outputs?.length)
    throw new Error(`model ${definition!.id}: its metabolite needs a linear system with a metabolite output`);
  return { name: m.name, system };
}
