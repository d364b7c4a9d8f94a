/**
 * Many plans in one call (`ketasim batch`, docs/PLAN-FORMAT.md "Command line"): each plan is validated
 * and predicted on its own, so a bad one (not JSON, an invalid plan, a result that is not finite) is a
 * result with its problems and never stops the rest. Also the NDJSON line splitting and the exact
 * output line of the contract: `{"index": i, "ok": true, ...}` or `{"index": i, "ok": false, "problems"}`.
 */
import type { Metrics } from '../metrics.ts';
import { MODEL_IDS } from '../models/registry.ts';
import { formatProblems, parsePlan, parsePlanText, type ParseResult, type Plan } from '../plan.ts';
import { predictChecked, type Prediction } from '../predict.ts';
import type { Warning } from '../warnings.ts';
import type { DoseLimits } from '../safety/dose-safety.ts';
import { planMetrics } from './meta.ts';

/** What to compute for each plan: the trajectory (default) or only its metrics. */
export interface BatchOptions {
  /** Compute `ketasim metrics`' object for each plan (the trajectory is still computed, not written). */
  readonly metrics?: boolean;
  /** Dose limits for the dose-safety warnings (default: the cited `DEFAULT_DOSE_LIMITS`). */
  readonly doseLimits?: DoseLimits;
}

/** A plan predicted: its index, the plan, its prediction and (with `metrics`) its metrics. */
export interface BatchSuccess {
  readonly index: number;
  readonly ok: true;
  readonly plan: Plan;
  readonly prediction: Prediction;
  readonly metrics?: Metrics;
}
/** One plan's result: predicted, or refused with its problems (`path: message`). */
export type BatchResult = BatchSuccess | { readonly index: number; readonly ok: false; readonly problems: readonly string[] };

/** A plan read from one input: the validated plan, or its problems as `path: message` lines. */
export type BatchInput =
  | { readonly ok: true; readonly plan: Plan }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Read one plan: `input` is either the JSON text of a plan (a string: a plan is never a JSON string, so
 * the two cannot be confused) or an already-parsed JSON value.
 */
export function readBatchInput(input: unknown): BatchInput {
  let parsed: ParseResult;
  if (typeof input === 'string') {
    if (input.trim() === '') return { ok: false, problems: ['plan: empty line; expected one plan (a JSON object) per line'] };
    parsed = parsePlanText(input, MODEL_IDS);
  } else parsed = parsePlan(input, MODEL_IDS);
  return parsed.ok ? { ok: true, plan: parsed.plan } : { ok: false, problems: formatProblems(parsed.problems) };
}

/**
 * Predict one validated plan. Never throws: a result that is not finite (`predictChecked`) or an
 * unexpected engine failure is a problem of this plan, naming its cause.
 */
export function predictPlan(plan: Plan, index: number, options: BatchOptions = {}): BatchResult {
  try {
    const checked = predictChecked(plan, options.doseLimits);
    if (!checked.ok) return { index, ok: false, problems: formatProblems(checked.problems) };
    const prediction = checked.prediction;
    if (options.metrics) return { index, ok: true, plan, prediction, metrics: planMetrics(plan, prediction) };
    return { index, ok: true, plan, prediction };
  } catch (e) {
    return { index, ok: false, problems: [`plan: could not be computed: ${(e as Error).message}`] };
  }
}

/** Read and predict one plan (its JSON text or parsed value; see `readBatchInput`). Never throws. */
export function predictOne(input: unknown, index: number, options: BatchOptions = {}): BatchResult {
  const read = readBatchInput(input);
  return read.ok ? predictPlan(read.plan, index, options) : { index, ok: false, problems: read.problems };
}

/**
 * Predict every plan, in order; result i belongs to plan i whatever happened to the others. Each input
 * is a plan's JSON text or its parsed JSON value (see `readBatchInput`).
 */
export function predictMany(plans: readonly unknown[], options: BatchOptions = {}): BatchResult[] {
  return plans.map((p, i) => predictOne(p, i, options));
}

/**
 * NDJSON text → one string per plan line. Lines end with LF or CRLF; the empty piece after a final
 * newline is not a line, but a blank line inside the file is (it is reported, so that result i always
 * belongs to line i + 1). A leading byte-order mark is skipped.
 */
export function ndjsonLines(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The warnings of one batch result, each message prefixed with its plan (`plan[i]: …`). */
export function batchWarnings(r: BatchResult): Warning[] {
  if (!r.ok) return [];
  return r.prediction.warnings.map((w) => ({ code: w.code, message: `plan[${r.index}]: ${w.message}` }));
}

/**
 * The contract's output line for one result, ending with a newline: on success `index`, `ok`, then the
 * simulate JSON (`t`, `cp`, `ce`, and `cm`, `metabolite` for a model with a metabolite) or `metrics`, then `meta` (built by the caller: tool version, model,
 * ke0 and its provenance, units, warnings); on failure exactly `{"index", "ok": false, "problems"}`.
 *
 * Each line is one `JSON.stringify` of plain arrays: V8's JSON writer formats a number array 3–4× faster
 * than `String(x)` per number (measured in bench/batch.bench.ts: the write dominates a batch), with the
 * same shortest round-trip text. Every trajectory number is finite here (`predictChecked`), so none is
 * written as null; metrics' nulls are the documented "does not exist".
 */
export function* batchLineChunks(r: BatchResult, meta: (r: BatchSuccess) => unknown): Generator<string> {
  if (!r.ok) {
    yield JSON.stringify({ index: r.index, ok: false, problems: r.problems }) + '\n';
    return;
  }
  const t = r.prediction.trajectory;
  const body = r.metrics
    ? { index: r.index, ok: true, metrics: r.metrics, meta: meta(r) }
    : {
        index: r.index,
        ok: true,
        t: Array.from(t.t),
        cp: Array.from(t.cp),
        ce: Array.from(t.ce),
        ...(t.cm && { cm: Array.from(t.cm), metabolite: t.metabolite }),
        meta: meta(r),
      };
  yield JSON.stringify(body) + '\n';
}

/** One output line as a string (see `batchLineChunks`). */
export function batchLine(r: BatchResult, meta: (r: BatchSuccess) => unknown): string {
  return Array.from(batchLineChunks(r, meta)).join('');
}
