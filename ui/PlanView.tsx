// `PlanView`: inputs (patient/model, regimen) and outputs (chart, metrics, bands, compare, share), each in an `ErrorBoundary`.
import { useCallback, useMemo } from 'react';
import { PatientModelPanel } from './components/PatientModelPanel.tsx';
import { RegimenEditor } from './components/RegimenEditor.tsx';
import { ChartPanel, CE_COLOR, CP_COLOR } from './chart/ChartPanel.tsx';
import { MetricsPanel } from './components/MetricsPanel.tsx';
import { BandsPanel } from './components/BandsPanel.tsx';
import { ComparePanel } from './components/ComparePanel.tsx';
import { ShareExport } from './components/ShareExport.tsx';
import { ProblemSummary } from './components/StatusBar.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { PopulationPanel, type PopulationPanelSettings } from './components/PopulationPanel.tsx';
import type { OverlayOptions } from './components/population-series.ts';
import { useApp, usePaintedResults, useScenario } from './context.ts';
import { populationOf, populationOverlayStore, setPopulation, type PopulationSettings } from './state/population.ts';
import { current } from './state/simulation.ts';
import { useStore } from './state/store.ts';

/** The planning view: inputs on the left, prediction, metrics, bands, comparison and export on the right. */
export function PlanView() {
  return (
    <div className="plan-view">
      <div className="inputs">
        <ProblemSummary />
        <ErrorBoundary name="Patient & model">
          <PatientModelPanel />
        </ErrorBoundary>
        <ErrorBoundary name="Regimen">
          <RegimenEditor />
        </ErrorBoundary>
      </div>
      <div className="outputs">
        <PopulationToggle />
        <ErrorBoundary name="Predicted concentrations">
          <ChartPanel />
        </ErrorBoundary>
        <ErrorBoundary name="Virtual population">
          <PopulationSection />
        </ErrorBoundary>
        <div className="outputs-grid">
          <ErrorBoundary name="Metrics">
            <MetricsPanel />
          </ErrorBoundary>
          <ErrorBoundary name="Effect bands">
            <BandsPanel />
          </ErrorBoundary>
        </div>
        <ErrorBoundary name="Compare">
          <ComparePanel />
        </ErrorBoundary>
        <ErrorBoundary name="Share & export">
          <ShareExport />
        </ErrorBoundary>
      </div>
    </div>
  );
}

/** The "population" switch (a checkbox with role switch: Space toggles it from the keyboard). */
function PopulationToggle() {
  const { scenario } = useApp();
  const enabled = useScenario((s) => populationOf(s).enabled);
  const series = useScenario((s) => populationOf(s).series);
  return (
    <div className="population-toggle">
      <label>
        <input
          type="checkbox"
          role="switch"
          aria-checked={enabled}
          checked={enabled}
          data-testid="population-toggle"
          aria-describedby="population-toggle-hint"
          onChange={(e) => scenario.set((s) => setPopulation(s, { enabled: e.target.checked }))}
        />{' '}
        Population
      </label>
      <span id="population-toggle-hint" className="muted">
        virtual patients: percentile bands behind the typical-patient curve, chance of Ce above each band bound
      </span>
      {enabled ? (
        <label>
          bands for{' '}
          <select
            value={series}
            data-testid="population-series"
            onChange={(e) => scenario.set((s) => setPopulation(s, { series: e.target.value as PopulationSettings['series'] }))}
          >
            <option value="ce">Ce</option>
            <option value="both">Ce and Cp</option>
          </select>
        </label>
      ) : null}
    </div>
  );
}

/** The population panel while the toggle is on (nothing population-related runs while it is off). */
function PopulationSection() {
  const enabled = useScenario((s) => populationOf(s).enabled);
  return enabled ? <PopulationRunner /> : null;
}

/**
 * Wait after an edit before a population run starts, ms. Short: a newer edit cancels the run in
 * progress at once (the pool's latest wins), so the wait only has to gather one burst of changes.
 */
const POPULATION_DEBOUNCE_MS = 20;

const panelSettings = (p: PopulationSettings): PopulationPanelSettings => ({ n: p.n, seed: p.seed, cvPct: p.cvPct });

function PopulationRunner() {
  const { scenario, results, layout } = useApp();
  const settings = useScenario(populationOf);
  // The last VALID plan, read just after the frame that painted its curve (not waiting for its metrics):
  // the run never delays the chart's repaint of an edit, and a draft with problems keeps the last valid population.
  const plan = usePaintedResults((r) => current(r)?.plan ?? null);
  const start = useStore(results, (r) => r.shown?.domain.startMin ?? 0);
  const end = useStore(results, (r) => r.shown?.domain.endMin ?? 0);
  const plotWidth = useStore(layout, (l) => l.plotWidthPx);
  const overlayOptions = useMemo<OverlayOptions>(
    () => ({
      series: settings.series,
      window: end > start ? [start, end] : undefined,
      buckets: Math.max(16, Math.round(plotWidth)),
      colors: { cp: CP_COLOR, ce: CE_COLOR },
    }),
    [settings.series, start, end, plotWidth],
  );
  const ps = useMemo(() => panelSettings(settings), [settings]);
  const onSettings = useCallback(
    (patch: Partial<PopulationPanelSettings>) => scenario.set((s) => setPopulation(s, patch)),
    [scenario],
  );
  if (!plan) return null;
  return (
    <div className="population-section">
      <PopulationPanel
        plan={plan}
        auto
        bandsFirst
        previewPoints={Math.max(16, Math.round(plotWidth))}
        debounceMs={POPULATION_DEBOUNCE_MS}
        settings={ps}
        onSettings={onSettings}
        onOverlay={populationOverlayStore.set}
        overlayOptions={overlayOptions}
      />
    </div>
  );
}
