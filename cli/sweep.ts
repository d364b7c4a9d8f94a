/**
 * `ketasim sweep PLAN.json --scale 0.25,0.5,1,2 [--models a,b] [--weights 50,70] [--format json|csv]`:
 * every dose and rate of the plan times each factor, optionally over a grid of registry models and body
 * weights, each combination's metrics as `ketasim metrics` computes them, as JSON rows or one CSV table.
 */
import type { ContextWarning, ModelSummary } from '../engine/research/meta.ts';
import {
  acceptScale,
  acceptWeight,
  checkModelIds,
  mergeRowWarnings,
  parseNumberList,
  runSweep,
  sweepCsv,
  sweepRowsJson,
} from '../engine/research/sweep.ts';
import { UsageError } from './errors.ts';
import { doseLimitsOf, jsonDocument, LIMITS_HELP, parseArgs, readFormat, readPlan, registerCommand, type Io } from './main.ts';
import { printWarnings, UNITS, writeOutput } from './output.ts';
import { VERSION } from './version.ts';

/** Most combinations (models × weights × factors) one sweep computes. */
export const MAX_SWEEP_ROWS = 10_000;

/**
 * `meta` of an output that involves several models (sweep, validate): the fields of every command's
 * meta (cli/output.ts), with `models` listing each model, ke0 (1/min) and provenance in use (and the
 * weight it was resolved for, when a derived ke0 depends on it) instead of one `model`/`ke0`. Warnings
 * carry `where` (rows or subjects).
 */
export function researchMeta(
  command: string,
  models: readonly ModelSummary[],
  warnings: readonly ContextWarning[],
  units: Readonly<Record<string, string>>,
) {
  const seen = new Set<string>();
  const list = [];
  for (const m of models) {
    const key = `${m.id}\u0000${m.weightKg}\u0000${m.ke0PerMin}`;
    if (seen.has(key)) continue;
    seen.add(key);
    list.push({
      id: m.id,
      name: m.name,
      ke0: { valuePerMin: m.ke0PerMin, provenance: m.ke0Source },
      ...(m.weightKg !== undefined && { weightKg: m.weightKg }),
    });
  }
  return { tool: 'ketasim' as const, version: VERSION, command, models: list, units, warnings };
}

/** Each warning as one stderr line, prefixed with the rows or subjects it concerns. */
export function printContextWarnings(warnings: readonly ContextWarning[], err: (line: string) => void): void {
  printWarnings(
    warnings.map((w) => ({ code: w.code, message: w.where ? `${w.where}: ${w.message}` : w.message })),
    err,
  );
}

async function runSweepCommand(args: string[], io: Io, err: (line: string) => void): Promise<void> {
  const { positional, flags } = parseArgs(args, {
    scale: 'value',
    models: 'value',
    weights: 'value',
    format: 'value',
    out: 'value',
  });
  const problems: string[] = [];
  const { format, problem: formatWrong } = readFormat(flags, ['json', 'csv']);
  if (formatWrong !== null) problems.push(formatWrong);
  let scales: number[] = [];
  if (flags.scale === undefined)
    problems.push('--scale: required; a comma-separated list of dose factors > 0, e.g. --scale 0.25,0.5,1,2');
  else {
    const r = parseNumberList(flags.scale, '--scale', acceptScale);
    if (r.ok) scales = r.values;
    else problems.push(...r.problems);
  }
  let models: string[] | undefined;
  if (flags.models !== undefined) {
    models = flags.models.split(',').map((s) => s.trim());
    problems.push(...checkModelIds(models));
  }
  let weightsKg: number[] | undefined;
  if (flags.weights !== undefined) {
    const r = parseNumberList(flags.weights, '--weights', acceptWeight);
    if (r.ok) weightsKg = r.values;
    else problems.push(...r.problems);
  }
  const count = scales.length * (models?.length ?? 1) * (weightsKg?.length ?? 1);
  if (count > MAX_SWEEP_ROWS)
    problems.push(`--scale, --models, --weights: ${count} combinations; at most ${MAX_SWEEP_ROWS} in one sweep`);
  if (problems.length) throw new UsageError(problems);
  const doseLimits = doseLimitsOf(io);
  const plan = await readPlan(positional, io);
  const r = runSweep({ plan, scales, doseLimits, ...(models && { models }), ...(weightsKg && { weightsKg }) });
  if (!r.ok) throw new UsageError(r.problems);
  const warnings = mergeRowWarnings(r.result.warnings);
  printContextWarnings(warnings, err);
  if (format === 'csv') return writeOutput([sweepCsv(r.result)], flags.out, io);
  const meta = researchMeta(
    'sweep',
    r.result.rows.map((x) => x.model),
    warnings,
    { ...UNITS, weight: 'kg', scale: 'factor applied to every dose and rate (1 = the plan)' },
  );
  await writeOutput(jsonDocument({ rows: sweepRowsJson(r.result), meta }, 2), flags.out, io);
}

registerCommand('sweep', runSweepCommand, {
  doseLimits: true,
  summary:
    '  ketasim sweep PLAN.json --scale 0.25,0.5,1,2 [--models a,b] [--weights 50,70] [--format json|csv]\n                                                                every dose and rate × each factor; metrics per row',
  usage: `usage: ketasim sweep PLAN.json --scale F1,F2,… [--models ID1,ID2,…] [--weights KG1,KG2,…] [--format json|csv] [--out FILE] [--dose-limits FILE]

Multiplies every dose and rate of the plan (boluses, pump rates, doses over a duration; times, units and
durations unchanged) by each factor and computes the metrics of each, exactly as ketasim metrics does.
  --scale F,…       dose factors > 0 (required), e.g. 0.25,0.5,1,2
  --models ID,…     also cross registry models (replacing the plan's; a plan's ke0 override is not carried over)
  --weights KG,…    also cross body weights, kg (replacing patient.weightKg; per-kg doses follow the weight)
  --format json     {"rows": [{"scale", "metrics"}], "meta"} (default); with --models or --weights each row
                    starts with "model" and "weightKg"; rows run models, then weights, then factors
  --format csv      one row per combination, metrics flattened with unit-bearing columns (peak_ce_ng_ml,
                    <band>_minutes_inside_min, recovery_min, total_dose_mg …); an empty cell is a metric that
                    does not exist for that row (null in JSON)
  --out FILE        write to FILE instead of standard output ("-": standard output)
At most ${MAX_SWEEP_ROWS} combinations. A combination the engine refuses (a weight outside a range, a result that
is not finite) fails the sweep (exit 2), naming the row. "ten models × five doses × three weights" is
  ketasim sweep plan.json --models a,b,…,j --scale 0.5,0.75,1,1.5,2 --weights 50,70,90 --format csv
${LIMITS_HELP}`,
});
