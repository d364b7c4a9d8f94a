// Pure Live-mode text helpers: `anonymousAlias`, band/crossing/pump/rate text, event rows, typed-number checks.
import type { Band, Problem } from '../../engine/plan.ts';
import { DEFAULT_BANDS } from '../../engine/pd/racemic-bands.ts';
import type { BandCrossing, LiveAction, LogEntry, PumpState, SessionLog } from '../../engine/live/index.ts';
import { DOSE_UNITS, doseToMg } from '../../engine/units.ts';
import { formatMg, unitLabel } from '../format.ts';

/**
 * Pure helpers of Live mode (no DOM, no clock: times are arguments), tested in node: the session's plan
 * for a patient, what the readouts and the event log say, and the checks on what is typed.
 */

/**
 * Longest correction reason, characters: the live-log rule's MAX_REASON_LENGTH (engine/live/log.ts, which the
 * storage worker enforces), copied as data so the form can say so before sending; pinned to the engine's
 * value by test/ui/live/live-model.test.ts.
 */
export const REASON_MAX_CHARS = 500;

const LETTERS = 'abcdefghjkmnpqrstuvwxyz';
/**
 * A code for an anonymous session's patient record: "Anon-" and four letters (letters only, so it can
 * never look like a date or a record number to the alias check of ui/storage/records.ts).
 */
export function anonymousAlias(random: () => number = Math.random): string {
  let s = '';
  for (let i = 0; i < 4; i++) s += LETTERS[Math.floor(random() * LETTERS.length) % LETTERS.length];
  return `Anon-${s}`;
}

export { elapsedClock } from './live-state.ts';

/** Display name of a band id (the defaults' names; a plan's own band shows its id). */
export function bandName(id: string): string {
  return DEFAULT_BANDS.find((b) => b.id === id)?.name ?? id;
}
/** Chart colour of a band id. */
export function bandColor(id: string): string {
  return DEFAULT_BANDS.find((b) => b.id === id)?.color ?? '#757575';
}

/** "Dissociation (psychedelic effects) 100–250 ng/mL + Analgesia …", or that Ce is in none of them. */
export function bandsText(ids: readonly string[], bands: readonly Band[]): string {
  if (ids.length === 0) return 'none of the bands';
  return ids
    .map((id) => {
      const b = bands.find((x) => x.id === id);
      return b ? `${bandName(id)} (${b.lowNgMl}–${b.highNgMl ?? '∞'} ng/mL)` : bandName(id);
    })
    .join(' + ');
}

/** A number as a person would write it: at most 4 significant digits, no trailing zeros (70, 0.75, 212.4). */
export function plain(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return '–';
  return String(Number(x.toPrecision(digits)));
}

/** A crossing in words: "Ce falls below 100 ng/mL (low bound of Dissociation …) in 4.2 min". */
export function crossingText(x: BandCrossing | null, lookaheadMin: number): string {
  if (!x) return `no band bound crossed in the next ${lookaheadMin} min`;
  const what = x.bounds.map((b) => `${b.bound} bound of ${bandName(b.id)}`).join('; ');
  return `Ce ${x.direction === 'up' ? 'rises above' : 'falls below'} ${plain(x.levelNgMl)} ng/mL, the ${what}, in ${x.inMin.toFixed(1)} min`;
}

/** A pump rate in mg/kg/h (the plan format's default unit), with the unit it was given in when different. */
export function rateText(rate: number, unit: string, rateMgPerMin: number, weightKg: number): string {
  if (unit === 'mg/kg/h') return `${plain(rate)} mg/kg/h`;
  return `${plain((rateMgPerMin * 60) / weightKg)} mg/kg/h (${plain(rate)} ${unitLabel(unit)})`;
}

/** What the pump is doing, in words with units. */
export function pumpText(p: PumpState, weightKg: number): string {
  const rate = rateText(p.rate, p.unit, p.rateMgPerMin, weightKg);
  switch (p.mode) {
    case 'plan':
      return p.rateMgPerMin > 0 ? `following the plan at ${rate}` : 'following the plan (at 0 now)';
    case 'manual':
      return `set by hand to ${rate}`;
    case 'paused':
      return 'paused (0 mg/kg/h)';
    case 'stopped':
      return 'stopped (0 mg/kg/h)';
  }
}

