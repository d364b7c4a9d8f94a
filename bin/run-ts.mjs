#!/usr/bin/env node
// Run a TypeScript file with its arguments through tsx (bench and oracle scripts): node bin/run-ts.mjs FILE.ts [args…]
//
// A development tool only: the `ketasim` command itself runs prebuilt JavaScript (bin/ketasim.mjs).
// Like every Node entry, it fills the engine's matrix-exponential seam with mathjs loaded on first use.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
register();
const { installLazyMatrixExponential } = await import('../cli/matrix-exponential.ts');
installLazyMatrixExponential();
const [file, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], resolve(file), ...rest];
await import(pathToFileURL(resolve(file)).href);
