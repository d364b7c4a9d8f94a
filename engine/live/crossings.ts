// `CourseScanner`: exact Ce level crossings and extrema by bisection on the closed form; `cursorAt`, `scanStep`.
import type { DoseAction } from '../dosing/actions.ts';
import type { RepeatingKernel } from './kernel.ts';
import type { MgPerL } from '../units.ts';

/**
 * Exact level crossings of the effect-site concentration along a course, found on the closed form.
 *
 * Between two actions the rate is constant and Ce is a sum of exponentials, continuous everywhere
 * (a bolus makes cp jump, never ce). The scanner walks forward from a state in steps of
 * δ = min(0.5 min, 0.1 / fastest rate constant) (about 4 s for Domino 1984), evaluating Ce and its
 * slope Ce' = ke0·(cp − ce) exactly at each step. When the slope changes sign inside a step, the
 * extremum is located by bisection on the slope; on each monotone piece a level is crossed iff Ce − level
 * changes sign at its ends, and the crossing is located by bisection on Ce. Bisection halves the step
 * down to δ·2⁻⁴⁰ (≈ 5e-14 min), always advancing the exact solution from a known state by dyadic
 * fractions of δ, whose coefficients are cached, so a bisection costs about 40 small vector updates.
 *
 * Assumption (documented limitation): Ce has at most one extremum within one step δ. Ce is a sum of
 * at most (modes + 1) exponentials with rates ≤ the fastest rate constant, so its extrema are at least
 * several δ apart in any realistic course; two extrema closer than δ (a touch of a level for a few
 * seconds) could be missed.
 *
 * A level is "reached" when ce ≥ level (the band rule of metrics.ts: low ≤ ce < high), so an upward
 * crossing is reported at the first instant with ce ≥ level and a downward one at the first with ce < level.
 */

/** Ce crossing a level. */
export interface Crossing {
  /** Time, min, to within 1e-10 min. */
  readonly atMin: number;
  /** Index of the level in the list the scanner was given. */
  readonly level: number;
  /** The level, mg/L. */
  readonly levelMgPerL: MgPerL;
  readonly direction: 'up' | 'down';
}

/** A local extremum of Ce inside a constant-rate interval. */
export interface Extremum {
  readonly atMin: number;
  readonly ceMgPerL: MgPerL;
  readonly kind: 'max' | 'min';
}

/** Where a walk along a course stands: the state at `t` after every action at or before `t`. */
export interface Cursor {
  t: number;
  readonly state: Float64Array;
  rateMgPerMin: number;
  /** Index of the first action after `t`. */
  next: number;
}

/** Depth of the bisection: δ·2⁻⁴⁰. */
const DEPTH = 40;
/** Longest scan step, min. */
export const MAX_SCAN_STEP_MIN = 0.5;

/** The scan step for a kernel, min. */
export const scanStep = (k: RepeatingKernel): number => Math.min(MAX_SCAN_STEP_MIN, 0.1 / k.fastestRate);

const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

/**
 * The cursor at minute t of a course: replayed exactly from zero drug at 0 through every action at or
 * before t (boluses and rate changes applied at their own times).
 */
export function cursorAt(kernel: RepeatingKernel, actions: readonly DoseAction[], t: number): Cursor {
  const s = kernel.newState();
  let tPrev = 0,
    rate = 0,
    i = 0;
  for (; i < actions.length && actions[i].t <= t; i++) {
    const a = actions[i];
    kernel.advance(s, a.t - tPrev, rate);
    tPrev = a.t;
    if (a.bolusMg !== 0) kernel.bolus(s, a.bolusMg);
    if (a.rateMgPerMin !== null) rate = a.rateMgPerMin;
  }
  kernel.advance(s, t - tPrev, rate);
  return { t, state: s, rateMgPerMin: rate, next: i };
}

/** A copy of a cursor (the state is copied). */
export const copyCursor = (c: Cursor): Cursor => ({
  t: c.t,
  state: Float64Array.from(c.state),
  rateMgPerMin: c.rateMgPerMin,
  next: c.next,
});

/** Result of one scan. */
export interface ScanResult {
  readonly crossings: Crossing[];
  readonly extrema: Extremum[];
}

/**
 * Walks a course forward from a cursor, reporting level crossings and extrema of Ce. It owns its
 * cursor and can be resumed: each `scan` continues where the last one stopped.
 */
export class CourseScanner {
  readonly cursor: Cursor;
  private readonly kernel: RepeatingKernel;
  private readonly actions: readonly DoseAction[];
  private readonly levels: readonly MgPerL[];
  private readonly delta: number;
  private readonly next: Float64Array;
  private readonly lo: Float64Array;
  private readonly probe: Float64Array;
  private readonly mark: Float64Array;

  constructor(kernel: RepeatingKernel, actions: readonly DoseAction[], levelsMgPerL: readonly MgPerL[], from: Cursor) {
    this.kernel = kernel;
    this.actions = actions;
    this.levels = levelsMgPerL;
    this.cursor = copyCursor(from);
    this.delta = scanStep(kernel);
    this.next = kernel.newState();
    this.lo = kernel.newState();
    this.probe = kernel.newState();
    this.mark = kernel.newState();
  }

