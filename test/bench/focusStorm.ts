/**
 * The focus storm (issue: "3 tabs × 50 events: cloud requests"): three tabs of the built app open
 * at once on a fresh profile, then each fires 50 focus, visibility and pageshow events, twice. The
 * figure is what the demo cloud was asked: one sync's requests for the opening, none for the storms
 * inside the hour (docs/sync-rules.md, "Throttle").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startAppServer } from '../../src/server/appServer.ts';
import { buildApp } from '../e2e/support/buildApp.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../e2e/support/chromium.ts';
import type { Figure } from './figures.ts';

const TABS = 3;
const EVENTS = 50;

/** `EVENTS` return-to-the-app events in one tab, in the three kinds a browser sends. */
const storm = (page: Page) =>
  page.evaluate((events) => {
    const kinds = [
      () => window.dispatchEvent(new Event('focus')),
      () => document.dispatchEvent(new Event('visibilitychange')),
      () => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })),
    ];
    for (let i = 0; i < events; i++) kinds[i % kinds.length]?.();
  }, EVENTS);

export async function focusStormFigures(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'folio-bench-storm-'));
  await buildApp(join(dir, 'app'), 'bench');
  const server = await startAppServer({ distDir: join(dir, 'app'), host: '127.0.0.1', port: 0 });
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
  });
  const syncs = () => server.demo.requests.filter((request) => request.path.endsWith('/api/v1/user/me')).length;
  try {
    const pages = await Promise.all(Array.from({ length: TABS }, () => context.newPage()));
    await Promise.all(pages.map((page) => page.goto(server.url)));
    await Promise.all(
      pages.map((page) => page.getByText('Last synced: just now').first().waitFor({ timeout: 60_000 })),
    );
    const opening = { requests: server.demo.requests.length, syncs: syncs() };
    for (let round = 0; round < 2; round++) {
      await Promise.all(pages.map(storm));
      await pages[0]?.waitForTimeout(1500);
    }
    const storms = { requests: server.demo.requests.length - opening.requests, syncs: syncs() - opening.syncs };
    return [
      {
        name: `focus storm: ${TABS} tabs opening at once`,
        value: `${opening.syncs} sync, ${opening.requests} cloud requests`,
        target: '1 sync',
        pass: opening.syncs === 1,
      },
      {
        name: `focus storm: ${TABS} tabs × ${EVENTS} events, twice`,
        value: `${storms.syncs} syncs, ${storms.requests} cloud requests`,
        target: '0 within the hour',
        pass: storms.requests === 0,
      },
    ];
  } finally {
    await context.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
