/**
 * Min/max decimation of columnar samples for plotting at pixel resolution (uPlot's rule, DESIGN.md
 * rule 8). The samples in a time window are split into `buckets` equal runs (about one per pixel
 * column); from each run, for every column, the sample with the smallest and the one with the largest
 * value are kept, plus the window's first and last samples. Kept samples are real samples (never
 * averaged), so:
 *  - every peak and trough of every column survives at its own time and value;
 *  - a column that crosses a level does so between two kept samples at most two buckets apart, so a
 *    band crossing moves by at most two pixel columns;
 *  - at most 2·columns·buckets + 2 samples are kept, whatever the input length.
 * The window includes one sample either side of [startMin, endMin] when they exist, so lines reach
 * the plot edges. Pure: no DOM, no allocation beyond the returned index list.
 */
export function minMaxIndices(
  t: Float64Array,
  columns: readonly Float64Array[],
  startMin: number,
  endMin: number,
  buckets: number,
): Uint32Array {
  const n = t.length;
  if (n === 0 || !(endMin >= startMin)) return new Uint32Array(0);
  // First sample ≥ start, stepped back one; last sample ≤ end, stepped forward one.
  let i0 = lowerBound(t, startMin);
  if (i0 > 0) i0--;
  let i1 = lowerBound(t, endMin);
  if (i1 >= n) i1 = n - 1;
  if (i1 < i0) return new Uint32Array(0);
  const count = i1 - i0 + 1;
  const b = Math.max(1, Math.floor(buckets));
  const perBucket = 2 * columns.length;
  if (count <= b * perBucket + 2) {
    const all = new Uint32Array(count);
    for (let k = 0; k < count; k++) all[k] = i0 + k;
    return all;
  }
  const out = new Uint32Array(b * perBucket + 2);
  const picks = new Int32Array(perBucket);
  out[0] = i0;
  let m = 1;
  for (let k = 0; k < b; k++) {
    const s = i0 + Math.floor((k * count) / b);
    const e = i0 + Math.floor(((k + 1) * count) / b) - 1; // inclusive; runs are non-empty as count > b
    let p = 0;
    for (const col of columns) {
      let lo = s,
        hi = s;
      let vlo = col[s],
        vhi = col[s];
      for (let j = s + 1; j <= e; j++) {
        const v = col[j];
        if (v < vlo) {
          vlo = v;
          lo = j;
        }
        if (v > vhi) {
          vhi = v;
          hi = j;
        }
      }
      picks[p++] = lo;
      picks[p++] = hi;
    }
    // Sort the few picks (insertion sort) and append the distinct ones in time order.
    for (let x = 1; x < p; x++) {
      const v = picks[x];
      let y = x - 1;
      while (y >= 0 && picks[y] > v) {
        picks[y + 1] = picks[y];
        y--;
      }
      picks[y + 1] = v;
    }
    for (let x = 0; x < p; x++) {
      if (out[m - 1] !== picks[x]) out[m++] = picks[x];
    }
  }
  if (out[m - 1] !== i1) out[m++] = i1;
  return out.slice(0, m);
}

/** Gather `column[indices[k]]` into a new array. */
export function gather(column: Float64Array, indices: Uint32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = column[indices[k]];
  return out;
}

/** First index with t[i] ≥ x (t ascending); t.length when none. */
export function lowerBound(t: Float64Array, x: number): number {
  let lo = 0,
    hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
