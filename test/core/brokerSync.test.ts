/**
 * performBrokerSync end to end: real sql.js, the real cloud client over fetch, the demo
 * cloud answering through msw/node, fake time.
 */
import 'fake-indexeddb/auto';
import Big from 'big.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { SIGNED_OUT } from '../../src/core/accountSync.ts';
import { DAY_MS } from '../../src/core/clock.ts';
import { deleteActivity } from '../../src/storage/activities.ts';
import { startImportRun } from '../../src/storage/importRuns.ts';
import { getSetting } from '../../src/storage/settings.ts';
import { idbWriter } from '../../src/storage/sqljs/byteStore.ts';
import { startSyncRun } from '../../src/storage/syncRuns.ts';
import { INTERRUPTED, lastSuccessfulSyncAt, markAccountRunning } from '../../src/storage/syncState.ts';
import {
  type ActivityFilter,
  countActivities,
  getActivity,
  listAccounts,
  listActivities,
  listCash,
  listHoldings,
  listHoldingsUpdatedAt,
  listImportRuns,
  listPlatforms,
  listSyncRuns,
} from '../../src/storage/views.ts';
import { requestLog, useDemoCloud } from '../support/demoCloudMock.ts';
import { fakeTime } from '../support/fakeTime.ts';
import { createHarness, type Harness, memoryByteStore } from '../support/syncHarness.ts';
import { expectHoldingsRecomputed } from '../support/syncInvariants.ts';

const time = fakeTime();
const demo = useDemoCloud(time, 'small');

const accounts = () => demo.dataset().accounts;
const enabledAccounts = () => accounts().filter((account) => account.plan.syncEnabled);
const totalEnabledActivities = () => enabledAccounts().reduce((sum, account) => sum + account.activities.length, 0);
const [TFSA, RRSP, MARGIN, PERSONAL] = ['TFSA', 'RRSP', 'Individual Margin', 'Personal'].map(
  (name) => enabledAccounts().find((account) => account.plan.name === name)?.plan.id ?? name,
) as [string, string, string, string];

/** More rows than any test here writes: a limit that lists them all. */
const ALL = 1000;

const statusOf = (h: Harness, accountId: string) => {
  const account = listAccounts(h.db).find((row) => row.id === accountId);
  return (
    account && {
      syncStatus: account.syncStatus,
      lastError: account.lastError,
      lastSuccessfulAt: account.lastSuccessfulAt,
    }
  );
};
const activityCount = (h: Harness, accountId?: string) => countActivities(h.db, accountId ? { accountId } : {});
/** Every activity the filter keeps, newest first. */
const activitiesWhere = (h: Harness, filter: ActivityFilter) =>
  listActivities(h.db, filter, { limit: countActivities(h.db, filter), offset: 0 });
const oldestActivityId = (h: Harness, filter: ActivityFilter): string => {
  const oldest = activitiesWhere(h, filter).at(-1);
  if (!oldest) throw new Error('No activity to pick');
  return oldest.id;
};
const syncRunStatuses = (h: Harness) => listSyncRuns(h.db, ALL).map((run) => run.status);

beforeEach(() => {
  time.set('2026-11-28T12:00:00.000Z');
  time.sleeps.length = 0;
});

