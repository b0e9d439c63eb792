import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBigDatabase } from './support/bigDatabase.ts';
import { holdRequests, useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();
const dir = mkdtempSync(join(tmpdir(), 'folio-e2e-review-'));
/** Three activities waiting for review: #1600, #1500 and #1234, newest first. */
const threeFlagged = join(dir, 'three-flagged.sqlite');
beforeAll(() => {
  writeBigDatabase(threeFlagged, 2000);
  const db = new Database(threeFlagged);
  db.prepare(
    `UPDATE activities SET status = 'DRAFT', review_reasons = '["Low mapping confidence (0.40)"]' WHERE id IN ('big-1500', 'big-1600')`,
  ).run();
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    return { tag: element?.tagName, text: element?.textContent ?? '', name: element?.getAttribute('aria-label') };
  });

const countLine = async (page: Page) =>
  Number((await page.getByText(/activities?, newest first\./).textContent())?.replace(/\D/g, ''));

describe('the review queue', () => {
  it('asks before deleting: Cancel keeps the activity, Delete removes it and focus goes to the heading', async () => {
    const page = await app.openSynced('/#/activities');
    const queue = page.getByRole('list', { name: 'Needs review' });
    const flagged = queue.getByRole('listitem').filter({ hasText: 'Corporate reorganization SHOP: 2 shares' });
    await flagged.waitFor();
    const before = await countLine(page);

    await flagged.getByRole('button', { name: /^Delete/ }).click();
    const question = flagged.getByRole('group', { name: 'Delete this activity?' });
    await question.waitFor();
    // Nothing is deleted yet, and the safe answer has focus.
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Cancel' });
    await question.getByRole('button', { name: 'Cancel' }).click();
    await expect(question.count()).resolves.toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ text: expect.stringMatching(/^Delete Corporate/) });
    await page.waitForTimeout(500); // a deletion, had there been one, would have landed by now
    await expect(flagged.count()).resolves.toBe(1);
    expect(await countLine(page)).toBe(before);

    await flagged.getByRole('button', { name: /^Delete/ }).click();
    await question.getByRole('button', { name: /^Delete Corporate reorganization/ }).click();
    await queue.waitFor({ state: 'detached' });
    const heading = page.getByRole('heading', { name: 'Every flagged activity is reviewed' });
    await heading.waitFor();
    await expect.poll(() => heading.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await countLine(page)).toBe(before - 1);
  });

  it('reports a bad correction beside its field, then takes the corrected one', async () => {
    const page = await app.openSynced('/#/activities');
    const queue = page.getByRole('list', { name: 'Needs review' });
    await queue.getByRole('button', { name: /^Correct/ }).click();
    const form = queue.getByRole('form', { name: /^Correct Corporate reorganization/ });
    // Opening the form moves focus into it.
    await expect
      .poll(() => form.getByLabel('Type').evaluate((element) => element === document.activeElement))
      .toBe(true);
    await form.getByLabel('Type').selectOption('TRANSFER_IN');
    await form.getByLabel('Quantity').fill('two');
    await form.getByRole('button', { name: 'Save correction' }).click();

    const quantity = form.getByLabel('Quantity');
    await expect(quantity.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = await quantity.getAttribute('aria-describedby');
    await expect(page.locator(`[id="${describedBy}"]`).textContent()).resolves.toBe('"two" is not a number');
    await expect.poll(() => quantity.evaluate((element) => element === document.activeElement)).toBe(true);
    // Only the field in error is marked, and nothing reached the worker.
    await expect(form.getByLabel('Price').getAttribute('aria-invalid')).resolves.toBeNull();
    await expect(page.getByRole('alert').count()).resolves.toBe(0);

    await quantity.fill('2');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await queue.waitFor({ state: 'detached' });
    const heading = page.getByRole('heading', { name: 'Every flagged activity is reviewed' });
    await expect.poll(() => heading.evaluate((element) => element === document.activeElement)).toBe(true);
  });

  it('after a decision, focus goes to the next activity waiting for review', async () => {
    const page = await app.openSynced('/#/settings');
    await page.getByLabel('Import database…').setInputFiles(threeFlagged);
    await page.getByRole('button', { name: 'Replace my data' }).click();
    await page.getByText('Imported three-flagged.sqlite: 2,000 activities.').waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Activities' }).click();
    await page.getByRole('heading', { name: '3 activities need review' }).waitFor();
    const queue = page.getByRole('list', { name: 'Needs review' });

    await queue.getByRole('button', { name: /^Confirm \w+ #1600 on / }).click();
    await page.getByRole('heading', { name: '2 activities need review' }).waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'LI', text: expect.stringContaining('buy #1500') });

    // The last one in the list: focus goes to the one before it.
    await queue.getByRole('button', { name: /^Confirm .*#1234/ }).click();
    await page.getByRole('heading', { name: '1 activity needs review' }).waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'LI', text: expect.stringContaining('#1500') });
  });
});

describe('the Activities page', () => {
  it('says it is opening, not "0 activities", until the copy is read; then that nothing has synced yet', async () => {
    app.server.demo.setScenario({ plan: null }); // no broker sync: nothing arrives
    const page = await app.context.newPage();
    // The tab's data worker held back: the page is drawn, its copy not yet read.
    const release = await holdRequests(page, '**/replicaWorker*');
    await page.goto(new URL('/#/activities', app.server.url).href);
    await page.getByText('Opening your activities…').waitFor();
    await expect(page.getByText(/0 activities/).count()).resolves.toBe(0);
    release();
    await page.getByText('No activities yet: they appear after the first sync.').waitFor();
    await expect(page.getByRole('table', { name: 'All activities' }).count()).resolves.toBe(0);
  });

  it('shows rows in most of a 1280×800 screen, and a way out of filters that match nothing', async () => {
    const page = await app.openSynced('/#/activities');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page
      .getByRole('list', { name: 'Needs review' })
      .getByRole('button', { name: /^Confirm/ })
      .click();
    await page.getByRole('heading', { name: 'Every flagged activity is reviewed' }).waitFor();
    await page.reload();
    const firstRow = page.getByRole('table', { name: 'All activities' }).locator('tbody tr:not(.spacer)').first();
    await firstRow.waitFor();
    const top = (await firstRow.boundingBox())?.y ?? 800;
    expect(top).toBeLessThan(800 / 2);

    const filters = page.getByRole('form', { name: 'Filter activities' });
    await filters.getByLabel('Search').fill('no such activity');
    await page.getByText('No activities match these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(filters.getByLabel('Search').inputValue()).resolves.toBe('');
    await firstRow.waitFor();
  });
});
