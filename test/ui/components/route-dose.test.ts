// Non-IV doses in the regimen editor: route options per model, a row's route change (devices rounded, nothing lost), the row in words, the unavailable-route and Live/population messages.
import { describe, expect, it } from 'vitest';
import { MODEL_ROUTES } from '../../../engine/models/routes.ts';
import { parsePlan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { routeTable } from '../../../workers/stop-comparison-api.ts';
import { scenarioFromPlan, scenarioToPlanInput, type Scenario } from '../../../ui/state/scenario.ts';
import { changeEventKind, setModelId } from '../../../ui/state/actions.ts';
import {
  addRouteEvent,
  deviceCount,
  modelRoutes,
  modelsWithRoute,
  nonIvRefusal,
  routeRowText,
  rowRoute,
  setEventRoute,
  unavailableRouteText,
} from '../../../ui/components/route-dose.ts';

const table = routeTable();
const PR = 'perez-ruixo-2021-esketamine';
const start = (): Scenario =>
  scenarioFromPlan({
    patient: { weightKg: 70, ageYears: 45 },
    model: { id: PR },
    regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
    horizonMin: 240,
    resolutionSec: 10,
  });
const valid = (s: Scenario) => parsePlan(scenarioToPlanInput(s.plan), MODEL_IDS);

describe('the route table from the worker', () => {
  it('is engine/models/routes.ts MODEL_ROUTES (form and device rule) with each model record’s route citation and description', () => {
    expect(Object.keys(table)).toEqual(Object.keys(MODEL_ROUTES));
    expect(table[PR].intranasal).toMatchObject(MODEL_ROUTES[PR].intranasal!);
    expect(table[PR].intranasal!.description).toMatch(/^each 28-mg device: FRn 0.54/);
    expect(table['simons-2022-s-ketamine-arterial'].oral!.form).toBe(MODEL_ROUTES['simons-2022-s-ketamine-arterial'].oral!.form);
  });

  it('offers only the routes a model has; IV-only and custom models none', () => {
    expect(modelRoutes(table, PR).map(([r]) => r)).toEqual(['intranasal', 'oral']);
    expect(modelRoutes(table, 'simons-2022-s-ketamine-arterial').map(([r]) => r)).toEqual(['oral']);
    expect(modelRoutes(table, 'domino-1984')).toEqual([]);
    expect(modelRoutes(table, null)).toEqual([]);
    expect(modelRoutes(null, PR)).toEqual([]);
    expect(modelsWithRoute(table, 'intranasal')).toEqual([PR]);
  });
});

describe('setEventRoute', () => {
  it('to intranasal: the nearest whole number of 28-mg devices in mg (0.5 mg/kg × 70 kg = 35 mg → 1 device); the plan is valid', () => {
    const s0 = start();
    const s = setEventRoute(s0, s0.plan.regimen[0].uid, 'intranasal', table, 70);
    const e = s.plan.regimen[0];
    expect(e).toEqual({ uid: e.uid, at: 0, dose: 28, unit: 'mg', route: 'intranasal' });
    expect(rowRoute(e)).toBe('intranasal');
    expect(valid(s).ok).toBe(true);
  });

  it('rounds 1.2 mg/kg × 70 kg = 84 mg to exactly 3 devices; never below one device', () => {
    const s0 = start();
    const uid = s0.plan.regimen[0].uid;
    const big = { ...s0, plan: { ...s0.plan, regimen: [{ ...s0.plan.regimen[0], dose: 1.2 }] } } as Scenario;
    expect(setEventRoute(big, uid, 'intranasal', table, 70).plan.regimen[0]).toMatchObject({ dose: 84, unit: 'mg' });
    const tiny = { ...s0, plan: { ...s0.plan, regimen: [{ ...s0.plan.regimen[0], dose: 0.01 }] } } as Scenario;
    expect(setEventRoute(tiny, uid, 'intranasal', table, 70).plan.regimen[0]).toMatchObject({ dose: 28, unit: 'mg' });
  });

  it('to oral (no devices): time, amount and unit kept; back to IV: a dose over 40 min', () => {
    const s0 = start();
    const uid = s0.plan.regimen[0].uid;
    const oral = setEventRoute(s0, uid, 'oral', table, 70);
    expect(oral.plan.regimen[0]).toEqual({ uid, at: 0, dose: 0.5, unit: 'mg/kg', route: 'oral' });
    expect(valid(oral).ok).toBe(true);
    const iv = setEventRoute(oral, uid, 'iv', table, 70);
    expect(iv.plan.regimen[0]).toEqual({ uid, at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 });
  });

  it('leaves a rate row (the pump) and a row already on that route unchanged', () => {
    const s0 = start();
    const rate = changeEventKind(s0, s0.plan.regimen[0].uid, 'rate');
    expect(setEventRoute(rate, rate.plan.regimen[0].uid, 'intranasal', table, 70)).toBe(rate);
    expect(setEventRoute(s0, s0.plan.regimen[0].uid, 'iv', table, 70)).toBe(s0);
  });

  it('a Type change of a non-IV row makes an IV row of that kind (the editor goes through bolus first)', () => {
    const s0 = start();
    const uid = s0.plan.regimen[0].uid;
    const nasal = setEventRoute(s0, uid, 'intranasal', table, 70);
    const dose = changeEventKind(changeEventKind(nasal, uid, 'bolus'), uid, 'dose');
    expect(dose.plan.regimen[0]).toEqual({ uid, at: 0, dose: 28, unit: 'mg', overMin: 40 });
  });
});

describe('addRouteEvent', () => {
  it('adds one device for intranasal after the last event; an empty mg amount for oral (the field says it is required)', () => {
    const s = addRouteEvent(start(), 'intranasal', table, 'u1');
    expect(s.plan.regimen[1]).toEqual({ uid: 'u1', at: 50, dose: 28, unit: 'mg', route: 'intranasal' });
    const o = addRouteEvent(start(), 'oral', table, 'u2');
    expect(o.plan.regimen[1]).toEqual({ uid: 'u2', at: 50, dose: '', unit: 'mg', route: 'oral' });
    const r = valid(o);
    expect(r.ok).toBe(false);
    // The engine names the event (a dose event without its amount); the row's own reading names the field.
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual(['regimen[1]']);
    expect(routeRowText(o.plan.regimen[1], 70, table[PR].oral)).toBe(
      'dose: required (mg) — oral at 50 min, not part of the pump',
    );
  });
});

describe('a non-IV row in words', () => {
  const info = table[PR].intranasal!;
  const row = (dose: number | string, unit = 'mg') => ({ uid: 'x', at: 0, dose, unit, route: 'intranasal' });
  it('names the amount, route, devices and interval, and says it is not part of the pump', () => {
    expect(routeRowText(row(56), 70, info)).toBe('56 mg intranasal (2 devices, 5 min apart) at 0 min — not part of the pump');
    expect(routeRowText(row(28), 70, info)).toBe('28 mg intranasal (1 device) at 0 min — not part of the pump');
    expect(routeRowText(row(0.8, 'mg/kg'), 70, info)).toBe(
      '0.8 mg/kg = 56 mg intranasal (2 devices, 5 min apart) at 0 min — not part of the pump',
    );
    expect(routeRowText(row(40), 70, info)).toBe(
      '40 mg intranasal (not a whole number of 28-mg devices) at 0 min — not part of the pump',
    );
    expect(routeRowText(row('abc'), 70, info)).toBeNull();
    expect(deviceCount(84, info)).toBe(3);
    expect(deviceCount(85, info)).toBeNull();
  });

  it('a model without the route: why the row cannot run, naming the models that have it; nothing for one that has it', () => {
    const name = (id: string) => (id === PR ? 'Perez-Ruixo 2021 (esketamine)' : id);
    expect(unavailableRouteText('intranasal', 'domino-1984', 'Domino 1984', table, name)).toBe(
      'Route: intranasal is not available for Domino 1984, so this dose cannot run; the row is kept. Models with an intranasal route: Perez-Ruixo 2021 (esketamine). Choose one of them, or change the route to IV.',
    );
    expect(unavailableRouteText('oral', null, null, table, name)).toMatch(
      /^Route: oral is not available for a custom model \(IV only\)/,
    );
    expect(unavailableRouteText('intranasal', PR, 'x', table, name)).toBeNull();
    expect(unavailableRouteText('iv', 'domino-1984', 'Domino 1984', table, name)).toBeNull();
  });

  it('switching the model keeps the row as it was', () => {
    const s0 = start();
    const nasal = setEventRoute(s0, s0.plan.regimen[0].uid, 'intranasal', table, 70);
    const moved = setModelId(nasal, 'domino-1984');
    expect(moved.plan.regimen).toEqual(nasal.plan.regimen);
    const r = valid(moved);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0].path).toBe('regimen[0].route');
  });
});

describe('nonIvRefusal', () => {
  const plan = {
    regimen: [
      { at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 },
      { at: 60, dose: 56, unit: 'mg', route: 'intranasal' },
    ],
  };
  it('names the reason and the events for Live mode and the population; null for IV-only plans', () => {
    expect(nonIvRefusal(plan, 'live')).toBe(
      'Live mode follows an IV pump; intranasal doses cannot be paused or stopped once given, so this plan cannot start a session (event 2: 56 mg intranasal at 60 min). Remove the non-IV doses in Plan & predict to follow the IV part live; the chart there shows the whole plan.',
    );
    expect(nonIvRefusal(plan, 'population')).toBe(
      'The virtual population runs IV plans only (its kernels have no intranasal absorption), so it does not run this plan (event 2: 56 mg intranasal at 60 min). The chart shows the typical patient.',
    );
    expect(nonIvRefusal({ regimen: [plan.regimen[0], { at: 0, dose: 1, unit: 'mg', route: 'iv' }] }, 'live')).toBeNull();
    expect(nonIvRefusal(null, 'live')).toBeNull();
    expect(nonIvRefusal({}, 'population')).toBeNull();
  });
});
