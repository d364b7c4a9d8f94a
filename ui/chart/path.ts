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
  const parts: string[] = [];
  let pen = false;
  for (let i = 0; i < t.length; i++) {
    const x = xs(t[i]),
      y = ys(v[i]);
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${Math.round(x * 10) / 10},${Math.round(y * 10) / 10}`);
    pen = true;
  }
  return parts.join('');
}
