// `Scenario`: the whole dashboard state as one plain-JSON record; drafts, `defaultScenario`, `scenarioToPlanInput`, `textToNum`.
import type { Plan } from '../../engine/plan.ts';
import type { PopulationSettings } from './population.ts';
import type { SweetSpotSettings } from '../sweet-spot/settings.ts';

/**
 * The dashboard's whole state as ONE serialisable record (plain JSON: no functions, no typed arrays,
 * no Dates). Everything on screen that a user chose lives here; everything computed (predictions,
 * metrics) lives in the result store and is derived from this record by the worker.
 *
 * Extension points: a panel adds its own optional field (e.g. `live`, `course`, `population`) with
 * a default in `DEFAULT_SCENARIO`, and reads/writes it through the store (ui/state/store.ts). The
 * plan being edited is `plan`; `scenarioToPlanInput` turns it into plan-format input for the worker,
 * share links and storage.
 */
export interface Scenario {
  readonly version: 1;
  /** The plan being edited, in plan-format shape (docs/PLAN-FORMAT.md), possibly invalid while typed. */
  readonly plan: DraftPlan;
  /** Visible time window, min; null = the whole horizon. */
  readonly view: { readonly startMin: number; readonly endMin: number } | null;
  readonly display: DisplayOptions;
  /** Scenarios pinned for comparison (≤ MAX_PINNED), each a valid plan. */
  readonly pinned: readonly PinnedScenario[];
  /** The active tab (ui/tabs.tsx). */
  readonly tab: string;
  /** Id of the preset the regimen came from, while it is unchanged (for its citation). */
  readonly presetId: string | null;
  /** Virtual-population settings (ui/state/population.ts); absent = the defaults (off). Never in a share link. */
  readonly population?: PopulationSettings;
  /** The sweet-spot view's dose axis and population toggle (ui/sweet-spot/settings.ts); absent = its defaults. */
  readonly sweetSpot?: SweetSpotSettings;
}

/** A field as typed: a number, or the text when it is not (yet) one, so the problem can name it. */
export type Num = number | string;

export interface DraftPatient {
  readonly weightKg?: Num;
  readonly ageYears?: Num;
  readonly sex?: 'female' | 'male';
  readonly heightCm?: Num;
}

/** A registry model with an optional ke0 override, or a custom model (volumes/clearances or micro-constants). */
export type DraftModel = { readonly id: string; readonly ke0?: Num } | { readonly [param: string]: Num | undefined };

/** One regimen row. `uid` is the row's identity for the editor and is not part of the plan. */
export type DraftEvent =
  | { readonly uid: string; readonly at: Num; readonly bolus: Num; readonly unit: string }
  | { readonly uid: string; readonly at: Num; readonly rate: Num; readonly unit: string }
  | { readonly uid: string; readonly at: Num; readonly dose: Num; readonly unit: string; readonly overMin: Num }
  /** A non-IV dose (docs/PLAN-FORMAT.md "Dose events"): `route` "intranasal" or "oral"; not part of the pump. */
  | {
      readonly uid: string;
      readonly at: Num;
      readonly dose: Num;
      readonly unit: string;
      readonly route: string;
      readonly overMin?: undefined;
    };

export interface DraftBand {
  readonly id: string;
  readonly lowNgMl: Num;
  readonly highNgMl?: Num;
}

export interface DraftPlan {
  readonly patient: DraftPatient;
  readonly model: DraftModel;
  readonly regimen: readonly DraftEvent[];
  readonly horizonMin: Num;
  readonly resolutionSec: Num;
  /** Absent = the drug's default bands (engine/pd/bands.ts). */
  readonly thresholds?: readonly DraftBand[];
}

export interface DisplayOptions {
  readonly weightUnit: 'kg' | 'lb';
  readonly heightUnit: 'cm' | 'in';
  /**
   * Y axis: fit the data, extend to show every band, or a logarithmic axis (so a bolus's Cp spike does
   * not flatten every other curve; it spans 1 ng/mL to the highest value shown).
   */
  readonly yRange: 'data' | 'bands' | 'log';
  /** Which curves of the pinned scenarios to overlay. */
  readonly compareSeries: 'ce' | 'cp' | 'both';
  /**
   * Draw the metabolite's plasma concentration (`cm`, ng/mL) where the model has one (ui/chart/metabolite.ts).
   * Absent = this browser's remembered choice (off until chosen); kept in localStorage, not in share links
   * (docs/PLAN-FORMAT.md names the view a link carries: time window and y-axis mode).
   */
  readonly metabolite?: boolean;
}

export interface PinnedScenario {
  readonly id: string;
  readonly label: string;
  readonly color: string;
  readonly plan: Plan;
}

