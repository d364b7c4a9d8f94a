/**
 * Exact percentiles and threshold counts of one time column of N values, in two sequential passes.
 *
 * Pass 1 counts the values into `nb` equal bins over [0, hi] (values above hi, or below 0, clamp
 * into the end bins; the bin never decreases as the value grows). The counts locate, for every wanted rank, the bin holding it and how many
 * values lie below that bin; likewise the bin holding each threshold. Pass 2 collects the values of
 * just those bins (a few per bin), which are sorted; the k-th value is then read off exactly, and a
 * threshold count is the values above its bin plus those of its bin at or above it. The bin of a
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

/** Number of values ≥ threshold, by a plain scan: the reference for threshold counts. */
export function countAtLeastByScan(values: ArrayLike<number>, threshold: number): number {
  let c = 0;
  for (let i = 0; i < values.length; i++) if (values[i] >= threshold) c++;
  return c;
}

/**
 * Selects fixed percentiles (and counts values ≥ fixed thresholds) in successive columns of N
 * values. The bins of a column span [0, 2 × the largest wanted value of the previous column]; the
 * first column is sized by a pass for its maximum.
 */
export class ColumnSelector {
  readonly n: number;
  private readonly nb: number;
  private readonly top: number;
  private readonly hist: Int32Array;
  private readonly mark: Uint8Array;
  /** Per target (ranks ascending, then thresholds ascending): its bin, the values below the bin, the collected values below the bin. */
  private readonly tBin: Int32Array;
  private readonly tBelow: Int32Array;
  private readonly tCollected: Int32Array;
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
    this.mark = new Uint8Array(this.nb);
    const ranks = new Set<number>();
    const pr = percentiles.map((p) => percentileRank(p, n));
    for (const { k, frac } of pr) { ranks.add(k); if (frac > 0) ranks.add(k + 1); }
    this.ranks = Int32Array.from([...ranks].sort((a, b) => a - b));
    const idx = (k: number) => this.ranks.indexOf(k);
    this.pct = pr.map(({ k, frac }) => ({ k, frac, rk: idx(k), rk1: frac > 0 ? idx(k + 1) : idx(k) }));
    this.thresholds = Float64Array.from(thresholds);
    for (let t = 1; t < this.thresholds.length; t++) {
      if (!(this.thresholds[t] > this.thresholds[t - 1])) throw new Error('ColumnSelector: thresholds must be ascending and distinct');
    }
    const targets = this.ranks.length + this.thresholds.length;
    this.tBin = new Int32Array(targets);
    this.tBelow = new Int32Array(targets);
    this.tCollected = new Int32Array(targets);
    this.collected = new Float64Array(Math.min(n, 1024));
  }

  /** Forget the previous column (the next one is sized by a pass for its maximum). */
  reset(): void {
    this.hi = -1;
  }

  /**
   * Percentiles of `col[off … off + n)` into `out[q][at]` (one array per percentile), and the
   * number of values ≥ each threshold into `counts[t][at]` when thresholds were given.
   */
  select(col: Float64Array, off: number, out: readonly Float64Array[], at: number, counts?: readonly Int32Array[]): void {
    const n = this.n, end = off + n, nb = this.nb, top = this.top;
    const hist = this.hist, mark = this.mark;
    let hi = this.hi;
    if (hi < 0) {
      hi = 0;
      for (let i = off; i < end; i++) if (col[i] > hi) hi = col[i];
    }
    const inv = hi > 0 ? top / hi : 0;
    hist.fill(0);
    // Pass 1: bin counts. The bin never decreases as the value grows (clamped at both ends).
    for (let i = off; i < end; i++) hist[Math.max(0, Math.min(col[i] * inv, top)) | 0]++;
    // One scan over the bins: the bin of every wanted rank and of every threshold, and how many
    // values lie below it, in all bins and in the marked bins (the ones pass 2 collects).
    const R = this.ranks.length, nt = this.thresholds.length;
    const tBin = this.tBin, tBelow = this.tBelow, tCollected = this.tCollected;
    for (let t = 0; t < nt; t++) tBin[R + t] = Math.max(0, Math.min(this.thresholds[t] * inv, top)) | 0;
    let cum = 0, collectedBelow = 0, r = 0, t = 0;
    for (let b = 0; b < nb && (r < R || t < nt); b++) {
      const h = hist[b];
      let marked = false;
      while (r < R && this.ranks[r] < cum + h) {
        tBin[r] = b; tBelow[r] = cum; tCollected[r] = collectedBelow;
        r++;
        marked = true;
      }
      while (t < nt && tBin[R + t] === b) {
        tBelow[R + t] = cum; tCollected[R + t] = collectedBelow;
        t++;
        marked = true;
      }
      if (marked) { mark[b] = 1; collectedBelow += h; }
      cum += h;
    }
    if (this.collected.length < collectedBelow) this.collected = new Float64Array(Math.max(collectedBelow, 2 * this.collected.length));
    const coll = this.collected;
    // Pass 2: collect the marked bins' values.
    let c = 0;
    for (let i = off; i < end; i++) {
      const x = col[i];
      if (mark[Math.max(0, Math.min(x * inv, top)) | 0] === 1) coll[c++] = x;
    }
    for (let q = 0; q < R + nt; q++) mark[tBin[q]] = 0;
    // Sorted, the collected values lie bin after bin (bins never decrease with the value): the values
    // of a target's bin start at its collected-below count.
    const sorted = coll.subarray(0, c).sort();
    let top2 = 0;
    for (let q = 0; q < this.pct.length; q++) {
      const p = this.pct[q];
      const xk = sorted[tCollected[p.rk] + (p.k - tBelow[p.rk])];
      const xk1 = p.frac === 0 ? xk : sorted[tCollected[p.rk1] + (p.k + 1 - tBelow[p.rk1])];
      out[q][at] = interpolate(xk, xk1, p.frac);
      if (xk1 > top2) top2 = xk1;
    }
    if (counts) {
      for (let k = 0; k < nt; k++) {
        const q = R + k, b = tBin[q], from = tCollected[q], to = from + hist[b];
        const thr = this.thresholds[k];
        let lo = from, h2 = to;
        while (lo < h2) {
          const mid = (lo + h2) >>> 1;
          if (sorted[mid] < thr) lo = mid + 1;
          else h2 = mid;
        }
        counts[k][at] = n - tBelow[q] - (lo - from);
      }
    }
    // The next column's bins: up to twice this column's largest wanted value (clamped above it).
    this.hi = top2 > 0 ? 2 * top2 : hi;
  }
}
