/**
 * Identifying-text detection for aliases, labels and notes: a pure heuristic that flags text looking like a
 * person's name, a record number, a date (of birth), a phone number or an e-mail address, before it is stored.
 *
 * Runs wherever text is typed or stored (main thread, storage worker, node tests); it never sends anything
 * anywhere. It is a heuristic, stated as such: it can neither prove that a text identifies nobody nor avoid
 * every false alarm (a flagged note can be confirmed; an alias is refused).
 *
 * Rules (each finding names its kind and the matched text):
 * - email:  anything with an "@" between two non-space parts (an alias with any "@" is flagged too);
 * - phone:  a run of 7 or more digits once spaces, dots, dashes, brackets and a leading "+" are removed,
 *           written with at least one separator or a leading "+" or "0" (e.g. "020 7946 0958", "+44 7700 900123");
 * - record: a record keyword (MRN, NHS, hospital/patient/record number, ID, #) followed by digits, or any
 *           run of 5 or more digits;
 * - date:   d/m/y-like numbers ("12/03/1980", "1980-03-12"), a day with a month name ("12 March 1980",
 *           "March 12, 1980"), or "DOB"/"born" followed by a date-like text;
 * - name:   two or three consecutive capitalised words (e.g. "John Smith") none of which is in the small
 *           allowlist of medical, scale, clinic, calendar and sentence words below, or a title ("Mr", "Mrs",
 *           "Ms", "Dr", …) followed by a capitalised word.
 */

export type IdentifyingKind = 'email' | 'phone' | 'record' | 'date' | 'name';

export interface IdentifyingFinding {
  readonly kind: IdentifyingKind;
  /** The text that matched. */
  readonly text: string;
  /** Why, in words. */
  readonly reason: string;
}

/** Capitalised words that do not make a name (lower-case here; compared case-insensitively). */
export const NAME_ALLOWLIST: ReadonlySet<string> = new Set(
  [
    // drugs, scales and clinical words
    'ketamine esketamine arketamine spravato lamotrigine benzodiazepine benzodiazepines lorazepam diazepam midazolam clonidine ondansetron',
    'phq phq-9 gad gad-7 pcl pcl-5 cadss madrs bprs bp hr spo2 ecg iv im in po ce cp ng ml mg kg',
    'blood pressure heart rate side effects effect effects nausea vomiting headache dizziness anxiety dissociation sedation analgesia',
    'depression treatment resistant major depressive disorder ptsd ocd bipolar infusion bolus pump rate pause resume stop session',
    'patient patients nurse doctor clinician consultant clinic room ward bay unit hospital recovery chair bed reception',
    'mild moderate severe none some no yes not very felt feels feeling reported reports denied denies slight strong good fine better worse',
    // calendar
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december',
    'morning afternoon evening night today yesterday tomorrow week weeks',
    // sentence words often capitalised
    'the a an and or but after before during then also at on in of to with without for from by as it he she they we i',
    'this that these those there here when while first second third last next new old',
    // model and citation names used in the app
    'zanos bowdle domino clements kamp simons perez ruixo hijazi herd kirk',
  ]
    .join(' ')
    .split(/\s+/),
);

