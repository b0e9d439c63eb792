/**
 * One account's activities (docs/sync-rules.md, "One sync", step 5): the window, then page by page, each page in one
 * transaction with its dedup decisions, its holdings mark and its import run's running summary;
 * the last transaction settles the matches that waited (activityDedup.ts) and the account's
 * state. So a crash at any point leaves what was committed consistent and said out loud
 * (docs/sync-rules.md, "After a crash").
 */
import { type ActivityInput, countDrafts, newestSyncedActivityDate } from '../storage/activities.ts';
import { PROVIDER } from '../storage/brokers.ts';
import {
  emptySummary,
  finishImportRun,
  type ImportSummary,
  recordImportProgress,
  startImportRun,
} from '../storage/importRuns.ts';
import { getSyncState, markAccountFinished, markAccountRunning, restoreAccountStatus } from '../storage/syncState.ts';
import { asksToWaitLong, CloudError, isCloudError } from '../transport/cloudError.ts';
import { createActivityDedup, type DedupCounts } from './activityDedup.ts';
import { mapActivity } from './activityMapping.ts';
import { activityWindow, historyVerdict } from './activityWindow.ts';
import { toIso } from './clock.ts';
import type { BrokerSyncDeps } from './syncDeps.ts';
import type { AccountOutcome } from './syncEvents.ts';
import { errorMessage } from './syncOutcome.ts';

/** docs/cloud-protocol.md: "limit (use 1000)". */
const PAGE_SIZE = 1000;
/** docs/cloud-protocol.md: "Cap: 10,000 pages". */
const MAX_PAGES = 10_000;

export const SIGNED_OUT = 'Signed out during the sync: sign in again to sync your brokers';

export interface SyncAccount {
  id: string;
  name: string;
  currency: string | null;
  providerAccountId: string;
  cloudHistoryComplete: boolean | null;
}

