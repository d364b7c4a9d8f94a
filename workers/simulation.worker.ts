// Simulation worker entry: `Comlink.expose(api, self)`, mathjs loaded only when a general linear model first needs it.
import * as Comlink from 'comlink';
import { api } from './simulation-api.ts';
import { deferMatrixExponential, deferredApi } from './expm.ts';

// The general linear path's matrix exponential (mathjs expm) is imported on first need (workers/expm.ts),
// so mathjs is neither downloaded nor evaluated before the first prediction of a mammillary model.
deferMatrixExponential();

/**
 * The simulation worker: exposes the simulation API and nothing else (DESIGN.md rule 7). `self` is
 * passed explicitly: comlink's default endpoint is `globalThis`, which @vitest/web-worker does not
 * replace (stack-notes pitfall 8); in a browser `self === globalThis`.
 */
Comlink.expose(deferredApi(api), self as unknown as Comlink.Endpoint);
