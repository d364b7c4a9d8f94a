/**
 * `npm run oracle -- SEED COUNT`: fresh exactness cases, end to end.
 *
 * Generates COUNT random plans with test/fixtures/oracle/make_cases.py (python3 + mpmath; each plan
 * with its exact 40-digit reference from reference.py) into a temporary directory, runs every plan
 * through the real command (`node bin/ketasim.mjs simulate PLAN`), and prints, per case and overall,
 * max |engine − reference| / max(reference) for cp and ce — the measure of test/support/tolerance.ts and of the
 * oracle contract. Exit status 0 when every error is ≤ 1e-9, 1 otherwise (or when a step fails), 2 for
 * bad arguments.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { maxRelativeError } from '../test/support/tolerance.ts';

/** The oracle contract: max relative error allowed for cp and ce. */
const TOLERANCE = 1e-9;
const root = resolve(import.meta.dirname, '..');
const generator = join(root, 'test/fixtures/oracle/make_cases.py');
const ketasim = join(root, 'bin/ketasim.mjs');

interface Output {
  t: number[];
  cp: number[];
  ce: number[];
}
interface Result {
  name: string;
  cp: number;
  ce: number;
  points: number;
  problem?: string;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run oracle -- SEED COUNT   (SEED an integer, COUNT an integer 1–1000)\n`);
  process.exit(2);
}

/** Run `node bin/ketasim.mjs simulate PLAN`; resolves with its exit code and output. */
function simulate(planPath: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [ketasim, 'simulate', planPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [],
      err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', fail);
    child.on('close', (code) =>
      done({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

async function check(dir: string, name: string): Promise<Result> {
  const run = await simulate(join(dir, `${name}.plan.json`));
  if (run.code !== 0) return { name, cp: NaN, ce: NaN, points: 0, problem: `ketasim exited ${run.code}: ${run.stderr.trim()}` };
  const engine = JSON.parse(run.stdout) as Output;
  const ref = JSON.parse(readFileSync(join(dir, `${name}.ref.json`), 'utf8')) as Output;
  if (engine.t.length !== ref.t.length) {
    return {
      name,
      cp: NaN,
      ce: NaN,
      points: engine.t.length,
      problem: `${engine.t.length} points, reference has ${ref.t.length}`,
    };
  }
  const tErr = maxRelativeError(engine.t, ref.t);
  const problem = tErr > 1e-12 ? `grid times differ from the reference (max relative ${tErr.toExponential(2)})` : undefined;
  return {
    name,
    cp: maxRelativeError(engine.cp, ref.cp),
    ce: maxRelativeError(engine.ce, ref.ce),
    points: ref.t.length,
    ...(problem && { problem }),
  };
}

async function main(): Promise<number> {
  const [seedArg, countArg, ...extra] = process.argv.slice(2);
  if (seedArg === undefined || countArg === undefined || extra.length > 0) usage('expected SEED and COUNT');
  if (!/^-?\d+$/.test(seedArg)) usage(`SEED: must be an integer, got ${JSON.stringify(seedArg)}`);
  if (!/^\d+$/.test(countArg) || Number(countArg) < 1 || Number(countArg) > 1000)
    usage(`COUNT: must be an integer 1–1000, got ${JSON.stringify(countArg)}`);

  const dir = mkdtempSync(join(tmpdir(), 'ketasim-oracle-'));
  let keep = false;
  try {
    process.stdout.write(
      `generating ${countArg} cases with seed ${seedArg} in ${dir} (make_cases.py, 40-digit mpmath reference)\n`,
    );
    const gen = spawnSync('python3', [generator, seedArg, countArg, dir, 'case'], { encoding: 'utf8' });
    if (gen.error || gen.status !== 0) {
      process.stderr.write(`make_cases.py failed (needs python3 with mpmath): ${gen.error?.message ?? gen.stderr.trim()}\n`);
      return 1;
    }
    const names = readdirSync(dir)
      .filter((f) => f.endsWith('.plan.json'))
      .map((f) => f.slice(0, -'.plan.json'.length))
      .sort();
    if (names.length !== Number(countArg)) {
      process.stderr.write(`expected ${countArg} cases, make_cases.py wrote ${names.length}\n`);
      return 1;
    }

    // Run the cases through the real command, a few processes at a time.
    const results: Result[] = new Array(names.length);
    let next = 0;
    const worker = async () => {
      while (next < names.length) {
        const i = next++;
        results[i] = await check(dir, names[i]);
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: Math.max(1, Math.min(availableParallelism(), 4)) }, worker));

    process.stdout.write(`\ncase      points   cp max|Δ|/max(ref)   ce max|Δ|/max(ref)\n`);
    let worstCp = 0,
      worstCe = 0,
      failed = 0;
    for (const r of results) {
      const bad = r.problem !== undefined || !(r.cp <= TOLERANCE) || !(r.ce <= TOLERANCE);
      if (bad) failed++;
      worstCp = Math.max(worstCp, Number.isNaN(r.cp) ? Infinity : r.cp);
      worstCe = Math.max(worstCe, Number.isNaN(r.ce) ? Infinity : r.ce);
      const cell = (x: number) => (Number.isNaN(x) ? '—' : x.toExponential(3)).padStart(20);
      process.stdout.write(
        `${r.name.padEnd(8)} ${String(r.points).padStart(7)} ${cell(r.cp)} ${cell(r.ce)}${bad ? '   FAIL' : ''}${r.problem ? `  (${r.problem})` : ''}\n`,
      );
    }
    process.stdout.write(
      `\noverall (${names.length} cases, seed ${seedArg}, ${((Date.now() - started) / 1000).toFixed(1)} s through the CLI): ` +
        `cp ${worstCp.toExponential(3)}, ce ${worstCe.toExponential(3)} (limit ${TOLERANCE})\n`,
    );
    if (failed > 0) {
      keep = true;
      process.stdout.write(`${failed} case(s) exceed ${TOLERANCE} or failed; plans and references kept in ${dir}\n`);
      return 1;
    }
    process.stdout.write('all within the limit\n');
    return 0;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
