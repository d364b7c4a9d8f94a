// Wall time of `ketasim` commands as processes (median of N runs) against `node -e 0` and the old tsx path; appends to bench/RESULTS.md with --write.
//
//   node bench/cli.bench.mjs [--runs N] [--json] [--write] [--against DIR]      (npm run bench:cli)
//
// Every command runs on a 4-hour plan (the example plan of docs/PLAN-FORMAT.md, 10-s grid) through
// bin/ketasim.mjs, exactly as a user runs it: the prebuilt bundle (build/ is brought up to date once,
// before timing). The budget is 0.3 s wall per command on a quiet machine; the baseline is the tsx path
// (TypeScript transpiled on every call, mathjs always imported) measured before the change.
//
// On a shared machine wall time follows the load, so each run also reports the main thread's own CPU
// time (Linux: /proc/self/task/<pid>/schedstat, read at exit by a `--import` hook; the critical path
// of a run, close to its wall time on a quiet machine: 0.13 s for `node -e 0` at load 13, against
// 0.147 s wall when quiet). `--against DIR` also runs DIR/ketasim.mjs (another build, e.g. of an older
// commit: `git worktree add`, `node scripts/build-cli.mjs` there) alternately with this one, run for
// run, so that both see the same load.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../scripts/build-cli.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'ketasim.mjs');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 7;
const againstAt = args.indexOf('--against');
const AGAINST = againstAt >= 0 ? join(args[againstAt + 1], 'ketasim.mjs') : null;
if (AGAINST !== null && !existsSync(AGAINST)) throw new Error(`--against: ${AGAINST} does not exist`);
const BUDGET_S = 0.3;
/** Prints the main thread's CPU time (ns, Linux schedstat) to stderr at exit; absent elsewhere. */
const CPU_HOOK =
  'data:text/javascript,import{existsSync,readFileSync,writeSync}from"node:fs";const f="/proc/self/task/"+process.pid+"/schedstat";' +
  'process.on("exit",()=>{if(existsSync(f))writeSync(2,"\\nketasim-bench-main-cpu-ns "+readFileSync(f,"utf8").split(" ")[0]+"\\n")})';

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
  'population --n 1000, code cache off': 6.7,
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
  // The same without bin/ketasim.mjs's code cache (what a command's first run costs, before it writes its cache).
  ['population --n 1000, code cache off', [BIN, 'population', plan, '--n', '1000', '--seed', '1'], { KETASIM_CODE_CACHE: '0' }],
];

/**
 * Wall seconds and main-thread CPU seconds (null where not measurable) of one process run (stdout
 * discarded, which also exercises the streaming writer).
 */
function once(argv, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', CPU_HOOK, ...argv], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${argv.slice(1).join(' ')}: exit ${r.status}: ${r.stderr}`);
  const cpu = /ketasim-bench-main-cpu-ns (\d+)/.exec(r.stderr);
  return { wall: s, cpu: cpu ? Number(cpu[1]) / 1e9 : null };
}
/** The same case with the `--against` build's bundle instead of bin/ketasim.mjs. */
const againstArgv = (argv) => (argv[0] === BIN ? [AGAINST, ...argv.slice(1)] : argv);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

await ensureBuilt();
const loadBefore = loadavg()[0];
const rows = [];
try {
  for (const [name, argv, env] of CASES) {
    once(argv, env); // warm the file cache (and write the command's code cache)
    if (AGAINST) once(againstArgv(argv), env);
    const runs = [],
      other = [];
    for (let k = 0; k < RUNS; k++) {
      runs.push(once(argv, env));
      if (AGAINST) other.push(once(againstArgv(argv), env));
    }
    const times = runs.map((r) => r.wall);
    const cpus = runs.every((r) => r.cpu !== null) ? runs.map((r) => r.cpu) : null;
    rows.push({
      name,
      median: median(times),
      min: Math.min(...times),
      max: Math.max(...times),
      cpu: cpus ? median(cpus) : null,
      baseline: BASELINE_S[name],
      against:
        AGAINST && other.length
          ? {
              median: median(other.map((r) => r.wall)),
              cpu: other.every((r) => r.cpu !== null) ? median(other.map((r) => r.cpu)) : null,
            }
          : null,
    });
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
  `| command (4-h plan) | median | min–max | main-thread CPU (median) |${AGAINST ? ' --against build: median, main-thread CPU |' : ''} tsx path before (baseline) | ≤ 0.3 s |`,
  `|---|---|---|---|${AGAINST ? '---|' : ''}---|---|`,
  ...rows.map(
    (r) =>
      `| ${r.name} | **${f(r.median)}** | ${f(r.min)}–${f(r.max)} | ${f(r.cpu)} |${AGAINST ? ` ${f(r.against?.median)}, ${f(r.against?.cpu)} |` : ''} ${f(r.baseline)} | ${r.name === 'node -e 0' ? '' : r.median <= BUDGET_S ? 'yes' : 'no'} |`,
  ),
].join('\n');

console.log(table);
console.log(
  `\n${env.date.slice(0, 16).replace('T', ' ')} UTC; ${env.cpu}, ${env.cores} cores; Node ${env.node}; ketasim ${env.ketasim}, esbuild ${env.esbuild}, mathjs ${env.mathjs}, comlink ${env.comlink}; 1-minute load ${env.load}; median of ${RUNS} runs`,
);
if (args.includes('--json')) console.log(JSON.stringify({ env, rows }));
if (args.includes('--write')) {
  const block = `### CLI wall time (\`npm run bench:cli -- --write\`)

${env.date.slice(0, 16).replace('T', ' ')} UTC; ${env.cpu}, ${env.cores} cores; Node ${env.node}; ketasim ${env.ketasim}, esbuild ${env.esbuild},
mathjs ${env.mathjs}, comlink ${env.comlink}; 1-minute load ${env.load} (a shared machine: the budget is for a quiet one); median of
${RUNS} runs after one warm-up (which writes the command's V8 code cache, bin/ketasim.mjs), each a fresh \`node bin/ketasim.mjs …\`
process (the prebuilt bundle), stdout discarded${
    AGAINST ? `; each run alternating with the same command on ${relative(ROOT, AGAINST) || AGAINST}` : ''
  }.

${table}
`;
  // After the last CLI section (before the heading that follows it), so the CLI results stay together.
  const file = join(ROOT, 'bench/RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const last = text.lastIndexOf('### CLI wall time (');
  const body = last < 0 ? -1 : text.indexOf('\n', last) + 1;
  const next = body <= 0 ? -1 : text.slice(body).search(/^#{1,3} /m);
  if (next >= 0) {
    const at = body + next;
    writeFileSync(file, `${text.slice(0, at)}${block}\n${text.slice(at)}`);
  } else appendFileSync(file, `\n${block}`);
  console.log('written to bench/RESULTS.md');
}
