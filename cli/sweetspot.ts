// `ketasim sweetspot`: per dose on an axis, peak Ce, minutes in/above each band, recovery, population exceedance and cited evidence marks (JSON or CSV).
import { mergeWarnings } from '../engine/research/meta.ts';
import { MAX_PATIENTS } from '../engine/population/spec.ts';
import { MAX_SEED } from '../engine/population/prng.ts';
import { DEFAULT_CV, MAX_CV } from '../engine/population/variability.ts';
import { acceptScale, parseNumberList } from '../engine/research/sweep.ts';
import {
  DEFAULT_DOSES_MG_PER_KG,
  DEFAULT_OVER_MIN,
  MAX_DOSES,
  sweetSpot,
  sweetSpotCsv,
  sweetSpotRowsJson,
  type DoseAxis,
  type SweetSpotPopulation,
} from '../engine/research/sweet-spot.ts';
import { UsageError } from './errors.ts';
import { jsonDocument, LIMITS_HELP, parseArgs, readFormat, readPlan, registerCommand, type Io } from './main.ts';
import { buildMeta, UNITS, writeOutput } from './output.ts';
import { printContextWarnings } from './sweep.ts';

/** A whole number option in [lo, hi], or a problem naming it. */
function integer(flags: Record<string, string>, name: string, lo: number, hi: number, problems: string[]): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isSafeInteger(x) || x < lo || x > hi) {
    problems.push(`--${name}: must be an integer between ${lo} and ${hi}, got ${JSON.stringify(v)}`);
    return undefined;
  }
  return x;
}

async function runSweetSpot(args: string[], io: Io, err: (line: string) => void): Promise<void> {
  const { positional, flags } = parseArgs(args, {
    doses: 'value',
    'over-min': 'value',
    scale: 'value',
    population: 'value',
    seed: 'value',
    cv: 'value',
    format: 'value',
    out: 'value',
  });
  const problems: string[] = [];
  const { format, problem: formatWrong } = readFormat(flags, ['json', 'csv']);
  if (formatWrong !== null) problems.push(formatWrong);
  let axis: DoseAxis | null = null;
  if (flags.scale !== undefined) {
    if (flags.doses !== undefined || flags['over-min'] !== undefined)
      problems.push(
        '--scale: give either --scale (factors on the plan’s regimen) or --doses/--over-min (mg/kg over a duration), not both',
      );
    const r = parseNumberList(flags.scale, '--scale', acceptScale);
    if (r.ok) axis = { kind: 'scale', scales: r.values };
    else problems.push(...r.problems);
  } else {
    let doses: readonly number[] = DEFAULT_DOSES_MG_PER_KG;
    if (flags.doses !== undefined) {
      const r = parseNumberList(flags.doses, '--doses', (x) => (x > 0 ? null : `must be > 0 mg/kg, got ${x}`));
      if (r.ok) doses = r.values;
      else problems.push(...r.problems);
    }
    let overMin = DEFAULT_OVER_MIN;
    if (flags['over-min'] !== undefined) {
      const x = Number(flags['over-min']);
      if (flags['over-min'].trim() === '' || !Number.isFinite(x) || x <= 0)
        problems.push(`--over-min: must be a number of minutes > 0, got ${JSON.stringify(flags['over-min'])}`);
      else overMin = x;
    }
    axis = { kind: 'mg/kg', dosesMgPerKg: doses, overMin };
  }
  const values = axis ? (axis.kind === 'mg/kg' ? axis.dosesMgPerKg : axis.scales) : [];
  if (values.length > MAX_DOSES)
    problems.push(`--${axis?.kind === 'scale' ? 'scale' : 'doses'}: at most ${MAX_DOSES} values, got ${values.length}`);
  const n = integer(flags, 'population', 1, MAX_PATIENTS, problems);
  const seed = integer(flags, 'seed', 0, MAX_SEED, problems);
  if ((flags.population === undefined) !== (flags.seed === undefined))
    problems.push('--population, --seed: give both (a population is always seeded) or neither');
  let cv: number | undefined;
  if (flags.cv !== undefined) {
    const x = Number(flags.cv);
    if (flags.population === undefined) problems.push('--cv: only with --population');
    else if (flags.cv.trim() === '' || !Number.isFinite(x) || x < 0 || x > MAX_CV)
      problems.push(`--cv: must be a number between 0 and ${MAX_CV} (a fraction: 0.3 is 30%), got ${JSON.stringify(flags.cv)}`);
    else cv = x;
  }
  if (problems.length) throw new UsageError(problems);
  const plan = await readPlan(positional, io);
  const population: SweetSpotPopulation | undefined =
    n !== undefined && seed !== undefined ? { n, seed, ...(cv !== undefined && { cv }) } : undefined;
  const r = await sweetSpot({ plan, axis: axis!, ...(population && { population }) });
  if (!r.ok)
    throw new UsageError(
      r.problems.map((p) => (/^(doses|scales|overMin)\b/.test(p) ? `--${optionOf(p)}${p.slice(p.indexOf(':'))}` : p)),
    );
  const result = r.result;
  const warnings = mergeWarnings(result.warnings, ', ');
  printContextWarnings(warnings, err);
  if (format === 'csv') return writeOutput([sweetSpotCsv(result)], flags.out, io);
  const meta = buildMeta(
    'sweetspot',
    { id: result.model.id, name: result.model.name, ke0PerMin: result.model.ke0PerMin, ke0Source: result.model.ke0Source },
    warnings,
    { ...UNITS, dose: 'mg/kg (axis) and mg (totals)', probability: 'fraction of virtual patients (0–1)' },
  );
  const body = {
    axis: result.axis,
    model: result.model,
    bandSet: result.bandSet,
    bands: result.bands,
    reference: result.reference,
    levels: result.levels,
    population: result.population,
    rows: sweetSpotRowsJson(result),
    evidence: result.evidence,
    notes: result.notes,
    meta,
  };
  await writeOutput(jsonDocument(body, 2), flags.out, io);
}

