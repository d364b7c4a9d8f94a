// Entry point: runs `main(process.argv)` with real stdio and sets the exit code (bundled to build/ketasim.cjs).
import { main, processIo } from './main.ts';
import { installLazyMatrixExponential } from './matrix-exponential.ts';
import './commands.ts';

/**
 * Entry point of the `ketasim` command. bin/ketasim.mjs runs its bundle, build/ketasim.cjs
 * (scripts/build-cli.mjs), with V8's code cache. CommonJS, so no top-level await: the exit code is
 * set when `main` settles. The matrix exponential (cli/pade-expm.ts) is loaded only if a general
 * linear model needs it.
 */
installLazyMatrixExponential();
// A closed stderr (its reader gone) must not turn into an uncaught exception.
process.stderr.on('error', () => {});
void main(process.argv.slice(2), processIo, (line) => process.stderr.write(line + '\n')).then((code) => {
  process.exitCode = code;
});
