// `searchSchedule`: greedy look-ahead starts plus local-search sweeps over discrete bolus/rate levels.
import type { ResponseBasis } from './basis.ts';
import { COST_WEIGHTS, type Objective } from './objective.ts';

/** A pump programme on the discrete grid: a bolus level at t = 0 and one rate level per change time. */
export interface Schedule {
  readonly bolusLevel: number;
  readonly levels: Int32Array;
}

/** What the search did, for the record. */
export interface SearchStats {
  /** Candidate programmes whose cost was evaluated. */
  readonly candidates: number;
  /** Starting points tried (greedy look-ahead variants). */
  readonly starts: number;
  /** Improvement sweeps of the local search, summed over the starts. */
  readonly sweeps: number;
  /** Whether every local search stopped because no move improved (not at the sweep cap). */
  readonly converged: boolean;
}

/**
 * About this many levels are tried on a first, coarse pass over a long level range, then every level
 * near the coarse winner (16 held the window as well as 32 in the same development runs, faster).
 */
const COARSE_LEVELS = 16;

/** A coarse subset of levels 0 … max (every level when there are few) and its stride. */
function coarseLevels(max: number): { list: number[]; stride: number } {
  const stride = Math.max(1, Math.ceil((max + 1) / COARSE_LEVELS));
  const list: number[] = [];
  for (let l = 0; l <= max; l += stride) list.push(l);
  if (list[list.length - 1] !== max) list.push(max);
  return { list, stride };
}

/**
 * The level (0 … max) with the lowest `gain` below −1e-12, else `cur`: the coarse grid first, then
 * every level within one stride of the coarse winner and of `cur`.
 */
function bestLevel(max: number, cur: number, gain: (v: number) => number): number {
  const { list, stride } = coarseLevels(max);
  let best = -1e-12,
    bestV = cur;
  const tryV = (v: number) => {
    if (v === cur) return;
    const g = gain(v);
    if (g < best) {
      best = g;
      bestV = v;
    }
  };
  for (const v of list) tryV(v);
  if (stride > 1) {
    const centres = bestV === cur ? [cur] : [bestV, cur];
    for (const c of centres) for (let v = Math.max(0, c - stride); v <= Math.min(max, c + stride); v++) tryV(v);
  }
  return bestV;
}

/**
 * The step pair (d1, d2), each within ±PAIR_RADIUS and non-zero, that moves two levels (`c1` in
 * 0 … `max1`, `c2` in 0 … `max2`) to the lowest `gain` below −1e-12, else null. Candidates are tried
 * d1 then d2 ascending; a later one wins only when strictly lower.
 */
function bestPair(
  c1: number,
  max1: number,
  c2: number,
  max2: number,
  gain: (d1: number, d2: number) => number,
): readonly [number, number] | null {
  let best = -1e-12,
    b1 = 0,
    b2 = 0;
  for (let d1 = -PAIR_RADIUS; d1 <= PAIR_RADIUS; d1++) {
    const v1 = c1 + d1;
    if (d1 === 0 || v1 < 0 || v1 > max1) continue;
    for (let d2 = -PAIR_RADIUS; d2 <= PAIR_RADIUS; d2++) {
      const v2 = c2 + d2;
      if (d2 === 0 || v2 < 0 || v2 > max2) continue;
      const g = gain(d1, d2);
      if (g < best) {
        best = g;
        b1 = d1;
        b2 = d2;
      }
    }
  }
  return b1 === 0 ? null : [b1, b2];
}

/** Most local-search sweeps per start; the search reports if it stops here (`converged: false`). */
export const MAX_SWEEPS = 200;
/** Pair moves change two neighbouring levels by up to this many steps each. */
const PAIR_RADIUS = 3;
/**
 * Look-ahead horizons of the greedy starts, in change intervals beyond the next one (Infinity: to the
 * session end). In development runs on about 220 random requests not proven out of reach (all registry
 * models, both modes, with and without a loading dose), these two starts held the window as well as
 * four (look-aheads 0, 1, 3, ∞) in 35–55% of the time (a single start with look-ahead 0 did worse).
 */
const LOOKAHEADS = [1, Infinity];

interface Term {
  readonly y: Float64Array;
  readonly cp: Float64Array;
  readonly d: number;
}

/**
 * The state of one search: the current programme, its concentrations (by superposition) and its
 * per-segment costs with suffix sums, so a move that changes levels from change time k on is costed
 * over the grid from t_k only.
 */
