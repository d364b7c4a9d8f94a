// `UnreachableCode`s with proven bounds (`upperEnvelope`, `firstReach`, `steadyStateCpPerRate`, `bounds`) explaining unholdable windows.
import type { PkStructure } from '../pk/stepper.ts';
import type { ResponseBasis } from './basis.ts';
import type { TitrationSettings } from './request.ts';

/** Stable codes for a window the planner cannot hold (DESIGN.md rule 6: expected outcomes are values). */
export type UnreachableCode =
  | 'cp-cap-below-window'
  | 'unreachable-max-rate'
  | 'too-late'
  | 'window-too-narrow-for-step'
  | 'window-not-held';

/**
 * Why a window cannot be held. `proven` reasons follow from exact bounds (no programme within the
 * constraints can do better); the others describe what the search found and a likely cause.
 */
export interface UnreachableReason {
  readonly code: UnreachableCode;
  /** One sentence for a person, with the numbers. */
  readonly message: string;
  readonly proven: boolean;
  /** The numbers in the message, by name (ng/mL, min, fractions, rates in the pump unit). */
  readonly values: Readonly<Record<string, number>>;
}

/** Shortest readable form of a figure in a message. */
export const fig = (x: number, digits = 4): string => String(Number(x.toPrecision(digits)));

/** The highest the target concentration can be at each grid point: maximum bolus plus maximum rate throughout. */
export function upperEnvelope(basis: ResponseBasis, maxLevel: number, maxBolusLevel: number): Float64Array {
  const n = basis.t.length;
  const y = new Float64Array(n);
  for (let j = 0; j < n; j++) y[j] = maxBolusLevel * basis.bolus[j];
  for (let k = 0; k < basis.pulse.length; k++) {
    const p = basis.pulse[k];
    for (let j = basis.start[k]; j < n; j++) y[j] += maxLevel * p[j];
  }
  return y;
}

/** First time y reaches `level` (linear between grid points), or null. */
export function firstReach(t: Float64Array, y: Float64Array, level: number): number | null {
  if (y.length && y[0] >= level) return t[0];
  for (let j = 1; j < y.length; j++) {
    if (y[j] >= level) return t[j - 1] + ((level - y[j - 1]) / (y[j] - y[j - 1])) * (t[j] - t[j - 1]);
  }
  return null;
}

/**
 * Steady-state Cp per unit infusion rate, mg/L per mg/min (= 1/CL for a mammillary model). For a
 * general linear system, the central amount of the solution of A·x = −e_input, over V.
 */
export function steadyStateCpPerRate(pk: PkStructure): number {
  if (pk.kind === 'mammillary') return 1 / (pk.v1 * pk.k10);
  const n = pk.names.length;
  const a = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n + 1 }, (_, j) => (j < n ? pk.a[i * n + j] : i === pk.input ? -1 : 0)),
  );
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    if (a[c][c] === 0) return Infinity; // a compartment that never empties: no steady state
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let j = c; j <= n; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a[pk.central][n] / a[pk.central][pk.central] / pk.volume;
}

/** What the proven bounds say before any search. */
export interface Bounds {
  /** Highest target concentration reachable on the grid within the session, ng/mL. */
  readonly peakNgMl: number;
  /** Earliest time the target can reach the window's low bound, min (Infinity: never within the session). */
  readonly earliestMin: number;
  /** Upper bound on the fraction of time in the window from reach to end. */
  readonly fractionBound: number;
  /** Reasons already proven. */
  readonly reasons: UnreachableReason[];
}

/**
 * Exact bounds: (1) the responses are non-negative, so the maximum bolus with the maximum rate
 * throughout bounds the target concentration from above at every time; (2) in effect mode, with Cp ≤
 * cap, ce' = ke0·(cp − ce) gives Ce(t) ≤ cap·(1 − e^{−ke0·t}), and Ce never exceeds the cap.
 */
