/**
 * `ketasim sweetspot` as a real process: the default axis (0.1–2 mg/kg over 40 min) in JSON with meta and
 * evidence; rows equal to `ketasim metrics` of the plan with that dose; a seeded population; CSV; argument
 * errors named, exit 2.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/ketasim.mjs');
function ketasim(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => l !== '') };
}

const PLAN = {
  patient: { weightKg: 70, ageYears: 40 },
  model: { id: 'domino-1984' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin: 240,
  resolutionSec: 10,
};
const TEXT = JSON.stringify(PLAN);

describe('ketasim sweetspot (real process)', () => {
  it('default axis: seven doses over 40 min; each row is ketasim metrics of the plan with that dose; evidence and meta', () => {
    const r = ketasim(['sweetspot', '-'], TEXT);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.axis).toEqual({ kind: 'mg/kg', dosesMgPerKg: [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2], overMin: 40 });
    expect(out.meta).toMatchObject({ tool: 'ketasim', command: 'sweetspot', model: { id: 'domino-1984' } });
    expect(out.evidence.map((e: { id: string }) => e.id)).toEqual([
      'dose-ranging-fava2020',
      'dose-ranging-su2017-chen2020',
      'ketamine-under-anaesthesia-lii2023',
    ]);
    const twice = { ...PLAN, regimen: [{ at: 0, dose: 2, unit: 'mg/kg', overMin: 40 }] };
    const m = JSON.parse(ketasim(['metrics', '-'], JSON.stringify(twice)).stdout).metrics;
    expect(out.rows[6].metrics).toEqual(m); // Domino is racemic: the active bands are ketasim metrics' defaults
    expect(out.rows[6].doseMgPerKg).toBe(2);
    const aboveDiss = (i: number) => out.rows[i].bands.find((b: { id: string }) => b.id === 'dissociation').minutesAbove;
    expect(aboveDiss(6)).toBeGreaterThan(aboveDiss(2));
    expect(out.population).toBeNull();
  });

  it('--population N --seed S: the chance of reaching 250 and 1060 ng/mL per dose, the same for the same seed', () => {
    const args = ['sweetspot', '-', '--doses', '0.5,1,2', '--population', '200', '--seed', '3', '--format', 'csv'];
    const a = ketasim(args, TEXT);
    const b = ketasim(args, TEXT);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const [head, ...rows] = a.stdout.trimEnd().split('\n');
    const cols = head.split(',');
    expect(cols[0]).toBe('dose_mg_per_kg');
    expect(cols).toContain('minutes_to_fall_below_dissociation_min');
    const p250 = cols.indexOf('p_peak_ce_ge_250_ng_ml'),
      p1060 = cols.indexOf('p_peak_ce_ge_1060_ng_ml');
    expect(p250).toBeGreaterThan(0);
    expect(p1060).toBeGreaterThan(0);
    const at = (i: number, c: number) => Number(rows[i].split(',')[c]);
    expect(rows.map((x) => x.split(',')[0])).toEqual(['0.5', '1', '2']);
    expect(at(2, p250)).toBeGreaterThanOrEqual(at(1, p250));
    expect(at(1, p250)).toBeGreaterThanOrEqual(at(0, p250));
    expect(at(2, p1060)).toBeGreaterThan(at(0, p1060));
    expect(rows[0].endsWith(',dose-ranging-fava2020;dose-ranging-su2017-chen2020;ketamine-under-anaesthesia-lii2023')).toBe(true);
  });

  it('--scale scales the plan’s own regimen instead of --doses', () => {
    const out = JSON.parse(ketasim(['sweetspot', '-', '--scale', '1,2'], TEXT).stdout);
    expect(out.axis).toEqual({ kind: 'scale', scales: [1, 2] });
    const m = JSON.parse(ketasim(['metrics', '-'], TEXT).stdout).metrics;
    expect(out.rows[0]).toMatchObject({ scale: 1, metrics: m });
  });

  it('bad arguments: one line per problem naming the option, exit 2; --help exits 0', () => {
    const r = ketasim(['sweetspot', '-', '--doses', '0.5,-1', '--population', '10', '--format', 'xml'], TEXT);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      '--format: unknown format "xml"; expected one of json, csv',
      '--doses: item 2 (-1) must be > 0 mg/kg, got -1',
      '--population, --seed: give both (a population is always seeded) or neither',
    ]);
    const late = ketasim(['sweetspot', '-', '--over-min', '300'], TEXT);
    expect(late.code).toBe(2);
    expect(late.stderr).toEqual([
      "--over-min: the dose runs 300 min, beyond the plan's horizonMin (240 min): nothing after dosing could be measured",
    ]);
    const both = ketasim(['sweetspot', '-', '--scale', '2', '--doses', '1'], TEXT);
    expect(both.code).toBe(2);
    expect(both.stderr[0]).toMatch(/^--scale: give either --scale/);
    const help = ketasim(['sweetspot', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: ketasim sweetspot PLAN.json/);
  });
});
