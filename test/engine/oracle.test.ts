// Engine vs 40-digit reference on 30 cases (6 public, 24 fresh): max rel. error ≤ 1e-9 (cp, ce).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { predict } from '../../engine/predict.ts';
import { expectClose, maxRelativeError } from '../support/tolerance.ts';

/**
 * Exactness against the 40-digit reference (../shared/oracle/reference.py, copied to
 * test/fixtures/oracle): max |engine − reference| / max(reference) ≤ 1e-9 for cp and ce.
 */
const dir = join(import.meta.dirname, '../fixtures/oracle');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.plan.json'))
  .map((f) => f.replace('.plan.json', ''));

describe('engine matches the exact reference', () => {
  // The worst case over every case run, printed for reports (the assertion is per case, below).
  let worst = { error: 0, where: 'none' };
  afterAll(() => {
    console.log(`oracle: worst max relative error ${worst.error.toExponential(2)} (${worst.where}) over ${cases.length} cases`);
  });
  it('has the six public cases and the fresh ones', () => {
    expect(cases.filter((c) => c.startsWith('public'))).toHaveLength(6);
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
  for (const name of cases) {
    it(`${name}: cp and ce within 1e-9 of max`, () => {
      const plan = JSON.parse(readFileSync(join(dir, `${name}.plan.json`), 'utf8'));
      const ref = JSON.parse(readFileSync(join(dir, `${name}.ref.json`), 'utf8'));
      const r = parsePlan(plan, MODEL_IDS);
      if (!r.ok) throw new Error(r.problems.map((p) => p.path + ': ' + p.message).join('\n'));
      const { trajectory } = predict(r.plan);
      expect(trajectory.t.length).toBe(ref.t.length);
      expectClose(trajectory.t, ref.t, 1e-12, 't');
      for (const [what, a, b] of [
        ['cp', trajectory.cp, ref.cp],
        ['ce', trajectory.ce, ref.ce],
      ] as const) {
        const e = maxRelativeError(a, b);
        if (e > worst.error) worst = { error: e, where: `${name} ${what}` };
      }
      expectClose(trajectory.cp, ref.cp, 1e-9, 'cp');
      expectClose(trajectory.ce, ref.ce, 1e-9, 'ce');
    });
  }
});
