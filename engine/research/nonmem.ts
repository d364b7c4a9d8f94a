/**
 * NONMEM-style datasets (docs/PLAN-FORMAT.md, `validate` and `export`): `exportNonmem` writes a plan's
 * regimen and covariates as dose records; `readNonmem` reads a dataset strictly (a malformed row is a
 * problem naming its line and column, and nothing is returned from a half-read file).
 *
 * Conventions, written by the exporter and read back by the reader: lines starting with `#` are
 * comments (NONMEM `$DATA … IGNORE=@` skips them and the header row; R's `read.csv(comment.char = "#")`
 * too), and a comment `# time-unit: h` (or `min`) states the unit of TIME. TIME in hours unless stated;
 * AMT in mg; RATE in mg/h (0 = bolus; with RATE > 0 the dose runs for AMT/RATE hours, whatever the
 * TIME unit); DV in ng/mL; EVID 0 observation, 1 dose, 2 other event (ignored); SEX 0 male, 1 female.
 */
import { regimenToActions } from '../dosing/actions.ts';
import { PATIENT_RANGES } from '../patient.ts';
import type { Plan } from '../plan.ts';
import type { Warning } from '../warnings.ts';

/** Unit of the TIME column. */
export type TimeUnit = 'h' | 'min';
export const TIME_UNITS: readonly TimeUnit[] = ['h', 'min'];

/**
 * A number for the exported dataset: 15 significant digits, so that unit conversions read as written
 * (0.6 mg/kg/h × 70 kg is 42 mg/h, not 42.00000000000001); relative rounding ≤ 5e-15 (25 min is
 * 0.416666666666667 h, 2e-14 min off).
 */
const num = (x: number): string => String(Number(x.toPrecision(15)));

/** A plan's regimen as dataset records, in mg, mg/h and hours; and the notes the exporter adds. */
export interface DoseRecord {
  /** Dose time, h. */
  readonly timeH: number;
  /** Amount, mg. */
  readonly amtMg: number;
  /** Infusion rate, mg/h; 0 for a bolus. */
  readonly rateMgPerH: number;
}

/**
 * The plan's regimen as NONMEM dose records. Boluses are `RATE 0` records; the pump's rate is
 * piecewise constant, and each interval at a rate r > 0 from t1 to t2 becomes one infusion record
 * (AMT = r·(t2 − t1) mg, RATE = r mg/h), which is exactly the plan's one-pump semantics (a rate change,
 * a dose over a duration, a pause). A pump still running at the plan's horizon ends there (noted).
 */
export function doseRecords(plan: Plan): { records: DoseRecord[]; notes: Warning[] } {
  const actions = regimenToActions(plan.regimen, plan.patient.weightKg);
  const records: DoseRecord[] = [];
  const notes: Warning[] = [];
  let rate = 0; // mg/min
  let since = 0; // min
  const close = (tMin: number) => {
    if (rate > 0 && tMin > since) records.push({ timeH: since / 60, amtMg: rate * (tMin - since), rateMgPerH: rate * 60 });
  };
  for (const a of actions) {
    if (a.bolusMg > 0) records.push({ timeH: a.t / 60, amtMg: a.bolusMg, rateMgPerH: 0 });
    if (a.rateMgPerMin !== null) {
      close(a.t);
      rate = a.rateMgPerMin;
      since = a.t;
    }
  }
  if (rate > 0) {
    if (plan.horizonMin > since) {
      close(plan.horizonMin);
      notes.push({
        code: 'infusion-ends-at-horizon',
        message: `the pump still runs at the horizon (${plan.horizonMin} min): its last infusion record ends there (${plan.horizonMin / 60} h)`,
      });
    } else
      notes.push({
        code: 'rate-after-horizon',
        message: `the pump rate set at ${since} min, at or after the horizon (${plan.horizonMin} min), never stops: it has no record`,
      });
  }
  records.sort((x, y) => x.timeH - y.timeH);
  return { records, notes };
}

/**
 * The plan as a NONMEM-style dataset (CSV): comment lines stating the units and conventions (TIME in
 * hours), a header row, and one dose record per bolus and per constant-rate interval for subject 1,
 * with the covariates the plan has (WT always; AGE, SEX, HT when given). DV is "." on dose records.
 */
export function exportNonmem(plan: Plan, tool: { name: string; version: string }): string {
  return exportNonmemWithNotes(plan, tool).text;
}

