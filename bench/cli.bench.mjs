// Wall time of `ketasim` commands as processes (median of N runs) against `node -e 0` and the old tsx path; appends to bench/RESULTS.md with --write.
//
//   node bench/cli.bench.mjs [--runs N] [--json] [--write]      (npm run bench:cli)
//
// Every command runs on a 4-hour plan (the example plan of docs/PLAN-FORMAT.md, 10-s grid) through
// bin/ketasim.mjs, exactly as a user runs it: the prebuilt bundle (build/ is brought up to date once,
// before timing). The budget is 0.3 s wall per command on a quiet machine; the baseline is the tsx path
// (TypeScript transpiled on every call, mathjs always imported) measured before the change.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../scripts/build-cli.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'ketasim.mjs');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 7;
const BUDGET_S = 0.3;

/**
 * The tsx path before the change (bin/ketasim.mjs → tsx → cli/ketasim.ts), one run each, 2 Dec 2026
 * 13:02 UTC, same machine (AMD EPYC, 2 cores), Node 20.20.2, 1-minute load 1.5 (shared machine).
 */
const BASELINE_S = {
  'node -e 0': 0.134,
  'ketasim --version': null, // did not exist
  'simulate (domino-1984, modal path)': 2.8,
  'simulate (simons-2022, general path)': 6.78,
  metrics: 4.07,
  models: 2.99,
  titrate: 3.98,
  'population --n 1000': 6.7,
};

const example = /```json\n([\s\S]*?)\n```/.exec(readFileSync(join(ROOT, 'docs/PLAN-FORMAT.md'), 'utf8'))[1];
const dir = mkdtempSync(join(tmpdir(), 'ketasim-cli-bench-'));
const plan = join(dir, 'plan.json');
const general = join(dir, 'general.json');
writeFileSync(plan, example);
writeFileSync(general, JSON.stringify({ ...JSON.parse(example), model: { id: 'simons-2022-s-ketamine-arterial' } }));

const CASES = [
  ['node -e 0', ['-e', '0']],
  ['ketasim --version', [BIN, '--version']],
  ['simulate (domino-1984, modal path)', [BIN, 'simulate', plan]],
  ['simulate (simons-2022, general path)', [BIN, 'simulate', general]],
  ['metrics', [BIN, 'metrics', plan]],
  ['models', [BIN, 'models']],
  ['titrate', [BIN, 'titrate', plan, '--reach-min', '10', '--duration-min', '40']],
  ['population --n 1000', [BIN, 'population', plan, '--n', '1000', '--seed', '1']],
];

/** Wall seconds of one process run (stdout discarded, which also exercises the streaming writer). */
function once(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${argv.slice(1).join(' ')}: exit ${r.status}: ${r.stderr}`);
  return s;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

await ensureBuilt();
const loadBefore = loadavg()[0];
const rows = [];
try {
  for (const [name, argv] of CASES) {
    once(argv); // warm the file cache
    const times = Array.from({ length: RUNS }, () => once(argv));
    rows.push({ name, median: median(times), min: Math.min(...times), max: Math.max(...times), baseline: BASELINE_S[name] });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const loadAfter = loadavg()[0];

const version = (pkg) => JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const env = {
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  node: process.version,
  ketasim: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
  esbuild: version('esbuild'),
  mathjs: version('mathjs'),
  comlink: version('comlink'),
  load: [loadBefore, loadAfter].map((x) => x.toFixed(2)).join(' → '),
  runs: RUNS,
};

const f = (x) => (x === null || x === undefined ? '—' : `${x.toFixed(3)} s`);
const table = [
  '| command (4-h plan) | median | min–max | tsx path before (baseline) | ≤ 0.3 s |',
  '|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.name} | **${f(r.median)}** | ${f(r.min)}–${f(r.max)} | ${f(r.baseline)} | ${r.name === 'node -e 0' ? '' : r.median <= BUDGET_S ? 'yes' : 'no'} |`,
  ),
].join('\n');

console.log(table);
console.log(
  `\n${env.date.slice(0, 16).replace('T', ' ')} UTC; ${env.cpu}, ${env.cores} cores; Node ${env.node}; ketasim ${env.ketasim}, esbuild ${env.esbuild}, mathjs ${env.mathjs}, comlink ${env.comlink}; 1-minute load ${env.load}; median of ${RUNS} runs`,
);
if (args.includes('--json')) console.log(JSON.stringify({ env, rows }));
if (args.includes('--write')) {
  appendFileSync(
    join(ROOT, 'bench/RESULTS.md'),
    `\n### CLI wall time (\`npm run bench:cli -- --write\`)

${env.date.slice(0, 16).replace('T', ' ')} UTC; ${env.cpu}, ${env.cores} cores; Node ${env.node}; ketasim ${env.ketasim}, esbuild ${env.esbuild},
mathjs ${env.mathjs}, comlink ${env.comlink}; 1-minute load ${env.load} (a shared machine: the budget is for a quiet one); median of
${RUNS} runs after one warm-up, each a fresh \`node bin/ketasim.mjs …\` process (the prebuilt bundle), stdout discarded.

${table}
`,
  );
  console.log('appended to bench/RESULTS.md');
}
