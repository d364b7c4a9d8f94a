/**
 * Exact percentiles and threshold counts of one time column of N values, in two sequential passes.
 *
 * Pass 1 counts the values into `nb` equal bins over [0, hi] (values above hi, or below 0, clamp
 * into the end bins; the bin never decreases as the value grows). The counts locate, for every wanted
 * rank, the bin holding it and how many values lie below that bin; likewise the bin holding each
 * threshold. Pass 2 collects the values of just those bins (a few dozen each); the k-th value is the
 * (k − below)-th of its bin's values once they are sorted, and a threshold count is the values above
 * its bin plus those of its bin at or above it. The bin of a
 * value is the same float expression in both passes, so the answer does not depend on `hi` or `nb`:
 * they only decide how many values pass 2 collects. The result therefore equals the one computed
 * by sorting all N values (the test checks it), at a cost of two branch-light passes per column
 * instead of a sort.
 */

/**
 * Percentile p (0–100) of N values: linear interpolation between the order statistics at
 * h = (N − 1)·p/100 (Hyndman & Fan type 7, the default of numpy and R). `k` = ⌊h⌋, `frac` = h − k.
 */
export function percentileRank(p: number, n: number): { k: number; frac: number } {
  const h = ((n - 1) * p) / 100;
  const k = Math.min(n - 1, Math.floor(h));
  return { k, frac: k >= n - 1 ? 0 : h - k };
}

/** The type-7 interpolation between x_k and x_{k+1}. */
export const interpolate = (xk: number, xk1: number, frac: number): number => (frac === 0 ? xk : xk + frac * (xk1 - xk));

/** Percentile p of values sorted ascending. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const { k, frac } = percentileRank(p, n);
  return interpolate(sorted[k], frac === 0 ? sorted[k] : sorted[k + 1], frac);
}

/** Percentile p of a plain array, by sorting a copy: the reference computation the fast path must equal. */
export function percentileBySort(values: ArrayLike<number>, p: number): number {
  return percentileOfSorted(Float64Array.from(values).sort(), p);
}

/**
 * Rearranges a[lo..hi] so that a[k] is its k-th smallest value, everything before it ≤ a[k] and
 * everything after ≥ a[k] (quickselect, Hoare partition, median-of-three pivot; O(n) expected).
 * The values must not be NaN.
 */
