// `ShareExport`: share link, CSV (CLI columns), PNG of the chart.
import { memo, useState } from 'react';
import { useApp, useResults, useScenario } from '../context.ts';
import { current } from '../state/simulation.ts';
import { shareLink } from '../state/share.ts';
import { chartPng, download } from '../chart/export-png.ts';
import { CE_COLOR, CP_COLOR } from '../chart/ChartPanel.tsx';
import { DISCLAIMER } from './Disclaimer.tsx';

/** Share link (#plan=, the plan only), CSV of the prediction (the CLI's columns), PNG of the chart. */
export const ShareExport = memo(function ShareExport() {
  const { client } = useApp();
  const cur = useResults((r) => current(r));
  const invalid = useResults((r) => r.problems !== null);
  const pinned = useScenario((s) => s.pinned);
  const compare = useScenario((s) => s.display.compareSeries);
  const [link, setLink] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const disabled = !cur || invalid;

  const share = async () => {
    if (!cur) return;
    const url = shareLink(location.href, cur.plan);
    setLink(url);
    try {
      await navigator.clipboard.writeText(url);
      setStatus('Link copied to the clipboard. It carries the plan only: no name, no record number, no date of birth.');
    } catch {
      setStatus('Select the link above and copy it. It carries the plan only: no name, no record number, no date of birth.');
    }
  };
  const csv = async () => {
    if (!cur) return;
    setStatus('Preparing the CSV…');
    try {
      const text = await client.csv(cur.plan);
      download(new Blob([text], { type: 'text/csv' }), 'ketasim-prediction.csv');
      setStatus(`CSV ready: ${cur.gridPoints} rows (t_min, cp_ng_per_ml, ce_ng_per_ml).`);
    } catch (e) {
      setStatus(`The CSV could not be made: ${(e as Error).message}`);
    }
  };
  const png = async () => {
    const box = document.getElementById('chart-export');
    if (!box || !cur) return;
    setStatus('Drawing the PNG…');
    try {
      const legend = [
        { label: 'Cp (plasma)', color: CP_COLOR },
        { label: 'Ce (effect site)', color: CE_COLOR },
        ...pinned.map((p) => ({
          label: `${p.label} (${compare === 'both' ? 'Ce dashed, Cp dotted' : compare === 'cp' ? 'Cp' : 'Ce'})`,
          color: p.color,
          dash: compare === 'cp' ? '2 3' : '7 4',
        })),
      ];
      const title = `KetaSim: ${cur.model.name}, ${cur.plan.patient.weightKg} kg; concentrations in ng/mL, time in ${cur.plan.horizonMin > 600 ? 'h' : 'min'}`;
      const blob = await chartPng(box, title, legend, DISCLAIMER);
      download(blob, 'ketasim-chart.png');
      setStatus('PNG ready.');
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
    </section>
  );
});
