// `App`: context provider, header with disclaimer and status, ARIA tab bar over `TABS`, `LiveResume`.
import { AppContext, useScenario, useApp, type AppContextValue } from './context.ts';
import { TABS } from './tabs.tsx';
import { Disclaimer } from './components/Disclaimer.tsx';
import { BusyIndicator, EngineInfo, NoticeBanner } from './components/StatusBar.tsx';
import { LiveResume } from './live/LiveResume.tsx';

function TabBar() {
  const { scenario } = useApp();
  const tab = useScenario((s) => s.tab);
  const select = (id: string) => scenario.set((s) => ({ ...s, tab: id }));
  // ARIA tabs: left/right arrows (and Home/End) move between tabs; only the active tab is in the tab order.
  const onKey = (e: React.KeyboardEvent) => {
    const i = Math.max(
      0,
      TABS.findIndex((t) => t.id === tab),
    );
    const next =
      e.key === 'ArrowRight'
        ? (i + 1) % TABS.length
        : e.key === 'ArrowLeft'
          ? (i - 1 + TABS.length) % TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : -1;
    if (next < 0) return;
    e.preventDefault();
    select(TABS[next].id);
    document.getElementById(`tab-${TABS[next].id}`)?.focus();
  };
  return (
    <nav className="tabs" role="tablist" aria-label="Views" onKeyDown={onKey}>
      {TABS.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={t.id === tab}
          aria-controls="tab-panel"
          tabIndex={t.id === tab ? 0 : -1}
          className={t.id === tab ? 'active' : undefined}
          onClick={() => select(t.id)}
        >
          {t.label}
        </button>
      ))}
    </nav>
  );
}

function ActiveTab() {
  const tab = useScenario((s) => s.tab);
  const def = TABS.find((t) => t.id === tab) ?? TABS[0];
  return (
    <div id="tab-panel" role="tabpanel" aria-labelledby={`tab-${def.id}`}>
      {def.render()}
    </div>
  );
}

/** The dashboard: header with the disclaimer and tabs, the active view, and where the numbers come from. */
export function App({ ctx }: { ctx: AppContextValue }) {
  return (
    <AppContext.Provider value={ctx}>
      <header className="app-header">
        <div className="title">
          <h1>
            KetaSim <span className="subtitle">IV ketamine pharmacokinetics &amp; effect-site prediction</span>
          </h1>
          <BusyIndicator />
        </div>
        <Disclaimer />
        <TabBar />
      </header>
      <main>
        <NoticeBanner />
        <LiveResume />
        <ActiveTab />
      </main>
      <footer className="app-footer">
        <EngineInfo />
        <p>
          KetaSim: a planning and teaching tool, not a medical device. Exact closed-form predictions of published population
          models; bands and presets carry their sources (docs/research/ketamine-pd.md).
        </p>
      </footer>
    </AppContext.Provider>
  );
}