export const MAX_PINNED = 4;
export const PIN_COLORS = ['#d81b60', '#00897b', '#f4511e', '#5e35b1'] as const;

let uidCounter = 0;
/** A fresh row identity. */
export const newUid = (): string => `e${Date.now().toString(36)}${(uidCounter++).toString(36)}`;

/** The worked default: 70 kg adult, Domino 1984, 0.5 mg/kg over 40 min, 4-hour view (antidepressant preset). */
export const DEFAULT_PLAN: Plan = {
  patient: { weightKg: 70, ageYears: 40 },
  model: { id: 'domino-1984' },
  regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
  horizonMin: 240,
  resolutionSec: 10,
};

export const DEFAULT_DISPLAY: DisplayOptions = { weightUnit: 'kg', heightUnit: 'cm', yRange: 'data', compareSeries: 'ce' };

/** A scenario editing `plan` (a valid plan, e.g. from a share link), with default display options. */
export function scenarioFromPlan(plan: Plan, presetId: string | null = null): Scenario {
  return {
    version: 1,
    plan: draftFromPlan(plan),
    view: null,
    display: DEFAULT_DISPLAY,
    pinned: [],
    tab: 'plan',
    presetId,
  };
}

export const defaultScenario = (): Scenario => scenarioFromPlan(DEFAULT_PLAN, 'antidepressant');

/** A valid plan as an editable draft (rows get identities; the label, never shown or shared, is dropped). */
export function draftFromPlan(plan: Plan): DraftPlan {
  return {
    patient: { ...plan.patient },
    model: { ...plan.model } as DraftModel,
    regimen: plan.regimen.map((e) => ({ uid: newUid(), ...e }) as DraftEvent),
    horizonMin: plan.horizonMin,
    resolutionSec: plan.resolutionSec,
    ...(plan.thresholds && { thresholds: plan.thresholds.map((b) => ({ ...b })) }),
  };
}

/**
 * The draft as plan-format input for validation: row identities removed, empty fields omitted,
 * numeric text converted. Text that is not a number stays text, so parsePlan names the field.
 */
export function scenarioToPlanInput(draft: DraftPlan): Record<string, unknown> {
  const clean = (o: Record<string, unknown>, drop: readonly string[] = []): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (drop.includes(k) || v === undefined || v === '') continue;
      out[k] = typeof v === 'string' && k !== 'id' && k !== 'unit' && k !== 'sex' ? textToNum(v) : v;
    }
    return out;
  };
  return {
    patient: clean(draft.patient as Record<string, unknown>),
    model: clean(draft.model as Record<string, unknown>),
    regimen: draft.regimen.map((e) => clean(e as unknown as Record<string, unknown>, ['uid'])),
    ...(draft.horizonMin !== '' && { horizonMin: textToNum(draft.horizonMin) }),
    ...(draft.resolutionSec !== '' && { resolutionSec: textToNum(draft.resolutionSec) }),
    ...(draft.thresholds && { thresholds: draft.thresholds.map((b) => clean(b as unknown as Record<string, unknown>)) }),
  };
}

/** Text typed into a number field → a number when it reads as one (a decimal comma is accepted), else the text ('' when absent). */
export function textToNum(v: Num | undefined): Num {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return v;
  const s = v.trim();
  if (s === '') return v;
  const n = Number(s.replace(',', '.'));
  return Number.isFinite(n) && /^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/.test(s) ? n : v;
}

/** What a number field commits: undefined when empty (the field is omitted), else textToNum. */
export function commitText(text: string): Num | undefined {
  return text.trim() === '' ? undefined : textToNum(text);
}

/** The kind of a regimen row. */
export type EventKind = 'bolus' | 'rate' | 'dose';
export const eventKind = (e: DraftEvent | Plan['regimen'][number]): EventKind =>
  'bolus' in e ? 'bolus' : 'rate' in e ? 'rate' : 'dose';

/** A short description of a plan for pinned labels (no person: model, weight, regimen). */
export function describePlan(plan: Plan, modelName: string): string {
  const first = plan.regimen[0];
  const what =
    plan.regimen.length === 0
      ? 'no dose'
      : 'bolus' in first
        ? `bolus ${first.bolus} ${first.unit}`
        : 'dose' in first
          ? `${first.dose} ${first.unit} ${'route' in first ? first.route : `over ${first.overMin} min`}`
          : `${first.rate} ${first.unit}`;
  const more = plan.regimen.length > 1 ? ` +${plan.regimen.length - 1}` : '';
  return `${modelName} · ${plan.patient.weightKg} kg · ${what}${more}`;
}

/** The label of the edited plan's curves (legend, PNG, the first plan of a `#compare=` link). */
export const editedLabel = (plan: Plan, modelName: string): string => `Current: ${describePlan(plan, modelName)}`;
