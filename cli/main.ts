// `main`: argument parsing, the `simulate`/`metrics`/`models` commands, `registerCommand`, `--help`/`--version`, exit codes 0/1/2.
import { writeFileSync } from 'node:fs';
import { formatProblems, gridPointCount, parsePlanText, type Plan } from '../engine/plan.ts';
import { MODEL_IDS, MODELS } from '../engine/models/registry.ts';
import { derivedKe0, predictChecked, type Prediction } from '../engine/predict.ts';
import { describeModel } from '../engine/models/catalogue.ts';
import { computeMetrics } from '../engine/metrics.ts';
import { bandsForPlan } from '../engine/pd/bands.ts';
import { jsonChunks, trajectoryCsvChunks, trajectoryJsonChunks } from '../engine/output.ts';
import { DEFAULT_DOSE_LIMITS, DOSE_LIMIT_UNITS, parseDoseLimits, type DoseLimits } from '../engine/safety/dose-safety.ts';
import { BrokenPipe, errorCode, OutputError, UsageError } from './errors.ts';
import { MAX_PLAN_BYTES, readPlanFile, readPlanStdin } from './input.ts';
import {
  BYTES_PER_NUMBER,
  checkOutputSize,
  fileOutput,
  MAX_OUTPUT_BYTES,
  predictionMeta,
  printWarnings,
  stdoutOutput,
  writeOutput,
  type OutputTarget,
} from './output.ts';
import { VERSION } from './version.ts';

/**
 * The `ketasim` command: reads arguments and files, calls the engine, writes JSON or CSV. Exit 0 on
 * success, 2 for an invalid plan or arguments (one line per problem on stderr, naming the field,
 * never a stack trace), 1 when the output cannot be written or for an internal error. See
 * docs/PLAN-FORMAT.md. Commands in their own modules (population, titrate, and later ones) join through
 * `registerCommand` with their usage (and `doseLimits: true` when they read a plan: `main` then reads
 * `--dose-limits FILE` into `io.doseLimits`, see `doseLimitsOf`), and share `parseArgs`, `readPlan`, `writeOutput` (cli/output.ts)
 * and `buildMeta`.
 */
export { BrokenPipe, OutputError, UsageError };
export { trajectoryCsv, trajectoryJson } from '../engine/output.ts';

/** Items joined with `sep`, broken into lines of at most ~90 characters indented to the help's option text. */
const wrapList = (items: readonly string[], sep = ','): string => {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + item.length + 2 <= 90) lines[last] += `${sep} ${item}`;
    else lines.push(item);
  }
  return lines.join(`${sep}\n                  `);
};

const limitDefault = (k: keyof DoseLimits): string => {
  const l = DEFAULT_DOSE_LIMITS[k];
  return `${k} ${l === null ? 'none' : `${l.value} ${l.unit}`}`;
};

/** `--dose-limits FILE`, as every command that reads a plan documents it (in `LIMITS_HELP`). */
export const DOSE_LIMITS_HELP = `  --dose-limits FILE  clinic dose limits (JSON) for the dose-safety warnings (dose-above-limit,
                  dose-unit-suspect) in place of the cited defaults: an object with any of
                  ${wrapList(Object.entries(DOSE_LIMIT_UNITS).map(([k, u]) => `${k} (${u})`))},
                  each {"value": > 0, "unit", "basis": "clinic"|"cited"|"project-heuristic", "citation", "label"},
                  or null to switch that check off; a field left out keeps its default
                  (${wrapList((Object.keys(DOSE_LIMIT_UNITS) as (keyof DoseLimits)[]).map(limitDefault), ';')};
                  sources in engine/safety/dose-safety.ts). An invalid file is exit 2 naming the field.`;

/**
 * Take `--dose-limits FILE` (or `--dose-limits=FILE`) out of a command's arguments: the option of every
 * command registered with `doseLimits: true`, read by `main` before the command runs.
 */