/** The command-line option of an axis problem's field. */
function optionOf(problem: string): string {
  if (problem.startsWith('overMin')) return 'over-min';
  if (problem.startsWith('scales')) return 'scale';
  return 'doses';
}

registerCommand('sweetspot', runSweetSpot, {
  summary:
    '  ketasim sweetspot PLAN.json [--doses 0.1,0.25,…] [--over-min 40] [--population N --seed S] [--format json|csv]\n                                                                per dose: peak Ce, minutes in/above bands, recovery, P(exceed), evidence',
  usage: `usage: ketasim sweetspot PLAN.json [--doses D1,D2,…] [--over-min M] [--scale F1,F2,…] [--population N --seed S [--cv F]]
                          [--format json|csv] [--out FILE]

For each dose on an axis: peak Ce (ng/mL) and its time (min), minutes inside and above each band of the
active band set (the plan's thresholds, else the model's drug's cited defaults: racemic or S-ketamine),
the minutes for Ce to fall below the dissociation band (for S-ketamine, its equivalent: the band at or above
Olofsen 2022's C50) after dosing ends, and, with a population, the chance that a virtual patient's peak Ce
reaches 250 ng/mL (top of the dissociation band) and 1060 ng/mL (recovery ↔ loss of responsiveness), or,
without those bands, each band's low bound. Each row's numbers are ketasim metrics of the plan with that
dose against the active bands. Beside them, the cited dose-response evidence (Fava 2020, Su 2017 / Chen 2020,
Lii 2023; docs/research/ketamine-pd.md §3) as marks at the doses studied, never an efficacy curve.
  --doses D,…       mg/kg, each given over --over-min minutes from t = 0 in place of the plan's regimen
                    (default ${DEFAULT_DOSES_MG_PER_KG.join(',')}); at most ${MAX_DOSES}
  --over-min M      infusion duration, min (default ${DEFAULT_OVER_MIN}); at most the plan's horizonMin
  --scale F,…       instead of --doses: factors on every dose and rate of the plan's own regimen (as ketasim sweep)
  --population N    virtual patients per dose, 1–${MAX_PATIENTS} (with --seed S, 0–${MAX_SEED}); same seed, same output
  --cv F            assumed CV where none is published, a fraction 0–${MAX_CV} (default ${DEFAULT_CV}; with --population)
  --format json     {"axis", "model", "bandSet", "bands", "reference", "levels", "population", "rows", "evidence",
                    "notes", "meta"} (default); a value that does not exist is null
  --format csv      one row per dose, unit-bearing columns (dose_mg_per_kg, peak_ce_ng_ml, <band>_minutes_above_min,
                    minutes_to_fall_below_<band>_min, p_peak_ce_ge_<level>_ng_ml, evidence); an empty cell is null
  --out FILE        write to FILE instead of standard output ("-": standard output)
${LIMITS_HELP}`,
});
