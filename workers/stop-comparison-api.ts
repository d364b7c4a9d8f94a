// "IV can be stopped, intranasal cannot" for the dashboard (`stopComparisonView`) and the non-IV route table (`routeTable`): run in the simulation worker.
import { MODEL_ROUTES, type Route, type RouteRule } from '../engine/models/routes.ts';
import { MODELS, MODEL_IDS } from '../engine/models/registry.ts';
import { parsePlan, type Plan, type Problem } from '../engine/plan.ts';
import { predictChecked } from '../engine/predict.ts';
import { STOP_COMPARISON_PRESET } from '../engine/pd/presets.ts';
import { defaultBandSet } from '../engine/pd/bands.ts';
import type { ReferenceLevel } from '../engine/pd/s-ketamine-bands.ts';
import { compareStop, stopRegimenAt, type StopCandidate, type StopOutcome } from '../engine/research/stop-comparison.ts';
import { gather, minMaxIndices } from '../engine/decimate.ts';
import type { DoseEvent } from '../engine/plan.ts';

/** One non-IV route of one model as plain data: dosage form, device rule (engine/models/routes.ts) and the source's absorption in words. */
export interface RouteInfo extends RouteRule {
  readonly citation: string;
  readonly description: string;
}

/**
 * The non-IV routes of each registry model, by id (a model not listed has IV only), for the regimen
 * editor: the main thread may not load engine modules beyond test/e2e/main-thread.test.ts's allowlist,
 * so the table comes from the worker. Form and device rule are engine/models/routes.ts `MODEL_ROUTES`;
 * citation and description are the model record's route (`ModelDefinition.routes`).
 */
export type RouteTable = Readonly<Record<string, Readonly<Partial<Record<Route, RouteInfo>>>>>;

export function routeTable(): RouteTable {
  const out: Record<string, Partial<Record<Route, RouteInfo>>> = {};
  for (const [id, rules] of Object.entries(MODEL_ROUTES)) {
    const def = MODELS.find((m) => m.id === id);
    const routes: Partial<Record<Route, RouteInfo>> = {};
    for (const [route, rule] of Object.entries(rules) as [Route, RouteRule][]) {
      const r = def?.routes?.[route];
      routes[route] = {
        form: rule.form,
        ...(rule.device && { device: { ...rule.device } }),
        citation: r?.citation ?? '',
        description: r?.description ?? '',
      };
    }
    out[id] = routes;
  }
  return out;
}

/** What the teaching panel asks: the decision minute and the IV dose (mg/kg over the preset's duration). */
export interface StopComparisonRequest {
  /** Minutes from the start of both regimens at which the decision to stop is taken; absent: the preset's (15 min). */
  readonly stopAtMin?: number;
  /** The IV dose, mg/kg, given over the preset's duration (40 min); absent: the preset's (0.5 mg/kg). */
  readonly ivDoseMgPerKg?: number;
  /** Pixel columns of the chart: each Ce curve is reduced to about this many min/max buckets. */
  readonly buckets: number;
}

/** One regimen of the comparison, after the decision to stop. */
export interface StopRegimenView {
  readonly id: string;
  readonly label: string;
  readonly citation: string;
  /** The regimen as run: the preset's, stopped at the decision (engine stopRegimenAt). */
  readonly regimen: readonly DoseEvent[];
  /** The engine's numbers (engine/research/stop-comparison.ts compareStop), ng/mL and min. */
  readonly outcome: StopOutcome;
  /** Ce of the stopped regimen, min and ng/mL, reduced to pixel resolution (real samples only). */
  readonly t: Float64Array;
  readonly ce: Float64Array;
}

