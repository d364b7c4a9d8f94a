// `buildCourse(plan, actions)`: pump semantics (plan, pause, resume, resume-plan, stop); `pumpAt`, `givenRegimen`, `forecastRegimen`.
import { DEFAULT_RATE_UNIT, doseToMg, rateToMgPerMin, type RateUnit } from '../units.ts';
import {
  isBolus,
  isDoseOver,
  isRouteDose,
  type BolusEvent,
  type DoseEvent,
  type Plan,
  type Problem,
  type RateEvent,
} from '../plan.ts';
import { regimenToActions, sameTime, totalDoseMg, type DoseAction } from '../dosing/actions.ts';
import type { CurrentAction } from './log.ts';

/**
 * The course of a live session: what the pump and the syringe actually do, from the plan and the
 * recorded actions, over the whole session (past and future alike, since with no further record the
 * future is fixed). The semantics, chosen so that the forecast never assumes something nobody did:
 *
 * 1. From the start the pump **follows the plan**: every planned event applies at its planned minute.
 * 2. A recorded **pump action** (pause, resume, rate, stop) overrides the plan from its minute on:
 *    planned events at or after that minute are not applied. The pump keeps the rate it was set to
 *    until the next recorded action; the rest of the plan is applied again only after an explicit
 *    **resume-plan**, which sets the plan's rate at that minute and applies the plan's later events on
 *    their original schedule (the plan is not shifted in time).
 * 3. **pause** sets the rate to 0. **resume** goes back to the last non-zero rate actually run (planned
 *    or recorded) and keeps it running; it is refused while the pump runs, or when nothing has run.
 * 4. A recorded **bolus** is a dose by hand: it is given at its minute and does not change the pump, so
 *    a pump that follows the plan keeps following it.
 * 5. **stop** ends all infusion: the rate becomes 0, and nothing may be recorded after it except a
 *    **restart** (a rate > 0, manual from that minute; the plan's later steps no longer apply).
 * 6. At one minute, recorded actions apply before planned events (so a pump action at the minute of a
 *    planned event overrides it, and a resume-plan at that minute includes it); recorded actions at
 *    the same minute apply in the order they were first recorded.
 *
 * The course is expressed as plan dose events (`regimen`, only bolus and rate events: a planned dose
 * over a duration becomes a rate in mg/min and its stop), so `predict({ ...plan, regimen })` reproduces
 * it and `regimenToActions` gives the engine's actions.
 */

/** What the pump is doing. */
export type PumpMode = 'plan' | 'manual' | 'paused' | 'stopped';

/** Where a course event comes from: the plan's regimen (its index) or the log (its event id). */
export type CourseSource = { readonly kind: 'plan'; readonly index: number } | { readonly kind: 'log'; readonly eventId: string };

export interface CourseEvent {
  /** A bolus or a rate event, in the units the plan or the record gave (mg/min for a split dose-over). */
  readonly event: BolusEvent | RateEvent;
  readonly source: CourseSource;
}

/** The pump's state from `atMin` until the next change. */
export interface PumpState {
  readonly atMin: number;
  readonly mode: PumpMode;
  /** Whether planned events are being applied. */
  readonly followingPlan: boolean;
  /** The rate as given (value and unit). */
  readonly rate: number;
  readonly unit: RateUnit;
  /** The rate in engine units, mg/min. */
  readonly rateMgPerMin: number;
}

export interface Course {
  readonly plan: Plan;
  /** Course events in the order they apply. */
  readonly events: readonly CourseEvent[];
  /** The same as plan dose events (`events[i].event`). */
  readonly regimen: readonly DoseEvent[];
  /** The engine's actions (mg, mg/min) for the regimen. */
  readonly actions: readonly DoseAction[];
  /** Pump states in time order; the first is at 0. */
  readonly pump: readonly PumpState[];
  /** Minute of the first recorded action (any kind), or null when the log is empty. */
  readonly firstDeviationMin: number | null;
  /** Minute of the stop, or null. */
  readonly stoppedAtMin: number | null;
  /** Inconsistencies (an action after the stop, a resume with nothing to resume or while running). */
  readonly problems: readonly Problem[];
}

