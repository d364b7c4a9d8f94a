// Share links: `#plan=` (plan only, no label) and `#compare=` (edited + pinned plans, labelled) with the view; read, write, restore.
import type { Plan } from '../../engine/plan.ts';
import {
  DEFAULT_DISPLAY,
  MAX_PINNED,
  newUid,
  PIN_COLORS,
  scenarioFromPlan,
  type DisplayOptions,
  type PinnedScenario,
  type Scenario,
} from './scenario.ts';
import { DEFAULT_SWEET_SPOT, settingsFromJson, type SweetSpotSettings } from '../sweet-spot/settings.ts';
import { identifyingReason } from '../privacy/identifying.ts';

/**
 * Share links (docs/PLAN-FORMAT.md "Share links"): `#plan=<base64url of the UTF-8 JSON>` carries one plan
 * and no label (free text could name a person). A comparison travels whole as `#compare=<base64url of a
 * JSON array of plans>`: first the edited plan, then the pinned ones in order, each with its `label`
 * naming its curve (labels the dashboard writes: model, weight and regimen, never a person). Either may
 * be followed by the view where it differs from the default: `&window=<start>,<end>` (min) and
 * `&y=<data|bands|log>` (the y-axis mode), and, for the sweet-spot view, `&tab=sweet-spot&ss=<base64url
 * of its settings JSON>` (ui/sweet-spot/settings.ts).
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

/** The view a link may carry (absent = the default: the whole horizon, y axis fitting the curves). */
export interface SharedView {
  readonly window: { readonly startMin: number; readonly endMin: number } | null;
  readonly yRange: DisplayOptions['yRange'];
  /** The sweet-spot view and its settings, when the link opens it. */
  readonly sweetSpot?: SweetSpotSettings | null;
}

export const Y_RANGES: readonly DisplayOptions['yRange'][] = ['data', 'bands', 'log'];

/** Most plans a `compare=` link may carry: the edited one and MAX_PINNED pinned. */
export const MAX_COMPARE_PLANS = 1 + MAX_PINNED;

/** The `compare=` payload: the plans as a JSON array, each with its label. */
export function encodeCompare(plans: readonly Plan[]): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(plans)));
}

/** The `&window=…&y=…` suffix for the parts of the view that differ from the default ('' when none do). */
export function viewParams(view: SharedView): string {
  let out = '';
  if (view.window) out += `&window=${Number(view.window.startMin.toPrecision(10))},${Number(view.window.endMin.toPrecision(10))}`;
  if (view.yRange !== DEFAULT_DISPLAY.yRange) out += `&y=${view.yRange}`;
  if (view.sweetSpot) out += `&tab=sweet-spot&ss=${toBase64Url(new TextEncoder().encode(JSON.stringify(view.sweetSpot)))}`;
  return out;
}

/**
 * The link for what is on screen: `#plan=` when nothing is pinned (labels never travel then), else
 * `#compare=` with the edited plan (labelled `editedLabel`) and every pin (labelled with its own label),
 * in order; the view follows where it differs from the default.
 */
export function scenarioLink(
  base: string,
  edited: Plan,
  editedLabel: string,
  pinned: readonly { readonly label: string; readonly plan: Plan }[],
  view: SharedView,
): string {
  const head = base.replace(/#.*$/, '');
  if (pinned.length === 0) return `${head}#plan=${encodePlan(edited)}${viewParams(view)}`;
  const plans = [
    { ...sharablePlan(edited), label: editedLabel },
    ...pinned.map((p) => ({ ...sharablePlan(p.plan), label: p.label })),
  ];
  return `${head}#compare=${encodeCompare(plans)}${viewParams(view)}`;
}

/** What a location hash asks for: nothing, one plan (text), a comparison (plan objects), or a problem with the link. */
export type HashShare =
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'plan'; readonly text: string; readonly view: SharedView; readonly viewProblems: readonly string[] }
  | {
      readonly kind: 'compare';
      readonly plans: readonly unknown[];
      readonly view: SharedView;
      readonly viewProblems: readonly string[];
    };

/** The `window=` and `y=` parameters: the view, and a problem naming each parameter that could not be read (it is then left at its default). */
export function readView(params: URLSearchParams): { view: SharedView; problems: string[] } {
  const problems: string[] = [];
  let window: SharedView['window'] = null;
  let yRange: SharedView['yRange'] = DEFAULT_DISPLAY.yRange;
  const w = params.get('window');
  if (w !== null) {
    const parts = w.split(',');
    const [a, b] = parts.map((x) => (x.trim() === '' ? Number.NaN : Number(x)));
    if (parts.length !== 2 || !Number.isFinite(a) || !Number.isFinite(b) || a < 0 || !(b - a >= 0.1))
      problems.push(
        `share link: window: expected "<start>,<end>" in minutes with 0 ≤ start and end at least 0.1 min after start, got "${w.slice(0, 60)}"; the whole horizon is shown`,
      );
    else window = { startMin: a, endMin: b };
  }
  const y = params.get('y');
  if (y !== null) {
    if ((Y_RANGES as readonly string[]).includes(y)) yRange = y as SharedView['yRange'];
    else
      problems.push(
        `share link: y: unknown y-axis mode "${y.slice(0, 40)}"; expected one of ${Y_RANGES.join(', ')}; the default (data) is used`,
      );
  }
  let sweetSpot: SweetSpotSettings | null = null;
  const tab = params.get('tab');
  if (tab !== null && tab !== 'sweet-spot')
    problems.push(`share link: tab: unknown view "${tab.slice(0, 40)}"; expected sweet-spot; the plan view is shown`);
  else if (tab === 'sweet-spot') {
    const ss = params.get('ss');
    const bytes = ss === null ? new Uint8Array() : ss.length > 20_000 ? null : fromBase64Url(ss);
    let value: unknown = {};
    try {
      if (bytes === null) throw new Error('not base64url');
      if (bytes.length) value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      value = null;
    }
    const r = settingsFromJson(value);
    if (r.ok) sweetSpot = r.settings;
    else {
      problems.push(...r.problems, 'share link: the sweet-spot view opens with its default settings');
      sweetSpot = DEFAULT_SWEET_SPOT;
    }
  }
  return { view: { window, yRange, sweetSpot }, problems };
}

