// Vitest setup file: installs mathjs expm as the engine's matrix exponential, as the app's workers and the CLI do.
import { installMathjsMatrixExponential } from '../../engine/pk/mathjs-expm.ts';

/**
 * engine/pk/linear-system.ts loads no matrix exponential itself (each entry installs one; see
 * `setMatrixExponential`). Tests import the engine directly, so this setup file plays the entry's part
 * for every test file; the Node CLI's own lazy loader is exercised through real processes in test/cli.
 */
installMathjsMatrixExponential();
