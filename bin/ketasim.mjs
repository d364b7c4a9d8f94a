#!/usr/bin/env node
// The `ketasim` command: runs the prebuilt bundle build/ketasim.mjs (no TypeScript at run time).
//
// In a source checkout (cli/ and scripts/ present) it first checks, with one stat per input of the last
// build, that build/ is not older than the sources, and rebuilds it if it is (scripts/build-cli.mjs), so
// the command never runs stale code. An installed package has no sources and just runs the bundle.
import { existsSync } from 'node:fs';

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
await import('../build/ketasim.mjs');
