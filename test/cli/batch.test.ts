/**
 * `ketasim batch` as a real process (node bin/ketasim.mjs): one result line per plan in order, refused
 * lines reported with their index without stopping the rest, exit 0, stdin, --metrics, --out, --help.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { parsePlanText } from '../../engine/plan.ts';
import { predict } from '../../engine/predict.ts';
import { planMetrics } from '../../engine/research/meta.ts';

const BIN = join(import.meta.dirname, '../../bin/ketasim.mjs');
const FIXTURE = join(import.meta.dirname, '../fixtures/research/plans.ndjson');
const dir = mkdtempSync(join(tmpdir(), 'ketasim-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ketasim(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => l !== '') };
}
const fixtureLines = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
function expected(i: number) {
  const r = parsePlanText(fixtureLines[i], MODEL_IDS);
  if (!r.ok) throw new Error(`fixture line ${i + 1} refused`);
  return { plan: r.plan, prediction: predict(r.plan) };
}

describe('ketasim batch (real process)', () => {
  it('one line per plan, in order; good plans equal predict() number for number; bad lines are refused with their index; exit 0', () => {
    const r = ketasim(['batch', FIXTURE]);
    expect(r.code).toBe(0);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((o) => [o.index, o.ok])).toEqual([
      [0, true],
      [1, false],
      [2, false],
      [3, true],
      [4, false],
      [5, true],
    ]);
    for (const i of [0, 3, 5]) {
      expect(Object.keys(out[i])).toEqual(['index', 'ok', 't', 'cp', 'ce', 'meta']);
      const { prediction } = expected(i);
      expect(out[i].t).toEqual(Array.from(prediction.trajectory.t));
      expect(out[i].cp).toEqual(Array.from(prediction.trajectory.cp));
      expect(out[i].ce).toEqual(Array.from(prediction.trajectory.ce));
      expect(out[i].meta).toMatchObject({
        tool: 'ketasim',
        command: 'batch',
        model: { id: prediction.model.definition?.id },
        ke0: { valuePerMin: prediction.model.ke0, provenance: prediction.model.ke0Source },
        units: { time: 'min', concentration: 'ng/mL' },
      });
    }
    expect(out[5].meta.ke0).toEqual({ valuePerMin: 0.5, provenance: 'override' });
    expect(out[1]).toEqual({
      index: 1,
      ok: false,
      problems: [expect.stringMatching(/^regimen\[0\]\.unit: unknown rate unit "mg\/kg\/hour"; expected one of /)],
    });
    expect(out[2]).toEqual({ index: 2, ok: false, problems: [expect.stringMatching(/^plan: not valid JSON/)] });
    expect(out[4]).toEqual({ index: 4, ok: false, problems: ['plan: empty line; expected one plan (a JSON object) per line'] });
    // Warnings on stderr name their plan; the last line counts the refused plans.
    expect(r.stderr).toContainEqual(
      expect.stringMatching(/^warning: plan\[3\]: Kamp 2020 has no published ke0.*\(derived-ke0\)$/),
    );
    expect(r.stderr.at(-1)).toBe('batch: 3 of 6 plans refused (index 1, 2, 4); their lines hold the problems');
  });

  it('--metrics: each good line carries the same metrics object as ketasim metrics; reads stdin ("-"); --out writes the file', () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const file = join(dir, 'metrics.ndjson');
    const r = ketasim(['batch', '-', '--metrics', '--out', file], text);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const out = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(6);
    expect(Object.keys(out[3])).toEqual(['index', 'ok', 'metrics', 'meta']);
    const { plan, prediction } = expected(3);
    expect(out[3].metrics).toEqual(JSON.parse(JSON.stringify(planMetrics(plan, prediction))));
    const viaMetrics = ketasim(['metrics', '-'], fixtureLines[3]);
    expect(viaMetrics.code).toBe(0);
    expect(out[3].metrics).toEqual(JSON.parse(viaMetrics.stdout).metrics);
  });

  it('an unreadable input file exits 2 naming it; an unknown option exits 2; --help exits 0', () => {
    const missing = ketasim(['batch', join(dir, 'nope.ndjson')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr[0]).toMatch(/nope\.ndjson.*ENOENT/);
    expect(ketasim(['batch', FIXTURE, '--metric']).code).toBe(2);
    const help = ketasim(['batch', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: ketasim batch PLANS\.ndjson/);
  });

  it('an empty input gives no lines and exit 0', () => {
    const r = ketasim(['batch', '-'], '');
    expect(r).toEqual({ code: 0, stdout: '', stderr: [] });
  });
});
