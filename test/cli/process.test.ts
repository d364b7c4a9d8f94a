// The CLI's hard edges through the real process (node bin/ketasim.mjs): --version/--help, size caps, streaming, EPIPE, ENOSPC, warnings, meta.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { gridPointCount, parsePlanText } from '../../engine/plan.ts';
import { predict } from '../../engine/predict.ts';
import { domino4h } from '../support/plans.ts';

/**
 * Each case runs `node bin/ketasim.mjs …` as a user would (the built bundle; bin/ rebuilds it first if
 * the sources are newer) and checks exit status, stdout and stderr.
 */
const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/ketasim.mjs');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

const plan = (over: Record<string, unknown> = {}) => JSON.stringify(domino4h(over));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI; `stdio` may give file descriptors for stdin/stdout; `firstChunkOnly` closes stdout after the first chunk. */
function run(args: string[], opts: { stdin?: string | number; stdout?: number; firstChunkOnly?: boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      stdio: [typeof opts.stdin === 'number' ? opts.stdin : 'pipe', opts.stdout ?? 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
      if (opts.firstChunkOnly) child.stdout?.destroy();
    });
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (typeof opts.stdin !== 'number') child.stdin?.end(opts.stdin ?? '');
  });
}

let dir = '';
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'ketasim-process-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ketasim as a process', () => {
  it('--version prints the package version; every command answers --help with its usage and exit 0', async () => {
    const v = await run(['--version']);
    expect(v).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    const cmds = ['simulate', 'metrics', 'models', 'population', 'titrate'];
    const helps = await Promise.all(cmds.map((c) => run([c, '--help'])));
    helps.forEach((h, i) => {
      expect(h.code, cmds[i]).toBe(0);
      expect(h.stderr).toBe('');
      expect(h.stdout.startsWith(`usage: ketasim ${cmds[i]}`), h.stdout).toBe(true);
    });
    // The plan-reading commands state the caps.
    for (const h of [helps[0], helps[1], helps[3], helps[4]]) expect(h.stdout).toMatch(/16 MiB[\s\S]*1 GiB/);
  });

  it('a plan over 16 MiB is refused with exit 2 before it is read whole: a regular file, /dev/zero, and stdin from /dev/zero', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 16 * 1024 * 1024 + 1); // sparse: its size alone refuses it
    const zero = openSync('/dev/zero', 'r');
    try {
      const [a, b, c] = await Promise.all([
        run(['simulate', big]),
        run(['metrics', '/dev/zero']),
        run(['simulate', '-'], { stdin: zero }),
      ]);
      for (const r of [a, b, c]) {
        expect(r.code, r.stderr).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(/^PLAN: .* is larger than 16 MiB, the size limit for a plan/);
      }
      expect(a.stderr).toContain('big.json');
      expect(c.stderr).toContain('standard input');
    } finally {
      closeSync(zero);
    }
  });

  it('the largest grid the contract accepts (10 million points) is streamed as CSV, every row written', async () => {
    const p = JSON.parse(plan({ horizonMin: 10080, resolutionSec: 0.0605 }));
    const count = gridPointCount(p.horizonMin, p.resolutionSec);
    expect(count).toBeGreaterThan(9_900_000);
    expect(count).toBeLessThanOrEqual(10_000_000);
    const path = file('huge.json', JSON.stringify(p));
    const r = await new Promise<{ code: number | null; lines: number; tail: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'simulate', path, '--format', 'csv'], { cwd: dir });
      let lines = 0;
      let tail = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
        tail = (tail + d.toString('latin1')).slice(-200);
      });
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, lines, tail, stderr }));
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toBe(count + 1);
    const last = r.tail.trimEnd().split('\n').pop()!.split(',').map(Number);
    expect(last[0]).toBe(((count - 1) * p.resolutionSec) / 60);
  });

  it('an output estimated above the 1 GiB cap is refused with exit 2 naming the cap, before anything is computed', async () => {
    const path = file('pop-huge.json', plan({ horizonMin: 10080, resolutionSec: 0.0605 }));
    const r = await run(['population', path, '--n', '10', '--seed', '1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^output: the population output would be up to \d+ MiB, above the 1024 MiB output cap; use a larger resolutionSec/,
    );
  });

  it('EPIPE (the reader of stdout goes away, as `| head -1`): exit 0, nothing on stderr', async () => {
    const path = file('fine.json', plan({ resolutionSec: 1 }));
    for (const format of ['json', 'csv']) {
      const r = await run(['simulate', path, '--format', format], { firstChunkOnly: true });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.length).toBeGreaterThan(0);
    }
  });

  it('ENOSPC: --out /dev/full and stdout redirected to /dev/full each print one line and exit 1', async () => {
    const path = file('p.json', plan());
    const full = openSync('/dev/full', 'w');
    try {
      const [out, redirected, metrics] = await Promise.all([
        run(['simulate', path, '--out', '/dev/full']),
        run(['simulate', path, '--format', 'csv'], { stdout: full }),
        run(['metrics', path], { stdout: full }),
      ]);
      expect(out.code).toBe(1);
      expect(out.stderr).toBe('--out: cannot write "/dev/full": ENOSPC\n');
      for (const r of [redirected, metrics]) {
        expect(r.code).toBe(1);
        expect(r.stderr).toBe('stdout: cannot write: ENOSPC\n');
      }
    } finally {
      closeSync(full);
    }
  });

  it('warnings: one stderr line each, "warning: <message> (<code>)", and listed in the JSON meta of simulate, metrics and population', async () => {
    const child = plan({ patient: { weightKg: 20, ageYears: 6 } });
    const path = file('child.json', child);
    const [sim, csv, met, pop] = await Promise.all([
      run(['simulate', path]),
      run(['simulate', path, '--format', 'csv']),
      run(['metrics', path]),
      run(['population', path, '--n', '50', '--seed', '2', '--threads', '1']),
    ]);
    const parsed = parsePlanText(child, MODEL_IDS);
    if (!parsed.ok) throw new Error('plan refused');
    const expected = predict(parsed.plan).warnings;
    expect(expected.some((w) => w.code === 'outside-population')).toBe(true);
    const lines = expected.map((w) => `warning: ${w.message} (${w.code})`);
    for (const r of [sim, csv, met]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr.trimEnd().split('\n')).toEqual(lines);
    }
    expect(JSON.parse(sim.stdout).meta.warnings).toEqual(expected);
    expect(JSON.parse(met.stdout).meta.warnings).toEqual(expected);
    expect(pop.code, pop.stderr).toBe(0);
    for (const l of pop.stderr.trimEnd().split('\n')) expect(l).toMatch(/^warning: .+ \([a-z0-9-]+\)$/);
    expect(pop.stderr).toContain('(outside-population)');
    expect(JSON.parse(pop.stdout).meta.warnings.map((w: { code: string }) => w.code)).toContain('outside-population');
  });

  it('meta: tool version, model id, ke0 and its provenance, units; a general-path model (the matrix exponential loaded on demand: cli/pade-expm.ts in the process, mathjs here) gives the engine’s numbers', async () => {
    const text = plan({ model: { id: 'simons-2022-s-ketamine-arterial' } });
    const r = await run(['simulate', file('simons.json', text)]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const parsed = parsePlanText(text, MODEL_IDS);
    if (!parsed.ok) throw new Error('plan refused');
    const p = predict(parsed.plan);
    expect(out.cp).toEqual(Array.from(p.trajectory.cp));
    expect(out.ce).toEqual(Array.from(p.trajectory.ce));
    expect(out.meta).toEqual({
      tool: 'ketasim',
      version: VERSION,
      command: 'simulate',
      model: { id: 'simons-2022-s-ketamine-arterial', name: p.model.definition!.name },
      ke0: { valuePerMin: p.model.ke0, provenance: 'derived' },
      units: { time: 'min', concentration: 'ng/mL', dose: 'mg', ke0: '1/min' },
      warnings: JSON.parse(JSON.stringify(p.warnings)),
    });
  });
});
