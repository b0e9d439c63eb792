/**
 * One broker sync (MISSION 2; the seed's "Sync Execution"): check authentication, sync
 * connections → platforms, accounts → local accounts, then each sync-enabled account's
 * activities in its incremental window, page by page; trigger a portfolio update when data
 * changed; emit the result. Platform-free: it is handed a database, a cloud, a clock and an
 * event sink, and the page, the service worker, the server and the CLI all run this code.
 *
 * Each page is written in one transaction, so a rejected page leaves nothing half-written;
 * the database is persisted once, after the last commit.
 */
import { type ActivityInput, countDrafts, upsertSyncedActivity } from '../storage/activities.ts';
import {
  type AccountInput,
  listSyncEnabledAccounts,
  PROVIDER,
  upsertAccount,
  upsertConnection,
  upsertPlatform,
} from '../storage/brokers.ts';
import { finishImportRun, type ImportSummary, startImportRun } from '../storage/importRuns.ts';
import type { SqlDatabase } from '../storage/sqlDatabase.ts';
import { finishSyncRun, type SyncRunStatus, startSyncRun } from '../storage/syncRuns.ts';
import {
  failInterruptedSyncs,
  getSyncState,
  markAccountFailed,
  markAccountFinished,
  markAccountRunning,
  restoreAccountStatus,
} from '../storage/syncState.ts';
import type { ActivitiesQuery, BrokerCloud } from '../transport/brokerCloud.ts';
import { hasBrokerSyncPlan } from '../transport/brokerSyncPlan.ts';
import { CloudError, isCloudError } from '../transport/cloudError.ts';
import { mapActivity } from './activityMapping.ts';
import { mapAccount, mapConnection } from './brokerMapping.ts';
import { type Clock, DAY_MS, toIso, utcDay } from './clock.ts';
import type { Logger } from './logger.ts';
import { updatePortfolio } from './portfolioUpdate.ts';
import type { AccountOutcome, EmitSyncEvent, NewAccount, SkipReason, SyncResult, SyncTrigger } from './syncEvents.ts';

/** CLOUD_API.md: "limit (use 1000)". */
const PAGE_SIZE = 1000;
/** CLOUD_API.md: "Cap: 10,000 pages". */
const MAX_PAGES = 10_000;

const NO_PLAN = 'Broker sync needs a paid plan';
const SIGNED_OUT = 'Signed out during the sync: sign in again to sync your brokers';

export interface BrokerSyncDeps {
  db: SqlDatabase;
  cloud: BrokerCloud;
  clock: Clock;
  emit: EmitSyncEvent;
  log: Logger;
  /** Overrides MAX_PAGES (tests). */
  maxPages?: number;
}

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function emptyResult(): SyncResult {
  return {
    success: true,
    message: '',
    skipped: null,
    connectionsSynced: 0,
    accountsSynced: 0,
    activitiesSynced: { accountsSynced: 0, activitiesUpserted: 0, accountsFailed: 0, accountsWarned: 0 },
    newAccounts: [],
    accounts: [],
  };
}

export const skippedResult = (skipped: SkipReason, message: string): SyncResult => ({
  ...emptyResult(),
  skipped,
  message,
});

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The incremental window (CLOUD_API.md): none on the first sync, else from the day before the last success to today. */
function activityWindow(lastSuccessfulAt: string | null, now: number): Pick<ActivitiesQuery, 'startDate' | 'endDate'> {
  if (!lastSuccessfulAt) return {};
  return { startDate: utcDay(Date.parse(lastSuccessfulAt) - DAY_MS), endDate: utcDay(now) };
}

interface SyncAccount {
  id: string;
  name: string;
  currency: string | null;
  providerAccountId: string;
}

