// `runGrid`/`simulate`: exact stepping onto the output grid (right-continuous), columnar `Trajectory` {t, cp, ce} in ng/mL.
import { sameTime, type DoseAction } from './dosing/actions.ts';
import { GeneralStepper, stepperFor, type PkStructure, type Stepper } from './pk/stepper.ts';
import { RoutedLinearStepper, type LinearSystem } from './pk/linear-system.ts';
import { withRoutes, type Routing } from './dosing/routes.ts';
import { mgPerLToNgPerMlInPlace, type MgPerL } from './units.ts';

/**
 * Columnar prediction on the output grid: t (min), cp and ce (ng/mL). Right-continuous: at an event
 * time the value after the event.
 */
export interface Trajectory {
  readonly t: Float64Array;
  readonly cp: Float64Array;
  readonly ce: Float64Array;
  /** The metabolite's plasma concentration (ng/mL), for a model with one (docs/PLAN-FORMAT.md "Output"). */
  readonly cm?: Float64Array;
  /** The metabolite's name, present with `cm`. */
  readonly metabolite?: string;
}

/** The output grid: t_j = j·resolutionSec/60 min for j = 0 … count−1. */
export interface Grid {
  readonly resolutionSec: number;
  readonly count: number;
}

/** Grid time j, min, computed as (j·Δs)/60 so that it equals the exact rational as nearly as floats can. */
export const gridTime = (g: Grid, j: number): number => (j * g.resolutionSec) / 60;

/** Buffers a caller owns and the simulation writes into (DESIGN.md rule 5). */
export interface TrajectoryBuffers {
  t?: Float64Array;
  cp: Float64Array;
  ce: Float64Array;
  /** The metabolite's plasma concentration (ng/mL): the stepper must be a linear system with `outputs[0]`. */
  cm?: Float64Array;
}

/**
 * Step a stepper across the merged set of grid and action times, writing cp and ce (ng/mL) at each
 * grid time into `out` (the stepper works in mg/L; the buffers are converted once, at the end). An action between grid points is applied at its own time; one at a grid time
 * (within float noise) is applied before that point is recorded. Actions after the grid end are
 * ignored. The stepper starts from its current state (normally zero, see `reset`).
 *
 * Between actions the grid points are a run of equal steps at one rate; a stepper with
 * `advanceSampled` takes the whole run in one call (the hot loop), others one point at a time.
 */
export function runGrid(stepper: Stepper, actions: readonly DoseAction[], grid: Grid, out: TrajectoryBuffers): void {
  const dt = grid.resolutionSec / 60;
  const { cp, ce } = out;
  const tOut = out.t;
  const count = grid.count;
  const cm = out.cm;
  const metabolite = cm ? metaboliteReader(stepper) : null;
  // With a metabolite, point by point: the same arithmetic as the sampled run (GeneralStepper), so cp and ce are unchanged.
  const sampled = stepper.advanceSampled !== undefined && metabolite === null;
  let tPrev = 0;
  let rate = 0;
  let ai = 0;
  let onGrid = true; // whether tPrev is the previous grid point (then the step is exactly dt)
  const n = actions.length;
  for (let j = 0; j < count; j++) {
    const tj = gridTime(grid, j);
    while (ai < n && actions[ai].t < tj && !sameTime(actions[ai].t, tj)) {
      const a = actions[ai++];
      const h = a.t - tPrev;
      if (h > 0) stepper.advance(h, rate);
      tPrev = a.t;
      onGrid = false;
      if (a.bolusMg !== 0) stepper.bolus(a.bolusMg);
      if (a.routeBolusMg !== undefined || a.routeRatesMgPerMin !== undefined) applyRouteInputs(stepper, a);
      if (a.rateMgPerMin !== null) rate = a.rateMgPerMin;
    }
    if (j > 0) stepper.advance(onGrid ? dt : tj - tPrev, rate);
    tPrev = tj;
    onGrid = true;
    while (ai < n && sameTime(actions[ai].t, tj)) {
      const a = actions[ai++];
      if (a.bolusMg !== 0) stepper.bolus(a.bolusMg);
      if (a.routeBolusMg !== undefined || a.routeRatesMgPerMin !== undefined) applyRouteInputs(stepper, a);
      if (a.rateMgPerMin !== null) rate = a.rateMgPerMin;
    }
    if (tOut) tOut[j] = tj;
    cp[j] = stepper.cp(); // mg/L until the conversion below
    ce[j] = stepper.ce();
    if (metabolite) cm![j] = metabolite();
    if (sampled && j + 1 < count) {
      // Grid points j+1 … last have no action at or before them: one run of equal steps.
      const last = lastGridPointBefore(grid, ai < n ? actions[ai].t : Infinity);
      if (last > j) {
        stepper.advanceSampled!(dt, rate, last - j, cp, ce, j + 1);
        if (tOut) for (let m = j + 1; m <= last; m++) tOut[m] = gridTime(grid, m);
        j = last;
        tPrev = gridTime(grid, j);
      }
    }
  }
  // The output edge: the stepper wrote mg/L (engine units); the trajectory is ng/mL.
  mgPerLToNgPerMlInPlace(cp, 0, count);
  mgPerLToNgPerMlInPlace(ce, 0, count);
  if (cm) mgPerLToNgPerMlInPlace(cm, 0, count);
}

