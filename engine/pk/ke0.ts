import { stepperFor, type PkStructure } from './stepper.ts';

/** Step of the scan for the effect-site peak, min. */
const SCAN_STEP_MIN = 0.005;
/** Longest time scanned for a peak, min. */
const SCAN_LIMIT_MIN = 120;

/**
 * Time (min) at which the effect-site concentration peaks after an IV bolus, for a structure and ke0:
 * a scan of the exact solution on a 0.005-min grid refined by a parabola through the three samples
 * around the maximum (accurate to well under 0.001 min for ketamine models).
 */
export function timeToPeakCe(pk: PkStructure, ke0: number): number {
  const s = stepperFor(pk, ke0);
  s.bolus(1);
  let prev2 = 0,
    prev = 0,
    t = 0;
  for (;;) {
    s.advance(SCAN_STEP_MIN, 0);
    t += SCAN_STEP_MIN;
    const ce = s.ce();
    if (ce < prev || t > SCAN_LIMIT_MIN) {
      // prev is the sampled maximum at t − step; fit a parabola through prev2, prev, ce.
      const denom = prev2 - 2 * prev + ce;
      const offset = denom !== 0 ? (0.5 * (prev2 - ce)) / denom : 0;
      return t - SCAN_STEP_MIN + offset * SCAN_STEP_MIN;
    }
    prev2 = prev;
    prev = ce;
  }
}

/**
 * The ke0 (1/min) that gives `pk` a time to peak Ce after a bolus of `targetMin`: bisection in log
 * space (time to peak falls as ke0 rises). Returns null when no ke0 in [1e-4, 1e3] /min reaches it.
 */
export function ke0ForTimeToPeak(pk: PkStructure, targetMin: number): number | null {
  let lo = Math.log(1e-4),
    hi = Math.log(1e3);
  if (timeToPeakCe(pk, Math.exp(hi)) > targetMin || timeToPeakCe(pk, Math.exp(lo)) < targetMin) return null;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi);
    if (timeToPeakCe(pk, Math.exp(mid)) > targetMin) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-10) break;
  }
  return Math.exp(0.5 * (lo + hi));
}
