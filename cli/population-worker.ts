// Node worker_threads entry of `ketasim population`: exposes workers/population-api.ts on `parentPort` (bundled to build/population-worker.mjs).
import { parentPort } from 'node:worker_threads';
import { exposePopulationApi } from '../workers/population-api.ts';
import { installLazyMatrixExponential } from './matrix-exponential.ts';
import { nodeEndpoint } from './node-endpoint.ts';

/**
 * Node cannot run TypeScript in a worker thread, so scripts/build-cli.mjs bundles this file (with the
 * engine and comlink) into build/population-worker.mjs at build time; cli/population.ts starts it. A
 * general linear model's matrix exponential is loaded on first use, as in the main thread.
 */
installLazyMatrixExponential();
if (!parentPort) throw new Error('cli/population-worker.ts runs only as a worker thread');
exposePopulationApi(nodeEndpoint(parentPort));