describe('a first sync', () => {
  it('brings connections, accounts and the whole history into SQLite', async () => {
    const h = await createHarness(time);
    const result = await h.sync();

    expect(result).toMatchObject({
      success: true,
      skipped: null,
      connectionsSynced: 3,
      accountsSynced: 4,
      activitiesSynced: { accountsSynced: 4, activitiesUpserted: totalEnabledActivities(), accountsFailed: 0 },
    });
    // The account excluded from sync is stored, not announced.
    expect(result.newAccounts.map((account) => account.name).sort()).toEqual([
      'Individual Margin',
      'Personal',
      'RRSP',
      'TFSA',
    ]);
    expect(listPlatforms(h.db)).toEqual([
      { id: 'INTERACTIVE-BROKERS-US', name: 'Interactive Brokers' },
      { id: 'QUESTRADE', name: 'Questrade' },
      { id: 'WEALTHSIMPLETRADE', name: 'Wealthsimple' },
    ]);
    // Platform names are distinct (above), so this name is INTERACTIVE-BROKERS-US.
    expect(listAccounts(h.db).find((account) => account.id === MARGIN)?.platform).toBe('Interactive Brokers');
    expect(listAccounts(h.db).filter((account) => !account.syncEnabled)).toHaveLength(1);
    expect(activityCount(h)).toBe(totalEnabledActivities());
  });

  it('keeps decimals as exact text and flags the one activity that needs review', async () => {
    const h = await createHarness(time);
    await h.sync();
    const buys = activitiesWhere(h, { type: 'BUY' });
    expect(buys.length).toBeGreaterThan(0);
    expect(buys.filter((buy) => typeof buy.amount !== 'string' || !/^-\d+(\.\d{1,2})?$/.test(buy.amount))).toEqual([]);
    expect(countActivities(h.db, { needsReview: true })).toBe(1);
    const drafts = activitiesWhere(h, { accountId: PERSONAL, needsReview: true });
    expect(drafts.map((draft) => ({ type: draft.type, reviewReasons: draft.reviewReasons }))).toEqual([
      {
        type: 'UNKNOWN',
        reviewReasons: [
          'The activity type is unknown',
          'Low mapping confidence (0.42)',
          'Unrecognized transaction code REORG',
        ],
      },
    ]);
  });

  it('ends each account IDLE, or NEEDS_REVIEW where an activity is flagged, with an INITIAL import run', async () => {
    const h = await createHarness(time);
    await h.sync();
    expect(statusOf(h, TFSA)).toEqual({ syncStatus: 'IDLE', lastError: null, lastSuccessfulAt: time.iso() });
    expect(statusOf(h, PERSONAL)?.syncStatus).toBe('NEEDS_REVIEW');
    const runs = listImportRuns(h.db, ALL);
    expect(runs).toHaveLength(4);
    expect(runs.every((run) => run.mode === 'INITIAL')).toBe(true);
    expect(runs.find((run) => run.accountName === 'Personal')?.status).toBe('NEEDS_REVIEW');
    expect(runs.find((run) => run.accountName === 'TFSA')?.status).toBe('APPLIED');
    const tfsa = accounts().find((account) => account.plan.id === TFSA)?.activities.length;
    expect(runs.find((run) => run.accountName === 'TFSA')?.summary).toEqual({
      fetched: tfsa,
      inserted: tfsa,
      updated: 0,
      skipped: 0,
      warnings: 0,
      errors: 0,
    });
  });

  it('emits start, progress per page, the portfolio trigger, then complete', async () => {
    const h = await createHarness(time);
    demo.setScenario({ maxPageSize: 15 });
    const result = await h.sync();
    const types = h.events.map((event) => event.type);
    expect(types[0]).toBe('broker:sync-start');
    expect(types.slice(-3)).toEqual(['portfolio:trigger-update', 'portfolio:update-complete', 'broker:sync-complete']);
    expect(types).not.toContain('broker:sync-error');
    expect(h.payloads('broker:sync-complete')).toEqual([result]);
    expect(h.payloads('portfolio:trigger-update')).toEqual([{ accountIds: [TFSA, RRSP, MARGIN, PERSONAL] }]);
    const tfsaProgress = h.payloads('broker:sync-progress').filter((progress) => progress.accountId === TFSA);
    expect(tfsaProgress.map((progress) => [progress.status, progress.currentPage, progress.activitiesFetched])).toEqual(
      [
        ['RUNNING', 0, 0],
        ['RUNNING', 1, 15],
        ['RUNNING', 2, 30],
        ['RUNNING', 3, 33],
        ['IDLE', 3, 33],
      ],
    );
    expect(tfsaProgress[0]?.accountName).toBe('TFSA');
  });

  it('persists once after the last commit, so a reload sees everything', async () => {
    const store = idbWriter('brokerSync.test');
    const h = await createHarness(time, { store });
    await h.sync();
    const reopened = await createHarness(time, { store, refreshToken: null });
    expect(activityCount(reopened)).toBe(totalEnabledActivities());
    expect(listSyncRuns(reopened.db, 1)[0]?.status).toBe('SUCCEEDED');
  });

  it('saves the database once per sync, plus once for each rotated refresh token and once for new accounts', async () => {
    const store = memoryByteStore();
    const h = await createHarness(time, { store });
    const refreshes = () => demo.requests.filter((request) => request.path.startsWith('/auth')).length;
    let savesBefore = store.saves;
    // A first sync saves the accounts as soon as the cloud listed them, so the app shows them.
    await h.sync();
    expect(store.saves - savesBefore).toBe(2 + refreshes());
    demo.requests.length = 0;
    savesBefore = store.saves;
    time.advance(2 * 60 * 60_000);
    await h.sync();
    expect(store.saves - savesBefore).toBe(1 + refreshes());
  });

  it('a failed early save of the new accounts only warns: the sync goes on and its end saves everything', async () => {
    const store = memoryByteStore();
    let refusals = 0;
    const refusing = {
      load: () => store.load(),
      save: (bytes: Uint8Array) => {
        if (refusals === 0 && store.saves > 0) {
          refusals++;
          return Promise.reject(new Error('QuotaExceededError'));
        }
        return store.save(bytes);
      },
    };
    const h = await createHarness(time, { store: refusing });
    const result = await h.sync();
    expect(refusals).toBe(1);
    expect(result).toMatchObject({ success: true, skipped: null });
    expect(h.warnings).toContain('Could not save the new accounts yet: QuotaExceededError');
    const reopened = await createHarness(time, { store, refreshToken: null });
    expect(activityCount(reopened)).toBe(totalEnabledActivities());
  });

  it('a save the storage refuses is said, and the next sync saves what it could not', async () => {
    const store = memoryByteStore();
    let full = false;
    const h = await createHarness(time, {
      store: {
        load: () => store.load(),
        save: (bytes) => (full ? Promise.reject(new Error('QuotaExceededError')) : store.save(bytes)),
      },
    });
    await h.sync();
    full = true;
    demo.setScenario({ newTrades: 3 });
    time.advance(2 * 60 * 60_000);
    h.events.length = 0;
    const refused = await h.sync();
    expect(refused).toMatchObject({
      success: false,
      message: 'The synced data could not be saved: QuotaExceededError',
    });
    expect(h.payloads('broker:sync-error')).toEqual([
      { error: 'The synced data could not be saved: QuotaExceededError', code: 'save-failed' },
    ]);
    // Room again: the next sync's save holds the trades (the cloud still lists them).
    full = false;
    time.advance(2 * 60 * 60_000);
    expect((await h.sync()).success).toBe(true);
    const reopened = await createHarness(time, { store, refreshToken: null });
    expect(activityCount(reopened)).toBe(totalEnabledActivities() + 3);
  });

  it('says which account of how many each progress event is about', async () => {
    const h = await createHarness(time);
    await h.sync();
    const places = h
      .payloads('broker:sync-progress')
      .map((progress) => [progress.accountNumber, progress.accountCount]);
    expect(new Set(places.map(String))).toEqual(new Set(['1,4', '2,4', '3,4', '4,4']));
  });
});