/** `changed` collects the accounts whose activities a committed page inserted or updated. */
async function syncAccountActivities(
  deps: BrokerSyncDeps,
  account: SyncAccount,
  changed: Set<string>,
): Promise<AccountOutcome> {
  const { db, cloud, clock, emit } = deps;
  const maxPages = deps.maxPages ?? MAX_PAGES;
  const now = () => toIso(clock.now());
  const prior = getSyncState(db, account.id, PROVIDER);
  const lastSuccess = prior?.last_successful_at ?? null;
  const window = activityWindow(lastSuccess, clock.now());
  const runId = db.transaction(() => {
    const id = startImportRun(
      db,
      {
        accountId: account.id,
        provider: PROVIDER,
        mode: lastSuccess ? 'INCREMENTAL' : 'INITIAL',
        windowStart: window.startDate ?? null,
        windowEnd: window.endDate ?? null,
      },
      now(),
    );
    markAccountRunning(db, account.id, PROVIDER, id, now());
    return id;
  });

  const summary: ImportSummary = { fetched: 0, inserted: 0, updated: 0, skipped: 0, warnings: 0, errors: 0 };
  let flagged = 0;
  let page = 0;
  const progress = (status: AccountOutcome['status'] | 'RUNNING') =>
    emit({
      type: 'broker:sync-progress',
      payload: {
        accountId: account.id,
        accountName: account.name,
        status,
        currentPage: page,
        activitiesFetched: summary.fetched,
      },
    });
  const outcome = (
    status: AccountOutcome['status'],
    error: string | null,
    errorCode: string | null,
  ): AccountOutcome => ({
    accountId: account.id,
    accountName: account.name,
    status,
    error,
    errorCode,
    fetched: summary.fetched,
    inserted: summary.inserted,
    updated: summary.updated,
    warnings: summary.warnings,
  });
  const warn = (problem: string) => {
    summary.warnings++;
    deps.log.warn(`${account.name}: ${problem}`);
  };

  progress('RUNNING');
  try {
    // The claimed set spans the account's pages: see storage/activities.ts.
    const claimed = new Set<string>();
    let offset = 0;
    let previousFirstId: string | null = null;
    for (;;) {
      if (page >= maxPages) {
        throw new CloudError('too-many-pages', `Stopped after ${maxPages.toLocaleString('en')} pages of activities`);
      }
      const result = await cloud.getActivitiesPage(account.providerAccountId, { offset, limit: PAGE_SIZE, ...window });
      if (result.items.length === 0) break;
      if (page > 0 && result.firstId !== null && result.firstId === previousFirstId) {
        throw new CloudError('pagination-stuck', 'Pagination appears stuck');
      }
      previousFirstId = result.firstId;
      page++;
      const mapped: ActivityInput[] = [];
      for (const item of result.items) {
        if (!item.ok) {
          warn(`activity ${item.id ?? '(no id)'} was dropped: ${item.problem}`);
          continue;
        }
        const activity = mapActivity(item.activity, account);
        if (activity.ok) mapped.push(activity.activity);
        else warn(activity.problem);
      }
      db.transaction(() => {
        for (const activity of mapped) {
          const result = upsertSyncedActivity(db, activity, runId, claimed, now());
          if (result === 'inserted' || result === 'updated') changed.add(account.id);
          if (result === 'inserted') summary.inserted++;
          else if (result === 'updated') summary.updated++;
          else summary.skipped++;
          if (
            activity.status === 'DRAFT' &&
            (result === 'inserted' || result === 'updated' || result === 'unchanged')
          ) {
            flagged++;
          }
        }
      });
      summary.fetched += result.items.length;
      offset += result.items.length;
      progress('RUNNING');
      if (result.hasMore === false) break;
      if (result.hasMore === null && result.total !== null && offset >= result.total) break;
    }

    const status = countDrafts(db, account.id) > 0 ? 'NEEDS_REVIEW' : 'IDLE';
    db.transaction(() => {
      finishImportRun(db, runId, { status: flagged > 0 ? 'NEEDS_REVIEW' : 'APPLIED', summary, error: null }, now());
      markAccountFinished(
        db,
        account.id,
        PROVIDER,
        { status, error: null, checkpoint: { ...window, pages: page, fetched: summary.fetched } },
        now(),
      );
    });
    progress(status);
    return outcome(status, null, null);
  } catch (error) {
    summary.errors++;
    if (isCloudError(error, 'not-signed-in')) {
      // Signed out mid-way: not the account's failure. Put it back as it was; the sync stops.
      db.transaction(() => {
        finishImportRun(db, runId, { status: 'FAILED', summary, error: SIGNED_OUT }, now());
        const before = prior?.sync_status;
        restoreAccountStatus(db, account.id, PROVIDER, before && before !== 'RUNNING' ? before : 'IDLE', now());
      });
      throw error;
    }
    const message = errorMessage(error);
    deps.log.warn(`${account.name}: sync failed: ${message}`);
    db.transaction(() => {
      finishImportRun(db, runId, { status: 'FAILED', summary, error: message }, now());
      markAccountFinished(db, account.id, PROVIDER, { status: 'FAILED', error: message, checkpoint: null }, now());
    });
    progress('FAILED');
    return outcome('FAILED', message, isCloudError(error) ? error.code : 'internal');
  }
}