export function takeDoseLimits(args: readonly string[]): { rest: string[]; path: string | undefined } {
  const rest: string[] = [];
  let path: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a !== '--dose-limits' && !a.startsWith('--dose-limits=')) {
      rest.push(a);
      continue;
    }
    const v = a === '--dose-limits' ? args[++i] : a.slice('--dose-limits='.length);
    if (v === undefined) throw new UsageError(['--dose-limits: needs a value (a JSON file of dose limits)']);
    if (path !== undefined) throw new UsageError(['--dose-limits: given twice; give one file']);
    path = v;
  }
  return { rest, path };
}

/** Read and validate a dose-limits file (`parseDoseLimits`), or exit 2 naming the field (`limits.<name>.value`). */
export async function readDoseLimitsFile(path: string, io: Io): Promise<DoseLimits> {
  if (path === '-' || path === '') throw new UsageError(['--dose-limits: give a file (standard input is for the plan)']);
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(e.lines.map((l) => `--dose-limits: ${l}`));
    throw new UsageError([`--dose-limits: cannot read ${JSON.stringify(path)}: ${errorCode(e)}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError([`--dose-limits: ${JSON.stringify(path)} is not JSON: ${(e as Error).message}`]);
  }
  const r = parseDoseLimits(value);
  if (!r.ok) throw new UsageError(r.problems.map((p) => `--dose-limits ${path}: ${p.path}: ${p.message}`));
  return r.limits;
}

/** The dose limits in force for a command: the `--dose-limits` file's, else the cited defaults. */
export const doseLimitsOf = (io: Io): DoseLimits => io.doseLimits ?? DEFAULT_DOSE_LIMITS;

/** What every command's help ends with: the plan and output caps, dose limits, and the exit statuses. */
export const LIMITS_HELP = `${DOSE_LIMITS_HELP}
PLAN.json may be "-" to read the plan from standard input; a plan larger than ${MAX_PLAN_BYTES / (1024 * 1024)} MiB is
refused (exit 2) before it is read whole. An output estimated above ${MAX_OUTPUT_BYTES / (1024 * 1024 * 1024)} GiB is refused (exit 2) before
anything is computed; anything smaller is streamed. Warnings go to standard error, one line each
("warning: <message> (<code>)"), and into JSON outputs' "meta".
Exit status: 0 success (also when the reader of standard output goes away); 2 invalid arguments or plan,
one line per problem naming the field; 1 the output cannot be written (e.g. ENOSPC) or an internal error.`;

/** A command: its runner and its usage (printed by `ketasim <command> --help`). */
export type Command = (args: string[], io: Io, err: (line: string) => void) => Promise<void> | void;

interface CommandEntry {
  readonly run: Command;
  /** One or more lines for the overview (`ketasim --help`). */
  readonly summary: string;
  /** Full usage of the command (`ketasim <command> --help`). */
  readonly usage: string;
  /** Whether it takes `--dose-limits FILE` (every command that reads a plan). */
  readonly doseLimits: boolean;
}

const commands = new Map<string, CommandEntry>();

/**
 * Register a command from its own module (population, titrate, batch …). `summary` is its entry in
 * `ketasim --help`; `usage` what `ketasim <name> --help` prints (exit 0); both default to each other.
 */
export function registerCommand(
  name: string,
  run: Command,
  help: { summary?: string; usage?: string; doseLimits?: boolean } = {},
): void {
  const summary = help.summary ?? help.usage ?? `  ketasim ${name}`;
  commands.set(name, { run, summary, usage: help.usage ?? summary, doseLimits: help.doseLimits ?? false });
}

/** The overview: every registered command's summary. */
export function usage(): string {
  return [
    'usage:',
    ...Array.from(commands.values(), (c) => c.summary),
    "  ketasim <command> --help                                      that command's options",
    '  ketasim --version                                             the version',
    'PLAN.json may be "-" to read the plan from standard input.',
  ].join('\n');
}

/** How the CLI reaches files and streams (the real process's, or an in-memory one in tests). */
export interface Io extends OutputTarget {
  readFile(path: string): string | Promise<string>;
  readStdin(): string | Promise<string>;
  /** Clinic dose limits from `--dose-limits FILE` (set by `main`); absent: the cited defaults. */
  readonly doseLimits?: DoseLimits;
}

/** Parsed flags: --name value pairs and positionals. */
export function parseArgs(
  args: string[],
  allowed: Record<string, 'value' | 'flag'>,
): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  const problems: string[] = [];
  const known = () =>
    Object.keys(allowed)
      .map((k) => '--' + k)
      .join(', ') || '(none)';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2);
      const kind = allowed[name];
      if (!kind) {
        problems.push(`--${name}: unknown option; expected one of ${known()}`);
        continue;
      }
      if (kind === 'flag') flags[name] = 'true';
      else {
        const v = inline ?? args[++i];
        if (v === undefined) problems.push(`--${name}: needs a value`);
        else flags[name] = v;
      }
    } else if (a.startsWith('-') && a !== '-') {
      problems.push(`${a}: unknown option; expected one of ${known()}`);
    } else positional.push(a);
  }
  if (problems.length) throw new UsageError(problems);
  return { positional, flags };
}

/** Read and validate the plan named by the single positional argument (size-capped, cli/input.ts). */
export async function readPlan(positional: string[], io: Io): Promise<Plan> {
  if (positional.length !== 1)
    throw new UsageError([`PLAN: expected one plan file (or "-" for stdin), got ${positional.length}`]);
  const src = positional[0];
  let text: string;
  try {
    text = await (src === '-' ? io.readStdin() : io.readFile(src));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError([`PLAN: cannot read ${JSON.stringify(src)}: ${errorCode(e)}`]);
  }
  if (text.length > MAX_PLAN_BYTES)
    throw new UsageError([
      `PLAN: ${JSON.stringify(src)} is larger than ${MAX_PLAN_BYTES / (1024 * 1024)} MiB, the size limit for a plan`,
    ]);
  const r = parsePlanText(text, MODEL_IDS);
  if (!r.ok) throw new UsageError(formatProblems(r.problems));
  return r.plan;
}

/**
 * Predict a validated plan, or exit 2 with the problems (a result that is not finite names its cause:
 * engine/predict.ts `predictChecked`); warnings (dose safety under `limits` among them) are printed on stderr.
 */
export function predictOrRefuse(plan: Plan, err: (line: string) => void, limits: DoseLimits = DEFAULT_DOSE_LIMITS): Prediction {
  const r = predictChecked(plan, limits);
  if (!r.ok) throw new UsageError(formatProblems(r.problems));
  printWarnings(r.prediction.warnings, err);
  return r.prediction;
}

/**
 * A JSON document in chunks, as `JSON.stringify(value, null, indent)` plus a newline; a non-finite number
 * is an error naming its field (never written as null).
 */
export function* jsonDocument(value: unknown, indent: number): Generator<string> {
  yield* jsonChunks(value, { indent, nonFinite: 'throw' });
  yield '\n';
}

/** `--format` (default: the first of `allowed`), or the problem naming the flag when it is none of `allowed`. */
export function readFormat(
  flags: Record<string, string>,
  allowed: readonly string[],
): { format: string; problem: string | null } {
  const format = flags.format ?? allowed[0];
  const problem = allowed.includes(format)
    ? null
    : `--format: unknown format ${JSON.stringify(format)}; expected one of ${allowed.join(', ')}`;
  return { format, problem };
}

function formatFlag(flags: Record<string, string>, allowed: string[]): string {
  const { format, problem } = readFormat(flags, allowed);
  if (problem !== null) throw new UsageError([problem]);
  return format;
}

/** The registry as plain data: citation, population, sampling, validity and ke0 provenance. */
export function modelsCatalogue() {
  return MODELS.map((m) => {
    const p70 = m.parameters({ weightKg: 70, ageYears: 40 });
    const { ke0, ...description } = describeModel(m);
    return {
      ...description,
      structure: m.structure(p70).kind,
      parametersAt70kg: p70,
      ke0:
        ke0.kind === 'published'
          ? { provenance: 'published', valuePerMin: ke0.valuePerMin, citation: ke0.citation, note: ke0.note }
          : {
              provenance: 'derived',
              rule: ke0.rule,
              valuePerMinAt70kg: derivedKe0(m, p70),
              referenceTimeToPeakMin: ke0.referenceTimeToPeakMin,
              note: ke0.note,
            },
      variability: m.variability,
      covariances: m.covariances ?? [],
      // What a model's `cm` output is (engine/models/metabolite.ts): name (apparent ones say so), volume kind, amount basis, source, note.
      ...(m.metabolite && { metabolite: (({ system: _, ...d }) => d)(m.metabolite) }),
    };
  });
}

registerCommand(
  'simulate',
  async (args, io, err) => {
    const { positional, flags } = parseArgs(args, { format: 'value', out: 'value' });
    const format = formatFlag(flags, ['json', 'csv']);
    const plan = await readPlan(positional, io);
    checkOutputSize(gridPointCount(plan.horizonMin, plan.resolutionSec) * 4 * BYTES_PER_NUMBER + (1 << 16), 'the prediction'); // t, cp, ce and a metabolite's cm
    const p = predictOrRefuse(plan, err, doseLimitsOf(io));
    const chunks =
      format === 'csv' ? trajectoryCsvChunks(p.trajectory) : trajectoryJsonChunks(p.trajectory, predictionMeta('simulate', p));
    await writeOutput(chunks, flags.out, io);
  },
  {
    doseLimits: true,
    summary: "  ketasim simulate PLAN.json [--format json|csv] [--out FILE]   predict cp and ce (ng/mL) on the plan's grid",
    usage: `usage: ketasim simulate PLAN.json [--format json|csv] [--out FILE] [--dose-limits FILE]

Predicts the plasma (cp) and effect-site (ce) concentrations, ng/mL, at t = 0, Δ, 2Δ … horizonMin min
(Δ = resolutionSec) for the plan (docs/PLAN-FORMAT.md).
  --format json   {"t": [...], "cp": [...], "ce": [...], "meta": {...}} (default); meta has the tool version,
                  model id, ke0 (1/min) and its provenance, units and warnings
  --format csv    header t_min,cp_ng_per_ml,ce_ng_per_ml, then one row per grid point
                  A model with a metabolite (simons-2022-s-ketamine-arterial: S-norketamine; perez-ruixo-2021-
                  esketamine: noresketamine, apparent) adds "cm" (ng/mL of the metabolite in plasma) and
                  "metabolite" (its name) to the JSON and a cm_ng_ml column to the CSV (ketasim models says
                  what each metabolite's cm is: volume true or apparent, amount basis, source)
  --out FILE      write to FILE instead of standard output ("-": standard output)
${LIMITS_HELP}`,
  },
);

registerCommand(
  'metrics',
  async (args, io, err) => {
    const { positional, flags } = parseArgs(args, { out: 'value' });
    const plan = await readPlan(positional, io);
    const p = predictOrRefuse(plan, err, doseLimitsOf(io));
    const metrics = computeMetrics(
      p.trajectory,
      bandsForPlan(plan.thresholds, p.model.definition),
      p.actions,
      plan.patient.weightKg,
    );
    const body = {
      units: { time: 'min', concentration: 'ng/mL', dose: 'mg' },
      model: {
        id: p.model.definition?.id ?? 'custom',
        ke0PerMin: p.model.ke0,
        ke0Source: p.model.ke0Source,
        ...(p.model.ke0Citation !== undefined && { ke0Citation: p.model.ke0Citation }),
      },
      warnings: p.warnings,
      metrics,
      meta: predictionMeta('metrics', p),
    };
    await writeOutput(jsonDocument(body, 2), flags.out, io);
  },
  {
    doseLimits: true,
    summary:
      '  ketasim metrics PLAN.json [--out FILE]                        peak, time in each band, recovery time, total dose (JSON)',
    usage: `usage: ketasim metrics PLAN.json [--out FILE] [--dose-limits FILE]

Peak cp and ce (ng/mL) and their times (min), minutes inside and above each band (the plan's thresholds,
or the drug's defaults), first entry and last exit, the time for ce to fall below the dissociation band
after the last dose (recoveryMin), total dose (mg, mg/kg), as JSON with units, the model, its ke0
provenance, warnings and "meta". A value that does not exist (no recovery within the horizon, an open
band's high bound) is null.
  --out FILE      write to FILE instead of standard output ("-": standard output)
${LIMITS_HELP}`,
  },
);

registerCommand(
  'models',
  async (args, io) => {
    const { positional, flags } = parseArgs(args, { format: 'value', out: 'value' });
    if (positional.length) throw new UsageError([`models: takes no arguments, got ${positional.join(' ')}`]);
    const format = formatFlag(flags, ['json', 'text']);
    const cat = modelsCatalogue();
    if (format === 'json') return writeOutput(jsonDocument(cat, 2), flags.out, io);
    const text = cat
      .map((m) =>
        [
          `${m.id} — ${m.name} (${m.drug}, ${m.structure})`,
          `  ${m.citation}${m.doi ? ' doi:' + m.doi : ''}`,
          `  population: ${m.population}; sampling: ${m.sampling}`,
          `  ke0: ${m.ke0.provenance === 'published' ? `${m.ke0.valuePerMin} /min, published (${m.ke0.citation})` : `${(m.ke0 as { valuePerMinAt70kg: number }).valuePerMinAt70kg.toPrecision(4)} /min at 70 kg, DERIVED (time-to-peak rule)`}`,
          ...m.ke0Choices.filter((c) => c.planValue !== null).map((c) => `  ke0 choice "ke0": "${c.planValue}": ${c.label}`),
        ].join('\n'),
      )
      .join('\n\n');
    await writeOutput([text + '\n'], flags.out, io);
  },
  {
    summary:
      '  ketasim models [--format json|text] [--out FILE]              the model registry with citations and ke0 provenance',
    usage: `usage: ketasim models [--format json|text] [--out FILE]

The model registry: id, drug, citation and doi, population, sampling site, validity ranges, structure,
typical parameters at 70 kg / 40 years (L, L/min, 1/min), ke0 with its provenance (published with its
citation, or derived by the time-to-peak rule, 1/min at 70 kg), the ke0 choices a plan may make
(ke0Choices: the model's own, and for S-ketamine models Olofsen 2022's, "model": {"id": ID, "ke0":
"olofsen-2022"}, labelled as a transfer with its citation), and published variability.
  --format json   an array, one object per model (default)
  --format text   one block per model
  --out FILE      write to FILE instead of standard output ("-": standard output)
Exit status: 0 success; 2 invalid arguments; 1 the output cannot be written.`,
  },
);

/** The help flags a command answers (before its own options are checked). */
const HELP = new Set(['--help', '-h']);

/** Run the CLI; returns the exit status. */
export async function main(argv: string[], io: Io, err: (line: string) => void): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
    await io.write(VERSION + '\n');
    return 0;
  }
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    if (cmd) await io.write(usage() + '\n');
    else err(usage());
    return cmd ? 0 : 2;
  }
  const entry = commands.get(cmd);
  if (!entry) {
    err(`command: unknown command ${JSON.stringify(cmd)}; expected one of ${Array.from(commands.keys()).join(', ')}`);
    err(usage());
    return 2;
  }
  try {
    if (rest.some((a) => HELP.has(a))) await io.write(entry.usage + '\n');
    else if (entry.doseLimits) {
      const taken = takeDoseLimits(rest);
      const withLimits = taken.path === undefined ? io : { ...io, doseLimits: await readDoseLimitsFile(taken.path, io) };
      await entry.run(taken.rest, withLimits, err);
    } else await entry.run(rest, io, err);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      for (const line of e.lines) err(line);
      return 2;
    }
    if (e instanceof BrokenPipe) return 0;
    if (e instanceof OutputError) {
      err(e.message);
      return 1;
    }
    err(`internal error: ${(e as Error).message}`);
    return 1;
  }
}

/** The real process's io: capped plan reading (cli/input.ts), streamed output with backpressure (cli/output.ts). */
export const processIo: Io = {
  readFile: (p) => readPlanFile(p),
  readStdin: () => readPlanStdin(),
  write: (t) => stdoutOutput().write(t),
  writeFile: (p, t) => writeFileSync(p, t),
  openOutput: (path) => (path === null ? stdoutOutput() : fileOutput(path)),
};