  private slope(s: Float64Array): number {
    return this.kernel.ke0 * (this.kernel.cp(s) - this.kernel.ce(s));
  }

  /** Advance `s` by the fraction `frac` (a power of two ≤ 1) of a step of length H. */
  private stepFraction(s: Float64Array, H: number, frac: number, rate: number): void {
    if (H === this.delta) this.kernel.advanceRepeated(s, H * frac, rate);
    else this.kernel.advance(s, H * frac, rate);
  }

  /**
   * Dyadic search on [pFrom, pTo] ⊂ [0, 1] (fractions of a step of length H starting from `this.lo`'s
   * time): the largest dyadic position p (to 2⁻ᴰᴱᴾᵀᴴ) with `holds(state at p)`, given that `holds` is
   * true at pFrom and monotone (true then false). `this.lo` must hold the state at pFrom; on return it
   * holds the state at the found p.
   */
  private search(H: number, pFrom: number, pTo: number, rate: number, holds: (s: Float64Array) => boolean): number {
    let p = pFrom;
    for (let k = 1; k <= DEPTH; k++) {
      const frac = 2 ** -k;
      if (p + frac > pTo) continue;
      this.probe.set(this.lo);
      this.stepFraction(this.probe, H, frac, rate);
      if (holds(this.probe)) {
        this.lo.set(this.probe);
        p += frac;
      }
    }
    return p;
  }

  /** Crossings of every level between positions pA and pB of a monotone piece; `this.mark` holds the state at pA. */
  private crossingsOnPiece(
    t0: number,
    H: number,
    pA: number,
    pB: number,
    ceA: number,
    ceB: number,
    rate: number,
    out: Crossing[],
  ): void {
    const k = this.kernel;
    for (let li = 0; li < this.levels.length; li++) {
      const L = this.levels[li];
      const aboveA = ceA >= L,
        aboveB = ceB >= L;
      if (aboveA === aboveB) continue;
      this.lo.set(this.mark);
      const p = this.search(H, pA, pB, rate, (s) => k.ce(s) >= L === aboveA);
      const atMin = t0 + H * Math.min(pB, p + 2 ** -DEPTH);
      out.push({ atMin, level: li, levelMgPerL: L, direction: aboveA ? 'down' : 'up' });
    }
  }

  /** Examine one step [t0, t0 + H] whose end states are `cur` (start) and `this.next` (end). */
  private examine(cur: Float64Array, t0: number, H: number, rate: number, res: ScanResult): void {
    const k = this.kernel;
    const ceA = k.ce(cur),
      ceB = k.ce(this.next);
    const gA = sign(this.slope(cur)),
      gB = sign(this.slope(this.next));
    const found: Crossing[] = [];
    if (gA * gB < 0) {
      this.lo.set(cur);
      const pe = this.search(H, 0, 1, rate, (s) => sign(this.slope(s)) === gA);
      const ceE = k.ce(this.lo);
      const extremumState = Float64Array.from(this.lo);
      res.extrema.push({ atMin: t0 + H * pe, ceMgPerL: ceE, kind: gA > 0 ? 'max' : 'min' });
      this.mark.set(cur);
      this.crossingsOnPiece(t0, H, 0, pe, ceA, ceE, rate, found);
      this.mark.set(extremumState);
      this.crossingsOnPiece(t0, H, pe, 1, ceE, ceB, rate, found);
    } else {
      this.mark.set(cur);
      this.crossingsOnPiece(t0, H, 0, 1, ceA, ceB, rate, found);
    }
    found.sort((a, b) => a.atMin - b.atMin || a.level - b.level);
    res.crossings.push(...found);
  }

  /**
   * Scan forward to `tEnd` (min). With `stopAfterFirstCrossing`, stop at the end of the first step in
   * which a crossing is found. Returns what was found in the part scanned.
   */
  scan(tEnd: number, stopAfterFirstCrossing = false): ScanResult {
    const res: ScanResult = { crossings: [], extrema: [] };
    const c = this.cursor;
    const k = this.kernel;
    while (c.t < tEnd) {
      const nextAction = c.next < this.actions.length ? this.actions[c.next].t : Infinity;
      const segEnd = Math.min(nextAction, tEnd);
      while (c.t < segEnd) {
        const H = Math.min(this.delta, segEnd - c.t);
        this.next.set(c.state);
        if (H === this.delta) k.advanceRepeated(this.next, H, c.rateMgPerMin);
        else k.advance(this.next, H, c.rateMgPerMin);
        const before = res.crossings.length;
        this.examine(c.state, c.t, H, c.rateMgPerMin, res);
        c.state.set(this.next);
        c.t = H === this.delta ? c.t + H : segEnd;
        if (stopAfterFirstCrossing && res.crossings.length > before) return res;
      }
      while (c.next < this.actions.length && this.actions[c.next].t <= c.t) {
        const a = this.actions[c.next++];
        if (a.bolusMg !== 0) k.bolus(c.state, a.bolusMg);
        if (a.rateMgPerMin !== null) c.rateMgPerMin = a.rateMgPerMin;
      }
    }
    return res;
  }
}
