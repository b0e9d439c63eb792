/**
 * One broker sync (docs/sync-rules.md, "One sync"): recover what a crashed sync left,
 * check authentication, sync connections → platforms, accounts → local accounts, then each
 * sync-enabled account's activities (accountSync.ts); bring the holdings of every changed
 * account up to date; emit the result. Platform-free: it is handed a database, a cloud, a clock
 * and an event sink, and the service worker (for every tab), the server and the CLI run this
 * same code; pages only read what it wrote (docs/architecture.md, "Where it runs").
 *
 * The database is persisted after commits only: once at the end, and once early when the cloud
 * listed new accounts (so a long first sync shows them). The rules it keeps, and why, are in
 * docs/sync-rules.md.
 */
import { markRemovedAccounts, upsertAccount, upsertConnection, upsertPlatform } from '../storage/brokers.ts';
import { finishSyncRun, startSyncRun } from '../storage/syncRuns.ts';
import { failInterruptedSyncs } from '../storage/syncState.ts';
import { hasBrokerSyncPlan } from '../transport/brokerSyncPlan.ts';
import { asksToWaitLong, CloudError, isCloudError } from '../transport/cloudError.ts';
import { syncAccountActivities } from './accountSync.ts';
import { type MappedAccount, mapAccount, mapConnection } from './brokerMapping.ts';
import { toIso } from './clock.ts';
import { updatePortfolio } from './portfolioUpdate.ts';
import type { BrokerSyncDeps } from './syncDeps.ts';
import type { SyncResult, SyncTrigger } from './syncEvents.ts';
import { emptyProgress, errorMessage, type SyncProgressState, summarize, syncRunStatus } from './syncOutcome.ts';

const NO_PLAN = 'Broker sync needs a paid plan';

const errorCodeOf = (error: unknown): string => (isCloudError(error) ? error.code : 'internal');

/** Authentication, connections, accounts and each account's activities. Throws for a failure of the sync as a whole, or a sign-out. */
async function syncBrokers(deps: BrokerSyncDeps, state: SyncProgressState): Promise<void> {
  const { db, cloud, clock } = deps;
  const now = () => toIso(clock.now());

  const user = await cloud.getUser();
  state.reachedCloud = true;
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

  const accounts: MappedAccount[] = [];
  for (const cloudAccount of await cloud.listAccounts()) {
    const account = mapAccount(cloudAccount, (id) => platformByConnection.get(id) ?? null);
    if (account) accounts.push(account);
    else deps.log.warn(`An account without an id (${cloudAccount.name ?? 'unnamed'}) was skipped`);
  }
  db.transaction(() => {
    for (const account of accounts) {
      // An account excluded from sync is stored (it may be enabled later) but not announced.
      if (upsertAccount(db, account, now()).newToSync) {
        state.newAccounts.push({ id: account.id, name: account.name, institutionName: account.institutionName });
      }
    }
    // No account at all while connections remain is likelier a cloud mid-import than every account gone.
    if (accounts.length > 0 || connections.length === 0) {
      const listed = accounts.map((account) => account.providerAccountId);
      const removed = markRemovedAccounts(db, listed, now());
      if (removed > 0) deps.log.warn(`${removed} account(s) are no longer listed by the cloud; their data is kept`);
    }
  });
  const enabled = accounts.filter((account) => account.syncEnabled);
  state.accountsSynced = enabled.length;
  // New accounts are shown while their activities come (a first sync takes a while); saved after
  // the commit, as every save is.
  if (state.newAccounts.length > 0) {
    // Only a courtesy to the page: if it cannot be saved now, the save at the end says so.
    await db
      .persist()
      .catch((error: unknown) => deps.log.warn(`Could not save the new accounts yet: ${errorMessage(error)}`));
  }

  // A sign-out or a lost connection in an account's sync ends the whole sync, keeping what came before.
  for (const [i, account] of enabled.entries()) {
    const place = { accountNumber: i + 1, accountCount: enabled.length };
    state.accounts.push(await syncAccountActivities(deps, account, place));
  }
}

/**
 * How a sync that threw ends: a silent skip for sign-in problems; otherwise a failure of the sync
 * as a whole (offline, the cloud down, its profile or account list refused). That is not a
 * failure of the accounts it never reached: they keep their state, and the sync run carries the
 * error (docs/sync-rules.md, "Failures").
 */
function resultOfError(error: unknown, trigger: SyncTrigger, state: SyncProgressState): SyncResult {
  if (isCloudError(error, 'not-signed-in')) {
    return { ...summarize(state), success: true, skipped: 'not-signed-in', message: error.message };
  }
  // A plan problem is silent for automatic syncs (docs/cloud-protocol.md) and said out loud to a user who asked.
  if (isCloudError(error, 'no-plan') && trigger === 'auto') {
    return { ...summarize(state), skipped: 'no-plan', message: NO_PLAN };
  }
  const result: SyncResult = { ...summarize(state), success: false, message: errorMessage(error) };
  if (asksToWaitLong(error)) result.retryAfterMs = error.retryAfterMs;
  return result;
}

/** Holdings of every account marked stale; a problem is a warning on its account, never a crash. */
function updateHoldings(deps: BrokerSyncDeps, state: SyncProgressState): void {
  try {
    for (const { accountId } of updatePortfolio(deps).problems) {
      const outcome = state.accounts.find((account) => account.accountId === accountId);
      if (outcome) outcome.warnings++;
    }
  } catch (error) {
    deps.log.warn(`Holdings could not be updated: ${errorMessage(error)}`);
  }
}

/** Runs one sync to its end. Never rejects for a cloud or data problem: the result says what happened. */
export async function performBrokerSync(deps: BrokerSyncDeps, trigger: SyncTrigger): Promise<SyncResult> {
  const { db, clock, emit } = deps;
  const now = () => toIso(clock.now());
  failInterruptedSyncs(db, now());
  const runId = startSyncRun(db, trigger === 'auto' ? 'AUTO' : 'MANUAL', now());
  emit({ type: 'broker:sync-start', payload: { trigger } });

  const state = emptyProgress();
  let failure: { error: unknown } | null = null;
  try {
    await syncBrokers(deps, state);
  } catch (error) {
    failure = { error };
  }
  updateHoldings(deps, state);

  let result: SyncResult;
  // Set when the sync as a whole failed; otherwise a failure is some account's.
  let errorCode: string | null = null;
  if (failure) {
    result = resultOfError(failure.error, trigger, state);
    // Offline is a failure only when the cloud never answered: see src/core/throttleState.ts.
    errorCode =
      isCloudError(failure.error, 'network') && state.reachedCloud ? 'connection-lost' : errorCodeOf(failure.error);
    if (!result.skipped) deps.log.warn(`Sync failed: ${result.message}`);
  } else {
    result = summarize(state);
  }

  try {
    finishSyncRun(db, runId, { status: syncRunStatus(result), message: result.message, errorCode, result }, now());
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
