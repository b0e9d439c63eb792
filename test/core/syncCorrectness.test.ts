/**
 * The cases that once lost or hid data quietly (docs/sync-rules.md), each against the real
 * engine, real sql.js (or the CLI's SQLite file) and a scripted cloud; asserted through the
 * views the app reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runSyncCli } from '../../src/cli/syncCli.ts';
import { DAY_MS } from '../../src/core/clock.ts';
import { createSyncRunner } from '../../src/core/syncRunner.ts';
import { deleteActivity } from '../../src/storage/activities.ts';
import { openFileDatabase } from '../../src/storage/node/fileDatabase.ts';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.ts';
import { INTERRUPTED } from '../../src/storage/syncState.ts';
import {
  countActivities,
  listAccounts,
  listActivities,
  listHoldings,
  listImportRuns,
  listSyncRuns,
} from '../../src/storage/views.ts';
import { fakeTime } from '../support/fakeTime.ts';
import {
  cloudTrade,
  SCRIPTED_TOKEN,
  SCRIPTED_URL,
  type ScriptedCloud,
  scriptedCloud,
} from '../support/scriptedCloud.ts';
import { createHarness, type Harness } from '../support/syncHarness.ts';
import { expectHoldingsRecomputed, expectNothingRunning } from '../support/syncInvariants.ts';

const time = fakeTime();
const HOUR = 60 * 60 * 1000;

let cloud: ScriptedCloud;
beforeEach(() => {
  time.set('2026-11-28T12:00:00.000Z');
  cloud = scriptedCloud();
  cloud.accounts = [
    { id: 'acc-1', name: 'TFSA', activities: [cloudTrade('t1', '2026-11-01'), cloudTrade('t2', '2026-11-02')] },
    {
      id: 'acc-2',
      name: 'RRSP',
      activities: ['2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06'].map((day, i) => cloudTrade(`r${i}`, day)),
    },
  ];
});

const harness = (db?: SqlDatabase): Promise<Harness> =>
  createHarness(time, {
    refreshToken: SCRIPTED_TOKEN,
    cloud: { url: SCRIPTED_URL, http: cloud.http },
    ...(db ? { db } : {}),
  });
const account = (h: Harness, id: string) => listAccounts(h.db).find((candidate) => candidate.id === id);
const runsOf = (db: SqlDatabase, accountName: string) =>
  listImportRuns(db, 100).filter((run) => run.accountName === accountName);
const activityRequests = () => cloud.requests.filter((request) => request.includes('/activities'));

describe('a sync abandoned mid-way, as by a process that died (real kills: test/cli/crashRecovery.test.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'folio-crash-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (path: string, extra: string[] = []) => {
    const out: string[] = [];
    return runSyncCli({
      argv: [
        '--db',
        path,
        '--api-url',
        SCRIPTED_URL,
        '--auth-url',
        SCRIPTED_URL,
        '--refresh-token',
        SCRIPTED_TOKEN,
        '--json',
        ...extra,
      ],
      env: {},
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: () => true },
      clock: time.clock,
      sleep: time.sleep,
      http: cloud.http,
    }).then((code) => ({ code, lines: out.join('').trim().split('\n') }));
  };

  /** Account 1 committed; the process dies while account 2's second page is on its way. */
  async function crashWhileAccount2Pages(path: string) {
    cloud.pageSize = 2;
    cloud.onActivities = (request) => (request.accountId === 'acc-2' && request.offset === 2 ? 'hang' : undefined);
    const db = openFileDatabase(path);
    const dying = await harness(db);
    void dying.sync('auto');
    await vi.waitFor(() =>
      expect(activityRequests().some((request) => request.includes('acc-2') && request.includes('offset=2'))).toBe(
        true,
      ),
    );
    db.close();
    cloud.onActivities = null;
  }

  it('leaves account 1 its holdings, and nothing RUNNING even when --auto then finds the sync not due', async () => {
    const path = join(dir, 'folio.sqlite');
    await crashWhileAccount2Pages(path);
    time.advance(10_000);

    const run = await cli(path, ['--auto']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.lines.at(-1) ?? '{}').payload).toMatchObject({ skipped: 'not-due' });
    const db = openFileDatabase(path);
    try {
      expectNothingRunning(db);
      expect(listAccounts(db).find((row) => row.id === 'acc-2')).toMatchObject({
        syncStatus: 'FAILED',
        lastError: INTERRUPTED,
      });
      // The cut-short run says what it had committed.
      expect(runsOf(db, 'RRSP')[0]).toMatchObject({
        status: 'FAILED',
        error: INTERRUPTED,
        summary: { fetched: 2, inserted: 2, updated: 0, warnings: 0 },
      });
      expect(listHoldings(db).filter((holding) => holding.accountId === 'acc-1')).toMatchObject([
        { symbol: 'VFV.TO', quantity: '2' },
      ]);
      expectHoldingsRecomputed(db);
    } finally {
      db.close();
    }

    // After the failure cooldown the next automatic sync fetches what was missed.
    time.advance(2 * 60_000);
    expect((await cli(path, ['--auto'])).code).toBe(0);
    const after = openFileDatabase(path);
    try {
      expect(countActivities(after)).toBe(6);
      expect(listHoldings(after).map((holding) => [holding.accountId, holding.quantity])).toEqual([
        ['acc-2', '4'],
        ['acc-1', '2'],
      ]);
      expectNothingRunning(after);
      expectHoldingsRecomputed(after);
    } finally {
      after.close();
    }
  });
});

