// The chart's metabolite series (`cm`): whether it is shown, its name, colour, dash and legend entry, its peak in the window, and the remembered toggle.
import type { MetaboliteInfo } from '../../workers/simulation-api.ts';
import type { DisplayOptions } from '../state/scenario.ts';
import { createStore, type Store } from '../state/store.ts';

/**
 * A model with a metabolite (engine/models/metabolite.ts: Simons 2022 S-norketamine, Perez-Ruixo 2021
 * noresketamine on an apparent scale) predicts its plasma concentration `cm` (ng/mL) beside Cp and Ce. The
 * chart draws it only on request, as its own series (own colour and dash), never against the ketamine
 * bands: the bands and the metrics are about the parent drug.
 */

/** Colour of the metabolite series (distinct from Cp, Ce, the pin colours, the bands and the reference lines). */
export const CM_COLOR = '#827717';
/** Dash of the metabolite series: dash-dot, unlike the pins' dashed Ce (7 4) and dotted Cp (2 3). */
export const CM_DASH = '9 3 2 3';

/** The series' name, from the engine's metabolite name: "S-norketamine Cp", "noresketamine (apparent) Cp". */
export const metaboliteSeriesName = (m: Pick<MetaboliteInfo, 'name'>): string => `${m.name} Cp`;

/** The legend words for the metabolite series: what it is, its unit, and that no band applies to it. */
export function metaboliteLegendLabel(m: Pick<MetaboliteInfo, 'name' | 'volume'>, editedLabel: string | null): string {
  const scale = m.volume === 'apparent' ? ', apparent scale' : '';
  return `${metaboliteSeriesName(m)} (metabolite in plasma, ng/mL${scale}; not scored against the bands)${editedLabel ? ` — ${editedLabel}` : ''}`;
}

/** The key under which this browser remembers the toggle. */
export const METABOLITE_STORAGE_KEY = 'ketasim.chart.metabolite';

/** The remembered toggle from a Storage: true only for the stored text "on" (anything else, or no storage: off). */
export function loadMetabolitePreference(storage: Pick<Storage, 'getItem'> | null): boolean {
  try {
    return storage?.getItem(METABOLITE_STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}

/** Remember the toggle; false when the browser refuses (private mode: the choice then lasts for this page). */
export function saveMetabolitePreference(storage: Pick<Storage, 'setItem'> | null, on: boolean): boolean {
  try {
    if (!storage) return false;
    storage.setItem(METABOLITE_STORAGE_KEY, on ? 'on' : 'off');
    return true;
  } catch {
    return false;
  }
}

const browserStorage = (): Storage | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
};

/** This browser's remembered choice, read once at start (the scenario's `display.metabolite` overrides it once set). */
export const metabolitePreference: Store<boolean> = createStore(loadMetabolitePreference(browserStorage()));

/** Set the toggle: the scenario's display option (via `setDisplay`) and this browser's remembered choice. */
export function rememberMetabolite(on: boolean): void {
  metabolitePreference.set(on);
  saveMetabolitePreference(browserStorage(), on);
}

/** Whether the toggle is on: the scenario's choice when made, else the remembered one. */
export const metaboliteToggle = (display: DisplayOptions, remembered: boolean): boolean => display.metabolite ?? remembered;

/**
 * The metabolite series to draw, or null: only when the toggle is on and the prediction carries `cm`
 * (a model without a metabolite never draws one, whatever the toggle says).
 */
export function shownMetabolite<S extends { readonly cm?: Float64Array }>(
  on: boolean,
  info: MetaboliteInfo | null | undefined,
  series: S,
): { readonly info: MetaboliteInfo; readonly cm: Float64Array } | null {
  return on && info && series.cm ? { info, cm: series.cm } : null;
}

/**
 * The largest value of a decimated series inside [startMin, endMin] and its time (min), or null when no
 * sample lies in the window. Min/max decimation keeps every bucket's largest sample, so this is the largest
 * grid value in the window (engine/decimate.ts).
 */
export function peakInWindow(
  t: Float64Array,
  v: Float64Array,
  startMin: number,
  endMin: number,
): { readonly tMin: number; readonly ngMl: number } | null {
  let best = -1;
  for (let i = 0; i < t.length; i++) {
    if (t[i] < startMin || t[i] > endMin) continue;
    if (best < 0 || v[i] > v[best]) best = i;
  }
  return best < 0 ? null : { tMin: t[best], ngMl: v[best] };
}