interface Progressing {
  connectionsSynced: number;
  accountsSynced: number;
  newAccounts: NewAccount[];
  accounts: AccountOutcome[];
  /** Accounts whose activities changed, even if their sync was then cut short. */
  changed: Set<string>;
}

/** Steps 1 to 4 of MISSION 2. Throws for a failure of the sync as a whole, or a sign-out. */
async function syncBrokers(deps: BrokerSyncDeps, state: Progressing): Promise<void> {
  const { db, cloud, clock } = deps;
  const now = () => toIso(clock.now());

  const user = await cloud.getUser();
  if (!hasBrokerSyncPlan(user)) throw new CloudError('no-plan', NO_PLAN);

  const connections = (await cloud.listConnections()).map(mapConnection);
  const platformByConnection = new Map<string, string | null>();
  db.transaction(() => {
    for (const { platform, connection, cloudIds } of connections) {
      if (platform) upsertPlatform(db, platform, now());
      upsertConnection(db, connection, now());
      for (const id of cloudIds) platformByConnection.set(id, connection.platformId);
    }
  });
  state.connectionsSynced = connections.length;

  const accounts: AccountInput[] = [];
  for (const cloudAccount of await cloud.listAccounts()) {
    const account = mapAccount(cloudAccount, (id) => platformByConnection.get(id) ?? null);
    if (account) accounts.push(account);
    else deps.log.warn(`An account without an id (${cloudAccount.name ?? 'unnamed'}) was skipped`);
  }
  db.transaction(() => {
    for (const account of accounts) {
      if (upsertAccount(db, account, now())) {
        state.newAccounts.push({ id: account.id, name: account.name, institutionName: account.institutionName });
      }
    }
  });
  const enabled = accounts.filter((account) => account.syncEnabled);
  state.accountsSynced = enabled.length;

  // A sign-out in an account's sync ends the whole sync (resultOfError), keeping what came before.
  for (const account of enabled) state.accounts.push(await syncAccountActivities(deps, account, state.changed));
}

function summarize(state: Progressing): SyncResult {
  const failed = state.accounts.filter((account) => account.status === 'FAILED');
  const review = state.accounts.filter((account) => account.status === 'NEEDS_REVIEW');
  const inserted = state.accounts.reduce((sum, account) => sum + account.inserted, 0);
  const updated = state.accounts.reduce((sum, account) => sum + account.updated, 0);
  let message: string;
  if (failed.length > 0) {
    message = `${failed.length} of ${plural(state.accounts.length, 'account')} failed: ${failed[0]?.error}`;
  } else {
    message = `Synced ${plural(state.accounts.length, 'account')}: ${inserted} new, ${updated} updated activities`;
    if (review.length > 0)
      message += `; ${plural(review.length, 'account')} need${review.length === 1 ? 's' : ''} review`;
  }
  return {
    success: failed.length === 0,
    message,
    skipped: null,
    connectionsSynced: state.connectionsSynced,
    accountsSynced: state.accountsSynced,
    activitiesSynced: {
      accountsSynced: state.accounts.length - failed.length,
      activitiesUpserted: inserted + updated,
      accountsFailed: failed.length,
      accountsWarned: state.accounts.filter((account) => account.status === 'NEEDS_REVIEW' || account.warnings > 0)
        .length,
    },
    newAccounts: state.newAccounts,
    accounts: state.accounts,
  };
}