describe('later syncs', () => {
  it('ask only for the window from the day before the last success (or the newest activity) to today, and insert nothing new', async () => {
    const h = await createHarness(time);
    await h.sync();
    demo.requests.length = 0;
    time.advance(2 * 60 * 60 * 1000);
    h.events.length = 0;
    const result = await h.sync();
    const activityRequests = demo.requests.filter((request) => request.path.includes('/activities'));
    expect(activityRequests).toHaveLength(4);
    // Each account's newest activity (Friday 2026-11-27; RRSP's the 26th) is older than the last
    // success (the 28th): its window starts the day before it (docs/sync-rules.md, "Window").
    const windows = new Map(
      activityRequests.map((request) => [
        [TFSA, RRSP, MARGIN, PERSONAL].find((id) => request.path.includes(`/accounts/${id}/`)),
        request.path.split('&').slice(-2).join('&'),
      ]),
    );
    expect(windows).toEqual(
      new Map([
        [TFSA, 'start_date=2026-11-26&end_date=2026-11-28'],
        [RRSP, 'start_date=2026-11-25&end_date=2026-11-28'],
        [MARGIN, 'start_date=2026-11-26&end_date=2026-11-28'],
        [PERSONAL, 'start_date=2026-11-26&end_date=2026-11-28'],
      ]),
    );
    expect(result.activitiesSynced.activitiesUpserted).toBe(0);
    expect(listImportRuns(h.db, ALL).filter((run) => run.mode === 'INCREMENTAL')).toHaveLength(4);
    expect(h.payloads('portfolio:trigger-update')).toEqual([]);
    expect(h.payloads('broker:sync-complete')).toHaveLength(1);
  });

  it('absorb the overlap day and add only the new days', async () => {
    const h = await createHarness(time);
    await h.sync();
    time.advance(3 * DAY_MS);
    h.events.length = 0;
    const result = await h.sync();
    expect(activityCount(h)).toBe(totalEnabledActivities());
    const newActivities = enabledAccounts().reduce(
      (sum, account) => sum + account.activities.filter((activity) => activity.trade_date > '2026-11-29').length,
      0,
    );
    expect(newActivities).toBeGreaterThan(0);
    expect(result.activitiesSynced.activitiesUpserted).toBe(newActivities);
    expect(h.payloads('portfolio:trigger-update')).toHaveLength(1);
  });

  it('a full re-sync inserts and updates nothing', async () => {
    const h = await createHarness(time);
    await h.sync();
    h.db.run('UPDATE brokers_sync_state SET last_successful_at = NULL');
    h.events.length = 0;
    const result = await h.sync();
    expect(result.accounts.map((account) => [account.fetched > 0, account.inserted, account.updated])).toEqual([
      [true, 0, 0],
      [true, 0, 0],
      [true, 0, 0],
      [true, 0, 0],
    ]);
    expect(h.payloads('portfolio:trigger-update')).toEqual([]);
  });
});

