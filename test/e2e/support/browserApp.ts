/**
 * The built app served with its demo cloud (in this process, so tests set scenarios and
 * count the requests the cloud actually receives), and Debian's Chromium driven by
 * playwright-core, with a fresh persistent profile per test (an incognito context would
 * never offer installation).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';
import { type AppServer, startAppServer } from '../../../src/server/appServer.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface BrowserApp {
  server: AppServer;
  context: BrowserContext;
  /** A new tab on the app. */
  open(path?: string): Promise<Page>;
  /** A new tab on the app, once the first sync has filled it. */
  openSynced(path?: string): Promise<Page>;
  /** How many syncs the cloud saw: each sync asks for the user's profile once. */
  syncCount(): number;
  /** Uncaught errors and Content-Security-Policy violations in any page of the test; checked empty after each test. */
  errors: string[];
}

export function useBrowserApp(): BrowserApp {
  const app = {} as BrowserApp;
  let profile = '';
  beforeAll(async () => {
    app.server = await startAppServer({ distDir: inject('appDir'), host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.server?.close();
  });
  beforeEach(async () => {
    app.server.setDistDir(inject('appDir'));
    app.server.demo.setScenario({});
    app.server.demo.requests.length = 0;
    app.errors = [];
    profile = mkdtempSync(join(tmpdir(), 'folio-e2e-profile-'));
    app.context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: FLAGS });
  });
  afterEach(async () => {
    await app.context.close();
    rmSync(profile, { recursive: true, force: true });
    expect(app.errors).toEqual([]);
  });
  app.open = async (path = '/') => {
    const page = await app.context.newPage();
    page.on('pageerror', (error) => app.errors.push(error.message));
    // Chromium reports what the server's CSP refused on the console ("Refused to …").
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy'))
        app.errors.push(message.text());
    });
    await page.goto(new URL(path, app.server.url).href);
    return page;
  };
  app.openSynced = async (path = '/') => {
    const page = await app.open(path);
    await page.getByText('Last synced: just now').first().waitFor({ timeout: 30_000 });
    return page;
  };
  app.syncCount = () => app.server.demo.requests.filter((request) => request.path.endsWith('/api/v1/user/me')).length;
  return app;
}
