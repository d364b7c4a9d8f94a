// Browser population worker entry: `exposePopulationApi(self)`.
import type * as Comlink from 'comlink';
import { exposePopulationApi } from './population-api.ts';
import { installMathjsMatrixExponential } from '../engine/pk/mathjs-expm.ts';

// The general linear path's matrix exponential (mathjs expm), bundled with the worker.
installMathjsMatrixExponential();

/**
 * The population worker (browser): exposes the population API and nothing else (DESIGN.md rule 7).
 * `self` is passed explicitly (stack-notes pitfall 8).
 */
exposePopulationApi(self as unknown as Comlink.Endpoint);
