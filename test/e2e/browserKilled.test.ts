/**
 * The browser killed (SIGKILL: no unload, no chance to save) in the middle of a sync: on restart
 * the data saved before is all there, nothing says "Syncing" forever, and the next sync brings
 * exactly the cloud's activities.
 */
import { describe, expect, it } from 'vitest';
import { allActivitiesLine, useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();

const countOf = async (text: Promise<string | null>) =>
  Number((await text)?.match(/^([\d,]+)/)?.[1]?.replace(/,/g, ''));

describe('the browser killed mid-sync', () => {
  it('keeps what was saved, recovers, and the next sync completes exactly', async () => {
    const first = await app.openSynced('/#/activities');
    const saved = await countOf(first.getByText(/activities, newest first/).textContent());

    // New trades, slow small pages: a sync of several seconds, killed in the middle.
    app.server.demo.setScenario({ pageDelayMs: 200, maxPageSize: 5, newTrades: 3 });
    await first.getByRole('link', { name: /Connect/ }).click();
    await first.getByRole('button', { name: 'Sync Now' }).click();
    await first.locator('.status-line', { hasText: /Syncing account [2-4] of 4/ }).waitFor({ timeout: 30_000 });
    await app.crashAndRestart();

    app.server.demo.setScenario({ newTrades: 3 });
    const page = await app.open('/#/activities');
    const line = page.getByText(/activities, newest first/);
    await line.waitFor({ timeout: 30_000 });
    // All that was saved is there (and perhaps what the cut sync had saved), once the copy is read.
    await expect.poll(() => countOf(line.textContent()), { timeout: 15_000 }).toBeGreaterThanOrEqual(saved);
    await page.getByRole('link', { name: /Connect/ }).click();
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.getByText('1 account needs attention').waitFor({ timeout: 30_000 });
    await expect(page.locator('.status-line', { hasText: 'Syncing' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Activities' }).click();
    // Exactly the cloud's history and its three new trades, each once.
    await page.getByText(allActivitiesLine(app.server.demo, 3)).waitFor({ timeout: 15_000 });
  }, 120_000);
});
