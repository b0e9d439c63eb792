/**
 * The browser stops the service worker in the middle of a sync (it may, at any time): the tab does
 * not say "Syncing" forever, it says the sync stopped, and the next sync brings exactly the cloud's
 * activities. The worker is stopped with Chromium's ServiceWorker.stopAllWorkers.
 */
import { describe, expect, it } from 'vitest';
import { allActivitiesLine, useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();

describe('the service worker stopped mid-sync', () => {
  it('ends the wait in the tab, and the next sync completes exactly', async () => {
    // Slow, small pages: a first sync of several seconds, to be cut in the middle.
    app.server.demo.setScenario({ pageDelayMs: 200, maxPageSize: 5 });
    const page = await app.open();
    await page.locator('.status-line', { hasText: /Syncing account [2-4] of 4/ }).waitFor({ timeout: 30_000 });
    const cdp = await app.context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');

    // No completion will come: the tab asks the (new) worker, hears twice that nothing runs, and says so.
    await page
      .getByRole('alert')
      .filter({ hasText: 'The sync stopped before it finished' })
      .waitFor({ timeout: 40_000 });
    await expect(page.getByRole('button', { name: 'Sync Now' }).isEnabled()).resolves.toBe(true);
    await expect(page.locator('.status-line', { hasText: 'Syncing' }).count()).resolves.toBe(0);

    // What it left RUNNING is recovered; the next sync fetches what the cut one missed, once each.
    app.server.demo.setScenario({});
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.getByText('1 account needs attention').waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Activities' }).click();
    await page.getByText(allActivitiesLine(app.server.demo)).waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: /Connect/ }).click();
    // The cut sync has its row in the history, saying so.
    await page
      .locator('.history')
      .getByText(/was interrupted/)
      .waitFor();
  }, 120_000);
});
