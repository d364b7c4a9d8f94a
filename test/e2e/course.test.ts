// Course view: alias-only patients, course import (doses, peak Ce, personal band), overdue, checks, export/re-import.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectClean, launch, openPage, type PageWatch } from './support.ts';
import { dumpCourseDb, validPlan, waitForCourseDb } from './live-support.ts';
import { emptyLog, sessionDose, type SessionLog } from '../../engine/live/index.ts';
import { personalBand } from '../../engine/pd/personal-band.ts';
import { conc, formatMg } from '../../ui/format.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';
import { COURSE_FORMAT, COURSE_FORMAT_VERSION, parseCourseFile } from '../../ui/storage/course-file.ts';
import { EMPTY_NOTES, type SessionNotes } from '../../ui/storage/records.ts';
import type { SessionWithLog } from '../../ui/storage/store.ts';
import { onsetInputs } from '../../ui/course-view/onset-inputs.ts';
import { personalWindow } from '../../ui/live/planner-model.ts';
import { logOf } from '../engine/live/fixtures.ts';

/**
 * The Course view in the built app, in a real Chromium: patients by alias, a course imported from a
 * file (six finished sessions, one with a pause, a lamotrigine flag, scores, onsets), its doses, peak
 * Ce and personal band as the engine computes them in node, the overdue maintenance session, inline
 * range checks, export → re-import, and a malformed file that changes nothing.
 */
const shots = join(import.meta.dirname, '../../test-results');
mkdirSync(shots, { recursive: true });

const DAY = 24 * 3600 * 1000;
const NOW = Date.now();
const FIRST = NOW - 70 * DAY; // six sessions in 11 days, 59 days ago: maintenance was due by 17 days ago
const DAYS = [0, 2, 4, 7, 9, 11];
const ONSETS = [12, 14, 11, 15, 13, 12];
const PHQ9 = [20, 16, 14, 11, 9, 8];

const plan = validPlan({ ...DEFAULT_PLAN, patient: { weightKg: 70, ageYears: 40, sex: 'female', heightCm: 168 } });
const logs: SessionLog[] = DAYS.map((_, i) =>
  i === 1
    ? logOf(plan, [
        { kind: 'pause', atMin: 10 },
        { kind: 'resume', atMin: 13 },
        { kind: 'stop', atMin: 43 },
      ])
    : emptyLog(),
);
const notes = (i: number): SessionNotes => ({
  ...EMPTY_NOTES,
  dissociationOnsetMin: ONSETS[i],
  dissociationIntensity: 4 + (i % 3),
  lamotrigine: i === 2,
  sideEffects: i === 0 ? ['nausea'] : [],
});

/** A valid course file for patient C-9. */
function courseFile(alias = 'C-9') {
  return {
    format: COURSE_FORMAT,
    formatVersion: COURSE_FORMAT_VERSION,
    exportedAtMs: NOW,
    patient: { alias, weightKg: 70, ageYears: 40, sex: 'female', heightCm: 168 },
    sessions: DAYS.map((d, i) => ({
      createdAtMs: FIRST + d * DAY - 60_000,
      status: 'finished',
      startEpochMs: FIRST + d * DAY,
      endedAtMin: 60,
      plan,
      notes: notes(i),
      scores: { phq9: PHQ9[i], gad7: 10 - i },
      log: logs[i].entries,
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
  await page.getByRole('tab', { name: 'Course' }).click();
  await page.getByTestId('course-view').waitFor();
});
afterAll(async () => {
  await browser?.close();
});

const importText = (text: string, name = 'course.json') =>
  page.getByTestId('course-import').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text, 'utf8') });