class Search {
  readonly basis: ResponseBasis;
  readonly obj: Objective;
  readonly maxLevel: number;
  readonly maxBolusLevel: number;
  readonly n: number;
  readonly K: number;
  readonly y: Float64Array;
  readonly cp: Float64Array;
  readonly seg: Float64Array;
  readonly suffix: Float64Array;
  levels: Int32Array;
  bolusLevel = 0;
  candidates = 0;
  /** Tails: response to one level held from t_k to the end (for the greedy "hold" look-ahead). */
  private tails: { y: Float64Array; cp: Float64Array }[] | null = null;

  constructor(basis: ResponseBasis, obj: Objective, maxLevel: number, maxBolusLevel: number) {
    this.basis = basis;
    this.obj = obj;
    this.maxLevel = maxLevel;
    this.maxBolusLevel = maxBolusLevel;
    this.n = basis.t.length;
    this.K = basis.changeTimes.length;
    this.y = new Float64Array(this.n);
    this.cp = new Float64Array(this.n);
    this.seg = new Float64Array(this.n + 1);
    this.suffix = new Float64Array(this.n + 1);
    this.levels = new Int32Array(this.K);
  }

  /** Zero programme. */
  clear(): void {
    this.levels.fill(0);
    this.bolusLevel = 0;
    this.y.fill(0);
    this.cp.fill(0);
    this.refreshCosts(0);
  }

  /** Recompute segment costs and suffix sums from point index p0 on (suffix sums everywhere before too). */
  refreshCosts(p0: number): void {
    const { n, y, seg, suffix, obj } = this;
    for (let j = Math.max(1, p0 + 1); j < n; j++) seg[j] = obj.segment(j, y[j - 1], y[j]);
    suffix[n] = 0;
    for (let j = n - 1; j >= 1; j--) suffix[j] = suffix[j + 1] + seg[j];
    suffix[0] = suffix[1];
  }

  /**
   * Cost of segments p0+1 … end of the current programme plus two terms (d1·term1 + d2·term2; pass
   * d2 = 0 for one), or Infinity if Cp breaks its cap at any grid point from p0 on. Only points from p0
   * change (every term is zero before p0). Written for speed: this is the planner's inner loop.
   */
  candidateCost(p0: number, end: number, t1: Term, t2: Term | null): number {
    this.candidates++;
    const { y, cp, obj } = this;
    const cap = obj.cpCap;
    const y1 = t1.y,
      c1 = t1.cp,
      d1 = t1.d;
    const y2 = t2 ? t2.y : y1,
      c2 = t2 ? t2.cp : c1,
      d2 = t2 ? t2.d : 0;
    const n = this.n;
    if (cap !== Infinity) {
      for (let j = p0; j < n; j++) if (cp[j] + d1 * c1[j] + d2 * c2[j] > cap) return Infinity;
    }
    let cost = 0;
    let prev = y[p0] + d1 * y1[p0] + d2 * y2[p0];
    for (let j = p0 + 1; j <= end; j++) {
      const v = y[j] + d1 * y1[j] + d2 * y2[j];
      cost += obj.segment(j, prev, v);
      prev = v;
    }
    return cost;
  }

  /** Apply `terms` to the current concentrations (from p0 on) and refresh the costs. */
  apply(p0: number, terms: readonly Term[]): void {
    for (const tm of terms) {
      for (let j = p0; j < this.n; j++) {
        this.y[j] += tm.d * tm.y[j];
        this.cp[j] += tm.d * tm.cp[j];
      }
    }
    this.refreshCosts(p0);
  }

  pulseTerm(k: number, d: number): Term {
    return { y: this.basis.pulse[k], cp: this.basis.cpPulse[k], d };
  }
  bolusTerm(d: number): Term {
    return { y: this.basis.bolus, cp: this.basis.cpBolus, d };
  }
  /** First point index a change at t_k can affect, minus one (the segment's left end). */
  from(k: number): number {
    return Math.max(0, this.basis.start[k] - 1);
  }

  /** Change in the number of pump changes if levels[k1] → v1 (and levels[k2] → v2). */
  changeDelta(k1: number, v1: number, k2 = -1, v2 = 0): number {
    const L = this.levels;
    const lv = (i: number) => (i === k1 ? v1 : i === k2 ? v2 : L[i]);
    const hiIdx = Math.min(this.K - 2, Math.max(k1, k2));
    let d = 0;
    for (let i = Math.max(0, k1 - 1); i <= hiIdx; i++) d += Number(lv(i) !== lv(i + 1)) - Number(L[i] !== L[i + 1]);
    return d * COST_WEIGHTS.change;
  }

  /** Change in cost from giving a bolus or not (a bolus is one more thing to do, weighted as a change). */
  bolusDelta(v: number): number {
    return (Number(v > 0) - Number(this.bolusLevel > 0)) * COST_WEIGHTS.change;
  }

