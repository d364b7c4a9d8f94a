// Session plan for a patient, anonymous aliases, clock text, typed-number checks, readout and log text.
import { describe, expect, it } from 'vitest';
import {
  REASON_MAX_CHARS,
  actionText,
  anonymousAlias,
  bandsText,
  crossingText,
  elapsedClock,
  eventRows,
  leaveText,
  plain,
  pumpText,
  rateText,
  readNumber,
} from '../../../ui/live/live-model.ts';
import { sessionPlanFor } from '../../../ui/live/session-plan.ts';
import { checkSessionPlan } from '../../../ui/storage/session-check.ts';
import { parsePatient } from '../../../ui/storage/records.ts';
import {
  correctAction,
  deleteAction,
  buildCourse,
  currentActions,
  pumpAt,
  MAX_REASON_LENGTH,
} from '../../../engine/live/index.ts';
import { DEFAULT_BANDS } from '../../../engine/pd/bands.ts';
import { antidepressant, logOf } from '../../engine/live/fixtures.ts';

const plan = antidepressant(70);

describe('the session plan for a patient', () => {
  it('takes the covariates from the patient record and keeps regimen, model, grid and bands; no label', () => {
    const labelled = { ...plan, label: 'demo', thresholds: [{ id: 'x', lowNgMl: 1, highNgMl: 2 }] };
    const p = sessionPlanFor(labelled, { alias: 'K-17', weightKg: 82, ageYears: 51, sex: 'male' });
    expect(p.patient).toEqual({ weightKg: 82, ageYears: 51, sex: 'male' });
    expect(p.regimen).toBe(labelled.regimen);
    expect(p.model).toBe(labelled.model);
    expect(p.thresholds).toBe(labelled.thresholds);
    expect('label' in p).toBe(false);
    expect(checkSessionPlan(p)).toEqual([]);
  });

  it('a plan that cannot run is refused with the field named', () => {
    const bad = checkSessionPlan({ ...plan, patient: { weightKg: 900 } });
    expect(bad.map((p) => p.path)).toEqual(['plan.patient.weightKg']);
  });
});

describe('the correction form', () => {
  it("limits a reason to the live-log rule's MAX_REASON_LENGTH (a copy kept off the main thread's engine imports)", () => {
    expect(REASON_MAX_CHARS).toBe(MAX_REASON_LENGTH);
  });
});

describe('anonymous aliases', () => {
  it('are "Anon-" and four letters, and pass the alias-only check (never look like a date or record number)', () => {
    let seed = 0;
    for (let i = 0; i < 200; i++) {
      const a = anonymousAlias(() => (seed = (seed * 9301 + 49297) % 233280) / 233280);
      expect(a).toMatch(/^Anon-[a-z]{4}$/);
      expect(parsePatient({ alias: a, weightKg: 70 }).ok).toBe(true);
    }
    expect(anonymousAlias(() => 0.999999)).toBe('Anon-zzzz');
  });
});

describe('the session clock', () => {
  it('shows h:mm:ss floored to the second, as a wall clock does', () => {
    expect(elapsedClock(0)).toBe('0:00:00');
    expect(elapsedClock(30)).toBe('0:30:00');
    expect(elapsedClock(29.99999)).toBe('0:29:59');
    expect(elapsedClock(61.5)).toBe('1:01:30');
    expect(elapsedClock(-1)).toBe('–');
    expect(elapsedClock(Number.NaN)).toBe('–');
  });
});

describe('reading typed numbers', () => {
  it('accepts a decimal comma and names the field, the bound and the unit when refusing', () => {
    expect(readNumber('0,75', 'New rate', 'mg/kg/h', 0)).toEqual({ ok: true, value: 0.75 });
    expect(readNumber(' 2 ', 'New rate', 'mg/kg/h', 0)).toEqual({ ok: true, value: 2 });
    expect(readNumber('', 'New rate', 'mg/kg/h', 0)).toEqual({ ok: false, message: 'New rate: required; a number ≥ 0 mg/kg/h' });
    expect(readNumber('abc', 'New rate', 'mg/kg/h', 0)).toEqual({
      ok: false,
      message: 'New rate: must be a number ≥ 0 mg/kg/h, got "abc"',
    });
    expect(readNumber('-1', 'New rate', 'mg/kg/h', 0)).toEqual({
      ok: false,
      message: 'New rate: must be a number ≥ 0 mg/kg/h, got -1',
    });
    expect(readNumber('0', 'Bolus', 'mg', 0, true)).toEqual({ ok: false, message: 'Bolus: must be a number > 0 mg, got 0' });
    expect(readNumber('12', 'Time', 'min', 0, false, 10)).toEqual({
      ok: false,
      message: 'Time: must be a number ≥ 0 and ≤ 10 min, got 12',
    });
    expect(readNumber('1e400', 'Rate', '', 0).ok).toBe(false);
    expect(readNumber('Infinity', 'Rate', '', 0).ok).toBe(false);
  });
});

