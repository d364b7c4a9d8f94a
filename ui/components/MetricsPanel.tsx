// `MetricsPanel`: table of `metricRows` for the current prediction; bands a plan brings are marked as the plan's own.
import { memo, useMemo } from 'react';
import { useResults } from '../context.ts';
import { current } from '../state/simulation.ts';
import { metricRows } from '../metrics-view.ts';

/** Peak Cp/Ce and when, minutes of Ce in each band, above anaesthesia, time to fall below dissociation, total dose. */
export const MetricsPanel = memo(function MetricsPanel() {
  const cur = useResults((r) => current(r));
  const rows = useMemo(() => (cur ? metricRows(cur) : null), [cur]);
  // Bands given by the plan (or a link) are the plan's own, not the cited defaults: their rows say so.
  const planBands = !!cur?.plan.thresholds?.length;
  const isBandRow = (id: string) => id.startsWith('band-') || id.startsWith('above-');
  return (
    <section className="panel" aria-labelledby="metrics-h">
      <h2 id="metrics-h">Metrics</h2>
      {rows ? (
        <table className="metrics" data-testid="metrics">
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-metric={r.id} data-plan-band={planBands && isBandRow(r.id) ? 'true' : undefined}>
                <th scope="row">
                  {r.label}
                  {planBands && isBandRow(r.id) ? (
                    <>
                      {' '}
                      <span className="plan-own" style={{ fontWeight: 600 }}>
                        (plan’s own band, not a cited default)
                      </span>
                    </>
                  ) : null}
                </th>
                <td className="value">{r.value}</td>
                <td className="detail">{r.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">Waiting for the first prediction…</p>
      )}
      {planBands ? (
        <p className="hint" data-testid="metrics-plan-bands">
          The bands come from this plan (its <code>thresholds</code>): names and limits are the plan’s own, not the cited
          defaults.
        </p>
      ) : null}
      <p className="hint">
        Times in minutes, concentrations in ng/mL; time in a band is measured on Ce with crossings interpolated between grid
        points.
      </p>
    </section>
  );
});
