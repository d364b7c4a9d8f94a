// The `ketasim` package as a user gets it: npm pack, npm install the tarball in a fresh folder, import it from .mjs, type-check a .ts consumer, run its bin.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics } from '../engine/metrics.ts';
import { MODEL_IDS } from '../engine/models/registry.ts';
import { bandsForPlan } from '../engine/pd/bands.ts';
import { parsePlanText } from '../engine/plan.ts';
import { predict } from '../engine/predict.ts';

/**
 * `npm pack` (which runs `prepare`: the bundles and the declarations), then a fresh project that installs
 * the tarball offline and uses it three ways: a plain .mjs script importing from 'ketasim', `tsc --noEmit`
 * on a .ts consumer, and the installed `ketasim` bin. The plan is the example of docs/PLAN-FORMAT.md.
 */
const ROOT = join(import.meta.dirname, '..');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
const EXAMPLE = /```json\n([\s\S]*?)\n```/.exec(readFileSync(join(ROOT, 'docs/PLAN-FORMAT.md'), 'utf8'))![1];
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });

let work = '';
let app = '';
let files: string[] = [];
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ketasim-package-'));
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  files = packed[0].files.map((f) => f.path);
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', join(work, packed[0].filename), '--prefer-offline', '--no-audit', '--no-fund'], app);
  writeFileSync(join(app, 'plan.json'), EXAMPLE);
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The in-process engine's numbers for a plan text. */
function engine(text: string) {
  const r = parsePlanText(text, MODEL_IDS);
  if (!r.ok) throw new Error('plan refused');
  const p = predict(r.plan);
  return { p, metrics: computeMetrics(p.trajectory, bandsForPlan(r.plan.thresholds), p.actions, r.plan.patient.weightKg) };
}

describe('the installed package', () => {
  it('ships the bin, the bundles and the declarations, and no TypeScript sources', () => {
    for (const f of ['bin/ketasim.mjs', 'build/ketasim.cjs', 'build/index.mjs', 'build/expm.cjs', 'build/population-worker.mjs'])
      expect(files).toContain(f);
    expect(files).toContain('build/types/engine/index.d.ts');
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/ketasim/package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
  });

  it("a plain .mjs script imports from 'ketasim', parses the example plan, predicts and computes metrics: the engine's numbers", () => {
    writeFileSync(
      join(app, 'use.mjs'),
      `import { readFileSync } from 'node:fs';
import { parsePlanText, predictChecked, computeMetrics, bandsForPlan, models } from 'ketasim';
const r = parsePlanText(readFileSync('plan.json', 'utf8'));
if (!r.ok) throw new Error(r.problems.map((p) => p.path + ': ' + p.message).join('; '));
const c = predictChecked(r.plan);
if (!c.ok) throw new Error('not finite');
const m = computeMetrics(c.prediction.trajectory, bandsForPlan(r.plan.thresholds), c.prediction.actions, r.plan.patient.weightKg);
const g = predictChecked({ ...r.plan, model: { id: 'simons-2022-s-ketamine-arterial' } });
console.log(JSON.stringify({ peakCe: m.peakCeNgMl, peakCp: m.peakCpNgMl, models: models.length, simonsCpEnd: g.ok ? g.prediction.trajectory.cp.at(-1) : null }));
`,
    );
    const out = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: app, encoding: 'utf8' }));
    const here = engine(EXAMPLE);
    const simons = engine(JSON.stringify({ ...JSON.parse(EXAMPLE), model: { id: 'simons-2022-s-ketamine-arterial' } }));
    expect(out).toEqual({
      peakCe: here.metrics.peakCeNgMl,
      peakCp: here.metrics.peakCpNgMl,
      models: MODEL_IDS.length,
      simonsCpEnd: simons.p.trajectory.cp.at(-1),
    });
  });

  it('its declarations resolve: tsc --noEmit on a .ts consumer passes, and a wrong use is a type error', () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
    writeFileSync(
      join(app, 'consumer.ts'),
      `import { parsePlanText, predict, predictChecked, computeMetrics, bandsForPlan, models } from 'ketasim';
import type { Plan, Prediction, Trajectory, Warning, Problem } from 'ketasim';
const r = parsePlanText('{}');
const problems: readonly Problem[] = r.ok ? [] : r.problems;
if (r.ok) {
  const plan: Plan = r.plan;
  const p: Prediction = predict(plan);
  const t: Trajectory = p.trajectory;
  const w: readonly Warning[] = p.warnings;
  const c = predictChecked(plan);
  const peak: number = computeMetrics(t, bandsForPlan(plan.thresholds), p.actions, plan.patient.weightKg).peakCeNgMl;
  console.log(peak, w.length, c.ok, models[0].id, problems.length);
}
`,
    );
    execFileSync(process.execPath, [tsc, '-p', app], { cwd: app, encoding: 'utf8' });
    writeFileSync(
      join(app, 'consumer.ts'),
      `import { predict } from 'ketasim';\nconst n: number = predict('not a plan');\nconsole.log(n);\n`,
    );
    let failed = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', app], { cwd: app, encoding: 'utf8' });
    } catch (e) {
      failed = String((e as { stdout: string }).stdout);
    }
    expect(failed).toMatch(/consumer\.ts.*error TS2345/);
  });

  it('the installed bin runs from the bundle: --version, and simulate equals the engine', () => {
    const bin = join(app, 'node_modules/.bin/ketasim');
    expect(execFileSync(bin, ['--version'], { cwd: app, encoding: 'utf8' })).toBe(`${VERSION}\n`);
    const out = JSON.parse(execFileSync(bin, ['simulate', 'plan.json'], { cwd: app, encoding: 'utf8' }));
    const here = engine(EXAMPLE);
    expect(out.cp).toEqual(Array.from(here.p.trajectory.cp));
    expect(out.meta.version).toBe(VERSION);
  });
});
