// `ketasim population`: outputs with sources, thread-count independent, CSV, exit 2 for bad arguments (real process too).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../cli/main.ts';
import '../../cli/commands.ts';
import { parsePlanText } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { preparePopulation } from '../../engine/population/spec.ts';
import { runPopulationLocal } from '../../engine/population/local.ts';

/**
 * `ketasim population` in-process (cli/main.ts with an in-memory Io, real worker threads), and the
 * exit status of the real process for a bad argument.
 */
const PLAN = JSON.stringify({
  patient: { weightKg: 70 },
  model: { id: 'domino-1984' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin: 120,
  resolutionSec: 30,
});

async function cli(argv: string[], files: Record<string, string> = { 'plan.json': PLAN }) {
  const out: string[] = [];
  const written: Record<string, string> = {};
  const io: Io = {
    readFile(path) {
      if (!Object.hasOwn(files, path)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return files[path];
    },
    readStdin: () => PLAN,
    write: (t) => void out.push(t),
    writeFile: (path, t) => void (written[path] = t),
  };
  const stderr: string[] = [];
  const code = await main(argv, io, (line) => stderr.push(...line.split('\n')));
  return { code, stdout: out.join(''), stderr, written };
}

describe('ketasim population', () => {
  it('writes percentiles, probabilities, metric distributions, units and every parameter with its source (JSON)', async () => {
    const r = await cli(['population', 'plan.json', '--n', '300', '--seed', '7']);
    expect(r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.units).toEqual({ time: 'min', concentration: 'ng/mL', probability: 'fraction of virtual patients (0–1)' });
    expect(body.n).toBe(300);
    expect(body.t).toHaveLength(241);
    expect(Object.keys(body.ce)).toEqual(['p5', 'p25', 'p50', 'p75', 'p95']);
    expect(body.parameters.map((p: { name: string }) => p.name)).toEqual(['v1', 'k10', 'k12', 'k21', 'k13', 'k31', 'ke0']);
    for (const p of body.parameters) {
      expect(p.source).toMatch(/^ASSUMPTION: CV 30%/);
      expect(p.unit).toMatch(/^(L|1\/min)$/);
    }
    expect(body.assumptions.join(' ')).toMatch(/ASSUMPTION/);
    expect(body.probabilities.map((p: { band: string; bound: string }) => `${p.band}.${p.bound}`)).toContain('anaesthesia.high');
    expect(body.metrics.find((m: { id: string }) => m.id === 'recoveryMin').unit).toBe('min');
    // The numbers are the engine's, for the same seed.
    const plan = parsePlanText(PLAN, MODEL_IDS);
    if (!plan.ok) throw new Error('plan');
    const prep = preparePopulation(plan.plan, { n: 300, seed: 7 });
    if (!prep.ok) throw new Error('prepare');
    const ref = await runPopulationLocal(prep.job);
    expect(body.ce.p50).toEqual(Array.from(ref.ce[2]));
    expect(body.probabilities[0].ceAtLeast).toEqual(Array.from(ref.probabilities[0].atLeast));
  });

  it('the output does not depend on the number of threads', async () => {
    const one = await cli(['population', 'plan.json', '--n', '500', '--seed', '3', '--threads', '1', '--format', 'csv']);
    const two = await cli(['population', 'plan.json', '--n', '500', '--seed', '3', '--threads', '2', '--format', 'csv']);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });

  it('CSV: comment lines with sources and assumptions, a header with units, one row per grid point; --out writes the file', async () => {
    const r = await cli([
      'population',
      'plan.json',
      '--n',
      '50',
      '--seed',
      '1',
      '--cv',
      '0.2',
      '--format',
      'csv',
      '--out',
      'pop.csv',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.written['pop.csv'].trimEnd().split('\n');
    const comments = lines.filter((l) => l.startsWith('#'));
    expect(comments.some((l) => /parameter ke0 \(1\/min\).*ASSUMPTION: CV 20%/.test(l))).toBe(true);
    const header = lines[comments.length].split(',');
    expect(header[0]).toBe('t_min');
    expect(header).toContain('ce_p95_ng_per_ml');
    expect(header).toContain('p_ce_ge_dissociation_low_100_ng_per_ml');
    expect(lines.length - comments.length - 1).toBe(241);
  });

  it('bad arguments exit 2 with one line naming each option', async () => {
    const cases: [string[], RegExp][] = [
      [['population', 'plan.json', '--seed', '1'], /^--n: required/],
      [['population', 'plan.json', '--n', '0', '--seed', '1'], /^--n: must be an integer between 1 and/],
      [['population', 'plan.json', '--n', '10x', '--seed', '1'], /^--n: must be an integer/],
      [['population', 'plan.json', '--n', '10'], /^--seed: required/],
      [['population', 'plan.json', '--n', '10', '--seed', '-4'], /^--seed: must be an integer/],
      [['population', 'plan.json', '--n', '10', '--seed', '1', '--cv', '9'], /^--cv: must be a number between 0 and 3/],
      [['population', 'plan.json', '--n', '10', '--seed', '1', '--cv', 'abc'], /^--cv:/],
      [['population', 'plan.json', '--n', '10', '--seed', '1', '--format', 'xml'], /^--format: unknown format "xml"/],
      [['population', 'plan.json', '--n', '10', '--seed', '1', '--threads', '0'], /^--threads: must be an integer/],
      [['population', 'plan.json', '--n', '10', '--seed', '1', '--bogus', '1'], /^--bogus: unknown option/],
      [['population', '--n', '10', '--seed', '1'], /^PLAN: expected one plan file/],
      [['population', 'missing.json', '--n', '10', '--seed', '1'], /^PLAN: cannot read/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr[0], argv.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  it('an invalid plan exits 2 with the field path', async () => {
    const r = await cli(['population', 'bad.json', '--n', '10', '--seed', '1'], {
      'bad.json': PLAN.replace('"weightKg":70', '"weightKg":0'),
    });
    expect(r.code).toBe(2);
    expect(r.stderr[0]).toMatch(/^patient\.weightKg:/);
  });

  it('the real process exits with status 2 for a bad option, naming it on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ketasim-pop-'));
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, PLAN);
    const bin = new URL('../../bin/ketasim.mjs', import.meta.url).pathname;
    const bad = spawnSync(process.execPath, [bin, 'population', plan, '--n', 'many', '--seed', '1'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^--n: must be an integer/);
    expect(bad.stdout).toBe('');
  });
});
