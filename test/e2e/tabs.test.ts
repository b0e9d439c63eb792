import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();

/** Every way a tab says "the user is back", many times over. */
const storm = (page: Page) =>
  page.evaluate(() => {
    for (let i = 0; i < 10; i++) {
      window.dispatchEvent(new Event('focus'));
      document.dispatchEvent(new Event('visibilitychange'));
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    }
  });

const activityCount = async (page: Page) =>
  Number((await page.getByText(/activities, newest first/).innerText()).match(/^([\d,]+)/)?.[1]?.replace(/,/g, ''));

describe('many tabs', () => {
  it('three tabs opening at once and a storm of focus and visibility events make exactly one sync', async () => {
    const pages = await Promise.all([app.open(), app.open(), app.open()]);
    await Promise.all(
      pages.map((page) => page.getByText('Last synced: just now').first().waitFor({ timeout: 30_000 })),
    );
    await Promise.all(pages.map(storm));
    await pages[0]?.waitForTimeout(1500);
    expect(app.syncCount()).toBe(1);

    // Inside the hour: more storms, still nothing.
    await Promise.all(pages.map(storm));
    await pages[0]?.waitForTimeout(1500);
    expect(app.syncCount()).toBe(1);
  });

  it('Sync Now inside the hour syncs, and another tab shows the new activities without a reload', async () => {
    const first = await app.openSynced('/#/activities');
    const second = await app.openSynced('/#/activities');
    const before = await activityCount(second);
    await second.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'not reloaded';
    });

    app.server.demo.setScenario({ newTrades: 3 });
    await first.getByRole('link', { name: /Connect/ }).click();
    await first.getByRole('button', { name: 'Sync Now' }).click();
    await first.getByRole('button', { name: 'Sync Now' }).waitFor(); // back from "Syncing…"
    expect(app.syncCount()).toBe(2);

    await second
      .getByText(`${(before + 3).toLocaleString('en-US')} activities, newest first`)
      .waitFor({ timeout: 3000 });
    await expect(
      second.getByRole('table', { name: 'All activities' }).locator('tbody tr').first().innerText(),
    ).resolves.toContain('Bought 3 VFV.TO');
    await expect(second.evaluate(() => (window as unknown as { marker?: string }).marker)).resolves.toBe(
      'not reloaded',
    );
  });

  it('two tabs editing and syncing at once lose nothing', async () => {
    const editor = await app.openSynced('/#/activities');
    const syncer = await app.openSynced('/');
    const before = await activityCount(editor);
    const queue = editor.getByRole('list', { name: 'Needs review' });

    // Slow pages keep the sync running while the other tab confirms.
    app.server.demo.setScenario({ newTrades: 2, pageDelayMs: 300 });
    await syncer.getByRole('button', { name: 'Sync Now' }).click();
    await syncer.getByRole('button', { name: 'Syncing…' }).waitFor();
    await queue.getByRole('button', { name: 'Confirm' }).click();
    await expect(syncer.getByRole('button', { name: 'Syncing…' }).count()).resolves.toBe(1);
    await syncer.getByRole('button', { name: 'Sync Now' }).waitFor({ timeout: 30_000 });

    // Both the confirmation and the synced activities are there, in both tabs.
    await editor
      .getByText(`${(before + 2).toLocaleString('en-US')} activities, newest first`)
      .waitFor({ timeout: 3000 });
    await queue.waitFor({ state: 'detached', timeout: 3000 });
    await expect(editor.locator('tr.needs-review').count()).resolves.toBe(0);
    await syncer.getByText('All accounts synced').waitFor({ timeout: 3000 });
    await syncer.reload();
    await syncer.getByText('All accounts synced').waitFor();
  });
});
