import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN.md rule 7: the main thread never runs a simulation. The Course view's code (ui/course-view,
 * ui/course) may use the engine's log and course semantics, but every simulation (dose and peak Ce,
 * personal band, predictions) goes through the live worker. A value import of a simulation entry point
 * here would bring it back onto the main thread.
 */
const ROOT = join(import.meta.dirname, '../../..');
const DIRS = ['ui/course-view', 'ui/course'];
const SIMULATIONS = [
  'sessionDose',
  'predict',
  'runGrid',
  'simulate',
  'personalBand',
  'planTitration',
  'analyzeLive',
  'whatIf',
  'whatIfForPlan',
  'trajectoryFrom',
  'liveKernel',
  'LiveTracker',
  'CourseScanner',
  'cursorAt',
];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Names imported as values (not `import type`, not `type X` members) from engine/ modules. */
function engineValueImports(text: string): { from: string; names: string[] }[] {
  const out: { from: string; names: string[] }[] = [];
  for (const m of text.matchAll(/import\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gs)) {
    const [, typeOnly, clause, from] = m;
    if (typeOnly || !from.includes('/engine/')) continue;
    const names = clause.startsWith('*')
      ? ['*']
      : clause
          .replace(/[{}]/g, '')
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s && !s.startsWith('type '))
          .map((s) => s.split(/\s+as\s+/)[0]);
    out.push({ from, names });
  }
  return out;
}

describe('the Course view runs no simulation on the main thread', () => {
  it('imports no engine simulation entry point as a value (dose and peak Ce come from the live worker)', () => {
    const offending: string[] = [];
    for (const dir of DIRS) {
      for (const file of sources(dir)) {
        for (const { from, names } of engineValueImports(readFileSync(file, 'utf8'))) {
          for (const n of names)
            if (n === '*' || SIMULATIONS.includes(n)) offending.push(`${relative(ROOT, file)}: ${n} from ${from}`);
          if (from.includes('/engine/population/')) offending.push(`${relative(ROOT, file)}: ${from}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('the guard sees a value import (self-check on a sample)', () => {
    expect(
      engineValueImports("import { buildCourse, sessionDose as d, type SessionDose } from '../../engine/live/index.ts';"),
    ).toEqual([{ from: '../../engine/live/index.ts', names: ['buildCourse', 'sessionDose'] }]);
    expect(engineValueImports("import type { SessionDose } from '../../engine/live/session-dose.ts';")).toEqual([]);
  });
});
