// Pure `Scenario → Scenario` edits: patient/model fields, regimen rows, presets, bands, zoom window, pins.
import type { Band, Plan } from '../../engine/plan.ts';
import { DEFAULT_BANDS } from '../../engine/pd/racemic-bands.ts';
import { microFromClearances, type Clearances } from '../../engine/pk/mammillary.ts';
import type { RegimenPreset } from '../../engine/pd/presets.ts';
import {
  MAX_PINNED,
  PIN_COLORS,
  draftFromPlan,
  eventKind,
  newUid,
  textToNum,
  type DraftBand,
  type DraftEvent,
  type DraftModel,
  type DraftPatient,
  type DraftPlan,
  type EventKind,
  type Num,
  type Scenario,
} from './scenario.ts';

/**
 * Every change the panels make to the scenario record, as pure functions Scenario → Scenario, so
 * they can be tested without React and reused by future panels (Live mode appends rate events,
 * Course view restores a stored scenario).
 */

const withPlan = (s: Scenario, plan: DraftPlan, keepPreset = false): Scenario => ({
  ...s,
  plan,
  presetId: keepPreset ? s.presetId : null,
});

export function setPatientField(s: Scenario, key: keyof DraftPatient, v: Num | undefined | 'female' | 'male'): Scenario {
  const patient: Record<string, unknown> = { ...s.plan.patient };
  if (v === undefined || v === '') delete patient[key];
  else patient[key] = v;
  return withPlan(s, { ...s.plan, patient: patient as DraftPatient }, true);
}

/** Switch to a registry model (any ke0 override is dropped: it belonged to the previous model). */
export function setModelId(s: Scenario, id: string): Scenario {
  return withPlan(s, { ...s.plan, model: { id } }, true);
}

export const CLEARANCE_KEYS = ['v1', 'cl1', 'v2', 'cl2', 'v3', 'cl3'] as const;
export const MICRO_KEYS = ['v1', 'k10', 'k12', 'k21', 'k13', 'k31'] as const;
export type CustomKind = 'custom-clearance' | 'custom-micro';

/** The kind of model a draft names. */
export function modelKind(m: DraftModel): 'registry' | CustomKind {
  if ('id' in m) return 'registry';
  return Object.keys(m).some((k) => k.startsWith('k') && k !== 'ke0') ? 'custom-micro' : 'custom-clearance';
}

/**
 * Switch to a custom model, starting from `from` (the parameters in use: L, L/min, 1/min) so the
 * curve does not jump: clearances and micro-constants convert exactly into each other
 * (engine/pk/mammillary.ts microFromClearances one way; CL = k·V1, V = CL/k back). A model that is
 * neither (a general linear system) starts from Kamp 2020's typical values at 70 kg (clearances) or
 * Domino 1984's (micro-constants).
 */
export function setCustomModel(
  s: Scenario,
  kind: CustomKind,
  from: Readonly<Record<string, number>> | null,
  ke0: number | null,
): Scenario {
  let src: Record<string, number> | null = null;
  if (from && 'cl1' in from) {
    src =
      kind === 'custom-clearance'
        ? { ...from }
        : ((({ kind: _k, ...m }) => m)(microFromClearances(from as unknown as Clearances)) as unknown as Record<string, number>);
  } else if (from && 'k10' in from) {
    if (kind === 'custom-micro') src = { ...from };
    else {
      const v1 = from.v1,
        out: Record<string, number> = { v1, cl1: from.k10 * v1 };
      if (from.k12 && from.k21) {
        out.cl2 = from.k12 * v1;
        out.v2 = out.cl2 / from.k21;
      }
      if (from.k13 && from.k31) {
        out.cl3 = from.k13 * v1;
        out.v3 = out.cl3 / from.k31;
      }
      src = out;
    }
  }
  src ??=
    kind === 'custom-clearance'
      ? { v1: 25, cl1: 1.4, v2: 56, cl2: 161 / 60, v3: 157, cl3: 79 / 60 }
      : { v1: 4.41, k10: 0.4381, k12: 0.5921, k21: 0.247, k13: 0.59, k31: 0.0146 };
  const keys = kind === 'custom-clearance' ? CLEARANCE_KEYS : MICRO_KEYS;
  const model: Record<string, Num> = {};
  for (const k of keys) if (src[k] !== undefined && src[k] !== 0) model[k] = Number(src[k].toPrecision(6));
  model.ke0 = ke0 !== null ? Number(ke0.toPrecision(6)) : 0.238;
  return withPlan(s, { ...s.plan, model }, true);
}

export function setModelField(s: Scenario, key: string, v: Num | undefined): Scenario {
  const model: Record<string, unknown> = { ...s.plan.model };
  if (v === undefined || v === '') delete model[key];
  else model[key] = v;
  return withPlan(s, { ...s.plan, model: model as DraftModel }, true);
}

const rateUnitDefault = 'mg/kg/h';
const doseUnitDefault = 'mg/kg';