  private tail(k: number) {
    if (!this.tails) {
      const out: { y: Float64Array; cp: Float64Array }[] = new Array(this.K);
      for (let m = this.K - 1; m >= 0; m--) {
        const y = Float64Array.from(this.basis.pulse[m]);
        const cp = Float64Array.from(this.basis.cpPulse[m]);
        if (m + 1 < this.K) {
          const ny = out[m + 1].y,
            ncp = out[m + 1].cp;
          for (let j = 0; j < this.n; j++) {
            y[j] += ny[j];
            cp[j] += ncp[j];
          }
        }
        out[m] = { y, cp };
      }
      this.tails = out;
    }
    return this.tails[k];
  }

  /** End grid index of a look-ahead reaching the change time k (the session end past the last one). */
  private endIndex(k: number): number {
    const endT = k >= this.K ? Infinity : this.basis.changeTimes[k];
    let end = this.n - 1;
    while (end > 0 && this.basis.t[end] > endT) end--;
    return end;
  }

  /**
   * Best (level at k, level held from k+1 on) for the cost from p0 to `end`, on the coarse grid and
   * then every level within one stride of the coarse winner.
   */
  private bestPair(k: number, p0: number, end: number): { l1: number; l2: number; cost: number } {
    const { list, stride } = coarseLevels(this.maxLevel);
    const last = k + 1 >= this.K;
    const tail = last ? null : this.tail(k + 1);
    let best = Infinity,
      b1 = 0,
      b2 = 0;
    const tryPair = (l1: number, l2: number) => {
      const c = this.candidateCost(p0, end, this.pulseTerm(k, l1), tail && l2 > 0 ? { y: tail.y, cp: tail.cp, d: l2 } : null);
      if (c < best) {
        best = c;
        b1 = l1;
        b2 = l2;
      }
    };
    for (const l1 of list) {
      if (last) tryPair(l1, 0);
      else for (const l2 of list) tryPair(l1, l2);
    }
    if (stride > 1) {
      // Refine one level at a time around the coarse winner (every level within one stride).
      const c1 = b1;
      for (let l1 = Math.max(0, c1 - stride); l1 <= Math.min(this.maxLevel, c1 + stride); l1++) if (l1 !== c1) tryPair(l1, b2);
      if (!last) {
        const c2 = b2,
          f1 = b1;
        for (let l2 = Math.max(0, c2 - stride); l2 <= Math.min(this.maxLevel, c2 + stride); l2++) if (l2 !== c2) tryPair(f1, l2);
      }
    }
    return { l1: b1, l2: b2, cost: best };
  }

  /**
   * Greedy receding-horizon start: at each change time k choose the level for k together with a level
   * held from k+1 on (and at t = 0 the bolus) that minimise the cost up to `lookahead` intervals past
   * k+1; keep the level for k and move on.
   */
  greedy(lookahead: number): void {
    this.clear();
    for (let k = 0; k < this.K; k++) {
      const end = this.endIndex(k + 2 + lookahead);
      const p0 = k === 0 ? 0 : this.from(k);
      let pick = this.bestPair(k, p0, Math.max(end, p0 + 1));
      let bolus = 0;
      if (k === 0 && this.maxBolusLevel > 0) {
        const { list, stride } = coarseLevels(this.maxBolusLevel);
        const tryBolus = (b: number) => {
          if (b === 0) return;
          this.apply(0, [this.bolusTerm(b)]);
          const r = this.bestPair(0, 0, Math.max(end, 1));
          this.apply(0, [this.bolusTerm(-b)]);
          if (r.cost < pick.cost) {
            pick = r;
            bolus = b;
          }
        };
        for (const b of list) tryBolus(b);
        const c = bolus;
        if (stride > 1)
          for (let b = Math.max(1, c - stride); b <= Math.min(this.maxBolusLevel, c + stride); b++) if (b !== c) tryBolus(b);
      }
      const terms = [this.pulseTerm(k, pick.l1)];
      if (bolus > 0) terms.push(this.bolusTerm(bolus));
      this.levels[k] = pick.l1;
      if (k === 0) this.bolusLevel = bolus;
      this.apply(p0, terms);
    }
  }

  /** Whether Cp stays within its cap at every grid point (the responses are exact; this guards the search). */
  feasible(): boolean {
    for (let j = 0; j < this.n; j++) if (this.cp[j] > this.obj.cpCap) return false;
    return true;
  }

  /** Total cost of the current programme. */
  total(): number {
    let changes = 0;
    for (let i = 0; i + 1 < this.K; i++) if (this.levels[i] !== this.levels[i + 1]) changes++;
    return this.suffix[1] + (changes + Number(this.bolusLevel > 0)) * COST_WEIGHTS.change;
  }

