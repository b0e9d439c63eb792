/**
 * The tab closed in the middle of a sync: the sync is the service worker's, so it goes on without
 * any page and saves what it brought; the tab opened later shows it all, with nothing left
 * "Syncing", and asks the cloud nothing more within the hour.
 */
import { describe, expect, it } from 'vitest';
import { allActivitiesLine, useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();

describe('the tab closed mid-sync', () => {
  it('lets the worker finish the sync, and the next tab shows all of it', async () => {
    const first = await app.openSynced('/');
    // New trades, slow small pages: a sync of several seconds, its tab closed in the middle.
    app.server.demo.setScenario({ pageDelayMs: 200, maxPageSize: 5, newTrades: 3 });
    await first.getByRole('button', { name: 'Sync Now' }).click();
    await first.locator('.status-line', { hasText: /Syncing account [12] of 4/ }).waitFor({ timeout: 30_000 });
    await first.close();
    const syncs = app.syncCount();
    const closedAt = app.server.demo.requests.length;

    // The pages of the accounts after the one it was in keep coming, with no tab open.
    const accounts = () =>
      new Set(
        app.server.demo.requests
          .slice(closedAt)
          .map((request) => request.path.match(/accounts\/([^/]+)\/activities/)?.[1])
          .filter((id) => id !== undefined),
      ).size;
    await expect.poll(accounts, { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(2);

    const page = await app.open('/#/activities');
    await page.getByText(allActivitiesLine(app.server.demo, 3)).waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: /Connect/ }).click();
    await page.getByText('Last synced: just now').first().waitFor();
    await expect(page.locator('.status-line', { hasText: 'Syncing' }).count()).resolves.toBe(0);
    await expect(
      page
        .locator('.history')
        .getByText(/was interrupted/)
        .count(),
    ).resolves.toBe(0);
    // The sync the closed tab started was the only one: the new tab, within the hour, started none.
    expect(app.syncCount()).toBe(syncs);
  }, 120_000);
});
