/**
 * Dose sweeps (`ketasim sweep`, docs/PLAN-FORMAT.md): every dose and rate of a plan (boluses, pump
 * rates, doses over a duration) multiplied by each factor, optionally over a grid of registry models and
 * body weights, each combination's metrics exactly as `ketasim metrics` computes them; JSON rows and a
 * flat CSV table with unit-bearing column names.
 */
import type { Metrics } from '../metrics.ts';
import { MODEL_IDS } from '../models/registry.ts';
import { PATIENT_RANGES } from '../patient.ts';
import { formatProblems, isBolus, isDoseOver, isRouteDose, parsePlan, type DoseEvent, type Plan } from '../plan.ts';
import { predictChecked } from '../predict.ts';
import type { DoseLimits } from '../safety/dose-safety.ts';
import { mergeWarnings, modelSummary, planMetrics, type ContextWarning, type ModelSummary } from './meta.ts';

/** A sweep: the base plan, the dose factors, and optionally registry models and weights (kg) to cross. */
export interface SweepRequest {
  readonly plan: Plan;
  /** Dose factors (> 0), applied to every bolus, rate and dose over a duration. */
  readonly scales: readonly number[];
  /** Registry model ids replacing the plan's model (a plan's ke0 override is not carried over). */
  readonly models?: readonly string[];
  /** Body weights replacing `patient.weightKg`, kg; per-kg doses follow the weight. */
  readonly weightsKg?: readonly number[];
  /** Dose limits for each row's dose-safety warnings (default: the cited `DEFAULT_DOSE_LIMITS`). */
  readonly doseLimits?: DoseLimits;
}

/** One combination: model, weight (kg), factor, the model's ke0 for that patient, and the metrics. */
export interface SweepRow {
  readonly model: ModelSummary;
  readonly weightKg: number;
  readonly scale: number;
  readonly metrics: Metrics;
}

/** The rows in order (models outer, weights, factors inner) and every warning with its row. */
export interface SweepResult {
  readonly rows: readonly SweepRow[];
  readonly warnings: readonly ContextWarning[];
  /** Whether models or weights were crossed (then each row names them). */
  readonly grid: boolean;
}

/** Every amount of a regimen times `factor`: bolus, rate and dose; times, units and durations unchanged. */
export function scaleRegimen(regimen: readonly DoseEvent[], factor: number): DoseEvent[] {
  return regimen.map((e) => {
    if (isBolus(e)) return { ...e, bolus: e.bolus * factor };
    if (isDoseOver(e) || isRouteDose(e)) return { ...e, dose: e.dose * factor };
    return { ...e, rate: e.rate * factor };
  });
}

/**
 * A comma-separated list of numbers from an option (`--scale 0.25,0.5,1,2`), each checked by `accept`
 * (which returns a message for a bad value). Problems name the option and the item.
 */
export function parseNumberList(
  text: string,
  option: string,
  accept: (x: number) => string | null,
): { ok: true; values: number[] } | { ok: false; problems: string[] } {
  const items = text.split(',').map((s) => s.trim());
  const problems: string[] = [];
  const values: number[] = [];
  items.forEach((s, i) => {
    const x = s === '' ? Number.NaN : Number(s);
    if (!Number.isFinite(x))
      problems.push(`${option}: item ${i + 1} ${JSON.stringify(s)} is not a number; expected a comma-separated list of numbers`);
    else {
      const bad = accept(x);
      if (bad) problems.push(`${option}: item ${i + 1} (${s}) ${bad}`);
      else values.push(x);
    }
  });
  return problems.length ? { ok: false, problems } : { ok: true, values };
}

/** `--scale`: factors > 0. */
export const acceptScale = (x: number): string | null => (x > 0 ? null : `must be > 0, got ${x}`);
/** `--weights`: the plan format's weight range, kg. */
export const acceptWeight = (x: number): string | null => {
  const [lo, hi] = PATIENT_RANGES.weightKg;
  return x >= lo && x <= hi ? null : `must be between ${lo} and ${hi} kg, got ${x}`;
};
/** `--models`: registry ids. */
export function checkModelIds(ids: readonly string[]): string[] {
  return ids
    .filter((id) => !MODEL_IDS.includes(id))
    .map((id) => `--models: unknown model ${JSON.stringify(id)}; expected one of ${MODEL_IDS.join(', ')}`);
}

/**
 * Run the sweep. Each combination is re-validated as a plan (so a weight outside a range or a scaled
 * result that is not finite is a problem naming the combination), then predicted; any problem fails
 * the whole sweep: a table with a silent hole is worse than an error.
 */
