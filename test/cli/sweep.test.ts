/**
 * `ketasim sweep` as a real process: rows per factor with the same metrics as `ketasim metrics` of the
 * scaled plan; a models × weights × factors grid in one command; CSV; argument errors.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { parsePlanText } from '../../engine/plan.ts';
import { expectNear } from '../support/tolerance.ts';

const BIN = join(import.meta.dirname, '../../bin/ketasim.mjs');
const PLAN = join(import.meta.dirname, '../fixtures/research/plan.json');
function ketasim(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => l !== '') };
}

describe('ketasim sweep (real process)', () => {
  it('--scale: one row per factor; each row is ketasim metrics of the plan with every dose and rate scaled', () => {
    const r = ketasim(['sweep', PLAN, '--scale', '0.25,0.5,1,2']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows.map((x: { scale: number }) => x.scale)).toEqual([0.25, 0.5, 1, 2]);
    expect(Object.keys(out.rows[0])).toEqual(['scale', 'metrics']);
    expect(out.meta).toMatchObject({
      tool: 'ketasim',
      command: 'sweep',
      models: [{ id: 'domino-1984', ke0: { valuePerMin: 0.238, provenance: 'published' } }],
    });
    // Scale 2 by hand: the plan with each amount doubled, through ketasim metrics.
    const plan = JSON.parse(readFileSync(PLAN, 'utf8'));
    for (const e of plan.regimen) for (const k of ['bolus', 'rate', 'dose']) if (k in e) e[k] *= 2;
    const byHand = ketasim(['metrics', '-'], JSON.stringify(plan));
    expect(byHand.code).toBe(0);
    expect(out.rows[3].metrics).toEqual(JSON.parse(byHand.stdout).metrics);
    expect(out.rows[2].metrics).toEqual(JSON.parse(ketasim(['metrics', PLAN]).stdout).metrics);
    expectNear(out.rows[0].metrics.totalDoseMg, out.rows[2].metrics.totalDoseMg / 4, 1e-14, 'total dose at ×0.25');
  });

  it('ten models × five doses × three weights is one command: 150 rows, each naming model, weight and scale; CSV too', () => {
    const args = ['sweep', PLAN, '--models', MODEL_IDS.join(','), '--scale', '0.5,0.75,1,1.5,2', '--weights', '50,70,90'];
    const r = ketasim(args);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toHaveLength(150);
    expect(out.rows.map((x: { model: string; weightKg: number; scale: number }) => [x.model, x.weightKg, x.scale])).toEqual(
      MODEL_IDS.flatMap((m) => [50, 70, 90].flatMap((w) => [0.5, 0.75, 1, 1.5, 2].map((s) => [m, w, s]))),
    );
    // A row equals ketasim metrics of that plan (model, weight, doses) written by hand.
    const plan = JSON.parse(readFileSync(PLAN, 'utf8'));
    plan.model = { id: 'kamp-2020' };
    plan.patient.weightKg = 90;
    for (const e of plan.regimen) for (const k of ['bolus', 'rate', 'dose']) if (k in e) e[k] *= 1.5;
    const parsed = parsePlanText(JSON.stringify(plan), MODEL_IDS);
    expect(parsed.ok).toBe(true);
    const row = out.rows.find(
      (x: { model: string; weightKg: number; scale: number }) => x.model === 'kamp-2020' && x.weightKg === 90 && x.scale === 1.5,
    );
    expect(row.metrics).toEqual(JSON.parse(ketasim(['metrics', '-'], JSON.stringify(plan)).stdout).metrics);
    // Warnings on stderr name their rows; meta lists every model with its ke0 and provenance.
    expect(r.stderr.every((l) => /^warning: rows\[\d+\]/.test(l))).toBe(true);
    expect(new Set(out.meta.models.map((m: { id: string }) => m.id))).toEqual(new Set(MODEL_IDS));
    const csv = ketasim([...args, '--format', 'csv']);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(151);
    const head = lines[0].split(',');
    expect(head.slice(0, 6)).toEqual(['model', 'weight_kg', 'ke0_per_min', 'ke0_source', 'scale', 'peak_cp_ng_ml']);
    const cells = lines.find((l) => l.startsWith('kamp-2020,90,'))!.split(',');
    expect(cells[4]).toBe('0.5');
    expect(Number(cells[head.indexOf('total_dose_mg')])).toBe(
      out.rows.find(
        (x: { model: string; weightKg: number; scale: number }) =>
          x.model === 'kamp-2020' && x.weightKg === 90 && x.scale === 0.5,
      ).metrics.totalDoseMg,
    );
  });

  it('argument errors exit 2 naming the option: missing --scale, a bad factor, an unknown model, a weight out of range', () => {
    expect(ketasim(['sweep', PLAN]).stderr).toEqual([expect.stringMatching(/^--scale: required/)]);
    const bad = ketasim(['sweep', PLAN, '--scale', '1,zero,-1', '--models', 'domino', '--weights', '500']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toEqual([
      '--scale: item 2 "zero" is not a number; expected a comma-separated list of numbers',
      '--scale: item 3 (-1) must be > 0, got -1',
      expect.stringMatching(/^--models: unknown model "domino"; expected one of /),
      '--weights: item 1 (500) must be between 0.3 and 400 kg, got 500',
    ]);
    expect(ketasim(['sweep', '--help']).stdout).toMatch(/^usage: ketasim sweep PLAN\.json --scale/);
  });
});
