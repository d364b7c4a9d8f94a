#!/usr/bin/env node
// The `ketasim` command: runs the prebuilt bundle build/ketasim.cjs (no TypeScript at run time) with V8's code cache.
//
// In a source checkout (cli/ and scripts/ present) it first checks, with one stat per input of the last
// build, that build/ is not older than the sources, and rebuilds it if it is (scripts/build-cli.mjs), so
// the command never runs stale code. An installed package has no sources and just runs the bundle.
//
// Code cache: the bundle runs as a vm.Script given the bytecode V8 saved from an earlier run of the same
// command (build/ketasim.<command>.<key>.v8cache), so that its functions are not parsed and compiled
// again: ~30–70 ms of CPU per call (bench/RESULTS.md, CLI). The key is a hash of the bundle's text, the
// Node version and the architecture, so a cache never serves another bundle (V8 itself rejects one made
// under other flags). A cache is written, by renaming a complete temporary file over it, after the first
// successful run of a command that found none (or found it rejected); where build/ is not writable
// (a read-only install) nothing is written and nothing else changes. KETASIM_CODE_CACHE=0 turns it off;
// KETASIM_CODE_CACHE=report names on stderr what happened (none, used, rejected, written).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const buildScript = new URL('../scripts/build-cli.mjs', import.meta.url);
if (existsSync(buildScript) && existsSync(new URL('../cli/ketasim.ts', import.meta.url))) {
  const { ensureBuilt } = await import(buildScript.href);
  try {
    await ensureBuilt();
  } catch (e) {
    process.stderr.write(`ketasim: cannot rebuild build/ from the sources: ${e.message}\n`);
    process.exit(1);
  }
}

const bundle = fileURLToPath(new URL('../build/ketasim.cjs', import.meta.url));
const source = readFileSync(bundle, 'utf8');
const mode = process.env.KETASIM_CODE_CACHE;
const useCache = mode !== '0';
// One cache per command (its own functions compiled); anything that is not a plain command word shares one.
const command = /^[a-z]{2,20}$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
const key = createHash('sha256').update(`${process.version} ${process.arch}\n`).update(source).digest('hex').slice(0, 16);
const cacheFile = bundle.replace(/\.cjs$/, `.${command}.${key}.v8cache`);
let cachedData;
if (useCache) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // none yet
  }
}
const script = new vm.Script(Module.wrap(source), {
  filename: bundle,
  cachedData,
  importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const state = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
if (useCache && state !== 'used') {
  process.once('exit', (code) => {
    if (code !== 0) return;
    let written = false;
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
      written = true;
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing was written
      }
    }
    if (mode === 'report') process.stderr.write(`ketasim: code cache ${state}${written ? ', written' : ''}\n`);
  });
} else if (mode === 'report')
  process.once('exit', () => process.stderr.write(`ketasim: code cache ${useCache ? state : 'off'}\n`));
const module = { exports: {} };
script.runInThisContext().call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
