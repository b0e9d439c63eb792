/**
 * What the Connect page says while and after syncing, as a new user meets it: the first sync's
 * progress and summary, problems said in words (dropped records, a sync that stopped part-way),
 * one history row per sync, and quiet syncs folded (docs/sync-rules.md, "Failures").
 */
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();

const syncedCount = () =>
  app.server.demo
    .dataset()
    .accounts.filter((account) => account.plan.syncEnabled)
    .reduce((sum, account) => sum + account.activities.length, 0);

describe('sync states', () => {
  it('a first sync lists the accounts at once, shows one progress for the whole sync, and ends with a summary', async () => {
    // Slow, small pages: the sync takes a few seconds, long enough to be watched.
    app.server.demo.setScenario({ pageDelayMs: 150, maxPageSize: 10 });
    const page = await app.open();
    const rows = page.locator('.account-rows li');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(5);
    // While it runs: the accounts not yet synced say "Syncing", and one bar says how far.
    await expect.poll(() => page.locator('.account-rows .badge', { hasText: 'Syncing' }).count()).toBeGreaterThan(1);
    await page.getByRole('progressbar', { name: 'Sync progress' }).waitFor();
    await page.locator('.status-line', { hasText: /Syncing account [1-4] of 4: / }).waitFor();
    await page.getByText(/^[\d,]+ activit(y|ies) so far$/).waitFor();
    // The live regions say which account, not every page fetched: the counts stay out of them.
    const announced = await page.locator('[aria-live]').allInnerTexts();
    expect(announced.join(' ')).not.toMatch(/so far|page \d/);
    await expect(page.getByText('No accounts yet').count()).resolves.toBe(0);
    await expect(page.getByText(/page \d/).count()).resolves.toBe(0);

    await page.getByText('Last synced: just now').first().waitFor({ timeout: 30_000 });
    const summary = page.locator('.sync-summary');
    await expect(summary.innerText()).resolves.toBe(
      `Last sync: ${syncedCount().toLocaleString('en-US')} new activities from 4 accounts; 1 needs review Review it`,
    );
    await expect(page.getByRole('progressbar').count()).resolves.toBe(0);
    // Each synced account's last success is labelled as such.
    await expect(page.locator('.account-rows li', { hasText: 'TFSA' }).innerText()).resolves.toContain(
      'Last success: just now',
    );
    await summary.getByRole('link', { name: 'Review it' }).click();
    await page.getByRole('heading', { name: 'Activities', level: 1 }).waitFor();
  });

  it('says what was dropped, folds syncs that found nothing, and never shows raw states', async () => {
    app.server.demo.setScenario({ invalidActivity: true });
    const page = await app.openSynced();
    const history = page.locator('.history');
    await history.getByText('TFSA: 2 records the cloud sent could not be read and were left out').waitFor();
    // Two more syncs that find nothing new: one row for both.
    app.server.demo.setScenario({});
    for (let i = 0; i < 2; i++) {
      await page.getByRole('button', { name: 'Sync Now' }).click();
      await page.getByRole('button', { name: 'Sync Now' }).waitFor({ timeout: 15_000 });
      await expect
        .poll(() => history.locator('.history-quiet').innerText())
        .toMatch(i === 0 ? /No new activities/ : /2 syncs/);
    }
    await expect(history.locator('> li').count()).resolves.toBe(2);
    await expect(page.getByText(/APPLIED|NEEDS_REVIEW|SUCCEEDED|INCREMENTAL/).count()).resolves.toBe(0);
  });

  it('a sync that stopped part-way keeps what it stored and says so, not "Never synced"', async () => {
    app.server.demo.setScenario({ stuckPagination: true, maxPageSize: 10 });
    const page = await app.open();
    await page.getByText('4 accounts need attention').waitFor({ timeout: 30_000 });
    await expect(page.getByText('Never synced').count()).resolves.toBe(0);
    await page.getByRole('link', { name: /Last sync failed: just now/ }).waitFor();
    await page.getByText(/^No sync has completed yet; the last one was tried just now$/).waitFor();
    const tfsa = page.locator('.account-rows li').filter({ hasText: 'TFSA' });
    await tfsa.getByText('The cloud kept sending the same page of activities, so the sync stopped').waitFor();
    await expect(page.getByText('Pagination appears stuck').count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Activities' }).click();
    await page.getByText(/^40 activities, newest first/).waitFor();
  });
});
