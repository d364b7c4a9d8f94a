// Simulation worker entry: `Comlink.expose(api, self)`.
import * as Comlink from 'comlink';
import { api } from './simulation-api.ts';
import { installMathjsMatrixExponential } from '../engine/pk/mathjs-expm.ts';

// The general linear path's matrix exponential (mathjs expm), bundled with the worker.
installMathjsMatrixExponential();

/**
 * The simulation worker: exposes the simulation API and nothing else (DESIGN.md rule 7). `self` is
 * passed explicitly: comlink's default endpoint is `globalThis`, which @vitest/web-worker does not
 * replace (stack-notes pitfall 8); in a browser `self === globalThis`.
 */
Comlink.expose(api, self as unknown as Comlink.Endpoint);
