/**
 * SVG path data for a columnar series through two scales (data → px): "M x,y L x,y …" with 0.1-px
 * precision. A point the scales cannot place (NaN) breaks the line instead of drawing to 0.
 */
export function pathData(
  t: ArrayLike<number>,
  v: ArrayLike<number>,
  xs: (x: number) => number | undefined,
  ys: (y: number) => number | undefined,
): string {
  // One growing string (no per-point template or array): this runs on the main thread for every
  // edit's Cp and Ce paths, between the worker's answer and the frame that paints it.
  let d = '';
  let pen = false;
  for (let i = 0; i < t.length; i++) {
    const x = xs(t[i]),
      y = ys(v[i]);
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += (pen ? 'L' : 'M') + tenths(x) + ',' + tenths(y);
    pen = true;
  }
  return d;
}

/**
 * `String(Math.round(v * 10) / 10)`, exactly, built from integers: the tenths count and its digits
 * (integer-to-string is cheap; a fractional double's shortest form is not). Falls back to the
 * double's own string far outside any pixel range.
 */
function tenths(v: number): string {
  const r = Math.round(v * 10);
  if (!(r > -1e15 && r < 1e15)) return String(r / 10);
  const a = r < 0 ? -r : r;
  const whole = Math.floor(a / 10),
    f = a - whole * 10;
  const sign = r < 0 ? '-' : '';
  return f === 0 ? (a === 0 ? '0' : sign + whole) : sign + whole + '.' + f;
}