describe('the failure cooldown', () => {
  it('drops an activity whose number no amount or quantity can be, with a warning, and syncs the rest', async () => {
    cloud.accounts[0]?.activities.push(cloudTrade('huge', '2026-11-03', { units: '1e1000000000' }));
    const h = await harness();
    const result = await h.sync();
    expect(result.success).toBe(true);
    expect(countActivities(h.db, { accountId: 'acc-1' })).toBe(2);
    expect(h.warnings.some((warning) => warning.includes('huge') && warning.includes('out of range'))).toBe(true);
    expectHoldingsRecomputed(h.db);
  });

  it('holds back automatic syncs when the cloud answered and then dropped connections', async () => {
    const h = await harness();
    await h.sync();
    time.advance(2 * HOUR);
    cloud.onActivities = () => 'drop';
    const runner = createSyncRunner({ db: h.db, clock: time.clock, sync: h.sync });
    const first = await runner.request('auto');
    expect(first.success).toBe(false);
    const requestsAfterFirst = cloud.requests.length;
    for (const _ of [1, 2]) {
      time.advance(2000);
      expect(await runner.request('auto')).toMatchObject({
        skipped: 'not-due',
        message: expect.stringContaining('Waiting after a failed sync'),
      });
    }
    expect(cloud.requests).toHaveLength(requestsAfterFirst);
  });

  it('does not hold back the next trigger when the cloud never answered (offline)', async () => {
    const h = await harness();
    await h.sync();
    time.advance(2 * HOUR);
    cloud.offline = true;
    const runner = createSyncRunner({ db: h.db, clock: time.clock, sync: h.sync });
    expect((await runner.request('auto')).success).toBe(false);
    cloud.offline = false;
    time.advance(2000);
    expect(await runner.request('auto')).toMatchObject({ success: true, skipped: null });
  });
});

