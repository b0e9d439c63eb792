import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIG_ACCOUNTS, writeBigDatabase } from './support/bigDatabase.ts';
import { useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();
const dir = mkdtempSync(join(tmpdir(), 'folio-e2e-data-'));
const big = join(dir, 'big.sqlite');
const BIG = 100_000;
beforeAll(() => writeBigDatabase(big, BIG));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const account = (name: string) => {
  const found = app.server.demo.dataset().accounts.find((candidate) => candidate.plan.name === name);
  if (!found) throw new Error(`no demo account ${name}`);
  return found;
};

describe('the synced data', () => {
  it('shows holdings that match the activities', async () => {
    const page = await app.openSynced('/#/holdings');
    const tfsa = page.getByRole('table', { name: 'Holdings of TFSA' });
    // The demo generator tracked every share it bought and sold: the numbers to match.
    for (const [symbol, units] of account('TFSA').holdings) {
      if (units.eq(0)) continue;
      const row = tfsa.getByRole('row', { name: new RegExp(`^${symbol.replace('.', '\\.')}\\b`) });
      await expect(row.getByRole('cell').first().textContent()).resolves.toBe(
        new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 }).format(Number(units.toFixed())),
      );
    }
    await expect(page.getByRole('table', { name: 'Totals' }).getByRole('row').count()).resolves.toBe(3); // CAD, USD
    // In total: VFV.TO is held in three accounts.
    const vfv = app.server.demo
      .dataset()
      .accounts.reduce((sum, candidate) => sum.plus(candidate.holdings.get('VFV.TO') ?? 0), new Big(0));
    const total = page.getByRole('table', { name: 'All accounts by symbol' }).getByRole('row', { name: /^VFV\.TO/ });
    await expect(total.getByRole('cell').first().textContent()).resolves.toBe(
      new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 }).format(Number(vfv.toFixed())),
    );
  });

  it('reviews the flagged activity end to end: corrected, it counts, and the account is up to date', async () => {
    const page = await app.openSynced('/#/holdings');
    const personal = page.getByRole('table', { name: 'Holdings of Personal' });
    const shopBefore = Number(
      (await personal
        .getByRole('row', { name: /^SHOP\.TO/ })
        .getByRole('cell')
        .first()
        .textContent()) ?? 0,
    );

    await page.getByRole('link', { name: 'Activities' }).click();
    const queue = page.getByRole('list', { name: 'Needs review' });
    await queue.getByText('Corporate reorganization SHOP: 2 shares', { exact: true }).waitFor();
    await queue.getByRole('button', { name: 'Correct' }).click();
    const form = queue.getByRole('form');
    await form.getByLabel('Type').selectOption('TRANSFER_IN');
    await form.getByLabel('Quantity').fill('2');
    await form.getByLabel('Price').fill('150');
    await form.getByLabel('Amount').fill('0');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await queue.waitFor({ state: 'detached' });

    await page.getByRole('link', { name: 'Holdings' }).click();
    await expect(
      personal
        .getByRole('row', { name: /^SHOP\.TO/ })
        .getByRole('cell')
        .first()
        .textContent(),
    ).resolves.toBe(String(shopBefore + 2));
    await page.getByRole('link', { name: /Connect/ }).click();
    await page.getByText('All accounts synced').waitFor();

    // A later sync leaves the correction alone.
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.getByRole('button', { name: 'Sync Now' }).waitFor();
    await page.getByText('All accounts synced').waitFor();
  });

  it('exports a .sqlite file that opens in SQLite with the same data', async () => {
    const page = await app.openSynced('/#/settings');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export database' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^folio-sync-\d{4}-\d{2}-\d{2}\.sqlite$/);
    const path = join(dir, 'export.sqlite');
    await download.saveAs(path);
    const file = new Database(path, { readonly: true });
    const total = app.server.demo
      .dataset()
      .accounts.filter((candidate) => candidate.plan.syncEnabled)
      .reduce((sum, candidate) => sum + candidate.activities.length, 0);
    expect(file.prepare('SELECT COUNT(*) FROM activities').pluck().get()).toBe(total);
    expect(file.prepare('SELECT COUNT(*) FROM holdings').pluck().get()).toBeGreaterThan(10);
    file.close();
  });

  it('imports a 100,000-activity database; the list filters and scrolls with a bounded number of rows', async () => {
    const page = await app.openSynced('/#/settings');
    await page.getByLabel('Import database…').setInputFiles(big);
    // Nothing is replaced on one click: it asks first, and Cancel keeps the data.
    await page.getByRole('group', { name: 'Replace your data?' }).getByText('big.sqlite').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('group', { name: 'Replace your data?' }).count()).resolves.toBe(0);
    await page.getByLabel('Import database…').setInputFiles(big);
    await page.getByRole('button', { name: 'Replace my data' }).click();
    await page
      .getByText(`Imported big.sqlite: ${BIG.toLocaleString('en-US')} activities.`)
      .waitFor({ timeout: 60_000 });

    await page.getByRole('link', { name: 'Activities' }).click();
    await page.getByText('100,000 activities, newest first.').waitFor();
    const list = page.getByRole('table', { name: 'All activities' });
    const rendered = () => list.locator('tbody tr:not(.spacer)').count();
    expect(await rendered()).toBeLessThan(80);
    await expect(list.locator('tbody tr:not(.spacer)').first().textContent()).resolves.toContain(`#${BIG - 1}`);

    // To the very end: the oldest activity, still only a window of rows.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await list.getByText('buy #0 VFV.TO').waitFor();
    await expect(list.locator('tbody tr:not(.spacer)').last().textContent()).resolves.toContain('buy #0 VFV.TO');
    expect(await rendered()).toBeLessThan(80);

    const filters = page.getByRole('form', { name: 'Filter activities' });
    await filters.getByLabel('Account').selectOption({ label: BIG_ACCOUNTS[1] });
    await page.getByText('33,333 activities, newest first.').waitFor();
    await filters.getByLabel('Type').selectOption('SELL');
    await page.getByText('16,667 activities, newest first.').waitFor();
    await filters.getByLabel('Account').selectOption({ label: 'All accounts' });
    await filters.getByLabel('Type').selectOption({ label: 'All types' });
    await filters.getByLabel('Search').fill('#99999');
    await page.getByText('1 activity, newest first.').waitFor();
    await filters.getByLabel('Search').fill('');
    await filters.getByLabel('From').fill('2026-01-01');
    await filters.getByLabel('To').fill('2026-01-31');
    // The count follows each field as its answer comes from the tab's worker: January's, once both are in.
    const shown = async () =>
      Number((await page.getByText(/activities, newest first\./).textContent())?.replace(/\D/g, ''));
    await expect
      .poll(async () => {
        const january = await shown();
        return january > 500 && january < 1500;
      })
      .toBe(true);
    await filters.getByLabel('From').fill('');
    await filters.getByLabel('To').fill('');
    await filters.getByLabel('Needs review').check();
    await page.getByText('1 activity, newest first.').waitFor();
    expect(await rendered()).toBe(1);
  });
});
