// S-ketamine on its own scale: cited S-ketamine levels and bands, the default band set by drug, and Olofsen 2022's ke0 record.
import type { Band } from '../plan.ts';
import type { ModelDefinition } from '../models/types.ts';
import { ANTIDEPRESSANT_MARKER, DEFAULT_BANDS, type CitedBand } from './racemic-bands.ts';

/**
 * The racemic bands of ./bands.ts come from racemic concentrations; an S-ketamine (esketamine) model
 * predicts S-ketamine concentrations, so scoring it against them would be silently wrong (S-ketamine is
 * about twice as potent). This module holds what docs/research/ketamine-pd.md (§1 "S-ketamine", §2) and
 * ketamine-pd.json give for S-ketamine, each with its citation, sampling and what the number is:
 *
 *  - a C50 / IC50 is a LINE (half-maximal effect), not a range: it carries its 95% CI or SD as an
 *    uncertainty, and as a band it is open-ended "at or above the line", named so;
 *  - a concentration measured while a state held (mean ± SD) is a reference LINE with its spread, not a
 *    threshold, so it is not turned into a band;
 *  - where docs/research has no S-ketamine number for a racemic band, the band set says so explicitly
 *    (`unavailable`), rather than borrowing the racemic one.
 *
 * Olofsen 2022's t½ke0 (8.3 min) is also here, as a labelled alternative to the derived ke0 of the
 * S-ketamine models; it was estimated with Olofsen's own S-ketamine PK, so using it with another model's
 * PK is a transfer and is labelled as one.
 */

/** What a reference number is. */
export type ReferenceKind =
  /** Effect-site concentration of half-maximal effect from a PK-PD model (a line). */
  | 'c50'
  /** Concentration of half-maximal inhibition of an EEG measure (a line). */
  | 'ic50'
  /** Mean concentration measured while a state held (a line with its SD), not a threshold. */
  | 'measured-level';

/** A cited S-ketamine concentration: a line, with its uncertainty where the source gives one. */
export interface ReferenceLevel {
  readonly id: string;
  /** Display name. */
  readonly name: string;
  readonly kind: ReferenceKind;
  /** The line, ng/mL of S-ketamine. */
  readonly ngMl: number;
  /** 95% confidence interval of the line, ng/mL, when the source gives one. */
  readonly ci95NgMl: readonly [number, number] | null;
  /** Standard deviation between subjects, ng/mL, when the source gives one (mean ± SD). */
  readonly sdNgMl: number | null;
  /** Subjects, when the source gives the number. */
  readonly n: number | null;
  /** Which concentration the number is: model effect-site, serum, plasma. */
  readonly concentration: string;
  /** Sampling site as recorded (arterial / venous / not stated). */
  readonly sampling: string;
  /** The PK the number belongs to (a Ce number is only meaningful with its own PK and ke0). */
  readonly pk: string;
  readonly citation: string;
  readonly doi: string | null;
  /** The record in docs/research/ketamine-pd.json the numbers come from. */
  readonly researchId: string;
  /** Caveats, as recorded in the research notes. */
  readonly note: string;
}

const OLOFSEN_2022 =
  'Olofsen E, Kamp J, Henthorn TK, van Velzen M, Niesters M, Sarton E, Dahan A. Ketamine psychedelic and antinociceptive effects are connected. Anesthesiology 2022;136(5):792-801';
const OLOFSEN_2022_PK =
  "Olofsen 2022's own population PK of S- and R-ketamine and S-/R-norketamine from the same 17 volunteers (not in the registry)";