describe('the incremental window', () => {
  it('after a clock that was ahead, syncs the whole history instead of skipping what was posted meanwhile', async () => {
    time.set('2026-12-20T12:00:00.000Z');
    const h = await harness();
    await h.sync();
    // The clock is put right; meanwhile a trade was posted, dated before the stored cursor.
    time.set('2026-11-28T12:00:00.000Z');
    cloud.accounts[0]?.activities.push(cloudTrade('t-meanwhile', '2026-11-25', { units: 3 }));
    cloud.requests.length = 0;
    await h.sync();
    expect(activityRequests().filter((request) => request.includes('acc-1'))[0]).not.toContain('start_date');
    expect(runsOf(h.db, 'TFSA')[0]).toMatchObject({ mode: 'INITIAL', status: 'APPLIED', summary: { inserted: 1 } });
    expect(countActivities(h.db, { accountId: 'acc-1' })).toBe(3);
    // And the cursor is now today's: the next sync is incremental again.
    expect(account(h, 'acc-1')?.lastSuccessfulAt).toBe('2026-11-28T12:00:00.000Z');
    time.advance(2 * HOUR);
    await h.sync();
    expect(runsOf(h.db, 'TFSA')[0]?.mode).toBe('INCREMENTAL');
  });

  it('after a clock that was ahead, fetches what was posted meanwhile even once real time has passed the cursor', async () => {
    // Synced at 12:00 on 11-28 by a clock three days fast: the cursor says 12-01.
    time.set('2026-12-01T12:00:00.000Z');
    const h = await harness();
    await h.sync();
    // Trades posted later that day; the next sync happens only after 12-01, with the clock put right.
    cloud.accounts[0]?.activities.push(cloudTrade('t-later', '2026-11-28', { units: 4 }));
    time.set('2026-12-05T12:00:00.000Z');
    await h.sync();
    expect(runsOf(h.db, 'TFSA')[0]).toMatchObject({ mode: 'INCREMENTAL', summary: { inserted: 1 } });
    expect(listHoldings(h.db).find((holding) => holding.accountId === 'acc-1')?.quantity).toBe('6');
  });

  it('a whole-history sync that failed leaves the next one whole-history too, until one succeeds', async () => {
    time.set('2026-12-20T12:00:00.000Z');
    const h = await harness();
    await h.sync();
    time.set('2026-11-28T12:00:00.000Z');
    cloud.onActivities = (request) => (request.accountId === 'acc-1' ? 'drop' : undefined);
    await h.sync();
    // Real time passes the cursor before the next attempt; what was posted meanwhile still arrives.
    cloud.onActivities = null;
    cloud.accounts[0]?.activities.push(cloudTrade('t-meanwhile', '2026-11-29'));
    time.set('2026-12-21T12:00:00.000Z');
    await h.sync();
    expect(runsOf(h.db, 'TFSA')[0]).toMatchObject({ mode: 'INITIAL', summary: { inserted: 1 } });
  });

  it('is not moved forward by what a failed sync committed', async () => {
    // A clock three days fast writes the cursor 12-01; real time passes it before the next sync.
    time.set('2026-12-01T12:00:00.000Z');
    cloud.accounts = [{ id: 'acc-1', name: 'TFSA', activities: [cloudTrade('t1', '2026-11-27')] }];
    const h = await harness();
    await h.sync();
    // The cloud lists newest first, one per page; the second page's connection drops.
    cloud.accounts = [
      {
        id: 'acc-1',
        name: 'TFSA',
        activities: [
          cloudTrade('t-new', '2026-12-04'),
          cloudTrade('t-mid', '2026-11-29'),
          cloudTrade('t1', '2026-11-27'),
        ],
      },
    ];
    cloud.pageSize = 1;
    time.set('2026-12-05T12:00:00.000Z');
    cloud.onActivities = (request) => (request.offset === 1 ? 'drop' : undefined);
    // A dropped connection ends the sync; the account's run failed, the account keeps its state.
    expect(await h.sync()).toMatchObject({ success: false, message: 'Network unavailable' });
    expect(listImportRuns(h.db, 1)[0]).toMatchObject({ status: 'FAILED', error: 'Network unavailable' });
    expect(account(h, 'acc-1')?.syncStatus).toBe('IDLE');
    cloud.onActivities = null;
    time.advance(2 * HOUR);
    await h.sync();
    expect(listActivities(h.db, { accountId: 'acc-1' }, { limit: 10, offset: 0 }).map((row) => row.id)).toEqual([
      't-new',
      't-mid',
      't1',
    ]);
  });

  it('keeps an account initial while its first full-history answer is empty, until the history arrives', async () => {
    const history = cloud.accounts[0]?.activities ?? [];
    cloud.accounts[0] = { id: 'acc-1', name: 'TFSA', activities: [] };
    const h = await harness();
    await h.sync();
    expect(runsOf(h.db, 'TFSA')[0]).toMatchObject({ mode: 'INITIAL', status: 'APPLIED', summary: { fetched: 0 } });
    // The cloud has since imported the broker's history, all of it dated long ago.
    cloud.accounts[0] = { id: 'acc-1', name: 'TFSA', activities: history };
    time.advance(2 * HOUR);
    await h.sync();
    expect(runsOf(h.db, 'TFSA')[0]).toMatchObject({ mode: 'INITIAL', summary: { fetched: 2, inserted: 2 } });
    expect(countActivities(h.db, { accountId: 'acc-1' })).toBe(2);
    time.advance(2 * HOUR);
    await h.sync();
    expect(runsOf(h.db, 'TFSA')[0]?.mode).toBe('INCREMENTAL');
  });

  it('asks for the whole history again while the cloud says its own import is incomplete', async () => {
    const first = cloud.accounts[0];
    if (!first) throw new Error('no account');
    first.initialSyncCompleted = false;
    const older = first.activities.splice(0, 1);
    const h = await harness();
    await h.sync();
    expect(countActivities(h.db, { accountId: 'acc-1' })).toBe(1);
    // The cloud finished importing: the older trade appears, dated before any incremental window.
    first.initialSyncCompleted = true;
    first.activities.unshift(...older);
    time.advance(2 * HOUR);
    await h.sync();
    expect(runsOf(h.db, 'TFSA')[0]).toMatchObject({ mode: 'INITIAL', summary: { inserted: 1 } });
    expect(countActivities(h.db, { accountId: 'acc-1' })).toBe(2);
  });
});

