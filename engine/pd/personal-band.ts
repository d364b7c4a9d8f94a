// `personalBand`: Ce/Cp at each reported dissociation onset from what was given, summarised (n, mean, SD, range).
import { parsePlan, type DoseEvent, type ModelRef, type Problem } from '../plan.ts';
import type { Patient } from '../patient.ts';
import { resolveModel, type Ke0Source } from '../predict.ts';
import { regimenToActions } from '../dosing/actions.ts';
import { runGrid } from '../simulate.ts';
import { stepperFor } from '../pk/stepper.ts';
import { WarningSink, type Warning } from '../warnings.ts';
import { MODEL_IDS } from '../models/registry.ts';

/**
 * A patient's own dissociation band, from the onsets they reported: for each recorded session, what
 * was actually given (plan-format dose events, with any pauses and rate changes) and the minute the
 * patient reported onset; the exact engine gives Ce (and Cp) at that minute, and the sessions are
 * summarised. The result is a model-based estimate: it inherits the model's ke0 (for Domino 1984 an
 * analgesia-linked ke0, Navarrete 2025) and is comparable only between sessions predicted with the same
 * model. Co-medication can shift it — benzodiazepines (Andrashko 2020; Feeney 2023) and lamotrigine
 * (Anand 2000, no concentration shift published; docs/research/ketamine-pd.md §3) — so sessions are
 * best recorded with what the patient was taking.
 */
export interface OnsetSession {
  /** What was given in this session, as plan-format dose events (times in minutes from the session start). */
  readonly regimen: readonly DoseEvent[];
  /** Minutes from the session start to the reported onset: 0 < onsetMin ≤ durationMin. */
  readonly onsetMin: number;
  /** Length of the session, min (0 < durationMin ≤ 7 days). No dose event may start after it. */
  readonly durationMin: number;
  /** The patient at this session, when different from the common one (a changed weight). */
  readonly patient?: Patient;
}

export interface PersonalBandInput {
  readonly patient: Patient;
  readonly model: ModelRef;
  readonly sessions: readonly OnsetSession[];
}

/** Predicted concentrations at one reported onset, ng/mL. */
export interface OnsetConcentration {
  /** Index of the session in the input. */
  readonly session: number;
  readonly onsetMin: number;
  /** Effect-site concentration at onset, ng/mL. */
  readonly ceNgMl: number;
  /** Plasma concentration at onset (after any dose given at that instant), ng/mL. */
  readonly cpNgMl: number;
  /** The ke0 used for this session, 1/min (a derived ke0 can depend on the session's weight). */
  readonly ke0PerMin: number;
}

/** Summary of values (ng/mL): count, mean, sample SD (n − 1; null below 2 values), min, max. */
export interface OnsetSummary {
  readonly n: number;
  readonly meanNgMl: number | null;
  readonly sdNgMl: number | null;
  readonly minNgMl: number | null;
  readonly maxNgMl: number | null;
}

export interface PersonalBand {
  readonly sessions: readonly OnsetConcentration[];
  /** Summary of Ce at onset over the sessions. */
  readonly ce: OnsetSummary;
  /** Summary of Cp at onset, for comparison. */
  readonly cp: OnsetSummary;
  /** The ke0 the Ce values depend on (1/min, for the common patient) and where it comes from. */
  readonly ke0PerMin: number;
  readonly ke0Source: Ke0Source;
  readonly warnings: readonly Warning[];
}

/** Mean, sample standard deviation (n − 1), min and max. */
export function summarise(values: readonly number[]): OnsetSummary {
  const n = values.length;
  if (n === 0) return { n, meanNgMl: null, sdNgMl: null, minNgMl: null, maxNgMl: null };
  let sum = 0,
    min = Infinity,
    max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { n, meanNgMl: mean, sdNgMl: n > 1 ? Math.sqrt(ss / (n - 1)) : null, minNgMl: min, maxNgMl: max };
}

