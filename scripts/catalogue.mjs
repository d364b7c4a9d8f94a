#!/usr/bin/env node
// `npm run catalogue`: writes docs/FILES.md, the file catalogue, from the first comment of every source file.
//
// Each source file starts with a comment whose first sentence says what the file is for (README.md, "The file
// catalogue"). This script reads that sentence from every source file under the folders below and the top-level
// config files, and lists them grouped by folder, each folder with its one-line description from FOLDERS. The
// catalogue is generated so that a rename or a new file is one edit, not two; test/scripts/catalogue.test.ts runs
// `buildCatalogue` in memory and fails, naming the files, when docs/FILES.md is out of date, a source file has no
// first comment, or a folder has no description.
//
// `node scripts/catalogue.mjs` writes the file; `--check` only compares and exits 1 when it is out of date.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUT = 'docs/FILES.md';

/** The folders whose source files are catalogued, in the order the catalogue lists them (each with its subfolders). */
export const ROOTS = ['engine', 'workers', 'ui', 'cli', 'bin', 'scripts', 'bench', 'test', '.ci'];

/** Top-level config files that are catalogued (besides the folders above). */
export const TOP_LEVEL = [
  'package.json',
  'biome.json',
  'tsconfig.json',
  'tsconfig.base.json',
  'tsconfig.node.json',
  'vite.config.ts',
  'vitest.config.ts',
];

/**
 * Files whose format has no comments (strict JSON), so their line lives here. Keep this list to files that cannot
 * carry a comment: every other file says what it is for in its own first line.
 */
export const NO_COMMENT_FORMAT = {
  'package.json':
    'npm manifest: the `ketasim` bin, the scripts (start, build, test = `biome check . && tsc -b && vitest run`, bench*, oracle, catalogue), dependencies, Node ≥ 20.19.',
  'biome.json':
    'Biome formatter and linter settings, run by `npm test` as `biome check .` (JSON has no comments, so this line lives in scripts/catalogue.mjs).',
};

/** One line per folder. A folder under test/ that mirrors a source folder needs no entry (see folderDescription). */
export const FOLDERS = {
  '.': 'the top-level config files (package.json and README.md describe the rest)',
  '.ci': 'continuous integration: a clean clone, the two README commands, nothing done by hand',
  engine: 'pure TypeScript: no DOM, no Worker, no clock, no Math.random; time and seeds are arguments',
  'engine/dosing': 'the regimen as time-ordered dose actions (mg, mg/min)',
  'engine/live': 'Live mode: the pure logic of a running session (log, pump semantics, exact now-state, what-ifs)',
  'engine/models': 'one published PK model per file, each one `ModelDefinition` record, and the registry',
  'engine/pd': 'effect side: cited concentration bands, protocol presets, the personal dissociation band',
  'engine/pk': 'exact stepping: micro-constants (the one place), the modal form, general linear systems, ke0',
  'engine/research': 'the research commands over many plans (batch, dose sweeps) and the `meta` of their JSON output',
  'engine/population': 'virtual populations: variability, seeded sampling, kernels, exact percentiles, work split',
  'engine/safety': 'dose safety: cited dose limits and the warnings for a dose above them or in a suspect unit',
  'engine/tci': 'the titration planner: a pump programme that holds Ce or Cp in a window, or why it cannot',
  workers: 'thin comlink adapters over the engine (simulation, live, population pool) and their main-thread clients',
  ui: 'the React dashboard (built by Vite from ui/index.html)',
  'ui/chart': 'the concentration chart, dose track, scales and PNG export',
  'ui/components': 'panels of the Plan & predict view and shared form fields',
  'ui/course': 'Course-view rules that are not components: schedule from clinic settings, interaction notes',
  'ui/course-view': 'the Course view: patients by alias, sessions, scores, calendar, personal band',
  'ui/hooks': 'React hooks shared across views',
  'ui/live': 'Live mode and the titration planner UI',
  'ui/state': 'the scenario record (one plain-JSON state), its pure edits, share links, the simulation controller',
  'ui/storage': 'the course database (IndexedDB through dexie) and the course file',
  'ui/print': 'the one-page A4 plan sheet (print media)',
  'ui/privacy': 'detection of identifying text (names, record numbers, dates of birth, phones, e-mail) before it is stored',
  'ui/pump': 'pump programming: mL/h and mL at a syringe concentration, rounded to the pump step',
  'ui/settings': 'clinic settings kept in the browser: dose limits and their cited defaults',
  'ui/sweet-spot': 'the Sweet spot view: a dose axis against peak Ce, minutes in and above each band, cited trial doses',
  'ui/validate': 'the Validate view: a dataset dropped in the browser, registry models against it (Varvel 1992), fit charts',
  cli: 'the `ketasim` command: arguments, files and exit codes around the same engine',
  bin: 'executables run by npm',
  scripts: 'build, serve and maintenance scripts behind npm start/run (build helper, oracle run, catalogue) and build plugins',
  bench: 'benchmarks, each against a baseline; results with date, machine and versions in bench/RESULTS.md',
  test: 'Vitest: the tree mirrors the sources path for path; e2e drives the built app in a real Chromium',
  'test/e2e': 'end to end: the built dashboard in a real Chromium (global setup builds and serves dist/)',
  'test/fixtures/oracle': 'the 40-digit reference: 6 public and 24 fresh plan/reference pairs and the scripts that make them',
  'test/support': 'test helpers: the one tolerance measure, independent cross-check implementations, the Chromium finder',
};

