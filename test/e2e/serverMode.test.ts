/**
 * The PWA served by `npm run server` (server mode), in Chromium: it finds the server and follows
 * it. Sync Now in one tab makes the server sync and every tab shows it; a scheduled sync reaches
 * every tab too; the page shows the server's next run; it opens offline from its copy; and the
 * browser never syncs the cloud itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { systemClock, systemSleep } from '../../src/platform/realTime.ts';
import { type SyncServer, startSyncServer } from '../../src/server/syncServer.ts';
import { allActivitiesLine, holdRequests, useChromium } from './support/browserApp.ts';

let server: SyncServer;
let dataDir: string;
/** The scheduler's timers, fired by the test: it has no 4 hours to wait. */
let scheduled: (() => unknown)[];

const startServer = (secret: string | null = null) =>
  startSyncServer({
    config: {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      apiUrl: null,
      authUrl: null,
      refreshToken: null,
      secret,
      publicOrigin: null,
    },
    distDir: inject('appDir'),
    clock: systemClock,
    sleep: systemSleep,
    setTimer: (fire) => {
      scheduled.push(fire);
      return () => undefined;
    },
    log: { warn: () => undefined },
    demoSize: 'small',
  });

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'folio-e2e-server-'));
  scheduled = [];
  server = await startServer();
});
afterEach(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const browser = useChromium(() => server.url);

/** Syncs the cloud saw: each asks for the user's profile once. */
const cloudSyncs = () => server.demo.requests.filter((request) => request.path.endsWith('/api/v1/user/me')).length;

const activityCount = async (page: Page) =>
  Number((await page.getByText(/activities, newest first/).innerText()).match(/^([\d,]+)/)?.[1]?.replace(/,/g, ''));

describe('the app in server mode', () => {
  it('Sync Now in one tab syncs on the server and updates another tab; a scheduled sync reaches both', async () => {
    const connect = await browser.open('/');
    const activities = await browser.open('/#/activities');
    await connect.getByText('Never synced').first().waitFor();
    // The server's first run is a minute after it started.
    await connect.getByText('Next auto-sync: in under a minute').waitFor();

    await connect.getByRole('button', { name: 'Sync Now' }).click();
    await connect.getByText('Last synced: just now').first().waitFor({ timeout: 30_000 });
    await activities.getByText(allActivitiesLine(server.demo)).waitFor({ timeout: 10_000 });
    expect(cloudSyncs()).toBe(1);
    await expect.poll(() => connect.locator('.account-rows li').count()).toBe(5);

    // The schedule fires with new trades at the cloud: both tabs follow, and the next run moves 4 hours on.
    const before = await activityCount(activities);
    server.demo.setScenario({ newTrades: 3 });
    await activities.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'not reloaded';
    });
    await scheduled.at(-1)?.();
    await activities
      .getByText(`${(before + 3).toLocaleString('en-US')} activities, newest first`)
      .waitFor({ timeout: 10_000 });
    await expect(activities.evaluate(() => (window as unknown as { marker?: string }).marker)).resolves.toBe(
      'not reloaded',
    );
    // Four hours from the run's start, as the tab's clock (it ticks every 15 s) sees it.
    await connect.getByText(/Next auto-sync: in (3h 5\dm|4h 0m)/).waitFor({ timeout: 10_000 });
    expect(cloudSyncs()).toBe(2);

    // Tabs coming back to the foreground ask the server, never the cloud.
    for (const page of [connect, activities]) {
      await page.evaluate(() => {
        window.dispatchEvent(new Event('focus'));
        document.dispatchEvent(new Event('visibilitychange'));
      });
    }
    await connect.waitForTimeout(1000);
    expect(cloudSyncs()).toBe(2);
  });

  it("a first visit drawn before the server answered sends nothing to the browser's worker meanwhile, then follows the server", async () => {
    const page = await browser.context.newPage();
    const answer = await holdRequests(page, '**/api/connect/state');
    await page.goto(server.url);
    // Drawn as the browser's own app while the question waits: a Sync Now there must not sync.
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.waitForTimeout(1500);
    expect(cloudSyncs()).toBe(0);
    answer();
    await page.getByText('Next auto-sync: in under a minute').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    expect(cloudSyncs()).toBe(0);
  });

  it('opens offline with the server data it last fetched, and fetches it again only when it changed', async () => {
    await fetch(`${server.url}/api/connect/sync`, { method: 'POST' });
    await server.runner.settled();
    // The service worker fetches the copy; Chromium reports its requests on the context.
    const fetched: string[] = [];
    browser.context.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    const copies = () => fetched.filter((path) => path === '/api/database').length;
    const page = await browser.open('/#/activities');
    await page.getByText(allActivitiesLine(server.demo)).waitFor({ timeout: 30_000 });
    expect(copies()).toBe(1);

    // A reload when nothing changed asks the state, not the data, and hears no old sync again.
    await page.reload();
    await page.getByText(allActivitiesLine(server.demo)).waitFor({ timeout: 10_000 });
    expect(copies()).toBe(1);
    await page.waitForTimeout(500);
    await expect(page.getByText('New accounts found').count()).resolves.toBe(0);

    // The data changes on the server: the copy follows, once.
    const before = await activityCount(page);
    server.demo.setScenario({ newTrades: 1 });
    await fetch(`${server.url}/api/connect/sync`, { method: 'POST' });
    await page
      .getByText(`${(before + 1).toLocaleString('en-US')} activities, newest first`)
      .waitFor({ timeout: 10_000 });
    expect(copies()).toBe(2);

    await browser.context.setOffline(true);
    await page.reload();
    // Chromium does not carry the emulated offline state into the reloaded document: say it again.
    await browser.context.setOffline(false);
    await browser.context.setOffline(true);
    await page.getByText('Offline.').waitFor();
    await page
      .getByText(`${(before + 1).toLocaleString('en-US')} activities, newest first`)
      .waitFor({ timeout: 10_000 });
    await page.getByRole('link', { name: /Connect/ }).click();
    // The rows come from IndexedDB a moment after the page shows.
    await expect.poll(() => page.locator('.account-rows li').count()).toBe(5);
    // The two syncs the test asked of the server, and none of the browser's own.
    expect(cloudSyncs()).toBe(2);
  });

  it('with a secret, offers its sign-in page, and then works like any other', async () => {
    await server.close();
    server = await startServer('a-long-enough-server-secret');
    const page = await browser.open('/');
    await page.getByText('This server asks for its secret').waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Server secret').fill('a-long-enough-server-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.getByText('Last synced: just now').first().waitFor({ timeout: 30_000 });
    await expect(page.getByText('This server asks for its secret').count()).resolves.toBe(0);
    expect(cloudSyncs()).toBe(1);
  });
});
