// E2e helpers: raw IndexedDB access to the course database and node-side engine predictions.
import type { Page } from 'playwright-core';
import { VALUE_WAIT_MS } from './support.ts';
import { parsePlan, type DoseEvent, type Plan } from '../../engine/plan.ts';
import { MODEL_IDS } from '../../engine/models/registry.ts';
import { predict } from '../../engine/predict.ts';
import { buildCourse, currentActions, type SessionLog } from '../../engine/live/index.ts';

/**
 * Helpers for the Live mode and Course e2e files, on top of the shared harness (support.ts): the course
 * database read and written through the page's own IndexedDB (raw API, no app code), and what the
 * engine itself predicts, computed in node independently of the page.
 */

/** The app's course database (ui/storage/db.ts DEFAULT_DB_NAME). */
export const DB_NAME = 'ketasim-course';

/** Wait until the app has opened (and so created or upgraded) its course database. */
export async function waitForCourseDb(page: Page): Promise<void> {
  await page.waitForFunction(
    async (name) => (await indexedDB.databases()).some((d) => d.name === name && (d.version ?? 0) > 1),
    DB_NAME,
  );
}

/**
 * Open the course database as it is (never creating or upgrading it: the app owns its schema), run `body`
 * in the page, and settle: every failure (no database yet, a blocked open, a missing store, an exception in
 * a handler) rejects with its reason instead of leaving a promise that never settles, and the wait is capped
 * (VALUE_WAIT_MS) like every other wait for a value.
 */
async function withCourseDbOnce<T>(page: Page, mode: 'read' | 'write', records: unknown): Promise<T> {
  const run = page.evaluate(
    ([name, m, recs]) =>
      new Promise<unknown>((resolve, reject) => {
        const fail = (why: unknown) => reject(why instanceof Error ? why : new Error(String(why)));
        const req = indexedDB.open(name);
        req.onupgradeneeded = () => {
          req.transaction?.abort();
          fail(`the course database ${name} does not exist yet`);
        };
        req.onblocked = () => fail(`opening ${name} is blocked by another connection`);
        req.onerror = () => fail(req.error ?? 'open failed');
        req.onsuccess = () => {
          const db = req.result;
          try {
            if (m === 'write') {
              const tx = db.transaction(['patients', 'sessions', 'liveEntries'], 'readwrite');
              for (const [store, rows] of Object.entries(recs as Record<string, unknown[]>))
                for (const r of rows) tx.objectStore(store).put(r);
              tx.oncomplete = () => {
                db.close();
                resolve(null);
              };
              tx.onerror = () => {
                db.close();
                fail(tx.error ?? 'write failed');
              };
              tx.onabort = () => {
                db.close();
                fail(tx.error ?? 'write aborted');
              };
              return;
            }
            const names = Array.from(db.objectStoreNames).sort();
            const tx = db.transaction(names, 'readonly');
            const out: Record<string, unknown[]> = {};
            for (const n of names) {
              const all = tx.objectStore(n).getAll();
              all.onsuccess = () => {
                out[n] = all.result;
              };
            }
            tx.oncomplete = () => {
              db.close();
              resolve(out);
            };
            tx.onerror = () => {
              db.close();
              fail(tx.error ?? 'read failed');
            };
          } catch (e) {
            db.close();
            fail(e);
          }
        };
      }),
    [DB_NAME, mode, records] as const,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cap = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`course database ${mode}: no answer within ${VALUE_WAIT_MS} ms`)), VALUE_WAIT_MS);
  });
  try {
    return (await Promise.race([run, cap])) as T;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `withCourseDbOnce`, after the app has created its database. `indexedDB.databases()` can list the
 * database before its creation has committed (seen on a loaded machine: the next plain open then found
 * no database); such an open is aborted (it never creates an empty one) and tried again, as a wait for
 * the value, capped at VALUE_WAIT_MS.
 */
async function withCourseDb<T>(page: Page, mode: 'read' | 'write', records: unknown = null): Promise<T> {
  await waitForCourseDb(page);
  const deadline = Date.now() + VALUE_WAIT_MS;
  for (;;) {
    try {
      return await withCourseDbOnce<T>(page, mode, records);
    } catch (e) {
      if (!/does not exist yet/.test((e as Error).message) || Date.now() > deadline) throw e;
      await page.waitForTimeout(100); // poll interval of the wait for the database to exist
    }
  }
}

/** Every record of every store of the course database, in key order (a raw IndexedDB read). */
export async function dumpCourseDb(page: Page): Promise<Record<string, unknown[]>> {
  return withCourseDb<Record<string, unknown[]>>(page, 'read');
}

/** Put records straight into the course database (as another tab, or an earlier page, would have). */
export async function putCourseRecords(
  page: Page,
  records: { patients?: unknown[]; sessions?: unknown[]; liveEntries?: unknown[] },
): Promise<void> {
  await withCourseDb<null>(page, 'write', records);
}

/** A validated plan (throws on a bad one: a test bug). */
export function validPlan(input: unknown): Plan {
  const r = parsePlan(input, MODEL_IDS);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r.plan;
}

/** Cp and Ce (ng/mL) at minute t of a session's course (the plan as overridden by its log), by predict(). */
export function engineAt(plan: Plan, log: SessionLog, t: number): { cp: number; ce: number; regimen: DoseEvent[] } {
  const regimen = buildCourse(plan, currentActions(log)).regimen as DoseEvent[];
  const tr = predict({ ...plan, regimen, horizonMin: t, resolutionSec: t * 60 }).trajectory;
  return { cp: tr.cp[1], ce: tr.ce[1], regimen };
}

/** Wait until an element's text is exactly `text` (the readouts refresh once a second). */
export async function waitForText(page: Page, testId: string, text: string, timeout = VALUE_WAIT_MS): Promise<void> {
  try {
    await page.waitForFunction(
      ([id, t]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === t,
      [testId, text] as const,
      { timeout },
    );
  } catch (e) {
    const shown = await page
      .locator(`[data-testid="${testId}"]`)
      .first()
      .textContent()
      .catch(() => null);
    throw new Error(
      `${testId}: expected ${JSON.stringify(text)}, shows ${JSON.stringify(shown)} (${(e as Error).message.split('\n')[0]})`,
    );
  }
}
