// One live session in two tabs of one browser: a bolus in A shows in B; B's action against a state it has not seen is refused and B refreshes.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectClean, launch, openPage } from './support.ts';
import { dumpCourseDb } from './live-support.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const text = (page: Page, id: string) => page.getByTestId(id).textContent();

describe('one live session, two tabs (built app, Chromium)', () => {
  it('a bolus in tab A shows in tab B; B’s pause after A’s stop (not yet seen by B) is refused with a message and B catches up', async () => {
    const url = inject('baseUrl');
    const { page: a, watch } = await openPage(browser, url);
    await a.getByRole('tab', { name: 'Live mode' }).click();
    await a.getByTestId('live-patient').selectOption('new');
    await a.getByTestId('live-start').locator('[data-field=alias]').fill('TABS-1');
    await a.getByTestId('live-start-button').click();
    await a.getByTestId('live-session').waitFor();

    // tab B in the same browser context; it may hold back the cross-tab message (as a throttled background tab would)
    const b = await a.context().newPage();
    const bErrors: string[] = [];
    b.on('pageerror', (e) => bErrors.push(e.message));
    await b.addInitScript(() => {
      const w = window as unknown as { __holdLive?: boolean; __heldLive: (() => void)[] };
      w.__heldLive = [];
      const Orig = window.BroadcastChannel;
      window.BroadcastChannel = class extends Orig {
        set onmessage(f: ((e: MessageEvent) => void) | null) {
          super.onmessage = f && ((e: MessageEvent) => (w.__holdLive ? w.__heldLive.push(() => f(e)) : f(e)));
        }
        get onmessage() {
          return super.onmessage;
        }
      } as typeof BroadcastChannel;
    });
    await b.goto(url);
    await b.getByTestId('live-session').waitFor(); // the running session opens by itself
    expect(await text(b, 'live-alias')).toBe('TABS-1');

    // A: a bolus; B shows it in its log and readouts (waiting for the values)
    await a.getByTestId('bolus-value').fill('1');
    await a.getByTestId('act-bolus').click();
    await a
      .locator('[data-testid=live-feedback]')
      .filter({ hasText: /^✓ Bolus 1 mg\/kg recorded/ })
      .waitFor();
    await b.locator('[data-testid=live-log] tbody tr').first().waitFor();
    await expect
      .poll(() => b.locator('[data-testid=live-log] tbody tr').first().getByTestId('event-action').textContent())
      .toMatch(/^Bolus 1 mg\/kg/);

    // B holds the next message; A stops; B (not having seen the stop) presses Pause: refused, nothing recorded
    await b.evaluate(() => {
      (window as unknown as { __holdLive: boolean }).__holdLive = true;
    });
    await a.getByTestId('act-stop').click();
    await a.getByTestId('act-stop-confirm').click();
    await a
      .locator('[data-testid=live-feedback]')
      .filter({ hasText: /^✓ Stop recorded/ })
      .waitFor();
    await expect.poll(() => b.getByTestId('act-pause').isEnabled()).toBe(true);
    await b.getByTestId('act-pause').click();
    await b
      .locator('[data-testid=live-feedback]')
      .filter({ hasText: 'Not recorded: pause.' })
      .filter({ hasText: 'the session changed in another tab or window (1 log entry this view had not seen)' })
      .waitFor();
    // B re-read the session by itself: it now shows the stop, and Pause is no longer offered
    await expect.poll(() => text(b, 'live-pump')).toMatch(/^stopped/);
    await expect.poll(() => b.getByTestId('act-pause').isDisabled()).toBe(true);
    await expect.poll(() => b.locator('[data-testid=live-log] tbody tr').count()).toBe(2);
    const db = await dumpCourseDb(a);
    expect(db.liveEntries.map((e) => (e as { action: { kind: string } }).action.kind)).toEqual(['bolus', 'stop']);
    expect(bErrors).toEqual([]);
    expectClean(watch);
  });
});
