/**
 * Number formatting for the screen. Every number shown carries its unit; the precision is fixed per
 * quantity so that a test can reproduce exactly what a clinician reads.
 */

/** A concentration, ng/mL, to about four significant figures: 1234 · 212.3 · 45.67 · 3.456. */
export function formatConc(ngMl: number): string {
  if (!Number.isFinite(ngMl)) return '–';
  const a = Math.abs(ngMl);
  if (a >= 1000) return ngMl.toFixed(0);
  if (a >= 100) return ngMl.toFixed(1);
  if (a >= 10) return ngMl.toFixed(2);
  if (a === 0) return '0';
  return ngMl
    .toPrecision(4)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}
export const conc = (ngMl: number): string => `${formatConc(ngMl)} ng/mL`;

/** A time, min, with one decimal (0.1 min = 6 s). */
export const formatMin = (min: number): string => (Number.isFinite(min) ? min.toFixed(1) : '–');
export const minutes = (min: number): string => `${formatMin(min)} min`;

/** A time as h:mm:ss for the readout (hover), from minutes. */
export function clock(min: number): string {
  const totalSec = Math.round(min * 60);
  const h = Math.floor(totalSec / 3600),
    m = Math.floor((totalSec % 3600) / 60),
    s = totalSec % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** An amount of drug, mg, to 0.1 mg (0.01 below 10 mg). */
export const formatMg = (mg: number): string => (Math.abs(mg) >= 10 ? mg.toFixed(1) : mg.toFixed(2));

/** A dose per kg or a rate, to three significant figures (0.500, 0.750, 12.0). */
export function formatSig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  return Math.abs(x) >= 10 ** digits ? x.toFixed(0) : x.toPrecision(digits);
}

/** A number for an input box: the shortest exact text, never exponent notation for usual values. */
export function inputText(x: number | string | undefined): string {
  if (x === undefined) return '';
  if (typeof x === 'string') return x;
  return String(x);
}

/** Display units for µg (the plan also accepts ug and mcg). */
export const unitLabel = (u: string): string => u.replace(/^ug/, 'µg').replace(/^mcg/, 'µg');
