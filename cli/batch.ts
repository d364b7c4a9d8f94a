/**
 * `ketasim batch PLANS.ndjson [--metrics] [--out FILE]`: one plan per line, one result line per plan, in
 * order (docs/PLAN-FORMAT.md "Command line"); a refused line is reported with its index and never stops
 * the rest; exit 0 whenever the input could be read. Output is streamed plan by plan.
 */
import { gridPointCount } from '../engine/plan.ts';
import {
  batchLineChunks,
  batchWarnings,
  ndjsonLines,
  predictPlan,
  readBatchInput,
  type BatchResult,
} from '../engine/research/batch.ts';
import { errorCode, UsageError } from './errors.ts';
import { doseLimitsOf, LIMITS_HELP, parseArgs, registerCommand, type Io } from './main.ts';
import { BYTES_PER_NUMBER, checkOutputSize, predictionMeta, printWarnings, writeOutput } from './output.ts';

/** The text of the one input file named by `positional` ("-" = standard input), or exit 2 naming it. */
export async function readInputText(positional: string[], io: Io, what: string): Promise<string> {
  if (positional.length !== 1) throw new UsageError([`${what}: expected one file (or "-" for stdin), got ${positional.length}`]);
  const src = positional[0];
  try {
    return await (src === '-' ? io.readStdin() : io.readFile(src));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError([`${what}: cannot read ${JSON.stringify(src)}: ${errorCode(e)}`]);
  }
}

/** Bytes per result line besides its numbers (meta, keys), a generous bound for the output estimate. */
const LINE_OVERHEAD_BYTES = 8192;

async function runBatch(args: string[], io: Io, err: (line: string) => void): Promise<void> {
  const { positional, flags } = parseArgs(args, { metrics: 'flag', out: 'value' });
  const doseLimits = doseLimitsOf(io);
  const lines = ndjsonLines(await readInputText(positional, io, 'PLANS'));
  const metrics = flags.metrics === 'true';
  // Every line is validated first (cheap), so the output's size is known before anything is computed.
  const inputs = lines.map((line) => readBatchInput(line));
  let points = 0;
  for (const r of inputs) if (r.ok && !metrics) points += gridPointCount(r.plan.horizonMin, r.plan.resolutionSec);
  checkOutputSize(points * 3 * BYTES_PER_NUMBER + inputs.length * LINE_OVERHEAD_BYTES, 'the batch');
  const refused: number[] = [];
  function* chunks(): Generator<string> {
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      const r: BatchResult = input.ok
        ? predictPlan(input.plan, i, { metrics, doseLimits })
        : { index: i, ok: false, problems: input.problems };
      if (!r.ok) refused.push(i);
      printWarnings(batchWarnings(r), err);
      yield* batchLineChunks(r, (s) => predictionMeta('batch', s.prediction));
    }
  }
  await writeOutput(chunks(), flags.out, io);
  if (refused.length)
    err(
      `batch: ${refused.length} of ${inputs.length} plans refused (index ${refused.slice(0, 20).join(', ')}${refused.length > 20 ? ', …' : ''}); their lines hold the problems`,
    );
}

registerCommand('batch', runBatch, {
  doseLimits: true,
  summary: '  ketasim batch PLANS.ndjson [--metrics] [--out FILE]           one plan per line; one result line per plan',
  usage: `usage: ketasim batch PLANS.ndjson [--metrics] [--out FILE] [--dose-limits FILE]

Predicts many plans: one plan (a JSON object, docs/PLAN-FORMAT.md) per line of PLANS.ndjson ("-" reads
standard input). Output line i (counting from 0, the plan on input line i + 1) is
  {"index": i, "ok": true, "t": [...], "cp": [...], "ce": [...], "meta": {...}}   (as ketasim simulate)
  {"index": i, "ok": true, "metrics": {...}, "meta": {...}}                       (with --metrics, as ketasim metrics)
  {"index": i, "ok": false, "problems": ["<field path>: <message>", ...]}        (a line that is not JSON, not a
                                                                                 valid plan, blank, or whose
                                                                                 result would not be finite)
A refused line never stops the batch; the exit status is 0 whenever the input could be read. Times in
min, concentrations in ng/mL, doses in mg; "meta" has the tool version, model, ke0 (1/min) and its
provenance, units and warnings. Warnings also go to standard error prefixed with their plan
("warning: plan[3]: …"), and a last line on standard error counts the refused plans.
  --metrics       write each plan's metrics instead of its trajectory
  --out FILE      write to FILE instead of standard output ("-": standard output)
${LIMITS_HELP}`,
});
