// `LiveTracker`: once-a-second incremental now-state (cp, ce, bands, next crossing) for the main thread; `liveKernel`.
import type { Band } from '../plan.ts';
import { resolveModel, type ResolvedModel } from '../predict.ts';
import type { Plan } from '../plan.ts';
import { bandsForPlan } from '../pd/bands.ts';
import { pumpAt, type Course, type PumpState } from './course.ts';
import { CourseScanner, copyCursor, cursorAt, type Crossing, type Cursor } from './crossings.ts';
import { kernelFor, type RepeatingKernel } from './kernel.ts';
import { mgPerLToNgPerMl, ngPerMlToMgPerL, type MgPerL, type NgPerMl } from '../units.ts';

/**
 * The once-a-second now-state of a live session, computed incrementally on the main thread.
 *
 * The tracker keeps the exact state at the last course action at or before now (the *anchor*) and
 * evaluates now from it in closed form: one constant-rate step of length now − anchor, O(modes) for a
 * mammillary model (one small matrix exponential for a general linear system). When now passes a
 * planned action, the anchor moves to it. The next band crossing comes from a `CourseScanner` started at
 * the current state, which is kept between ticks: since the course after now is fixed until the log
 * changes, a crossing found once stays valid, and the scanner only moves on when now passes it or the
 * look-ahead window grows. Build a new tracker whenever the log changes.
 */

/** A band bound that Ce crosses. */
export interface BandBound {
  readonly id: string;
  readonly bound: 'low' | 'high';
}

/** The next time Ce crosses a band bound on the current course. */
export interface BandCrossing {
  /** Session minute of the crossing (exact to ~1e-10 min). */
  readonly atMin: number;
  /** Minutes from now. */
  readonly inMin: number;
  readonly levelNgMl: number;
  readonly direction: 'up' | 'down';
  /** The band bounds at this level (bands may share a bound). */
  readonly bounds: readonly BandBound[];
}

export interface NowState {
  readonly nowMin: number;
  /** Plasma concentration, ng/mL. */
  readonly cpNgMl: number;
  /** Effect-site concentration, ng/mL. */
  readonly ceNgMl: number;
  readonly pump: PumpState;
  /** Drug given so far (boluses and infusion), mg. */
  readonly givenMg: number;
  /** Ids of the bands Ce is in (low ≤ Ce < high); bands overlap, so there may be several. */
  readonly bandIds: readonly string[];
  /** The next crossing of a band bound within `lookaheadMin`, or null when there is none in that window. */
  readonly nextCrossing: BandCrossing | null;
  readonly lookaheadMin: number;
}

export interface TrackerOptions {
  /** How far ahead the next crossing is looked for, min (default 240). */
  readonly lookaheadMin?: number;
}

/** The exact kernel for a plan's model and patient. */
export function liveKernel(plan: Plan): { kernel: RepeatingKernel; model: ResolvedModel } {
  const model = resolveModel(plan.model, plan.patient);
  return { kernel: kernelFor(model.structure, model.ke0), model };
}

/**
 * The distinct band bounds of a list of bands, ascending, with the bounds at each level: in ng/mL as the
 * bands give them (what a crossing reports, never converted back) and in mg/L (what the scanner
 * compares with the engine's concentrations), converted once through units.ts.
 */
export function bandLevels(bands: readonly Band[]): { levelsNgMl: NgPerMl[]; levelsMgPerL: MgPerL[]; bounds: BandBound[][] } {
  const byLevel = new Map<number, BandBound[]>();
  const add = (ng: number, b: BandBound) => {
    const list = byLevel.get(ng) ?? [];
    list.push(b);
    byLevel.set(ng, list);
  };
  for (const b of bands) {
    add(b.lowNgMl, { id: b.id, bound: 'low' });
    if (b.highNgMl !== undefined) add(b.highNgMl, { id: b.id, bound: 'high' });
  }
  const levelsNg = [...byLevel.keys()].sort((a, b) => a - b);
  return {
    levelsNgMl: levelsNg as NgPerMl[],
    levelsMgPerL: levelsNg.map((ng) => ngPerMlToMgPerL(ng as NgPerMl)),
    bounds: levelsNg.map((ng) => byLevel.get(ng)!),
  };
}

export class LiveTracker {
  readonly course: Course;
  readonly bands: readonly Band[];
  readonly lookaheadMin: number;
  private readonly kernel: RepeatingKernel;
  private readonly levels: MgPerL[];
  private readonly levelsNgMl: NgPerMl[];
  private readonly levelBounds: BandBound[][];
  private anchor: Cursor;
  private anchorGivenMg = 0;
  private readonly scratch: Float64Array;
  private scanner: CourseScanner | null = null;
  private pending: Crossing[] = [];
  private lastNow = -Infinity;