describe('dedup through the engine', () => {
  it('keeps a twin that arrives on a page before the stored activity it resembles', async () => {
    const tfsa = cloud.accounts[0];
    if (!tfsa) throw new Error('no account');
    tfsa.activities = [cloudTrade('A', '2026-11-27')];
    const h = await harness();
    await h.sync();
    // A second fill, same day and content, own id and record, listed first; one per page.
    tfsa.activities = [cloudTrade('B', '2026-11-27'), cloudTrade('A', '2026-11-27')];
    cloud.pageSize = 1;
    time.advance(2 * HOUR);
    const result = await h.sync();
    expect(result.accounts[0]).toMatchObject({ inserted: 1, updated: 0 });
    expect(
      listActivities(h.db, { accountId: 'acc-1' }, { limit: 10, offset: 0 })
        .map((row) => row.id)
        .sort(),
    ).toEqual(['A', 'B']);
    expect(listHoldings(h.db).find((holding) => holding.accountId === 'acc-1')?.quantity).toBe('2');
  });

  it("does not let a deleted activity's tombstone swallow its twin", async () => {
    const tfsa = cloud.accounts[0];
    if (!tfsa) throw new Error('no account');
    tfsa.activities = [cloudTrade('A', '2026-11-27')];
    const h = await harness();
    await h.sync();
    deleteActivity(h.db, 'A', time.iso());
    tfsa.activities = [cloudTrade('B', '2026-11-27'), cloudTrade('A', '2026-11-27')];
    time.advance(2 * HOUR);
    await h.sync();
    expect(listActivities(h.db, { accountId: 'acc-1' }, { limit: 10, offset: 0 }).map((row) => row.id)).toEqual(['B']);
  });

  it('keeps the same activity id in two accounts as two activities, each with its holding', async () => {
    cloud.accounts = [
      { id: 'acc-1', name: 'TFSA', activities: [cloudTrade('same-id', '2026-11-27', { units: 5 })] },
      { id: 'acc-2', name: 'RRSP', activities: [cloudTrade('same-id', '2026-11-27', { units: 7 })] },
    ];
    const h = await harness();
    await h.sync();
    expect(listHoldings(h.db).map((holding) => [holding.accountId, holding.quantity])).toEqual([
      ['acc-2', '7'],
      ['acc-1', '5'],
    ]);
    time.advance(2 * HOUR);
    const again = await h.sync();
    expect(again.activitiesSynced.activitiesUpserted).toBe(0);
    expect(countActivities(h.db)).toBe(2);
  });
});

