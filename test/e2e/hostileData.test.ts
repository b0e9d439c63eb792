/**
 * Cloud text is shown as text. A cloud whose account, symbol and activity texts carry markup,
 * script and a reordering mark is signed in to from Settings and synced; every page then shows
 * those texts literally (the mark as �, so it cannot reorder what is shown), nothing runs (no dialog, no page error, no CSP violation: the
 * Content-Security-Policy would refuse inline script anyway), and the source never hands cloud
 * text to innerHTML. Stored as text: test/reliability/hostileCloud.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HandlerServer, serveHandlers } from '../../src/demo/serveHandlers.ts';
import { cloudTrade, SCRIPTED_TOKEN, scriptedCloud } from '../support/scriptedCloud.ts';
import { useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();
const MARKUP = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
const cloud = scriptedCloud();
cloud.accounts = [
  {
    id: 'acc-1',
    name: `${MARKUP} TFSA`,
    activities: [
      cloudTrade('a1', '2026-11-02', { description: MARKUP, symbol: { symbol: '<b>VFV</b>', description: MARKUP } }),
      cloudTrade('a2', '2026-11-03', { description: 'Bought \u202egnp.exe' }),
    ],
  },
  {
    id: 'acc-2',
    name: `Long${'n'.repeat(200_000)}`,
    activities: [cloudTrade('b1', '2026-11-04', { description: `Long${'d'.repeat(200_000)}` })],
  },
];
let served: HandlerServer;
beforeAll(async () => {
  served = await serveHandlers(cloud.handlers);
});
afterAll(() => served.close());

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

describe('hostile cloud text', () => {
  it('is shown as text on every page, and nothing of it runs', async () => {
    const page = await app.openSynced('/#/settings');
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByLabel('Cloud API URL').fill(served.url);
    await page.getByLabel('Auth URL').fill(served.url);
    await page.getByLabel('Refresh token').fill(SCRIPTED_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/^Signed in\./).waitFor({ timeout: 30_000 });

    for (const [link, heading] of [
      ['Connect', 'Connect'],
      ['Accounts', 'Accounts'],
      ['Holdings', 'Holdings'],
      ['Activities', 'Activities'],
    ] as const) {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: new RegExp(`^${link}`) })
        .click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.getByText(`${MARKUP} TFSA`).filter({ visible: true }).first().waitFor();
    }
    await page.getByText(MARKUP, { exact: true }).first().waitFor();
    // The reordering mark is shown as �: "gnp.exe" cannot be drawn as "exe.png".
    await page.getByText('Bought \ufffdgnp.exe').first().waitFor();
    await expect(page.evaluate(() => document.body.innerText.includes('\u202e'))).resolves.toBe(false);
    // A name and a description of 200,000 characters with no space take a few lines at most, on
    // every page, and nothing scrolls sideways.
    for (const link of ['Connect', 'Accounts', 'Holdings', 'Activities']) {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: new RegExp(`^${link}`) })
        .click();
      await page.getByRole('heading', { level: 1, name: link }).waitFor();
      const size = await page.evaluate(() => {
        const root = document.scrollingElement ?? document.documentElement;
        return { sideways: root.scrollWidth - root.clientWidth, height: root.scrollHeight };
      });
      // A page of two accounts stays a page or two tall: the name is cut to a few lines.
      expect({ link, ...size, height: size.height <= 2000 }).toEqual({ link, sideways: 0, height: true });
    }
    // On a phone, the long name gives way in its card; the date and the units beside it stay whole.
    await page.setViewportSize({ width: 390, height: 844 });
    const card = page.locator('.activity-cards li').filter({ hasText: 'Longnnnn' });
    await card.waitFor();
    const line = card.locator('.card-line.muted');
    await line.getByText('· 1 unit', { exact: true }).waitFor();
    const clipped = await line.evaluate((element) => {
      const right = element.getBoundingClientRect().right;
      return [...element.children].map(
        (part) =>
          `${part.textContent?.slice(0, 8)}: ${part.scrollWidth > part.clientWidth || part.getBoundingClientRect().right > right + 0.5}`,
      );
    });
    expect(clipped).toEqual([expect.stringMatching(/: false$/), 'Longnnnn: true', '· 1 unit: false']);
    // Nothing ran: no dialog, no global set, no element the markup would have made.
    expect(dialogs).toEqual([]);
    await expect(page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).resolves.toBeUndefined();
    await expect(page.locator('main img[src="x"], main script, main b').count()).resolves.toBe(0);
  });

  it('is never handed to innerHTML in the source', () => {
    const sources = [
      ...filesUnder(join(import.meta.dirname, '../../src')),
      ...filesUnder(join(import.meta.dirname, '../../sw')),
    ];
    const offenders = sources.filter((path) =>
      /innerHTML|dangerouslySetInnerHTML|insertAdjacentHTML/.test(readFileSync(path, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
