// `ketasim titrate`: valid plan output, pump flags, unreachable exit 2, --out/--help, real process.
import { describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type Io } from '../../cli/main.ts';
import '../../cli/commands.ts';
import { parsePlan } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { planTitration } from '../../engine/tci/index.ts';

const input = {
  patient: { weightKg: 70, ageYears: 40 },
  model: { id: 'domino-1984' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin: 60,
  resolutionSec: 10,
  thresholds: [{ id: 'dissociation', lowNgMl: 120, highNgMl: 240 }],
};

async function run(args: string[], files: Record<string, string> = { 'plan.json': JSON.stringify(input) }, stdin = '') {
  const out: string[] = [],
    err: string[] = [],
    written: Record<string, string> = {};
  const io: Io = {
    readFile: (p) => {
      if (!(p in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return files[p];
    },
    readStdin: () => stdin,
    write: (t) => {
      out.push(t);
    },
    writeFile: (p, t) => {
      written[p] = t;
    },
  };
  // main() reports errors through `err`; the command writes its summary to the process's stderr.
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l !== ''),
    );
    return true;
  });
  try {
    const code = await main(['titrate', ...args], io, (l) => err.push(l));
    return { code, out: out.join(''), err, written };
  } finally {
    spy.mockRestore();
  }
}