/** Every problem with the input, each naming its field (`sessions[2].onsetMin`, `sessions[0].regimen[1].rate`, …). */
export function checkPersonalBandInput(input: PersonalBandInput, modelIds: readonly string[] = MODEL_IDS): Problem[] {
  const out: Problem[] = [];
  // The common patient and the model, validated as a plan would be.
  const base = parsePlan({ patient: input.patient, model: input.model, regimen: [], horizonMin: 1, resolutionSec: 60 }, modelIds);
  if (!base.ok) out.push(...base.problems);
  if (!Array.isArray(input.sessions)) return [...out, { path: 'sessions', message: 'must be a list of sessions' }];
  input.sessions.forEach((s, i) => {
    const at = `sessions[${i}]`;
    const d = s.durationMin;
    // Each session validated as a plan (its regimen, its duration as the horizon, its own patient if any).
    const r = parsePlan(
      { patient: s.patient ?? input.patient, model: input.model, regimen: s.regimen, horizonMin: d, resolutionSec: 60 },
      modelIds,
    );
    if (!r.ok) {
      for (const p of r.problems) {
        if (p.path === 'horizonMin') out.push({ path: `${at}.durationMin`, message: p.message });
        else if (p.path.startsWith('regimen')) out.push({ path: `${at}.${p.path}`, message: p.message });
        else if (p.path.startsWith('patient') && s.patient) out.push({ path: `${at}.${p.path}`, message: p.message });
        // model and common-patient problems are reported once, above; resolutionSec is not the session's
      }
    }
    const dOk = typeof d === 'number' && Number.isFinite(d) && d > 0;
    const o = s.onsetMin;
    if (typeof o !== 'number' || !Number.isFinite(o) || !(o > 0) || (dOk && o > d)) {
      out.push({
        path: `${at}.onsetMin`,
        message: `must be within the session: 0 < onsetMin ≤ durationMin${dOk ? ` (${d} min)` : ''}, got ${typeof o === 'number' ? o : JSON.stringify(o)}`,
      });
    }
    if (dOk && Array.isArray(s.regimen)) {
      (s.regimen as readonly DoseEvent[]).forEach((e: DoseEvent, j: number) => {
        if (e && typeof e.at === 'number' && e.at > d) {
          out.push({
            path: `${at}.regimen[${j}].at`,
            message: `must be within the session (≤ durationMin ${d} min), got ${e.at}`,
          });
        }
      });
    }
  });
  return out;
}

/**
 * Ce and Cp at each reported onset with the exact engine (closed-form steps through every dose event up
 * to the onset, the onset itself as the end of the step), and their summaries. Throws an Error whose
 * message lists each problem as `field: message` for invalid input (an onset outside its session, an
 * event after the session end, anything parsePlan rejects).
 */
export function personalBand(input: PersonalBandInput, modelIds: readonly string[] = MODEL_IDS): PersonalBand {
  const problems = checkPersonalBandInput(input, modelIds);
  if (problems.length) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  const sink = new WarningSink();
  const common = resolveModel(input.model, input.patient, sink);
  const sessions = input.sessions.map((s, i): OnsetConcentration => {
    const patient = s.patient ?? input.patient;
    const model = s.patient ? resolveModel(input.model, patient, sink) : common;
    const actions = regimenToActions(s.regimen, patient.weightKg);
    // A two-point grid, t = 0 and t = onset: runGrid applies every event before the onset at its own
    // time and those at the onset before reading (the plan format's right-continuous convention).
    const cp = new Float64Array(2),
      ce = new Float64Array(2);
    runGrid(stepperFor(model.structure, model.ke0), actions, { resolutionSec: s.onsetMin * 60, count: 2 }, { cp, ce });
    return { session: i, onsetMin: s.onsetMin, ceNgMl: ce[1], cpNgMl: cp[1], ke0PerMin: model.ke0 };
  });
  return {
    sessions,
    ce: summarise(sessions.map((s) => s.ceNgMl)),
    cp: summarise(sessions.map((s) => s.cpNgMl)),
    ke0PerMin: common.ke0,
    ke0Source: common.ke0Source,
    warnings: sink.list(),
  };
}