/** Where a new row starts: after the end of the last event (its duration counted), else at 0; min. */
export function nextEventTime(plan: DraftPlan): number {
  let end = 0;
  for (const e of plan.regimen) {
    const at = textToNum(e.at);
    if (typeof at !== 'number') continue;
    const over = 'overMin' in e ? textToNum(e.overMin) : 0;
    end = Math.max(end, at + (typeof over === 'number' ? over : 0));
  }
  const horizon = textToNum(plan.horizonMin);
  const next = plan.regimen.length === 0 ? 0 : end + 10;
  return typeof horizon === 'number' && next > horizon ? Math.max(0, horizon) : next;
}

/** The last non-zero pump rate before `at` (for "resume"), with its unit. */
function lastRunningRate(plan: DraftPlan): { rate: Num; unit: string } | null {
  let best: { at: number; rate: Num; unit: string } | null = null;
  for (const e of plan.regimen) {
    const at = textToNum(e.at);
    if (typeof at !== 'number') continue;
    if ('rate' in e && textToNum(e.rate) !== 0 && (!best || at >= best.at)) best = { at, rate: e.rate, unit: e.unit };
    if ('dose' in e && (!best || at >= best.at)) {
      const dose = textToNum(e.dose),
        over = textToNum(e.overMin);
      if (typeof dose === 'number' && typeof over === 'number' && over > 0 && e.unit === 'mg/kg') {
        best = { at, rate: Number(((dose / over) * 60).toPrecision(6)), unit: 'mg/kg/h' };
      }
    }
  }
  return best ? { rate: best.rate, unit: best.unit } : null;
}

export type AddKind = EventKind | 'pause' | 'resume';

/** Append a row of the given kind at the next free time. */
export function addEvent(s: Scenario, kind: AddKind): Scenario {
  const at = nextEventTime(s.plan);
  const uid = newUid();
  let e: DraftEvent;
  if (kind === 'bolus') e = { uid, at, bolus: 0.35, unit: doseUnitDefault };
  else if (kind === 'dose') e = { uid, at, dose: 0.5, unit: doseUnitDefault, overMin: 40 };
  else if (kind === 'pause') e = { uid, at, rate: 0, unit: rateUnitDefault };
  else if (kind === 'resume') {
    const last = lastRunningRate(s.plan);
    e = { uid, at, rate: last?.rate ?? 0.5, unit: last?.unit ?? rateUnitDefault };
  } else e = { uid, at, rate: 0.5, unit: rateUnitDefault };
  return withPlan(s, { ...s.plan, regimen: [...s.plan.regimen, e] });
}

/** Change fields of one row (a cleared field stays as '' so validation reports it as required). */
export function updateEvent(s: Scenario, uid: string, patch: Record<string, Num | undefined>): Scenario {
  const regimen = s.plan.regimen.map((e) => {
    if (e.uid !== uid) return e;
    const next: Record<string, unknown> = { ...e };
    for (const [k, v] of Object.entries(patch)) next[k] = v ?? '';
    return next as unknown as DraftEvent;
  });
  return withPlan(s, { ...s.plan, regimen });
}

/** Change a row's kind, keeping its time and, where the units allow, its amount. */
export function changeEventKind(s: Scenario, uid: string, kind: EventKind): Scenario {
  const regimen = s.plan.regimen.map((e): DraftEvent => {
    if (e.uid !== uid || eventKind(e) === kind) return e;
    const amount = 'bolus' in e ? e.bolus : 'dose' in e ? e.dose : e.rate;
    const doseUnit = 'rate' in e ? doseUnitDefault : e.unit;
    if (kind === 'bolus') return { uid, at: e.at, bolus: amount, unit: doseUnit };
    if (kind === 'dose')
      return { uid, at: e.at, dose: amount, unit: doseUnit, overMin: ('overMin' in e ? e.overMin : undefined) ?? 40 };
    return { uid, at: e.at, rate: amount, unit: rateUnitDefault };
  });
  return withPlan(s, { ...s.plan, regimen });
}

export function removeEvent(s: Scenario, uid: string): Scenario {
  return withPlan(s, { ...s.plan, regimen: s.plan.regimen.filter((e) => e.uid !== uid) });
}

/** Put the rows in time order (stable: same-time rows keep their order, which decides the last rate set). */
export function sortRegimen(s: Scenario): Scenario {
  const key = (e: DraftEvent) => {
    const at = textToNum(e.at);
    return typeof at === 'number' ? at : Infinity;
  };
  const regimen = s.plan.regimen
    .map((e, i) => ({ e, i }))
    .sort((a, b) => key(a.e) - key(b.e) || a.i - b.i)
    .map((x) => x.e);
  return withPlan(s, { ...s.plan, regimen }, true);
}

/** Replace the regimen and horizon by a preset's; the patient, model and bands stay. */
export function applyPreset(s: Scenario, preset: RegimenPreset): Scenario {
  const regimen = preset.regimen.map((e) => ({ uid: newUid(), ...e }) as DraftEvent);
  return { ...s, plan: { ...s.plan, regimen, horizonMin: preset.horizonMin }, view: null, presetId: preset.id };
}

