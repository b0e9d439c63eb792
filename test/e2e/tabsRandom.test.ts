/**
 * Three tabs, a seeded random sequence of what users do in them while syncs run: Sync Now in any
 * tab, storms of focus and visibility events, the cloud bringing new trades, and a review decision
 * made in one tab during it all. At the end the exported database holds every activity the cloud
 * lists, each once, with the decision kept; its syncs never overlapped and none is left RUNNING.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/demo/random.ts';
import { useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();
const dir = mkdtempSync(join(tmpdir(), 'folio-e2e-tabs-random-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const storm = (page: Page) =>
  page.evaluate(() => {
    for (let i = 0; i < 10; i++) {
      window.dispatchEvent(new Event('focus'));
      document.dispatchEvent(new Event('visibilitychange'));
    }
  });

describe('many tabs, at random', () => {
  it('one sync at a time, no decision and no synced row lost', async () => {
    const random = seededRandom('three tabs');
    const tabs = [await app.openSynced(), await app.openSynced(), await app.openSynced('/#/activities')];
    const [, , reviewer] = tabs as [Page, Page, Page];
    // The demo's one flagged activity waits for review in every tab.
    await reviewer.getByRole('list', { name: 'Needs review' }).waitFor();

    let trades = 0;
    let decided = false;
    for (let step = 0; step < 12; step++) {
      const tab = random.pick(tabs);
      const action = random.pick(['sync', 'sync', 'storm', 'trades'] as const);
      if (action === 'trades') {
        trades++;
        app.server.demo.setScenario({ newTrades: trades, pageDelayMs: 30, maxPageSize: 20 });
      } else if (action === 'storm') {
        await storm(tab);
      } else {
        await tab.getByRole('link', { name: /Connect/ }).click();
        const button = tab.getByRole('button', { name: /^(Sync Now|Syncing…)$/ });
        if (await button.isEnabled()) await button.click();
      }
      // The decision, in the middle of it all.
      if (step === 6) {
        await reviewer.getByRole('link', { name: 'Activities' }).click();
        await reviewer
          .getByRole('list', { name: 'Needs review' })
          .getByRole('button', { name: /^Confirm/ })
          .click();
        decided = true;
      }
      await tab.waitForTimeout(random.int(50, 300));
    }
    expect(decided).toBe(true);

    // Settle: one last sync from the first tab, once no tab says it is syncing.
    const [first] = tabs as [Page, Page, Page];
    await first.getByRole('link', { name: /Connect/ }).click();
    await first.getByRole('button', { name: 'Sync Now' }).waitFor({ timeout: 30_000 });
    await expect
      .poll(() => first.getByRole('button', { name: 'Sync Now' }).isEnabled(), { timeout: 30_000 })
      .toBe(true);
    await first.getByRole('button', { name: 'Sync Now' }).click();
    await first.getByText('Last synced: just now').first().waitFor({ timeout: 30_000 });
    await expect
      .poll(() => first.getByRole('button', { name: 'Sync Now' }).isEnabled(), { timeout: 30_000 })
      .toBe(true);

    await first.getByRole('link', { name: 'Settings' }).click();
    const [download] = await Promise.all([
      first.waitForEvent('download'),
      first.getByRole('button', { name: 'Export database' }).click(),
    ]);
    const path = join(dir, 'export.sqlite');
    await download.saveAs(path);
    const file = new Database(path, { readonly: true });
    try {
      const stored = file.prepare('SELECT account_id, provider_activity_id AS id, status FROM activities').all() as {
        account_id: string;
        id: string;
        status: string;
      }[];
      // Each once.
      expect(new Set(stored.map((row) => `${row.account_id} ${row.id}`)).size).toBe(stored.length);
      // Every activity the cloud lists, its live trades included.
      const ids = new Set(stored.map((row) => row.id));
      const listed = app.server.demo
        .dataset()
        .accounts.filter((account) => account.plan.syncEnabled)
        .flatMap((account) => account.activities.map((activity) => String(activity.id)));
      expect(listed.filter((id) => !ids.has(id))).toEqual([]);
      for (let i = 1; i <= trades; i++) expect(ids.has(`live-trade-${i}`), `live-trade-${i}`).toBe(true);
      // The decision kept through every later sync: nothing waits for review any more.
      expect(stored.filter((row) => row.status === 'DRAFT')).toEqual([]);
      // One sync at a time: each began after the one before it ended; none left RUNNING.
      const runs = file.prepare('SELECT status, started_at, finished_at FROM sync_runs ORDER BY id').all() as {
        status: string;
        started_at: string;
        finished_at: string | null;
      }[];
      expect(runs.filter((run) => run.status === 'RUNNING')).toEqual([]);
      for (const [i, run] of runs.entries()) {
        const before = runs[i - 1];
        if (before)
          expect(run.started_at >= (before.finished_at ?? ''), `sync ${i + 1} started before ${i} ended`).toBe(true);
      }
    } finally {
      file.close();
    }
  }, 120_000);
});