/** Olofsen 2022: one shared C50 for external perception and pressure-pain antinociception. */
export const OLOFSEN_2022_C50: ReferenceLevel = {
  id: 's-ketamine-perception-antinociception-c50',
  name: 'C50, perception and antinociception (S-ketamine)',
  kind: 'c50',
  ngMl: 121.2,
  ci95NgMl: [90.3, 156.9],
  sdNgMl: null,
  n: 17,
  concentration: 'S-ketamine effect-site (model Ce), from 0.51 nmol/mL (95% CI 0.38–0.66) × 237.7 g/mol',
  sampling: 'plasma, arterial presumed (Leiden protocol; unverified for this dataset)',
  pk: OLOFSEN_2022_PK,
  citation: `${OLOFSEN_2022} (C50 0.51 nmol/mL, 95% CI 0.38-0.66, shared by external perception and pressure-pain antinociception)`,
  doi: '10.1097/ALN.0000000000004176',
  researchId: 'psychedelic-antinociception-olofsen2022',
  note: 'One C50 and one ke0 for both endpoints: analgesia and dissociation cannot be separated by titration. R-ketamine added nothing; S-norketamine was slightly antagonistic. γ and Emax not read.',
};

/** Schüttler 1987: EEG median-frequency IC50 of S-ketamine. */
export const SCHUTTLER_1987_S_IC50: ReferenceLevel = {
  id: 's-ketamine-eeg-ic50',
  name: 'EEG median-frequency IC50 (S-ketamine)',
  kind: 'ic50',
  ngMl: 800,
  ci95NgMl: null,
  sdNgMl: 400,
  n: 5,
  concentration: 'serum (measured), IC50 0.8 ± 0.4 µg/mL',
  sampling: 'serum (measured)',
  pk: 'own PK from measured serum concentrations in the same 5 volunteers (ke0 not read)',
  citation:
    'Schüttler J, Stanski DR, White PF, Trevor AJ, Horai Y, Verotta D, Sheiner LB. Pharmacodynamic modeling of the EEG effects of ketamine and its enantiomers in man. J Pharmacokinet Biopharm 1987;15(3):241-253 (IC50 S-ketamine 0.8 ± 0.4 µg/mL, Emax 8.3 Hz; racemic 2.0 µg/mL)',
  doi: '10.1007/BF01066320',
  researchId: 'eeg-median-frequency-schuttler1987',
  note: 'An EEG endpoint, not a clinical anaesthesia endpoint. S-ketamine about 2.5× as potent as the racemate on it. Authors after Schüttler and pages from memory (unverified).',
};

/** Långsjö 2005: the subanaesthetic level (target 150 ng/mL) as measured. */
export const LANGSJO_2005_SUBANAESTHETIC: ReferenceLevel = {
  id: 's-ketamine-subanaesthetic-level',
  name: 'Measured at a 150 ng/mL subanaesthetic target (S-ketamine)',
  kind: 'measured-level',
  ngMl: 159,
  ci95NgMl: null,
  sdNgMl: 21,
  n: 8,
  concentration: 'serum (measured), 159 ± 21 ng/mL at a TCI target of 150',
  sampling: 'serum',
  pk: 'TCI (model not stated in the abstract)',
  citation:
    'Långsjö JW, Maksimow A, Salmi E, et al. S-ketamine anesthesia increases cerebral blood flow in excess of the metabolic needs in humans. Anesthesiology 2005;103(2):258-268 (authors and end page from memory, unverified)',
  doi: null,
  researchId: 's-ketamine-subanaesthetic-anaesthetic-langsjo2005',
  note: 'The level a subanaesthetic target produced, not an effect threshold. doi recorded as unverified (10.1097/00000542-200508000-00008).',
};

/** Långsjö 2005: the anaesthetic level (target 1500–2000 ng/mL) as measured. */
export const LANGSJO_2005_ANAESTHETIC: ReferenceLevel = {
  id: 's-ketamine-anaesthetic-level',
  name: 'Measured during S-ketamine anaesthesia, 1500–2000 ng/mL target',
  kind: 'measured-level',
  ngMl: 1959,
  ci95NgMl: null,
  sdNgMl: 442,
  n: 8,
  concentration: 'serum (measured), 1959 ± 442 ng/mL at a TCI target of 1500-2000',
  sampling: 'serum',
  pk: 'TCI (model not stated in the abstract)',
  citation: LANGSJO_2005_SUBANAESTHETIC.citation,
  doi: null,
  researchId: 's-ketamine-subanaesthetic-anaesthetic-langsjo2005',
  note: 'Total dose 10.4 mg/kg. Similar in size to racemic anaesthetic levels although S-ketamine is about twice as potent: interpret with caution (total dose, tolerance and endpoints differ).',
};

