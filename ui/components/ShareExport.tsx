// `ShareExport`: share link (#plan=, or #compare= with the pins, plus the view), CSV (CLI columns), PNG of the chart with every curve named.
import { memo, useState } from 'react';
import { useApp, useResults, useScenario } from '../context.ts';
import { current } from '../state/simulation.ts';
import { scenarioLink } from '../state/share.ts';
import { editedLabel } from '../state/scenario.ts';
import { chartPng, download } from '../chart/export-png.ts';
import { chartLegend, type LegendItem } from '../chart/legend.ts';
import { useMetaboliteOn } from '../chart/ChartPanel.tsx';
import { shownMetabolite } from '../chart/metabolite.ts';
import { DISCLAIMER } from './Disclaimer.tsx';

/**
 * Share link (#plan= for one plan; #compare= with every pinned plan and its label when some are pinned;
 * the time window and y-axis mode where they differ from the default), CSV of the prediction (the CLI's
 * columns), PNG of the chart whose legend names every curve (the edited plan's and each pin's).
 */
export const ShareExport = memo(function ShareExport() {
  const { client } = useApp();
  const cur = useResults((r) => current(r));
  const invalid = useResults((r) => r.problems !== null);
  const pinned = useScenario((s) => s.pinned);
  const compare = useScenario((s) => s.display.compareSeries);
  const yRange = useScenario((s) => s.display.yRange);
  const view = useScenario((s) => s.view);
  const metaboliteOn = useMetaboliteOn();
  const [link, setLink] = useState<string | null>(null);
  const [pngLegend, setPngLegend] = useState<readonly LegendItem[] | null>(null);
  const [status, setStatus] = useState('');
  const disabled = !cur || invalid;

  const share = async () => {
    if (!cur) return;
    const url = scenarioLink(location.href, cur.plan, editedLabel(cur.plan, cur.model.name), pinned, { window: view, yRange });
    setLink(url);
    const what =
      pinned.length > 0
        ? `It carries the plan being edited and the ${pinned.length} pinned plan${pinned.length > 1 ? 's' : ''} with their curve labels (model, weight, regimen)`
        : 'It carries the plan only';
    const viewed = view || yRange !== 'data' ? ', and the time window and y-axis mode shown' : '';
    try {
      await navigator.clipboard.writeText(url);
      setStatus(`Link copied to the clipboard. ${what}${viewed}: no name, no record number, no date of birth.`);
    } catch {
      setStatus(`Select the link above and copy it. ${what}${viewed}: no name, no record number, no date of birth.`);
    }
  };
  const csv = async () => {
    if (!cur) return;
    setStatus('Preparing the CSV…');
    try {
      const text = await client.csv(cur.plan);
      download(new Blob([text], { type: 'text/csv' }), 'ketasim-prediction.csv');
      // the columns as the file names them (a model with a metabolite adds cm_ng_ml)
      const columns = text.slice(0, text.indexOf('\n')).split(',').join(', ');
      setStatus(`CSV ready: ${cur.gridPoints} rows (${columns}).`);
    } catch (e) {
      setStatus(`The CSV could not be made: ${(e as Error).message}`);
    }
  };
  const png = async () => {
    const box = document.getElementById('chart-export');
    if (!box || !cur) return;
    setStatus('Drawing the PNG…');
    try {
      const metabolite = shownMetabolite(metaboliteOn, cur.model.metabolite, cur.series)?.info ?? null;
      const legend = chartLegend(editedLabel(cur.plan, cur.model.name), pinned, compare, metabolite);
      setPngLegend(legend);
      const axis = yRange === 'log' ? ' (log scale)' : '';
      const title = `KetaSim: ${cur.model.name}, ${cur.plan.patient.weightKg} kg; concentrations in ng/mL${axis}, time in ${cur.plan.horizonMin > 600 ? 'h' : 'min'}`;
      const blob = await chartPng(box, title, legend, DISCLAIMER);
      download(blob, 'ketasim-chart.png');
      setStatus(`PNG ready: its legend names ${legend.length} curves.`);
    } catch (e) {
      setStatus(`The PNG could not be made: ${(e as Error).message}`);
    }
  };
  return (
    <section className="panel" aria-labelledby="share-h">
      <h2 id="share-h">Share &amp; export</h2>
      <div className="button-row">
        <button type="button" onClick={share} disabled={disabled}>
          Copy share link
        </button>
        <button type="button" onClick={csv} disabled={disabled}>
          Download CSV
        </button>
        <button type="button" onClick={png} disabled={disabled}>
          Download PNG
        </button>
      </div>
      {invalid ? <p className="hint">Fix the highlighted fields to share or export.</p> : null}
      {link ? (
        <div className="field">
          <label htmlFor="share-link">Share link</label>
          <input id="share-link" data-testid="share-link" readOnly value={link} onFocus={(e) => e.target.select()} />
        </div>
      ) : null}
      <p className="status" role="status" aria-live="polite">
        {status}
      </p>
      {pngLegend ? (
        <details className="source">
          <summary>Curves named in the PNG's legend</summary>
          <ul data-testid="png-legend">
            {pngLegend.map((l) => (
              <li key={l.id} data-legend={l.id}>
                {l.label}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
});