describe('ketasim titrate', () => {
  it('prints a valid plan whose regimen is the proposal; patient, model, thresholds and grid from the input; horizon kept when longer', async () => {
    const r = await run(['plan.json', '--low', '100', '--high', '250', '--reach-min', '10', '--duration-min', '40']);
    expect(r.code).toBe(0);
    const parsed = parsePlan(JSON.parse(r.out), MODEL_IDS);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const plan = parsed.plan;
    expect(plan.patient).toEqual(input.patient);
    expect(plan.model).toEqual(input.model);
    expect(plan.thresholds).toEqual(input.thresholds);
    expect(plan.horizonMin).toBe(60);
    expect(plan.resolutionSec).toBe(10);
    const engine = planTitration({
      patient: input.patient,
      model: input.model,
      window: { lowNgMl: 100, highNgMl: 250 },
      reachMin: 10,
      durationMin: 40,
      horizonMin: 60,
    });
    if (!engine.ok) throw new Error(engine.code);
    expect(plan.regimen).toEqual(engine.regimen);
    expect(r.err[0]).toMatch(/^titrate: ok: Ce in 100-250 ng\/mL for \d+\.\d% of 10-40 min \(required 95\.0%\)/);
    expect(r.err[0]).toContain(`${(100 * engine.metrics.fractionInWindow).toFixed(1)}%`);
    expect(r.err.join('\n')).toMatch(/max Ce [\d.]+ ng\/mL, max Cp [\d.]+ ng\/mL \(cap 250\)/);
  });

  it("horizon = the session when the input's is shorter; the window defaults to the plan's dissociation threshold", async () => {
    const r = await run(['plan.json', '--reach-min', '10', '--duration-min', '90']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out);
    expect(plan.horizonMin).toBe(90);
    expect(r.err[0]).toContain('Ce in 120-240 ng/mL');
  });

  it('without a dissociation threshold in the plan, the window is the default band 100–250 ng/mL', async () => {
    const { thresholds: _omit, ...bare } = input;
    const r = await run(['-', '--reach-min', '10', '--duration-min', '40'], {}, JSON.stringify(bare));
    expect(r.code).toBe(0);
    expect(r.err[0]).toContain('Ce in 100-250 ng/mL');
    expect(JSON.parse(r.out).thresholds).toBeUndefined();
  });

  it('honours the pump flags: unit, step, maximum, interval, loading dose, plasma mode', async () => {
    const r = await run([
      'plan.json',
      '--reach-min',
      '5',
      '--duration-min',
      '30',
      '--unit',
      'mg/h',
      '--rate-step',
      '2.5',
      '--max-rate',
      '150',
      '--min-interval',
      '3',
      '--max-bolus',
      '0.3',
      '--mode',
      'plasma',
    ]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out);
    for (const e of plan.regimen) {
      if ('rate' in e) {
        expect(e.unit).toBe('mg/h');
        expect(Math.abs(e.rate / 2.5 - Math.round(e.rate / 2.5))).toBeLessThan(1e-9);
        expect(e.rate).toBeLessThanOrEqual(150);
        expect(e.at === 30 || Math.abs(e.at / 3 - Math.round(e.at / 3)) < 1e-9).toBe(true);
      } else {
        expect(e.at).toBe(0);
        expect(e.bolus).toBeLessThanOrEqual(0.3);
      }
    }
    expect(r.err[0]).toMatch(/^titrate: ok: Cp in/);
  });

  it('an unreachable window: exit 2, one line naming the code and why, and no plan', async () => {
    const r = await run([
      'plan.json',
      '--low',
      '1000',
      '--high',
      '1010',
      '--reach-min',
      '10',
      '--duration-min',
      '40',
      '--max-rate',
      '1',
    ]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(
      /^titrate: unreachable \(unreachable-max-rate\): at the maximum rate 1 mg\/kg\/h \(no loading dose allowed\) Ce peaks at 312\.\d ng\/mL within the 40-min session, below the window's low bound 1000 ng\/mL$/,
    );
  });

  it('invalid arguments: exit 2 naming the flag', async () => {
    const bad = async (args: string[]) => (await run(['plan.json', '--reach-min', '10', '--duration-min', '40', ...args])).err;
    expect(await bad(['--low', '300', '--high', '200'])).toEqual([
      "--high: must be a number above the window's low bound (300 ng/mL), got 200",
    ]);
    expect(await bad(['--max-rate', 'fast'])).toEqual(['--max-rate: must be a number, got "fast"']);
    expect(await bad(['--mode', 'brain'])).toEqual(['--mode: must be "effect" or "plasma", got "brain"']);
    expect((await bad(['--unit', 'mg/kg/hour']))[0]).toMatch(
      /^--unit: unknown rate unit "mg\/kg\/hour"; expected one of mg\/kg\/h, /,
    );
    expect(await bad(['--mode', 'plasma', '--max-cp', '300'])).toEqual([
      '--max-cp: applies to effect-site targeting only; in plasma mode the window bounds Cp',
    ]);
    expect(await bad(['--rate-step', '5'])).toEqual(['--rate-step: must not exceed the maximum rate (2 mg/kg/h), got 5']);
    expect(await bad(['--min-interval', '0'])).toEqual(['--min-interval: must be a number > 0 min, got 0']);
    expect(await bad(['--max-bolus', '-1'])).toEqual(['--max-bolus: must be a number ≥ 0 mg/kg, got -1']);
    const missing = await run(['plan.json', '--duration-min', '40']);
    expect(missing.code).toBe(2);
    expect(missing.err).toEqual(['--reach-min: required; minutes by which the concentration must be in the window']);
    const late = await run(['plan.json', '--reach-min', '50', '--duration-min', '40']);
    expect(late.err).toEqual(['--reach-min: must be ≥ 0 min and before the end of the session (40 min), got 50']);
    const noPlan = await run(['missing.json', '--reach-min', '10', '--duration-min', '40']);
    expect(noPlan.code).toBe(2);
    expect(noPlan.err[0]).toMatch(/^PLAN: cannot read "missing.json": ENOENT/);
  });

  it('--out writes the plan to a file and --help prints the usage with the exit statuses', async () => {
    const r = await run(['plan.json', '--reach-min', '10', '--duration-min', '40', '--out', 'proposal.json']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(parsePlan(JSON.parse(r.written['proposal.json']), MODEL_IDS).ok).toBe(true);
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('usage: ketasim titrate PLAN.json --reach-min M --duration-min D');
    expect(h.out).toContain('titrate: unreachable (CODE)');
    expect(h.out).toContain('unreachable-max-rate');
  });

  it('runs as a real process (bin/ketasim.mjs → cli/commands.ts → titrate): exit 0, the plan on stdout, the summary on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ketasim-titrate-'));
    try {
      const file = join(dir, 'plan.json');
      writeFileSync(file, JSON.stringify(input));
      const bin = join(import.meta.dirname, '../../bin/ketasim.mjs');
      const ok = spawnSync(process.execPath, [bin, 'titrate', file, '--reach-min', '10', '--duration-min', '40'], {
        encoding: 'utf8',
      });
      expect(ok.status).toBe(0);
      expect(parsePlan(JSON.parse(ok.stdout), MODEL_IDS).ok).toBe(true);
      expect(ok.stderr).toMatch(/^titrate: ok: Ce in 120-240 ng\/mL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
