// The CLI's error kinds and their exit statuses: UsageError (2), OutputError (1), BrokenPipe (quiet, 0).

/**
 * The user's input (arguments, plan, sizes) is wrong: exit status 2, one line per problem on stderr,
 * each naming the field or option, never a stack trace.
 */
export class UsageError extends Error {
  readonly lines: string[];
  constructor(lines: string[]) {
    super(lines.join('\n'));
    this.lines = lines;
  }
}

/**
 * A failure of the environment rather than of the plan or the arguments (the output file or standard
 * output cannot be written: ENOENT, EACCES, ENOSPC …): exit status 1, with a one-line message naming what
 * failed and no stack trace.
 */
export class OutputError extends Error {}

/**
 * The reader of standard output went away (EPIPE, e.g. `ketasim simulate plan.json | head -1`): nobody
 * is left to read, so the command stops writing and exits quietly with status 0, as `cat` does under a
 * shell that ignores SIGPIPE.
 */
export class BrokenPipe extends Error {}

/** The code of a Node system error (`ENOENT`, `ENOSPC` …), else its message. */
export function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}
