// The one output path of every command: chunked writing with backpressure, the output size cap, `meta`, warnings on stderr.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Ke0Source, Prediction } from '../engine/predict.ts';
import type { Warning } from '../engine/warnings.ts';
import { BrokenPipe, errorCode, OutputError, UsageError } from './errors.ts';
import { VERSION } from './version.ts';

/** A destination opened for one command's output: chunks are written in order, then it is closed. */
export interface OutputStream {
  /** Write one chunk; resolves when the destination can take more (backpressure). */
  write(chunk: string): void | Promise<void>;
  /** Flush and close; resolves when everything is written. */
  close(): Promise<void>;
}

/** Where output goes: the command's `--out` value (absent or "-" is standard output). */
export interface OutputTarget {
  /** `write` to standard output (a whole text; used when `openOutput` is absent). */
  write(text: string): void | Promise<void>;
  /** Write a whole file (used when `openOutput` is absent). */
  writeFile(path: string, text: string): void;
  /** Streaming output (the real process); an in-memory Io may leave it out and get whole texts. */
  openOutput?(path: string | null): OutputStream;
}

/**
 * The largest output a command writes: 1 GiB, estimated before anything is computed. The longest
 * number text is 24 characters (`-1.2345678901234567e-100`), so a prediction of the contract's largest
 * grid (10 million points, engine/plan.ts MAX_POINTS) is at most 750 MB of JSON or CSV and is always
 * written (streamed); a population's percentile and probability columns can pass it and are refused
 * with exit status 2 instead.
 */
export const MAX_OUTPUT_BYTES = 1024 * 1024 * 1024;

/** Upper bound of characters per number written (24) plus its separator. */
export const BYTES_PER_NUMBER = 25;

/** Refuse (exit 2) an output whose estimate passes the cap, naming the estimate and the cap. */
export function checkOutputSize(estimateBytes: number, what: string): void {
  if (estimateBytes <= MAX_OUTPUT_BYTES) return;
  const mib = (b: number) => `${Math.ceil(b / (1024 * 1024))} MiB`;
  throw new UsageError([
    `output: ${what} would be up to ${mib(estimateBytes)}, above the ${mib(MAX_OUTPUT_BYTES)} output cap; use a larger resolutionSec or a shorter horizonMin`,
  ]);
}

/**
 * Write `chunks` to the command's output (`--out FILE`, or standard output when absent or "-"). The
 * one writer every command uses: chunk by chunk, waiting for the destination to drain, with a one-line
 * error naming the destination (exit 1) when it cannot be written, and a quiet stop (BrokenPipe) when
 * the reader of standard output has gone.
 */
export async function writeOutput(chunks: Iterable<string>, out: string | undefined, io: OutputTarget): Promise<void> {
  const path = out && out !== '-' ? out : null;
  if (!io.openOutput) {
    const text = Array.from(chunks).join('');
    if (path === null) return void (await io.write(text));
    try {
      io.writeFile(path, text);
    } catch (e) {
      throw new OutputError(`--out: cannot write ${JSON.stringify(path)}: ${errorCode(e)}`);
    }
    return;
  }
  const stream = io.openOutput(path);
  let closed = false;
  try {
    for (const chunk of chunks) await stream.write(chunk);
    closed = true;
    await stream.close();
  } finally {
    if (!closed) await stream.close().catch(() => {});
  }
}

/** `--out FILE`: synchronous writes of whole chunks (a file takes them as fast as the disk does). */
export function fileOutput(path: string): OutputStream {
  const fail = (e: unknown) => new OutputError(`--out: cannot write ${JSON.stringify(path)}: ${errorCode(e)}`);
  let fd: number | null;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw fail(e);
  }
  return {
    write(chunk) {
      const buf = Buffer.from(chunk, 'utf8');
      try {
        for (let off = 0; off < buf.length; ) off += writeSync(fd!, buf, off, buf.length - off);
      } catch (e) {
        throw fail(e);
      }
    },
    async close() {
      if (fd === null) return;
      const f = fd;
      fd = null;
      try {
        closeSync(f);
      } catch (e) {
        throw fail(e);
      }
    },
  };
}

let stdoutError: NodeJS.ErrnoException | null = null;
let stdoutWatched = false;

