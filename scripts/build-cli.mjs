// Builds the Node bundles into build/ (CLI, population worker, library entry, matrix exponential) with esbuild; `ensureBuilt` rebuilds only when sources are newer.
//
//   node scripts/build-cli.mjs            build now
//   node scripts/build-cli.mjs --if-stale build only if a source is newer than the last build
//
// Run by `npm run build:cli` and by `prepare` (so `npm ci` and `npm pack` build it), and by
// bin/ketasim.mjs and cli/population.ts in a source checkout before they use build/ (a cheap check:
// one stat per input of the last build). The installed package ships build/ and never rebuilds.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_DIR = join(ROOT_DIR, 'build');
/** Ending of the V8 code caches bin/ketasim.mjs writes beside build/ketasim.cjs. */
export const CODE_CACHE_SUFFIX = '.v8cache';
/** Inputs of the last build (paths relative to the root) and when it started (ms since the epoch). */
const MANIFEST = join(BUILD_DIR, 'inputs.json');

/**
 * The bundles. mathjs is never in them: cli/matrix-exponential.ts requires expm.cjs the first time a
 * general linear model runs, and expm.cjs is cli/pade-expm.ts, mathjs 15's `expm` ported to plain
 * numbers with the same bits (5 kB; the mathjs subset it replaces was ~180 kB and spent far longer
 * building its typed functions on its first call than computing: cli/pade-expm.ts).
 */
export const ENTRIES = [
  // CommonJS so that bin/ketasim.mjs can run it as a vm.Script with V8's code cache (bin/ketasim.mjs);
  // `import.meta.url` becomes the bundle's own file URL.
  {
    entry: 'cli/ketasim.ts',
    out: 'ketasim.cjs',
    format: 'cjs',
    define: { 'import.meta.url': '__ketasimBundleUrl' },
    preamble: "var __ketasimBundleUrl = require('node:url').pathToFileURL(__filename).href;",
  },
  { entry: 'cli/population-worker.ts', out: 'population-worker.mjs', format: 'esm' },
  { entry: 'cli/library.ts', out: 'index.mjs', format: 'esm' },
  { entry: 'cli/pade-expm.ts', out: 'expm.cjs', format: 'cjs' },
];

/** Files besides the bundles' own inputs whose change means a rebuild (dependency set, this script). */
const ALSO = ['package.json', 'package-lock.json', 'scripts/build-cli.mjs'];

/** Why build/ must be rebuilt, or null when it is up to date. */
export function staleReason() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return 'build/ has no build yet';
  }
  for (const e of ENTRIES) if (!existsSync(join(BUILD_DIR, e.out))) return `build/${e.out} is missing`;
  for (const f of manifest.inputs) {
    let m;
    try {
      m = statSync(join(ROOT_DIR, f)).mtimeMs;
    } catch {
      return `${f} is gone`;
    }
    if (m > manifest.builtAt) return `${f} changed since the last build`;
  }
  return null;
}

/** Write a file by renaming a temporary one over it, so a concurrent reader never sees half a file. */
function writeAtomic(path, contents) {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, contents);
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
}

/** Build every bundle into build/ now. Returns the number of inputs and the time taken. */
export async function build({ log = () => {} } = {}) {
  const started = Date.now();
  const esbuild = await import('esbuild');
  const version = JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')).version;
  mkdirSync(BUILD_DIR, { recursive: true });
  const inputs = new Set(ALSO);
  const results = await Promise.all(
    ENTRIES.map((e) =>
      esbuild.build({
        entryPoints: [join(ROOT_DIR, e.entry)],
        outfile: join(BUILD_DIR, e.out),
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: e.format,
        external: ['mathjs'],
        minify: e.minify ?? false,
        legalComments: 'eof',
        banner: {
          js:
            `// ketasim ${version}: ${e.out}, bundled from ${e.entry} by scripts/build-cli.mjs. Do not edit.` +
            (e.preamble ? `\n${e.preamble}` : ''),
        },
        define: e.define ?? {},
        metafile: true,
        write: false,
        logLevel: 'silent',
      }),
    ),
  );
  for (const r of results) {
    for (const f of Object.keys(r.metafile.inputs)) {
      const rel = relative(ROOT_DIR, join(ROOT_DIR, f));
      if (!rel.startsWith('node_modules') && !rel.startsWith('..')) inputs.add(rel);
    }
    for (const o of r.outputFiles) writeAtomic(o.path, o.contents);
  }
  // Code caches of the previous bundle (bin/ketasim.mjs) are keyed by its hash and never match again;
  // a bundle no entry makes any more (build/ketasim.mjs before it became ketasim.cjs) must not linger.
  const made = new Set(ENTRIES.map((e) => e.out));
  for (const f of readdirSync(BUILD_DIR)) {
    if (f.endsWith(CODE_CACHE_SUFFIX) || (/\.[cm]js$/.test(f) && !made.has(f))) rmSync(join(BUILD_DIR, f), { force: true });
  }
  writeAtomic(MANIFEST, JSON.stringify({ builtAt: started, inputs: [...inputs].sort() }, null, 1) + '\n');
  const ms = Date.now() - started;
  log(`build/: ${ENTRIES.map((e) => e.out).join(', ')} from ${inputs.size} inputs in ${ms} ms`);
  return { inputs: inputs.size, ms };
}

/** Build when stale; returns the build folder. */
export async function ensureBuilt({ log = () => {} } = {}) {
  const reason = staleReason();
  if (reason !== null) {
    log(`rebuilding build/ (${reason})`);
    await build({ log });
  }
  return BUILD_DIR;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const log = (line) => console.error(line);
  try {
    if (process.argv.includes('--if-stale')) await ensureBuilt({ log });
    else await build({ log });
  } catch (e) {
    console.error(`build-cli: ${e.message}`);
    process.exitCode = 1;
  }
}
