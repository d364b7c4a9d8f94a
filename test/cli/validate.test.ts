/**
 * `ketasim validate` and `ketasim export` together as real processes: export → observation rows from the
 * engine's own predictions → validate gives MDPE = MDAPE = 0; observations × 1.2 give 20; several models
 * side by side; every malformation refused naming line and column with nothing written.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { parsePlanText } from '../../engine/plan.ts';
import { predict } from '../../engine/predict.ts';
import { expectNear } from '../support/tolerance.ts';

const BIN = join(import.meta.dirname, '../../bin/ketasim.mjs');
const PLAN = join(import.meta.dirname, '../fixtures/research/plan.json');
const dir = mkdtempSync(join(tmpdir(), 'ketasim-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ketasim(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => l !== '') };
}
const parsed = parsePlanText(readFileSync(PLAN, 'utf8'), MODEL_IDS);
if (!parsed.ok) throw new Error('fixture plan refused');
const cp = predict(parsed.plan).trajectory.cp;
/** Observation times, min, on the plan's 10-s grid (index t·6), including dose times. */
const OBS_MIN = [0, 3, 5, 12, 25, 28, 44, 60, 70, 75, 100, 150, 240];

/**
 * The dataset `ketasim export` writes, plus observation rows (EVID 0, MDV 0) with DV = factor × the
 * engine's Cp, placed after any dose record at the same time (the engine reports the level after a dose).
 */
function withObservations(exported: string, factor: number): string {
  const lines = exported.trimEnd().split('\n');
  const header = lines.find((l) => l.startsWith('ID,'))!.split(',');
  const doses = lines.filter((l) => /^\d/.test(l));
  const covariates = doses[0].split(',').slice(header.indexOf('WT'));
  const rows = [
    ...doses.map((l) => ({ t: Number(l.split(',')[1]) * 60, order: 0, line: l })),
    ...OBS_MIN.map((t) => ({
      t,
      order: 1,
      line: ['1', String(t / 60), '.', '.', String(factor * cp[t * 6]), '0', '0', '1', ...covariates].join(','),
    })),
  ].sort((a, b) => a.t - b.t || a.order - b.order);
  return [...lines.filter((l) => l.startsWith('#')), header.join(','), ...rows.map((r) => r.line)].join('\n') + '\n';
}

