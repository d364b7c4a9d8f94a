// Reading a plan with a size cap: a regular file is measured before it is read, a stream or device is read in chunks up to the cap.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from './errors.ts';

/**
 * The largest plan the CLI reads: 16 MiB. A plan is a few hundred bytes to a few kilobytes (a long
 * regimen of thousands of events is still far below this); the cap keeps a wrong argument (`/dev/zero`,
 * a video, a multi-gigabyte log) from being read into memory whole before it is refused.
 */
export const MAX_PLAN_BYTES = 16 * 1024 * 1024;

/** Read size per chunk for streams and devices. */
const CHUNK_BYTES = 1 << 16;

const tooLarge = (what: string) =>
  new UsageError([`PLAN: ${what} is larger than ${MAX_PLAN_BYTES / (1024 * 1024)} MiB, the size limit for a plan; not read`]);

/** UTF-8 text of chunks read so far. */
const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');

/**
 * A plan file's text. A regular file larger than the cap is refused from its size alone; anything else
 * (a device such as /dev/zero, a FIFO, /dev/stdin) is read in chunks and refused as soon as it passes the
 * cap. Errors from the file system are thrown as they are (the caller names the file and the code).
 */
export function readPlanFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size > MAX_PLAN_BYTES) throw tooLarge(JSON.stringify(path));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_PLAN_BYTES) throw tooLarge(JSON.stringify(path));
      chunks.push(buf.subarray(0, n));
    }
    return text(chunks);
  } finally {
    closeSync(fd);
  }
}

/**
 * Standard input's text, read as a stream in chunks and refused as soon as it passes the cap (a
 * redirected regular file is measured first). Stops reading at the cap: `ketasim simulate - < /dev/zero`
 * is refused after 16 MiB, not after memory runs out.
 */
export async function readPlanStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  try {
    const st = fstatSync(0);
    if (st.isFile() && st.size > MAX_PLAN_BYTES) throw tooLarge('standard input');
  } catch (e) {
    if (e instanceof UsageError) throw e;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += b.length;
    if (total > MAX_PLAN_BYTES) {
      stdin.destroy();
      throw tooLarge('standard input');
    }
    chunks.push(b);
  }
  return text(chunks);
}
