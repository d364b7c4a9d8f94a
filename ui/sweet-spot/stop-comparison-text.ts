// The stop comparison panel's words and input reading (ui/sweet-spot/StopComparisonPanel.tsx), kept free of React so tests can import them.
import { formatMin } from '../format.ts';

/** Text typed into one of the two inputs → a number, or the problem naming the field. */
export function readStopInput(
  text: string,
  field: 'Decision to stop at' | 'IV dose',
  unit: 'min' | 'mg/kg',
): { ok: true; value: number } | { ok: false; message: string } {
  const t = text.trim();
  if (t === '') return { ok: false, message: `${field}: required (${unit})` };
  const n = Number(t.replace(',', '.'));
  if (!Number.isFinite(n) || !/^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/.test(t))
    return { ok: false, message: `${field}: must be a number (${unit}), got "${t}"` };
  return { ok: true, value: n };
}

/** Minutes after the decision in words: 0 means it was never at or above the level after the decision. */
export function fallText(min: number | null, horizonMin: number): string {
  if (min === null) return `still above at the end of the ${horizonMin}-min horizon`;
  if (min === 0) return '0 min (not at or above it after the decision)';
  return `${formatMin(min)} min`;
}

/** A number without float noise or padded zeros ("15", "0.5", "121.2"). */
export const plainNum = (x: number): string => String(Number(x.toPrecision(6)));
