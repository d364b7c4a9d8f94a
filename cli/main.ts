import { readFileSync, writeFileSync } from 'node:fs';
import { formatProblems, parsePlanText, type Plan } from '../engine/plan.ts';
import { MODEL_IDS, MODELS } from '../engine/models/registry.ts';
import { predict, derivedKe0 } from '../engine/predict.ts';
import { describeModel } from '../engine/models/catalogue.ts';
import { computeMetrics } from '../engine/metrics.ts';
import { bandsForPlan } from '../engine/pd/bands.ts';
import type { Trajectory } from '../engine/simulate.ts';

/**
 * The `ketasim` command: reads arguments and files, calls the engine, writes JSON or CSV. Exit 0 on
 * success, 2 for an invalid plan or arguments (one line per problem on stderr, naming the field,
 * never a stack trace), 1 for an internal error. See docs/PLAN-FORMAT.md.
 */
export class UsageError extends Error {
  readonly lines: string[];
  constructor(lines: string[]) {
    super(lines.join('\n'));
    this.lines = lines;
  }
}

export const USAGE = `usage:
  ketasim simulate PLAN.json [--format json|csv] [--out FILE]   predict cp and ce (ng/mL) on the plan's grid
  ketasim metrics PLAN.json [--out FILE]                        peak, time in each band, recovery time, total dose (JSON)
  ketasim models [--format json|text]                           the model registry with citations and ke0 provenance
  ketasim population PLAN.json --n N --seed S [--cv 0.3] [--format json|csv] [--out FILE]
  ketasim titrate PLAN.json --low NGML --high NGML --reach-min M --duration-min D [--max-rate R --rate-step S --min-interval N --unit mg/kg/h]
                  [--mode effect|plasma] [--max-bolus MG_PER_KG] [--max-cp NGML] [--out FILE]
                  prints a plan whose regimen is the proposal; an unreachable window exits 2 with the reason
                  (ketasim titrate --help for every option)
PLAN.json may be "-" to read the plan from standard input.`;

export interface Io {
  readFile(path: string): string;
  readStdin(): string;
  write(text: string): void;
  writeFile(path: string, text: string): void;
}

/** Parsed flags: --name value pairs and positionals. */
export function parseArgs(
  args: string[],
  allowed: Record<string, 'value' | 'flag'>,
): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2);
      const kind = allowed[name];
      if (!kind) {
        problems.push(
          `--${name}: unknown option; expected one of ${
            Object.keys(allowed)
              .map((k) => '--' + k)
              .join(', ') || '(none)'
          }`,
        );
        continue;
      }
      if (kind === 'flag') flags[name] = 'true';
      else {
        const v = inline ?? args[++i];
        if (v === undefined) problems.push(`--${name}: needs a value`);
        else flags[name] = v;
      }
    } else if (a.startsWith('-') && a !== '-') {
      problems.push(
        `${a}: unknown option; expected one of ${
          Object.keys(allowed)
            .map((k) => '--' + k)
            .join(', ') || '(none)'
        }`,
      );
    } else positional.push(a);
  }
  if (problems.length) throw new UsageError(problems);
  return { positional, flags };
}

/** Read and validate the plan named by the single positional argument. */
export function readPlan(positional: string[], io: Io): Plan {
  if (positional.length !== 1)
    throw new UsageError([`PLAN: expected one plan file (or "-" for stdin), got ${positional.length}`]);
  const src = positional[0];
  let text: string;
  try {
    text = src === '-' ? io.readStdin() : io.readFile(src);
  } catch (e) {
    throw new UsageError([
      `PLAN: cannot read ${JSON.stringify(src)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    ]);
  }
  const r = parsePlanText(text, MODEL_IDS);
  if (!r.ok) throw new UsageError(formatProblems(r.problems));
  return r.plan;
}

/** Shortest round-trip text of a float (JSON numbers). */
const num = (x: number): string => (Number.isFinite(x) ? String(x) : 'null');

/** Trajectory as the plan format's JSON: { "t": [...], "cp": [...], "ce": [...] }. */
export function trajectoryJson(tr: Trajectory): string {
  const col = (a: Float64Array) => '[' + Array.from(a, num).join(',') + ']';
  return `{"t":${col(tr.t)},"cp":${col(tr.cp)},"ce":${col(tr.ce)}}\n`;
}

/** Trajectory as CSV with a header naming units. */
export function trajectoryCsv(tr: Trajectory): string {
  const lines = ['t_min,cp_ng_per_ml,ce_ng_per_ml'];
  for (let j = 0; j < tr.t.length; j++) lines.push(`${num(tr.t[j])},${num(tr.cp[j])},${num(tr.ce[j])}`);
  return lines.join('\n') + '\n';
}

/**
 * A failure of the environment rather than of the plan or the arguments (the output file cannot be
 * written): exit status 1, with a one-line message naming what failed and no stack trace.
 */
export class OutputError extends Error {}

function output(text: string, flags: Record<string, string>, io: Io): void {
  if (flags.out && flags.out !== '-') {
    try {
      io.writeFile(flags.out, text);
    } catch (e) {
      throw new OutputError(
        `--out: cannot write ${JSON.stringify(flags.out)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  } else io.write(text);
}

function formatFlag(flags: Record<string, string>, allowed: string[]): string {
  const f = flags.format ?? allowed[0];
  if (!allowed.includes(f))
    throw new UsageError([`--format: unknown format ${JSON.stringify(f)}; expected one of ${allowed.join(', ')}`]);
  return f;
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
    };
  });
}