/** Kienbaum 2001: the plasma level during S-ketamine anaesthesia. */
export const KIENBAUM_2001_ANAESTHESIA: ReferenceLevel = {
  id: 's-ketamine-anaesthesia-level-kienbaum',
  name: 'Measured during S-ketamine anaesthesia (0.67 mg/kg + 15 µg/kg/min)',
  kind: 'measured-level',
  ngMl: 713,
  ci95NgMl: null,
  sdNgMl: 295,
  n: 6,
  concentration: 'plasma (measured), 713 ± 295 µg/L',
  sampling: 'plasma',
  pk: 'none (measured concentrations)',
  citation:
    'S(+)-ketamine increases muscle sympathetic activity and maintains the neural response to hypotensive challenges in humans. Anesthesiology 2001;94(2):252-258 (first author Kienbaum P from memory, unverified)',
  doi: null,
  researchId: 's-ketamine-anaesthesia-kienbaum2001',
  note: 'A single anaesthetic anchor, n = 6; 2.7× below Långsjö 2005’s anaesthetic level: the two disagree, so neither is made a band.',
};

/** Every S-ketamine reference level, in concentration order. */
export const S_KETAMINE_REFERENCES: readonly ReferenceLevel[] = [
  OLOFSEN_2022_C50,
  LANGSJO_2005_SUBANAESTHETIC,
  KIENBAUM_2001_ANAESTHESIA,
  SCHUTTLER_1987_S_IC50,
  LANGSJO_2005_ANAESTHETIC,
];

/** An S-ketamine band: open-ended at or above a cited line (a C50 or IC50), never a made-up range. */
export interface SKetamineBand extends CitedBand {
  /** The line the band starts at. */
  readonly reference: ReferenceLevel;
}

/** The band "Ce at or above `ref`" (no upper bound), named so that it cannot be read as a range. */
function atOrAbove(ref: ReferenceLevel, id: string, name: string, color: string, note: string): SKetamineBand {
  return { id, name, lowNgMl: ref.ngMl, citation: ref.citation, note, color, reference: ref };
}

/**
 * The default S-ketamine bands for metrics and the chart: each is "at or above" a cited C50/IC50 line
 * (open-ended; the line's CI stays with the reference). Measured levels are reference lines only.
 */
export const S_KETAMINE_BANDS: readonly SKetamineBand[] = [
  atOrAbove(
    OLOFSEN_2022_C50,
    's-ketamine-at-or-above-c50',
    'At or above the C50 of perception and antinociception (S-ketamine, Olofsen 2022)',
    '#3f51b5',
    'A line, not a range: 121.2 ng/mL (95% CI 90.3–156.9) is where half the maximal effect is reached; effects grow below and above it. Analgesia and dissociation share it, so there is no separate S-ketamine analgesia or dissociation band. Its Ce belongs with Olofsen 2022’s ke0 (t½ke0 8.3 min).',
  ),
  atOrAbove(
    SCHUTTLER_1987_S_IC50,
    's-ketamine-at-or-above-eeg-ic50',
    'At or above the EEG median-frequency IC50 (S-ketamine, Schüttler 1987)',
    '#b71c1c',
    'A line, not a range: 800 ± 400 ng/mL (SD, n = 5), serum. An EEG measure, not a clinical anaesthesia endpoint.',
  ),
];

/** A racemic band with no S-ketamine counterpart in docs/research, and why. */
export interface UnavailableBand {
  /** The racemic band or marker id (./bands.ts). */
  readonly id: string;
  readonly name: string;
  readonly reason: string;
}

