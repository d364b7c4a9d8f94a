// `metricRows`: one prediction's metrics as labelled text rows with units, for metrics panel and comparison table.
import type { BandSetInfo, ScenarioOk } from '../workers/simulation-api.ts';
import { DEFAULT_BANDS } from '../engine/pd/racemic-bands.ts';
import { conc, formatMg, formatSig, minutes } from './format.ts';

/**
 * The metrics of one prediction as rows of text with units, shared by the metrics panel and the
 * comparison table. A metric not reached within the horizon says so instead of showing a number.
 */
export interface MetricRow {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly detail?: string;
}

/** A band's display name: from the plan's drug's band set (e.g. an S-ketamine model's own), else the racemic defaults', else the id. */
export const bandName = (id: string, set?: BandSetInfo | null): string =>
  set?.bands.find((b) => b.id === id)?.name ?? DEFAULT_BANDS.find((b) => b.id === id)?.name ?? id;

export function metricRows(o: ScenarioOk): MetricRow[] {
  const m = o.metrics;
  const horizon = o.plan.horizonMin;
  const hz = String(Number(horizon.toPrecision(6)));
  const within = `within the ${hz}-min horizon`;
  const rows: MetricRow[] = [
    { id: 'peak-cp', label: 'Peak Cp (plasma)', value: conc(m.peakCpNgMl), detail: `at ${minutes(m.peakCpMin)}` },
    { id: 'peak-ce', label: 'Peak Ce (effect site)', value: conc(m.peakCeNgMl), detail: `at ${minutes(m.peakCeMin)}` },
  ];
  // Minutes inside each band, then, for every bounded band, minutes ABOVE it: a higher dose buys more
  // time past the dissociation band, not more time in it, and the table must show that beside "in".
  for (const b of m.bands) {
    const range = `${b.lowNgMl}–${b.highNgMl ?? '∞'} ng/mL`;
    rows.push({
      id: `band-${b.id}`,
      label: `Ce in ${bandName(b.id, o.bandSet)} (${range})`,
      value: minutes(b.minutesInside),
      detail: b.firstEntryMin === null ? `never reached ${within}` : `first reached at ${minutes(b.firstEntryMin)}`,
    });
    if (b.highNgMl !== null)
      rows.push({
        id: `above-${b.id}`,
        label: `Ce above ${bandName(b.id, o.bandSet)} (≥ ${b.highNgMl} ng/mL)`,
        value: minutes(b.minutesAbove),
        detail: b.minutesAbove > 0 ? undefined : `never above ${within}`,
      });
  }
  if (!m.bands.some((b) => b.id === 'anaesthesia' && b.highNgMl !== null))
    rows.push({
      id: 'above-anaesthesia',
      label: 'Ce above the anaesthesia band',
      value: 'n/a',
      detail: 'this plan has no bounded anaesthesia band',
    });
  const level = m.recoveryLevelNgMl;
  const recLabel =
    level === null
      ? 'Ce falls below the dissociation band after dosing ends'
      : `Ce falls below the dissociation band (${level} ng/mL) after dosing ends`;
  const recovery = (value: string, detail: string): MetricRow => ({ id: 'recovery', label: recLabel, value, detail });
  if (level === null) rows.push(recovery('n/a', 'this plan has no dissociation band'));
  else if (m.totalDoseMg === 0) rows.push(recovery('n/a', `no dose given ${within}`));
  else if (m.lastDoseEndMin === null)
    rows.push(recovery('not reached', `the pump is still running at the end of the ${hz}-min horizon`));
  else if (m.recoveryMin === null)
    rows.push(
      recovery(
        'not reached',
        `Ce is still ≥ ${level} ng/mL at the end of the ${hz}-min horizon (dosing ended at ${minutes(m.lastDoseEndMin)})`,
      ),
    );
  else
    rows.push(
      recovery(
        minutes(m.recoveryMin),
        m.recoveryMin === 0
          ? `Ce was already below ${level} ng/mL when dosing ended at ${minutes(m.lastDoseEndMin)}`
          : `after dosing ended at ${minutes(m.lastDoseEndMin)}`,
      ),
    );
  rows.push({
    id: 'total-dose',
    label: 'Total dose within the horizon',
    value: `${formatMg(m.totalDoseMg)} mg`,
    detail: `${formatSig(m.totalDoseMgPerKg, 3)} mg/kg`,
  });
  return rows;
}