describe('dedup', () => {
  it('leaves an activity the user edited alone', async () => {
    const h = await createHarness(time);
    await h.sync();
    const id = oldestActivityId(h, { type: 'BUY' });
    h.db.run("UPDATE activities SET quantity = '999', is_user_modified = 1 WHERE id = ?", [id]);
    h.db.run('UPDATE brokers_sync_state SET last_successful_at = NULL');
    await h.sync();
    expect(getActivity(h.db, id)?.quantity).toBe('999');
  });

  it('does not bring back an activity the user deleted', async () => {
    const h = await createHarness(time);
    await h.sync();
    const id = oldestActivityId(h, { accountId: TFSA });
    deleteActivity(h.db, id, time.iso());
    h.db.run('UPDATE brokers_sync_state SET last_successful_at = NULL');
    const result = await h.sync();
    expect(getActivity(h.db, id)).toBeUndefined();
    expect(result.activitiesSynced.activitiesUpserted).toBe(0);
    expect(activityCount(h)).toBe(totalEnabledActivities() - 1);
  });

  it('stores an id that appears on two pages once', async () => {
    const h = await createHarness(time);
    demo.setScenario({ duplicateAcrossPages: true, maxPageSize: 10 });
    const result = await h.sync();
    expect(activityCount(h)).toBe(totalEnabledActivities());
    expect(result.success).toBe(true);
    const tfsa = result.accounts.find((account) => account.accountId === TFSA);
    expect(tfsa && tfsa.fetched - tfsa.inserted).toBe(1);
  });
});

