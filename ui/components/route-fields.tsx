// The regimen editor's route parts: the worker's route table (`useRouteTable`), a row's route choice and form (`RouteLine`), the add buttons (`AddRouteButtons`).
import { useEffect, useState } from 'react';
import type { RouteTable } from '../../workers/stop-comparison-api.ts';
import { useApp, useResults, useScenario } from '../context.ts';
import { newUid, textToNum, type DraftEvent } from '../state/scenario.ts';
import {
  addRouteEvent,
  draftModelId,
  modelRoutes,
  rowRoute,
  setEventRoute,
  unavailableRouteText,
  type RowRoute,
} from './route-dose.ts';

let tableCache: RouteTable | null = null;

/** The non-IV route table from the simulation worker (asked once per page; null until it arrives). */
export function useRouteTable(): RouteTable | null {
  const { client } = useApp();
  const [table, setTable] = useState<RouteTable | null>(tableCache);
  useEffect(() => {
    if (table) return;
    let live = true;
    client.routes().then(
      (t) => {
        tableCache = t;
        if (live) setTable(t);
      },
      () => {
        // The routes are optional extras of the editor: without the table the rows still edit as IV, and the
        // worker's validation of the plan still names any route problem.
      },
    );
    return () => {
      live = false;
    };
  }, [client, table]);
  return table;
}

/** The registry model's display name (from the worker's catalogue), else its id. */
function useModelName(): (id: string) => string {
  const catalogue = useResults((r) => r.catalogue);
  return (id) => catalogue?.models.find((m) => m.id === id)?.name ?? id;
}

/**
 * A dose row's route: a labelled choice of IV and the routes the chosen model has (a route the model does
 * not have stays listed, marked, while a row uses it), the dosage form and device rule with its source, and
 * for a route the model does not have, why the row cannot run. Rendered as grid items of the event row.
 * Nothing is shown for a rate row (the pump is IV) or, for an IV row, when the model has IV only.
 */
export function RouteLine({ event: e, index: i }: { event: DraftEvent; index: number }) {
  const { scenario } = useApp();
  const table = useRouteTable();
  const modelId = useScenario(draftModelId);
  const weight = useScenario((s) => textToNum(s.plan.patient.weightKg ?? ''));
  const nameOf = useModelName();
  if ('rate' in e) return null;
  const route = rowRoute(e);
  const available = modelRoutes(table, modelId);
  if (route === 'iv' && available.length === 0) return null;
  const info = available.find(([r]) => r === route)?.[1];
  const options: { value: string; label: string }[] = [
    { value: 'iv', label: 'IV' },
    ...available.map(([r]) => ({ value: r, label: r })),
  ];
  if (route !== 'iv' && !info) options.push({ value: route, label: `${route} (not available for this model)` });
  const why = unavailableRouteText(route, modelId, modelId ? nameOf(modelId) : null, table, nameOf);
  const selectId = `route-${e.uid}`;
  return (
    <>
      <div
        className="route-line"
        style={{ gridColumn: '2 / -1', display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: '4px 8px' }}
      >
        <label htmlFor={selectId} className="small">
          Route
          <span className="sr-only"> of event {i + 1}</span>
        </label>
        <select
          id={selectId}
          data-path={`regimen[${i}].route`}
          value={route}
          aria-invalid={why ? true : undefined}
          style={{ width: 'auto' }}
          onChange={(ev) => {
            const r = ev.target.value as RowRoute;
            scenario.set((s) => setEventRoute(s, e.uid, r, table, typeof weight === 'number' ? weight : null));
          }}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <span className="event-desc route-form" data-testid={`route-form-${i + 1}`} style={{ margin: 0 }}>
          {route === 'iv' ? (
            'into the vein (a bolus or the pump)'
          ) : info ? (
            <>
              {info.form}
              {info.device ? (
                <>
                  {' '}
                  · {info.device.mgPerDevice} mg per device, devices {info.device.intervalMin} min apart ({info.device.source})
                </>
              ) : null}
            </>
          ) : null}
        </span>
        {info?.description ? (
          <details className="small">
            <summary>How it is absorbed (source)</summary>
            {info.description}. {info.citation}
          </details>
        ) : null}
      </div>
      {why ? (
        <span className="field-error event-error" data-testid={`route-unavailable-${i + 1}`} aria-live="polite">
          {why}
        </span>
      ) : null}
    </>
  );
}

/** "+ Intranasal dose", "+ Oral dose": one button per non-IV route the chosen model has. */
export function AddRouteButtons() {
  const { scenario } = useApp();
  const table = useRouteTable();
  const modelId = useScenario(draftModelId);
  const routes = modelRoutes(table, modelId);
  if (routes.length === 0) return null;
  return (
    <>
      {routes.map(([r, info]) => (
        <button key={r} type="button" title={info.form} onClick={() => scenario.set((s) => addRouteEvent(s, r, table, newUid()))}>
          + {r === 'intranasal' ? 'Intranasal' : 'Oral'} dose
        </button>
      ))}
    </>
  );
}