/** Directories never walked (build output, dependencies, tool state; see .gitignore). */
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.vite', 'tmp', 'test-results']);
/** Scratch files that .gitignore ignores. */
const SKIP_FILE = /-tmp\.(ts|mjs|js)$|\.tsbuildinfo$/;
/** What counts as a source file: code, styles, pages, TypeScript configs and extensionless scripts under .ci/. */
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx|py|css|html|sh)$|(^|\/)tsconfig(\.[\w-]+)?\.json$|^\.ci\/[\w-]+$/;
/** A catalogue line longer than this (characters) is cut at a word and ends in '…'; the file's comment has the rest. */
const MAX_LENGTH = 240;
/** Comments that are directives, not descriptions. */
const DIRECTIVE = /^(\/\/\/\s*<reference|\/\/\s*@|\/\/\s*biome-ignore|\/\*\s*eslint|#\s*-\*-|#\s*(type|pylint):)/;

/** Source files under `root` (relative paths with '/', sorted). */
export function listSourceFiles(root = ROOT_DIR) {
  const files = [];
  const walk = (rel) => {
    for (const name of readdirSync(join(root, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      if (statSync(join(root, path)).isDirectory()) {
        if (!SKIP_DIRS.has(name)) walk(path);
      } else if (SOURCE.test(path) && !SKIP_FILE.test(name)) files.push(path);
    }
  };
  for (const dir of ROOTS) if (exists(join(root, dir))) walk(dir);
  for (const file of TOP_LEVEL) if (exists(join(root, file))) files.push(file);
  return files.sort(byPath);
}

/**
 * The first sentence of the file's first comment (after a shebang line and blank lines), or null when the file does
 * not start with a comment. A sentence ends at '.', '!' or '?' followed by a space and a capital letter or a backtick
 * (so "rel. error" does not end one), or at the end of the comment's first paragraph (a blank line or a list); a
 * sentence longer than MAX_LENGTH is cut at a word. Comment forms: `//`, `/* … *\/`, `#` and `"""…"""` (Python), `<!-- … -->` (HTML).
 */
export function firstComment(text) {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let i = lines[0]?.startsWith('#!') ? 1 : 0;
  while (i < lines.length && lines[i].trim() === '') i++;
  while (i < lines.length && DIRECTIVE.test(lines[i].trim())) i++;
  const first = (lines[i] ?? '').trim();
  const para = [];
  const take = (s) => {
    const t = s.trim();
    if (t === '') return para.length > 0; // a blank line ends the paragraph once it has begun
    if (para.length > 0 && /^([-*•]|\d+[.)])\s/.test(t)) return true; // so does a list
    para.push(t);
    return false;
  };
  if (first.startsWith('//') || (first.startsWith('#') && !first.startsWith('#!'))) {
    const marker = first.startsWith('//') ? /^\/\/\s?/ : /^#\s?/;
    for (let k = i; k < lines.length && marker.test(lines[k].trim()); k++) if (take(lines[k].trim().replace(marker, ''))) break;
  } else {
    const block = [
      [/^\/\*\*?/, '*/', /^\*(?!\/)\s?/],
      [/^<!--/, '-->', null],
      [/^("""|''')/, first.slice(0, 3), null],
    ].find(([open]) => open.test(first));
    if (!block) return null;
    const [open, close, margin] = block;
    let line = first.replace(open, '');
    for (let k = i; k < lines.length; line = lines[++k] ?? '') {
      const end = line.indexOf(close);
      let body = (end >= 0 ? line.slice(0, end) : line).trim();
      if (margin) body = body.replace(margin, '');
      if (take(body) || end >= 0) break;
    }
  }
  if (para.length === 0) return null;
  const joined = para.join(' ');
  const sentence = (/^.*?[.!?](?=\s+[A-Z`]|$)/.exec(joined)?.[0] ?? joined).trim();
  if (sentence.length <= MAX_LENGTH) return sentence;
  const cut = sentence.lastIndexOf(' ', MAX_LENGTH - 2);
  return `${sentence.slice(0, cut > 0 ? cut : MAX_LENGTH - 2).replace(/[\s,;:(]+$/, '')} …`;
}

/** The folder's one-line description: from FOLDERS, or for a test folder that mirrors a source folder, said so. */
export function folderDescription(folder, root = ROOT_DIR) {
  if (folder in FOLDERS) return FOLDERS[folder];
  const mirrored = folder.startsWith('test/') ? folder.slice('test/'.length) : null;
  if (mirrored && mirrored.split('/')[0] !== 'test' && exists(join(root, mirrored))) return `tests of ${mirrored}/`;
  return null;
}

/**
 * The catalogue as Markdown, and what keeps it from being complete: files without a first comment, folders without
 * a description. Reads the tree; writes nothing.
 */
export function buildCatalogue(root = ROOT_DIR) {
  const files = listSourceFiles(root);
  const missing = [];
  const byFolder = new Map();
  for (const path of files) {
    const text = readFileSync(join(root, path), 'utf8');
    const description = NO_COMMENT_FORMAT[path] ?? firstComment(text);
    if (description === null) missing.push(path);
    const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
    if (!byFolder.has(folder)) byFolder.set(folder, []);
    byFolder.get(folder).push({ path, description: description ?? '(no first comment)' });
  }
  const folders = [...byFolder.keys()].sort(byFolderOrder);
  const undescribed = folders.filter((f) => folderDescription(f, root) === null);
  const out = [
    '# KetaSim file catalogue',
    '',
    "Generated by `npm run catalogue` (scripts/catalogue.mjs) from the first sentence of each source file's first comment;",
    'do not edit by hand. `npm test` fails when this file is out of date (test/scripts/catalogue.test.ts). The',
    'architecture, pipeline and design decisions are in [README.md](../README.md).',
    '',
    `${files.length} files in ${folders.length} folders.`,
    '',
  ];
  for (const folder of folders) {
    const heading = folder === '.' ? 'Top level' : `${folder}/`;
    out.push(`## ${heading} — ${folderDescription(folder, root) ?? '(no folder description)'}`, '');
    for (const { path, description } of byFolder.get(folder)) out.push(`- \`${path}\` — ${description}`);
    out.push('');
  }
  return { text: out.join('\n'), files, missing, undescribed };
}

function exists(path) {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Paths in code-point order (the same on every machine and locale). */
function byPath(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Top level first, then ROOTS in their order, each folder before its subfolders, subfolders alphabetically. */
function byFolderOrder(a, b) {
  const rank = (f) => (f === '.' ? -1 : ROOTS.indexOf(f.split('/')[0]));
  return rank(a) - rank(b) || byPath(a, b);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { text, missing, undescribed } = buildCatalogue();
  for (const path of missing) console.error(`${path}: no first comment (start the file with one line saying what it is for)`);
  for (const folder of undescribed)
    console.error(`${folder}/: no folder description (add one to FOLDERS in scripts/catalogue.mjs)`);
  const target = join(ROOT_DIR, OUTPUT);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {}
    if (current !== text) console.error(`${OUTPUT} is out of date: run \`npm run catalogue\``);
    process.exitCode = current !== text || missing.length > 0 || undescribed.length > 0 ? 1 : 0;
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${OUTPUT}`);
    if (missing.length > 0 || undescribed.length > 0) process.exitCode = 1;
  }
}