export function bounds(
  s: TitrationSettings,
  basis: ResponseBasis,
  envelope: Float64Array,
  ke0: number,
  evaluated: [number, number],
): Bounds {
  const { lowNgMl: lo } = s.window;
  const conc = s.mode === 'effect' ? 'Ce' : 'Cp';
  const p = s.pump;
  const reasons: UnreachableReason[] = [];
  const cap = s.maxCpNgMl;
  const atMax =
    `at the maximum rate ${fig(Math.floor(p.maxRate / p.rateStep + 1e-9) * p.rateStep)} ${p.unit}` +
    (p.maxBolusMgPerKg > 0
      ? ` after the largest loading dose ${fig(Math.floor(p.maxBolusMgPerKg / p.bolusStepMgPerKg + 1e-9) * p.bolusStepMgPerKg)} mg/kg`
      : ' (no loading dose allowed)');
  let peak = -Infinity;
  for (let j = 0; j < envelope.length; j++) peak = Math.max(peak, envelope[j]);
  if (cap !== null && cap <= lo) {
    reasons.push({
      code: 'cp-cap-below-window',
      proven: true,
      message: `the Cp cap ${fig(cap)} ng/mL is not above the window's low bound ${fig(lo)} ng/mL, and Ce never exceeds the highest Cp`,
      values: { maxCpNgMl: cap, lowNgMl: lo },
    });
    return { peakNgMl: peak, earliestMin: Infinity, fractionBound: 0, reasons };
  }
  if (peak < lo) {
    reasons.push({
      code: 'unreachable-max-rate',
      proven: true,
      message: `${atMax} ${conc} peaks at ${fig(peak)} ng/mL within the ${fig(s.durationMin)}-min session, below the window's low bound ${fig(lo)} ng/mL`,
      values: { peakNgMl: peak, lowNgMl: lo, maxRate: p.maxRate, maxBolusMgPerKg: p.maxBolusMgPerKg },
    });
    return { peakNgMl: peak, earliestMin: Infinity, fractionBound: 0, reasons };
  }
  const tRate = firstReach(basis.t, envelope, lo)!;
  const tCap = cap !== null ? -Math.log1p(-lo / cap) / ke0 : 0;
  const earliest = Math.max(tRate, tCap);
  const [j0, j1] = evaluated;
  const from = basis.t[j0],
    to = basis.t[j1];
  const fractionBound = earliest <= from ? 1 : Math.max(0, (to - earliest) / (to - from));
  if (earliest > from) {
    const why =
      tCap >= tRate
        ? `with Cp held at its cap ${fig(cap!)} ng/mL from the start, Ce cannot reach ${fig(lo)} ng/mL before ${fig(tCap)} min (ke0 ${fig(ke0)} /min)`
        : `${atMax} ${conc} first reaches ${fig(lo)} ng/mL at ${fig(tRate)} min`;
    reasons.push({
      code: 'too-late',
      proven: true,
      message: `${why}, after the reach time ${fig(s.reachMin)} min: at most ${fig(100 * fractionBound, 3)}% of ${fig(from)}–${fig(to)} min can be in the window`,
      values: { earliestMin: earliest, reachMin: s.reachMin, fractionBound },
    });
  }
  return { peakNgMl: peak, earliestMin: earliest, fractionBound, reasons };
}

/**
 * Reasons after a search that fell short: the proven ones; then whether the rate step is coarse for
 * the window — one step held for the whole session moves the concentration at its end by more than the
 * window's width (its steady-state effect is quoted as well; a session is usually too short to approach
 * steady state); then, if the best programme entered the window late, `too-late` as found; then what
 * the best programme achieved (`window-not-held`, always last).
 */
export function shortfallReasons(
  s: TitrationSettings,
  b: Bounds,
  step: { readonly sessionNgMl: number; readonly steadyStateNgMl: number },
  best: { readonly fraction: number; readonly firstInWindowMin: number | null; readonly evaluatedFromMin: number },
): UnreachableReason[] {
  const out = [...b.reasons];
  const width = s.window.highNgMl - s.window.lowNgMl;
  const conc = s.mode === 'effect' ? 'Ce' : 'Cp';
  const p = s.pump;
  if (step.sessionNgMl > width) {
    out.push({
      code: 'window-too-narrow-for-step',
      proven: false,
      message: `one rate step (${fig(p.rateStep)} ${p.unit}) held through the ${fig(s.durationMin)}-min session moves ${conc} by ${fig(step.sessionNgMl)} ng/mL (${fig(step.steadyStateNgMl)} ng/mL at steady state), more than the window's width ${fig(width)} ng/mL`,
      values: { stepSessionNgMl: step.sessionNgMl, stepSteadyStateNgMl: step.steadyStateNgMl, widthNgMl: width },
    });
  }
  const late = best.firstInWindowMin === null || best.firstInWindowMin > best.evaluatedFromMin;
  if (late && !out.some((r) => r.code === 'too-late')) {
    out.push({
      code: 'too-late',
      proven: false,
      message:
        best.firstInWindowMin === null
          ? `the best programme found never brings ${conc} into the window within the session`
          : `the best programme found first brings ${conc} into the window at ${fig(best.firstInWindowMin)} min, after the reach time ${fig(s.reachMin)} min`,
      values: { firstInWindowMin: best.firstInWindowMin ?? Infinity, reachMin: s.reachMin },
    });
  }
  out.push({
    code: 'window-not-held',
    proven: false,
    message: `the best programme found keeps ${conc} in ${fig(s.window.lowNgMl)}–${fig(s.window.highNgMl)} ng/mL for ${fig(100 * best.fraction, 3)}% of the time from the reach time to the end (required ${fig(100 * s.minFractionInWindow, 3)}%)`,
    values: { bestFraction: best.fraction, minFractionInWindow: s.minFractionInWindow },
  });
  return out;
}