export type StopComparisonView =
  | {
      readonly ok: true;
      readonly name: string;
      readonly note: string;
      readonly stopAtMin: number;
      readonly ivDoseMgPerKg: number;
      readonly ivOverMin: number;
      /** The preset's own decision minute and IV dose (what "reset" goes back to). */
      readonly preset: { readonly stopAtMin: number; readonly ivDoseMgPerKg: number };
      readonly horizonMin: number;
      readonly resolutionSec: number;
      readonly patient: Plan['patient'];
      /** The one model both regimens run on, with its source. */
      readonly model: {
        readonly id: string;
        readonly name: string;
        readonly drug: string;
        readonly citation: string;
        readonly doi: string | null;
      };
      /** Which band set the engine applies to this model's drug, and its notice (engine/pd/bands.ts defaultBandSet). */
      readonly bandSet: { readonly drug: 'racemic' | 's-ketamine'; readonly notice: string | null };
      /** The level "falls below" is read against (the preset's, on the drug's own scale), and why that one. */
      readonly level: ReferenceLevel;
      readonly levelWhy: string;
      readonly regimens: readonly StopRegimenView[];
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** Grid step of the comparison, s (the engine test of the preset uses the same). */
const RESOLUTION_SEC = 1;

/**
 * The preset comparison (engine/pd/presets.ts STOP_COMPARISON_PRESET: IV 0.5 mg/kg over 40 min against
 * 56 mg intranasal, Perez-Ruixo 2021 esketamine, typical 70 kg 45-year-old) with the decision minute and
 * the IV dose the user chose. Bad input is a problem naming the field (`stopAtMin`, `ivDoseMgPerKg`);
 * the numbers are compareStop's, the curves the same stopped regimens predicted once more for drawing.
 */
export function stopComparisonView(req: StopComparisonRequest): StopComparisonView {
  const P = STOP_COMPARISON_PRESET;
  const problems: Problem[] = [];
  const ivPreset = P.regimens.find((r) => r.id === 'iv')!.regimen[0];
  const ivOverMin = 'overMin' in ivPreset ? ivPreset.overMin : 40;
  const presetDose = 'dose' in ivPreset && ivPreset.unit === 'mg/kg' ? ivPreset.dose : 0.5;
  const stop = req.stopAtMin ?? P.stopAtMin;
  if (typeof stop !== 'number' || !Number.isFinite(stop) || stop < 0 || stop > P.horizonMin)
    problems.push({ path: 'stopAtMin', message: `must be a time in minutes from 0 to ${P.horizonMin}, got ${String(stop)}` });
  const dose = req.ivDoseMgPerKg ?? presetDose;
  if (typeof dose !== 'number' || !Number.isFinite(dose) || !(dose > 0))
    problems.push({ path: 'ivDoseMgPerKg', message: `must be a dose in mg/kg > 0, got ${String(dose)}` });
  if (problems.length) return { ok: false, problems };
  const candidates: StopCandidate[] = [];
  for (const r of P.regimens) {
    const regimen = r.id === 'iv' ? [{ at: 0, dose, unit: 'mg/kg', overMin: ivOverMin }] : r.regimen;
    const parsed = parsePlan(
      {
        patient: P.patient,
        model: { id: P.modelId },
        regimen,
        horizonMin: P.horizonMin,
        resolutionSec: RESOLUTION_SEC,
      },
      MODEL_IDS,
    );
    if (!parsed.ok) {
      for (const p of parsed.problems)
        problems.push({
          path: r.id === 'iv' && p.path.startsWith('regimen') ? 'ivDoseMgPerKg' : `${r.id}.${p.path}`,
          message: p.message,
        });
      continue;
    }
    candidates.push({ id: r.id, label: r.id === 'iv' ? `IV ${dose} mg/kg over ${ivOverMin} min` : r.label, plan: parsed.plan });
  }
  if (problems.length) return { ok: false, problems };
  const cmp = compareStop(candidates, stop, P.level);
  if (!cmp.ok) return cmp;
  const buckets = Math.max(16, Math.min(4096, Math.round(req.buckets) || 0));
  const warnings: string[] = [];
  const regimens: StopRegimenView[] = [];
  for (const c of candidates) {
    const regimen = stopRegimenAt(c.plan.regimen, stop);
    const run = predictChecked({ ...c.plan, regimen });
    if (!run.ok) return { ok: false, problems: run.problems.map((p) => ({ path: `${c.id}.${p.path}`, message: p.message })) };
    for (const w of run.prediction.warnings) warnings.push(`${c.label}: ${w.message} (${w.code})`);
    const tr = run.prediction.trajectory;
    const idx = minMaxIndices(tr.t, [tr.ce], 0, c.plan.horizonMin, buckets);
    regimens.push({
      id: c.id,
      label: c.label,
      citation: P.regimens.find((r) => r.id === c.id)?.citation ?? '',
      regimen,
      outcome: cmp.outcomes.find((o) => o.id === c.id)!,
      t: gather(tr.t, idx),
      ce: gather(tr.ce, idx),
    });
  }
  const def = MODELS.find((m) => m.id === P.modelId)!;
  const set = defaultBandSet({ id: P.modelId });
  return {
    ok: true,
    name: P.name,
    note: P.note,
    stopAtMin: stop,
    ivDoseMgPerKg: dose,
    ivOverMin,
    preset: { stopAtMin: P.stopAtMin, ivDoseMgPerKg: presetDose },
    horizonMin: P.horizonMin,
    resolutionSec: RESOLUTION_SEC,
    patient: { ...P.patient },
    model: { id: def.id, name: def.name, drug: def.drug, citation: def.citation, doi: def.doi },
    bandSet: { drug: set.drug, notice: set.notice },
    level: cmp.level,
    levelWhy: P.levelWhy,
    regimens,
    warnings,
  };
}
