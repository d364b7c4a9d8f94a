// Dose safety, S-ketamine bands and the Olofsen 2022 ke0 through the real `ketasim` process: warnings on stderr and in meta, --dose-limits.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DOSE_LIMITS } from '../../engine/safety/dose-safety.ts';

/** Each case runs `node bin/ketasim.mjs …` as a user would and checks exit status, stdout and stderr. */
const BIN = join(import.meta.dirname, '../../bin/ketasim.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
function run(args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

let dir = '';
const file = (name: string, value: unknown) => {
  writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
  return name;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ketasim-safety-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plan = (regimen: unknown[], over: Record<string, unknown> = {}) => ({
  patient: { weightKg: 82, ageYears: 40 },
  model: { id: 'domino-1984' },
  regimen,
  horizonMin: 240,
  resolutionSec: 60,
  ...over,
});
const BIG = plan([{ at: 0, dose: 50, unit: 'mg/kg', overMin: 40 }]);
const SLIP = plan([{ at: 0, dose: 0.5, unit: 'mg', overMin: 40 }]);
const DEFAULT = plan([{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }], { patient: { weightKg: 70, ageYears: 40 } });
const warningLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('warning:'));
const RAISED = {
  singleDoseMgPerKg: { value: 60, unit: 'mg/kg', basis: 'clinic', citation: 'Test clinic protocol 2026', label: 'test clinic' },
};

describe('dose-above-limit and dose-unit-suspect: stderr and meta of every command that reads a plan', () => {
  it('simulate: 50 mg/kg over 40 min for 82 kg → one dose-above-limit line, the same warning in meta; exit 0', async () => {
    const r = await run(['simulate', file('big.json', BIG)]);
    expect(r.code).toBe(0);
    const lines = warningLines(r.stderr);
    expect(lines).toEqual([
      'warning: regimen[0]: 50 mg/kg over 40 min (4,100 mg) is above the single-dose limit of 4.5 mg/kg (369 mg for 82 kg; top of the Ketalar label IV induction range, 1–4.5 mg/kg) (was 50 mg meant?) (dose-above-limit)',
    ]);
    const meta = JSON.parse(r.stdout).meta;
    expect(meta.warnings.filter((w: { code: string }) => w.code.startsWith('dose-'))).toEqual([
      { code: 'dose-above-limit', message: lines[0].slice('warning: '.length, -' (dose-above-limit)'.length) },
    ]);
  });

  it('0.5 mg (not mg/kg) for 82 kg → dose-unit-suspect with the likely meant unit', async () => {
    const r = await run(['simulate', file('slip.json', SLIP), '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(warningLines(r.stderr)).toHaveLength(1);
    expect(warningLines(r.stderr)[0]).toMatch(
      /^warning: regimen\[0\]: 0\.5 mg over 40 min is 0\.0061 mg\/kg for 82 kg, .* a unit slip is likely \(was 0\.5 mg\/kg meant\?\) \(dose-unit-suspect\)$/,
    );
  });

  it('the default plan (70 kg, 0.5 mg/kg over 40 min, Domino) → no warning at all', async () => {
    const r = await run(['simulate', file('default.json', DEFAULT)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).meta.warnings).toEqual([]);
  });

  it('--dose-limits FILE raising the single-dose limit silences it (simulate, metrics); a total limit adds one', async () => {
    file('raised.json', RAISED);
    for (const args of [
      ['simulate', 'big.json', '--dose-limits', 'raised.json'],
      ['metrics', '--dose-limits=raised.json', 'big.json'],
    ]) {
      file('big.json', BIG);
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stderr, args.join(' ')).toBe('');
    }
    file('total.json', { ...RAISED, totalDoseMgPerKg: { ...RAISED.singleDoseMgPerKg, value: 10 } });
    const r = await run(['metrics', 'big.json', '--dose-limits', 'total.json']);
    expect(warningLines(r.stderr)).toEqual([
      'warning: regimen: the total of 4,100 mg (50 mg/kg) given over the 240-min plan is above the total-dose limit of 10 mg/kg (820 mg for 82 kg; test clinic) (dose-above-limit)',
    ]);
    expect(JSON.parse(r.stdout).warnings.map((w: { code: string }) => w.code)).toEqual(['dose-above-limit']);
  });

  it('batch, sweep, population, export and titrate print it too, and take --dose-limits', async () => {
    file('big.json', BIG);
    file('plans.ndjson', `${JSON.stringify(DEFAULT)}\n${JSON.stringify(BIG)}\n`);
    const cases: [string[], RegExp][] = [
      [
        ['batch', 'plans.ndjson', '--metrics'],
        /^warning: plan\[1\]: regimen\[0\]: 50 mg\/kg over 40 min .*\(dose-above-limit\)$/,
      ],
      [
        ['sweep', 'default.json', '--scale', '1,20'],
        /^warning: rows\[1\]: regimen\[0\]: 10 mg\/kg over 40 min .*\(dose-above-limit\)$/,
      ],
      [
        ['population', 'big.json', '--n', '20', '--seed', '1', '--threads', '1'],
        /^warning: regimen\[0\]: 50 mg\/kg .*\(dose-above-limit\)$/,
      ],
      [['export', 'big.json', '--format', 'nonmem'], /^warning: regimen\[0\]: 50 mg\/kg .*\(dose-above-limit\)$/],
    ];
    file('default.json', DEFAULT);
    for (const [args, line] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(
        warningLines(r.stderr).filter((l) => l.endsWith('(dose-above-limit)')),
        args.join(' '),
      ).toHaveLength(1);
      expect(
        warningLines(r.stderr).find((l) => l.endsWith('(dose-above-limit)')),
        args.join(' '),
      ).toMatch(line);
      if (args[0] === 'population')
        expect(JSON.parse(r.stdout).meta.warnings.map((w: { code: string }) => w.code)).toContain('dose-above-limit');
      const silenced = await run([...args, '--dose-limits', 'raised.json']);
      expect(silenced.code, args.join(' ')).toBe(0);
      expect(
        warningLines(silenced.stderr).filter((l) => l.endsWith('(dose-above-limit)')),
        `${args.join(' ')} --dose-limits`,
      ).toEqual([]);
    }
    // titrate: the proposal is checked; a pump allowed 40 mg/kg/h proposes rates above the cited 7 mg/kg/h.
    const t = await run([
      'titrate',
      'default.json',
      '--low',
      '1200',
      '--high',
      '2400',
      '--reach-min',
      '5',
      '--duration-min',
      '30',
      '--max-rate',
      '40',
      '--rate-step',
      '0.5',
    ]);
    expect(t.code).toBe(0);
    expect(
      warningLines(t.stderr).some((l) => /is above the infusion-rate limit of 7 mg\/kg\/h .*\(dose-above-limit\)$/.test(l)),
    ).toBe(true);
  });

  it('an invalid limits file: exit 2, one line per problem naming the field, nothing on stdout', async () => {
    file('bad.json', { singleDoseMgPerKg: { value: -1, unit: 'mg', basis: 'clinic', citation: 'x', label: 'x' }, typo: 1 });
    const r = await run(['simulate', 'big.json', '--dose-limits', 'bad.json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      '--dose-limits bad.json: limits.typo: unknown dose limit; expected one of singleDoseMgPerKg, totalDoseMgPerKg, rateMgPerKgPerH, smallestDoseMgPerKg, smallestRateMgPerKgPerH, unitSlipFraction',
      '--dose-limits bad.json: limits.singleDoseMgPerKg.value: must be a number > 0 (mg/kg), got -1',
      '--dose-limits bad.json: limits.singleDoseMgPerKg.unit: must be "mg/kg", got "mg"',
    ]);
    file('notjson.json', '{');
    const nj = await run(['metrics', 'big.json', '--dose-limits', 'notjson.json']);
    expect(nj.code).toBe(2);
    expect(nj.stderr).toMatch(/^--dose-limits: "notjson.json" is not JSON/);
    const missing = await run(['simulate', 'big.json', '--dose-limits', 'nope.json']);
    expect([missing.code, missing.stderr.trim()]).toEqual([2, '--dose-limits: cannot read "nope.json": ENOENT']);
    const none = await run(['simulate', 'big.json', '--dose-limits']);
    expect([none.code, none.stderr.trim()]).toEqual([2, '--dose-limits: needs a value (a JSON file of dose limits)']);
    // models and validate read no plan: the option is unknown there.
    const models = await run(['models', '--dose-limits', 'raised.json']);
    expect(models.code).toBe(2);
    expect(models.stderr).toMatch(/^--dose-limits: unknown option/);
  });

  it('every command that reads a plan documents --dose-limits in its --help, with the cited defaults', async () => {
    for (const cmd of ['simulate', 'metrics', 'batch', 'sweep', 'population', 'titrate', 'export']) {
      const r = await run([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toContain('--dose-limits FILE');
      expect(r.stdout, cmd).toContain(`singleDoseMgPerKg ${DEFAULT_DOSE_LIMITS.singleDoseMgPerKg!.value} mg/kg`);
      expect(r.stdout, cmd).toContain('totalDoseMgPerKg none');
    }
  });
});

describe('S-ketamine models on their own scale, and the Olofsen 2022 ke0', () => {
  const FANTA = plan([{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }], { model: { id: 'fanta-2015-s-ketamine' } });

  it('metrics for Fanta 2015: the S-ketamine bands (open: highNgMl null), the notice on stderr; no racemic dissociation band', async () => {
    const r = await run(['metrics', file('fanta.json', FANTA)]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.metrics.bands.map((b: { id: string; highNgMl: number | null }) => [b.id, b.highNgMl])).toEqual([
      ['s-ketamine-at-or-above-c50', null],
      ['s-ketamine-at-or-above-eeg-ic50', null],
    ]);
    expect(out.metrics.recoveryMin).toBeNull();
    expect(warningLines(r.stderr).filter((l) => l.endsWith('(s-ketamine-bands)'))).toEqual([
      expect.stringMatching(
        /^warning: S-ketamine model: .*No published S-ketamine band for: analgesia range; dissociation range; /,
      ),
    ]);
    const sweep = await run(['sweep', 'fanta.json', '--scale', '1', '--format', 'csv']);
    const [header, row] = sweep.stdout.trim().split('\n');
    const hi = header.split(',').findIndex((c) => c.startsWith('s-ketamine-at-or-above-c50') && c.includes('high'));
    expect(row.split(',')[hi]).toBe('');
  });

  it('"ke0": "olofsen-2022" with Fanta: ke0 = ln 2 / 8.3 /min, provenance "transferred" with its citation in meta', async () => {
    const r = await run([
      'simulate',
      file('olofsen.json', { ...FANTA, model: { id: 'fanta-2015-s-ketamine', ke0: 'olofsen-2022' } }),
    ]);
    expect(r.code).toBe(0);
    const meta = JSON.parse(r.stdout).meta;
    expect(meta.ke0.valuePerMin).toBe(Math.LN2 / 8.3);
    expect(meta.ke0.provenance).toBe('transferred');
    expect(meta.ke0.citation).toMatch(
      /^Olofsen E, Kamp J, .*doi:10\.1097\/ALN\.0000000000004176; estimated with .*transferred to Fanta/,
    );
    expect(warningLines(r.stderr).some((l) => l.endsWith('(transferred-ke0)'))).toBe(true);
    const m = JSON.parse((await run(['metrics', 'olofsen.json'])).stdout);
    expect(m.model).toMatchObject({ id: 'fanta-2015-s-ketamine', ke0PerMin: Math.LN2 / 8.3, ke0Source: 'transferred' });
  });

  it('a racemic model refuses it: exit 2 naming model.ke0 and the models it applies to', async () => {
    const r = await run([
      'simulate',
      file('domino-olofsen.json', { ...DEFAULT, model: { id: 'domino-1984', ke0: 'olofsen-2022' } }),
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(
      'model.ke0: "olofsen-2022" is a ke0 for S-ketamine concentrations and applies only to fanta-2015-s-ketamine, simons-2022-s-ketamine-arterial, flint-2017-s-ketamine-picu, perez-ruixo-2021-esketamine, not to domino-1984; give a number (1/min) or leave ke0 out',
    );
  });

  it('ketasim models lists the ke0 choices per model: JSON ke0Choices, text one line per named choice', async () => {
    const json = JSON.parse((await run(['models'])).stdout) as {
      id: string;
      ke0Choices: { choice: string; planValue: string | null; label: string; citation: string | null }[];
    }[];
    for (const m of json) {
      const s = [
        'fanta-2015-s-ketamine',
        'simons-2022-s-ketamine-arterial',
        'flint-2017-s-ketamine-picu',
        'perez-ruixo-2021-esketamine',
      ].includes(m.id);
      expect(
        m.ke0Choices.map((c) => c.planValue),
        m.id,
      ).toEqual(s ? [null, 'olofsen-2022'] : [null]);
      if (s) {
        expect(m.ke0Choices[1].label).toContain('a transfer to');
        expect(m.ke0Choices[1].citation).toContain('doi:10.1097/ALN.0000000000004176');
      }
    }
    const text = (await run(['models', '--format', 'text'])).stdout;
    expect(text.match(/ke0 choice "ke0": "olofsen-2022": Olofsen 2022 t½ke0 8\.3 min/g)).toHaveLength(4);
  });
});