/** `exportNonmem`, with the notes it wrote as comment lines (the CLI prints them as warnings). */
export function exportNonmemWithNotes(plan: Plan, tool: { name: string; version: string }): { text: string; notes: Warning[] } {
  const { records, notes } = doseRecords(plan);
  const p = plan.patient;
  const covHead: string[] = ['WT'];
  const covCells: string[] = [num(p.weightKg)];
  if (p.ageYears !== undefined) {
    covHead.push('AGE');
    covCells.push(num(p.ageYears));
  }
  if (p.sex !== undefined) {
    covHead.push('SEX');
    covCells.push(p.sex === 'female' ? '1' : '0');
  }
  if (p.heightCm !== undefined) {
    covHead.push('HT');
    covCells.push(num(p.heightCm));
  }
  const model = 'id' in plan.model ? plan.model.id : 'custom model';
  const label = plan.label ? ` ${JSON.stringify(plan.label)}` : '';
  const lines = [
    `# ${tool.name} ${tool.version} export of plan${label} (${model}): NONMEM-style dataset, one subject`,
    '# units: TIME h, AMT mg, RATE mg/h (0 = bolus; infusion lasts AMT/RATE h), DV ng/mL ("." on dose records), WT kg, AGE years, HT cm; SEX 1 = female, 0 = male; CMT 1 = central (IV); numbers to 15 significant digits',
    '# NONMEM: $DATA file.csv IGNORE=@ skips these comment lines and the header; R: read.csv(file, comment.char = "#", na.strings = ".")',
    ...notes.map((n) => `# note: ${n.message} (${n.code})`),
    '# time-unit: h',
    ['ID', 'TIME', 'AMT', 'RATE', 'DV', 'EVID', 'MDV', 'CMT', ...covHead].join(','),
  ];
  for (const r of records)
    lines.push(['1', num(r.timeH), num(r.amtMg), num(r.rateMgPerH), '.', '1', '1', '1', ...covCells].join(','));
  return { text: lines.join('\n') + '\n', notes };
}

/** One record of a subject, in engine units: minutes, mg, mg/h, ng/mL; `line` is the 1-based file line. */
export type DataRecord =
  | { readonly kind: 'dose'; readonly line: number; readonly tMin: number; readonly amtMg: number; readonly rateMgPerH: number }
  | { readonly kind: 'observation'; readonly line: number; readonly tMin: number; readonly dvNgMl: number | null };

/** Covariates a dataset may give, by column. */
export const COVARIATE_COLUMNS = ['WT', 'AGE', 'SEX', 'HT'] as const;
export type CovariateColumn = (typeof COVARIATE_COLUMNS)[number];

/** One subject: its ID as written, the line of its first record, its records in file order, its covariates. */
export interface DataSubject {
  readonly id: string;
  readonly line: number;
  readonly records: readonly DataRecord[];
  /** Covariates given for this subject (constant over its records): WT kg, AGE years, SEX 0/1, HT cm. */
  readonly covariates: Partial<Record<CovariateColumn, number>>;
}

/** A dataset read in full. */
export interface Dataset {
  readonly timeUnit: TimeUnit;
  /** Where the time unit came from. */
  readonly timeUnitSource: 'option' | 'file' | 'default';
  /** The header's line number and the columns present (upper case). */
  readonly headerLine: number;
  readonly columns: readonly string[];
  readonly subjects: readonly DataSubject[];
}

/** Most problems listed before the rest are counted. */
export const MAX_LISTED_PROBLEMS = 50;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const isMissing = (s: string): boolean => s === '' || s === '.';

/** Split one CSV line into trimmed fields (double quotes group and escape as in RFC 4180). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur.trim() === '') {
      quoted = true;
      wasQuoted = true;
      cur = '';
    } else if (ch === ',') {
      out.push(wasQuoted ? cur : cur.trim());
      cur = '';
      wasQuoted = false;
    } else if (!(wasQuoted && (ch === ' ' || ch === '\t'))) cur += ch;
  }
  out.push(wasQuoted ? cur : cur.trim());
  return out;
}

/** Columns that describe dosing NONMEM would expand but this reader does not: a non-zero value is refused. */
const UNSUPPORTED_DOSING = ['ADDL', 'II', 'SS'] as const;

/**
 * Read a NONMEM-style dataset. `timeUnit` (the `--time-unit` option) wins over nothing but must agree
 * with a `# time-unit:` comment in the file; hours when neither says. Every problem is reported as
 * `line N, column C (NAME): message`; any problem means no dataset.
 */
