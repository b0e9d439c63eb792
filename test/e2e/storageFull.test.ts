/**
 * The browser has no room left for the app's data: a sync's save is refused (IndexedDB's
 * QuotaExceededError). The tab says so plainly, the worker keeps the synced data, and once there
 * is room the next sync saves it: nothing is lost.
 *
 * The room is Chromium's quota for the origin, set with Storage.overrideQuotaForOrigin. Chromium
 * takes a lower quota only before the origin first stores anything (checked on this Chromium:
 * lowered later, it goes on allowing writes), so the quota is set before the app first loads:
 * enough for the app's own files, not for the first sync's history.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { allActivitiesLine, useBrowserApp } from './support/browserApp.ts';

// The full history: its database is megabytes, far past the room left.
const app = useBrowserApp({ demoSize: 'full' });

/** The bytes of the built app's files (not their compressed copies): what the worker precaches, and more. */
function appBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => !/\.(br|gz)$/.test(path) && statSync(path).isFile())
    .reduce((sum, path) => sum + statSync(path).size, 0);
}

describe('a full storage quota', () => {
  it('says the data could not be saved, and the next sync with room saves it all', async () => {
    const origin = app.server.url;
    const page = await app.context.newPage();
    page.on('pageerror', (error) => app.errors.push(error.message));
    const cdp = await app.context.newCDPSession(page);
    const quotaSize = appBytes(inject('appDir')) + 512 * 1024;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize });
    await page.goto(origin);

    const alert = page.getByRole('alert').filter({ hasText: 'The synced data could not be saved' });
    await alert.waitFor({ timeout: 60_000 });
    await expect(alert.textContent()).resolves.toContain(
      "this browser has no room left for Folio Sync's data. Free some space; the next sync saves it",
    );

    const pages = () => app.server.demo.requests.filter((request) => request.path.includes('/activities?')).length;
    const firstSyncPages = pages();

    // Room again: the next sync saves what the refused save held. The worker kept it: this sync
    // asks only for the recent days, not the whole history again.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.getByText('Last synced: just now').first().waitFor({ timeout: 30_000 });
    await expect(alert.count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Activities' }).click();
    await page.getByText(allActivitiesLine(app.server.demo)).waitFor({ timeout: 15_000 });
    const secondSyncPages = pages() - firstSyncPages;
    expect(secondSyncPages).toBeGreaterThan(0);
    expect(secondSyncPages).toBeLessThan(firstSyncPages);
    // After a reload, from the saved file: nothing was only in memory.
    await page.reload();
    await page.getByText(allActivitiesLine(app.server.demo)).waitFor({ timeout: 15_000 });
  }, 120_000);
});
