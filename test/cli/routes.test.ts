// Non-IV routes through the real `ketasim` process: simulate accepts intranasal and oral plans end to end; a route the model lacks exits 2 naming the models that have it.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/ketasim.mjs');

/** Run `node bin/ketasim.mjs …` with `stdin`; resolves with exit code, stdout and stderr. */
function run(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const plan = (model: string, regimen: unknown[], horizonMin = 240) =>
  JSON.stringify({ patient: { weightKg: 74, ageYears: 45 }, model: { id: model }, regimen, horizonMin, resolutionSec: 6 });

describe('ketasim simulate with non-IV routes (real process)', () => {
  it('intranasal 56 mg on perez-ruixo-2021-esketamine: JSON with cp peaking at Perez-Ruixo Table 4 (72.5 ng/mL, within 2%)', async () => {
    const r = await run(
      ['simulate', '-'],
      plan('perez-ruixo-2021-esketamine', [{ at: 0, dose: 56, unit: 'mg', route: 'intranasal' }]),
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { t: number[]; cp: number[]; ce: number[] };
    const peak = Math.max(...out.cp);
    expect(Math.abs(peak - 72.5) / 72.5).toBeLessThan(0.02);
    expect(out.t[out.cp.indexOf(peak)]).toBeGreaterThan(30);
    expect(out.cp[0]).toBe(0);
  }, 60_000);

  it('oral thin film 50 mg on simons-2022-s-ketamine-arterial as CSV, with an S-norketamine column', async () => {
    const r = await run(
      ['simulate', '-', '--format', 'csv'],
      plan('simons-2022-s-ketamine-arterial', [{ at: 0, dose: 50, unit: 'mg', route: 'oral' }], 360),
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/cm_ng_ml/);
    const cp = lines.slice(1).map((l) => Number(l.split(',')[1]));
    expect(Math.max(...cp)).toBeGreaterThan(80);
    expect(Math.max(...cp)).toBeLessThan(96);
  }, 60_000);

  it('a route the model does not have exits 2 with the field path and the models that have it', async () => {
    const r = await run(['simulate', '-'], plan('domino-1984', [{ at: 0, dose: 56, unit: 'mg', route: 'intranasal' }]));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^regimen\[0\]\.route: model domino-1984 has no intranasal route .*models that have it: perez-ruixo-2021-esketamine$/m,
    );
  }, 60_000);
});
