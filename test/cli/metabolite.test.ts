/**
 * Metabolite outputs through the real `ketasim` process: `simulate` JSON `cm` and `metabolite` (apparent
 * where it is, also in `ketasim models`), the CSV `cm_ng_ml` column, `batch` lines and `metrics` peaks;
 * a model without a metabolite writes exactly what it wrote before (t, cp, ce, meta).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { parsePlan } from '../../engine/plan.ts';
import { predict } from '../../engine/predict.ts';

const BIN = join(import.meta.dirname, '../../bin/ketasim.mjs');
function ketasim(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => l !== '') };
}

const planFor = (id: string) => ({
  patient: { weightKg: 70, ageYears: 45 },
  model: { id },
  regimen: [{ at: 0, dose: 20, unit: 'mg', overMin: 20 }],
  horizonMin: 120,
  resolutionSec: 60,
});
const inProcess = (plan: object) => {
  const r = parsePlan(plan, MODEL_IDS);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return predict(r.plan).trajectory;
};

describe('metabolite outputs (real process)', () => {
  it('simons-2022: JSON "cm" (ng/mL) and "metabolite": "S-norketamine" after t, cp, ce; meta says what cm is', () => {
    const plan = planFor('simons-2022-s-ketamine-arterial');
    const r = ketasim(['simulate', '-'], JSON.stringify(plan));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['t', 'cp', 'ce', 'cm', 'metabolite', 'meta']);
    expect(out.metabolite).toBe('S-norketamine');
    expect(out.cm).toEqual(Array.from(inProcess(plan).cm!));
    expect(out.cm).toHaveLength(out.t.length);
    expect(Math.max(...out.cm)).toBeGreaterThan(10);
    expect(Object.keys(out.meta)).toEqual(['tool', 'version', 'command', 'model', 'ke0', 'units', 'warnings']);
  });

  it('perez-ruixo-2021: noresketamine labelled apparent in its name and in ketasim models; CSV adds cm_ng_ml', () => {
    const plan = planFor('perez-ruixo-2021-esketamine');
    const json = JSON.parse(ketasim(['simulate', '-'], JSON.stringify(plan)).stdout);
    expect(json.metabolite).toBe('noresketamine (apparent)');
    const models = JSON.parse(ketasim(['models']).stdout) as { id: string; metabolite?: Record<string, string> }[];
    const byId = (id: string) => models.find((m) => m.id === id)!;
    expect(byId('perez-ruixo-2021-esketamine').metabolite).toMatchObject({
      name: 'noresketamine (apparent)',
      volume: 'apparent',
    });
    expect(byId('perez-ruixo-2021-esketamine').metabolite!.note).toMatch(/^APPARENT: /);
    expect(byId('simons-2022-s-ketamine-arterial').metabolite).toMatchObject({ name: 'S-norketamine', volume: 'true' });
    expect(byId('domino-1984')).not.toHaveProperty('metabolite');
    const csv = ketasim(['simulate', '-', '--format', 'csv'], JSON.stringify(plan));
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('t_min,cp_ng_per_ml,ce_ng_per_ml,cm_ng_ml');
    expect(lines).toHaveLength(json.t.length + 1);
    lines.slice(1).forEach((line, j) => {
      expect(line).toBe(`${json.t[j]},${json.cp[j]},${json.ce[j]},${json.cm[j]}`);
    });
  });

  it('batch lines carry cm and metabolite; metrics add the metabolite peak and its time', () => {
    const plans = [planFor('simons-2022-s-ketamine-arterial'), planFor('domino-1984')];
    const b = ketasim(['batch', '-'], plans.map((p) => JSON.stringify(p)).join('\n') + '\n');
    expect(b.code).toBe(0);
    const [simons, domino] = b.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(Object.keys(simons)).toEqual(['index', 'ok', 't', 'cp', 'ce', 'cm', 'metabolite', 'meta']);
    expect(Object.keys(domino)).toEqual(['index', 'ok', 't', 'cp', 'ce', 'meta']);
    const m = JSON.parse(ketasim(['metrics', '-'], JSON.stringify(plans[0])).stdout).metrics;
    const cm: number[] = simons.cm;
    const peak = Math.max(...cm);
    expect(m).toMatchObject({ metabolite: 'S-norketamine', peakCmNgMl: peak, peakCmMin: simons.t[cm.indexOf(peak)] });
    const dm = JSON.parse(ketasim(['metrics', '-'], JSON.stringify(plans[1])).stdout).metrics;
    expect(dm).not.toHaveProperty('peakCmNgMl');
    expect(dm).not.toHaveProperty('metabolite');
  });

  it('a model without a metabolite is unchanged byte for byte: {"t","cp","ce","meta"} and the three-column CSV', () => {
    const plan = planFor('domino-1984');
    const r = ketasim(['simulate', '-'], JSON.stringify(plan));
    expect(r.code).toBe(0);
    const tr = inProcess(plan);
    const meta = JSON.parse(r.stdout).meta;
    expect(r.stdout).toBe(JSON.stringify({ t: Array.from(tr.t), cp: Array.from(tr.cp), ce: Array.from(tr.ce), meta }) + '\n');
    const csv = ketasim(['simulate', '-', '--format', 'csv'], JSON.stringify(plan)).stdout;
    const rows = Array.from(tr.t, (t, j) => `${t},${tr.cp[j]},${tr.ce[j]}\n`).join('');
    expect(csv).toBe('t_min,cp_ng_per_ml,ce_ng_per_ml\n' + rows);
  });
});
