// `regimenToActions`: regimen → time-ordered `DoseAction`s (bolus mg, rate mg/min, route inputs); `sameTime`, `totalDoseMg`.
import { doseToMg, rateToMgPerMin } from '../units.ts';
import { isBolus, isDoseOver, isRouteDose, type DoseEvent } from '../plan.ts';
import type { Routing } from './routes.ts';

/**
 * What the pump and the syringe do at one instant, in engine units: a total bolus (mg) and, when the
 * rate changes, the new rate (mg/min). A regimen becomes a time-ordered list of these, from which the
 * infusion is piecewise constant between consecutive actions.
 */
export interface DoseAction {
  /** Time, min. */
  t: number;
  /** Total bolus at this instant, mg (0 if none). */
  bolusMg: number;
  /** New pump rate from this instant, mg/min, or null when the rate does not change here. */
  rateMgPerMin: number | null;
  /**
   * Non-IV doses (engine/dosing/routes.ts), never the pump: the amount entering each route compartment
   * at once at this instant, mg, by slot (absent when none).
   */
  routeBolusMg?: readonly number[];
  /**
   * Non-IV zero-order inputs: each route compartment's input rate from this instant, mg/min, by slot
   * (the sum of every zero-order input running then; absent when no such input starts or ends here).
   */
  routeRatesMgPerMin?: readonly number[];
  /** Drug given by a non-IV route at this instant (the nominal dose of the devices given now), mg. */
  routeDoseMg?: number;
}

/** Relative tolerance under which two event times are one instant (float noise of at + overMin). */
export const SAME_TIME_RTOL = 1e-12;
export const sameTime = (a: number, b: number): boolean =>
  Math.abs(a - b) <= SAME_TIME_RTOL * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Regimen → time-ordered actions for a patient of `weightKg`. Events at the same time apply in file
 * order (the last rate set wins; boluses add); a dose over a duration is exactly a rate change at
 * `at` and a stop at `at + overMin`, the stop taking the dose event's place in file order.
 *
 * A non-IV dose needs the model's `routing` (engine/dosing/routes.ts); without one it is a programmer
 * error, never dropped. It is split into its devices (device k at `at + k·interval`, when the route has
 * devices) and each piece into its route inputs: an amount at once into a route compartment, or a
 * zero-order input over a duration (route inputs add; they never change the pump's rate).
 */
export function regimenToActions(regimen: readonly DoseEvent[], weightKg: number, routing?: Routing | null): DoseAction[] {
  type Item = { t: number; order: number; bolusMg: number; rate: number | null; routeMg?: number; route?: boolean };
  const items: Item[] = [];
  const slots = routing?.compartments.length ?? 0;
  const routeBolus: { t: number; slot: number; mg: number }[] = [];
  const zeroOrder: { start: number; end: number; slot: number; rate: number }[] = [];
  regimen.forEach((e, order) => {
    if (isRouteDose(e)) {
      if (!routing)
        throw new Error(
          `regimen[${order}]: a ${e.route} dose needs the model's route (routingFor); this computation takes IV doses only`,
        );
      const mg = doseToMg(e.dose, e.unit, weightKg);
      const device = routing.definition(e.route).device;
      const count = device ? Math.round(mg / device.mgPerDevice) : 1;
      for (let k = 0; k < count; k++) {
        const t = device ? e.at + k * device.intervalMin : e.at;
        const pieceMg = device ? device.mgPerDevice : mg;
        items.push({ t, order, bolusMg: 0, rate: null, routeMg: pieceMg, route: true });
        for (const input of routing.inputs(e.route, k)) {
          const amount = pieceMg * input.fraction;
          if (input.durationMin === 0) routeBolus.push({ t, slot: input.slot, mg: amount });
          else {
            const end = t + input.durationMin;
            zeroOrder.push({ start: t, end, slot: input.slot, rate: amount / input.durationMin });
            items.push({ t: end, order, bolusMg: 0, rate: null, route: true });
          }
        }
      }
    } else if (isBolus(e)) items.push({ t: e.at, order, bolusMg: doseToMg(e.bolus, e.unit, weightKg), rate: null });
    else if (isDoseOver(e)) {
      const mg = doseToMg(e.dose, e.unit, weightKg);
      items.push({ t: e.at, order, bolusMg: 0, rate: mg / e.overMin });
      items.push({ t: e.at + e.overMin, order, bolusMg: 0, rate: 0 });
    } else items.push({ t: e.at, order, bolusMg: 0, rate: rateToMgPerMin(e.rate, e.unit, weightKg) });
  });
  items.sort((a, b) => a.t - b.t || a.order - b.order);
  const out: DoseAction[] = [];
  let i = 0;
  while (i < items.length) {
    const t = items[i].t;
    let bolusMg = 0;
    let rate: number | null = null;
    // Group float-equal times; ties are re-sorted by file order so the last rate set wins.
    const group: Item[] = [];
    while (i < items.length && sameTime(items[i].t, t)) group.push(items[i++]);
    group.sort((a, b) => a.order - b.order);
    let routeMg = 0;
    let routeChange = false;
    for (const it of group) {
      bolusMg += it.bolusMg;
      if (it.rate !== null) rate = it.rate;
      if (it.routeMg !== undefined) routeMg += it.routeMg;
      if (it.route) routeChange = true;
    }
    const action: DoseAction = { t, bolusMg, rateMgPerMin: rate };
    if (routeChange) {
      const amounts = new Array<number>(slots).fill(0);
      for (const b of routeBolus) if (sameTime(b.t, t)) amounts[b.slot] += b.mg;
      if (amounts.some((x) => x !== 0)) action.routeBolusMg = amounts;
      // Each slot's rate summed afresh from the inputs running from t (no running sum, so an input's end
      // leaves an exact 0, not a rounding residue).
      const rates = new Array<number>(slots).fill(0);
      let changes = false;
      for (const z of zeroOrder) {
        if (sameTime(z.start, t) || sameTime(z.end, t)) changes = true;
        const running = (z.start < t || sameTime(z.start, t)) && z.end > t && !sameTime(z.end, t);
        if (running) rates[z.slot] += z.rate;
      }
      if (changes) action.routeRatesMgPerMin = rates;
      if (routeMg > 0) action.routeDoseMg = routeMg;
    }
    out.push(action);
  }
  return out;
}

/** Total drug given by a list of actions up to `untilMin` (boluses, infused, and non-IV doses at their devices' times), mg. */
export function totalDoseMg(actions: readonly DoseAction[], untilMin = Infinity): number {
  let total = 0;
  let rate = 0;
  let tPrev = 0;
  for (const a of actions) {
    if (a.t > untilMin) break;
    total += rate * (a.t - tPrev);
    tPrev = a.t;
    total += a.bolusMg + (a.routeDoseMg ?? 0);
    if (a.rateMgPerMin !== null) rate = a.rateMgPerMin;
  }
  if (Number.isFinite(untilMin)) total += rate * Math.max(0, untilMin - tPrev);
  else if (rate > 0) return Infinity;
  return total;
}
