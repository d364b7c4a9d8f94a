// `regimenToActions`: regimen → time-ordered `DoseAction`s (bolus mg, rate mg/min); `sameTime`, `totalDoseMg`.
import { doseToMg, rateToMgPerMin } from '../units.ts';
import { isBolus, isDoseOver, type DoseEvent } from '../plan.ts';

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
}

/** Relative tolerance under which two event times are one instant (float noise of at + overMin). */
export const SAME_TIME_RTOL = 1e-12;
export const sameTime = (a: number, b: number): boolean =>
  Math.abs(a - b) <= SAME_TIME_RTOL * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Regimen → time-ordered actions for a patient of `weightKg`. Events at the same time apply in file
 * order (the last rate set wins; boluses add); a dose over a duration is exactly a rate change at
 * `at` and a stop at `at + overMin`, the stop taking the dose event's place in file order.
 */
export function regimenToActions(regimen: readonly DoseEvent[], weightKg: number): DoseAction[] {
  type Item = { t: number; order: number; bolusMg: number; rate: number | null };
  const items: Item[] = [];
  regimen.forEach((e, order) => {
    if (isBolus(e)) items.push({ t: e.at, order, bolusMg: doseToMg(e.bolus, e.unit, weightKg), rate: null });
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
    for (const it of group) {
      bolusMg += it.bolusMg;
      if (it.rate !== null) rate = it.rate;
    }
    out.push({ t, bolusMg, rateMgPerMin: rate });
  }
  return out;
}

/** Total drug given by a list of actions up to `untilMin` (boluses plus infused), mg. */
export function totalDoseMg(actions: readonly DoseAction[], untilMin = Infinity): number {
  let total = 0;
  let rate = 0;
  let tPrev = 0;
  for (const a of actions) {
    if (a.t > untilMin) break;
    total += rate * (a.t - tPrev);
    tPrev = a.t;
    total += a.bolusMg;
    if (a.rateMgPerMin !== null) rate = a.rateMgPerMin;
  }
  if (Number.isFinite(untilMin)) total += rate * Math.max(0, untilMin - tPrev);
  else if (rate > 0) return Infinity;
  return total;
}
