// Output text of predictions, written in chunks: trajectory CSV and JSON, and any value as JSON (shared by the CLI and the workers).
import type { Trajectory } from './simulate.ts';

/**
 * The one writer of the plan format's outputs (docs/PLAN-FORMAT.md "Output"). Every writer is a
 * generator of text chunks of about `CHUNK_CHARS` characters, so that a 10-million-point prediction is
 * written piece by piece (a sink can wait for each chunk to drain) and never held as one giant string;
 * the `…Text` forms join the chunks for callers that want a string (the dashboard's CSV export).
 * Numbers are written as JavaScript's shortest round-trip text (`String(x)`, as `JSON.stringify`).
 * Pure: no I/O.
 */

/** Target chunk length, characters (64 Ki): large enough to amortise a write, small enough to stream. */
export const CHUNK_CHARS = 1 << 16;

/** The trajectory CSV header: time in minutes, concentrations in ng/mL. */
export const TRAJECTORY_CSV_HEADER = 't_min,cp_ng_per_ml,ce_ng_per_ml';
/** The column a model with a metabolite adds (docs/PLAN-FORMAT.md "Output": `cm_ng_ml`, ng/mL of the metabolite in plasma). */
export const METABOLITE_CSV_COLUMN = 'cm_ng_ml';

/**
 * A CSV field for a number: its shortest round-trip text, or an empty field (CSV's missing value) for a
 * non-finite one. Predictions reach the CLI's writer only when finite (`predictChecked`), so an empty
 * field appears only where a caller writes an unchecked trajectory.
 */
const csvField = (x: number): string => (Number.isFinite(x) ? String(x) : '');

