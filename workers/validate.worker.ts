// Validate worker entry: `Comlink.expose(validateApi, self)` for the dashboard's Validate view.
import * as Comlink from 'comlink';
import { validateApi } from './validate-api.ts';
import { installMathjsMatrixExponential } from '../engine/pk/mathjs-expm.ts';

// The general linear path's matrix exponential (mathjs expm), bundled with the worker.
installMathjsMatrixExponential();

/**
 * The validate worker: exposes the validate API and nothing else (DESIGN.md rule 7). `self` is passed
 * explicitly (comlink's default endpoint is `globalThis`, which @vitest/web-worker does not replace).
 */
Comlink.expose(validateApi, self as unknown as Comlink.Endpoint);