/** The racemic bands and marker that docs/research gives no S-ketamine number for, each said explicitly. */
export const S_KETAMINE_UNAVAILABLE: readonly UnavailableBand[] = [
  {
    id: 'analgesia',
    name: 'Analgesia range',
    reason:
      'No published S-ketamine analgesia range in docs/research; Olofsen 2022 gives one C50 line (121.2 ng/mL) shared with perception, used instead.',
  },
  {
    id: 'dissociation',
    name: 'Dissociation range',
    reason:
      'No published S-ketamine dissociation range in docs/research; Olofsen 2022 gives one C50 line (121.2 ng/mL) shared with antinociception, used instead.',
  },
  {
    id: 'responsiveness',
    name: 'Recovery ↔ loss of responsiveness',
    reason: 'No published S-ketamine concentration for loss or recovery of responsiveness in docs/research.',
  },
  {
    id: 'anaesthesia',
    name: 'Anaesthesia range',
    reason:
      'No published S-ketamine anaesthesia range in docs/research: measured levels disagree (713 ± 295 ng/mL, Kienbaum 2001; 1959 ± 442 ng/mL, Långsjö 2005) and are shown as lines; the EEG IC50 (800 ng/mL, Schüttler 1987) is the band.',
  },
  {
    id: ANTIDEPRESSANT_MARKER.id,
    name: ANTIDEPRESSANT_MARKER.name,
    reason: 'No S-ketamine level for an antidepressant dose in docs/research.',
  },
];

/** Studies on S-ketamine in docs/research whose numbers are NOT used as minutes-scale Ce bands, and why. */
export const S_KETAMINE_NOT_USED: readonly { readonly researchId: string; readonly reason: string }[] = [
  {
    researchId: 'crps-pain-relief-dahan2011',
    reason:
      'C50 10.5 ng/mL (95% CI 4.37–21.2) for CRPS pain relief has an onset/offset t½ of 10.9 days: a slow effect, not comparable with a minutes-scale Ce.',
  },
  {
    researchId: 'analgesia-drughigh-sigtermans2009',
    reason: 'C50, γ and ke0 were not read (unverified); the research notes say not to use it numerically.',
  },
  {
    researchId: 'analgesia-cognition-olofsen2012',
    reason: 'A linear additive model (no C50): slope-type contributions, not a band.',
  },
];

/** The drug a model's concentrations are of, for choosing bands. */
export type DrugClass = 'racemic' | 's-ketamine';

/**
 * A model's `drug` text → its class: "racemic ketamine" → racemic; "S-ketamine", "esketamine" or
 * "S(+)-ketamine" (any case) → s-ketamine. Any other text is a programmer error (a model record with a
 * drug this module has no bands for) and throws, naming it, so no drug falls back to racemic silently.
 */
export function drugClass(drug: string): DrugClass {
  const d = drug.toLowerCase();
  const s = /\bs-ketamine\b|\besketamine\b|\bs\(\+\)-ketamine\b/.test(d);
  const racemic = /\bracemic\b/.test(d);
  if (s && !racemic) return 's-ketamine';
  if (racemic && !s) return 'racemic';
  throw new Error(`drug: no default bands for ${JSON.stringify(drug)}; expected racemic ketamine, S-ketamine or esketamine`);
}

/** What a chart needs of a reference line (an S-ketamine `ReferenceLevel`, or the racemic antidepressant marker). */
export type ReferenceLine = Pick<ReferenceLevel, 'id' | 'name' | 'ngMl' | 'citation' | 'note'>;

/** The default bands, reference lines and explicit gaps for one drug. */
export interface DefaultBandSet {
  readonly drug: DrugClass;
  /** Bands for metrics and chart shading. */
  readonly bands: readonly CitedBand[];
  /** Reference lines (drawn, not scored). */
  readonly references: readonly ReferenceLine[];
  /** Racemic bands with no counterpart for this drug, each with its reason (empty for racemic). */
  readonly unavailable: readonly UnavailableBand[];
  /** Said to the user when the set is not the racemic default (null for racemic). */
  readonly notice: string | null;
}