/** A trajectory as CSV, one row per grid point, in chunks; a trajectory with `cm` adds the `cm_ng_ml` column. */
export function* trajectoryCsvChunks(tr: Trajectory): Generator<string> {
  const { t, cp, ce, cm } = tr;
  let chunk = TRAJECTORY_CSV_HEADER + (cm ? `,${METABOLITE_CSV_COLUMN}` : '') + '\n';
  for (let j = 0; j < t.length; j++) {
    chunk += cm
      ? `${csvField(t[j])},${csvField(cp[j])},${csvField(ce[j])},${csvField(cm[j])}\n`
      : `${csvField(t[j])},${csvField(cp[j])},${csvField(ce[j])}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** A trajectory as one CSV string (header `t_min,cp_ng_per_ml,ce_ng_per_ml`, plus `cm_ng_ml` with a metabolite). */
export function trajectoryCsv(tr: Trajectory): string {
  return Array.from(trajectoryCsvChunks(tr)).join('');
}

/**
 * A trajectory as the plan format's JSON, `{"t":[…],"cp":[…],"ce":[…]}`, then `"cm":[…],"metabolite":"…"`
 * for a model with a metabolite, plus `"meta"` when given, one line, in chunks. Every number must be finite (the contract: never `null` or `Infinity`): a non-finite
 * value throws, naming the column and the index — callers check first (`predictChecked`).
 */
export function* trajectoryJsonChunks(tr: Trajectory, meta?: unknown): Generator<string> {
  const body: Record<string, unknown> = { t: tr.t, cp: tr.cp, ce: tr.ce };
  if (tr.cm) {
    body.cm = tr.cm;
    body.metabolite = tr.metabolite;
  }
  if (meta !== undefined) body.meta = meta;
  yield* jsonChunks(body, { nonFinite: 'throw' });
  yield '\n';
}

/** A trajectory as one JSON string (see `trajectoryJsonChunks`). */
export function trajectoryJson(tr: Trajectory, meta?: unknown): string {
  return Array.from(trajectoryJsonChunks(tr, meta)).join('');
}

/** Options of `jsonChunks`. */
export interface JsonOptions {
  /** Spaces per nesting level, as `JSON.stringify`'s third argument (default 0: one line). */
  readonly indent?: number;
  /**
   * A non-finite number: `'null'` writes `null` as `JSON.stringify` does (for values documented as
   * possibly missing); `'throw'` (default) throws an Error naming the field path.
   */
  readonly nonFinite?: 'null' | 'throw';
}

/** Numbers per batch when writing a numeric array. */
const NUMBER_BATCH = 4096;

/**
 * a[i0 … i1) as JSON numbers joined by `sep`. The text of finite numbers comes from the built-in
 * `JSON.stringify` (the same shortest round-trip text as `String(x)`, without a JavaScript loop for the
 * JIT to warm up); a non-finite one is written as `onNonFinite` says (or it throws).
 */
function numbersText(
  a: ArrayLike<number>,
  i0: number,
  i1: number,
  sep: string,
  onNonFinite: (x: number, i: number) => string,
): string {
  let bad = -1;
  for (let i = i0; i < i1; i++) {
    if (!Number.isFinite(a[i])) {
      bad = i;
      break;
    }
  }
  if (bad < 0) {
    const text = JSON.stringify(Array.prototype.slice.call(a, i0, i1)).slice(1, -1);
    return sep === ',' ? text : text.replaceAll(',', sep);
  }
  const parts = new Array<string>(i1 - i0);
  for (let i = i0; i < i1; i++) {
    const x = a[i];
    parts[i - i0] = Number.isFinite(x) ? String(x) : onNonFinite(x, i);
  }
  return parts.join(sep);
}

/**
 * Any JSON value as text, in chunks, character for character what `JSON.stringify(value, null, indent)`
 * writes — except that typed arrays (`Float64Array` …) are written as arrays, and long arrays of numbers
 * are written in batches rather than built whole. `undefined` object fields are left out and `undefined`
 * array items written `null`, as `JSON.stringify` does; functions and symbols are not expected.
 */
export function* jsonChunks(value: unknown, options: JsonOptions = {}): Generator<string> {
  const indent = options.indent ?? 0;
  const nullForNonFinite = options.nonFinite === 'null';
  let pending = '';
  /** Text of a non-finite number (`null`), or the error naming where it is; `path` is built only then. */
  const nonFinite = (x: number, path: () => string): string => {
    if (nullForNonFinite) return 'null';
    throw new Error(`${path()}: ${x} is not a finite number and cannot be written as JSON`);
  };
  function* walk(v: unknown, depth: number, path: string): Generator<string> {
    const open = indent ? '\n' + ' '.repeat(indent * (depth + 1)) : '';
    const close = indent ? '\n' + ' '.repeat(indent * depth) : '';
    const sep = ',' + open;
    if (v === null || v === undefined) pending += 'null';
    else if (typeof v === 'number') pending += Number.isFinite(v) ? String(v) : nonFinite(v, () => path);
    else if (typeof v === 'string' || typeof v === 'boolean') pending += JSON.stringify(v);
    else if (ArrayBuffer.isView(v) || (Array.isArray(v) && v.every((x) => typeof x === 'number'))) {
      const a = v as unknown as ArrayLike<number>;
      if (a.length === 0) {
        pending += '[]';
        return;
      }
      pending += '[' + open;
      for (let i0 = 0; i0 < a.length; i0 += NUMBER_BATCH) {
        const i1 = Math.min(a.length, i0 + NUMBER_BATCH);
        pending += (i0 > 0 ? sep : '') + numbersText(a, i0, i1, sep, (x, i) => nonFinite(x, () => `${path}[${i}]`));
        if (pending.length >= CHUNK_CHARS) {
          yield pending;
          pending = '';
        }
      }
      pending += close + ']';
    } else if (Array.isArray(v)) {
      if (v.length === 0) {
        pending += '[]';
        return;
      }
      pending += '[' + open;
      for (let i = 0; i < v.length; i++) {
        if (i > 0) pending += sep;
        yield* walk(v[i], depth + 1, `${path}[${i}]`);
        if (pending.length >= CHUNK_CHARS) {
          yield pending;
          pending = '';
        }
      }
      pending += close + ']';
    } else if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      if (entries.length === 0) {
        pending += '{}';
        return;
      }
      pending += '{' + open;
      for (let k = 0; k < entries.length; k++) {
        const [key, x] = entries[k];
        if (k > 0) pending += sep;
        pending += JSON.stringify(key) + (indent ? ': ' : ':');
        yield* walk(x, depth + 1, path ? `${path}.${key}` : key);
        if (pending.length >= CHUNK_CHARS) {
          yield pending;
          pending = '';
        }
      }
      pending += close + '}';
    } else throw new Error(`${path || 'value'}: a ${typeof v} cannot be written as JSON`);
  }
  yield* walk(value, 0, '');
  if (pending) yield pending;
}

/** `jsonChunks` joined into one string (small values: metrics, the model catalogue). */
export function jsonText(value: unknown, options: JsonOptions = {}): string {
  return Array.from(jsonChunks(value, options)).join('');
}