interface PlanItem {
  t: number;
  order: number;
  event: BolusEvent | RateEvent;
  rateMgPerMin: number | null;
}

/** The plan's regimen as bolus and rate items in the order they apply (same rule as regimenToActions). */
function planItems(plan: Plan): PlanItem[] {
  const w = plan.patient.weightKg;
  const items: PlanItem[] = [];
  plan.regimen.forEach((e, order) => {
    if (isBolus(e)) items.push({ t: e.at, order, event: e, rateMgPerMin: null });
    else if (isRouteDose(e))
      throw new Error(`regimen[${order}]: a ${e.route} dose is not given by the pump; Live mode follows an IV pump only`);
    else if (isDoseOver(e)) {
      const r = doseToMg(e.dose, e.unit, w) / e.overMin;
      items.push({ t: e.at, order, event: { at: e.at, rate: r, unit: 'mg/min' }, rateMgPerMin: r });
      const end = e.at + e.overMin;
      items.push({ t: end, order, event: { at: end, rate: 0, unit: 'mg/min' }, rateMgPerMin: 0 });
    } else items.push({ t: e.at, order, event: e, rateMgPerMin: rateToMgPerMin(e.rate, e.unit, w) });
  });
  items.sort((a, b) => a.t - b.t || a.order - b.order);
  // Float-equal times form one instant whose events apply in file order (as regimenToActions does).
  const out: PlanItem[] = [];
  let i = 0;
  while (i < items.length) {
    const group: PlanItem[] = [];
    const t = items[i].t;
    while (i < items.length && sameTime(items[i].t, t)) group.push(items[i++]);
    group.sort((a, b) => a.order - b.order);
    out.push(...group);
  }
  return out;
}

