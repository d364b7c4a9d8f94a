// `responseBasis`/`superpose`: exact unit bolus and rate-pulse responses; candidates evaluated by superposition.
import { runGrid, gridTime, type Grid } from '../simulate.ts';
import { stepperFor, type PkStructure } from '../pk/stepper.ts';
import type { DoseAction } from '../dosing/actions.ts';

/**
 * Unit responses of one patient's model on the evaluation grid, from which any candidate regimen's
 * concentrations follow by superposition (the models are linear and time-invariant):
 *
 *   c(t_j) = bolusLevel · bolus[j] + Σ_k level_k · pulse_k[j]
 *
 * where pulse_k is the response (ng/mL) to one rate level held over [t_k, t_{k+1}) and bolus the
 * response to one bolus level at t = 0. Each response is computed once with the exact engine
 * (`runGrid`, closed-form steps, an off-grid change time applied at its own time), so a candidate costs
 * one multiply-add per grid point and change time, with no step error.
 */
export interface ResponseBasis {
  /** Grid times t_j, min (j = 0 … J, t_J ≤ session end). */
  readonly t: Float64Array;
  /** Change times t_k, min. */
  readonly changeTimes: readonly number[];
  /** First grid index at which pulse_k can be non-zero (first t_j > t_k). */
  readonly start: Int32Array;
  /** Per change time: the target concentration's response to one rate level (ng/mL). */
  readonly pulse: readonly Float64Array[];
  /** Per change time: the Cp response to one rate level (ng/mL); the same arrays as `pulse` in plasma mode. */
  readonly cpPulse: readonly Float64Array[];
  /** Responses to one bolus level at t = 0 (target and Cp), ng/mL. */
  readonly bolus: Float64Array;
  readonly cpBolus: Float64Array;
}

/**
 * Build the basis. `rateLevelMgPerMin` and `bolusLevelMg` are the sizes of one level; `target` chooses
 * whether `pulse` holds Ce or Cp responses; the grid runs to the session end `durationMin`.
 */
export function responseBasis(
  pk: PkStructure,
  ke0: number,
  grid: Grid,
  changeTimes: readonly number[],
  durationMin: number,
  rateLevelMgPerMin: number,
  bolusLevelMg: number,
  target: 'ce' | 'cp',
): ResponseBasis {
  const n = grid.count;
  const stepper = stepperFor(pk, ke0);
  const t = new Float64Array(n);
  for (let j = 0; j < n; j++) t[j] = gridTime(grid, j);
  const run = (actions: DoseAction[]) => {
    stepper.reset();
    const out = { cp: new Float64Array(n), ce: new Float64Array(n) };
    runGrid(stepper, actions, grid, out);
    return out;
  };
  const pulse: Float64Array[] = [];
  const cpPulse: Float64Array[] = [];
  const start = new Int32Array(changeTimes.length);
  changeTimes.forEach((tk, k) => {
    const end = k + 1 < changeTimes.length ? changeTimes[k + 1] : durationMin;
    const r = run([
      { t: tk, bolusMg: 0, rateMgPerMin: rateLevelMgPerMin },
      { t: end, bolusMg: 0, rateMgPerMin: 0 },
    ]);
    let s = 0;
    while (s < n && t[s] <= tk) s++;
    start[k] = s;
    // Before t_k the response is exactly zero (nothing given yet): make it so, whatever float noise says.
    r.cp.fill(0, 0, s);
    r.ce.fill(0, 0, s);
    pulse.push(target === 'ce' ? r.ce : r.cp);
    cpPulse.push(r.cp);
  });
  const b = run([{ t: 0, bolusMg: bolusLevelMg, rateMgPerMin: null }]);
  return { t, changeTimes, start, pulse, cpPulse, bolus: target === 'ce' ? b.ce : b.cp, cpBolus: b.cp };
}

/** Concentrations (target, Cp) of a schedule by superposition, into caller-owned buffers. */
export function superpose(
  basis: ResponseBasis,
  bolusLevel: number,
  levels: ArrayLike<number>,
  y: Float64Array,
  cp: Float64Array,
): void {
  const n = basis.t.length;
  for (let j = 0; j < n; j++) {
    y[j] = bolusLevel * basis.bolus[j];
    cp[j] = bolusLevel * basis.cpBolus[j];
  }
  for (let k = 0; k < levels.length; k++) {
    const l = levels[k];
    if (l === 0) continue;
    const p = basis.pulse[k],
      q = basis.cpPulse[k];
    for (let j = basis.start[k]; j < n; j++) {
      y[j] += l * p[j];
      cp[j] += l * q[j];
    }
  }
}
