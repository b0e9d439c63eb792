/**
 * A file imported in one tab while another tab's sync runs: the import waits for the sync (one
 * writer at a time), then replaces the data with the file, and the next sync brings back what the
 * cloud has that the file had not; nothing ends half-written, nothing is left "Syncing".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allActivitiesLine, syncedActivityCount, useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();
const dir = mkdtempSync(join(tmpdir(), 'folio-e2e-import-sync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an import during a sync', () => {
  it('waits for the sync, replaces the data, and the next sync completes it', async () => {
    const syncer = await app.openSynced();
    const importer = await app.openSynced('/#/settings');
    const [download] = await Promise.all([
      importer.waitForEvent('download'),
      importer.getByRole('button', { name: 'Export database' }).click(),
    ]);
    const file = join(dir, 'backup.sqlite');
    await download.saveAs(file);

    // Three new trades on slow, small pages: a sync of several seconds.
    app.server.demo.setScenario({ newTrades: 3, pageDelayMs: 150, maxPageSize: 5 });
    await syncer.getByRole('button', { name: 'Sync Now' }).click();
    await syncer.locator('.status-line', { hasText: /Syncing account [1-4] of 4/ }).waitFor({ timeout: 30_000 });
    await importer.getByLabel('Import database…').setInputFiles(file);
    await importer.getByRole('button', { name: 'Replace my data' }).click();
    // The file's activities, exactly: the import replaced the data once the sync had ended.
    await importer
      .getByText(`Imported backup.sqlite: ${syncedActivityCount(app.server.demo).toLocaleString('en-US')} activities.`)
      .waitFor({ timeout: 60_000 });
    await expect
      .poll(() => syncer.getByRole('button', { name: 'Sync Now' }).isEnabled(), { timeout: 30_000 })
      .toBe(true);

    app.server.demo.setScenario({ newTrades: 3 });
    await syncer.getByRole('button', { name: 'Sync Now' }).click();
    await syncer.getByRole('link', { name: 'Activities' }).click();
    await syncer.getByText(allActivitiesLine(app.server.demo, 3)).waitFor({ timeout: 30_000 });
    await importer.getByRole('link', { name: 'Activities' }).click();
    await importer.getByText(allActivitiesLine(app.server.demo, 3)).waitFor({ timeout: 15_000 });
  }, 120_000);
});
