// Non-IV doses in the regimen editor: which routes a model offers, a row's route change, device counts and the row read in words.
import { doseToMg, isDoseUnit } from '../../engine/units.ts';
import type { RouteInfo, RouteTable } from '../../workers/stop-comparison-api.ts';
import { nextEventTime } from '../state/actions.ts';
import { textToNum, type DraftEvent, type Num, type Scenario } from '../state/scenario.ts';

/** A row's route: `iv` (bolus, rate, dose over a duration) or the non-IV route it names. */
export type RowRoute = 'iv' | 'intranasal' | 'oral';
export const NON_IV_ROUTES = ['intranasal', 'oral'] as const;
export type NonIvRoute = (typeof NON_IV_ROUTES)[number];

/**
 * Duration an IV dose over time gets when a non-IV row is switched back to IV, min: the editor's default
 * for a new dose over time (ui/state/actions.ts addEvent, 0.5 mg/kg over 40 min, the antidepressant preset).
 */
export const IV_OVER_MIN_DEFAULT = 40;

/** The route of a row (a route the format does not know stays as written, so its problem names it). */
export function rowRoute(e: DraftEvent): RowRoute | string {
  return 'route' in e && typeof e.route === 'string' && e.route !== 'iv' ? e.route : 'iv';
}

/** The registry id of the draft's model, or null for a custom model. */
export function draftModelId(s: Scenario): string | null {
  const m = s.plan.model as { id?: unknown };
  return typeof m.id === 'string' ? m.id : null;
}

/** The non-IV routes a model has (table order), with their data; empty for IV-only and custom models. */
export function modelRoutes(table: RouteTable | null, modelId: string | null): [NonIvRoute, RouteInfo][] {
  if (!table || modelId === null) return [];
  const rules = table[modelId] ?? {};
  return NON_IV_ROUTES.filter((r) => rules[r] !== undefined).map((r) => [r, rules[r]!]);
}

/** Registry ids of the models that have `route`. */
export function modelsWithRoute(table: RouteTable | null, route: string): string[] {
  if (!table) return [];
  return Object.keys(table).filter((id) => (table[id] as Record<string, RouteInfo | undefined>)[route] !== undefined);
}

/** A row's amount in mg (null while its numbers do not read). */
export function rowMg(e: DraftEvent, weightKg: number | null): number | null {
  const amount = textToNum('bolus' in e ? e.bolus : 'dose' in e ? e.dose : '');
  if (typeof amount !== 'number' || !(amount >= 0) || !isDoseUnit(e.unit)) return null;
  if (e.unit.includes('/kg') && (weightKg === null || !(weightKg > 0))) return null;
  return doseToMg(amount, e.unit, weightKg ?? 1);
}

/** Whole devices in `mg` (null when it is not a whole number of devices, as parsePlan checks it). */
export function deviceCount(mg: number, info: RouteInfo): number | null {
  if (!info.device) return null;
  const n = mg / info.device.mgPerDevice;
  return Math.abs(n - Math.round(n)) > 1e-9 * Math.max(1, n) ? null : Math.round(n);
}

/**
 * Change one row's route. To a non-IV route, a bolus or dose over time keeps its time and amount (for a
 * route given in devices the amount becomes the nearest whole number of devices, at least one, in mg);
 * back to IV, the dose becomes a dose over IV_OVER_MIN_DEFAULT min. A rate row is the pump and has no
 * route: it is left as it is.
 */
export function setEventRoute(
  s: Scenario,
  uid: string,
  route: RowRoute,
  table: RouteTable | null,
  weightKg: number | null,
): Scenario {
  const info = route === 'iv' ? undefined : modelRoutes(table, draftModelId(s)).find(([r]) => r === route)?.[1];
  let changed = false;
  const regimen = s.plan.regimen.map((e): DraftEvent => {
    if (e.uid !== uid || 'rate' in e || rowRoute(e) === route) return e;
    changed = true;
    const amount: Num = 'bolus' in e ? e.bolus : e.dose;
    if (route === 'iv') return { uid, at: e.at, dose: amount, unit: e.unit, overMin: IV_OVER_MIN_DEFAULT };
    if (info?.device) {
      const mg = rowMg(e, weightKg);
      const n = mg === null ? 1 : Math.max(1, Math.round(mg / info.device.mgPerDevice));
      return { uid, at: e.at, dose: n * info.device.mgPerDevice, unit: 'mg', route };
    }
    return { uid, at: e.at, dose: amount, unit: e.unit, route };
  });
  return changed ? { ...s, plan: { ...s.plan, regimen }, presetId: null } : s;
}

/**
 * Append a non-IV dose at the next free time: one device for a route given in devices (the smallest dose
 * the device rule allows), else an empty amount in mg for the user to fill (the field then says it is
 * required: no amount is made up).
 */
