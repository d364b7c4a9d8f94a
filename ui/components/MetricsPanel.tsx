// `MetricsPanel`: table of `metricRows` for the current prediction.
import { memo, useMemo } from 'react';
import { useResults } from '../context.ts';
import { current } from '../state/simulation.ts';
import { metricRows } from '../metrics-view.ts';

/** Peak Cp/Ce and when, minutes of Ce in each band, above anaesthesia, time to fall below dissociation, total dose. */
export const MetricsPanel = memo(function MetricsPanel() {
  const cur = useResults((r) => current(r));
  const rows = useMemo(() => (cur ? metricRows(cur) : null), [cur]);
  return (
    <section className="panel" aria-labelledby="metrics-h">
      <h2 id="metrics-h">Metrics</h2>
      {rows ? (
        <table className="metrics" data-testid="metrics">
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-metric={r.id}>
                <th scope="row">{r.label}</th>
                <td className="value">{r.value}</td>
                <td className="detail">{r.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">Waiting for the first prediction…</p>
      )}
      <p className="hint">
        Times in minutes, concentrations in ng/mL; time in a band is measured on Ce with crossings interpolated between grid
        points.
      </p>
    </section>
  );
});
