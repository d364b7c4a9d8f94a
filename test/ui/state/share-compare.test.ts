// Comparison links (#compare=): every pin and its label, the window and the y-axis mode travel; bad links are refused naming the field.
import { describe, expect, it } from 'vitest';
import { api } from '../../../workers/simulation-api.ts';
import { DEFAULT_PLAN, editedLabel } from '../../../ui/state/scenario.ts';
import {
  MAX_COMPARE_PLANS,
  MAX_SHARE_PAYLOAD_CHARS,
  readShareHash,
  scenarioFromShare,
  scenarioLink,
  type HashShare,
} from '../../../ui/state/share.ts';
import type { Plan } from '../../../engine/plan.ts';

const dose = (mgPerKg: number): Plan => ({ ...DEFAULT_PLAN, regimen: [{ at: 0, dose: mgPerKg, unit: 'mg/kg', overMin: 40 }] });
const pins = [
  { label: 'Domino 1984 · 70 kg · 1 mg/kg over 40 min', plan: dose(1) },
  { label: 'Domino 1984 · 70 kg · 2 mg/kg over 40 min', plan: dose(2) },
];
/** The real worker API, called in-process (the same functions the worker exposes). */
const open = (h: HashShare) =>
  scenarioFromShare(
    h as Exclude<HashShare, { kind: 'none' } | { kind: 'error' }>,
    (t) => api.parseText(t),
    (p) => api.validate(p),
  );

describe('#compare=<base64url of a JSON array of plans> (docs/PLAN-FORMAT.md "Share links")', () => {
  it('carries the edited plan then every pin in order, each labelled, and decodes independently to that array', () => {
    const edited = dose(0.5);
    const link = scenarioLink('http://x/app/#old', edited, editedLabel(edited, 'Domino 1984'), pins, {
      window: null,
      yRange: 'data',
    });
    expect(link.startsWith('http://x/app/#compare=')).toBe(true);
    const payload = link.split('#compare=')[1];
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/); // nothing after it: the view is the default
    const plans = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    expect(plans.map((p: Plan) => p.label)).toEqual([
      'Current: Domino 1984 · 70 kg · 0.5 mg/kg over 40 min',
      pins[0].label,
      pins[1].label,
    ]);
    expect(plans[2].regimen).toEqual(dose(2).regimen);
  });

  it('restores every pin with its label, the window and the y-axis mode', async () => {
    const link = scenarioLink('http://x/', dose(0.5), 'Current', pins, {
      window: { startMin: 10, endMin: 95.5 },
      yRange: 'log',
    });
    expect(link).toMatch(/&window=10,95\.5&y=log$/);
    const h = readShareHash(link.slice(link.indexOf('#')));
    expect(h.kind).toBe('compare');
    const r = await open(h);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.notes).toEqual([]);
    const s = r.scenario;
    expect(s.pinned.map((p) => p.label)).toEqual(pins.map((p) => p.label));
    expect(s.pinned.map((p) => p.plan.regimen)).toEqual(pins.map((p) => p.plan.regimen));
    expect(new Set(s.pinned.map((p) => p.color)).size).toBe(2);
    expect(s.plan.regimen.map(({ uid: _u, ...e }) => e)).toEqual(dose(0.5).regimen);
    expect(s.view).toEqual({ startMin: 10, endMin: 95.5 });
    expect(s.display.yRange).toBe('log');
  });

  it('keeps the plain #plan= link when nothing is pinned (no label travels), with the view when it differs', async () => {
    const link = scenarioLink('http://x/', { ...dose(0.5), label: 'Jane Doe' }, 'Current', [], { window: null, yRange: 'bands' });
    expect(link).toMatch(/#plan=[A-Za-z0-9_-]+&y=bands$/);
    expect(link).not.toContain('Jane');
    const r = await open(readShareHash(link.slice(link.indexOf('#'))));
    expect(r.ok && r.scenario.display.yRange).toBe('bands');
    expect(r.ok && r.scenario.pinned).toEqual([]);
  });

  it('refuses, naming the field: too many plans, not an array, not base64url, too long, an invalid pinned plan', async () => {
    const enc = (v: unknown) => `#compare=${Buffer.from(JSON.stringify(v)).toString('base64url')}`;
    const many = readShareHash(enc(Array.from({ length: MAX_COMPARE_PLANS + 1 }, () => dose(0.5))));
    expect(many).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/^share link: compare: expected a JSON array of 1 to 5 plans/),
    });
    expect(readShareHash(enc({ plan: 1 }))).toMatchObject({ kind: 'error', message: expect.stringContaining('got object') });
    expect(readShareHash('#compare=***')).toMatchObject({ kind: 'error', message: expect.stringContaining('base64url') });
    expect(readShareHash(`#compare=${'A'.repeat(MAX_SHARE_PAYLOAD_CHARS + 1)}`)).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('more than the 1,000,000'),
    });
    const bad = await open(readShareHash(enc([dose(0.5), { ...dose(1), label: 'ok' }, { ...dose(2), horizonMin: -1 }])));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.some((p) => p.startsWith('compare[2].horizonMin:'))).toBe(true);
  });

  it('an unreadable window or y-axis mode is reported by name and left at its default; the plans still open', async () => {
    const link = scenarioLink('http://x/', dose(0.5), 'Current', pins, { window: null, yRange: 'data' });
    const r = await open(readShareHash(`${link.slice(link.indexOf('#'))}&window=50,20&y=sideways`));
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.notes).toHaveLength(2);
    expect(r.notes[0]).toMatch(/^share link: window: /);
    expect(r.notes[1]).toMatch(/^share link: y: unknown y-axis mode "sideways"/);
    expect(r.scenario.view).toBeNull();
    expect(r.scenario.display.yRange).toBe('data');
    expect(r.scenario.pinned).toHaveLength(2);
  });

  it('opens the sweet-spot view with its settings (`&tab=sweet-spot&ss=`), and names a bad setting', async () => {
    const settings = {
      axis: 'mg/kg' as const,
      doses: '0.5, 1, 2',
      overMin: '40',
      scales: '1',
      population: true,
      n: '100',
      seed: '7',
    };
    const link = scenarioLink('http://x/', dose(0.5), 'Current', [], { window: null, yRange: 'data', sweetSpot: settings });
    const r = await open(readShareHash(link.slice(link.indexOf('#'))));
    expect(r.ok && r.scenario.tab).toBe('sweet-spot');
    expect(r.ok && r.scenario.sweetSpot).toEqual(settings);
    const ss = Buffer.from(JSON.stringify({ doses: 3, colour: 'red' })).toString('base64url');
    const bad = await open(readShareHash(`${link.slice(link.indexOf('#')).split('&')[0]}&tab=sweet-spot&ss=${ss}`));
    expect(bad.ok && bad.notes).toEqual([
      'share link: ss.colour: unknown field; expected axis, doses, overMin, scales, population, n, seed',
      'share link: ss.doses: expected text of at most 2000 characters',
      'share link: the sweet-spot view opens with its default settings',
    ]);
  });
});
