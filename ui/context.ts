// `AppContext`/`useApp`: scenario, results, panels, layout, notice, client; `useScenario`, `useResults`, `usePaintedResults`.
import { createContext, useContext } from 'react';
import type { SimulationClient } from '../workers/simulation-client.ts';
import type { Scenario } from './state/scenario.ts';
import type { Layout, Results } from './state/simulation.ts';
import { useStore, type Store } from './state/store.ts';

/** A message about how the page was opened (a share link that could not be read). */
export interface Notice {
  readonly title: string;
  readonly lines: readonly string[];
}

/** What every panel may use: the scenario record, the results, the layout, notices and the worker client. */
export interface AppContextValue {
  readonly scenario: Store<Scenario>;
  /** Results as they arrive (the chart reads these, so it repaints first). */
  readonly results: Store<Results>;
  /** The complete results (metrics included) just after the frame that painted them (every other panel reads these). */
  readonly panels: Store<Results>;
  /**
   * The results just after the frame that painted their curve, before an edit's metrics arrive: for work that
   * needs only the edit's validated plan (the population run), so it need not wait for the metrics.
   */
  readonly painted: Store<Results>;
  readonly layout: Store<Layout>;
  readonly notice: Store<Notice | null>;
  readonly client: SimulationClient;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp: no AppContext provider');
  return v;
}

/** A slice of the scenario record. */
export const useScenario = <S>(select: (s: Scenario) => S): S => useStore(useApp().scenario, select);
/** A slice of the results, for panels (follows the chart by one task). */
export const useResults = <S>(select: (r: Results) => S): S => useStore(useApp().panels, select);
/** A slice of the results just after their curve was painted (metrics may be the previous edit's). */
export const usePaintedResults = <S>(select: (r: Results) => S): S => useStore(useApp().painted, select);