export function addRouteEvent(s: Scenario, route: NonIvRoute, table: RouteTable | null, uid: string): Scenario {
  const info = modelRoutes(table, draftModelId(s)).find(([r]) => r === route)?.[1];
  const at = nextEventTime(s.plan);
  const e: DraftEvent = { uid, at, dose: info?.device ? info.device.mgPerDevice : '', unit: 'mg', route };
  return { ...s, plan: { ...s.plan, regimen: [...s.plan.regimen, e] }, presetId: null };
}

const plain = (x: number): string => String(Number(x.toPrecision(6)));
const unitText = (u: string): string => u.replace(/^ug/, 'µg');

/**
 * A non-IV row in words, e.g. "56 mg intranasal (2 devices, 5 min apart) at 0 min — not part of the pump",
 * or null while its numbers do not read. `info` undefined: the model has no such route (the row says why
 * elsewhere); the amount is still read.
 */
export function routeRowText(e: DraftEvent, weightKg: number | null, info: RouteInfo | undefined): string | null {
  const route = rowRoute(e);
  if (route === 'iv' || !('dose' in e)) return null;
  const at = textToNum(e.at);
  const amount = textToNum(e.dose);
  if (typeof at !== 'number' || !isDoseUnit(e.unit)) return null;
  if (amount === '') return `dose: required (${unitText(e.unit)}) — ${route} at ${plain(at)} min, not part of the pump`;
  if (typeof amount !== 'number') return null;
  const mg = rowMg(e, weightKg);
  const what =
    e.unit === 'mg' || mg === null
      ? `${plain(amount)} ${unitText(e.unit)}`
      : `${plain(amount)} ${unitText(e.unit)} = ${plain(mg)} mg`;
  let devices = '';
  if (info?.device && mg !== null) {
    const n = deviceCount(mg, info);
    devices =
      n === null
        ? ` (not a whole number of ${info.device.mgPerDevice}-mg devices)`
        : n === 1
          ? ' (1 device)'
          : ` (${n} devices, ${plain(info.device.intervalMin)} min apart)`;
  }
  return `${what} ${route}${devices} at ${plain(at)} min — not part of the pump`;
}

/**
 * Why a non-IV row cannot run with the chosen model, in words (null when it can): the row is kept as
 * it is, and the message names the models that have the route.
 */
export function unavailableRouteText(
  route: string,
  modelId: string | null,
  modelName: string | null,
  table: RouteTable | null,
  nameOf: (id: string) => string,
): string | null {
  if (route === 'iv' || !table) return null;
  if (modelId !== null && modelRoutes(table, modelId).some(([r]) => r === route)) return null;
  const having = modelsWithRoute(table, route).map(nameOf);
  const model = modelId === null ? 'a custom model (IV only)' : (modelName ?? modelId);
  return `Route: ${route} is not available for ${model}, so this dose cannot run; the row is kept. ${
    having.length ? `Models with an ${route} route: ${having.join(', ')}.` : `No model has an ${route} route.`
  } Choose one of them, or change the route to IV.`;
}

/**
 * Why Live mode or the virtual population refuses a plan with non-IV doses, in words naming the events
 * (null when every dose is IV). Live mode follows one IV pump, which can be paused and stopped; an
 * intranasal or oral dose cannot. The population kernels step no route compartments (engine/population/spec.ts).
 */
export function nonIvRefusal(plan: unknown, where: 'live' | 'population'): string | null {
  const regimen = (plan as { regimen?: unknown } | null)?.regimen;
  if (!Array.isArray(regimen)) return null;
  const rows: { i: number; route: string; text: string }[] = [];
  regimen.forEach((e: unknown, i) => {
    const r = e as { route?: unknown; dose?: unknown; unit?: unknown; at?: unknown } | null;
    if (!r || typeof r.route !== 'string' || r.route === 'iv') return;
    rows.push({
      i,
      route: r.route,
      text: `event ${i + 1}: ${String(r.dose)} ${unitText(String(r.unit))} ${r.route} at ${String(r.at)} min`,
    });
  });
  if (rows.length === 0) return null;
  const routes = [...new Set(rows.map((r) => r.route))].join(' and ');
  const list = rows.map((r) => r.text).join('; ');
  return where === 'live'
    ? `Live mode follows an IV pump; ${routes} doses cannot be paused or stopped once given, so this plan cannot start a session (${list}). Remove the non-IV doses in Plan & predict to follow the IV part live; the chart there shows the whole plan.`
    : `The virtual population runs IV plans only (its kernels have no ${routes} absorption), so it does not run this plan (${list}). The chart shows the typical patient.`;
}