describe('paging', () => {
  const tfsaRequests = () => demo.requests.filter((request) => request.path.includes(`/accounts/${TFSA}/activities`));

  it('follows has_more to the end and stops there', async () => {
    const h = await createHarness(time);
    demo.setScenario({ maxPageSize: 10 });
    await h.sync();
    expect(tfsaRequests()).toHaveLength(4); // 33 activities
    expect(tfsaRequests().at(-1)?.path).toContain('offset=30');
    expect(activityCount(h, TFSA)).toBe(33);
  });

  it('with only a total, stops when the offset reaches it', async () => {
    const h = await createHarness(time);
    demo.setScenario({ maxPageSize: 10, paging: 'total-only' });
    await h.sync();
    expect(tfsaRequests()).toHaveLength(4);
    expect(activityCount(h, TFSA)).toBe(33);
  });

  it('with neither, pages until an empty page', async () => {
    const h = await createHarness(time);
    demo.setScenario({ maxPageSize: 10, paging: 'until-empty' });
    await h.sync();
    expect(tfsaRequests()).toHaveLength(5);
    expect(activityCount(h, TFSA)).toBe(33);
  });

  it('fails an account whose server keeps sending the same page, with "Pagination appears stuck"', async () => {
    const h = await createHarness(time);
    demo.setScenario({ maxPageSize: 10, stuckPagination: true });
    const result = await h.sync();
    expect(tfsaRequests()).toHaveLength(2);
    expect(statusOf(h, TFSA)).toMatchObject({ syncStatus: 'FAILED', lastError: 'Pagination appears stuck' });
    expect(result.accounts.every((account) => account.error === 'Pagination appears stuck')).toBe(true);
  });

  it('gives up after the page cap', async () => {
    const h = await createHarness(time);
    demo.setScenario({ maxPageSize: 10 });
    await h.sync('manual', { maxPages: 3 });
    expect(tfsaRequests()).toHaveLength(3);
    expect(statusOf(h, TFSA)).toMatchObject({
      syncStatus: 'FAILED',
      lastError: 'Stopped after 3 pages of activities',
    });
  });
});