export function setGrid(s: Scenario, key: 'horizonMin' | 'resolutionSec', v: Num | undefined): Scenario {
  return { ...withPlan(s, { ...s.plan, [key]: v ?? '' }, true), view: key === 'horizonMin' ? null : s.view };
}

/**
 * The bands in effect for the draft: its own thresholds, else the defaults of its drug (`defaults`: the
 * band set the worker sent with the last result, e.g. an S-ketamine model's own; the racemic defaults
 * when absent).
 */
/** A default band as draftBands reads it (engine Band, or the worker's BandSetInfo band with a null open bound). */
export type DefaultBandLike = { readonly id: string; readonly lowNgMl: number; readonly highNgMl?: number | null };

export function draftBands(plan: DraftPlan, defaults?: readonly DefaultBandLike[] | null): readonly DraftBand[] {
  return (
    plan.thresholds ??
    (defaults ?? DEFAULT_BANDS).map(
      (b): DraftBand => ({
        id: b.id,
        lowNgMl: b.lowNgMl,
        ...(b.highNgMl !== undefined && b.highNgMl !== null && { highNgMl: b.highNgMl }),
      }),
    )
  );
}

/** Change one bound of one band (the defaults in effect, `defaults` as for draftBands, are copied into the plan on the first edit). */
export function setBandBound(
  s: Scenario,
  id: string,
  key: 'lowNgMl' | 'highNgMl',
  v: Num | undefined,
  defaults?: readonly DefaultBandLike[] | null,
): Scenario {
  const thresholds = draftBands(s.plan, defaults).map((b) => {
    if (b.id !== id) return b;
    const next: Record<string, unknown> = { ...b };
    if (v !== undefined) next[key] = v;
    else if (key === 'highNgMl')
      delete next[key]; // an empty high bound = an open band
    else next[key] = ''; // the low bound is required: validation names it
    return next as unknown as DraftBand;
  });
  return withPlan(s, { ...s.plan, thresholds }, true);
}

/** Back to the drug's default bands (the plan's `thresholds` removed). */
export function resetBands(s: Scenario): Scenario {
  const { thresholds: _t, ...rest } = s.plan;
  return withPlan(s, rest, true);
}

/** Show a time window (min), or the whole horizon with null. A window narrower than 0.1 min is ignored. */
export function setView(s: Scenario, view: { startMin: number; endMin: number } | null): Scenario {
  if (view && !(view.endMin - view.startMin >= 0.1)) return s;
  return { ...s, view: view && { startMin: Math.max(0, view.startMin), endMin: view.endMin } };
}

/** Zoom by `factor` (< 1 zooms in) around `centerMin`, within [0, horizon]. */
export function zoom(
  s: Scenario,
  domain: { startMin: number; endMin: number },
  factor: number,
  centerMin: number,
  horizonMin: number,
): Scenario {
  const span = Math.min(horizonMin, (domain.endMin - domain.startMin) * factor);
  if (span >= horizonMin) return { ...s, view: null };
  let start = centerMin - (centerMin - domain.startMin) * factor;
  start = Math.min(Math.max(0, start), horizonMin - span);
  return setView(s, { startMin: start, endMin: start + span });
}

export function setDisplay(s: Scenario, patch: Partial<Scenario['display']>): Scenario {
  return { ...s, display: { ...s.display, ...patch } };
}

export { describePlan } from './scenario.ts';

/** Pin a valid plan for comparison (at most MAX_PINNED; the oldest gives way). */
export function pin(s: Scenario, plan: Plan, label: string): Scenario {
  const used = new Set(s.pinned.map((p) => p.color));
  const kept = s.pinned.length >= MAX_PINNED ? s.pinned.slice(1) : s.pinned;
  const color = PIN_COLORS.find((c) => !kept.some((p) => p.color === c)) ?? PIN_COLORS.find((c) => !used.has(c)) ?? PIN_COLORS[0];
  return { ...s, pinned: [...kept, { id: newUid(), label, color, plan }] };
}

export function unpin(s: Scenario, id: string): Scenario {
  return { ...s, pinned: s.pinned.filter((p) => p.id !== id) };
}

/**
 * Edit a pinned plan: it becomes the plan being edited. When the plan being edited is valid (`current`,
 * as the worker validated it), nothing is lost: it takes the pin's place (same slot and colour, labelled
 * `currentLabel`), so editing a pin swaps the two. Without a valid current plan the pin simply stays.
 */
export function editPinned(s: Scenario, id: string, current: Plan | null = null, currentLabel = ''): Scenario {
  const p = s.pinned.find((x) => x.id === id);
  if (!p) return s;
  const pinned = current
    ? s.pinned.map((x) => (x.id === id ? { ...x, id: newUid(), label: currentLabel || x.label, plan: current } : x))
    : s.pinned;
  return { ...s, plan: draftFromPlan(p.plan), pinned, presetId: null };
}

/** A band of the defaults or of the plan, with the default's name/citation when the id is known. */
export function bandLabel(b: Band): string {
  const d = DEFAULT_BANDS.find((x) => x.id === b.id);
  return d ? d.name : b.id;
}