/** Build the course of a session from its plan and its current actions (see the rules above). */
export function buildCourse(plan: Plan, actions: readonly CurrentAction[]): Course {
  const w = plan.patient.weightKg;
  const items = planItems(plan);
  const events: CourseEvent[] = [];
  const pump: PumpState[] = [];
  const problems: Problem[] = [];
  let following = true;
  let rate = 0,
    unit: RateUnit = DEFAULT_RATE_UNIT,
    rateMg = 0;
  let lastNonZero = null as { rate: number; unit: RateUnit; mg: number } | null;
  let stop = null as { t: number; id: string } | null;
  let mode: PumpMode = 'plan';
  const pushPump = (t: number) => {
    const last = pump[pump.length - 1];
    const s: PumpState = { atMin: t, mode, followingPlan: following, rate, unit, rateMgPerMin: rateMg };
    if (last && last.atMin === t) pump[pump.length - 1] = s;
    else pump.push(s);
  };
  const setRate = (t: number, r: number, u: RateUnit, mg: number, source: CourseSource) => {
    rate = r;
    unit = u;
    rateMg = mg;
    if (mg > 0) lastNonZero = { rate: r, unit: u, mg };
    events.push({ event: { at: t, rate: r, unit: u }, source });
  };
  pushPump(0);

  // The plan's own rate at minute t (after its events at t), for resume-plan.
  const planRateAt = (t: number): { rate: number; unit: RateUnit; mg: number } => {
    let r = { rate: 0, unit: DEFAULT_RATE_UNIT as RateUnit, mg: 0 };
    for (const it of items) {
      if (it.t > t && !sameTime(it.t, t)) break;
      if (it.rateMgPerMin !== null)
        r = { rate: (it.event as RateEvent).rate, unit: (it.event as RateEvent).unit, mg: it.rateMgPerMin };
    }
    return r;
  };

  let pi = 0;
  const applyPlanUntil = (tEnd: number, inclusive: boolean) => {
    while (pi < items.length && (items[pi].t < tEnd || (inclusive && items[pi].t === tEnd))) {
      const it = items[pi++];
      if (!following) continue;
      if (it.rateMgPerMin === null) events.push({ event: it.event, source: { kind: 'plan', index: it.order } });
      else {
        const ev = it.event as RateEvent;
        setRate(it.t, ev.rate, ev.unit, it.rateMgPerMin, { kind: 'plan', index: it.order });
        pushPump(it.t);
      }
    }
  };

  for (const ca of actions) {
    const a = ca.action;
    const t = a.atMin;
    const src: CourseSource = { kind: 'log', eventId: ca.eventId };
    applyPlanUntil(t, false);
    // A restart after a stop starts the infusion again (a new rate event); anything else after a stop is refused.
    if (a.kind === 'restart') {
      if (!stop) {
        problems.push({
          path: 'action',
          message: `restart at ${t} min (${ca.eventId}): the infusion is not stopped; set a rate instead`,
        });
        continue;
      }
      stop = null;
      following = false;
      mode = 'manual';
      setRate(t, a.rate, a.unit, rateToMgPerMin(a.rate, a.unit, w), src);
      pushPump(t);
      continue;
    }
    if (stop) {
      problems.push({
        path: 'action',
        message: `${a.kind} at ${t} min (${ca.eventId}) comes after the stop at ${stop.t} min (${stop.id}); nothing may be recorded after a stop`,
      });
      continue;
    }
    switch (a.kind) {
      case 'bolus':
        events.push({ event: { at: t, bolus: a.amount, unit: a.unit }, source: src });
        break;
      case 'pause':
        following = false;
        mode = 'paused';
        setRate(t, 0, unit, 0, src);
        break;
      case 'rate':
        following = false;
        mode = a.rate > 0 ? 'manual' : 'paused';
        setRate(t, a.rate, a.unit, rateToMgPerMin(a.rate, a.unit, w), src);
        break;
      case 'resume':
        if (rateMg > 0) {
          problems.push({
            path: 'action',
            message: `resume at ${t} min (${ca.eventId}): the pump is running (${rate} ${unit}); resume applies after a pause`,
          });
          break;
        }
        if (!lastNonZero) {
          problems.push({
            path: 'action',
            message: `resume at ${t} min (${ca.eventId}): nothing to resume, no infusion has run before; set a rate or resume the plan`,
          });
          break;
        }
        following = false;
        mode = 'manual';
        setRate(t, lastNonZero.rate, lastNonZero.unit, lastNonZero.mg, src);
        break;
      case 'resume-plan': {
        following = true;
        mode = 'plan';
        const r = planRateAt(t);
        setRate(t, r.rate, r.unit, r.mg, src);
        break;
      }
      case 'stop':
        following = false;
        mode = 'stopped';
        setRate(t, 0, unit, 0, src);
        lastNonZero = null;
        stop = { t, id: ca.eventId };
        break;
    }
    pushPump(t);
  }
  applyPlanUntil(Infinity, true);

  const regimen = events.map((e) => e.event);
  return {
    plan,
    events,
    regimen,
    actions: regimenToActions(regimen, w),
    pump,
    firstDeviationMin: actions.length > 0 ? actions[0].action.atMin : null,
    stoppedAtMin: stop ? stop.t : null,
    problems,
  };
}

/** The pump state in effect at minute t (after any change at t). */
export function pumpAt(course: Course, t: number): PumpState {
  const p = course.pump;
  let lo = 0,
    hi = p.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (p[mid].atMin <= t) lo = mid;
    else hi = mid - 1;
  }
  return p[lo];
}

/**
 * What was actually given up to `nowMin`: the course's events at or before now, as plan dose events.
 * `predict({ ...plan, regimen: givenRegimen(course, now), horizonMin: now })` gives the state at now.
 */
export function givenRegimen(course: Course, nowMin: number): DoseEvent[] {
  return course.regimen.filter((e) => e.at <= nowMin);
}

/** What will be given after `nowMin` if nothing more is recorded: the course's later events. */
export function forecastRegimen(course: Course, nowMin: number): DoseEvent[] {
  return course.regimen.filter((e) => e.at > nowMin);
}

/** Total drug given from the start to `nowMin` (boluses and infusion), mg. */
export function givenMg(course: Course, nowMin: number): number {
  return totalDoseMg(course.actions, nowMin);
}
