import { PatientModelPanel } from './components/PatientModelPanel.tsx';
import { RegimenEditor } from './components/RegimenEditor.tsx';
import { ChartPanel } from './chart/ChartPanel.tsx';
import { MetricsPanel } from './components/MetricsPanel.tsx';
import { BandsPanel } from './components/BandsPanel.tsx';
import { ComparePanel } from './components/ComparePanel.tsx';
import { ShareExport } from './components/ShareExport.tsx';
import { ProblemSummary } from './components/StatusBar.tsx';

/** The planning view: inputs on the left, prediction, metrics, bands, comparison and export on the right. */
export function PlanView() {
  return (
    <div className="plan-view">
      <div className="inputs">
        <ProblemSummary />
        <PatientModelPanel />
        <RegimenEditor />
      </div>
      <div className="outputs">
        <ChartPanel />
        <div className="outputs-grid">
          <MetricsPanel />
          <BandsPanel />
        </div>
        <ComparePanel />
        <ShareExport />
      </div>
    </div>
  );
}
