// Cited dose-response evidence marks for the sweet-spot view (docs/research/ketamine-pd.md §3): data records, never an efficacy curve.

/**
 * What a study found at one dose: a mark on the dose axis, in the study's own words as recorded in
 * docs/research/ketamine-pd.json. A mark carries no number that the sources do not give (no effect
 * size is interpolated, no curve is drawn between marks).
 */
export interface DoseMark {
  /** Dose, mg/kg of racemic ketamine. */
  readonly doseMgPerKg: number;
  /** Infusion duration, min (null: not stated in the record or not an infusion over a duration). */
  readonly overMin: number | null;
  /** Patients in the arm, where the record gives it. */
  readonly n: number | null;
  /** The finding at this dose, as the record states it. */
  readonly finding: string;
}

/** One study's dose-response evidence (a record of docs/research/ketamine-pd.json, kind "dose-response"). */
export interface DoseEvidence {
  /** The record's id in docs/research/ketamine-pd.json. */
  readonly id: string;
  readonly drug: 'racemic ketamine';
  /** What the study measured. */
  readonly endpoint: string;
  readonly marks: readonly DoseMark[];
  /** The study's message for the dose axis, in one sentence. */
  readonly summary: string;
  readonly citation: string;
  readonly doi: string | null;
  /** As recorded (e.g. "high (abstract)", "medium (Su 2017 results not read; Chen 2020 abstract read)"). */
  readonly confidence: string;
}

/** Fava 2020, the dose-ranging trial (docs/research/ketamine-pd.json `dose-ranging-fava2020`). */
export const FAVA_2020: DoseEvidence = {
  id: 'dose-ranging-fava2020',
  drug: 'racemic ketamine',
  endpoint:
    'antidepressant response (HAM-D-6) vs dose, single 40-min infusion, adjunctive in TRD; active placebo midazolam 0.045 mg/kg',
  marks: [
    {
      doseMgPerKg: 0.1,
      overMin: 40,
      n: 18,
      finding: 'better than active placebo only before multiplicity correction (p = 0.02, adjusted p = 0.14, day 1)',
    },
    { doseMgPerKg: 0.2, overMin: 40, n: 20, finding: 'not significantly better than active placebo' },
    { doseMgPerKg: 0.5, overMin: 40, n: 22, finding: 'superior to active placebo after multiplicity correction' },
    {
      doseMgPerKg: 1.0,
      overMin: 40,
      n: 20,
      finding:
        'superior to active placebo after multiplicity correction; NOT reported as better than 0.5 mg/kg, with greater dissociative symptoms and transient blood pressure elevation (magnitudes unverified)',
    },
  ],
  summary:
    'Only 0.5 and 1.0 mg/kg beat active placebo after correction; 1.0 mg/kg was not shown to be better than 0.5 mg/kg and brought more dissociation.',
  citation:
    'Fava M, Freeman MP, Flynn M, et al., Papakostas GI. Double-blind, placebo-controlled, dose-ranging trial of intravenous ketamine as adjunctive therapy in treatment-resistant depression (TRD). Mol Psychiatry 2020;25(7):1592-1603 (online 2018)',
  doi: '10.1038/s41380-018-0256-5',
  confidence: 'high (abstract)',
};

/** Su 2017 / Chen 2020, Taiwanese TRD (docs/research/ketamine-pd.json `dose-ranging-su2017-chen2020`): the counter-example. */
export const SU_2017_CHEN_2020: DoseEvidence = {
  id: 'dose-ranging-su2017-chen2020',
  drug: 'racemic ketamine',
  endpoint: 'antidepressant response vs dose in Taiwanese TRD',
  marks: [
    { doseMgPerKg: 0.2, overMin: null, n: null, finding: 'one of the doses studied (Su 2017; results not read)' },
    {
      doseMgPerKg: 0.5,
      overMin: null,
      n: null,
      finding: 'about 50% response, with much lower blood levels than in Caucasian studies (Su 2017, as summarised by Chen 2020)',
    },
    { doseMgPerKg: 0.8, overMin: null, n: 6, finding: 'open-label: 66.7% response at 240 min, n = 6 (Chen 2020)' },
  ],
  summary:
    'A counter-example to "higher is never better": in this population the optimum may be above 0.5 mg/kg, but the 0.8 mg/kg data are open-label and n = 6.',
  citation:
    'Su TP, Chen MH, Li CT, et al., Krystal JH. Dose-related effects of adjunctive ketamine in Taiwanese patients with treatment-resistant depression. Neuropsychopharmacology 2017;42(13):2482-2492 (authors/pages unverified); Chen MH, Lin WC, Li CT, Su TP. A higher dose (0.8 mg/kg) of ketamine infusion for treatment-resistant depression: an open-label study in Taiwan. Taiwan J Psychiatry 2020;34(2):72-77',
  doi: '10.1038/npp.2017.94; 10.4103/TPSY.TPSY_19_20',
  confidence: 'medium (Su 2017 results not read; Chen 2020 abstract read)',
};

/** Lii 2023, ketamine masked by surgical anaesthesia (docs/research/ketamine-pd.json `ketamine-under-anaesthesia-lii2023`). */
export const LII_2023: DoseEvidence = {
  id: 'ketamine-under-anaesthesia-lii2023',
  drug: 'racemic ketamine',
  endpoint: 'antidepressant effect of ketamine given during general anaesthesia (psychoactive experience masked)',
  marks: [
    {
      doseMgPerKg: 0.5,
      overMin: null,
      n: 40,
      finding:
        'given under surgical anaesthesia: no better than saline (MADRS difference −5.82, 95% CI −13.3 to 1.64, p = 0.13; both groups improved)',
    },
  ],
  summary:
    'Speaks to masking and the conscious experience, not to dose: it does not show that anaesthetic doses are or are not antidepressant.',
  citation:
    'Lii TR, Smith AE, Flohr JR, et al., Heifets BD. Randomized trial of ketamine masked by surgical anesthesia in patients with depression. Nat Ment Health 2023;1(11):876-886',
  doi: '10.1038/s44220-023-00140-x',
  confidence: 'high (abstract)',
};

/** The dose-response evidence of docs/research/ketamine-pd.md §3 (depression), in the order the notes give it. */
export const DOSE_EVIDENCE: readonly DoseEvidence[] = [FAVA_2020, SU_2017_CHEN_2020, LII_2023];

/**
 * The marks at a dose (mg/kg; equal to a studied dose within 1e-9 mg/kg) and, when the mark states a
 * duration, the same infusion duration (min; null `overMin` matches any duration).
 */
export function marksAt(
  doseMgPerKg: number,
  overMin: number | null,
  evidence: readonly DoseEvidence[] = DOSE_EVIDENCE,
): { readonly id: string; readonly mark: DoseMark }[] {
  const out: { id: string; mark: DoseMark }[] = [];
  for (const e of evidence)
    for (const m of e.marks)
      if (Math.abs(m.doseMgPerKg - doseMgPerKg) <= 1e-9 && (m.overMin === null || overMin === null || m.overMin === overMin))
        out.push({ id: e.id, mark: m });
  return out;
}
