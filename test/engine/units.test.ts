// Units: the mg/L ↔ ng/mL conversions of engine/units.ts are the only ones; the sources carry no inline ×1000 / ÷1000 factor.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mgPerLToNgPerMl, mgPerLToNgPerMlInPlace, ngPerMlToMgPerL, type MgPerL, type NgPerMl } from '../../engine/units.ts';

const ROOT = join(import.meta.dirname, '../..');
const SCANNED = ['engine', 'workers', 'ui', 'cli'];

/**
 * A line that multiplies or divides by a thousand (1000, 1e3, 1_000, 0.001, 1e-3) or names a constant
 * after an ng/mL or mg/L factor. Comments are not code and are skipped; strings are kept (a message may
 * compute a number).
 */
const FACTOR = /(?:[*/]\s*\(?\s*(?:1000|1_000|1e3|1E3|0\.001|1e-3)\b(?![.\d]))|(?:\b(?:1000|1_000|1e3|1E3)\s*\*)/;
const NAMED = /\b(?:NG_PER_ML|MG_PER_L|NG_PER_MG|NgPerMl|ngPerMl)\w*\s*=\s*(?:1000|1_000|1e3|0\.001|1e-3)\b/;

/** Code lines with an inline factor of a thousand, as `path:line: text`. */
function inlineFactors(path: string, text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed.startsWith('//') || trimmed.startsWith('*') || trimmed.startsWith('/*')) return;
    const code = line.replace(/\s\/\/ .*$/, '');
    if (FACTOR.test(code) || NAMED.test(code)) out.push(`${path}:${i + 1}: ${trimmed}`);
  });
  return out;
}

/**
 * Factors of a thousand that are not a concentration conversion, each with what it is. An entry is a
 * file and a piece of its line; anything else the scan finds fails the test.
 */
const NOT_CONCENTRATION: readonly { file: string; code: string; why: string }[] = [
  { file: 'engine/plan.ts', code: '* 1000) / 1000} s)', why: 'a resolution in s rounded up to 3 decimals for a message' },
  { file: 'engine/population/variability.ts', code: 'Math.round(cv * 1000) / 10', why: 'a CV as a percentage with one decimal' },
  { file: 'engine/population/spec.ts', code: 'Math.round(cv * 1000) / 10', why: 'a CV as a percentage with one decimal' },
  { file: 'engine/pk/ke0.ts', code: 'Math.log(1e3)', why: 'the upper end of the ke0 search, 1e3 /min (a rate constant)' },
  { file: 'ui/components/PopulationPanel.tsx', code: '(performance.now() - t0) / 1000', why: 'ms → s for a timing shown' },
  { file: 'ui/course-view/course-model.ts', code: 'DAY_MS = 24 * 3600 * 1000', why: 'one day in ms' },
  { file: 'ui/course/schedule.ts', code: 'WEEK_MS = 7 * 24 * 60 * 60 * 1000', why: 'one week in ms' },
  { file: 'ui/offline.ts', code: 'UPDATE_CHECK_MS = 60 * 60 * 1000', why: 'one hour in ms' },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

describe('one conversion to ng/mL, through engine/units.ts', () => {
  it('the scan finds an inline concentration factor (it can fail)', () => {
    const sample = [
      '    cp[j] = stepper.cp() * 1000; // mg/L → ng/mL',
      '  const low = band.lowNgMl / 1000;',
      '      const cp = (x[central] / V[i]) * 1e3,',
      'const NG_PER_ML = 1000;',
      '  return 1000 * c;',
      '  const mgPerL = ng * 0.001;',
    ].join('\n');
    expect(inlineFactors('sample.ts', sample)).toHaveLength(6);
    // Not a factor: comparisons, other numbers, comments.
    expect(
      inlineFactors(
        'ok.ts',
        'if (a >= 1000) x();\nconst n = 10_000 * 2;\n// cp × 1000 below\n * 1000 in a docblock\nx = y * 10000;',
      ),
    ).toEqual([]);
  });

  it(`no file in ${SCANNED.join('/, ')}/ except engine/units.ts converts by an inline factor of a thousand`, () => {
    const found: string[] = [];
    for (const file of SCANNED.flatMap(sourceFiles)) {
      const path = relative(ROOT, join(ROOT, file)).replaceAll('\\', '/');
      if (path === 'engine/units.ts') continue;
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const hit of inlineFactors(path, text)) {
        const allowed = NOT_CONCENTRATION.some((a) => a.file === path && hit.includes(a.code));
        if (!allowed) found.push(hit);
      }
    }
    expect(found).toEqual([]);
  });

  it('mgPerLToNgPerMl and ngPerMlToMgPerL are ×1000 and ÷1000; the in-place form gives the scalar form bit for bit', () => {
    expect(mgPerLToNgPerMl(0.15 as MgPerL)).toBe(150);
    expect(ngPerMlToMgPerL(150 as NgPerMl)).toBe(0.15);
    const values = Float64Array.from([0.1, 0.123456789, 1e-200, 3.3, 7]);
    const expected = Array.from(values, (v) => mgPerLToNgPerMl(v as MgPerL));
    mgPerLToNgPerMlInPlace(values, 0, 4);
    expect(Array.from(values)).toEqual([...expected.slice(0, 4), 7]);
  });
});