/** Ends with the account's outcome; rethrows a sign-out or a lost connection, which end the whole sync. */
export async function syncAccountActivities(
  deps: BrokerSyncDeps,
  account: SyncAccount,
  place: { accountNumber: number; accountCount: number },
): Promise<AccountOutcome> {
  const { db, cloud, clock, emit } = deps;
  const maxPages = deps.maxPages ?? MAX_PAGES;
  const now = () => toIso(clock.now());
  const prior = getSyncState(db, account.id, PROVIDER);
  const window = activityWindow(
    prior && {
      lastSuccessfulAt: prior.last_successful_at,
      initialSyncCompletedAt: prior.initial_sync_completed_at,
      newestActivityAt: newestSyncedActivityDate(db, account.id),
    },
    account.cloudHistoryComplete,
    clock.now(),
  );
  const { mode, ...dates } = window;
  const runId = db.transaction(() => {
    const id = startImportRun(
      db,
      {
        accountId: account.id,
        provider: PROVIDER,
        mode,
        windowStart: dates.startDate ?? null,
        windowEnd: dates.endDate ?? null,
      },
      now(),
    );
    markAccountRunning(db, account.id, PROVIDER, { id, wholeHistory: mode === 'INITIAL' }, now());
    return id;
  });

  const dedup = createActivityDedup({ db, accountId: account.id, importRunId: runId, window: dates, now });
  const summary: ImportSummary = emptySummary();
  let flagged = 0;
  let page = 0;
  const tally = (counts: DedupCounts) => {
    summary.inserted += counts.inserted;
    summary.updated += counts.updated;
    summary.skipped += counts.unchanged + counts['kept-user-edit'] + counts['kept-deleted'];
    flagged += counts.flagged;
  };
  const progress = (status: AccountOutcome['status'] | 'RUNNING') =>
    emit({
      type: 'broker:sync-progress',
      payload: {
        accountId: account.id,
        accountName: account.name,
        status,
        currentPage: page,
        activitiesFetched: summary.fetched,
        ...place,
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
    let offset = 0;
    let previousFirstId: string | null = null;
    for (;;) {
      if (page >= maxPages) {
        throw new CloudError('too-many-pages', `Stopped after ${maxPages.toLocaleString('en')} pages of activities`);
      }
      const result = await cloud.getActivitiesPage(account.providerAccountId, { offset, limit: PAGE_SIZE, ...dates });
      if (result.items.length === 0) {
        // An empty page ends the history only when nothing says there is more: stopping short and
        // succeeding would move the cursor past activities never fetched (docs/sync-rules.md, "Paging").
        const promisedMore =
          result.hasMore === true || (result.hasMore === null && result.total !== null && offset < result.total);
        if (promisedMore) {
          throw new CloudError('malformed-response', 'The cloud sent an empty page before the end of the activities');
        }
        break;
      }
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
      summary.fetched += result.items.length;
      db.transaction(() => {
        tally(dedup.applyPage(mapped));
        recordImportProgress(db, runId, summary);
      });
      offset += result.items.length;
      progress('RUNNING');
      if (result.hasMore === false) break;
      if (result.hasMore === null && result.total !== null && offset >= result.total) break;
    }

    const status = db.transaction(() => {
      tally(dedup.finish());
      const settled = countDrafts(db, account.id) > 0 ? 'NEEDS_REVIEW' : 'IDLE';
      finishImportRun(db, runId, { status: flagged > 0 ? 'NEEDS_REVIEW' : 'APPLIED', summary, error: null }, now());
      markAccountFinished(
        db,
        account.id,
        PROVIDER,
        {
          status: settled,
          error: null,
          errorCode: null,
          checkpoint: { ...dates, pages: page, fetched: summary.fetched },
          history: historyVerdict(window, summary.fetched, account.cloudHistoryComplete),
        },
        now(),
      );
      return settled;
    });
    progress(status);
    return outcome(status, null, null);
  } catch (error) {
    if (isCloudError(error, 'not-signed-in')) {
      // Signed out mid-way: not the account's failure (docs/sync-rules.md, "One sync"). The run is cancelled, the
      // account put back as it was, and the sync stops; what earlier pages committed stays.
      db.transaction(() => {
        finishImportRun(db, runId, { status: 'CANCELLED', summary, error: SIGNED_OUT }, now());
        const before = prior?.sync_status;
        restoreAccountStatus(db, account.id, PROVIDER, before && before !== 'RUNNING' ? before : 'IDLE', now());
      });
      throw error;
    }
    const before = prior?.sync_status;
    const connectionLost = isCloudError(error, 'network');
    if (connectionLost && before && before !== 'RUNNING') {
      // The connection went away mid-way: a failure of the sync, not of an account that has synced
      // before (docs/sync-rules.md, "Failures"). Its run says so; the account keeps its state and
      // the committed pages stay.
      summary.errors++;
      db.transaction(() => {
        finishImportRun(db, runId, { status: 'FAILED', summary, error: errorMessage(error) }, now());
        restoreAccountStatus(db, account.id, PROVIDER, before, now());
      });
      throw error;
    }
    summary.errors++;
    const message = errorMessage(error);
    const code = isCloudError(error) ? error.code : 'internal';
    deps.log.warn(`${account.name}: sync failed: ${message}`);
    db.transaction(() => {
      finishImportRun(db, runId, { status: 'FAILED', summary, error: message }, now());
      markAccountFinished(
        db,
        account.id,
        PROVIDER,
        { status: 'FAILED', error: message, errorCode: code, checkpoint: null, history: 'unchanged' },
        now(),
      );
    });
    progress('FAILED');
    // An account that never synced has no state to go back to: it failed. The sync still ends
    // here, rather than failing every account after it the same way. So does a 429 that asked
    // to wait longer than a retry may: the cloud is asked nothing more until then
    // (docs/sync-rules.md, "Failures").
    if (connectionLost || asksToWaitLong(error)) throw error;
    return outcome('FAILED', message, code);
  }
}