/**
 * How a sync that threw ends: a silent skip for sign-in problems; otherwise a failure, and
 * every sync-enabled account not yet synced shows it ("Network unavailable") on its row.
 */
function resultOfError(deps: BrokerSyncDeps, error: unknown, trigger: SyncTrigger, state: Progressing): SyncResult {
  if (isCloudError(error, 'not-signed-in')) {
    return { ...summarize(state), success: true, skipped: 'not-signed-in', message: error.message };
  }
  // A plan problem is silent for automatic syncs (CLOUD_API.md) and said out loud to a user who asked.
  if (isCloudError(error, 'no-plan') && trigger === 'auto') {
    return { ...summarize(state), skipped: 'no-plan', message: NO_PLAN };
  }
  const message = errorMessage(error);
  const { db, clock } = deps;
  const attempted = new Set(state.accounts.map((account) => account.accountId));
  const unattempted = listSyncEnabledAccounts(db).filter((account) => !attempted.has(account.id));
  db.transaction(() => {
    for (const account of unattempted) markAccountFailed(db, account.id, PROVIDER, message, toIso(clock.now()));
  });
  for (const account of unattempted) {
    state.accounts.push({
      accountId: account.id,
      accountName: account.name,
      status: 'FAILED',
      error: message,
      errorCode: isCloudError(error) ? error.code : 'internal',
      fetched: 0,
      inserted: 0,
      updated: 0,
      warnings: 0,
    });
  }
  return { ...summarize(state), success: false, message };
}

function syncRunStatus(result: SyncResult): Exclude<SyncRunStatus, 'RUNNING'> {
  if (result.skipped) return 'SKIPPED';
  if (result.success) return 'SUCCEEDED';
  const { accountsFailed } = result.activitiesSynced;
  return accountsFailed > 0 && accountsFailed < result.accounts.length ? 'PARTIAL' : 'FAILED';
}

/** Runs one sync to its end. Never rejects for a cloud or data problem: the result says what happened. */
export async function performBrokerSync(deps: BrokerSyncDeps, trigger: SyncTrigger): Promise<SyncResult> {
  const { db, clock, emit } = deps;
  const now = () => toIso(clock.now());
  failInterruptedSyncs(db, now());
  const runId = startSyncRun(db, trigger === 'auto' ? 'AUTO' : 'MANUAL', now());
  emit({ type: 'broker:sync-start', payload: { trigger } });

  const state: Progressing = {
    connectionsSynced: 0,
    accountsSynced: 0,
    newAccounts: [],
    accounts: [],
    changed: new Set(),
  };
  let result: SyncResult;
  // Set when the sync as a whole failed; otherwise a failure is some account's.
  let errorCode: string | null = null;
  try {
    await syncBrokers(deps, state);
    result = summarize(state);
  } catch (error) {
    errorCode = isCloudError(error) ? error.code : 'internal';
    result = resultOfError(deps, error, trigger, state);
    if (!result.skipped) deps.log.warn(`Sync failed: ${result.message}`);
  }

  // When every failure was the network's, the sync never reached the cloud (see readThrottleState).
  const failures = result.accounts.filter((account) => account.status === 'FAILED');
  if (errorCode === null && failures.length > 0 && failures.every((account) => account.errorCode === 'network')) {
    errorCode = 'network';
  }
  updatePortfolio(deps, [...state.changed]);
  finishSyncRun(db, runId, { status: syncRunStatus(result), message: result.message, errorCode, result }, now());
  try {
    await db.persist();
  } catch (error) {
    result = { ...result, success: false, message: `The synced data could not be saved: ${errorMessage(error)}` };
    errorCode = 'save-failed';
  }
  if (!result.success) {
    emit({ type: 'broker:sync-error', payload: { error: result.message, code: errorCode ?? 'account-failed' } });
  }
  emit({ type: 'broker:sync-complete', payload: result });
  return result;
}
