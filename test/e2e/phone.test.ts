import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { allActivitiesLine, useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();
const PHONE = { width: 390, height: 844 };
const NAMES = ['Connect', 'Accounts', 'Holdings', 'Activities', 'Settings'];

const openOnPhone = async (path: string): Promise<Page> => {
  const page = await app.openSynced(path);
  await page.setViewportSize(PHONE);
  return page;
};

/** How far the page itself scrolls sideways: 0 when everything fits the screen's width. */
const sidewaysScroll = (page: Page) =>
  page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });

describe('on a phone', () => {
  it('shows every page in a tab bar within the screen, the current one marked', async () => {
    const page = await openOnPhone('/#/holdings');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of NAMES) {
      const link = nav.getByRole('link', { name, exact: true });
      await expect(link.isVisible()).resolves.toBe(true);
      const box = await link.boundingBox();
      expect(box).not.toBeNull();
      if (!box) continue;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
      expect(box.height).toBeGreaterThanOrEqual(44);
      await expect(link.getAttribute('aria-current')).resolves.toBe(name === 'Holdings' ? 'page' : null);
    }
    // Along the bottom, where a phone's tabs are, and still there after scrolling.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const box = await nav.boundingBox();
    expect(Math.round((box?.y ?? 0) + (box?.height ?? 0))).toBe(PHONE.height);
  });

  it('never scrolls sideways, on any page', async () => {
    const page = await openOnPhone('/');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of NAMES) {
      await nav.getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      expect({ name, overflow: await sidewaysScroll(page) }).toEqual({ name, overflow: 0 });
    }
    // Holdings' tables fit as they are: no box to scroll sideways inside the page either.
    await nav.getByRole('link', { name: 'Holdings', exact: true }).click();
    await page.getByRole('table', { name: 'Holdings of TFSA' }).waitFor();
    const tables = await page
      .locator('table')
      .evaluateAll((elements) => elements.map((table) => table.getBoundingClientRect().right));
    expect(tables.length).toBeGreaterThan(2);
    for (const right of tables) expect(right).toBeLessThanOrEqual(PHONE.width);
  });

  it('keeps the Install button off the last row when scrolled to the end', async () => {
    // A page longer than the screen: the list of activities, as cards.
    const page = await openOnPhone('/#/activities');
    const install = page.getByRole('button', { name: 'Install Folio Sync' });
    await install.waitFor({ timeout: 15_000 });
    const cards = page.getByRole('list', { name: 'All activities' }).getByRole('listitem');
    await cards.first().waitFor();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await expect
      .poll(() => page.evaluate(() => window.scrollY + window.innerHeight >= document.body.scrollHeight - 1))
      .toBe(true);
    const button = await install.boundingBox();
    const lastRow = await cards.last().boundingBox();
    expect(button).not.toBeNull();
    expect(lastRow).not.toBeNull();
    if (!button || !lastRow) return;
    expect(lastRow.y + lastRow.height).toBeLessThanOrEqual(button.y);
  });

  it('shows Activities as cards, whole within the screen, windowed as the page scrolls', async () => {
    const page = await openOnPhone('/#/activities');
    await page.getByText(allActivitiesLine(app.server.demo)).waitFor();
    // The cards replace the table once the page has heard the media query change from the desktop size.
    const cards = page.getByRole('list', { name: 'All activities' }).getByRole('listitem');
    await cards.first().waitFor();
    await expect(page.getByRole('table', { name: 'All activities' }).count()).resolves.toBe(0);
    const count = await cards.count();
    expect(count).toBeGreaterThan(5);
    expect(count).toBeLessThan(60);
    // Each card, its amount and the "Needs Review" badge inside the screen's width.
    const overflowing = await page
      .locator('.activity-cards li, .activity-cards li .num, .activity-cards .badge')
      .evaluateAll(
        (elements) => elements.filter((element) => element.getBoundingClientRect().right > window.innerWidth).length,
      );
    expect(overflowing).toBe(0);
    expect(await sidewaysScroll(page)).toBe(0);

    // The oldest day, at the bottom of the page: still only a window of cards.
    const oldest = app.server.demo
      .dataset()
      .accounts.filter((account) => account.plan.syncEnabled)
      .flatMap((account) => account.activities.map((activity) => activity.trade_date))
      .sort()[0];
    const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(oldest ?? ''),
    );
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await expect.poll(() => cards.last().textContent()).toContain(`${day} ·`);
    expect(await cards.count()).toBeLessThan(60);
  });

  it('keeps the filters behind a toggle, and says when From is after To', async () => {
    const page = await openOnPhone('/#/activities');
    const filters = page.getByRole('form', { name: 'Filter activities' });
    const toggle = filters.getByRole('button', { name: 'Filters' });
    // The toggle appears once the page has heard the media query change from the desktop size it opened at.
    await toggle.waitFor();
    await expect(filters.getByLabel('From', { exact: true }).isVisible()).resolves.toBe(false);
    await toggle.click();
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    await filters.getByLabel('From', { exact: true }).fill('2026-03-01');
    await filters.getByLabel('To', { exact: true }).fill('2026-02-01');
    await expect(filters.getByLabel('From', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    const hint = await filters.getByLabel('To', { exact: true }).getAttribute('aria-describedby');
    await expect(page.locator(`[id="${hint}"]`).textContent()).resolves.toBe(
      'From is after To: no activity can match.',
    );
    await page.getByText('No activities match these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByText(allActivitiesLine(app.server.demo)).waitFor();
    await expect(filters.getByLabel('From', { exact: true }).getAttribute('aria-invalid')).resolves.toBeNull();
  });
});
