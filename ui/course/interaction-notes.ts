/**
 * The notes shown beside a session flagged for lamotrigine or benzodiazepine use. They are quoted
 * from docs/research/ketamine-pd.md §3 ("Interactions and dose response"), with its citations. The
 * sources give no concentration shift, so KetaSim moves no band and changes no dose for either flag:
 * the flag only brings this note to the clinician's attention.
 */
export interface InteractionNote {
  readonly flag: 'lamotrigine' | 'benzodiazepine';
  readonly title: string;
  readonly text: string;
  readonly citations: readonly string[];
  /** Where the note is recorded in this repository. */
  readonly source: string;
}

export const INTERACTION_NOTES: Readonly<Record<InteractionNote['flag'], InteractionNote>> = {
  lamotrigine: {
    flag: 'lamotrigine',
    title: 'Lamotrigine',
    text:
      'Lamotrigine 300 mg orally, 2 h before ketamine (0.26 mg/kg bolus + 0.65 mg/kg/h), n = 16: it reduced ' +
      'CADSS perceptual effects (P < .001) and BPRS positive and negative symptoms, and increased the ' +
      'mood-elevating effect. The paper gives no effect size and no concentration shift, so the bands carry ' +
      'this note and are not moved.',
    citations: ['Anand A et al. Arch Gen Psychiatry 2000;57:270'],
    source: 'docs/research/ketamine-pd.md §3',
  },
  benzodiazepine: {
    flag: 'benzodiazepine',
    title: 'Benzodiazepines',
    text:
      'More than 8 mg/day diazepam-equivalent separated non-responders (sensitivity 80%, specificity 85%; ' +
      'n = 47); the outcome was worse at day 3 and day 7 (Andrashko 2020). A secondary analysis of RAPID ' +
      'found a dose-dependent attenuation at day 1 only (Feeney 2023). Frye 2015 and Albott 2017 are cited ' +
      'elsewhere but were not read. No concentration shift is given, so no band is moved.',
    citations: ['Andrashko V et al. Front Psychiatry 2020;11:844', 'Feeney A et al. J Clin Psychiatry 2023;84:22m14491'],
    source: 'docs/research/ketamine-pd.md §3',
  },
};

/** The notes to show for a session's flags, in a fixed order. */
export function interactionNotesFor(flags: {
  readonly lamotrigine: boolean;
  readonly benzodiazepine: boolean;
}): InteractionNote[] {
  const out: InteractionNote[] = [];
  if (flags.lamotrigine) out.push(INTERACTION_NOTES.lamotrigine);
  if (flags.benzodiazepine) out.push(INTERACTION_NOTES.benzodiazepine);
  return out;
}