describe('holdings', () => {
  it('a stored value that is not a number is a warning on its account, never a crash', async () => {
    const h = await harness();
    await h.sync();
    // An edited or imported file: a quantity the user wrote with a decimal comma (a sync keeps the user's edits).
    h.db.run("UPDATE activities SET quantity = '1,5', is_user_modified = 1 WHERE id = 't1'");
    cloud.accounts[0]?.activities.push(cloudTrade('t3', '2026-11-28'));
    time.advance(2 * HOUR);
    h.events.length = 0;
    const result = await h.sync();
    expect(result).toMatchObject({ success: true });
    expect(result.accounts.find((outcome) => outcome.accountId === 'acc-1')?.warnings).toBe(1);
    expect(result.activitiesSynced.accountsWarned).toBe(1);
    expect(h.warnings.some((warning) => warning.includes('t1') && warning.includes('"1,5" is not a number'))).toBe(
      true,
    );
    expect(h.events.at(-1)?.type).toBe('broker:sync-complete');
    expectNothingRunning(h.db);
    // The rest of the account still counts: t2 and t3.
    expect(listHoldings(h.db).find((holding) => holding.accountId === 'acc-1')?.quantity).toBe('2');
  });
});

describe('a connection lost during a first sync', () => {
  it('fails the account it was in, tries no other, and the run says the connection was lost', async () => {
    cloud.pageSize = 1;
    cloud.onActivities = (request) => (request.offset === 1 ? 'drop' : undefined);
    const h = await harness();
    const result = await h.sync();
    expect(result).toMatchObject({ success: false, message: 'Network unavailable' });
    // TFSA never synced: it failed. RRSP was not tried: no state, no request.
    expect(account(h, 'acc-1')).toMatchObject({ syncStatus: 'FAILED', lastErrorCode: 'network' });
    expect(account(h, 'acc-2')?.syncStatus).toBeNull();
    expect(activityRequests().some((request) => request.includes('/acc-2/'))).toBe(false);
    expect(listSyncRuns(h.db, 1)[0]).toMatchObject({ status: 'FAILED', errorCode: 'connection-lost' });
    expectNothingRunning(h.db);
  });
});

describe('accounts the cloud no longer lists', () => {
  it('are kept with their data, but leave sync, the failures of later syncs and the status count', async () => {
    const h = await harness();
    await h.sync();
    // A failed sync marks every account; then the cloud stops listing RRSP.
    cloud.onActivities = () => HttpResponse.json({ error: 'boom' }, { status: 400 });
    time.advance(2 * HOUR);
    await h.sync();
    expect(account(h, 'acc-2')?.syncStatus).toBe('FAILED');
    cloud.onActivities = null;
    cloud.accounts = cloud.accounts.filter((candidate) => candidate.id !== 'acc-2');
    time.advance(2 * HOUR);
    const result = await h.sync();
    expect(result).toMatchObject({ success: true, accountsSynced: 1 });
    expect(account(h, 'acc-2')?.removedAt).toBe(time.iso());
    expect(countActivities(h.db, { accountId: 'acc-2' })).toBe(4);
    // A whole-sync failure later marks no account: neither this one nor the one still synced.
    const statuses = listAccounts(h.db).map((row) => [row.id, row.syncStatus, row.lastError]);
    cloud.offline = true;
    time.advance(2 * HOUR);
    const failed = await h.sync();
    expect(failed).toMatchObject({ success: false, accounts: [] });
    expect(listAccounts(h.db).map((row) => [row.id, row.syncStatus, row.lastError])).toEqual(statuses);
    // It comes back when the cloud lists it again.
    cloud.offline = false;
    cloud.accounts.push({ id: 'acc-2', name: 'RRSP', activities: [] });
    time.advance(2 * HOUR);
    await h.sync();
    expect(account(h, 'acc-2')?.removedAt).toBeNull();
  });
});

