// Share links round-trip the plan, never carry the label, name malformed-link problems.
import { describe, expect, it } from 'vitest';
import { encodePlan, fromBase64Url, readHash, shareLink, toBase64Url } from '../../../ui/state/share.ts';
import { DEFAULT_PLAN } from '../../../ui/state/scenario.ts';

describe('share links: #plan=<base64url of the UTF-8 JSON>', () => {
  it('encodes the plan as base64url JSON that decodes back exactly', () => {
    const plan = { ...DEFAULT_PLAN, regimen: [{ at: 0, bolus: 350, unit: 'µg/kg' as const }] };
    const link = shareLink('http://localhost:4173/some/path?x=1#old', plan);
    expect(link.startsWith('http://localhost:4173/some/path?x=1#plan=')).toBe(true);
    const payload = link.split('#plan=')[1];
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toEqual(plan); // the contract, decoded independently
    const h = readHash(`#plan=${payload}`);
    expect(h).toEqual({ kind: 'text', text: JSON.stringify(plan) });
  });

  it('never carries the free-text label (it could name a person)', () => {
    const payload = encodePlan({ ...DEFAULT_PLAN, label: 'Jane Doe' });
    expect(Buffer.from(payload, 'base64url').toString('utf8')).not.toContain('Jane');
  });

  it('base64url round-trips arbitrary bytes, with or without padding', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255, 70_000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) % 256);
      const text = toBase64Url(bytes);
      expect(Array.from(fromBase64Url(text)!)).toEqual(Array.from(bytes));
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      const padded = Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
      expect(Array.from(fromBase64Url(padded)!)).toEqual(Array.from(bytes));
    }
  });

  it('names the problem with a malformed link instead of failing', () => {
    expect(readHash('')).toEqual({ kind: 'none' });
    expect(readHash('#section-2')).toEqual({ kind: 'none' });
    expect(readHash('#plan=')).toMatchObject({ kind: 'error', message: expect.stringContaining('empty') });
    expect(readHash('#plan=%%%')).toMatchObject({ kind: 'error', message: expect.stringContaining('base64url') });
    expect(readHash('#plan=abc$def')).toMatchObject({ kind: 'error', message: expect.stringContaining('base64url') });
    expect(readHash('#plan=A')).toMatchObject({ kind: 'error', message: expect.stringContaining('base64url') });
    expect(readHash(`#plan=${Buffer.from([0xff, 0xfe, 0x80]).toString('base64url')}`)).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('UTF-8'),
    });
    // Valid base64url of text that is not a plan is for the validator: it comes back as text.
    expect(readHash(`#plan=${Buffer.from('{nope').toString('base64url')}`)).toEqual({ kind: 'text', text: '{nope' });
  });
});