describe('failures', () => {
  it('one failing account does not stop the others', async () => {
    const h = await createHarness(time);
    demo.setScenario({ failingAccount: { accountId: RRSP, status: 500 } });
    const result = await h.sync();
    expect(statusOf(h, RRSP)).toMatchObject({
      syncStatus: 'FAILED',
      lastError: 'The cloud failed on activities (HTTP 500: The brokerage rejected this request)',
      lastSuccessfulAt: null,
    });
    expect(statusOf(h, TFSA)?.syncStatus).toBe('IDLE');
    expect(statusOf(h, MARGIN)?.syncStatus).toBe('IDLE');
    expect(result).toMatchObject({ success: false, activitiesSynced: { accountsSynced: 3, accountsFailed: 1 } });
    expect(
      listImportRuns(h.db, ALL)
        .filter((run) => run.accountName === 'RRSP')
        .map((run) => run.status),
    ).toEqual(['FAILED']);
    expect(syncRunStatuses(h)).toEqual(['PARTIAL']);
    expect(h.payloads('broker:sync-error')).toEqual([{ error: result.message, code: 'account-failed' }]);
    expect(h.payloads('portfolio:trigger-update')).toEqual([{ accountIds: [TFSA, MARGIN, PERSONAL] }]);
  });

  it('a failed account keeps its last success, so its next sync asks for the same window again', async () => {
    const h = await createHarness(time);
    await h.sync();
    const firstSuccess = statusOf(h, RRSP)?.lastSuccessfulAt;
    time.advance(DAY_MS);
    demo.setScenario({ failingAccount: { accountId: RRSP, status: 500 } });
    await h.sync();
    expect(statusOf(h, RRSP)?.lastSuccessfulAt).toBe(firstSuccess);
    demo.setScenario({});
    demo.requests.length = 0;
    await h.sync();
    const rrsp = demo.requests.find((request) => request.path.includes(`/accounts/${RRSP}/activities`));
    // The day before RRSP's newest activity (Thursday 2026-11-26), which is older than the first success.
    expect(rrsp?.path).toContain('start_date=2026-11-25');
  });

  it('rate limiting ends the account "Rate limited by the cloud" after 500 ms, 1 s, 2 s', async () => {
    const h = await createHarness(time);
    demo.setScenario({ failingAccount: { accountId: MARGIN, status: 429 } });
    await h.sync();
    expect(statusOf(h, MARGIN)).toMatchObject({ syncStatus: 'FAILED', lastError: 'Rate limited by the cloud' });
    expect(time.sleeps).toEqual([500, 1000, 2000]);
    expect(statusOf(h, PERSONAL)?.syncStatus).toBe('NEEDS_REVIEW');
  });

  it('a 429 asking to wait longer than a retry may ends the sync at once: no retry, no account after it', async () => {
    const h = await createHarness(time);
    demo.setScenario({ failingAccount: { accountId: MARGIN, status: 429 }, retryAfter: '300' });
    const result = await h.sync();
    expect(statusOf(h, MARGIN)).toMatchObject({
      syncStatus: 'FAILED',
      lastError: 'Rate limited by the cloud: it asks to wait 5 min',
    });
    expect(time.sleeps).toEqual([]);
    // The refused request was the last the cloud heard.
    const refused = demo.requests.findIndex((request) => request.status === 429);
    expect(demo.requests.slice(refused).map((request) => request.status)).toEqual([429]);
    expect(result).toMatchObject({ success: false, message: 'Rate limited by the cloud: it asks to wait 5 min' });
    expect(h.scalar('SELECT error_code FROM sync_runs ORDER BY id DESC LIMIT 1')).toBe('rate-limited');
  });

  it('rides out a short burst of 5xx', async () => {
    const h = await createHarness(time);
    demo.setScenario({ serverErrors: 2 });
    const result = await h.sync();
    expect(result.success).toBe(true);
    expect(time.sleeps).toEqual([500, 1000]);
  });

  it('a network failure fails the sync fast: warning, error event, the accounts left as they were', async () => {
    const h = await createHarness(time);
    await h.sync();
    const before = [TFSA, RRSP, MARGIN, PERSONAL].map((id) => statusOf(h, id));
    h.events.length = 0;
    time.advance(2 * 60 * 60 * 1000);
    demo.setScenario({ networkDown: true });
    const result = await h.sync('auto');
    expect(result).toMatchObject({ success: false, skipped: null, message: 'Network unavailable' });
    expect(time.sleeps).toEqual([]);
    expect(h.warnings).toContain('Sync failed: Network unavailable');
    expect(h.payloads('broker:sync-error')).toEqual([{ error: 'Network unavailable', code: 'network' }]);
    expect(h.events.at(-1)?.type).toBe('broker:sync-complete');
    // Offline is not the accounts' failure: their badges and last successes stay, the run says it.
    expect([TFSA, RRSP, MARGIN, PERSONAL].map((id) => statusOf(h, id))).toEqual(before);
    expect(result.accounts).toEqual([]);
    expect(listSyncRuns(h.db, 1)[0]).toMatchObject({ status: 'FAILED', message: 'Network unavailable' });
  });

  it('a malformed page fails its account with a clear error; the pages before it stay, nothing of it is written', async () => {
    const h = await createHarness(time);
    demo.setScenario({ malformedActivities: true, malformedFromOffset: 20, maxPageSize: 20 });
    const result = await h.sync();
    expect(result.accounts.map((account) => [account.status, account.error])).toEqual(
      Array(4).fill(['FAILED', 'The cloud sent a malformed answer for activities: not JSON']),
    );
    for (const id of [TFSA, RRSP, MARGIN, PERSONAL]) expect(activityCount(h, id)).toBe(20);
    expect(lastSuccessfulSyncAt(h.db)).toBeNull();
    // The next sync asks for the whole history again; what was kept is absorbed.
    demo.setScenario({});
    time.advance(2 * 60 * 60 * 1000);
    const retry = await h.sync();
    expect(retry.success).toBe(true);
    expect(activityCount(h)).toBe(totalEnabledActivities());
  });

  it('drops single bad activities as warnings and keeps the rest', async () => {
    const h = await createHarness(time);
    demo.setScenario({ invalidActivity: true });
    const result = await h.sync();
    expect(result.success).toBe(true);
    expect(result.accounts.map((account) => account.warnings)).toEqual([2, 2, 2, 2]);
    expect(result.activitiesSynced.accountsWarned).toBe(4);
    expect(activityCount(h)).toBe(totalEnabledActivities() - 8);
    expect(h.warnings.filter((warning) => warning.startsWith('TFSA: activity'))).toHaveLength(2);
    expect(statusOf(h, TFSA)?.syncStatus).toBe('IDLE');
  });
});