const RACEMIC_SET: DefaultBandSet = {
  drug: 'racemic',
  bands: DEFAULT_BANDS,
  references: [ANTIDEPRESSANT_MARKER],
  unavailable: [],
  notice: null,
};

const S_KETAMINE_SET: DefaultBandSet = {
  drug: 's-ketamine',
  bands: S_KETAMINE_BANDS,
  references: S_KETAMINE_REFERENCES,
  unavailable: S_KETAMINE_UNAVAILABLE,
  notice:
    'S-ketamine model: concentrations are S-ketamine, scored against S-ketamine levels (Olofsen 2022 C50; Schüttler 1987 EEG IC50), not the racemic bands. No published S-ketamine band for: ' +
    S_KETAMINE_UNAVAILABLE.map((u) => u.name.toLowerCase()).join('; ') +
    '.',
};

/** The default band set for a drug text (see `drugClass`). */
export function defaultBandSetForDrug(drug: string): DefaultBandSet {
  return drugClass(drug) === 's-ketamine' ? S_KETAMINE_SET : RACEMIC_SET;
}

/**
 * The default band set for a resolved model: its drug's, or, for a custom model from the plan (`null`:
 * the plan format gives a custom model no drug), the racemic set, as before.
 */
export function defaultBandSetForModel(definition: Pick<ModelDefinition, 'drug'> | null): DefaultBandSet {
  return definition === null ? RACEMIC_SET : defaultBandSetForDrug(definition.drug);
}

/** The bands a plan uses: its own thresholds when given, else its model's drug's defaults. */
export function bandsForPlanAndModel(
  thresholds: readonly Band[] | undefined,
  definition: Pick<ModelDefinition, 'drug'> | null,
): readonly Band[] {
  return thresholds ?? defaultBandSetForModel(definition).bands;
}

/** ke0 (1/min) from an effect-site equilibration half-time t½ke0 (min): ln 2 / t½. */
export const ke0FromHalfTime = (tHalfMin: number): number => Math.LN2 / tHalfMin;

/** A published ke0 estimated with one PK model, to be offered beside another model's derived ke0. */
export interface PublishedKe0Record {
  readonly id: string;
  /** t½ke0, min, and its 95% CI. */
  readonly tHalfMin: number;
  readonly tHalfCi95Min: readonly [number, number];
  /** ke0 = ln 2 / t½ke0, 1/min (derived by that arithmetic), and its 95% CI (from the t½ CI, reversed). */
  readonly valuePerMin: number;
  readonly ci95PerMin: readonly [number, number];
  /** The endpoint(s) it was estimated for. */
  readonly endpoint: string;
  /** The PK it was estimated with: using it with any other PK is a transfer. */
  readonly pk: string;
  readonly citation: string;
  readonly doi: string;
  readonly researchId: string;
}

/** Olofsen 2022: t½ke0 8.3 min (95% CI 5.1–13.0) for S-ketamine perception and antinociception. */
export const OLOFSEN_2022_KE0: PublishedKe0Record = {
  id: 'olofsen-2022',
  tHalfMin: 8.3,
  tHalfCi95Min: [5.1, 13.0],
  valuePerMin: ke0FromHalfTime(8.3),
  ci95PerMin: [ke0FromHalfTime(13.0), ke0FromHalfTime(5.1)],
  endpoint: 'external perception and pressure-pain antinociception (shared), S-ketamine concentrations',
  pk: OLOFSEN_2022_PK,
  citation: `${OLOFSEN_2022} (t½ke0 8.3 min, 95% CI 5.1-13.0)`,
  doi: '10.1097/ALN.0000000000004176',
  researchId: 'psychedelic-antinociception-olofsen2022',
};

