// `MetricsPanel`: bands a plan brings (its `thresholds`) are shown as text and marked as the plan's own; the defaults are not marked.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MetricsPanel } from '../../../ui/components/MetricsPanel.tsx';
import { AppContext, type AppContextValue, type Notice } from '../../../ui/context.ts';
import { createStore } from '../../../ui/state/store.ts';
import { defaultScenario } from '../../../ui/state/scenario.ts';
import { EMPTY_RESULTS, type Results } from '../../../ui/state/simulation.ts';
import { api } from '../../../workers/simulation-api.ts';
import { SimulationClient } from '../../../workers/simulation-client.ts';
import { DEFAULT_PLAN } from '../../../ui/state/scenario.ts';

/** The panel rendered (server-side, plain HTML) over a real prediction of `plan`. */
async function rendered(plan: unknown): Promise<string> {
  const shown = await api.simulate({ plans: [plan], view: null, buckets: 200, full: false });
  expect(shown.outcomes[0].ok, JSON.stringify(shown.outcomes[0])).toBe(true);
  const results = createStore<Results>({ ...EMPTY_RESULTS, shown, revision: 1 });
  const ctx: AppContextValue = {
    scenario: createStore(defaultScenario()),
    results,
    panels: results,
    painted: results,
    layout: createStore({ plotWidthPx: 600 }),
    notice: createStore<Notice | null>(null),
    client: new SimulationClient({ connect: () => ({ api: api as never, dispose: () => {} }), idleMs: Infinity }),
  };
  return renderToString(
    <AppContext.Provider value={ctx}>
      <MetricsPanel />
    </AppContext.Provider>,
  );
}

describe('MetricsPanel: band names from a plan', () => {
  it('marks every band row of a plan with its own thresholds, and shows a plan-chosen id as text', async () => {
    const html = await rendered({
      ...DEFAULT_PLAN,
      thresholds: [
        { id: 'my-sedation', lowNgMl: 40, highNgMl: 120 },
        { id: 'dissociation', lowNgMl: 150, highNgMl: 300 },
      ],
    });
    expect(html).toContain('data-testid="metrics-plan-bands"');
    // both bands (the unknown id and the one that reuses a default's id with the plan's limits) are marked
    expect(html).toMatch(/data-metric="band-my-sedation" data-plan-band="true"/);
    expect(html).toMatch(/data-metric="band-dissociation" data-plan-band="true"/);
    expect(html).toContain('Ce in my-sedation (40–120 ng/mL)');
    expect(html.match(/plan’s own band, not a cited default/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('marks nothing when the plan uses the cited defaults', async () => {
    const html = await rendered(DEFAULT_PLAN);
    expect(html).not.toContain('data-plan-band');
    expect(html).not.toContain('metrics-plan-bands');
    expect(html).not.toContain('plan’s own band');
  });
});