describe('authentication', () => {
  it('without a refresh token: silent skip, no request, no error, nothing FAILED', async () => {
    const h = await createHarness(time, { refreshToken: null });
    const result = await h.sync('auto');
    expect(result).toMatchObject({
      success: true,
      skipped: 'not-signed-in',
      message: 'Not connected: sign in to sync your brokers',
    });
    expect(demo.requests).toEqual([]);
    expect(h.events.map((event) => event.type)).toEqual(['broker:sync-start', 'broker:sync-complete']);
    expect(syncRunStatuses(h)).toEqual(['SKIPPED']);
  });

  it('a refused refresh token is a silent skip too', async () => {
    const h = await createHarness(time);
    await h.sync();
    time.advance(2 * 60 * 60 * 1000);
    h.events.length = 0;
    demo.setScenario({ refreshRefused: true });
    const result = await h.sync('auto');
    expect(result.skipped).toBe('not-signed-in');
    expect(h.payloads('broker:sync-error')).toEqual([]);
    expect(listAccounts(h.db).filter((account) => account.syncStatus === 'FAILED')).toEqual([]);
  });

  it('signed out mid-sync: stops, leaves accounts as they were, still a silent skip', async () => {
    const h = await createHarness(time);
    await h.sync();
    time.advance(2 * 60 * 60 * 1000);
    demo.requests.length = 0;
    // The second account's activities are refused even after a fresh token: the user was signed out.
    demo.setScenario({ failingAccount: { accountId: RRSP, status: 401 } });
    const result = await h.sync();
    expect(result).toMatchObject({ success: true, skipped: 'not-signed-in' });
    expect(result.accounts.map((account) => account.accountName)).toEqual(['TFSA']);
    expect(statusOf(h, RRSP)).toMatchObject({ syncStatus: 'IDLE', lastError: null });
    expect(statusOf(h, PERSONAL)?.syncStatus).toBe('NEEDS_REVIEW');
    // Not a failure anywhere (docs/sync-rules.md, "One sync"): the cut-short run is cancelled, and says why.
    const runs = listImportRuns(h.db, 10);
    expect(runs.filter((run) => run.status === 'FAILED')).toEqual([]);
    expect(runs[0]).toMatchObject({ accountName: 'RRSP', status: 'CANCELLED', error: SIGNED_OUT });
    expect(listAccounts(h.db).filter((account) => account.syncStatus === 'FAILED')).toEqual([]);
    const asked = demo.requests
      .filter((request) => request.path.includes('/activities'))
      .map((request) => request.path);
    expect(asked.some((path) => path.includes(MARGIN) || path.includes(PERSONAL))).toBe(false);
  });

  it('without a paid plan: silent for automatic syncs, said to a user who asked', async () => {
    const h = await createHarness(time);
    demo.setScenario({ plan: 'basic' });
    expect(await h.sync('auto')).toMatchObject({
      success: true,
      skipped: 'no-plan',
      message: 'Broker sync needs a paid plan',
    });
    expect(h.payloads('broker:sync-error')).toEqual([]);
    expect(await h.sync('manual')).toMatchObject({ success: false, message: 'Broker sync needs a paid plan' });
    expect(h.payloads('broker:sync-error')).toEqual([{ error: 'Broker sync needs a paid plan', code: 'no-plan' }]);
  });

  it('uses the rotated refresh token from then on', async () => {
    const h = await createHarness(time);
    await h.sync();
    const rotated = getSetting(h.db, 'cloud.refreshToken');
    expect(rotated).toMatch(/^demo-rt-/);
    time.advance(2 * 60 * 60 * 1000);
    demo.requests.length = 0;
    expect((await h.sync()).skipped).toBeNull();
    expect(requestLog(demo)[0]).toBe('POST /auth/v1/token 200');
    expect(getSetting(h.db, 'cloud.refreshToken')).not.toBe(rotated);
  });
});

describe('crash recovery', () => {
  it('turns RUNNING rows left by a crash into FAILED "Sync was interrupted" before syncing again', async () => {
    const h = await createHarness(time);
    await h.sync();
    // A sync that died half-way: a RUNNING sync run, import run and account.
    const crashedSync = startSyncRun(h.db, 'AUTO', time.iso());
    const crashedRun = startImportRun(
      h.db,
      { accountId: TFSA, provider: 'snaptrade', mode: 'INCREMENTAL', windowStart: null, windowEnd: null },
      time.iso(),
    );
    markAccountRunning(h.db, TFSA, 'snaptrade', { id: crashedRun, wholeHistory: false }, time.iso());
    time.advance(2 * 60 * 60 * 1000);
    h.events.length = 0;
    await h.sync();
    expect(listImportRuns(h.db, ALL).find((run) => run.id === crashedRun)).toMatchObject({
      status: 'FAILED',
      error: INTERRUPTED,
    });
    expect(
      listSyncRuns(h.db, ALL)
        .filter((run) => run.message === INTERRUPTED)
        .map((run) => run.id),
    ).toEqual([crashedSync]);
    expect(statusOf(h, TFSA)?.syncStatus).toBe('IDLE');
    expect(listAccounts(h.db).filter((account) => account.syncStatus === 'RUNNING')).toEqual([]);
  });
});

