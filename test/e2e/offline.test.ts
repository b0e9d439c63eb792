import { describe, expect, it } from 'vitest';
import { allActivitiesLine, useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();

describe('offline', () => {
  it('reloads with the data and the offline state; Sync Now fails fast; back online, the next trigger syncs', async () => {
    const page = await app.openSynced();
    await app.context.setOffline(true);
    await page.reload();
    // Chromium does not carry the emulated offline state into the reloaded document: say it again.
    await app.context.setOffline(false);
    await app.context.setOffline(true);
    await page.getByText('Offline.').waitFor();
    // The rows come from IndexedDB a moment after the page shows.
    await expect.poll(() => page.locator('.account-rows li').count()).toBe(5);
    await page.getByRole('link', { name: 'Activities' }).click();
    await page.getByText(allActivitiesLine(app.server.demo)).waitFor();

    await page.getByRole('link', { name: /Connect/ }).click();
    const syncs = app.syncCount();
    const requests = app.server.demo.requests.length;
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.getByRole('alert').filter({ hasText: 'Network unavailable' }).waitFor({ timeout: 10_000 });
    await page.getByText('4 accounts need attention').waitFor();
    // Nothing reached the cloud: no retries were sent into the void.
    expect(app.server.demo.requests.length).toBe(requests);

    await app.context.setOffline(false); // the browser says "online": a trigger
    await page
      .getByText('All accounts synced')
      .or(page.getByText('1 account needs attention'))
      .waitFor({ timeout: 15_000 });
    expect(app.syncCount()).toBe(syncs + 1);
    await expect(page.getByText('Offline.').count()).resolves.toBe(0);
  });
});

describe('the cloud misbehaving, as the Connect page shows it', () => {
  const accountId = (name: string) =>
    app.server.demo.dataset().accounts.find((account) => account.plan.name === name)?.plan.id ?? '';

  it('429 that does not stop: the account fails "Rate limited by the cloud", the others sync', async () => {
    app.server.demo.setScenario({ failingAccount: { accountId: accountId('RRSP'), status: 429 } });
    const page = await app.open();
    const row = page.locator('.account-rows li').filter({ hasText: 'RRSP' });
    await row.getByText('Rate limited by the cloud').waitFor({ timeout: 30_000 });
    await expect(row.getByText('Failed').count()).resolves.toBe(1);
    await page.getByText('2 accounts need attention').waitFor();
    const rrspCalls = app.server.demo.requests.filter((request) => request.path.includes(accountId('RRSP')));
    expect(rrspCalls.map((request) => request.status)).toEqual([429, 429, 429, 429]);
    await page.getByRole('cell', { name: /FAILED: Rate limited by the cloud/ }).waitFor();
  });

  it('a burst of 5xx within the retries: everything syncs', async () => {
    app.server.demo.setScenario({ serverErrors: 3 });
    const page = await app.open();
    await page.getByText('1 account needs attention').waitFor({ timeout: 30_000 });
    await expect(page.getByText('Up to Date').count()).resolves.toBe(3);
    expect(app.server.demo.requests.filter((request) => request.status === 503)).toHaveLength(3);
  });

  it('5xx beyond the retries: the accounts fail with the status, and Sync Now tries again', async () => {
    const page = await app.openSynced();
    app.server.demo.setScenario({ serverErrors: 4 });
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.getByRole('alert').filter({ hasText: 'HTTP 503' }).waitFor({ timeout: 30_000 });
    await page.getByText('4 accounts need attention').waitFor();
    await expect(page.getByText('Failed', { exact: true }).count()).resolves.toBe(4);
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.getByText('1 account needs attention').waitFor({ timeout: 30_000 });
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
  });
});
