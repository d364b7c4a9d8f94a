// `PRESETS`: protocol regimen presets with sources (research §4), unverified ones flagged; `findPreset`.
import type { DoseEvent } from '../plan.ts';
import type { Patient } from '../patient.ts';
import { OLOFSEN_2022_C50, type ReferenceLevel } from './s-ketamine-bands.ts';

/**
 * Protocol presets for the regimen editor: pure data, each with its source, from
 * docs/research/ketamine-pd.md §4 (records `protocol-*` in docs/research/ketamine-pd.json).
 * A preset replaces the regimen and sets a horizon long enough to see the offset; the patient and
 * the model are kept. `verified: false` marks numbers that were only read in secondary sources and
 * must be shown as UNVERIFIED wherever the preset is offered.
 */
export interface RegimenPreset {
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** The regimen in plan-format events (times in min, doses in the units named). */
  readonly regimen: readonly DoseEvent[];
  /** A horizon that shows the regimen and its offset, min. */
  readonly horizonMin: number;
  /** Where the numbers come from. */
  readonly citation: string;
  readonly doi: string | null;
  /** False when the numbers were not read in the primary source (labelled UNVERIFIED in the UI). */
  readonly verified: boolean;
  /** What the preset is and is not, in one or two sentences. */
  readonly note: string;
}

export const PRESETS: readonly RegimenPreset[] = [
  {
    id: 'antidepressant',
    name: 'Antidepressant: 0.5 mg/kg over 40 min',
    regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
    horizonMin: 240,
    citation:
      'Fava M et al. Mol Psychiatry 2020;25(7):1592-1603 ("subanesthetic doses (0.5 mg/kg over 40 min)"); Lii TR et al. Nat Ment Health 2023;1(11):876-886 (0.5 mg/kg)',
    doi: '10.1038/s41380-018-0256-5',
    verified: true,
    note: 'The standard treatment-resistant-depression infusion (0.75 mg/kg/h for 40 min; the rate is arithmetic). In Fava 2020 only 0.5 and 1.0 mg/kg beat active placebo; 1.0 brought more dissociation and was not shown to be better.',
  },
  {
    id: 'crps',
    name: 'Chronic pain (CRPS): 0.35 mg/kg/h for 4 h',
    regimen: [
      { at: 0, rate: 0.35, unit: 'mg/kg/h' },
      { at: 240, rate: 0, unit: 'mg/kg/h' },
    ],
    horizonMin: 360,
    citation:
      'Cohen SP et al. Consensus guidelines on the use of intravenous ketamine infusions for chronic pain (ASRA/AAPM/ASA). Reg Anesth Pain Med 2018;43(5):521-546 (CRPS regimen: 0.35 mg/kg/h × 4 h/day × 10 days; guideline summaries read)',
    doi: '10.1097/AAP.0000000000000808',
    verified: true,
    note: 'One day of the 10-day CRPS course. The guideline reports (grade C) that higher dosages give more benefit in chronic pain: the opposite message to depression.',
  },
  {
    id: 'procedural-sedation',
    name: 'Procedural sedation: IV bolus 1.5 mg/kg (UNVERIFIED)',
    regimen: [{ at: 0, bolus: 1.5, unit: 'mg/kg' }],
    horizonMin: 120,
    citation:
      'Green SM, Roback MG, Kennedy RM, Krauss B. Clinical practice guideline for emergency department ketamine dissociative sedation: 2011 update. Ann Emerg Med 2011;57(5):449-461',
    doi: '10.1016/j.annemergmed.2010.11.030',
    verified: false,
    note: 'UNVERIFIED: the IV 1.5-2 mg/kg numbers were read only in secondary pages, not in the guideline itself. Herd 2008 / Dallimore 2008 PK-PD simulation independently supports about 1.5 mg/kg IV in adults.',
  },
  {
    id: 'induction',
    name: 'Anaesthesia induction: 2 mg/kg over 60 s',
    regimen: [{ at: 0, dose: 2, unit: 'mg/kg', overMin: 1 }],
    horizonMin: 120,
    citation:
      'KETALAR (ketamine hydrochloride) injection, US prescribing information (Par Pharmaceutical), Dosage and Administration: IV 1-4.5 mg/kg; an average 2 mg/kg gives 5-10 min of surgical anaesthesia; inject over 60 s',
    doi: null,
    verified: true,
    note: 'Label average induction dose, given over 60 s as the label advises. Onset about 30 s; emergence reactions in about 12% of patients.',
  },
];

/** The preset with this id, or undefined. */
export function findPreset(id: string): RegimenPreset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/**
 * "IV can be stopped, intranasal cannot" (engine/research/stop-comparison.ts), as data the dashboard can
 * show: the same esketamine PK for both routes (Perez-Ruixo 2021 models IV and intranasal), a decision
 * to stop at minute 15, and the level both are read against.
 */
export interface StopComparisonPreset {
  readonly id: string;
  readonly name: string;
  readonly modelId: string;
  /** A typical adult of the source's 18–60-year stratum (the age its Table 4 reproduction uses). */
  readonly patient: Patient;
  readonly stopAtMin: number;
  readonly horizonMin: number;
  readonly regimens: readonly {
    readonly id: string;
    readonly label: string;
    readonly regimen: readonly DoseEvent[];
    readonly citation: string;
  }[];
  /** The level on S-ketamine's own scale, and why this one. */
  readonly level: ReferenceLevel;
  readonly levelWhy: string;
  readonly note: string;
}

export const STOP_COMPARISON_PRESET: StopComparisonPreset = {
  id: 'stop-iv-vs-intranasal',
  name: 'Stop at 15 min: IV 0.5 mg/kg over 40 min vs intranasal 56 mg (esketamine)',
  modelId: 'perez-ruixo-2021-esketamine',
  patient: { weightKg: 70, ageYears: 45 },
  stopAtMin: 15,
  horizonMin: 480,
  regimens: [
    {
      id: 'iv',
      label: 'IV 0.5 mg/kg over 40 min',
      regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
      citation:
        'Fava M et al. Mol Psychiatry 2020;25(7):1592-1603 (0.5 mg/kg over 40 min; the antidepressant preset), given here as esketamine',
    },
    {
      id: 'intranasal',
      label: 'Intranasal 56 mg (two 28-mg devices, 5 min apart)',
      regimen: [{ at: 0, dose: 56, unit: 'mg', route: 'intranasal' }],
      citation:
        'Perez-Ruixo 2021 (56 mg = two 28-mg devices 5 min apart, its Table 4 dose; docs/models/ketamine-models.json published_checks)',
    },
  ],
  level: OLOFSEN_2022_C50,
  levelWhy:
    "S-ketamine's own C50 for external perception (shared with antinociception; Olofsen 2022), because the model predicts S-ketamine: the racemic dissociation band (150–300 ng/mL) was measured as racemic ketamine, and S-ketamine is about twice as potent, so it does not apply. Olofsen's C50 belongs to Olofsen's own PK and ke0; read on Perez-Ruixo's Ce (derived ke0) it is a transfer, labelled so.",
  note: 'For the typical patient neither regimen reaches the C50 (peak Ce about 58 ng/mL IV when stopped at 15 min, 73 ng/mL intranasal), so both are "below it" at once; the contrast is in what follows the decision: IV Ce only falls, intranasal Ce keeps rising for about 26 min (the nose and gut still hold drug) and takes longer to come back to its value at the decision. Variability (Perez-Ruixo CVs) puts some patients above the C50.',
};