describe('an empty account list', () => {
  it('while connections remain, marks no account removed', async () => {
    const h = await harness();
    await h.sync();
    const listed = cloud.accounts;
    cloud.accounts = [];
    time.advance(2 * HOUR);
    await h.sync();
    expect(listAccounts(h.db).map((row) => row.removedAt)).toEqual([null, null]);
    cloud.accounts = listed;
  });
});

describe('signed out during a sync', () => {
  it('is a silent skip: no FAILED account, run or sync-error anywhere', async () => {
    const h = await harness();
    await h.sync();
    time.advance(2 * HOUR);
    h.events.length = 0;
    // The user signs out elsewhere as account 2's activities are asked for: refused, and so is the refresh.
    cloud.onActivities = (request) => {
      if (request.accountId !== 'acc-2') return undefined;
      cloud.signOut();
      return HttpResponse.json({ error: 'unauthorized', message: 'Token revoked' }, { status: 401 });
    };
    const result = await h.sync();
    expect(result).toMatchObject({ success: true, skipped: 'not-signed-in' });
    expect(listAccounts(h.db).map((row) => row.syncStatus)).toEqual(['IDLE', 'IDLE']);
    expect(listImportRuns(h.db, 10).filter((run) => run.status === 'FAILED')).toEqual([]);
    expect(runsOf(h.db, 'RRSP')[0]?.status).toBe('CANCELLED');
    expect(h.payloads('broker:sync-error')).toEqual([]);
  });
});

describe('new accounts', () => {
  it('announces only accounts that are synced, once they are', async () => {
    cloud.accounts.push({
      id: 'acc-3',
      name: 'Crypto',
      syncEnabled: false,
      activities: [cloudTrade('c1', '2026-11-01')],
    });
    const h = await harness();
    const first = await h.sync();
    expect(first.newAccounts.map((row) => row.name)).toEqual(['TFSA', 'RRSP']);
    expect(first.accountsSynced).toBe(2);
    const crypto = cloud.accounts[2];
    if (crypto) crypto.syncEnabled = true;
    time.advance(2 * HOUR);
    expect((await h.sync()).newAccounts.map((row) => row.name)).toEqual(['Crypto']);
    time.advance(DAY_MS);
    expect((await h.sync()).newAccounts).toEqual([]);
  });
});

describe('paging', () => {
  it('fails the account, moving no cursor, when an empty page comes before the promised end', async () => {
    cloud.pageSize = 2;
    cloud.onActivities = (request) =>
      request.accountId === 'acc-2' && request.offset === 2
        ? HttpResponse.json({ data: [], pagination: { offset: 2, limit: 2, total: 4, has_more: true } })
        : undefined;
    const h = await harness();
    const result = await h.sync();
    expect(result.accounts.find((outcome) => outcome.accountId === 'acc-2')).toMatchObject({
      status: 'FAILED',
      error: 'The cloud sent an empty page before the end of the activities',
    });
    expect(account(h, 'acc-2')?.lastSuccessfulAt).toBeNull();
    cloud.onActivities = null;
    time.advance(2 * HOUR);
    await h.sync();
    expect(countActivities(h.db, { accountId: 'acc-2' })).toBe(4);
  });
});