describe('what the readouts and the log say', () => {
  it('a pump rate is given in mg/kg/h, with the unit it was set in when different', () => {
    const course = buildCourse(plan, []);
    // 0.5 mg/kg over 40 min is 0.875 mg/min at 70 kg, i.e. 0.75 mg/kg/h
    expect(pumpText(pumpAt(course, 5), 70)).toBe('following the plan at 0.75 mg/kg/h (0.875 mg/min)');
    expect(pumpText(pumpAt(course, 41), 70)).toBe('following the plan (at 0 now)');
    const log = logOf(plan, [
      { kind: 'pause', atMin: 5 },
      { kind: 'rate', atMin: 8, rate: 1, unit: 'mg/kg/h' },
    ]);
    const c2 = buildCourse(plan, currentActions(log));
    expect(pumpText(pumpAt(c2, 6), 70)).toBe('paused (0 mg/kg/h)');
    expect(pumpText(pumpAt(c2, 9), 70)).toBe('set by hand to 1 mg/kg/h');
    expect(rateText(50, 'ug/kg/min', 3.5, 70)).toBe('3 mg/kg/h (50 µg/kg/min)');
  });

  it('actions read with their units, a per-kg bolus with its mg', () => {
    expect(actionText({ kind: 'bolus', atMin: 3, amount: 0.1, unit: 'mg/kg' }, 70)).toBe('Bolus 0.1 mg/kg (7.00 mg)');
    expect(actionText({ kind: 'bolus', atMin: 3, amount: 10, unit: 'mg' }, 70)).toBe('Bolus 10 mg');
    expect(actionText({ kind: 'rate', atMin: 3, rate: 0.35, unit: 'mg/kg/h' }, 70)).toBe('Rate set to 0.35 mg/kg/h');
    expect(actionText({ kind: 'resume-plan', atMin: 3 }, 70)).toBe('Resume the plan');
  });

  it('bands, crossings and the time to leave the band in words, with units', () => {
    expect(bandsText(['analgesia', 'dissociation'], DEFAULT_BANDS)).toBe(
      'Analgesia (sub-dissociative) (70–160 ng/mL) + Dissociation (psychedelic effects) (100–250 ng/mL)',
    );
    expect(bandsText([], DEFAULT_BANDS)).toBe('none of the bands');
    expect(
      crossingText(
        { atMin: 14.2, inMin: 4.25, levelNgMl: 100, direction: 'down', bounds: [{ id: 'dissociation', bound: 'low' }] },
        240,
      ),
    ).toBe('Ce falls below 100 ng/mL, the low bound of Dissociation (psychedelic effects), in 4.3 min');
    expect(crossingText(null, 240)).toBe('no band bound crossed in the next 240 min');
    expect(leaveText(12.34, 100, 120)).toBe('Ce falls below 100 ng/mL for good in 12.3 min');
    expect(leaveText(0, 100, 120)).toBe('Ce is below 100 ng/mL now and stays below');
    expect(leaveText(null, 100, 120)).toBe('Ce stays at or above 100 ng/mL for the next 120 min');
    expect(plain(212.3456)).toBe('212.3');
    expect(plain(0.75)).toBe('0.75');
  });

  it('the event log lists every event newest first, with its corrections and deletion kept', () => {
    let log = logOf(plan, [
      { kind: 'pause', atMin: 5 },
      { kind: 'resume', atMin: 7 },
      { kind: 'bolus', atMin: 9, amount: 5, unit: 'mg' },
    ]);
    const c = correctAction(plan, log, 'e1', { atMin: 4.5 }, 10, 'pressed late');
    if (!c.ok) throw new Error('refused');
    const d = deleteAction(plan, c.log, 'e3', 11);
    if (!d.ok) throw new Error('refused');
    log = d.log;
    const rows = eventRows(log);
    expect(rows.map((r) => r.eventId)).toEqual(['e3', 'e2', 'e1']);
    expect(rows[0].action).toBeNull();
    expect(rows[0].versions.map((v) => v.change)).toEqual(['record', 'delete']);
    expect(rows[2].action).toEqual({ kind: 'pause', atMin: 4.5 });
    expect(rows[2].versions.map((v) => v.reason)).toEqual([undefined, 'pressed late']);
    expect(rows[2].recordedAtMin).toBe(5);
    expect(eventRows(log, false).map((r) => r.eventId)).toEqual(['e1', 'e2', 'e3']);
  });
});
