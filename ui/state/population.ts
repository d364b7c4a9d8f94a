// `PopulationSettings` (toggle, N, seed, CV, which curves) on the scenario, and the chart-overlay store.
import type { PopulationOverlay } from '../components/population-series.ts';
import type { Scenario } from './scenario.ts';
import { createStore, type Store } from './store.ts';

/**
 * The virtual-population settings of the Plan view, kept in the scenario record (`scenario.population`,
 * optional: absent = DEFAULT_POPULATION). They are NOT part of a share link, which carries the plan
 * only (docs/PLAN-FORMAT.md). While `enabled` is false nothing population-related runs.
 */
export interface PopulationSettings {
  /** The "population" toggle: show percentile bands and threshold probabilities. */
  readonly enabled: boolean;
  /** Virtual patients, 1 … MAX_PANEL_PATIENTS. */
  readonly n: number;
  readonly seed: number;
  /** CV (%) for parameters without published variability (labelled ASSUMPTION). */
  readonly cvPct: number;
  /** Which concentrations get percentile bands on the chart. */
  readonly series: 'ce' | 'both';
}

export const DEFAULT_POPULATION: PopulationSettings = { enabled: false, n: 10_000, seed: 1, cvPct: 30, series: 'ce' };

/** The scenario's population settings (defaults filled in). */
export const populationOf = (s: Scenario): PopulationSettings => s.population ?? DEFAULT_POPULATION;

/** Change some population settings (returns `s` itself when nothing changes). */
export function setPopulation(s: Scenario, patch: Partial<PopulationSettings>): Scenario {
  const cur = populationOf(s);
  const next = { ...cur, ...patch };
  if ((Object.keys(next) as (keyof PopulationSettings)[]).every((k) => next[k] === cur[k])) return s;
  return { ...s, population: next };
}

/**
 * The population overlay the concentration chart draws (percentile areas and medians), or null. Set by
 * the population panel; one per page, beside the scenario and results stores.
 */
export const populationOverlayStore: Store<PopulationOverlay | null> = createStore<PopulationOverlay | null>(null);