/**
 * A non-IV dose's inputs at this instant (engine/dosing/routes.ts): amounts into route compartments and
 * their zero-order rates. Only a `RoutedLinearStepper` has route compartments: any other stepper is a
 * programmer error (a route dose is never dropped).
 */
function applyRouteInputs(stepper: Stepper, a: DoseAction): void {
  if (!(stepper instanceof RoutedLinearStepper))
    throw new Error(
      `runGrid: a non-IV dose at ${a.t} min, but the stepper has no route compartments (simulate with its routing)`,
    );
  if (a.routeBolusMg !== undefined) stepper.routeBolus(a.routeBolusMg);
  if (a.routeRatesMgPerMin !== undefined) stepper.setRouteRates(a.routeRatesMgPerMin);
}

/**
 * The stepper for a structure; with a `routing` (a plan with non-IV doses), the structure with the
 * route compartments appended (`withRoutes`) stepped by `RoutedLinearStepper`.
 */
function stepperWithRoutes(pk: PkStructure, ke0: number, routing: Routing | null | undefined): Stepper {
  if (!routing) return stepperFor(pk, ke0);
  return new RoutedLinearStepper(withRoutes(pk, routing), ke0, routing.compartments.length);
}

/** The metabolite concentration (mg/L) of a stepper over a linear system with `outputs[0]`; a programmer error otherwise. */
function metaboliteReader(stepper: Stepper): () => MgPerL {
  if (stepper instanceof RoutedLinearStepper) {
    const r = stepper.system.outputs?.[0];
    if (r) return () => stepper.concentration(r.compartment, r.volume);
  }
  const o = stepper instanceof GeneralStepper ? stepper.system.outputs?.[0] : undefined;
  if (!o || !(stepper instanceof GeneralStepper))
    throw new Error('runGrid: cm was asked for, but the structure is not a linear system with a metabolite output');
  return () => stepper.concentration(o.compartment, o.volume);
}

/**
 * The last grid index whose time is before `t` and not the same instant as `t` (so an action at `t`
 * is applied after that point is recorded); −1 if none. Monotone in the index, found from the nearest
 * guess with at most a step or two of correction.
 */
function lastGridPointBefore(grid: Grid, t: number): number {
  const lastIndex = grid.count - 1;
  const before = (j: number) => {
    const tj = gridTime(grid, j);
    return tj < t && !sameTime(t, tj);
  };
  if (t === Infinity) return lastIndex;
  let j = Math.min(lastIndex, Math.floor((t * 60) / grid.resolutionSec));
  while (j >= 0 && !before(j)) j--;
  while (j < lastIndex && before(j + 1)) j++;
  return j;
}

/**
 * A metabolite to predict beside the parent: its name, and the parent + metabolite linear system whose
 * `outputs[0]` is the metabolite in plasma (the model's structure itself, or one built from it:
 * engine/models/metabolite.ts).
 */
export interface MetaboliteRun {
  readonly name: string;
  readonly system: LinearSystem;
}

/**
 * Simulate a PK structure with effect site `ke0` (1/min) over a grid; allocates the trajectory. With a
 * `metabolite`, the trajectory also has `cm` (ng/mL) and `metabolite`: read in the same run when the
 * metabolite system is the structure itself, else from a second run of the metabolite system, so that
 * cp and ce are always those of the structure alone. With a `routing` (non-IV doses in the actions), each
 * system runs with the route compartments appended (`stepperWithRoutes`).
 */
export function simulate(
  pk: PkStructure,
  ke0: number,
  actions: readonly DoseAction[],
  grid: Grid,
  metabolite?: MetaboliteRun,
  routing?: Routing | null,
): Trajectory {
  const out = {
    t: new Float64Array(grid.count),
    cp: new Float64Array(grid.count),
    ce: new Float64Array(grid.count),
  };
  if (!metabolite) {
    runGrid(stepperWithRoutes(pk, ke0, routing), actions, grid, out);
    return out;
  }
  const cm = new Float64Array(grid.count);
  if (metabolite.system === pk) runGrid(stepperWithRoutes(pk, ke0, routing), actions, grid, { ...out, cm });
  else {
    runGrid(stepperWithRoutes(pk, ke0, routing), actions, grid, out);
    const scratch = { cp: new Float64Array(grid.count), ce: new Float64Array(grid.count), cm };
    const m = routing ? stepperWithRoutes(metabolite.system, ke0, routing) : new GeneralStepper(metabolite.system, ke0);
    runGrid(m, actions, grid, scratch);
  }
  return { ...out, cm, metabolite: metabolite.name };
}
