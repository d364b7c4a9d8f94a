// The chart legend as data: every curve drawn (the edited plan's Cp, Ce and any metabolite, each pinned plan) named, for the on-screen legend and the PNG.
import type { MetaboliteInfo } from '../../workers/simulation-api.ts';
import type { DisplayOptions, PinnedScenario } from '../state/scenario.ts';
import { CM_COLOR, CM_DASH, metaboliteLegendLabel } from './metabolite.ts';

/**
 * One legend entry: what a line on the chart is, its colour and its dash pattern (SVG
 * stroke-dasharray; absent = solid). The PNG export draws exactly these entries (export-png.ts
 * composeSvg), so the file names every curve the chart shows.
 */
export interface LegendItem {
  readonly id: string;
  readonly label: string;
  readonly color: string;
  readonly dash?: string;
}

/** The edited plan's curve colours (ChartPanel draws with these). */
export const CP_COLOR = '#455a64';
export const CE_COLOR = '#6a1b9a';

/** Which of a pinned plan's curves are overlaid, in words. */
export const overlayWords = (compare: DisplayOptions['compareSeries']): string =>
  compare === 'both' ? 'Ce dashed, Cp dotted' : compare === 'cp' ? 'Cp' : 'Ce';

/**
 * The legend of the concentration chart: the edited plan's Cp and Ce, named by `editedLabel` when there
 * is one (e.g. "Current: Domino 1984 · 70 kg · 0.5 mg/kg over 40 min"), the edited plan's metabolite
 * when it is drawn (`metabolite`: ui/chart/metabolite.ts `shownMetabolite`), then every pinned plan by its
 * label with the curves overlaid for it.
 */
export function chartLegend(
  editedLabel: string | null,
  pinned: readonly Pick<PinnedScenario, 'id' | 'label' | 'color'>[],
  compare: DisplayOptions['compareSeries'],
  metabolite: Pick<MetaboliteInfo, 'name' | 'volume'> | null = null,
): LegendItem[] {
  const of = editedLabel ? ` — ${editedLabel}` : '';
  return [
    { id: 'cp', label: `Cp (plasma)${of}`, color: CP_COLOR },
    { id: 'ce', label: `Ce (effect site)${of}`, color: CE_COLOR },
    ...(metabolite ? [{ id: 'cm', label: metaboliteLegendLabel(metabolite, editedLabel), color: CM_COLOR, dash: CM_DASH }] : []),
    ...pinned.map((p) => ({
      id: `pin-${p.id}`,
      label: `${p.label} (${overlayWords(compare)})`,
      color: p.color,
      dash: compare === 'cp' ? '2 3' : '7 4',
    })),
  ];
}
