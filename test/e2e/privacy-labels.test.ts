// Labels and privacy in Chromium: a pinned plan's label and a course session's label are checked as typed (identifying text flagged, kept out until edited, the rule stated); a link's identifying label is not kept.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { compareHeaders as headers, expectClean, launch, openPage, waitForChart } from './support.ts';
import { dumpCourseDb } from './live-support.ts';
import { DEFAULT_PLAN } from '../../ui/state/scenario.ts';
import { LABEL_RULE } from '../../ui/privacy/identifying.ts';

const DAY = 24 * 3600 * 1000;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The `#compare=` plans of the share link the page makes. */
async function sharedLabels(page: Page): Promise<string[]> {
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toContain('#compare=');
  const plans = JSON.parse(Buffer.from(link.split('#compare=')[1].split('&')[0], 'base64url').toString('utf8'));
  return plans.map((p: { label: string }) => p.label);
}

describe('labels are checked for identifying text where they are typed (built app, Chromium)', () => {
  it('a pinned plan is renamed: a name or record number is flagged as typed and never applied; a clean label is applied and shared', async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    await page.getByRole('button', { name: /^Pin current scenario/ }).click();
    await page.getByTestId('compare').waitFor();
    await expect.poll(async () => (await headers(page))[2]).toContain('Domino 1984 · 70 kg');
    const before = await sharedLabels(page);
    expect(before[1]).toBe('Domino 1984 · 70 kg · 0.5 mg/kg over 40 min');
    await page
      .getByRole('button', { name: /^Rename / })
      .first()
      .click();
    const input = page.getByTestId('pin-label');
    // the rule is stated where the label is typed
    await expect.poll(() => page.getByTestId('pin-label-rule').textContent()).toBe(LABEL_RULE);
    await input.fill('John Smith MRN 1234567');
    const flag = page.getByTestId('pin-label-flag');
    await flag.waitFor();
    const flagText = await flag.textContent();
    expect(flagText).toMatch(/^New label for .*: looks identifying \(/);
    expect(flagText).toContain('"John Smith" looks like a person\'s name');
    expect(flagText).toContain('looks like a record number');
    await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.getByTestId('pin-label-apply').isDisabled()).toBe(true);
    // Enter does not apply it either: the label stays what it was (the flag quotes the text only under the field)
    await input.press('Enter');
    await expect.poll(() => input.isVisible()).toBe(true);
    expect(await sharedLabels(page)).toEqual(before);
    // a date of birth is flagged too
    await input.fill('born 12/03/1980');
    await expect.poll(() => flag.textContent()).toContain('looks like a date');
    // the person corrects it: a clean label is applied, shown and shared
    await input.fill('low dose, teaching');
    await expect.poll(() => flag.count()).toBe(0);
    await expect.poll(() => input.getAttribute('aria-invalid')).toBeNull();
    await page.getByTestId('pin-label-apply').click();
    await expect.poll(async () => (await headers(page))[2]).toContain('low dose, teaching');
    await expect.poll(() => page.getByTestId('pin-label').count()).toBe(0);
    const labels = await sharedLabels(page);
    expect(labels[1]).toBe('low dose, teaching');
    expect(labels.join(' ')).not.toMatch(/John Smith|1234567|1980/);
    expectClean(watch);
    await page.context().close();
  });

  it('a share link whose label looks identifying opens with the label left out, and says so naming the field', async () => {
    const plan = { ...DEFAULT_PLAN };
    const payload = Buffer.from(JSON.stringify([plan, { ...plan, label: 'Jane Doe DOB 1 March 1970' }]), 'utf8').toString(
      'base64url',
    );
    const base = inject('baseUrl');
    const { page, watch } = await openPage(browser, `${base}#compare=${payload}`);
    await waitForChart(page);
    await page.getByTestId('compare').waitFor();
    const notice = page.getByTestId('link-notice');
    await notice.waitFor();
    await expect.poll(() => notice.textContent()).toContain('compare[1].label: looks like a date');
    await expect.poll(() => notice.textContent()).toContain('so it is not shown (the curve is "Pinned 1")');
    await expect.poll(async () => (await headers(page))[2]).toContain('Pinned 1');
    await expect.poll(() => page.locator('body').textContent()).not.toContain('Jane Doe');
    expect((await sharedLabels(page)).join(' ')).not.toMatch(/Jane Doe|1970/);
    expectClean(watch);
    await page.context().close();
  });

  it('a session entered by hand takes a label: identifying text is flagged as typed and refused; a clean one is stored and shown', async () => {
    const { page, watch } = await openPage(browser, inject('baseUrl'));
    await page.getByRole('tab', { name: 'Course' }).click();
    await page.getByTestId('course-view').waitFor();
    const patientForm = page.getByTestId('new-patient');
    await patientForm.locator('[data-field=alias]').fill('L-9');
    await patientForm.locator('[data-field=weightKg]').fill('70');
    await patientForm.getByRole('button', { name: 'Add patient' }).click();
    await page.getByTestId('patient-course').getByText('L-9').first().waitFor();
    const form = page.getByTestId('manual-session');
    await form.getByText('Add a session by hand').click();
    await form.locator('[data-field=date]').fill(new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10));
    await form.locator('[data-field=amount]').fill('0.5');
    await expect.poll(() => form.getByTestId('manual-session-label-rule').textContent()).toBe(LABEL_RULE);
    const label = form.getByTestId('manual-session-label');
    await label.fill('Mrs Patel, tel 020 7946 0958');
    const flag = form.getByTestId('manual-session-label-flag');
    await flag.waitFor();
    await expect.poll(() => flag.textContent()).toMatch(/^Session label: looks identifying \(/);
    await expect.poll(() => flag.textContent()).toContain('looks like a phone number');
    await form.getByTestId('manual-session-save').click();
    await expect.poll(() => form.getByTestId('manual-session-status').textContent()).toMatch(/Session label: looks identifying/);
    expect((await dumpCourseDb(page)).sessions).toEqual([]);
    // corrected: stored with the label, and shown in the sessions table
    await label.fill('paper record, site B');
    await expect.poll(() => flag.count()).toBe(0);
    await form.getByTestId('manual-session-save').click();
    await expect.poll(() => form.getByTestId('manual-session-status').textContent()).toBe('✓ Session entered by hand saved.');
    const row = page.getByTestId('course-session-row');
    await expect.poll(() => row.getByTestId('session-label').textContent()).toBe(' · paper record, site B');
    const stored = (await dumpCourseDb(page)).sessions as { plan: { label?: string }; enteredByHand?: boolean }[];
    expect(stored.map((s) => [s.plan.label, s.enteredByHand])).toEqual([['paper record, site B', true]]);
    expectClean(watch);
    await page.context().close();
  });
});
