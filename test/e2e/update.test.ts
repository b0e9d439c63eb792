import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/browserApp.ts';
import { buildApp } from './support/buildApp.ts';

const app = useBrowserApp();
const nextBuild = mkdtempSync(join(tmpdir(), 'folio-e2e-next-'));
afterAll(() => rmSync(nextBuild, { recursive: true, force: true }));

describe('a new version', () => {
  it('shows "Update available — Reload" without reloading; Reload switches to it, keeping the data', async () => {
    const page = await app.openSynced('/#/settings');
    await page.getByText('(build e2e-build-1)').waitFor();
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'same document';
    });

    await buildApp(nextBuild, 'e2e-build-2');
    app.server.setDistDir(nextBuild);
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    await page.getByText('Update available —').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await expect(page.evaluate(() => (window as unknown as { marker?: string }).marker)).resolves.toBe('same document');

    const syncs = app.syncCount();
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reload' }).click()]);
    await expect(page.evaluate(() => (window as unknown as { marker?: string }).marker)).resolves.toBeUndefined();
    await page.getByText('Last synced: just now').first().waitFor();
    await expect(page.getByText('Update available —').count()).resolves.toBe(0);
    expect(
      await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        return { waiting: registration.waiting !== null, controlled: navigator.serviceWorker.controller !== null };
      }),
    ).toEqual({ waiting: false, controlled: true });
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('(build e2e-build-2)').waitFor();
    // The update kept the synced data, and the hour's throttle with it.
    expect(app.syncCount()).toBe(syncs);
  });
});