const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const TITLE = /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame)\.?\s+[A-Z][a-z'’-]+/g;
const CAP_WORD = /^[A-Z][a-z'’-]*[a-z]$/;

function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

/** Every finding in `text` (empty when nothing looks identifying). */
export function findIdentifying(text: string): IdentifyingFinding[] {
  const out: IdentifyingFinding[] = [];
  if (typeof text !== 'string' || text.trim() === '') return out;
  const add = (kind: IdentifyingKind, t: string, reason: string) => {
    if (!out.some((f) => f.kind === kind && f.text === t)) out.push({ kind, text: t, reason });
  };

  for (const m of text.matchAll(/[^\s@]+@[^\s@]+/g)) add('email', m[0], 'looks like an e-mail address');
  if (out.length === 0 && text.includes('@')) add('email', '@', 'looks like an e-mail address');

  // dates
  for (const m of text.matchAll(/\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,4}/g)) add('date', m[0], 'looks like a date');
  for (const m of text.matchAll(new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\.?,?\\s+\\d{2,4}\\b`, 'gi')))
    add('date', m[0], 'looks like a date');
  for (const m of text.matchAll(new RegExp(`\\b(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{2,4}\\b`, 'gi')))
    add('date', m[0], 'looks like a date');
  for (const m of text.matchAll(/\b(?:DOB|D\.O\.B\.?|date of birth|born)\b[\s:]*\S+/gi))
    add('date', m[0], 'looks like a date of birth');

  // record numbers
  for (const m of text.matchAll(
    /\b(?:MRN|NHS|CHI|hospital\s*(?:no|number|#)|patient\s*(?:no|number|id|#)|record\s*(?:no|number|#)?|ID)\b\.?[\s:#-]*\d[\d\s-]*/gi,
  ))
    add('record', m[0].trim(), 'looks like a record number');
  // phone numbers (checked before the bare digit run, which they would also match)
  for (const m of text.matchAll(/(?:\+|\b)\(?\d[\d\s().-]{5,}\d\b/g)) {
    const d = digitsOf(m[0]);
    const separated = /[\s().-]/.test(m[0].trim()) || m[0].startsWith('+') || m[0].startsWith('0');
    if (d.length >= 7 && d.length <= 15 && separated && !out.some((f) => f.kind === 'date' && f.text.includes(m[0].trim())))
      add('phone', m[0].trim(), 'looks like a phone number');
  }
  for (const m of text.matchAll(/\d{5,}/g)) {
    if (!out.some((f) => (f.kind === 'phone' || f.kind === 'record') && digitsOf(f.text).includes(m[0])))
      add('record', m[0], 'looks like a record number (5 or more digits)');
  }

  // names
  for (const m of text.matchAll(TITLE)) add('name', m[0], "looks like a person's name");
  const words = [...text.matchAll(/[A-Za-z][A-Za-z'’-]*/g)];
  for (let i = 0; i + 1 < words.length; i++) {
    const a = words[i],
      b = words[i + 1];
    const between = text.slice(a.index! + a[0].length, b.index!);
    if (!/^[ \t]+$/.test(between)) continue;
    const isName = (w: string) => CAP_WORD.test(w) && !NAME_ALLOWLIST.has(w.toLowerCase());
    if (isName(a[0]) && isName(b[0])) add('name', `${a[0]} ${b[0]}`, "looks like a person's name (two capitalised words)");
  }
  return out;
}

/** The first reason a text looks identifying, or null. */
export function identifyingReason(text: string): string | null {
  const f = findIdentifying(text);
  return f.length ? f[0].reason : null;
}

/** A one-line summary of the findings, for a warning next to a field. */
export function findingsText(findings: readonly IdentifyingFinding[]): string {
  return findings.map((f) => `"${f.text}" ${f.reason}`).join('; ');
}

/** The alias rule, shown where an alias is typed. */
export const ALIAS_RULE =
  'An alias is a clinic code that identifies nobody outside the clinic (e.g. "K-17"): no name, initials with a date, record number, date of birth, phone number or e-mail address. It stays in this browser.';

/** The notes rule, shown where notes are typed. */
export const NOTES_RULE =
  'Notes stay in this browser. Write no name, record number, date of birth, phone number or e-mail address: text that looks like one is flagged and must be edited or confirmed before it is saved.';

/** The label rule, shown where a label is typed (a pinned comparison's label, a session's label). */
export const LABEL_RULE =
  'A label names a scenario or a session (e.g. "low dose", "paper record, site B"), never a person: no name, record number, date of birth, phone number or e-mail address. Text that looks like one is flagged and kept out until it is edited (a label travels in share links and course files).';

/**
 * The most characters a label may have: the plan contract's limit (engine/plan.ts `MAX_LABEL_LENGTH`,
 * README "labels ≤ 200"), restated here because the main thread does not load the plan parser; a test
 * checks that the two agree.
 */
export const LABEL_MAX_CHARS = 200;

/** Characters the plan contract refuses in a label (engine/plan.ts: control and text-direction characters). */
const LABEL_FORBIDDEN = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/**
 * Why a typed label cannot be kept, naming the field (`field`, e.g. "Label"), or null when it can: it looks
 * identifying (each finding named), is longer than LABEL_MAX_CHARS characters, or holds a control or
 * text-direction character. An empty label is fine (the caller's default applies).
 */
export function labelProblem(text: string, field = 'Label'): string | null {
  const found = findIdentifying(text);
  if (found.length)
    return `${field}: looks identifying (${findingsText(found)}); a label names a scenario or a session, never a person`;
  const chars = [...text].length;
  if (chars > LABEL_MAX_CHARS) return `${field}: must be at most ${LABEL_MAX_CHARS} characters, got ${chars}`;
  const bad = text.match(LABEL_FORBIDDEN);
  if (bad)
    return `${field}: must be one line of text without control or text-direction characters, got U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return null;
}
