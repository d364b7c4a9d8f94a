// `routingFor`: a regimen's non-IV routes on a model (route compartments, flows, inputs per device) and `withRoutes`, the system they extend.
import { linearFromMammillary, type LinearSystem } from '../pk/linear-system.ts';
import type { PkStructure } from '../pk/stepper.ts';
import type { ModelDefinition, Route, RouteDefinition, RouteInput } from '../models/types.ts';
import { isRouteDose, type DoseEvent } from '../plan.ts';

/** One input of one dose piece, by route-compartment slot (0 … compartments.length−1). */
export interface SlotInput {
  readonly slot: number;
  readonly fraction: number;
  /** Zero-order duration, min; 0 = at once. */
  readonly durationMin: number;
}

/**
 * The non-IV routes a regimen uses on one model: the route compartments (slots) appended after a
 * system's own compartments, their flows, and how each dose piece (device) enters them. Slots are
 * relative to the appended block, so the same routing extends the model's structure and its parent +
 * metabolite system alike (`withRoutes`).
 */
export interface Routing {
  /** The model's routes in use, in the order their compartments are appended. */
  readonly routes: readonly RouteDefinition[];
  /** Names of the appended compartments, slot order. */
  readonly compartments: readonly string[];
  /** Inputs of device `index` of a dose by `route` (index 0 for a route without devices). */
  inputs(route: Route, index: number): readonly SlotInput[];
  /** The route's definition (a programmer error for a route not in use). */
  definition(route: Route): RouteDefinition;
}

/**
 * The routing of `regimen` on a registry model, or null when every event is IV (then nothing about
 * the prediction changes). Throws (a programmer error: parsePlan refuses these) for a route the model
 * does not have.
 */
export function routingFor(def: ModelDefinition | null, regimen: readonly DoseEvent[]): Routing | null {
  const used: Route[] = [];
  for (const e of regimen) if (isRouteDose(e) && !used.includes(e.route)) used.push(e.route);
  if (used.length === 0) return null;
  const routes = used.map((route) => {
    const r = def?.routes?.[route];
    if (!r) throw new Error(`route "${route}": ${def ? `model ${def.id} has no such route` : 'a custom model has IV only'}`);
    return r;
  });
  const compartments: string[] = [];
  const offsets = new Map<Route, number>();
  for (const r of routes) {
    offsets.set(r.route, compartments.length);
    compartments.push(...r.compartments);
  }
  const slotOf = (r: RouteDefinition, input: RouteInput): number => {
    const i = r.compartments.indexOf(input.compartment);
    if (i < 0) throw new Error(`route ${r.route}: input into "${input.compartment}", not one of its compartments`);
    return offsets.get(r.route)! + i;
  };
  const definition = (route: Route): RouteDefinition => {
    const r = routes.find((x) => x.route === route);
    if (!r) throw new Error(`route "${route}" is not in this routing`);
    return r;
  };
  return {
    routes,
    compartments,
    definition,
    inputs: (route, index) => {
      const r = definition(route);
      return r.inputs(index).map((input) => ({
        slot: slotOf(r, input),
        fraction: input.fraction,
        durationMin: input.durationMin,
      }));
    },
  };
}

/**
 * `system` with the routing's compartments appended after its own (slot s at index n + s) and their
 * flows added; every entry of the system's own matrix is copied unchanged. A flow into a named
 * compartment of the system goes there (e.g. "liver"); a name that is neither is a programmer error.
 */
export function withRoutes(structure: PkStructure, routing: Routing): LinearSystem {
  const system = structure.kind === 'mammillary' ? linearFromMammillary(structure) : structure;
  const n = system.names.length;
  const names = [...system.names, ...routing.compartments];
  const size = names.length;
  const a = new Float64Array(size * size);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * size + j] = system.a[i * n + j];
  const index = (name: string, route: Route): number => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`route ${route}: no compartment "${name}" in ${names.join(', ')}`);
    return i;
  };
  for (const r of routing.routes) {
    for (const f of r.flows) {
      const from = index(f.from, r.route);
      if (from < n) throw new Error(`route ${r.route}: a flow from "${f.from}", a compartment of the model itself`);
      a[from * size + from] -= f.k;
      if (f.to !== null) a[index(f.to, r.route) * size + from] += f.k;
    }
  }
  return { ...system, names, a };
}
