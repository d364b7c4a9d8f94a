/**
 * `ketasim export` as a real process on its own: per-kg units converted with the plan's weight, a pump
 * still running at the horizon (comment line and warning), --out, stdin, argument errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/ketasim.mjs');
const dir = mkdtempSync(join(tmpdir(), 'ketasim-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function ketasim(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => l !== '') };
}

describe('ketasim export (real process)', () => {
  it('a running pump ends at the horizon, said in a comment line and a warning; only the covariates given; --out', () => {
    const plan = {
      patient: { weightKg: 80 },
      model: { id: 'kamp-2020' },
      regimen: [
        { at: 0, bolus: 500, unit: 'ug/kg' },
        { at: 10, rate: 0.25, unit: 'mg/kg/h' },
      ],
      horizonMin: 120,
      resolutionSec: 60,
    };
    const file = join(dir, 'data.csv');
    const r = ketasim(['export', '-', '--out', file], JSON.stringify(plan));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toEqual([
      expect.stringMatching(/^warning: the pump still runs at the horizon \(120 min\).*\(infusion-ends-at-horizon\)$/),
    ]);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('# note: the pump still runs at the horizon'))).toHaveLength(1);
    expect(lines.filter((l) => !l.startsWith('#'))).toEqual([
      'ID,TIME,AMT,RATE,DV,EVID,MDV,CMT,WT',
      '1,0,40,0,.,1,1,1,80', // 500 µg/kg × 80 kg
      '1,0.166666666666667,36.6666666666667,20,.,1,1,1,80', // 20 mg/h from 10 to 120 min
    ]);
  });

  it('an invalid plan exits 2 naming the field; --help exits 0', () => {
    const bad = ketasim(
      ['export', '-'],
      JSON.stringify({ patient: {}, model: { id: 'domino-1984' }, regimen: [], horizonMin: 60, resolutionSec: 10 }),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr[0]).toMatch(/^patient\.weightKg: required/);
    expect(ketasim(['export', '--help']).stdout).toMatch(/^usage: ketasim export PLAN\.json --format nonmem/);
  });
});
