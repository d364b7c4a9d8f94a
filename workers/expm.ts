// Workers' matrix exponential on demand: mathjs `expm` is imported dynamically the first time a general linear model needs it (`deferMatrixExponential`, `withMatrixExponential`).
import { setMatrixExponential, type MatrixExponential } from '../engine/pk/linear-system.ts';

/**
 * mathjs (engine/pk/mathjs-expm.ts, ~230 kB) used to be bundled into every worker and evaluated before
 * the first prediction, although only general linear models (metabolite models, non-IV routes) ever
 * call it. Each worker entry now installs a stand-in with `deferMatrixExponential`: until mathjs has
 * been loaded it records the miss and throws, and `withMatrixExponential` (wrapped around every API
 * call, `deferredApi`) then imports mathjs and runs the call again. The rerun is safe because the
 * wrapped calls are requests that compute an answer from their arguments (a failed first attempt
 * leaves nothing behind: the prediction cache keeps only finished results). A call that the engine
 * answered by catching the stand-in's error is rerun too (the miss is recorded, not inferred from the
 * answer).
 */
let loaded: MatrixExponential | null = null;
let loading: Promise<MatrixExponential> | null = null;
/** How many times the stand-in was called before mathjs was loaded (only grows, so overlapping calls each see their miss). */
let misses = 0;

/** The stand-in's error (never shown: the call is rerun with mathjs loaded). */
export class MatrixExponentialNotLoaded extends Error {
  constructor() {
    super('the matrix exponential (mathjs expm) is still loading');
    this.name = 'MatrixExponentialNotLoaded';
  }
}

/** Install the stand-in (see the module comment): mathjs is not loaded until a call needs it. */
export function deferMatrixExponential(): void {
  setMatrixExponential((a) => {
    if (loaded) return loaded(a);
    misses++;
    throw new MatrixExponentialNotLoaded();
  });
}

/** True once mathjs has been imported in this worker. */
export const matrixExponentialLoaded = (): boolean => loaded !== null;

/** Import mathjs `expm` (once; a failed import is tried again on the next call). */
export function loadMatrixExponential(): Promise<void> {
  loading ??= import('../engine/pk/mathjs-expm.ts').then(
    (m) => (loaded = m.mathjsMatrixExponential),
    (e: unknown) => {
      loading = null;
      throw new Error(`the matrix exponential (mathjs) could not be loaded: ${(e as Error).message}`);
    },
  );
  return loading.then(() => undefined);
}

/** Run `f`; if it needed the matrix exponential before mathjs was loaded, load mathjs and run `f` again. */
export async function withMatrixExponential<T>(f: () => Promise<T>): Promise<T> {
  if (loaded) return f();
  const before = misses;
  let first: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    first = { ok: true, value: await f() };
  } catch (error) {
    first = { ok: false, error };
  }
  if (misses === before && !(!first.ok && first.error instanceof MatrixExponentialNotLoaded)) {
    if (first.ok) return first.value;
    throw first.error;
  }
  await loadMatrixExponential();
  return f();
}

/** The API with every function wrapped by `withMatrixExponential` (same type: each function is already async). */
export function deferredApi<Api extends object>(api: Api): Api {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(api)) {
    out[name] =
      typeof value === 'function'
        ? (...args: unknown[]) =>
            withMatrixExponential(() => Promise.resolve((value as (...a: unknown[]) => unknown).apply(api, args)))
        : value;
  }
  return out as Api;
}
