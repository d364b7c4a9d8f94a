#!/usr/bin/env node
// `npm run bench`: every benchmark in turn (each compares against its own baseline and prints its
// numbers; bench/RESULTS.md records them with date, machine and versions). Extra arguments are
// passed to each bench, e.g. `npm run bench -- --json`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const runner = join(here, '..', 'bin', 'run-ts.mjs');
// cli is plain JavaScript (the built command as processes); the others are TypeScript run through tsx.
const benches = ['cli', 'engine', 'live', 'population', 'ui'];
let failed = 0;
for (const name of benches) {
  const file = join(here, name === 'cli' ? 'cli.bench.mjs' : `${name}.bench.ts`);
  if (!existsSync(file)) {
    console.error(`bench ${name}: ${file} is missing`);
    failed++;
    continue;
  }
  console.log(`\n=== ${name} ===`);
  const argv = file.endsWith('.mjs') ? [file] : [runner, file];
  const r = spawnSync(process.execPath, [...argv, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`bench ${name}: exit ${r.status}`);
    failed++;
  }
}
process.exitCode = failed ? 1 : 0;
