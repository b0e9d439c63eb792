import { describe, expect, it } from 'vitest';
import { allActivitiesLine, useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();

describe('first visit', () => {
  it('syncs and shows accounts and activities; a reload within the hour asks the cloud nothing', async () => {
    const page = await app.openSynced();
    expect(app.syncCount()).toBe(1);
    await expect(page.getByRole('link', { name: /Connect/ }).innerText()).resolves.toContain('Last synced: just now');
    await page.getByText('1 account needs attention').waitFor();
    // Every account is new on a first sync: the list shows them, no banner names them again.
    await expect(page.getByText('New accounts found').count()).resolves.toBe(0);
    // The first install taking control is not an update.
    await expect(page.getByText('Update available').count()).resolves.toBe(0);
    const rows = page.locator('.account-rows li');
    await expect(rows.count()).resolves.toBe(5);
    await expect(rows.filter({ hasText: 'Crypto' }).innerText()).resolves.toContain('Excluded from sync');
    await expect(rows.filter({ hasText: 'Personal' }).innerText()).resolves.toContain('Needs Review');

    await page.getByRole('link', { name: 'Activities' }).click();
    await page.getByText(allActivitiesLine(app.server.demo)).waitFor();
    // Only the rows in view are rendered.
    const rendered = await page.getByRole('table', { name: 'All activities' }).locator('tbody tr:not(.spacer)').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(80);

    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    // The activities table may still be on screen for a moment: wait for the Accounts page itself.
    await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
    await expect(page.getByRole('row', { name: /TFSA/ }).innerText()).resolves.toMatch(
      /Questrade\s+CAD\s+CA\$[\d,]+\.\d\d\s+Up to Date/,
    );

    const requestsBefore = app.server.demo.requests.length;
    await page.reload();
    await page.getByText('Last synced: just now').first().waitFor();
    await page.waitForTimeout(1000); // time for the start-up trigger to reach the worker
    expect(app.server.demo.requests.length).toBe(requestsBefore);
  });

  it('paints the first screen before it starts its data worker (and sql.js) or asks whether a server serves it', async () => {
    const page = await app.openSynced();
    const timings = await page.evaluate(() => {
      const started = (part: string) =>
        performance.getEntriesByType('resource').find((entry) => entry.name.includes(part))?.startTime ?? -1;
      return {
        paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.POSITIVE_INFINITY,
        worker: started('replicaWorker'),
        mode: started('/api/connect/state'),
      };
    });
    expect(timings.worker).toBeGreaterThan(timings.paint);
    expect(timings.mode).toBeGreaterThan(timings.paint);
  });

  it('is installable: manifest, icons, and the browser offers installation', async () => {
    const page = await app.openSynced();
    await page.getByRole('button', { name: 'Install Folio Sync' }).waitFor({ timeout: 15_000 });
    const manifest = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
      return link ? ((await (await fetch(link.href)).json()) as Record<string, unknown>) : null;
    });
    expect(manifest).toMatchObject({ name: 'Folio Sync', start_url: '/', display: 'standalone' });
    const icons = manifest?.icons as { src: string; sizes: string; purpose?: string }[];
    expect(icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
    for (const icon of icons) {
      const size = await page.evaluate(async (src) => {
        const bitmap = await createImageBitmap(await (await fetch(src)).blob());
        return `${bitmap.width}x${bitmap.height}`;
      }, icon.src);
      expect(size).toBe(icon.sizes);
    }
  });

  it('keeps the sidebar\'s "Last synced" in the collapsed tooltip', async () => {
    const page = await app.openSynced();
    await page.getByRole('button', { name: 'Collapse the sidebar' }).click();
    await page.getByRole('link', { name: 'Connect - Last synced just now' }).hover();
    const tooltip = page.getByRole('tooltip', { name: 'Connect - Last synced just now' });
    await expect(tooltip.boundingBox()).resolves.toMatchObject({ width: expect.any(Number) });
    expect((await tooltip.boundingBox())?.width).toBeGreaterThan(100);
  });
});
