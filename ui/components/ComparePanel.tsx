// `ComparePanel`: pin up to four scenarios, overlaid on chart and compared side by side.
import { memo, useMemo } from 'react';
import { useApp, useResults, useScenario } from '../context.ts';
import { describePlan, editPinned, pin, setDisplay, unpin } from '../state/actions.ts';
import { editedLabel, MAX_PINNED, type DisplayOptions } from '../state/scenario.ts';
import { currentOf } from '../state/simulation.ts';
import { metricRows, type MetricRow } from '../metrics-view.ts';
import { CE_COLOR } from '../chart/ChartPanel.tsx';
import { PinLabel, withPinLabel } from '../privacy/PinLabel.tsx';
import type { ScenarioOk } from '../../workers/simulation-api.ts';

function regimenSummary(o: ScenarioOk): string {
  return (
    o.plan.regimen
      .map((e) =>
        'bolus' in e
          ? `bolus ${e.bolus} ${e.unit} at ${e.at} min`
          : 'dose' in e
            ? `${e.dose} ${e.unit} ${'route' in e ? e.route : `over ${e.overMin} min`} from ${e.at} min`
            : e.rate === 0
              ? `pause at ${e.at} min`
              : `${e.rate} ${e.unit} from ${e.at} min`,
      )
      .join('; ') || 'no dose'
  );
}

/** Pin the current scenario and compare up to four pinned ones, overlaid on the chart and side by side here. */
export const ComparePanel = memo(function ComparePanel() {
  const { scenario } = useApp();
  const shown = useResults((r) => r.shown);
  const shownPinned = useResults((r) => r.shownPinned);
  const invalid = useResults((r) => r.problems !== null);
  const pinned = useScenario((s) => s.pinned);
  const compare = useScenario((s) => s.display.compareSeries);
  const cur = currentOf(shown);

  const columns = useMemo(() => {
    if (!shown || !cur) return [];
    const cols: { id: string; label: string; color: string; o: ScenarioOk; rows: MetricRow[]; pinId: string | null }[] = [
      {
        id: 'current',
        label: editedLabel(cur.plan, cur.model.name),
        color: CE_COLOR,
        o: cur,
        rows: metricRows(cur),
        pinId: null,
      },
    ];
    shown.outcomes.slice(1).forEach((o, i) => {
      const p = shownPinned[i];
      // the label as it is now (a rename changes no prediction, so the shown results keep the old one)
      const label = pinned.find((x) => x.id === p?.id)?.label ?? p?.label ?? '';
      if (o.ok && p) cols.push({ id: p.id, label, color: p.color, o, rows: metricRows(o), pinId: p.id });
    });
    return cols;
  }, [shown, shownPinned, cur, pinned]);

  const rowIds = columns[0]?.rows.map((r) => r.id) ?? [];
  const full = pinned.length >= MAX_PINNED;
  return (
    <section className="panel" aria-labelledby="compare-h">
      <div className="panel-head">
        <h2 id="compare-h">Compare</h2>
        <div className="button-row">
          <button
            type="button"
            disabled={!cur || invalid}
            title={full ? `At most ${MAX_PINNED} pinned: the oldest is replaced` : undefined}
            onClick={() => cur && scenario.set((s) => pin(s, cur.plan, describePlan(cur.plan, cur.model.name)))}
          >
            Pin current scenario{full ? ' (replaces the oldest)' : ''}
          </button>
          <label>
            Overlay{' '}
            <select
              value={compare}
              onChange={(e) =>
                scenario.set((s) => setDisplay(s, { compareSeries: e.target.value as DisplayOptions['compareSeries'] }))
              }
            >
              <option value="ce">Ce</option>
              <option value="cp">Cp</option>
              <option value="both">Ce and Cp</option>
            </select>
          </label>
        </div>
      </div>
      {pinned.length === 0 ? (
        <p className="muted">
          Pin this scenario, then change the dose, the model or the patient: up to {MAX_PINNED} pinned scenarios are overlaid on
          the chart and compared here.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="compare" data-testid="compare">
            <thead>
              <tr>
                <th scope="col">Metric</th>
                {columns.map((c) => (
                  <th scope="col" key={c.id}>
                    <span className="swatch" style={{ background: c.color }} aria-hidden="true" /> {c.label}
                    {c.pinId ? (
                      <span className="col-actions">
                        <PinLabel label={c.label} onRename={(l) => scenario.set((s) => withPinLabel(s, c.pinId!, l))} />
                        <button
                          type="button"
                          className="link"
                          aria-label={`Edit ${c.label} (the plan being edited is pinned in its place)`}
                          title="Edit this pinned plan: the plan being edited takes its place among the pins, so nothing is lost"
                          onClick={() =>
                            scenario.set((s) =>
                              editPinned(
                                s,
                                c.pinId!,
                                cur && !invalid ? cur.plan : null,
                                cur ? describePlan(cur.plan, cur.model.name) : '',
                              ),
                            )
                          }
                        >
                          edit
                        </button>
                        <button
                          type="button"
                          className="link"
                          aria-label={`Remove ${c.label}`}
                          onClick={() => scenario.set((s) => unpin(s, c.pinId!))}
                        >
                          remove
                        </button>
                      </span>
                    ) : null}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Model, ke0</th>
                {columns.map((c) => (
                  <td key={c.id}>
                    {c.o.model.name}, {c.o.model.ke0PerMin.toPrecision(3)} /min ({c.o.model.ke0Source})
                  </td>
                ))}
              </tr>
              <tr>
                <th scope="row">Weight</th>
                {columns.map((c) => (
                  <td key={c.id}>{c.o.plan.patient.weightKg} kg</td>
                ))}
              </tr>
              <tr>
                <th scope="row">Regimen</th>
                {columns.map((c) => (
                  <td key={c.id} className="small">
                    {regimenSummary(c.o)}
                  </td>
                ))}
              </tr>
              {rowIds.map((id) => (
                <tr key={id}>
                  <th scope="row">{columns[0].rows.find((r) => r.id === id)!.label}</th>
                  {columns.map((c) => {
                    const r = c.rows.find((x) => x.id === id);
                    return (
                      <td key={c.id}>
                        {r ? (
                          <>
                            {r.value}
                            {r.detail ? <span className="detail"> ({r.detail})</span> : null}
                          </>
                        ) : (
                          '–'
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
});