  /** `bands` default to the plan's thresholds, else the drug's default bands. */
  constructor(
    kernel: RepeatingKernel,
    course: Course,
    bands: readonly Band[] = bandsForPlan(course.plan.thresholds, course.plan.model),
    options: TrackerOptions = {},
  ) {
    this.kernel = kernel;
    this.course = course;
    this.bands = bands;
    this.lookaheadMin = options.lookaheadMin ?? 240;
    if (!(this.lookaheadMin > 0)) throw new Error(`lookaheadMin: must be > 0, got ${this.lookaheadMin}`);
    const { levelsNgMl, levelsMgPerL, bounds } = bandLevels(bands);
    this.levels = levelsMgPerL;
    this.levelsNgMl = levelsNgMl;
    this.levelBounds = bounds;
    this.anchor = cursorAt(kernel, course.actions, 0);
    this.anchorGivenMg = this.anchorBolusesAtZero();
    this.scratch = kernel.newState();
  }

  private anchorBolusesAtZero(): number {
    let mg = 0;
    for (let i = 0; i < this.anchor.next; i++) mg += this.course.actions[i].bolusMg;
    return mg;
  }

  /** Move the anchor to the last action at or before t (back to the start if t is earlier than it). */
  private moveAnchor(t: number): void {
    if (t < this.anchor.t) {
      this.anchor = cursorAt(this.kernel, this.course.actions, 0);
      this.anchorGivenMg = this.anchorBolusesAtZero();
    }
    const a = this.anchor;
    const actions = this.course.actions;
    while (a.next < actions.length && actions[a.next].t <= t) {
      const act = actions[a.next++];
      this.kernel.advance(a.state, act.t - a.t, a.rateMgPerMin);
      this.anchorGivenMg += a.rateMgPerMin * (act.t - a.t) + act.bolusMg;
      a.t = act.t;
      if (act.bolusMg !== 0) this.kernel.bolus(a.state, act.bolusMg);
      if (act.rateMgPerMin !== null) a.rateMgPerMin = act.rateMgPerMin;
    }
  }

  /** The exact state at minute t (a new cursor; the tracker is not disturbed). */
  cursorAt(t: number): Cursor {
    this.moveAnchor(t);
    const c = copyCursor(this.anchor);
    this.kernel.advance(c.state, t - c.t, c.rateMgPerMin);
    c.t = t;
    return c;
  }

  /** The now-state at session minute `nowMin` (finite, ≥ 0). */
  now(nowMin: number): NowState {
    if (!Number.isFinite(nowMin) || nowMin < 0) throw new Error(`nowMin: must be a finite number ≥ 0, got ${nowMin}`);
    this.moveAnchor(nowMin);
    const a = this.anchor;
    const s = this.scratch;
    s.set(a.state);
    const h = nowMin - a.t;
    this.kernel.advance(s, h, a.rateMgPerMin);
    const cpNgMl = mgPerLToNgPerMl(this.kernel.cp(s));
    const ceNgMl = mgPerLToNgPerMl(this.kernel.ce(s));
    const bandIds: string[] = [];
    for (const b of this.bands) if (ceNgMl >= b.lowNgMl && (b.highNgMl === undefined || ceNgMl < b.highNgMl)) bandIds.push(b.id);
    return {
      nowMin,
      cpNgMl,
      ceNgMl,
      pump: pumpAt(this.course, nowMin),
      givenMg: this.anchorGivenMg + a.rateMgPerMin * h,
      bandIds,
      nextCrossing: this.nextCrossing(nowMin, s),
      lookaheadMin: this.lookaheadMin,
    };
  }

  private nextCrossing(nowMin: number, nowState: Float64Array): BandCrossing | null {
    if (this.levels.length === 0) return null;
    if (nowMin < this.lastNow || !this.scanner || this.scanner.cursor.t < nowMin) {
      // First tick, a clock that went back, or now beyond the scanned part: start from the current state.
      const c = copyCursor(this.anchor);
      c.state.set(nowState);
      c.t = nowMin;
      this.scanner = new CourseScanner(this.kernel, this.course.actions, this.levels, c);
      this.pending = [];
    }
    this.lastNow = nowMin;
    while (this.pending.length > 0 && this.pending[0].atMin <= nowMin) this.pending.shift();
    const horizon = nowMin + this.lookaheadMin;
    while (this.pending.length === 0 && this.scanner.cursor.t < horizon) {
      for (const x of this.scanner.scan(horizon, true).crossings) if (x.atMin > nowMin) this.pending.push(x);
    }
    const x = this.pending[0];
    if (!x || x.atMin > horizon) return null;
    return {
      atMin: x.atMin,
      inMin: x.atMin - nowMin,
      levelNgMl: this.levelsNgMl[x.level],
      direction: x.direction,
      bounds: this.levelBounds[x.level],
    };
  }
}
