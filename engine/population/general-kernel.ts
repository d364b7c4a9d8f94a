// `generalRun`: population kernel for general linear systems via matrix-exponential propagators (loads the matrix exponential).
import { LinearStepper, type LinearSystem } from '../pk/linear-system.ts';
import { mgPerLToNgPerMl, type MgPerL } from '../units.ts';
import { metricsStart, metricsStep, type MetricsPlan } from './metrics-stream.ts';
import type { Schedule } from './schedule.ts';
import type { BinSink } from './modal-kernel.ts';

/**
 * The population kernel for general linear systems (metabolites, elimination from a peripheral
 * compartment): engine/pk/linear-system.ts propagators, one matrix exponential per patient for the
 * grid step (kept) and one per off-grid sub-step (computed when met, not kept). Loaded only for such
 * models, so the mammillary path never loads the matrix exponential (mathjs in the browser, its port
 * cli/pade-expm.ts in Node: the same bits). Slower than the modal kernel (one matrix-vector
 * product per step).
 *
 * Reproducibility: mathjs `expm` is a Padé approximant in exact arithmetic, but it chooses its
 * scaling power with Math.pow; V8 (Node, Chromium) gives the same bits, other engines are not
 * guaranteed to.
 */

/** Concentrations below which an amount is set to 0 (as engine/pk/stepper.ts; avoids subnormals). */
const NEGLIGIBLE = 1e-200;

export interface GeneralRunKernel {
  block(
    j0: number,
    j1: number,
    cp: Float64Array,
    ce: Float64Array,
    stride: number,
    offset: number,
    bins: BinSink,
    mp: MetricsPlan | null,
    acc: Float64Array | null,
  ): void;
}

/** A kernel for `size` patients whose system and ke0 `patient(i)` gives (called again for off-grid steps). */
export function generalRun(
  s: Schedule,
  size: number,
  patient: (i: number) => { system: LinearSystem; ke0: number },
): GeneralRunKernel {
  const first = patient(0);
  const m = first.system.names.length + 1; // amounts + ce
  const central = first.system.central,
    input = first.system.input;
  const P = new Float64Array(size * m * m);
  const Q = new Float64Array(size * m);
  const V = new Float64Array(size);
  const state = new Float64Array(size * m);
  for (let i = 0; i < size; i++) {
    const { system, ke0 } = i === 0 ? first : patient(i);
    const prop = new LinearStepper(system, ke0).propagator(s.dt);
    P.set(prop.p, i * m * m);
    Q.set(prop.q, i * m);
    V[i] = system.volume;
  }
  const x = new Float64Array(m),
    tmp = new Float64Array(m);
  const step = (p: ArrayLike<number>, po: number, q: ArrayLike<number>, qo: number, rate: number) => {
    for (let r = 0; r < m; r++) {
      let a = q[qo + r] * rate;
      const row = po + r * m;
      for (let c = 0; c < m; c++) a += p[row + c] * x[c];
      tmp[r] = Math.abs(a) < NEGLIGIBLE ? 0 : a;
    }
    x.set(tmp);
  };
  return {
    block(j0, j1, cpOut, ceOut, stride, offset, bins, mp, acc) {
      const mStride = mp ? mp.stride : 0;
      const top = bins.nb - 1,
        cols = bins.cols;
      for (let i = 0; i < size; i++) {
        for (let k = 0; k < m; k++) x[k] = state[i * m + k];
        let stepper: LinearStepper | null = null;
        for (let j = j0; j < j1; j++) {
          if (j === 0) x.fill(0);
          if (j === 0 || s.special[j] === 1) {
            for (let q = s.opStart[j], qe = s.opStart[j + 1]; q < qe; q++) {
              if (s.opKind[q] === 1) x[input] += s.opValue[q];
              else {
                const h = s.opValue[q];
                if (h === s.dt) step(P, i * m * m, Q, i * m, s.rates[s.opRate[q]]);
                else {
                  if (stepper === null) {
                    const pt = patient(i);
                    stepper = new LinearStepper(pt.system, pt.ke0);
                  }
                  const prop = stepper.propagator(h);
                  step(prop.p, 0, prop.q, 0, s.rates[s.opRate[q]]);
                }
              }
            }
          } else step(P, i * m * m, Q, i * m, s.rates[s.rateAfter[j - 1]]);
          const cp = mgPerLToNgPerMl((x[central] / V[i]) as MgPerL),
            ce = mgPerLToNgPerMl(x[m - 1] as MgPerL);
          const w = (j - j0) * stride + offset + i;
          cpOut[w] = cp;
          ceOut[w] = ce;
          bins.histCp[(Math.max(0, Math.min(cp * bins.invCp[j], top)) | 0) * cols + j - j0]++;
          bins.histCe[(Math.max(0, Math.min(ce * bins.invCe[j], top)) | 0) * cols + j - j0]++;
          if (mp !== null) {
            if (j === 0) metricsStart(mp, acc!, i * mStride, cp, ce);
            else metricsStep(mp, acc!, i * mStride, j, cp, ce);
          }
        }
        for (let k = 0; k < m; k++) state[i * m + k] = x[k];
      }
    },
  };
}