/**
 * The sentence an S-ketamine model with a derived ke0 adds to its ke0 note: Olofsen 2022's t½ke0 and the
 * ke0 it gives (ln 2 / t½ke0, 2 significant digits), from `OLOFSEN_2022_KE0`.
 */
export const OLOFSEN_2022_KE0_NOTE = ` For S-ketamine, Olofsen 2022 reports t½ke0 ${OLOFSEN_2022_KE0.tHalfMin} min (ke0 ≈ ${Number(OLOFSEN_2022_KE0.valuePerMin.toPrecision(2))} /min) with its own PK; enter it as an override (or "ke0": "${OLOFSEN_2022_KE0.id}") to use it.`;

/**
 * The named ke0 a plan may give instead of a number (`"model": { "id": …, "ke0": "olofsen-2022" }`), and
 * the registry models each applies to: Olofsen 2022's to the S-ketamine and esketamine models (a ke0 for
 * S-ketamine concentrations). Listed by id, without importing the models, so that `parsePlan` can refuse
 * it for any other model naming these; tested equal to the models `ke0Choices` offers it to.
 */
export const NAMED_KE0_MODELS = {
  'olofsen-2022': [
    'fanta-2015-s-ketamine',
    'simons-2022-s-ketamine-arterial',
    'flint-2017-s-ketamine-picu',
    'perez-ruixo-2021-esketamine',
  ],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/** A named ke0 choice (`model.ke0` as a string in a plan). */
export type NamedKe0 = keyof typeof NAMED_KE0_MODELS;

/** The named ke0 choices, for messages. */
export const NAMED_KE0_IDS = Object.keys(NAMED_KE0_MODELS) as NamedKe0[];

/** The published record behind each named ke0. */
export const NAMED_KE0_RECORDS: Readonly<Record<NamedKe0, PublishedKe0Record>> = { 'olofsen-2022': OLOFSEN_2022_KE0 };

/** A ke0 a user may choose for a model, with the label it is shown under. */
export interface Ke0Choice {
  /**
   * `model`: the model's own ke0 (published, or derived by the time-to-peak rule; the engine computes it per
   * patient); `olofsen-2022`: Olofsen 2022's, transferred.
   */
  readonly choice: 'model' | 'olofsen-2022';
  /** ke0, 1/min, or null for `model` (the engine resolves it). */
  readonly valuePerMin: number | null;
  readonly ci95PerMin: readonly [number, number] | null;
  /** Shown wherever the ke0 is: says what it is and, for a transfer, that it is one. */
  readonly label: string;
}

/**
 * The ke0 choices for a registry model: every model has its own (published or derived); an S-ketamine
 * model is also offered Olofsen 2022's, labelled as a transfer from Olofsen's own PK to this model's.
 * A racemic model is not offered it (it is a ke0 for S-ketamine concentrations).
 */
export function ke0Choices(definition: Pick<ModelDefinition, 'drug' | 'name'>): Ke0Choice[] {
  const own: Ke0Choice = {
    choice: 'model',
    valuePerMin: null,
    ci95PerMin: null,
    label: `${definition.name}: its own ke0 (published, or derived by the time-to-peak rule)`,
  };
  if (drugClass(definition.drug) !== 's-ketamine') return [own];
  const k = OLOFSEN_2022_KE0;
  return [
    own,
    {
      choice: 'olofsen-2022',
      valuePerMin: k.valuePerMin,
      ci95PerMin: k.ci95PerMin,
      label: `Olofsen 2022 t½ke0 ${k.tHalfMin} min (ke0 ${k.valuePerMin.toFixed(4)} /min, 95% CI ${k.ci95PerMin[0].toFixed(4)}–${k.ci95PerMin[1].toFixed(4)}), estimated with Olofsen’s own S-ketamine PK: a transfer to ${definition.name} PK, not an estimate for it`,
    },
  ];
}