/** Read `#plan=…` or `#compare=…` (and the view) from a location hash. Sizes are capped before decoding. */
export function readShareHash(hash: string): HashShare {
  const h = hash.replace(/^#/, '');
  if (h === '') return { kind: 'none' };
  const params = new URLSearchParams(h);
  const compare = params.get('compare');
  if (compare === null) {
    const r = readHash(hash);
    if (r.kind !== 'text') return r;
    const { view, problems } = readView(params);
    return { kind: 'plan', text: r.text, view, viewProblems: problems };
  }
  if (compare.length > MAX_SHARE_PAYLOAD_CHARS)
    return {
      kind: 'error',
      message: `share link: compare: the comparison is ${compare.length.toLocaleString('en-GB')} characters long, more than the ${MAX_SHARE_PAYLOAD_CHARS.toLocaleString('en-GB')} a share link may carry; it was not opened`,
    };
  if (compare === '')
    return {
      kind: 'error',
      message: 'share link: compare: "#compare=" is empty; expected the base64url of a JSON array of plans',
    };
  const bytes = fromBase64Url(compare);
  if (bytes === null)
    return {
      kind: 'error',
      message: 'share link: compare: not valid base64url (expected only A–Z, a–z, 0–9, "-" and "_")',
    };
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { kind: 'error', message: 'share link: compare: the decoded text is not UTF-8 JSON; expected a JSON array of plans' };
  }
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_COMPARE_PLANS)
    return {
      kind: 'error',
      message: `share link: compare: expected a JSON array of 1 to ${MAX_COMPARE_PLANS} plans (the edited plan, then up to ${MAX_PINNED} pinned), got ${Array.isArray(value) ? `${value.length} plans` : typeof value}`,
    };
  const { view, problems } = readView(params);
  return { kind: 'compare', plans: value, view, viewProblems: problems };
}

/** A plan checked by the worker (parsePlan: the format's limits), or its problems. */
export type CheckedPlan =
  | { readonly ok: true; readonly plan: Plan }
  | { readonly ok: false; readonly problems: readonly { readonly path: string; readonly message: string }[] };

/**
 * The scenario a share asks for, each plan validated by `check` (the worker's parsePlan), or the problems,
 * each naming the plan's place in the link (`compare[2].regimen[0].dose: …`). A link with any invalid plan
 * opens nothing (no half-restored comparison); an unreadable view parameter is reported and left at its default.
 */
export async function scenarioFromShare(
  share: Exclude<HashShare, { kind: 'none' } | { kind: 'error' }>,
  checkText: (text: string) => Promise<CheckedPlan>,
  check: (input: unknown) => Promise<CheckedPlan>,
): Promise<{ ok: true; scenario: Scenario; notes: readonly string[] } | { ok: false; problems: string[] }> {
  const withView = (s: Scenario): Scenario => ({
    ...s,
    view: share.view.window,
    display: { ...s.display, yRange: share.view.yRange },
    ...(share.view.sweetSpot && { tab: 'sweet-spot', sweetSpot: share.view.sweetSpot }),
  });
  if (share.kind === 'plan') {
    const r = await checkText(share.text);
    if (!r.ok) return { ok: false, problems: r.problems.map((p) => `${p.path}: ${p.message}`) };
    return { ok: true, scenario: withView(scenarioFromPlan(r.plan)), notes: share.viewProblems };
  }
  const checked = await Promise.all(share.plans.map((p) => check(p)));
  const problems: string[] = [];
  checked.forEach((r, i) => {
    if (!r.ok) for (const p of r.problems) problems.push(`compare[${i}].${p.path}: ${p.message}`);
  });
  if (problems.length) return { ok: false, problems };
  const plans = checked.map((r) => (r as { ok: true; plan: Plan }).plan);
  // Pinned in link order with the pin colours in order (as `pin` gives them to an empty comparison).
  // A label that looks identifying (ui/privacy/identifying.ts) is not kept: the curve gets the default name, and a note says why.
  const labelNotes: string[] = [];
  const pinned: PinnedScenario[] = plans.slice(1).map((p, i) => {
    const { label, ...plan } = p;
    const why = label === undefined ? null : identifyingReason(label);
    if (why) labelNotes.push(`compare[${i + 1}].label: ${why}, so it is not shown (the curve is "Pinned ${i + 1}")`);
    return {
      id: newUid(),
      label: label !== undefined && !why ? label : `Pinned ${i + 1}`,
      color: PIN_COLORS[i % PIN_COLORS.length],
      plan,
    };
  });
  return {
    ok: true,
    scenario: withView({ ...scenarioFromPlan(plans[0]), pinned }),
    notes: [...share.viewProblems, ...labelNotes],
  };
}
