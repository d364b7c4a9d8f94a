import { PatientModelPanel } from './components/PatientModelPanel.tsx';
import { RegimenEditor } from './components/RegimenEditor.tsx';
import { ChartPanel } from './chart/ChartPanel.tsx';
import { MetricsPanel } from './components/MetricsPanel.tsx';
import { BandsPanel } from './components/BandsPanel.tsx';
import { ComparePanel } from './components/ComparePanel.tsx';
import { ShareExport } from './components/ShareExport.tsx';
import { ProblemSummary } from './components/StatusBar.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';

/** The planning view: inputs on the left, prediction, metrics, bands, comparison and export on the right. */
export function PlanView() {
  return (
    <div className="plan-view">
      <div className="inputs">
        <ProblemSummary />
        <ErrorBoundary name="Patient & model"><PatientModelPanel /></ErrorBoundary>
        <ErrorBoundary name="Regimen"><RegimenEditor /></ErrorBoundary>
      </div>
      <div className="outputs">
        <ErrorBoundary name="Predicted concentrations"><ChartPanel /></ErrorBoundary>
        <div className="outputs-grid">
          <ErrorBoundary name="Metrics"><MetricsPanel /></ErrorBoundary>
          <ErrorBoundary name="Effect bands"><BandsPanel /></ErrorBoundary>
        </div>
        <ErrorBoundary name="Compare"><ComparePanel /></ErrorBoundary>
        <ErrorBoundary name="Share & export"><ShareExport /></ErrorBoundary>
      </div>
    </div>
  );
}
