/**
 * The built app served with its demo cloud (in this process, so tests set scenarios and
 * count the requests the cloud actually receives), and Debian's Chromium driven by
 * playwright-core, with a fresh persistent profile per test (an incognito context would
 * never offer installation).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';
import type { DemoCloud } from '../../../src/demo/demoCloud.ts';
import type { DemoSize } from '../../../src/demo/demoDataset.ts';
import { type AppServer, startAppServer } from '../../../src/server/appServer.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from './chromium.ts';

/** A fresh Chromium profile per test, with every page error and CSP violation collected. */
export interface Chromium {
  context: BrowserContext;
  /** A new tab on `path` of the app. */
  open(path?: string): Promise<Page>;
  /** Uncaught errors and Content-Security-Policy violations in any page of the test; checked empty after each test. */
  errors: string[];
  /**
   * Kills the browser with SIGKILL (no chance to save or clean up), then starts it again on the
   * same profile. `arm` chooses the moment: it is handed the kill, to call when it likes (at once
   * by default).
   */
  crashAndRestart(arm?: (kill: () => void) => void): Promise<void>;
  /** The profile's folder, where the browser keeps the app's storage. */
  profileDir(): string;
}

/** Registers the hooks that give each test its own Chromium profile on the app at `baseUrl()`. */
export function useChromium(baseUrl: () => string): Chromium {
  const browser = {} as Chromium;
  let profile = '';
  const launch = async () => {
    browser.context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_FLAGS,
    });
  };
  beforeEach(async () => {
    browser.errors = [];
    profile = mkdtempSync(join(tmpdir(), 'folio-e2e-profile-'));
    await launch();
  });
  browser.crashAndRestart = async (arm = (kill) => kill()) => {
    const closed = new Promise((resolve) => browser.context.once('close', resolve));
    // Every process of this profile's browser: its command line names the profile.
    arm(() => spawnSync('pkill', ['-KILL', '-f', '--', `--user-data-dir=${profile}`]));
    await closed;
    await launch();
  };
  browser.profileDir = () => profile;
  afterEach(async () => {
    await browser.context.close();
    rmSync(profile, { recursive: true, force: true });
    expect(browser.errors).toEqual([]);
  });
  browser.open = async (path = '/') => {
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => browser.errors.push(error.message));
    // Chromium reports what the server's CSP refused on the console ("Refused to …").
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy'))
        browser.errors.push(message.text());
    });
    await page.goto(new URL(path, baseUrl()).href);
    return page;
  };
  return browser;
}

export interface BrowserApp extends Chromium {
  server: AppServer;
  /** A new tab on the app, once the first sync has filled it. */
  openSynced(path?: string): Promise<Page>;
  /** How many syncs the cloud saw: each sync asks for the user's profile once. */
  syncCount(): number;
}

/** Holds back `page`'s requests to `url` (a glob) until the returned function is called. */
export async function holdRequests(page: Page, url: string): Promise<() => void> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(url, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** How many activities the demo cloud lists for the accounts it syncs. */
export function syncedActivityCount(demo: DemoCloud): number {
  const synced = demo.dataset().accounts.filter((account) => account.plan.syncEnabled);
  return synced.reduce((sum, account) => sum + account.activities.length, 0);
}

/** The Activities page's count line once every synced account's history is stored, with `more` besides. */
export function allActivitiesLine(demo: DemoCloud, more = 0): string {
  return `${(syncedActivityCount(demo) + more).toLocaleString('en-US')} activities, newest first.`;
}

/** The app and its demo cloud, with a few weeks of history unless a test needs the full one. */
export function useBrowserApp(options: { demoSize?: DemoSize } = {}): BrowserApp {
  let server: AppServer | undefined;
  beforeAll(async () => {
    server = await startAppServer({
      distDir: inject('appDir'),
      host: '127.0.0.1',
      port: 0,
      demoSize: options.demoSize ?? 'small',
    });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server?.setDistDir(inject('appDir'));
    server?.demo.setScenario({});
    if (server) server.demo.requests.length = 0;
  });
  const app = useChromium(() => app.server.url) as BrowserApp;
  Object.defineProperty(app, 'server', {
    get(): AppServer {
      if (!server) throw new Error('The app server has not started');
      return server;
    },
  });
  app.openSynced = async (path = '/') => {
    const page = await app.open(path);
    await page.getByText('Last synced: just now').first().waitFor({ timeout: 30_000 });
    return page;
  };
  app.syncCount = () => app.server.demo.requests.filter((request) => request.path.endsWith('/api/v1/user/me')).length;
  return app;
}
