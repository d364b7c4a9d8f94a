/**
 * `ketasim export PLAN.json --format nonmem [--out FILE]`: the plan's regimen and covariates as a
 * NONMEM-style dataset (dose records in mg and mg/h, TIME in hours stated in a comment line), ready for
 * NONMEM, mrgsolve or rxode2, and read back by `ketasim validate`.
 */
import { exportNonmemWithNotes } from '../engine/research/nonmem.ts';
import { UsageError } from './errors.ts';
import { doseLimitsOf, LIMITS_HELP, parseArgs, readPlan, registerCommand, type Io } from './main.ts';
import { doseSafetyWarnings } from '../engine/safety/dose-safety.ts';
import { printWarnings, writeOutput } from './output.ts';
import { VERSION } from './version.ts';

async function runExport(args: string[], io: Io, err: (line: string) => void): Promise<void> {
  const { positional, flags } = parseArgs(args, { format: 'value', out: 'value' });
  const format = flags.format ?? 'nonmem';
  if (format !== 'nonmem') throw new UsageError([`--format: unknown format ${JSON.stringify(format)}; expected nonmem`]);
  const limits = doseLimitsOf(io);
  const plan = await readPlan(positional, io);
  const { text, notes } = exportNonmemWithNotes(plan, { name: 'ketasim', version: VERSION });
  printWarnings([...notes, ...doseSafetyWarnings(plan, limits)], err);
  await writeOutput([text], flags.out, io);
}

registerCommand('export', runExport, {
  doseLimits: true,
  summary: '  ketasim export PLAN.json --format nonmem [--out FILE]         the regimen as a NONMEM-style dataset',
  usage: `usage: ketasim export PLAN.json --format nonmem [--out FILE] [--dose-limits FILE]

Writes the plan's regimen and covariates as a NONMEM-style dataset (CSV) for one subject (ID 1):
  # comment lines: units, conventions and "# time-unit: h" (NONMEM: $DATA file.csv IGNORE=@ skips them and
  the header; R: read.csv(file, comment.char = "#", na.strings = "."))
  ID,TIME,AMT,RATE,DV,EVID,MDV,CMT,WT[,AGE][,SEX][,HT]
TIME in hours; AMT in mg; RATE in mg/h (0 = bolus); DV "." (dose records); EVID 1, MDV 1, CMT 1
(central, IV); WT kg always, AGE years, SEX (1 female, 0 male) and HT cm when the plan gives them. Per-kg
doses are converted with the plan's weight. The one pump's rate is piecewise constant: every interval at a
rate > 0 (a rate change, a dose over a duration, a pause and resume) becomes one infusion record with
AMT = rate × duration; a pump still running at the horizon ends there (said in a comment and a warning).
Numbers have 15 significant digits. ketasim validate reads the file back (add observation rows: EVID 0,
MDV 0, DV in ng/mL).
  --format nonmem   the only format (default)
  --out FILE        write to FILE instead of standard output ("-": standard output)
${LIMITS_HELP}`,
});
