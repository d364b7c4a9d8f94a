/**
 * `ketasim validate DATA.csv --model ID [--model ID …] [--time-unit h|min] [--format json|csv]`: Varvel
 * 1992's MDPE, MDAPE, wobble and divergence of registry models against a NONMEM-style dataset, per
 * subject and pooled (docs/PLAN-FORMAT.md); a malformed row is an error naming its line and column.
 */
import { MODEL_IDS } from '../engine/models/registry.ts';
import { readNonmem, TIME_UNITS, type TimeUnit } from '../engine/research/nonmem.ts';
import { checkModelNeeds, validateModels, validationCsv, validationJson } from '../engine/research/validate.ts';
import { readInputText } from './batch.ts';
import { UsageError } from './errors.ts';
import { jsonDocument, parseArgs, readFormat, registerCommand, type Io } from './main.ts';
import { writeOutput } from './output.ts';
import { printContextWarnings, researchMeta } from './sweep.ts';

/** `--model` may be given several times (and each may list ids separated by commas); the other options once. */
function takeModels(args: string[]): { models: string[]; rest: string[]; problems: string[] } {
  const models: string[] = [];
  const rest: string[] = [];
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--model' || a.startsWith('--model=')) {
      const v = a === '--model' ? args[++i] : a.slice('--model='.length);
      if (v === undefined) problems.push('--model: needs a value');
      else models.push(...v.split(',').map((s) => s.trim()));
    } else rest.push(a);
  }
  return { models, rest, problems };
}

async function runValidate(args: string[], io: Io, err: (line: string) => void): Promise<void> {
  const taken = takeModels(args);
  const { positional, flags } = parseArgs(taken.rest, { 'time-unit': 'value', format: 'value', out: 'value' });
  const problems = [...taken.problems];
  if (taken.models.length === 0 && taken.problems.length === 0)
    problems.push(`--model: required (one or more); expected one of ${MODEL_IDS.join(', ')}`);
  for (const id of taken.models)
    if (!MODEL_IDS.includes(id))
      problems.push(`--model: unknown model ${JSON.stringify(id)}; expected one of ${MODEL_IDS.join(', ')}`);
  const dup = taken.models.filter((id, i) => taken.models.indexOf(id) !== i);
  if (dup.length) problems.push(`--model: ${[...new Set(dup)].join(', ')} given more than once`);
  const { format, problem: formatWrong } = readFormat(flags, ['json', 'csv']);
  if (formatWrong !== null) problems.push(formatWrong);
  const unit = flags['time-unit'];
  if (unit !== undefined && !TIME_UNITS.includes(unit as TimeUnit))
    problems.push(
      `--time-unit: unknown unit ${JSON.stringify(unit)}; expected one of ${TIME_UNITS.join(', ')} (TIME in hours by default)`,
    );
  if (problems.length) throw new UsageError(problems);

  // Read the whole file, then check everything; nothing is computed from a file with any problem.
  const read = readNonmem(await readInputText(positional, io, 'DATA'), unit as TimeUnit | undefined);
  if (!read.ok) throw new UsageError(read.problems);
  const needs = checkModelNeeds(read.dataset, taken.models);
  if (needs.length) throw new UsageError(needs);
  let result: ReturnType<typeof validateModels>;
  try {
    result = validateModels(read.dataset, taken.models);
  } catch (e) {
    throw new UsageError([(e as Error).message]);
  }
  printContextWarnings(result.warnings, err);
  if (format === 'csv') return writeOutput([validationCsv(result)], flags.out, io);
  const meta = {
    ...researchMeta('validate', result.modelSummaries, result.warnings, {
      time: `${read.dataset.timeUnit} (TIME column, ${read.dataset.timeUnitSource === 'default' ? 'default' : `from the ${read.dataset.timeUnitSource === 'option' ? '--time-unit option' : 'file\'s "# time-unit:" comment'}`})`,
      concentration: "ng/mL (DV and the model's plasma prediction)",
      dose: 'mg (AMT); RATE mg/h',
      pe: '% (mdpe, mdape, wobble)',
      divergence: '%/h',
    }),
    prediction: 'plasma concentration (cp) at each observation time; ke0 does not enter',
  };
  await writeOutput(jsonDocument({ models: validationJson(result), meta }, 2), flags.out, io);
}

registerCommand('validate', runValidate, {
  summary:
    '  ketasim validate DATA.csv --model ID [--model ID …] [--time-unit h|min] [--format json|csv]\n                                                                MDPE, MDAPE, wobble, divergence against observed data',
  usage: `usage: ketasim validate DATA.csv --model ID [--model ID …] [--time-unit h|min] [--format json|csv] [--out FILE]

Predicts each subject of a NONMEM-style dataset with each model (from the subject's own doses and
covariates) and reports Varvel 1992's performance measures, per subject and pooled (the unweighted
medians of the individual values): PE = 100·(DV − PRED)/PRED for each observation with PRED > 0 and
DV > 0 (others skipped and counted); MDPE = median PE; MDAPE = median |PE|; wobble = median |PE − MDPE|
(all %); divergence = least-squares slope of |PE| against time (%/h; needs 2 observations at 2 times).
DATA.csv ("-" = standard input): one header row, columns by name in any order, other columns ignored:
  ID, TIME, AMT, DV (required); RATE, EVID, MDV (optional); WT kg, AGE years, SEX (0 male, 1 female), HT cm.
  TIME in hours unless --time-unit min or a "# time-unit: min" comment line before the header; AMT mg;
  RATE mg/h (0 or "." = bolus; RATE > 0 runs for AMT/RATE hours; overlapping infusions add); DV ng/mL;
  EVID 1 dose, 0 observation, 2 other (ignored); without EVID, AMT > 0 is a dose; MDV 1 marks a missing DV.
  Lines starting with # are comments; "." or an empty cell is a missing value. Records of a subject are
  taken in file order (an observation before a dose at the same time sees the level before it).
  WT is needed by every model that scales with weight, AGE by perez-ruixo-2021-esketamine; covariates
  are constant within a subject. ketasim export writes a dataset in this form.
  --model ID        a registry model (repeat, or separate ids with commas, to compare models side by side)
  --time-unit U     h (default) or min: the unit of TIME
  --format json     {"models": [{"id", "population": {"mdpe", "mdape", "wobble", "divergence", "subjects",
                    "observations", "skipped"}, "subjects": [{"id", "mdpe", "mdape", "wobble", "divergence",
                    "n", "skipped"}]}], "meta"} (default); a measure that does not exist is null
  --format csv      one row per model and subject, then the model's pooled row
  --out FILE        write to FILE instead of standard output ("-": standard output)
A malformed row is an error naming its line and column (exit 2), and nothing is computed from a file with
any problem: text in a number column, a missing ID or TIME, a negative TIME, time going backwards within a
subject, EVID 1 without AMT, a covariate a model needs missing, ADDL/II/SS, EVID 3 or 4.
Exit status: 0 success; 2 invalid arguments or dataset; 1 the output cannot be written or an internal error.`,
});
