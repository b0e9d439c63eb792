/**
 * `npm run screenshots`: the README's pictures, taken from the real app (built, served with
 * the demo cloud, synced once) in Debian's Chromium, at desktop and phone widths.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startAppServer } from '../../src/server/appServer.ts';
import { buildApp } from '../e2e/support/buildApp.ts';

const out = join(import.meta.dirname, '../../docs');
const dist = mkdtempSync(join(tmpdir(), 'folio-shots-'));
await buildApp(dist, 'screenshots');
const server = await startAppServer({ distDir: dist, host: '127.0.0.1', port: 0 });
const profile = mkdtempSync(join(tmpdir(), 'folio-shots-profile-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
try {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto(server.url);
  await page.getByText('Last synced: just now').first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(out, 'connect-desktop.png') });
  await page.goto(`${server.url}/#/holdings`);
  await page.getByRole('table', { name: 'Totals' }).waitFor();
  await page.screenshot({ path: join(out, 'holdings-desktop.png') });
  await page.goto(`${server.url}/#/activities`);
  await page.getByRole('list', { name: 'Needs review' }).waitFor();
  await page.screenshot({ path: join(out, 'activities-desktop.png') });
  await page.goto(server.url);
  await page.getByText('Last synced: just now').first().waitFor();
  await page.getByRole('button', { name: 'Collapse the sidebar' }).click();
  await page.getByRole('link', { name: /Connect/ }).hover();
  await page.getByRole('tooltip', { name: /Connect/ }).waitFor();
  await page.screenshot({
    path: join(out, 'sidebar-collapsed-desktop.png'),
    clip: { x: 0, y: 0, width: 640, height: 360 },
  });
  // The sidebar remembers being collapsed: open it again for the pictures after.
  await page.getByRole('button', { name: 'Expand the sidebar' }).click();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.locator('main').getByText('Last synced: just now').waitFor();
  await page.screenshot({ path: join(out, 'connect-phone-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${server.url}/#/activities`);
  await page.getByText(/activities, newest first/).waitFor();
  await page.screenshot({ path: join(out, 'activities-phone.png') });
  // Offline: the data is still there, and the app says it will sync when the network is back.
  await page.goto(server.url);
  await page.locator('main').getByText('Last synced: just now').waitFor();
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Sync Now' }).click();
  await page.getByText("You're offline; it will sync when you're back").waitFor();
  await page.screenshot({ path: join(out, 'connect-phone-offline.png') });
  process.stdout.write(`Screenshots written to ${out}\n`);
} finally {
  await context.close();
  await server.close();
  rmSync(dist, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