export function runSweep(req: SweepRequest): { ok: true; result: SweepResult } | { ok: false; problems: string[] } {
  const grid = req.models !== undefined || req.weightsKg !== undefined;
  const models = req.models ?? [null];
  const weights = req.weightsKg ?? [req.plan.patient.weightKg];
  const rows: SweepRow[] = [];
  const warnings: ContextWarning[] = [];
  const problems: string[] = [];
  let k = 0;
  for (const id of models) {
    for (const weightKg of weights) {
      for (const scale of req.scales) {
        const where = `rows[${k++}] (${id ?? 'plan model'}, ${weightKg} kg, scale ${scale})`;
        const input = {
          ...req.plan,
          patient: { ...req.plan.patient, weightKg },
          model: id === null ? req.plan.model : { id },
          regimen: scaleRegimen(req.plan.regimen, scale),
        };
        const parsed = parsePlan(input, MODEL_IDS);
        if (!parsed.ok) {
          problems.push(...formatProblems(parsed.problems).map((p) => `${where}: ${p}`));
          continue;
        }
        const checked = predictChecked(parsed.plan, req.doseLimits);
        if (!checked.ok) {
          problems.push(...formatProblems(checked.problems).map((p) => `${where}: ${p}`));
          continue;
        }
        const p = checked.prediction;
        for (const w of p.warnings) warnings.push({ ...w, where: `rows[${k - 1}]` });
        rows.push({ model: modelSummary(p.model, weightKg), weightKg, scale, metrics: planMetrics(parsed.plan, p) });
      }
    }
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, result: { rows, warnings, grid } };
}

/** Warnings merged across rows: each distinct code and message once, `where` listing its rows. */
export function mergeRowWarnings(warnings: readonly ContextWarning[]): ContextWarning[] {
  return mergeWarnings(warnings, ', ');
}

/** The JSON rows: `{scale, metrics}`, preceded by `model` and `weightKg` when a grid was asked for. */
export function sweepRowsJson(result: SweepResult): object[] {
  return result.rows.map((r) =>
    result.grid
      ? { model: r.model.id, weightKg: r.weightKg, scale: r.scale, metrics: r.metrics }
      : { scale: r.scale, metrics: r.metrics },
  );
}

/** One CSV field: quoted when it holds a comma, quote or line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const cell = (x: number | null): string => (x === null ? '' : String(x));

/**
 * The sweep as CSV: one row per combination, metrics flattened with unit-bearing column names
 * (`peak_ce_ng_ml`, `<band>_minutes_inside_min`, `total_dose_mg`, …); an empty cell is a metric that
 * does not exist for that row (no recovery within the horizon, a band never entered). Grid sweeps start
 * with `model,weight_kg,ke0_per_min,ke0_source`.
 */
export function sweepCsv(result: SweepResult): string {
  const bandIds = result.rows[0]?.metrics.bands.map((b) => b.id) ?? [];
  const head = [
    ...(result.grid ? ['model', 'weight_kg', 'ke0_per_min', 'ke0_source'] : []),
    'scale',
    'peak_cp_ng_ml',
    'peak_cp_time_min',
    'peak_ce_ng_ml',
    'peak_ce_time_min',
    ...bandIds.flatMap((id) => [
      `${id}_low_ng_ml`,
      `${id}_high_ng_ml`,
      `${id}_minutes_inside_min`,
      `${id}_minutes_above_min`,
      `${id}_first_entry_min`,
      `${id}_last_exit_min`,
    ]),
    'last_dose_end_min',
    'recovery_min',
    'recovery_level_ng_ml',
    'total_dose_mg',
    'total_dose_mg_per_kg',
  ];
  const lines = [head.map(csvField).join(',')];
  for (const r of result.rows) {
    const m = r.metrics;
    const fields = [
      ...(result.grid ? [csvField(r.model.id), cell(r.weightKg), cell(r.model.ke0PerMin), r.model.ke0Source] : []),
      cell(r.scale),
      cell(m.peakCpNgMl),
      cell(m.peakCpMin),
      cell(m.peakCeNgMl),
      cell(m.peakCeMin),
      ...m.bands.flatMap((b) => [
        cell(b.lowNgMl),
        cell(b.highNgMl),
        cell(b.minutesInside),
        cell(b.minutesAbove),
        cell(b.firstEntryMin),
        cell(b.lastExitMin),
      ]),
      cell(m.lastDoseEndMin),
      cell(m.recoveryMin),
      cell(m.recoveryLevelNgMl),
      cell(m.totalDoseMg),
      cell(m.totalDoseMgPerKg),
    ];
    lines.push(fields.join(','));
  }
  return lines.join('\n') + '\n';
}
