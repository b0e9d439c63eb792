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
    const badges = async () => page.locator('.account-rows .badge').allInnerTexts();
    const before = await badges();
    const syncs = app.syncCount();
    const requests = app.server.demo.requests.length;
    await page.getByRole('button', { name: 'Sync Now' }).click();
    // The attempt is over once its run is in the history (a trigger during it would only join it).
    await page.locator('.history').getByText("The cloud couldn't be reached").waitFor({ timeout: 10_000 });
    // Being offline is not the accounts' failure: said once, badges as they were, nothing to attend to.
    await page.getByText("You're offline; it will sync when you're back").waitFor();
    await page.getByText('Next auto-sync: when you are back online').waitFor();
    // The Sync Status card says it once: no second line about the cloud.
    const card = page.getByRole('region', { name: 'Sync Status' });
    await expect(card.getByText("couldn't be reached").count()).resolves.toBe(0);
    expect(await badges()).toEqual(before);
    await expect(page.getByText('Failed', { exact: true }).count()).resolves.toBe(0);
    await expect(page.getByText(/need(s)? attention/).count()).resolves.toBe(0);
    // Nothing reached the cloud: no retries were sent into the void.
    expect(app.server.demo.requests.length).toBe(requests);

    await app.context.setOffline(false); // the browser says "online": a trigger
    await page.getByText('1 account needs attention').waitFor({ timeout: 15_000 });
    expect(app.syncCount()).toBe(syncs + 1);
    await expect(page.getByText('Offline.').count()).resolves.toBe(0);
  });

  it('online with the cloud unreachable: says the cloud cannot be reached, not that the network is down', async () => {
    const page = await app.openSynced();
    const before = await page.locator('.account-rows .badge').allInnerTexts();
    app.server.demo.setScenario({ networkDown: true });
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.getByText("The cloud can't be reached right now").waitFor({ timeout: 15_000 });
    await expect(page.getByText("You're offline").count()).resolves.toBe(0);
    expect(await page.locator('.account-rows .badge').allInnerTexts()).toEqual(before);
    await page.locator('.history').getByText("The cloud couldn't be reached").waitFor();
  });
});

describe('the cloud misbehaving, as the Connect page shows it', () => {
  const accountId = (name: string) =>
    app.server.demo.dataset().accounts.find((account) => account.plan.name === name)?.plan.id ?? '';

  it('429 that does not stop: the account says when to try again, the others sync', async () => {
    app.server.demo.setScenario({ failingAccount: { accountId: accountId('RRSP'), status: 429 }, retryAfter: '2' });
    const page = await app.open();
    const row = page.locator('.account-rows li').filter({ hasText: 'RRSP' });
    // It asked for 2 s, which ran out during the retries: said as over, not as still to come.
    await row.getByText('The cloud asked Folio Sync to slow down; Sync Now can try again').waitFor({ timeout: 30_000 });
    await expect(row.getByText('Failed').count()).resolves.toBe(1);
    await expect(row.getByText('No successful sync yet').count()).resolves.toBe(1);
    await page.getByText('2 accounts need attention').waitFor();
    const rrspCalls = app.server.demo.requests.filter((request) => request.path.includes(accountId('RRSP')));
    expect(rrspCalls.map((request) => request.status)).toEqual([429, 429, 429, 429]);
    // The history says it in words, once, under the sync it belongs to.
    const history = page.locator('.history');
    // In the past tense there: the wait ran out long ago when the row is read.
    await history.getByText('RRSP: The cloud asked Folio Sync to wait 2 s').waitFor();
    await expect(history.getByText(/FAILED|NEEDS_REVIEW|APPLIED/).count()).resolves.toBe(0);
  });

  it('429 asking to wait longer than a retry may: said at once with the wait, not after minutes of "Syncing…"', async () => {
    const page = await app.openSynced();
    const before = await page.locator('.account-rows .badge').allInnerTexts();
    app.server.demo.setScenario({ rateLimited: 10, retryAfter: '300' });
    await page.getByRole('button', { name: 'Sync Now' }).click();
    // Well within the first 60 s retry the old schedule would have waited.
    await page
      .getByText('The cloud asked Folio Sync to slow down; try again in 5 min')
      .first()
      .waitFor({ timeout: 10_000 });
    expect(app.server.demo.requests.filter((request) => request.status === 429)).toHaveLength(1);
    expect(await page.locator('.account-rows .badge').allInnerTexts()).toEqual(before);
  });

  it('a burst of 5xx within the retries: everything syncs', async () => {
    app.server.demo.setScenario({ serverErrors: 3 });
    const page = await app.open();
    await page.getByText('1 account needs attention').waitFor({ timeout: 30_000 });
    await expect(page.getByText('Up to Date').count()).resolves.toBe(3);
    expect(app.server.demo.requests.filter((request) => request.status === 503)).toHaveLength(3);
  });

  it("5xx beyond the retries: said once as the cloud's problem, accounts untouched, and Sync Now tries again", async () => {
    const page = await app.openSynced();
    const before = await page.locator('.account-rows .badge').allInnerTexts();
    app.server.demo.setScenario({ serverErrors: 4 });
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.getByText('The cloud had a problem answering').first().waitFor({ timeout: 30_000 });
    // The cloud's own words, as its own; no status code.
    await page.getByText('The cloud said: “The service is temporarily unavailable”').waitFor();
    await expect(page.getByText(/HTTP 503|failed on/).count()).resolves.toBe(0);
    expect(await page.locator('.account-rows .badge').allInnerTexts()).toEqual(before);
    await expect(page.locator('.account-rows .error').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.getByText('1 account needs attention').waitFor({ timeout: 30_000 });
    await expect(page.getByText('The cloud said:').count()).resolves.toBe(0);
  });
});
