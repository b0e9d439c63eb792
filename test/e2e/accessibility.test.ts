import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations, type Violation } from './support/axe.ts';
import { useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();

const PAGES = [
  { route: 'connect', name: 'Connect' },
  { route: 'accounts', name: 'Accounts' },
  { route: 'holdings', name: 'Holdings' },
  { route: 'activities', name: 'Activities' },
  { route: 'settings', name: 'Settings' },
] as const;

/** Through the navigation, as a user goes; back once the page's heading is there. */
async function goTo(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: new RegExp(`^${name}`) })
    .click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

describe('accessibility', () => {
  it('has no serious or critical axe violation on any page, at desktop and phone width, light and dark', async () => {
    // One synced page for all four: the layout and the colours follow the viewport and the scheme.
    const page = await app.openSynced('/');
    const found: Record<string, Violation[]> = {};
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.setViewportSize(viewport);
        await page.emulateMedia({ colorScheme });
        for (const { route, name } of PAGES) {
          await goTo(page, name);
          found[`${route} at ${viewport.width}, ${colorScheme}`] = await seriousViolations(page);
        }
      }
    }
    expect(Object.keys(found)).toHaveLength(20);
    expect(Object.entries(found).filter(([, violations]) => violations.length > 0)).toEqual([]);
  });

  it('names each page in the title and moves focus to its heading after a navigation', async () => {
    const page = await app.openSynced('/#/holdings');
    await expect.poll(() => page.title()).toBe('Holdings · Folio Sync');
    for (const { name } of PAGES) {
      await goTo(page, name);
      await expect.poll(() => page.title()).toBe(`${name} · Folio Sync`);
      await expect
        .poll(() => page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent}`))
        .toBe(`H1 ${name}`);
      await expect(
        page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: new RegExp(`^${name}`) })
          .getAttribute('aria-current'),
      ).resolves.toBe('page');
    }
  });

  it('offers "Skip to content" first, shown when focused, and it moves focus to the main content', async () => {
    const page = await app.openSynced('/#/activities');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip.boundingBox()).resolves.toMatchObject({ y: expect.toSatisfy((y: number) => y < 0) });
    await page.keyboard.press('Tab');
    await expect.poll(() => skip.evaluate((element) => element === document.activeElement)).toBe(true);
    const box = await skip.boundingBox();
    expect(box?.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('MAIN');
    // The hash is the route: skipping stays on the page.
    await expect.poll(() => page.title()).toBe('Activities · Folio Sync');
    expect(new URL(page.url()).hash).toBe('#/activities');
  });

  it('names the activity each review button acts on', async () => {
    const page = await app.openSynced('/#/activities');
    const queue = page.getByRole('list', { name: 'Needs review' });
    for (const action of ['Confirm', 'Correct', 'Delete']) {
      await expect(
        queue
          .getByRole('button', {
            name: new RegExp(`^${action} Corporate reorganization SHOP: 2 shares on [A-Z][a-z]{2} \\d{1,2}, \\d{4}$`),
          })
          .count(),
      ).resolves.toBe(1);
    }
  });

  it('remembers a collapsed sidebar across a reload', async () => {
    const page = await app.openSynced('/');
    await page.getByRole('button', { name: 'Collapse the sidebar' }).click();
    await page.reload();
    await page.getByRole('button', { name: 'Expand the sidebar' }).waitFor();
    await page.getByRole('button', { name: 'Expand the sidebar' }).click();
    await page.reload();
    await page.getByRole('button', { name: 'Collapse the sidebar' }).waitFor();
  });
});