  /**
   * Local search: sweeps of best-improvement moves (one level over its whole range; two neighbouring
   * levels by up to ±PAIR_RADIUS steps each; the bolus; the bolus with the first level) until a sweep
   * improves nothing or MAX_SWEEPS. Returns the number of sweeps and whether it converged.
   */
  improve(): { sweeps: number; converged: boolean } {
    const { K } = this;
    for (let sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
      let improved = false;
      // One level at a time, over its whole range (coarse grid, then around the coarse winner).
      for (let k = 0; k < K; k++) {
        const p0 = this.from(k);
        const base = this.suffix[p0 + 1];
        const cur = this.levels[k];
        const v = bestLevel(
          this.maxLevel,
          cur,
          (v) => this.candidateCost(p0, this.n - 1, this.pulseTerm(k, v - cur), null) - base + this.changeDelta(k, v),
        );
        if (v !== cur) {
          this.apply(p0, [this.pulseTerm(k, v - cur)]);
          this.levels[k] = v;
          improved = true;
        }
      }
      // Two neighbouring levels together (moves one step cannot find: shifting drug between intervals).
      for (let k = 0; k + 1 < K; k++) {
        const p0 = this.from(k);
        const base = this.suffix[p0 + 1];
        const c1 = this.levels[k],
          c2 = this.levels[k + 1];
        const pair = bestPair(c1, this.maxLevel, c2, this.maxLevel, (d1, d2) => {
          const c = this.candidateCost(p0, this.n - 1, this.pulseTerm(k, d1), this.pulseTerm(k + 1, d2));
          return c - base + this.changeDelta(k, c1 + d1, k + 1, c2 + d2);
        });
        if (pair !== null) {
          const [b1, b2] = pair;
          this.apply(p0, [this.pulseTerm(k, b1), this.pulseTerm(k + 1, b2)]);
          this.levels[k] += b1;
          this.levels[k + 1] += b2;
          improved = true;
        }
      }
      if (this.maxBolusLevel > 0) {
        // The bolus alone, over its whole range, then with the first level.
        const base = this.suffix[1];
        const cur = this.bolusLevel;
        const v = bestLevel(
          this.maxBolusLevel,
          cur,
          (v) => this.candidateCost(0, this.n - 1, this.bolusTerm(v - cur), null) - base + this.bolusDelta(v),
        );
        if (v !== cur) {
          this.apply(0, [this.bolusTerm(v - cur)]);
          this.bolusLevel = v;
          improved = true;
        }
        const c0 = this.levels[0],
          cb = this.bolusLevel;
        const pair = bestPair(cb, this.maxBolusLevel, c0, this.maxLevel, (i, m) => {
          const c = this.candidateCost(0, this.n - 1, this.bolusTerm(i), this.pulseTerm(0, m));
          return c - this.suffix[1] + this.changeDelta(0, c0 + m) + this.bolusDelta(cb + i);
        });
        if (pair !== null) {
          const [db, d0] = pair;
          this.apply(0, [this.bolusTerm(db), this.pulseTerm(0, d0)]);
          this.bolusLevel += db;
          this.levels[0] += d0;
          improved = true;
        }
      }
      if (!improved) return { sweeps: sweep, converged: true };
    }
    return { sweeps: MAX_SWEEPS, converged: false };
  }
}

/**
 * Search the discrete programmes (rates on the step grid at the allowed change times, a bolus on its
 * grid) for the lowest cost: greedy receding-horizon starts with several look-aheads, each polished
 * by local search on the whole session's cost; the best result wins. Deterministic.
 */
export function searchSchedule(
  basis: ResponseBasis,
  obj: Objective,
  maxLevel: number,
  maxBolusLevel: number,
): { schedule: Schedule; cost: number; stats: SearchStats } {
  const s = new Search(basis, obj, maxLevel, maxBolusLevel);
  let best: Schedule | null = null;
  let bestCost = Infinity;
  let sweeps = 0,
    converged = true;
  for (const la of LOOKAHEADS) {
    s.greedy(la);
    const r = s.improve();
    sweeps += r.sweeps;
    converged &&= r.converged;
    const c = s.feasible() ? s.total() : Infinity;
    if (c < bestCost) {
      bestCost = c;
      best = { bolusLevel: s.bolusLevel, levels: Int32Array.from(s.levels) };
    }
  }
  // The zero programme is always within the constraints; it is the fallback if every start broke the cap.
  if (!best) best = { bolusLevel: 0, levels: new Int32Array(s.K) };
  return { schedule: best, cost: bestCost, stats: { candidates: s.candidates, starts: LOOKAHEADS.length, sweeps, converged } };
}