export function readNonmem(
  text: string,
  timeUnit?: TimeUnit,
): { ok: true; dataset: Dataset } | { ok: false; problems: string[] } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r?\n/);
  const problems: string[] = [];
  let fileUnit: { unit: TimeUnit; line: number } | null = null;
  let header: string[] | null = null;
  let headerLine = 0;
  const col: Record<string, number> = {};
  const subjects: { id: string; line: number; records: DataRecord[]; covariates: Partial<Record<CovariateColumn, number>> }[] =
    [];
  const covSeen: Map<string, { value: number | null; line: number }>[] = [];
  const seenIds = new Set<string>();
  let last: { subject: object; time: number; line: number } | null = null;

  let lineNo = 0;
  for (const raw of lines) {
    lineNo++;
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const m = /^#\s*time-unit\s*:\s*(\S+)\s*$/i.exec(trimmed);
      if (m) {
        const u = m[1].toLowerCase();
        if (u === 'h' || u === 'min') {
          if (header) problems.push(`line ${lineNo}: the "# time-unit:" comment must come before the header row`);
          else fileUnit = { unit: u, line: lineNo };
        } else problems.push(`line ${lineNo}: unknown time unit ${JSON.stringify(m[1])}; expected h or min`);
      }
      continue;
    }
    const fields = splitCsvLine(raw);
    if (!header) {
      header = fields.map((f) => f.toUpperCase());
      headerLine = lineNo;
      header.forEach((name, i) => {
        if (name === '') problems.push(`line ${lineNo}, column ${i + 1}: empty column name`);
        else if (name in col)
          problems.push(`line ${lineNo}, column ${i + 1} (${name}): column named twice (also column ${col[name] + 1})`);
        else col[name] = i;
      });
      for (const need of ['ID', 'TIME', 'AMT', 'DV'])
        if (!(need in col))
          problems.push(
            `line ${lineNo}: column ${need} is missing; a dataset needs ID, TIME, AMT and DV (RATE, EVID, MDV optional)`,
          );
      if (problems.length) break;
      continue;
    }
    if (fields.length !== header.length) {
      problems.push(`line ${lineNo}: ${fields.length} fields, but the header (line ${headerLine}) has ${header.length}`);
      continue;
    }
    // NONMEM's comment convention: a C column holding "C" marks a comment row.
    if ('C' in col && fields[col.C].toUpperCase() === 'C') continue;
    const before = problems.length;
    const where = (name: string) => `line ${lineNo}, column ${col[name] + 1} (${name})`;
    const cellText = (name: string): string | null => (name in col ? fields[col[name]] : null);
    /** A number cell: null when missing ("." or empty) or absent; a problem when it is not a number. */
    const number = (name: string): number | null => {
      const s = cellText(name);
      if (s === null || isMissing(s)) return null;
      if (!NUMBER.test(s)) {
        problems.push(`${where(name)}: expected a number, got ${JSON.stringify(s)}`);
        return null;
      }
      return Number(s);
    };

    const id = cellText('ID')!;
    if (isMissing(id)) problems.push(`${where('ID')}: missing subject ID`);
    const time = number('TIME');
    if (isMissing(cellText('TIME')!)) problems.push(`${where('TIME')}: missing TIME`);
    else if (time !== null && time < 0) problems.push(`${where('TIME')}: must be ≥ 0, got ${time}`);
    const amt = number('AMT');
    const rate = number('RATE');
    const dv = number('DV');
    const mdvCell = number('MDV');
    let evid = number('EVID');
    if ('EVID' in col && evid === null && isMissing(cellText('EVID')!))
      problems.push(`${where('EVID')}: missing; expected 0 (observation), 1 (dose) or 2 (other event)`);
    for (const c of UNSUPPORTED_DOSING) {
      const v = number(c);
      if (v !== null && v !== 0)
        problems.push(`${where(c)}: ${c} ${v} is not supported; write each dose as its own record (${c} 0 or ".")`);
    }
    if (evid === null && !('EVID' in col)) evid = amt !== null && amt > 0 ? 1 : mdvCell === 1 ? 2 : 0;
    if (evid !== null && evid !== 0 && evid !== 1 && evid !== 2)
      problems.push(
        `${where('EVID')}: EVID ${evid} is not supported; expected 0 (observation), 1 (dose) or 2 (other event, ignored)`,
      );
    if (mdvCell !== null && mdvCell !== 0 && mdvCell !== 1) problems.push(`${where('MDV')}: expected 0 or 1, got ${mdvCell}`);
    if (evid === 1) {
      if (amt === null) {
        if (isMissing(cellText('AMT')!)) problems.push(`${where('AMT')}: a dose record (EVID 1) needs AMT (mg)`);
      } else if (!(amt > 0)) problems.push(`${where('AMT')}: a dose (EVID 1) must be > 0 mg, got ${amt}`);
      if (rate !== null && rate < 0)
        problems.push(
          `${where('RATE')}: must be ≥ 0 mg/h (0 = bolus), got ${rate}; modelled rates and durations (-1, -2) are not supported`,
        );
    }
    const mdv = mdvCell ?? (evid === 0 ? 0 : 1);
    if (evid === 0 && mdv === 0 && dv === null && isMissing(cellText('DV')!))
      problems.push(`${where('DV')}: an observation (EVID 0, MDV 0) needs DV (ng/mL); set MDV 1 for a missing value`);

    // Subjects: contiguous blocks of one ID; time never goes backwards within one.
    let subject = subjects[subjects.length - 1];
    if (!isMissing(id) && (!subject || subject.id !== id)) {
      if (seenIds.has(id))
        problems.push(`${where('ID')}: subject ${id} appears again after other subjects; sort the dataset by ID, then TIME`);
      seenIds.add(id);
      subject = { id, line: lineNo, records: [], covariates: {} };
      subjects.push(subject);
      covSeen.push(new Map());
    }
    // Records hold TIME as written until the end, when the unit is settled (so compare like with like).
    if (subject && time !== null && time >= 0) {
      if (last && last.subject === subject && time < last.time)
        problems.push(
          `${where('TIME')}: time goes backwards within subject ${subject.id} (${time} after ${last.time} on line ${last.line})`,
        );
      last = { subject, time, line: lineNo };
    }
    // Covariates: numbers in range, constant within a subject, either given on every row or on none.
    if (subject) {
      const seen = covSeen[covSeen.length - 1];
      for (const c of COVARIATE_COLUMNS) {
        if (!(c in col)) continue;
        const v = number(c);
        if (v !== null) {
          const bad = covariateProblem(c, v);
          if (bad) problems.push(`${where(c)}: ${bad}`);
        }
        const prev = seen.get(c);
        if (!prev) seen.set(c, { value: v, line: lineNo });
        else if (prev.value !== v) {
          if (v === null || prev.value === null)
            problems.push(
              `${where(c)}: ${c} is ${v === null ? 'missing here but given' : `given here but missing`} on line ${prev.line} of subject ${subject.id}; give it on every row or none`,
            );
          else
            problems.push(
              `${where(c)}: ${c} changes within subject ${subject.id} (${prev.value} on line ${prev.line}, ${v} here); time-varying covariates are not supported`,
            );
        }
        if (v !== null && problems.length === before) subject.covariates[c] = v;
      }
    }
    if (problems.length > before || !subject || time === null) continue;
    if (evid === 1) subject.records.push({ kind: 'dose', line: lineNo, tMin: time, amtMg: amt!, rateMgPerH: rate ?? 0 });
    else if (evid === 0) subject.records.push({ kind: 'observation', line: lineNo, tMin: time, dvNgMl: mdv === 1 ? null : dv });
  }
  if (!header && problems.length === 0)
    problems.push('line 1: no header row; expected columns ID, TIME, AMT, DV (RATE, EVID, MDV, WT, AGE, SEX, HT optional)');
  if (timeUnit && fileUnit && timeUnit !== fileUnit.unit)
    problems.push(
      `--time-unit: ${timeUnit} contradicts the file's "# time-unit: ${fileUnit.unit}" (line ${fileUnit.line}); give one or make them agree`,
    );
  if (problems.length) return { ok: false, problems: listProblems(problems) };
  const unit: TimeUnit = timeUnit ?? fileUnit?.unit ?? 'h';
  const toMin = unit === 'min' ? 1 : 60;
  return {
    ok: true,
    dataset: {
      timeUnit: unit,
      timeUnitSource: timeUnit ? 'option' : fileUnit ? 'file' : 'default',
      headerLine,
      columns: header!,
      subjects: subjects.map((s) => ({ ...s, records: s.records.map((r) => ({ ...r, tMin: r.tMin * toMin })) })),
    },
  };
}

/** The first `MAX_LISTED_PROBLEMS` problems, then how many more there are. */
function listProblems(problems: string[]): string[] {
  if (problems.length <= MAX_LISTED_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_LISTED_PROBLEMS), `… and ${problems.length - MAX_LISTED_PROBLEMS} more problems`];
}

/** A covariate value outside the plan format's ranges (docs/PLAN-FORMAT.md "Fields"), or null. */
function covariateProblem(c: CovariateColumn, v: number): string | null {
  if (c === 'SEX') return v === 0 || v === 1 ? null : `expected 0 (male) or 1 (female), got ${v}`;
  const [key, unit] =
    c === 'WT' ? (['weightKg', 'kg'] as const) : c === 'AGE' ? (['ageYears', 'years'] as const) : (['heightCm', 'cm'] as const);
  const [lo, hi] = PATIENT_RANGES[key];
  return v >= lo && v <= hi ? null : `must be between ${lo} and ${hi} ${unit}, got ${v}`;
}