/**
 * Standard output as a stream: each chunk waits for 'drain' when the stream's buffer is full (a slow
 * pipe holds the command back instead of filling memory). EPIPE becomes BrokenPipe (quiet exit); any
 * other error (ENOSPC on `> /dev/full`) becomes one line "stdout: cannot write: CODE", exit 1.
 */
export function stdoutOutput(out: NodeJS.WriteStream = process.stdout): OutputStream {
  if (!stdoutWatched) {
    stdoutWatched = true;
    // Without a listener an EPIPE would be an uncaught exception with a stack trace.
    out.on('error', (e: NodeJS.ErrnoException) => void (stdoutError ??= e));
  }
  const fail = (e: unknown): Error =>
    errorCode(e) === 'EPIPE' ? new BrokenPipe('EPIPE') : new OutputError(`stdout: cannot write: ${errorCode(e)}`);
  const waitFor = (register: (done: () => void) => void) =>
    new Promise<void>((resolve) => {
      const onError = () => resolve();
      out.once('error', onError);
      register(() => {
        out.off('error', onError);
        resolve();
      });
    });
  return {
    async write(chunk) {
      if (stdoutError) throw fail(stdoutError);
      let ok: boolean;
      try {
        ok = out.write(chunk);
      } catch (e) {
        throw fail(e);
      }
      if (!ok && !stdoutError) await waitFor((done) => out.once('drain', done));
      if (stdoutError) throw fail(stdoutError);
    },
    async close() {
      if (stdoutError) throw fail(stdoutError);
      // An empty write's callback runs once everything before it has been handed to the system.
      await waitFor((done) => out.write('', (e) => (e ? void (stdoutError ??= e) : undefined, done())));
      if (stdoutError) throw fail(stdoutError);
    },
  };
}

/** Units of every output (docs/PLAN-FORMAT.md "Output"). */
export const UNITS = { time: 'min', concentration: 'ng/mL', dose: 'mg', ke0: '1/min' } as const;

/**
 * The `meta` object of every JSON output (docs/PLAN-FORMAT.md: tool version, model id, ke0 and its
 * provenance, units, warnings); `command` names what wrote it. One builder for all commands.
 */
export interface Meta {
  readonly tool: 'ketasim';
  readonly version: string;
  readonly command: string;
  /** Registry id, or "custom" for a model given in the plan. */
  readonly model: { readonly id: string; readonly name: string | null };
  /** The effect-site rate constant in use, 1/min, and where it comes from (published, derived, override, custom). */
  readonly ke0: { readonly valuePerMin: number; readonly provenance: Ke0Source; readonly citation?: string };
  readonly units: Readonly<Record<string, string>>;
  readonly warnings: readonly Warning[];
}

/** Build `meta` for a command's output. */
export function buildMeta(
  command: string,
  model: { id: string | null; name: string | null; ke0PerMin: number; ke0Source: Ke0Source; ke0Citation?: string },
  warnings: readonly Warning[],
  units: Readonly<Record<string, string>> = UNITS,
): Meta {
  return {
    tool: 'ketasim',
    version: VERSION,
    command,
    model: { id: model.id ?? 'custom', name: model.name },
    ke0: {
      valuePerMin: model.ke0PerMin,
      provenance: model.ke0Source,
      ...(model.ke0Citation !== undefined && { citation: model.ke0Citation }),
    },
    units,
    warnings,
  };
}

/** `meta` of a prediction (simulate, metrics). */
export function predictionMeta(command: string, p: Prediction): Meta {
  const def = p.model.definition;
  return buildMeta(
    command,
    {
      id: def?.id ?? null,
      name: def?.name ?? null,
      ke0PerMin: p.model.ke0,
      ke0Source: p.model.ke0Source,
      ...(p.model.ke0Citation !== undefined && { ke0Citation: p.model.ke0Citation }),
    },
    p.warnings,
  );
}

/** A warning's stderr line (docs/PLAN-FORMAT.md "Warnings"): `warning: <message> (<code>)`. */
export const warningLine = (w: Warning): string => `warning: ${w.message} (${w.code})`;

/** Print every warning on stderr, one line each. */
export function printWarnings(warnings: readonly Warning[], err: (line: string) => void): void {
  for (const w of warnings) err(warningLine(w));
}