describe('ketasim export (real process)', () => {
  it('writes the regimen as NONMEM dose records (mg, mg/h, h) with the covariates and the time unit', () => {
    const r = ketasim(['export', PLAN, '--format', 'nonmem']);
    expect(r.code).toBe(0);
    expect(r.stderr).toEqual([]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toContain('# time-unit: h');
    expect(lines.filter((l) => !l.startsWith('#'))).toEqual([
      'ID,TIME,AMT,RATE,DV,EVID,MDV,CMT,WT,AGE,SEX,HT',
      '1,0,17.5,0,.,1,1,1,70,40,1,168', // 0.25 mg/kg bolus
      '1,0.0833333333333333,17.5,52.5,.,1,1,1,70,40,1,168', // 0.5 mg/kg over 40 min from 5 min, paused at 25
      // 0.75 mg/kg/h from 28 min, until the end of the dose over 40 min (45 min) stops the one pump: 17 min.
      '1,0.466666666666667,14.875,52.5,.,1,1,1,70,40,1,168',
      '1,1,10,0,.,1,1,1,70,40,1,168', // 10-mg bolus at 60 min
    ]);
    expect(ketasim(['export', PLAN, '--format', 'csv']).stderr).toEqual(['--format: unknown format "csv"; expected nonmem']);
  });
});

describe('ketasim validate (real process)', () => {
  const exported = ketasim(['export', PLAN, '--format', 'nonmem']).stdout;

  it('round trip: export → observations from the engine → validate: MDPE = MDAPE = 0 (to 1e-9)', () => {
    const file = join(dir, 'exact.csv');
    writeFileSync(file, withObservations(exported, 1));
    const r = ketasim(['validate', file, '--model', 'domino-1984']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const m = out.models[0];
    expect(m.id).toBe('domino-1984');
    expect(m.subjects).toHaveLength(1);
    expect(m.subjects[0].n).toBe(OBS_MIN.length);
    expect(Math.abs(m.population.mdpe)).toBeLessThanOrEqual(1e-9);
    expect(m.population.mdape).toBeLessThanOrEqual(1e-9);
    expect(out.meta).toMatchObject({
      tool: 'ketasim',
      command: 'validate',
      models: [{ id: 'domino-1984', ke0: { provenance: 'published' } }],
    });
  });

  it('observations × 1.2: MDPE = MDAPE = 20; several models side by side; CSV', () => {
    const file = join(dir, 'high.csv');
    writeFileSync(file, withObservations(exported, 1.2));
    const r = ketasim(['validate', file, '--model', 'domino-1984', '--model', 'kamp-2020', '--model', 'hijazi-2003']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.models.map((m: { id: string }) => m.id)).toEqual(['domino-1984', 'kamp-2020', 'hijazi-2003']);
    const d = out.models[0];
    expectNear(d.population.mdpe, 20, 1e-9, 'MDPE');
    expectNear(d.population.mdape, 20, 1e-9, 'MDAPE');
    expect(d.population.wobble).toBeLessThanOrEqual(1e-9);
    expect(Object.keys(d.population)).toEqual(['mdpe', 'mdape', 'wobble', 'divergence', 'subjects', 'observations', 'skipped']);
    // Another model predicts differently, so its errors are not 20 %.
    expect(Math.abs(out.models[1].population.mdpe - 20)).toBeGreaterThan(1);
    expect(r.stderr.some((l) => /^warning: kamp-2020, subject 1: .*\(derived-ke0\)$/.test(l))).toBe(true);
    const csv = ketasim(['validate', file, '--model', 'domino-1984,kamp-2020', '--format', 'csv']);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('model,level,subject,n,skipped,subjects,mdpe_pct,mdape_pct,wobble_pct,divergence_pct_per_h');
    expect(lines).toHaveLength(5);
    expectNear(Number(lines[2].split(',')[6]), 20, 1e-9, 'pooled MDPE in CSV');
  });

  it('TIME in minutes: --time-unit min, and a file that says "# time-unit: h" contradicting it is refused', () => {
    const hours = withObservations(exported, 1).split('\n');
    const minutes = hours
      .filter((l) => !l.startsWith('#'))
      .map((l, i) =>
        i === 0
          ? l
          : l
              .split(',')
              .map((c, j) => (j === 1 && c ? String(Number(c) * 60) : c))
              .join(','),
      )
      .join('\n');
    const r = ketasim(['validate', '-', '--model', 'domino-1984', '--time-unit', 'min'], minutes);
    expect(r.code).toBe(0);
    expect(Math.abs(JSON.parse(r.stdout).models[0].population.mdpe)).toBeLessThanOrEqual(1e-9);
    const clash = ketasim(['validate', '-', '--model', 'domino-1984', '--time-unit', 'min'], hours.join('\n'));
    expect(clash.code).toBe(2);
    expect(clash.stderr[0]).toMatch(/^--time-unit: min contradicts the file's "# time-unit: h"/);
  });

  const HEAD = 'ID,TIME,AMT,RATE,DV,EVID,MDV,WT';
  const refused = (name: string, lines: string[], model = 'domino-1984') => {
    const file = join(dir, `${name}.csv`);
    writeFileSync(file, lines.join('\n') + '\n');
    const r = ketasim(['validate', file, '--model', model]);
    expect(r.code, name).toBe(2);
    expect(r.stdout, name).toBe('');
    return r.stderr;
  };

  it('malformed rows are refused naming line and column, and nothing is written', () => {
    expect(refused('text', [HEAD, '1,0,70,0,.,1,1,70', '1,1,.,.,high,0,0,70'])).toEqual([
      'line 3, column 5 (DV): expected a number, got "high"',
    ]);
    expect(refused('id', [HEAD, '1,0,70,0,.,1,1,70', ',1,.,.,100,0,0,70'])).toEqual([
      'line 3, column 1 (ID): missing subject ID',
    ]);
    expect(refused('amt', [HEAD, '1,0,.,0,.,1,1,70'])).toEqual(['line 2, column 3 (AMT): a dose record (EVID 1) needs AMT (mg)']);
    expect(refused('negative', [HEAD, '1,-1,70,0,.,1,1,70'])).toEqual(['line 2, column 2 (TIME): must be ≥ 0, got -1']);
    expect(refused('backwards', [HEAD, '1,0,70,0,.,1,1,70', '1,2,.,.,100,0,0,70', '1,1,.,.,100,0,0,70'])).toEqual([
      'line 4, column 2 (TIME): time goes backwards within subject 1 (1 after 2 on line 3)',
    ]);
    expect(refused('nowt', ['ID,TIME,AMT,RATE,DV,EVID,MDV', '1,0,70,0,.,1,1', '1,1,.,.,100,0,0'])).toEqual([
      'line 1: column WT is missing (body weight, kg; model domino-1984 scales with weight)',
    ]);
    expect(refused('bad-model', [HEAD, '1,0,70,0,.,1,1,70'], 'domino')[0]).toMatch(
      /^--model: unknown model "domino"; expected one of /,
    );
  });

  it('an unknown column is not an error: it is ignored', () => {
    const file = join(dir, 'extra.csv');
    writeFileSync(
      file,
      ['ID,TIME,AMT,RATE,DV,EVID,MDV,WT,SITE,OCC', '1,0,70,0,.,1,1,70,north,1', '1,1,.,.,100,0,0,70,north,1'].join('\n'),
    );
    const r = ketasim(['validate', file, '--model', 'domino-1984']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).models[0].subjects[0].n).toBe(1);
    expect(ketasim(['validate', '--help']).stdout).toMatch(/^usage: ketasim validate DATA\.csv --model ID/);
  });
});
