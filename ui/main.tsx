// Boot: starts the simulation worker and first request, scenario from `#plan=` hash or default, share link in the address bar, then renders the dashboard and registers the service worker after the first chart.
import { SimulationClient } from '../workers/simulation-client.ts';
import type { Notice } from './context.ts';
import { defaultScenario, editedLabel, type Scenario } from './state/scenario.ts';
import { readShareHash, scenarioFromShare, scenarioLink, type SharedView } from './state/share.ts';
import { DEFAULT_SWEET_SPOT } from './sweet-spot/settings.ts';
import { current, startSimulation, type Layout, type Results } from './state/simulation.ts';
import { createStore, type Store } from './state/store.ts';
import { followAfterPaint } from './after-paint.ts';
import './styles.css';
import { startOffline } from './offline.ts';

/**
 * Boot, in the order that paints the first chart soonest: this small entry module starts the
 * simulation worker and sends the first request before React is even loaded; the dashboard
 * (React, recharts-free charts, every panel: ui/render.tsx) downloads and evaluates meanwhile, in
 * its own chunk. The Live and Course tabs are separate chunks again (ui/tabs.tsx), loaded on first use.
 */
performance.mark('ketasim:boot');
const ui = import('./render.tsx');
ui.catch(() => {}); // handled where boot() awaits it

const DEFAULT_DESCRIPTION = 'the default plan (70 kg adult, Domino 1984, 0.5 mg/kg over 40 min, 4-hour view)';

/** The scenario a location hash asks for: its plan when the link is good, else the default and a notice naming the problem. */
async function scenarioFromHash(hash: string, client: SimulationClient, notice: Store<Notice | null>): Promise<Scenario | null> {
  const h = readShareHash(hash);
  if (h.kind === 'none') return null;
  const fail = (lines: string[]) => {
    notice.set({ title: `This share link could not be opened; showing ${DEFAULT_DESCRIPTION} instead.`, lines });
    return defaultScenario();
  };
  if (h.kind === 'error') return fail([h.message]);
  try {
    const r = await scenarioFromShare(
      h,
      (text) => client.parseText(text),
      (input) => client.validate(input),
    );
    if (!r.ok) return fail(r.problems);
    notice.set(r.notes.length ? { title: 'Part of this share link could not be read:', lines: [...r.notes] } : null);
    return r.scenario;
  } catch (e) {
    return fail([`the plan could not be checked: ${(e as Error).message}`]);
  }
}

async function boot(): Promise<void> {
  const rootEl = document.getElementById('root')!;
  const client = new SimulationClient();
  const notice = createStore<Notice | null>(null);
  const scenario = createStore<Scenario>((await scenarioFromHash(location.hash, client, notice)) ?? defaultScenario());
  const layout = createStore<Layout>({ plotWidthPx: Math.max(300, Math.min(1400, window.innerWidth - 520)) });
  const sim = startSimulation({ scenario, layout, client, metricsAfterPaint: true });

  // Keep the address bar's share link in step with the last valid plan, so a reload restores it.
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastRevision = -1;
  sim.results.subscribe(() => {
    const r = sim.results.get();
    if (r.revision === lastRevision || r.problems) return;
    lastRevision = r.revision;
    if (timer) clearTimeout(timer);
    timer = setTimeout(writeLink, 400);
  });
  // The link carries the pins, the window, the y-axis mode and the sweet-spot view too (ui/state/share.ts
  // scenarioLink); the y-axis mode and the tab change no prediction, so a change of them rewrites the link by itself.
  function writeLink(): void {
    const cur = current(sim.results.get());
    const s = scenario.get();
    if (cur && !sim.results.get().problems)
      history.replaceState(
        null,
        '',
        scenarioLink(location.href, cur.plan, editedLabel(cur.plan, cur.model.name), s.pinned, sharedView(s)),
      );
  }
  const sharedView = (s: Scenario): SharedView => ({
    window: s.view,
    yRange: s.display.yRange,
    sweetSpot: s.tab === 'sweet-spot' ? (s.sweetSpot ?? DEFAULT_SWEET_SPOT) : null,
  });
  let lastView = JSON.stringify(sharedView(scenario.get()));
  scenario.subscribe(() => {
    const v = JSON.stringify(sharedView(scenario.get()));
    if (v === lastView) return;
    lastView = v;
    writeLink();
  });
  // A link pasted into the address bar of an open page (only the hash changes).
  window.addEventListener('hashchange', async () => {
    const next = await scenarioFromHash(location.hash, client, notice);
    if (next) scenario.set(next);
  });

  const { renderApp } = await ui;
  performance.mark('ketasim:ui-loaded');
  const panels = followAfterPaint(sim.complete);
  const painted = followAfterPaint(sim.results);
  renderApp(rootEl, { scenario, results: sim.results, panels, painted, layout, notice, client });
  offlineAfterFirstChart(sim.results);
}

/**
 * Register the service worker once the first prediction (or a failure) has been painted: its precaching
 * fetches the whole build, which would otherwise compete with the first chart (ui/offline.ts).
 */
function offlineAfterFirstChart(results: Store<Results>): void {
  const painted = followAfterPaint(results);
  let started = false;
  const check = () => {
    const r = painted.get();
    if (started || (r.shown === null && r.error === null && r.problems === null)) return;
    started = true;
    unsubscribe();
    startOffline();
  };
  const unsubscribe = painted.subscribe(check);
  check();
}

boot().catch((e) => {
  const rootEl = document.getElementById('root');
  if (rootEl) rootEl.textContent = `KetaSim could not start: ${(e as Error).message}`;
});
