// Share links `#plan=<base64url JSON>` (plan only, no label): `shareLink`, `readHash`, base64url helpers.
import type { Plan } from '../../engine/plan.ts';

/**
 * Share links (docs/PLAN-FORMAT.md): `#plan=<base64url of the UTF-8 JSON>`. A link carries the plan
 * and nothing else: no label (free text could name a person), no display state.
 */

/** UTF-8 bytes → base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padding optional) → bytes, or null when the text is not base64url. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return null;
  const b64 = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (b64.length % 4 === 1) return null;
  try {
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** The plan as it travels in a link: the label removed. */
export function sharablePlan(plan: Plan): Plan {
  const { label: _label, ...rest } = plan;
  return rest;
}

/** The `plan=` payload for a plan. */
export function encodePlan(plan: Plan): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(sharablePlan(plan))));
}

/** A full share link for `plan` at the page `base` (origin + path, any hash dropped). */
export function shareLink(base: string, plan: Plan): string {
  return `${base.replace(/#.*$/, '')}#plan=${encodePlan(plan)}`;
}

/**
 * Longest `plan=` payload read, characters of base64url (about 730 kB of plan JSON): far above the largest
 * plan the format's limits accept, so only a link that could never be a valid plan is refused here, before
 * it is decoded, with a message; everything below the cap is validated in the worker (parsePlan).
 */
export const MAX_SHARE_PAYLOAD_CHARS = 1_000_000;

/** What a location hash holds: no plan, plan JSON text to validate, or a problem with the link itself. */
export type HashPlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'error'; readonly message: string };

/** Read `#plan=…` from a location hash (with or without the leading '#'). */
export function readHash(hash: string): HashPlan {
  const h = hash.replace(/^#/, '');
  if (h === '') return { kind: 'none' };
  const params = new URLSearchParams(h);
  const payload = params.get('plan');
  if (payload === null) return { kind: 'none' };
  if (payload.length > MAX_SHARE_PAYLOAD_CHARS)
    return {
      kind: 'error',
      message: `share link: the plan is ${payload.length.toLocaleString('en-GB')} characters long, more than the ${MAX_SHARE_PAYLOAD_CHARS.toLocaleString('en-GB')} a share link may carry; it was not opened`,
    };
  if (payload === '') return { kind: 'error', message: 'share link: "#plan=" is empty; expected the base64url of the plan JSON' };
  const bytes = fromBase64Url(payload);
  if (bytes === null)
    return { kind: 'error', message: 'share link: the plan is not valid base64url (expected only A–Z, a–z, 0–9, "-" and "_")' };
  try {
    return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { kind: 'error', message: 'share link: the decoded plan is not valid UTF-8 text' };
  }
}
