// Course settings kept in IndexedDB (their own small database, so the course database's schema is unchanged): read checked, written validated.
import Dexie, { type Table } from 'dexie';
import type { Problem } from '../../engine/plan.ts';
import { checkCourseSettings, DEFAULT_COURSE_SETTINGS, type CourseSettings } from '../course/schedule.ts';

/** Name of the settings database (separate from the course database `ketasim-course`). */
export const SETTINGS_DB_NAME = 'ketasim-settings';
const COURSE_KEY = 'course';

interface SettingRow {
  readonly key: string;
  readonly value: unknown;
}

type SettingsDb = Dexie & { settings: Table<SettingRow, string> };

let db: SettingsDb | null = null;
const open = (): SettingsDb => {
  if (db) return db;
  const d = new Dexie(SETTINGS_DB_NAME) as SettingsDb;
  d.version(1).stores({ settings: '&key' });
  db = d;
  return d;
};

const range = (v: unknown, path: string, problems: Problem[]): { min: number; max: number } | undefined => {
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof (v as { min?: unknown }).min !== 'number' ||
    typeof (v as { max?: unknown }).max !== 'number'
  ) {
    problems.push({ path, message: 'must be {min, max} in weeks' });
    return undefined;
  }
  return { min: (v as { min: number }).min, max: (v as { max: number }).max };
};

/** Check a value as course settings: the shape, then the rules of checkCourseSettings. */
export function parseCourseSettings(v: unknown): { ok: true; value: CourseSettings } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  if (typeof v !== 'object' || v === null) return { ok: false, problems: [{ path: 'settings', message: 'must be an object' }] };
  const o = v as Record<string, unknown>;
  if (typeof o.stabilisationSessions !== 'number')
    problems.push({ path: 'stabilisationSessions', message: 'must be a whole number of sessions' });
  const sw = range(o.stabilisationWeeks, 'stabilisationWeeks', problems);
  const mw = range(o.maintenanceIntervalWeeks, 'maintenanceIntervalWeeks', problems);
  if (problems.length || !sw || !mw) return { ok: false, problems };
  const value: CourseSettings = {
    stabilisationSessions: o.stabilisationSessions as number,
    stabilisationWeeks: sw,
    maintenanceIntervalWeeks: mw,
  };
  const rules = checkCourseSettings(value);
  return rules.length ? { ok: false, problems: rules } : { ok: true, value };
}

/**
 * The saved course settings: the defaults when none are saved; when the stored value is unreadable, the
 * defaults with a note saying so (the view stays usable; saving again replaces the bad value).
 */
export async function readCourseSettings(): Promise<{ settings: CourseSettings; saved: boolean; note: string | null }> {
  const row = await open().settings.get(COURSE_KEY);
  if (!row) return { settings: DEFAULT_COURSE_SETTINGS, saved: false, note: null };
  const p = parseCourseSettings(row.value);
  if (p.ok) return { settings: p.value, saved: true, note: null };
  return {
    settings: DEFAULT_COURSE_SETTINGS,
    saved: false,
    note: `The saved course settings are unreadable (${p.problems.map((x) => `${x.path}: ${x.message}`).join('; ')}); the defaults are in use until you apply new ones.`,
  };
}

/** Save course settings (validated first; a refused value writes nothing). */
export async function writeCourseSettings(
  v: unknown,
): Promise<{ ok: true; value: CourseSettings } | { ok: false; problems: Problem[] }> {
  const p = parseCourseSettings(v);
  if (!p.ok) return p;
  await open().settings.put({ key: COURSE_KEY, value: p.value });
  return p;
}