describe('portfolio update', () => {
  const holdingsOf = (h: Harness, accountId: string) =>
    listHoldings(h.db)
      .filter((holding) => holding.accountId === accountId)
      .map(({ symbol, currency, quantity }) => ({ symbol, currency, quantity }));

  it('leaves holdings that match what the activities add up to, account by account', async () => {
    const h = await createHarness(time);
    await h.sync();
    for (const account of enabledAccounts()) {
      // The demo generator tracked what it bought and sold: the same numbers, arrived at independently.
      const expected = [...account.holdings.entries()]
        .filter(([, units]) => !units.eq(0))
        .map(([symbol, units]) => [symbol, units.toFixed()])
        .sort(([a], [b]) => String(a).localeCompare(String(b)));
      expect(holdingsOf(h, account.plan.id).map((row) => [row.symbol, row.quantity])).toEqual(expected);

      const cash = new Map<string, Big>();
      for (const activity of account.activities) {
        if (activity.type === 'UNKNOWN' || typeof activity.amount !== 'number') continue;
        const currency = (activity.currency as { code: string }).code;
        // The demo signs amounts as cash moves and charges fees on top (docs/cloud-protocol.md).
        const fee = typeof activity.fee === 'number' ? activity.fee : 0;
        cash.set(currency, (cash.get(currency) ?? new Big(0)).plus(activity.amount).minus(fee));
      }
      const stored = listCash(h.db)
        .filter((row) => row.accountId === account.plan.id)
        .map(({ currency, balance }) => ({ currency, balance }));
      expect(stored).toEqual(
        [...cash.entries()]
          .filter(([, balance]) => !balance.eq(0))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([currency, balance]) => ({ currency, balance: balance.toFixed() })),
      );
    }
  });

  it('recomputes only when data changed, and only the accounts that changed', async () => {
    const h = await createHarness(time);
    await h.sync();
    const stamp = () => listHoldingsUpdatedAt(h.db);
    const before = stamp();
    time.advance(2 * 60 * 60_000);
    h.events.length = 0;
    await h.sync();
    expect(h.payloads('portfolio:update-complete')).toEqual([]);
    expect(stamp()).toEqual(before);

    const vfvBefore = holdingsOf(h, TFSA).find((row) => row.symbol === 'VFV.TO')?.quantity ?? '0';
    time.advance(2 * 60 * 60_000);
    demo.setScenario({ newTrades: 3 });
    await h.sync();
    expect(h.payloads('portfolio:update-complete')).toEqual([{ accountIds: [TFSA] }]);
    const vfvAfter = holdingsOf(h, TFSA).find((row) => row.symbol === 'VFV.TO')?.quantity;
    expect(vfvAfter).toBe(new Big(vfvBefore).plus(6).toFixed());
  });

  it('adds new trades by symbol: their positions and the cash follow, every other position is left as it was', async () => {
    const h = await createHarness(time);
    await h.sync();
    const updatedAt = () =>
      h.db.all<{ symbol: string; updated_at: string }>(
        'SELECT symbol, updated_at FROM holdings WHERE account_id = ? ORDER BY symbol',
        [TFSA],
      );
    const before = updatedAt();
    expect(before.length).toBeGreaterThan(1);
    time.advance(2 * 60 * 60_000);
    demo.setScenario({ newTrades: 3 });
    await h.sync();
    const after = updatedAt();
    const updatedBefore = new Map(before.map((row) => [row.symbol, row.updated_at]));
    const moved = after.filter((row) => row.updated_at !== updatedBefore.get(row.symbol)).map((row) => row.symbol);
    expect(moved).toEqual(['VFV.TO']);
    expect(h.db.all('SELECT * FROM holdings_pending')).toEqual([]);
    // Exactly what a recompute from scratch gives, cash included.
    expectHoldingsRecomputed(h.db);
  });
});
