// Course view with 10,000 sessions: a valid course file of 10,000 sessions imports, and the view stays usable (windowed table; a click on a row answers).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectClean, launch, openPage, type PageWatch } from './support.ts';
import { validPlan, waitForCourseDb } from './live-support.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';
import { COURSE_FORMAT, COURSE_FORMAT_VERSION } from '../../ui/storage/course-file.ts';
import { EMPTY_NOTES } from '../../ui/storage/records.ts';

const N = 10_000;
const HOUR = 3600 * 1000;
const NOW = Date.now();
const FIRST = Date.UTC(2012, 0, 2, 9); // one session every 12 h from 2012: the last is in 2025
const plan = validPlan({ ...DEFAULT_PLAN, patient: { weightKg: 70, ageYears: 40, sex: 'female', heightCm: 168 } });

/** A valid course file of N finished sessions (the plan's programme given, no live events). */
function bigCourse() {
  return {
    format: COURSE_FORMAT,
    formatVersion: COURSE_FORMAT_VERSION,
    exportedAtMs: NOW,
    patient: { alias: 'BIG-1', weightKg: 70, ageYears: 40, sex: 'female', heightCm: 168 },
    sessions: Array.from({ length: N }, (_, i) => ({
      createdAtMs: FIRST + i * 12 * HOUR - 60_000,
      status: 'finished',
      startEpochMs: FIRST + i * 12 * HOUR,
      endedAtMin: 60,
      plan,
      notes: EMPTY_NOTES,
      scores: { phq9: i % 28 },
      log: [],
    })),
  };
}

let browser: Browser;
let page: Page;
let watch: PageWatch;
beforeAll(async () => {
  browser = await launch();
  ({ page, watch } = await openPage(browser, inject('baseUrl')));
  await waitForCourseDb(page);
});
afterAll(async () => {
  await browser?.close();
});

describe('Course view with 10,000 sessions (built app, Chromium)', () => {
  it('imports 10,000 sessions; the table is windowed, scrolls, and a click on a row answers', async () => {
    await page.getByRole('tab', { name: 'Course' }).click();
    await page.getByTestId('course-view').waitFor();
    await page.getByTestId('course-import').setInputFiles({
      name: 'big.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(bigCourse())),
    });
    await page.getByTestId('import-ok').waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId('import-ok').textContent()).toBe('✓ Imported BIG-1 from big.json.');
    const table = page.getByTestId('course-sessions');
    await expect.poll(() => table.locator('h2').textContent()).toBe(`Sessions (${N})`);
    // windowed: far fewer rows in the page than sessions
    const rows = page.getByTestId('course-session-row');
    const drawn = await rows.count();
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(100);
    await expect.poll(() => rows.first().locator('td').first().textContent()).toBe('1');
    // a click on a row answers: its notes open under the table
    await rows
      .first()
      .getByRole('button', { name: /^Notes of session 1 / })
      .click();
    await page.getByTestId('notes-below').waitFor();
    // scrolling to the end shows the last sessions
    // (scrolled again on every poll: while the view is still laying out its staged parts, the height can change under a scroll)
    await expect
      .poll(async () => {
        await page.getByTestId('sessions-scroll').evaluate((el) => {
          el.scrollTop = el.scrollHeight;
        });
        return rows.last().locator('td').first().textContent();
      })
      .toBe(String(N));
    await rows
      .last()
      .getByRole('button', { name: new RegExp(`^Notes of session ${N} `) })
      .click();
    await expect.poll(() => page.getByTestId('notes-below').textContent()).toContain(`session ${N}`);
    // the score charts show the latest sessions and say so
    await expect.poll(() => page.getByTestId('scores-latest').textContent()).toContain(`Showing the latest 100 of ${N} sessions`);
    // the doses are computed in the worker: wait for the last row's value
    await expect
      .poll(() => rows.last().getByTestId('session-dose').textContent(), { timeout: 240_000, interval: 1000 })
      .toMatch(/ mg \(/);
    expectClean(watch);
  });
});
