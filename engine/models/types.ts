// `ModelDefinition`, `Ke0Provenance` (published | derived), `CovariateRange`, `ParameterVariability`, `omega2FromCv`.
import type { Patient } from '../patient.ts';
import type { PkStructure } from '../pk/stepper.ts';
import type { CovariateRequirement } from './requirements.ts';
import type { MetaboliteDefinition } from './metabolite.ts';
import type { DeviceRule, Route } from './routes.ts';

export type { DeviceRule, Route } from './routes.ts';

export type { CovariateRequirement } from './requirements.ts';

/** How sure the sources are of a value: as recorded in ../shared/models/ketamine-models.json. */
export type Confidence = string;

/**
 * Where a model's ke0 comes from. Only a published value is a measurement; a derived one follows a
 * stated rule from cited numbers and is labelled "derived" wherever it is shown. Either may be
 * overridden by a plan (`model.ke0`).
 */
export type Ke0Provenance =
  | {
      readonly kind: 'published';
      /** ke0, 1/min. */
      readonly valuePerMin: number;
      readonly citation: string;
      readonly note: string;
    }
  | {
      readonly kind: 'derived';
      /** The rule: the ke0 that gives this model the same time to peak Ce after a bolus as the reference. */
      readonly rule: 'time-to-peak';
      readonly note: string;
    };

/**
 * How a range's bounds were obtained:
 * - `source`: both bounds are printed in the source (e.g. "age 18-86");
 * - `derived`: computed by a stated rule from what the source says (mean ± 2 SD; "adults" = 18 years
 *   with no upper age stated, written as the plan format's 120);
 * - `proxy`: the source states no range for this covariate; the union of the stated or derived ranges of
 *   the registry's populations of the same age group stands in (named in `basis`). A proxy is checked
 *   only when the patient is inside the model's other ranges: outside them a warning already says the
 *   patient is not of the studied group.
 */
export type RangeKind = 'source' | 'derived' | 'proxy';

/** A studied range of one covariate, with where the range comes from. */
export interface CovariateRange {
  readonly min: number;
  readonly max: number;
  /** What the bounds are, in words: "study range", "mean ± 2 SD of … (derived from …)", the proxy's sources. */
  readonly basis: string;
  readonly kind: RangeKind;
}

/** CV (fraction) of a log-normal parameter → ω² = ln(1 + CV²). */
export const omega2FromCv = (cv: number): number => Math.log1p(cv * cv);

/** Log-normal inter-individual variability of one parameter: ω² (variance of the log). */
export interface ParameterVariability {
  /** Name of the parameter as in `ModelDefinition.parameters`. */
  readonly parameter: string;
  /** Variance of ln(parameter), ω². */
  readonly omega2: number;
  /** Where the number comes from. */
  readonly source: string;
}

/** One number of a route, with its unit and where it comes from (a derived value says so). */
export interface RouteParameter {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly source: string;
}

/**
 * A first-order flow out of a route compartment, by compartment name: into another route compartment
 * or into one of the model's own compartments (its `structure`'s names); `to: null` is a loss.
 */
export interface RouteFlow {
  readonly from: string;
  readonly to: string | null;
  /** Rate constant, 1/min. */
  readonly k: number;
  /** The `RouteParameter` it comes from. */
  readonly parameter: string;
}

/** How one dose (or one device of a dose) enters one route compartment. */
export interface RouteInput {
  /** A route compartment (one of the route's `compartments`). */
  readonly compartment: string;
  /** Fraction of the dose (or device) that enters this compartment (its bioavailability), ≥ 0. */
  readonly fraction: number;
  /** Zero-order input over this many minutes from the dose's time; 0 = all at once. */
  readonly durationMin: number;
}

/**
 * A non-IV route of a model (docs/PLAN-FORMAT.md "Dose events"): the compartments it adds to the model's
 * structure (depots, gut, delays), their first-order flows into the model, and how a dose enters them.
 * Only the model's source decides these; every number is a `RouteParameter` with its citation. The
 * model's IV structure is unchanged: the route compartments are appended only for a plan that uses the
 * route (engine/dosing/routes.ts), so an IV prediction is bit-for-bit what it was.
 */
export interface RouteDefinition {
  readonly route: Route;
  /** What is given (the same text as engine/models/routes.ts). */
  readonly form: string;
  /** Fixed devices (the same rule as engine/models/routes.ts), when the dose is counted in them. */
  readonly device?: DeviceRule;
  readonly citation: string;
  /** The route in words: fractions, durations, rate constants, where the drug goes. */
  readonly description: string;
  readonly parameters: readonly RouteParameter[];
  /** Compartments the route adds, appended after the model's own in this order. */
  readonly compartments: readonly string[];
  readonly flows: readonly RouteFlow[];
  /** The inputs of device `index` (0 = the first; a route without devices has one input set, index 0). */
  inputs(index: number): readonly RouteInput[];
}

/**
 * A published model, as one data record (DESIGN.md rule 2): citation, population, sampling, validity,
 * the typical-value parameters for a patient, and how its ke0 is obtained. Micro-constants, modes and
 * propagators are derived from `structure` by the engine, never per model.
 */
export interface ModelDefinition {
  /** Registry id, as used in plans: `{ "model": { "id": "domino-1984" } }`. */
  readonly id: string;
  /** Short display name, e.g. "Domino 1984". */
  readonly name: string;
  readonly drug: 'racemic ketamine' | 'S-ketamine (esketamine)';
  readonly citation: string;
  readonly doi: string | null;
  /** Who the model was built on. */
  readonly population: string;
  /** Where concentrations were measured (arterial, venous, not verified). */
  readonly sampling: string;
  /** How parameters scale with covariates, in words, including any choice made between sources. */
  readonly covariates: string;
  readonly confidence: Confidence;
  /** Studied covariate ranges (both, for every model); a patient outside them gets a warning naming the range. */
  readonly validity: {
    readonly weightKg: CovariateRange;
    readonly ageYears: CovariateRange;
  };
  /**
   * Covariates besides weight that `parameters` needs: a plan without one is refused naming the field
   * (the same list as engine/models/requirements.ts, which parsePlan reads). Empty: weight only.
   */
  readonly requires: readonly CovariateRequirement[];
  /** Typical-value parameters for the patient (L, L/min, 1/min), by name, for display and variability. */
  parameters(patient: Patient): Record<string, number>;
  /** The PK structure from (possibly individualised) parameters. */
  structure(parameters: Record<string, number>): PkStructure;
  readonly ke0: Ke0Provenance;
  /**
   * Non-IV routes the source gives (intranasal, oral); absent: IV only. The same routes as
   * engine/models/routes.ts (which parsePlan reads), tested equal.
   */
  readonly routes?: Readonly<Partial<Record<Route, RouteDefinition>>>;
  /** Published inter-individual variability, where the sources give it. */
  readonly variability: readonly ParameterVariability[];
  /** Published covariances between log-parameters (ω_ab), where the sources give them. */
  readonly covariances?: readonly { readonly a: string; readonly b: string; readonly cov: number; readonly source: string }[];
  /** Anything a user must know (assumptions, implementation choices). */
  readonly notes: readonly string[];
  /** The metabolite whose plasma concentration the model predicts (output `cm`), where the source has one. */
  readonly metabolite?: MetaboliteDefinition;
}
