// In-process CLI: simulate (JSON/CSV = `predict()`, --out, stdin), metrics, models, usage and argument errors.
import { describe, expect, it } from 'vitest';
import { main, usage, type Io } from '../../cli/main.ts';
import '../../cli/commands.ts';
import { parsePlanText } from '../../engine/plan.ts';
import { MODELS, MODEL_IDS } from '../../engine/models/registry.ts';
import { derivedKe0, predict, referenceTimeToPeakMin } from '../../engine/predict.ts';
import { computeMetrics } from '../../engine/metrics.ts';
import { bandsForPlan } from '../../engine/pd/bands.ts';

/**
 * The `ketasim` command in-process (cli/main.ts with an in-memory Io): simulate (JSON, CSV, --out,
 * stdin), metrics, models, usage and argument errors. The end-to-end process is exercised in
 * test/engine/plan.test.ts.
 */

const PLAN = JSON.stringify({
  patient: { weightKg: 64, ageYears: 35 },
  model: { id: 'domino-1984' },
  regimen: [
    { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
    { at: 12.345, bolus: 5, unit: 'mg' },
    { at: 50, rate: 0.3, unit: 'mg/kg/h' },
    { at: 70, rate: 0 },
  ],
  horizonMin: 120,
  resolutionSec: 20,
});
const KAMP_CHILD = JSON.stringify({
  patient: { weightKg: 30, ageYears: 10 },
  model: { id: 'kamp-2020' },
  regimen: [{ at: 0, bolus: 1, unit: 'mg/kg' }],
  horizonMin: 60,
  resolutionSec: 30,
  thresholds: [
    { id: 'dissociation', lowNgMl: 150, highNgMl: 300 },
    { id: 'deep', lowNgMl: 1000 },
  ],
});

async function cli(argv: string[], opts: { files?: Record<string, string>; stdin?: string; io?: Partial<Io> } = {}) {
  const out: string[] = [];
  const written: Record<string, string> = {};
  const files = opts.files ?? { 'plan.json': PLAN };
  const io: Io = {
    readFile(path) {
      if (!Object.hasOwn(files, path)) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
      return files[path];
    },
    readStdin: () => opts.stdin ?? '',
    write: (t) => void out.push(t),
    writeFile: (path, t) => void (written[path] = t),
    ...opts.io,
  };
  const stderr: string[] = [];
  const code = await main(argv, io, (line) => stderr.push(...line.split('\n')));
  return { code, stdout: out.join(''), stderr, written };
}
function expected(text: string) {
  const r = parsePlanText(text, MODEL_IDS);
  if (!r.ok) throw new Error('test plan refused');
  return { plan: r.plan, prediction: predict(r.plan) };
}

describe('ketasim simulate', () => {
  it('JSON: { t, cp, ce, meta } with t, cp, ce equal to predict() number for number', async () => {
    const r = await cli(['simulate', 'plan.json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toEqual([]);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['t', 'cp', 'ce', 'meta']);
    const { trajectory } = expected(PLAN).prediction;
    expect(out.t).toHaveLength(361);
    expect(out.t).toEqual(Array.from(trajectory.t));
    expect(out.cp).toEqual(Array.from(trajectory.cp));
    expect(out.ce).toEqual(Array.from(trajectory.ce));
    expect(out.cp[0]).toBe(0);
    expect(Math.max(...out.cp)).toBeGreaterThan(0);
  });

  it('CSV: a header naming units, then one row per grid time, equal to predict()', async () => {
    for (const argv of [
      ['simulate', 'plan.json', '--format', 'csv'],
      ['simulate', '--format=csv', 'plan.json'],
    ]) {
      const r = await cli(argv);
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('t_min,cp_ng_per_ml,ce_ng_per_ml');
      const { trajectory } = expected(PLAN).prediction;
      expect(lines).toHaveLength(trajectory.t.length + 1);
      lines.slice(1).forEach((line, j) => {
        expect(line.split(',').map(Number)).toEqual([trajectory.t[j], trajectory.cp[j], trajectory.ce[j]]);
      });
    }
  });

  it('--out FILE writes the same text to the file and nothing to stdout; --out - writes to stdout', async () => {
    const toStdout = await cli(['simulate', 'plan.json']);
    const toFile = await cli(['simulate', 'plan.json', '--out', 'result.json']);
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toBe('');
    expect(toFile.written).toEqual({ 'result.json': toStdout.stdout });
    const csv = await cli(['simulate', 'plan.json', '--format', 'csv', '--out', 'r.csv']);
    expect(csv.written['r.csv'].startsWith('t_min,cp_ng_per_ml,ce_ng_per_ml\n')).toBe(true);
    const dash = await cli(['simulate', 'plan.json', '--out', '-']);
    expect(dash.stdout).toBe(toStdout.stdout);
    expect(dash.written).toEqual({});
  });

  it('"-" reads the plan from stdin, with the same output as the file', async () => {
    const fromFile = await cli(['simulate', 'plan.json']);
    const fromStdin = await cli(['simulate', '-'], { files: {}, stdin: PLAN });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  });

  it('custom models and per-kg units reach the engine unchanged (a second plan)', async () => {
    const text = JSON.stringify({
      patient: { weightKg: 82.5 },
      model: { v1: 12, cl1: 1.1, v2: 30, cl2: 2.2, ke0: 0.7 },
      regimen: [
        { at: 0.55, bolus: 1500, unit: 'ug/kg' },
        { at: 3, rate: 10, unit: 'ug/kg/min' },
        { at: 33.3, rate: 0 },
      ],
      horizonMin: 45,
      resolutionSec: 7,
    });
    const r = await cli(['simulate', 'p.json'], { files: { 'p.json': text } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const { trajectory } = expected(text).prediction;
    expect(out.cp).toEqual(Array.from(trajectory.cp));
    expect(out.ce).toEqual(Array.from(trajectory.ce));
  });
});

describe('ketasim metrics', () => {
  it('JSON with units, the model and its ke0 provenance, warnings and the metrics computeMetrics gives', async () => {
    const r = await cli(['metrics', 'k.json'], { files: { 'k.json': KAMP_CHILD } });
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(Object.keys(body)).toEqual(['units', 'model', 'warnings', 'metrics', 'meta']);
    expect(body.units).toEqual({ time: 'min', concentration: 'ng/mL', dose: 'mg' });
    const { plan, prediction } = expected(KAMP_CHILD);
    expect(body.model).toEqual({ id: 'kamp-2020', ke0PerMin: prediction.model.ke0, ke0Source: 'derived' });
    expect(body.warnings.map((w: { code: string }) => w.code).sort()).toEqual(['derived-ke0', 'outside-population']);
    const m = computeMetrics(prediction.trajectory, bandsForPlan(plan.thresholds), prediction.actions, 30);
    expect(body.metrics).toEqual(JSON.parse(JSON.stringify(m)));
    expect(Object.keys(body.metrics)).toEqual([
      'peakCpNgMl',
      'peakCpMin',
      'peakCeNgMl',
      'peakCeMin',
      'bands',
      'lastDoseEndMin',
      'recoveryMin',
      'recoveryLevelNgMl',
      'totalDoseMg',
      'totalDoseMgPerKg',
    ]);
    expect(body.metrics.bands.map((b: { id: string }) => b.id)).toEqual(['dissociation', 'deep']);
    expect(Object.keys(body.metrics.bands[0])).toEqual([
      'id',
      'lowNgMl',
      'highNgMl',
      'minutesInside',
      'minutesAbove',
      'firstEntryMin',
      'lastExitMin',
    ]);
    expect(body.metrics.bands[1].highNgMl).toBeNull();
    expect(body.metrics.totalDoseMg).toBe(30);
    expect(body.metrics.totalDoseMgPerKg).toBe(1);
    expect(body.metrics.recoveryLevelNgMl).toBe(150);
  });
  it('a published ke0 and an override are reported as such; --out writes the file', async () => {
    const pub = await cli(['metrics', 'plan.json', '--out', 'm.json']);
    expect(pub.stdout).toBe('');
    expect(JSON.parse(pub.written['m.json']).model).toEqual({ id: 'domino-1984', ke0PerMin: 0.238, ke0Source: 'published' });
    const over = JSON.parse(PLAN);
    over.model.ke0 = 0.5;
    const r = await cli(['metrics', '-'], { files: {}, stdin: JSON.stringify(over) });
    expect(JSON.parse(r.stdout).model).toEqual({ id: 'domino-1984', ke0PerMin: 0.5, ke0Source: 'override' });
  });
});

describe('ketasim models', () => {
  it('JSON: every registry model with citation, population, sampling and ke0 provenance', async () => {
    const r = await cli(['models', '--format', 'json']);
    expect(r.code).toBe(0);
    const cat = JSON.parse(r.stdout);
    expect(cat.map((m: { id: string }) => m.id)).toEqual(MODEL_IDS);
    for (const m of cat) {
      const d = MODELS.find((x) => x.id === m.id)!;
      expect(m.citation).toBe(d.citation);
      expect(m.population).toBe(d.population);
      expect(m.sampling).toBe(d.sampling);
      expect(m.doi).toBe(d.doi);
      if (d.ke0.kind === 'published') {
        expect(m.ke0).toEqual({
          provenance: 'published',
          valuePerMin: d.ke0.valuePerMin,
          citation: d.ke0.citation,
          note: d.ke0.note,
        });
      } else {
        expect(m.ke0.provenance).toBe('derived');
        expect(m.ke0.rule).toBe('time-to-peak');
        expect(m.ke0.note).toBe(d.ke0.note);
        expect(m.ke0.valuePerMinAt70kg).toBe(derivedKe0(d, d.parameters({ weightKg: 70, ageYears: 40 })));
        expect(m.ke0.referenceTimeToPeakMin).toBe(referenceTimeToPeakMin());
      }
    }
    expect(
      cat.filter((m: { ke0: { provenance: string } }) => m.ke0.provenance === 'published').map((m: { id: string }) => m.id),
    ).toEqual(['domino-1984']);
    // The default format is JSON.
    expect((await cli(['models'])).stdout).toBe(r.stdout);
  });

  it('text: one block per model with its citation and ke0; derived ones say DERIVED, Domino says published', async () => {
    const r = await cli(['models', '--format', 'text']);
    expect(r.code).toBe(0);
    const blocks = r.stdout.trimEnd().split('\n\n');
    expect(blocks).toHaveLength(MODELS.length);
    blocks.forEach((block, i) => {
      const d = MODELS[i];
      expect(block.startsWith(`${d.id} — ${d.name}`)).toBe(true);
      expect(block).toContain(d.citation);
      expect(block).toContain(`population: ${d.population}; sampling: ${d.sampling}`);
      const ke0Line = block.split('\n').find((l) => l.trim().startsWith('ke0:'))!;
      if (d.ke0.kind === 'published') expect(ke0Line).toMatch(/0\.238 \/min, published \(Navarrete/);
      else expect(ke0Line).toMatch(/\/min at 70 kg, DERIVED \(time-to-peak rule\)/);
    });
  });

  it('takes no plan argument', async () => {
    const r = await cli(['models', 'plan.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual(['models: takes no arguments, got plan.json']);
  });
});

describe('usage and argument errors: exit 2 with a message naming what is wrong', () => {
  it('no command: usage on stderr, exit 2; --help, -h and help: usage on stdout, exit 0', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr.join('\n')).toContain('usage:');
    expect(none.stdout).toBe('');
    for (const h of ['--help', '-h', 'help']) {
      const r = await cli([h]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(usage() + '\n');
      expect(r.stderr).toEqual([]);
    }
    for (const cmd of ['simulate', 'metrics', 'models', 'population', 'titrate']) expect(usage()).toContain(`ketasim ${cmd}`);
  });
  it('an unknown command is named, with the known ones, then the usage', async () => {
    const r = await cli(['simulat', 'plan.json']);
    expect(r.code).toBe(2);
    expect(r.stderr[0]).toMatch(/^command: unknown command "simulat"; expected one of simulate, metrics, models/);
    expect(r.stderr.slice(1).join('\n')).toBe(usage());
  });
  const cases: [string, string[], string[]][] = [
    [
      'an unknown option',
      ['simulate', 'plan.json', '--fromat', 'csv'],
      ['--fromat: unknown option; expected one of --format, --out'],
    ],
    [
      'an unknown single-dash option',
      ['simulate', '-o', 'x.json', 'plan.json'],
      ['-o: unknown option; expected one of --format, --out'],
    ],
    [
      'an unknown metrics option',
      ['metrics', 'plan.json', '--format', 'csv'],
      ['--format: unknown option; expected one of --out'],
    ],
    [
      'an unknown format',
      ['simulate', 'plan.json', '--format', 'xml'],
      ['--format: unknown format "xml"; expected one of json, csv'],
    ],
    ['an unknown models format', ['models', '--format', 'csv'], ['--format: unknown format "csv"; expected one of json, text']],
    ['an option without its value', ['simulate', 'plan.json', '--out'], ['--out: needs a value']],
    ['no plan', ['simulate'], ['PLAN: expected one plan file (or "-" for stdin), got 0']],
    ['two plans', ['simulate', 'plan.json', 'other.json'], ['PLAN: expected one plan file (or "-" for stdin), got 2']],
    ['a plan file that does not exist', ['metrics', 'nope.json'], ['PLAN: cannot read "nope.json": ENOENT']],
  ];
  for (const [what, argv, stderr] of cases) {
    it(`${what}: ${argv.join(' ')}`, async () => {
      const r = await cli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toEqual(stderr);
      expect(r.stdout).toBe('');
    });
  }
});

describe("failures that are not the user's: exit 1, one line, no stack trace", () => {
  it('an output file that cannot be written', async () => {
    const r = await cli(['simulate', 'plan.json', '--out', '/no/such/dir/x.json'], {
      io: {
        writeFile: () => {
          throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
        },
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual(['--out: cannot write "/no/such/dir/x.json": ENOENT']);
  });
  it('an unexpected error inside a command', async () => {
    const r = await cli(['simulate', 'plan.json'], {
      io: {
        write: () => {
          throw new Error('stdout closed');
        },
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual(['internal error: stdout closed']);
  });
});