export function selectInPlace(a: Float64Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as pivot, which also keeps sorted and reversed input linear.
    if (a[mid] < a[lo]) {
      const x = a[mid];
      a[mid] = a[lo];
      a[lo] = x;
    }
    if (a[hi] < a[lo]) {
      const x = a[hi];
      a[hi] = a[lo];
      a[lo] = x;
    }
    if (a[hi] < a[mid]) {
      const x = a[hi];
      a[hi] = a[mid];
      a[mid] = x;
    }
    const pivot = a[mid];
    let i = lo,
      j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const x = a[i];
        a[i] = a[j];
        a[j] = x;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Up to this many values, `percentilesBySelection` sorts (same numbers: the selection equals the sort). */
export const SORT_BELOW = 4096;

/**
 * Type-7 percentiles of the non-NaN values in `a` (which is reordered), by successive selection
 * instead of a sort: O(n) per percentile, and exactly the numbers `percentileOfSorted` gives on the
 * sorted values (the same order statistics, interpolated the same way; −0 and +0 count as one value).
 */
export function percentilesBySelection(a: Float64Array, percentiles: readonly number[]): number[] {
  const n = a.length;
  const out = new Array<number>(percentiles.length).fill(NaN);
  if (n === 0) return out;
  if (n <= SORT_BELOW) {
    // Few values: the built-in sort (no JIT warm-up) costs less than getting the selection loops
    // optimised, which in a one-shot CLI run would still be compiling when the process exits.
    a.sort();
    for (let q = 0; q < percentiles.length; q++) out[q] = percentileOfSorted(a, percentiles[q]);
    return out;
  }
  const order = percentiles.map((_, i) => i).sort((x, y) => percentiles[x] - percentiles[y]);
  let lo = 0;
  for (const idx of order) {
    const { k, frac } = percentileRank(percentiles[idx], n);
    selectInPlace(a, lo, n - 1, k);
    lo = k;
    let next = a[k];
    if (frac !== 0) {
      next = Infinity;
      for (let i = k + 1; i < n; i++) if (a[i] < next) next = a[i];
    }
    out[idx] = interpolate(a[k], next, frac);
  }
  return out;
}

/** Number of values ≥ threshold, by a plain scan: the reference for threshold counts. */
export function countAtLeastByScan(values: ArrayLike<number>, threshold: number): number {
  let c = 0;
  for (let i = 0; i < values.length; i++) if (values[i] >= threshold) c++;
  return c;
}

/**
 * One scan over the bins: the bin of every wanted rank (ranks ascending) and of every threshold (its
 * bin already in tBin[R + t], ascending), the number of values below it, and a slot (a region of the
 * collected values, its start in slotStart) for each such bin, marked in `mark`. Returns the number
 * of slots. A function of its own, like `collectMarked`.
 */
function scanBins(
  hist: Int32Array,
  nb: number,
  ranks: Int32Array,
  nt: number,
  tBin: Int32Array,
  tBelow: Int32Array,
  tSlot: Int32Array,
  mark: Int32Array,
  slotStart: Int32Array,
  slotPos: Int32Array,
  slotSorted: Uint8Array,
): number {
  const R = ranks.length;
  let cum = 0,
    slots = 0,
    r = 0,
    t = 0;
  slotStart[0] = 0;
  for (let b = 0; b < nb && (r < R || t < nt); b++) {
    const h = hist[b];
    let marked = false;
    while (r < R && ranks[r] < cum + h) {
      tBin[r] = b;
      tBelow[r] = cum;
      tSlot[r] = slots;
      r++;
      marked = true;
    }
    while (t < nt && tBin[R + t] === b) {
      tBelow[R + t] = cum;
      tSlot[R + t] = slots;
      t++;
      marked = true;
    }
    if (marked) {
      mark[b] = slots + 1;
      slotPos[slots] = slotStart[slots];
      slotSorted[slots] = 0;
      slotStart[slots + 1] = slotStart[slots] + h;
      slots++;
    }
    cum += h;
  }
  return slots;
}

/**
 * Pass 2: copy each value whose bin is marked (mark[bin] = 1 + its slot) to the next free place of its
 * slot. A function of its own, so the JIT optimises this loop apart from the code around it.
 */
function collectMarked(
  col: Float64Array,
  off: number,
  end: number,
  inv: number,
  top: number,
  mark: Int32Array,
  coll: Float64Array,
  pos: Int32Array,
): void {
  for (let i = off; i < end; i++) {
    const x = col[i];
    const s = mark[Math.max(0, Math.min(x * inv, top)) | 0];
    if (s !== 0) coll[pos[s - 1]++] = x;
  }
}

/**
 * Selects fixed percentiles (and counts values ≥ fixed thresholds) in successive columns of N
 * values. The bins of a column span [0, 2 × the largest wanted value of the previous column]; the
 * first column is sized by a pass for its maximum.
 */
export class ColumnSelector {
  readonly n: number;
  /** Number of bins; a value x falls in bin `binOf(x, inv)` = clamp(⌊x·inv⌋, 0, nb − 1). */
  readonly nb: number;
  private readonly top: number;
  private readonly hist: Int32Array;
  /** For a marked bin, 1 + its slot (the marked bins in ascending order); 0 otherwise. */
  private readonly mark: Int32Array;
  /** Per target (ranks ascending, then thresholds ascending): its bin, the values below the bin, its slot. */
  private readonly tBin: Int32Array;
  private readonly tBelow: Int32Array;
  private readonly tSlot: Int32Array;
  /** Per slot: where its values start in `collected`, the fill position, whether they are sorted. */
  private readonly slotStart: Int32Array;
  private readonly slotPos: Int32Array;
  private readonly slotSorted: Uint8Array;
  private readonly ranks: Int32Array;
  private readonly pct: { k: number; frac: number; rk: number; rk1: number }[];
  private readonly thresholds: Float64Array;
  private collected: Float64Array;
  private hi = -1;

  constructor(n: number, percentiles: readonly number[], thresholds: ArrayLike<number> = [], bins?: number) {
    if (!(n >= 1)) throw new Error(`ColumnSelector: n must be ≥ 1, got ${n}`);
    this.n = n;
    this.nb = bins ?? Math.max(64, Math.min(2048, n >> 4));
    this.top = this.nb - 1;
    this.hist = new Int32Array(this.nb);
    this.mark = new Int32Array(this.nb);
    const ranks = new Set<number>();
    const pr = percentiles.map((p) => percentileRank(p, n));
    for (const { k, frac } of pr) {
      ranks.add(k);
      if (frac > 0) ranks.add(k + 1);
    }
    this.ranks = Int32Array.from([...ranks].sort((a, b) => a - b));
    const idx = (k: number) => this.ranks.indexOf(k);
    this.pct = pr.map(({ k, frac }) => ({ k, frac, rk: idx(k), rk1: frac > 0 ? idx(k + 1) : idx(k) }));
    this.thresholds = Float64Array.from(thresholds);
    for (let t = 1; t < this.thresholds.length; t++) {
      if (!(this.thresholds[t] > this.thresholds[t - 1]))
        throw new Error('ColumnSelector: thresholds must be ascending and distinct');
    }
    const targets = this.ranks.length + this.thresholds.length;
    this.tBin = new Int32Array(targets);
    this.tBelow = new Int32Array(targets);
    this.tSlot = new Int32Array(targets);
    this.slotStart = new Int32Array(targets + 1);
    this.slotPos = new Int32Array(targets);
    this.slotSorted = new Uint8Array(targets);
    this.collected = new Float64Array(Math.min(n, 1024));
    this.scratchCounts = Array.from(this.thresholds, () => new Int32Array(1));
  }

  /** Where counts go when the caller does not want them (one code path for every caller keeps the JIT's feedback complete). */
  private readonly scratchCounts: Int32Array[];

  /**
   * Percentiles of `col[off … off + n)` into `out[q][at]` (one array per percentile), and the
   * number of values ≥ each threshold into `counts[t][at]` when thresholds were given.
   */
  select(col: Float64Array, off: number, out: readonly Float64Array[], at: number, counts?: readonly Int32Array[]): void {
    const n = this.n,
      end = off + n,
      top = this.top;
    const hist = this.hist;
    let hi = this.hi;
    if (hi < 0) {
      hi = 0;
      for (let i = off; i < end; i++) if (col[i] > hi) hi = col[i];
    }
    const inv = hi > 0 ? top / hi : 0;
    hist.fill(0);
    // Pass 1: bin counts. The bin never decreases as the value grows (clamped at both ends).
    for (let i = off; i < end; i++) hist[Math.max(0, Math.min(col[i] * inv, top)) | 0]++;
    const top2 = this.fromHistogram(col, off, hist, inv, out, at, counts);
    // The next column's bins: up to twice this column's largest wanted value (clamped above it).
    this.hi = top2 > 0 ? 2 * top2 : hi;
  }

  /**
   * As `select`, given the column's histogram (`hist[b]` = number of values x with
   * clamp(⌊x·inv⌋, 0, nb − 1) = b, counted with exactly this expression, e.g. by the kernel while it
   * produced the values): pass 2 and the selection only. Returns the largest selected value.
   */
  fromHistogram(
    col: Float64Array,
    off: number,
    hist: Int32Array,
    inv: number,
    out: readonly Float64Array[],
    at: number,
    counts?: readonly Int32Array[],
  ): number {
    const n = this.n,
      end = off + n,
      nb = this.nb,
      top = this.top;
    const mark = this.mark;
    // One scan over the bins: the bin of every wanted rank and every threshold, the values below it,
    // and a slot (a region of `collected`) for each such bin.
    const R = this.ranks.length,
      nt = this.thresholds.length;
    const tBin = this.tBin,
      tBelow = this.tBelow,
      tSlot = this.tSlot,
      slotStart = this.slotStart;
    for (let t = 0; t < nt; t++) tBin[R + t] = Math.max(0, Math.min(this.thresholds[t] * inv, top)) | 0;
    const slots = scanBins(hist, nb, this.ranks, nt, tBin, tBelow, tSlot, mark, slotStart, this.slotPos, this.slotSorted);
    const m = slotStart[slots];
    if (this.collected.length < m) this.collected = new Float64Array(Math.max(m, 2 * this.collected.length));
    const coll = this.collected;
    collectMarked(col, off, end, inv, top, mark, coll, this.slotPos);
    for (let q = 0; q < R + nt; q++) mark[tBin[q]] = 0;
    // The k-th value is the (k − below)-th of its bin's values.
    let top2 = 0;
    for (let q = 0; q < this.pct.length; q++) {
      const p = this.pct[q];
      const xk = this.valueAt(p.rk, p.k);
      const xk1 = p.frac === 0 ? xk : this.valueAt(p.rk1, p.k + 1);
      out[q][at] = interpolate(xk, xk1, p.frac);
      if (xk1 > top2) top2 = xk1;
    }
    {
      // Values ≥ a threshold: those above its bin, and those of its bin that are ≥ it.
      const cs = counts ?? this.scratchCounts;
      const where = counts ? at : 0;
      for (let k = 0; k < nt; k++) {
        const q = R + k,
          s = tSlot[q],
          thr = this.thresholds[k];
        let c = n - tBelow[q] - hist[tBin[q]];
        for (let i = slotStart[s], e = slotStart[s + 1]; i < e; i++) if (coll[i] >= thr) c++;
        cs[k][where] = c;
      }
    }
    return top2;
  }

  /** Value of rank k, whose target index is r: sort its bin's slot once, then index into it. */
  private valueAt(r: number, k: number): number {
    const s = this.tSlot[r];
    const from = this.slotStart[s];
    if (this.slotSorted[s] === 0) {
      this.collected.subarray(from, this.slotStart[s + 1]).sort();
      this.slotSorted[s] = 1;
    }
    return this.collected[from + (k - this.tBelow[r])];
  }
}
