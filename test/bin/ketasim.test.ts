// bin/ketasim.mjs's V8 code cache through the real process: written after a first successful run, used after, rejected and rewritten when bad, never stale.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../scripts/build-cli.mjs';
import { domino4h } from '../support/plans.ts';

/**
 * The command runs from a copy of bin/ and build/ in a temporary folder, laid out as an installed
 * package (no sources, so bin/ never rebuilds there): the caches it writes are this test's alone.
 */
const ROOT = join(import.meta.dirname, '../..');
let dir = '';
let plan = '';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
const run = (args: string[], cache = 'report'): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(dir, 'bin/ketasim.mjs'), ...args],
      { cwd: dir, env: { ...process.env, KETASIM_CODE_CACHE: cache }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
const caches = () => readdirSync(join(dir, 'build')).filter((f) => f.endsWith('.v8cache'));
/** The code-cache line on stderr; the rest of stderr (the command's own lines) separately. */
const split = (r: Run) => {
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  return {
    cache: lines.filter((l) => l.startsWith('ketasim: code cache')).join('\n'),
    rest: lines.filter((l) => !l.startsWith('ketasim: code cache')),
  };
};

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ketasim-bin-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'build'));
  copyFileSync(join(ROOT, 'bin/ketasim.mjs'), join(dir, 'bin/ketasim.mjs'));
  for (const f of readdirSync(join(ROOT, 'build')))
    if (/\.(cjs|mjs)$/.test(f)) copyFileSync(join(ROOT, 'build', f), join(dir, 'build', f));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'copy', private: true, type: 'module' }));
  plan = join(dir, 'plan.json');
  writeFileSync(plan, JSON.stringify(domino4h()));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bin/ketasim.mjs code cache', () => {
  it('none → written on the first run, used on the next; the output is the same each time', async () => {
    const first = await run(['simulate', plan, '--format', 'csv']);
    expect(first.code, first.stderr).toBe(0);
    expect(split(first).cache).toBe('ketasim: code cache none, written');
    expect(caches()).toHaveLength(1);
    expect(caches()[0]).toMatch(/^ketasim\.simulate\.[0-9a-f]{16}\.v8cache$/);
    const second = await run(['simulate', plan, '--format', 'csv']);
    expect(split(second).cache).toBe('ketasim: code cache used');
    expect(second.stdout).toBe(first.stdout);
    expect(split(second).rest).toEqual(split(first).rest);
    // Off: no cache read or written, same output.
    const off = await run(['simulate', plan, '--format', 'csv'], '0');
    expect(off.stdout).toBe(first.stdout);
    expect(off.stderr).toBe(first.stderr.replace('ketasim: code cache none, written\n', ''));
  });

  it('a damaged cache is rejected by V8 and replaced; the command is unaffected', async () => {
    const good = await run(['models']);
    expect(good.code).toBe(0);
    const file = join(dir, 'build', caches().find((f) => f.startsWith('ketasim.models.'))!);
    writeFileSync(file, Buffer.alloc(4096, 7));
    const bad = await run(['models']);
    expect(bad.code).toBe(0);
    expect(split(bad).cache).toBe('ketasim: code cache rejected, written');
    expect(bad.stdout).toBe(good.stdout);
    expect(readFileSync(file).equals(Buffer.alloc(4096, 7))).toBe(false);
    expect(split(await run(['models'])).cache).toBe('ketasim: code cache used');
  });

  it('a changed bundle never meets its old cache (the key is a hash of the bundle text)', async () => {
    await run(['--version']);
    expect(split(await run(['--version'])).cache).toBe('ketasim: code cache used');
    const bundle = join(dir, 'build/ketasim.cjs');
    writeFileSync(bundle, readFileSync(bundle, 'utf8') + '\n// changed\n');
    const changed = await run(['--version']);
    expect(changed.code).toBe(0);
    expect(split(changed).cache).toBe('ketasim: code cache none, written');
  });

  it('a failing run writes no cache', async () => {
    const before = caches();
    const r = await run(['metrics', join(dir, 'no-such-plan.json')]);
    expect(r.code).toBe(2);
    expect(split(r).cache).toBe('');
    expect(split(r).rest.join('\n')).toMatch(/no-such-plan\.json/);
    expect(caches()).toEqual(before);
  });
});