/** One action in words, with its unit (and mg for a per-kg bolus). */
export function actionText(a: LiveAction, weightKg: number): string {
  switch (a.kind) {
    case 'pause':
      return 'Pause';
    case 'resume':
      return 'Resume (last running rate)';
    case 'resume-plan':
      return 'Resume the plan';
    case 'stop':
      return 'Stop';
    case 'restart':
      return `Restarted at ${plain(a.rate)} ${unitLabel(a.unit)}`;
    case 'rate':
      return `Rate set to ${plain(a.rate)} ${unitLabel(a.unit)}`;
    case 'bolus': {
      const perKg = DOSE_UNITS[a.unit].perKg;
      const mg = doseToMg(a.amount, a.unit, weightKg);
      return `Bolus ${plain(a.amount)} ${unitLabel(a.unit)}${perKg || a.unit !== 'mg' ? ` (${formatMg(mg)} mg)` : ''}`;
    }
  }
}

/** One event of the log as it stands, with its history. */
export interface EventRow {
  readonly eventId: string;
  /** The current version's action, or null when the event was deleted. */
  readonly action: LiveAction | null;
  readonly versions: readonly LogEntry[];
  /** Session minute the event was first recorded. */
  readonly recordedAtMin: number;
}

/** Every event of a log, current and deleted, in order of first recording (newest first when `newestFirst`). */
export function eventRows(log: SessionLog, newestFirst = true): EventRow[] {
  const byId = new Map<string, LogEntry[]>();
  for (const e of log.entries) {
    const list = byId.get(e.eventId) ?? [];
    list.push(e);
    byId.set(e.eventId, list);
  }
  const rows: EventRow[] = [];
  for (const [eventId, versions] of byId) {
    rows.push({ eventId, action: versions[versions.length - 1].action, versions, recordedAtMin: versions[0].recordedAtMin });
  }
  return newestFirst ? rows.reverse() : rows;
}

/** A number typed in a field: the value, or a message naming the field and what it accepts. */
export type Parsed = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

/**
 * Read a number typed by a person (a decimal comma is accepted). `min` with `strict` means > min,
 * otherwise ≥ min. Messages name the field and the unit: "Rate: must be a number ≥ 0 mg/kg/h, got "abc"".
 */
export function readNumber(text: string, field: string, unit: string, min: number, strict = false, max = Infinity): Parsed {
  const s = text.trim().replace(',', '.');
  const unitText = unit ? ` ${unit}` : '';
  const want = `a number ${strict ? '>' : '≥'} ${min}${max < Infinity ? ` and ≤ ${max}` : ''}${unitText}`;
  if (s === '') return { ok: false, message: `${field}: required; ${want}` };
  const v = Number(s);
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s) || !Number.isFinite(v))
    return { ok: false, message: `${field}: must be ${want}, got ${JSON.stringify(text)}` };
  if (strict ? !(v > min) : !(v >= min)) return { ok: false, message: `${field}: must be ${want}, got ${v}` };
  if (v > max) return { ok: false, message: `${field}: must be ${want}, got ${v}` };
  return { ok: true, value: v };
}

/** Rate units offered (the plan format's, µg spelled once). */
export const RATE_UNIT_OPTIONS = ['mg/kg/h', 'mg/kg/min', 'mg/h', 'mg/min', 'ug/kg/min', 'ug/kg/h'] as const;
/** Dose units offered for a bolus. */
export const DOSE_UNIT_OPTIONS = ['mg/kg', 'mg', 'ug/kg', 'ug'] as const;

/** Problems as lines "field: message". */
export const problemLines = (ps: readonly Problem[]): string[] => ps.map((p) => `${p.path}: ${p.message}`);

/** When Ce leaves the band below its low bound: "in 12.5 min", already below, or not within the horizon. */
export function leaveText(minutesToLeave: number | null, lowNgMl: number | null, horizonMin: number): string {
  const low = lowNgMl === null ? 'the band' : `${plain(lowNgMl)} ng/mL`;
  if (minutesToLeave === null) return `Ce stays at or above ${low} for the next ${horizonMin} min`;
  if (minutesToLeave === 0) return `Ce is below ${low} now and stays below`;
  return `Ce falls below ${low} for good in ${minutesToLeave.toFixed(1)} min`;
}
