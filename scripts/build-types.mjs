// Emits the `ketasim` package's type declarations (build/types/, from engine/index.ts) with tsc, with import specifiers a consumer resolves.
//
//   node scripts/build-types.mjs
//
// Run by `prepare` after scripts/build-cli.mjs. The sources import each other with `.ts` extensions
// (allowImportingTsExtensions); tsc keeps those specifiers in declarations, where a consumer's compiler
// would look for .ts files that the package does not ship, so they are rewritten to `.js`, which every
// module resolution mode maps to the `.d.ts` beside it.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROOT_DIR } from './build-cli.mjs';

const OUT = join(ROOT_DIR, 'build', 'types');

/** Every .d.ts under a folder. */
function declarations(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? declarations(join(dir, e.name)) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

rmSync(OUT, { recursive: true, force: true });
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT_DIR, 'tsconfig.lib.json')], { cwd: ROOT_DIR, stdio: 'inherit' });
if (r.status !== 0) {
  console.error(`build-types: tsc exited with ${r.status}; build/types is incomplete`);
  process.exit(1);
}
let files = 0;
for (const f of declarations(OUT)) {
  const text = readFileSync(f, 'utf8');
  // from './x.ts' | import('./x.ts') | declare module './x.ts' — relative specifiers only.
  const fixed = text.replace(/(['"])(\.{1,2}\/[^'"]*?)\.ts\1/g, '$1$2.js$1');
  if (fixed !== text) writeFileSync(f, fixed);
  files++;
}
console.error(`build/types: ${files} declaration files`);