describe('the Course view (built app, Chromium)', () => {
  it('adds a patient by alias only; an identifying alias is refused with the field named', async () => {
    const form = page.getByTestId('new-patient');
    await form.locator('[data-field=alias]').fill('jane.doe@example.org');
    await form.locator('[data-field=weightKg]').fill('82');
    await form.getByRole('button', { name: 'Add patient' }).click();
    await form
      .locator('.field-error')
      .filter({ hasText: /^Alias: looks like an e-mail address/ })
      .waitFor();
    expect((await dumpCourseDb(page)).patients).toEqual([]);
    await form.locator('[data-field=alias]').fill('K-17');
    await form.locator('[data-field=weightKg]').fill('eighty');
    await form.getByRole('button', { name: 'Add patient' }).click();
    await form.locator('.field-error').filter({ hasText: 'Weight: must be a finite number, got "eighty"' }).waitFor();
    await form.locator('[data-field=weightKg]').fill('82');
    await form.locator('[data-field=ageYears]').fill('45');
    await form.getByRole('button', { name: 'Add patient' }).click();
    await page.getByTestId('patient-list').getByText('K-17').waitFor();
    await expect.poll(() => page.getByTestId('patient-course').locator('h2').textContent()).toBe('K-17 82 kg · 45 y');
    expectClean(watch);
  });

  it('a malformed course file changes nothing and lists every problem with its field', async () => {
    const before = await dumpCourseDb(page);
    const bad = courseFile() as unknown as {
      patient: Record<string, unknown>;
      sessions: { scores: Record<string, unknown>; notes: Record<string, unknown> }[];
    };
    bad.patient.name = 'Jane Doe';
    bad.sessions[1].scores.phq9 = 30;
    bad.sessions[3].notes.dissociationIntensity = 11;
    await importText(JSON.stringify(bad), 'bad-course.json');
    const box = page.getByTestId('import-problems');
    await box.waitFor();
    const lines = await box.locator('li').allTextContents();
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual([
      'patient.name',
      'sessions[1].scores.phq9',
      'sessions[3].notes.dissociationIntensity',
    ]);
    expect(lines.find((l) => l.startsWith('sessions[1].scores.phq9'))).toContain('PHQ-9');
    await expect
      .poll(() => box.locator('p').first().textContent())
      .toContain('Nothing was imported from bad-course.json; the course database is unchanged.');
    expect(await dumpCourseDb(page)).toEqual(before);
    // not JSON at all
    await importText('{"format": "ketasim-course", ', 'truncated.json');
    await box.filter({ hasText: 'truncated.json' }).waitFor();
    expect((await box.locator('li').allTextContents())[0]).toMatch(/^file: not valid JSON/);
    expect(await dumpCourseDb(page)).toEqual(before);
    expectClean(watch);
  });

  it("imports a course: doses, peak Ce and the personal band are the engine's; overdue maintenance and the lamotrigine note show", async () => {
    await importText(JSON.stringify(courseFile()), 'c9.json');
    await page.getByTestId('import-ok').waitFor();
    await expect
      .poll(() => page.getByTestId('patient-course').locator('h2').textContent())
      .toBe('C-9 70 kg · 40 y · female · 168 cm');
    const rows = page.getByTestId('course-session-row');
    await expect.poll(() => rows.count()).toBe(6);
    // The doses come from the live worker (never the main thread): "computing…" until they arrive.
    await expect.poll(() => page.getByTestId('session-dose-computing').count()).toBe(0);
    for (let i = 0; i < 6; i++) {
      const d = sessionDose(plan, logs[i], 'finished', 60);
      await expect
        .poll(() => rows.nth(i).getByTestId('session-dose').textContent())
        .toBe(`${formatMg(d.doseMg)} mg (${(d.doseMgPerKg).toPrecision(3)} mg/kg)`);
      await expect
        .poll(() => rows.nth(i).getByTestId('session-peak').textContent())
        .toBe(`${conc(d.peakCeNgMl)} at ${d.peakCeMin.toFixed(1)} min`);
    }
    // the paused session gave less than the others (pause 10–13 min, then stopped at 43)
    expect(sessionDose(plan, logs[1], 'finished', 60).doseMg).toBeCloseTo(35, 9);
    // personal band: Ce at each reported onset from what was given, "based on 6 sessions"
    const withLogs: SessionWithLog[] = DAYS.map((d, i) => ({
      session: {
        id: `s${i}`,
        patientId: 'p',
        createdAtMs: 0,
        plan,
        status: 'finished',
        startEpochMs: FIRST + d * DAY,
        endedAtMin: 60,
        notes: notes(i),
        scores: {},
      },
      log: logs[i],
    }));
    const band = personalBand(onsetInputs(withLogs).input!);
    const summary = page.getByTestId('personal-summary');
    await page.getByTestId('personal-n').waitFor();
    await expect.poll(() => page.getByTestId('personal-n').textContent()).toBe('based on 6 sessions');
    await expect.poll(() => summary.textContent()).toContain(`Mean Ce at onset ${conc(band.ce.meanNgMl!)}`);
    await expect.poll(() => summary.textContent()).toContain(`range ${conc(band.ce.minNgMl!)} – ${conc(band.ce.maxNgMl!)}`);
    await expect.poll(() => page.getByTestId('personal-band').textContent()).toContain('Dissociation band 100–250 ng/mL');
    // the schedule: six sessions done, maintenance overdue, labelled as clinic protocol settings
    await expect
      .poll(() => page.getByTestId('maintenance-overdue').textContent())
      .toMatch(/^Maintenance session overdue: it was due by .* \(clinic protocol setting\)\.$/);
    await expect.poll(() => page.getByTestId('course-schedule').textContent()).toContain('6 of 6 sessions done');
    await expect
      .poll(() => page.getByTestId('course-schedule').textContent())
      .toContain('clinic protocol settings, not cited values');
    await expect.poll(() => page.getByTestId('calendar-axis').locator('circle').count()).toBe(6);
    // session 3's notes carry the lamotrigine flag with its cited note, and no dose change
    await rows
      .nth(2)
      .getByRole('button', { name: /^Notes of session 3/ })
      .click();
    const note = page.getByTestId('note-lamotrigine');
    await note.waitFor();
    await expect.poll(() => note.textContent()).toContain('Anand A et al. Arch Gen Psychiatry 2000;57:270');
    await expect.poll(() => note.textContent()).toContain('No band or dose is changed by this flag.');
    // scores over sessions: one chart per instrument
    await expect.poll(() => page.getByTestId('course-scores').locator('figure').count()).toBe(3);
    await page.screenshot({ path: join(shots, 'e2e-course.png'), fullPage: true });
    expectClean(watch);
  });

  it('checks scores and notes inline, naming the field, and saves valid ones', async () => {
    const row = page.getByTestId('course-session-row').first();
    const phq = row.locator('input[data-score=phq9]');
    await phq.fill('30');
    await row.locator('.field-error').filter({ hasText: 'PHQ-9: must be a whole number 0–27, got 30' }).waitFor();
    await expect.poll(() => row.getByRole('button', { name: /^Save scores/ }).isDisabled()).toBe(true);
    await phq.fill('19');
    await row.getByRole('button', { name: /^Save scores/ }).click();
    await row.getByText('✓ saved').waitFor();
    const sessions = (await dumpCourseDb(page)).sessions as { startEpochMs: number; scores: Record<string, number> }[];
    expect(sessions.find((s) => s.startEpochMs === FIRST)!.scores).toEqual({ phq9: 19, gad7: 10 });
    // notes: an intensity outside 0–10 is named and cannot be saved
    await row.getByRole('button', { name: /^Notes of session 1/ }).click();
    const editor = page.getByTestId('notes-editor');
    await editor.locator('[data-note=intensity]').fill('11');
    await editor
      .locator('.field-error')
      .filter({ hasText: /^Dissociation intensity: must be between 0 and 10/ })
      .waitFor();
    await expect.poll(() => editor.getByRole('button', { name: 'Save notes' }).isDisabled()).toBe(true);
    expectClean(watch);
  });

  it('exports the course as a JSON file that imports again (under another alias when the alias is taken)', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('course-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^ketasim-course-C-9-\d{4}-\d\d-\d\d\.json$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const parsed = parseCourseFile(JSON.parse(text));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.value.patient.alias).toBe('C-9');
    expect(parsed.value.sessions).toHaveLength(6);
    expect(parsed.value.sessions[0].scores.phq9).toBe(19);
    expect(parsed.value.sessions[1].log).toEqual(logs[1].entries);
    await importText(text, 'export.json');
    const box = page.getByTestId('import-problems');
    await box.filter({ hasText: 'already exists' }).waitFor();
    await page.getByLabel('Import under another alias').fill('C-9b');
    await box.getByRole('button', { name: 'Import' }).click();
    await page.getByTestId('import-ok').waitFor();
    await expect
      .poll(() => page.getByTestId('patient-list').locator('li').allTextContents())
      .toEqual(['C-9 70 kg · 40 y · female · 168 cm', 'C-9b 70 kg · 40 y · female · 168 cm', 'K-17 82 kg · 45 y']);
    expectClean(watch);
  });

  it("the planner in Live mode can target the patient's personal band (low bound = mean Ce at onset)", async () => {
    await page.getByTestId('patient-list').getByRole('button', { name: /^C-9 / }).click();
    await page.getByTestId('course-to-live').click();
    await page.getByTestId('live-start').waitFor();
    await expect.poll(() => page.getByTestId('live-patient').inputValue()).not.toBe('');
    const withLogs: SessionWithLog[] = DAYS.map((d, i) => ({
      session: {
        id: `s${i}`,
        patientId: 'p',
        createdAtMs: 0,
        plan,
        status: 'finished',
        startEpochMs: FIRST + d * DAY,
        endedAtMin: 60,
        notes: notes(i),
        scores: {},
      },
      log: logs[i],
    }));
    const w = personalWindow(personalBand(onsetInputs(withLogs).input!).ce.meanNgMl)!;
    const option = page.getByTestId('planner-window').locator('option[value=personal]');
    await expect.poll(() => option.isDisabled()).toBe(false);
    await expect.poll(() => option.textContent()).toBe(`Personal band (${w.lowNgMl}–${w.highNgMl} ng/mL)`);
    await page.getByTestId('planner-window').selectOption('personal');
    await page
      .getByTestId('planner-proposal')
      .locator('h3')
      .filter({ hasText: `Ce in ${w.lowNgMl}–250 ng/mL` })
      .waitFor();
    await expect.poll(() => page.locator('.planner .hint').filter({ hasText: 'based on 6 sessions' }).count()).toBe(1);
    await page.screenshot({ path: join(shots, 'e2e-planner-personal.png'), fullPage: true });
    expectClean(watch);
  });
});
