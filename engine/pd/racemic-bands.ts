// `DEFAULT_BANDS`: cited Ce bands for racemic ketamine (research notes §1) and `ANTIDEPRESSANT_MARKER`, the racemic defaults.
import type { Band } from '../plan.ts';

/**
 * Default concentration bands for racemic ketamine (adults), each with its source, from
 * ../shared/research/ketamine-pd.md §1 (copied to docs/research/ketamine-pd.md). They come from
 * different populations, sampling sites and endpoints, and they overlap: the dashboard shows the
 * overlap rather than hiding it. A Ce band is only as good as the ke0 paired with the PK model.
 */
export interface CitedBand extends Band {
  /** Display name. */
  readonly name: string;
  readonly citation: string;
  /** Confidence and caveats, as recorded in the research notes. */
  readonly note: string;
  /** Chart colour. */
  readonly color: string;
}

export const DEFAULT_BANDS: readonly CitedBand[] = [
  {
    id: 'analgesia',
    name: 'Analgesia (sub-dissociative)',
    lowNgMl: 70,
    highNgMl: 160,
    citation: 'Zanos P et al. Pharmacol Rev 2018;70(3):621-660, Table 1 (70-160 ng/mL, 0.29-0.67 µM). doi:10.1124/pr.117.015198',
    note: 'Medium confidence: secondary review table; sampling site not stated. stanpumpR uses 100-160 (typical 120), citing "Moen 2013" (not read).',
    color: '#4caf50',
  },
  {
    id: 'dissociation',
    name: 'Dissociation (psychedelic effects)',
    lowNgMl: 100,
    highNgMl: 250,
    citation:
      'Zanos P et al. Pharmacol Rev 2018;70:621 (100-250 ng/mL during 0.5 mg/kg over 40 min, citing Krystal 1994); Bowdle TA et al. Anesthesiology 1998;88:82 (effects rise linearly from 50 to 200 ng/mL, no threshold; venous, steady state)',
    note: 'A gradient, not a threshold: effects start from about 50 ng/mL (Bowdle 1998). Olofsen 2022 found one shared C50 and ke0 for antinociception and dissociation, so the two cannot be separated by titration.',
    color: '#2196f3',
  },
  {
    id: 'responsiveness',
    name: 'Recovery ↔ loss of responsiveness',
    lowNgMl: 1060,
    highNgMl: 1640,
    citation:
      'Sleigh J et al. Br J Anaesth 2019;123:592: recovery of responsiveness at Ce 1.06 ± 0.21 µg/mL; loss of responsiveness at 1.64 ± 0.17 µg/mL after 1.5 mg/kg (model Ce, PK model not stated)',
    note: 'Idvall 1979 (BJA 51:1167) reports recovery at about 642 ± 214 ng/mL plasma; Herd 2008 cites an adult recovery level of 0.74 ± 0.24 mg/L. The PK model behind Sleigh 2019 is not known.',
    color: '#ff9800',
  },
  {
    id: 'anaesthesia',
    name: 'Anaesthesia',
    lowNgMl: 1200,
    highNgMl: 2400,
    citation:
      'Zanos P et al. Pharmacol Rev 2018;70:621 (Cmax after 1-2 mg/kg: 1200-2400 ng/mL, 5-10 µM); Schüttler J et al. J Pharmacokinet Biopharm 1987 (EEG median-frequency IC50 2.0 ± 0.5 µg/mL), doi:10.1007/BF01066320',
    note: 'High confidence. Idvall 1979: maintenance with N2O at about 2211 ng/mL.',
    color: '#e53935',
  },
];

/** A reference line, not a band: the level the antidepressant dose produces (not an efficacy threshold). */
export const ANTIDEPRESSANT_MARKER = {
  id: 'antidepressant-level',
  name: 'Level reached by 0.5 mg/kg over 40 min',
  ngMl: 185,
  citation: 'Zanos 2018 Table 1, citing Zarate 2006 (0.78 µM)',
  note: 'The level the dose produces, not an efficacy threshold. Medium confidence.',
} as const;
