// Population settings on the scenario: defaults, `setPopulation`, no re-simulation and plan-only share links; `PopulationPanel` shows its settings.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POPULATION, populationOf, populationOverlayStore, setPopulation } from '../../../ui/state/population.ts';
import { defaultScenario } from '../../../ui/state/scenario.ts';
import { requestFor } from '../../../ui/state/simulation.ts';
import { encodePlan } from '../../../ui/state/share.ts';
import { parsePlan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { scenarioToPlanInput } from '../../../ui/state/scenario.ts';
import { PopulationPanel } from '../../../ui/components/PopulationPanel.tsx';
import type { PopulationClient } from '../../../workers/population-client.ts';

describe('population settings in the scenario record', () => {
  it('are off by default and absent from a fresh scenario (defaults filled in on read)', () => {
    const s = defaultScenario();
    expect(s.population).toBeUndefined();
    expect(populationOf(s)).toEqual(DEFAULT_POPULATION);
    expect(DEFAULT_POPULATION.enabled).toBe(false);
    expect(DEFAULT_POPULATION.n).toBe(10_000);
  });

  it('setPopulation changes only what it is given and returns the same record when nothing changes', () => {
    const s = defaultScenario();
    const on = setPopulation(s, { enabled: true, n: 100_000 });
    expect(populationOf(on)).toEqual({ ...DEFAULT_POPULATION, enabled: true, n: 100_000 });
    expect(on.plan).toBe(s.plan);
    expect(setPopulation(on, { n: 100_000 })).toBe(on);
    expect(setPopulation(s, {})).toBe(s);
    // the record stays plain JSON
    expect(JSON.parse(JSON.stringify(on))).toEqual(on);
  });

  it('do not change the prediction request (toggling never re-simulates) nor the share link (plan only)', () => {
    const s = defaultScenario();
    const on = setPopulation(s, { enabled: true, n: 50_000, seed: 9, cvPct: 45, series: 'both' });
    const layout = { plotWidthPx: 800 };
    expect(JSON.stringify(requestFor(on, layout))).toBe(JSON.stringify(requestFor(s, layout)));
    const parsed = parsePlan(scenarioToPlanInput(on.plan), MODEL_IDS);
    if (!parsed.ok) throw new Error('default plan invalid');
    const payload = Buffer.from(encodePlan(parsed.plan), 'base64url').toString('utf8');
    expect(payload).not.toMatch(/population|seed|cvPct|50000/);
  });

  it('the overlay store starts empty', () => {
    expect(populationOverlayStore.get()).toBeNull();
  });
});

describe('PopulationPanel, controlled by the dashboard', () => {
  const idle: PopulationClient = {
    size: 1,
    start: () => {
      throw new Error('not started');
    },
    dispose: () => {},
  };
  it('shows the settings it is given (N, seed, assumed CV)', () => {
    const html = renderToString(
      <PopulationPanel plan={{}} client={idle} settings={{ n: 100_000, seed: 7, cvPct: 45 }} onSettings={() => {}} auto />,
    );
    expect(html).toContain('value="100000"');
    expect(html).toContain('value="7"');
    expect(html).toContain('value="45"');
    expect(html).toContain('data-testid="population-run"');
    expect(html).not.toContain('population-progress'); // nothing runs while rendering
  });
});