export type Command = (args: string[], io: Io) => Promise<void> | void;

const commands: Record<string, Command> = {
  simulate(args, io) {
    const { positional, flags } = parseArgs(args, { format: 'value', out: 'value' });
    const format = formatFlag(flags, ['json', 'csv']);
    const plan = readPlan(positional, io);
    const { trajectory } = predict(plan);
    output(format === 'csv' ? trajectoryCsv(trajectory) : trajectoryJson(trajectory), flags, io);
  },
  metrics(args, io) {
    const { positional, flags } = parseArgs(args, { out: 'value' });
    const plan = readPlan(positional, io);
    const p = predict(plan);
    const metrics = computeMetrics(p.trajectory, bandsForPlan(plan.thresholds), p.actions, plan.patient.weightKg);
    const body = {
      units: { time: 'min', concentration: 'ng/mL', dose: 'mg' },
      model: { id: p.model.definition?.id ?? 'custom', ke0PerMin: p.model.ke0, ke0Source: p.model.ke0Source },
      warnings: p.warnings,
      metrics,
    };
    output(JSON.stringify(body, null, 2) + '\n', flags, io);
  },
  models(args, io) {
    const { positional, flags } = parseArgs(args, { format: 'value', out: 'value' });
    if (positional.length) throw new UsageError([`models: takes no arguments, got ${positional.join(' ')}`]);
    const format = formatFlag(flags, ['json', 'text']);
    const cat = modelsCatalogue();
    if (format === 'json') return output(JSON.stringify(cat, null, 2) + '\n', flags, io);
    const text = cat
      .map((m) =>
        [
          `${m.id} — ${m.name} (${m.drug}, ${m.structure})`,
          `  ${m.citation}${m.doi ? ' doi:' + m.doi : ''}`,
          `  population: ${m.population}; sampling: ${m.sampling}`,
          `  ke0: ${m.ke0.provenance === 'published' ? `${m.ke0.valuePerMin} /min, published (${m.ke0.citation})` : `${(m.ke0 as { valuePerMinAt70kg: number }).valuePerMinAt70kg.toPrecision(4)} /min at 70 kg, DERIVED (time-to-peak rule)`}`,
        ].join('\n'),
      )
      .join('\n\n');
    output(text + '\n', flags, io);
  },
};

/** Register another command (population, titrate) from its own module. */
export function registerCommand(name: string, run: Command): void {
  commands[name] = run;
}

/** Run the CLI; returns the exit status. */
export async function main(argv: string[], io: Io, err: (line: string) => void): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    (cmd ? io.write : err)(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  const run = commands[cmd];
  if (!run) {
    err(`command: unknown command ${JSON.stringify(cmd)}; expected one of ${Object.keys(commands).join(', ')}`);
    err(USAGE);
    return 2;
  }
  try {
    await run(rest, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      for (const line of e.lines) err(line);
      return 2;
    }
    if (e instanceof OutputError) {
      err(e.message);
      return 1;
    }
    err(`internal error: ${(e as Error).message}`);
    return 1;
  }
}

/** The real process's io. */
export const processIo: Io = {
  readFile: (p) => readFileSync(p, 'utf8'),
  readStdin: () => readFileSync(0, 'utf8'),
  write: (t) => {
    process.stdout.write(t);
  },
  writeFile: (p, t) => writeFileSync(p, t),
};
