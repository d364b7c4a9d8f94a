/**
 * Number formatting and axis ticks for the Validate view (pure; the e2e test formats the CLI's JSON with the
 * same functions, so "equal to display precision" means equal text).
 */

/** A PE measure (MDPE, MDAPE, wobble), %, to 0.1 %; "–" when it does not exist (no usable observation). */
export const formatPct = (x: number | null): string => (x === null || !Number.isFinite(x) ? '–' : `${fixed(x, 1)} %`);

/** Divergence, %/h, to 0.01 %/h; "–" when it does not exist (fewer than two observations at two times). */
export const formatDivergence = (x: number | null): string => (x === null || !Number.isFinite(x) ? '–' : `${fixed(x, 2)} %/h`);

/** A count (subjects, observations, skipped). */
export const formatCount = (n: number): string => String(n);

/** toFixed without a negative zero ("-0.0" reads as 0.0). */
function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** Ticks for a log axis from `lo` to `hi` (whole decades): 1, 2, 5 × 10^k, or decades only when there are many. */
export function logTicks(lo: number, hi: number): number[] {
  const decades = Math.round(Math.log10(hi / lo));
  const mult = decades > 3 ? [1] : [1, 2, 5];
  const out: number[] = [];
  for (let k = Math.round(Math.log10(lo)); k <= Math.round(Math.log10(hi)); k++)
    for (const m of mult) {
      const v = Number((m * 10 ** k).toPrecision(6));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  return out;
}

/** About six ticks at a 1/2/2.5/5 × 10^k step between `lo` and `hi`. */
export function linearTicks(lo: number, hi: number, max = 6): number[] {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  const p = 10 ** Math.floor(Math.log10(span / max));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * p).find((s) => span / s <= max) ?? span / max;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) out.push(Number((k * step).toPrecision(10)));
  return out;
}

/** A tick label: up to 4 significant figures, no exponent for usual values. */
export const formatTick = (v: number): string => (v === 0 ? '0' : String(Number(v.toPrecision(4))));
