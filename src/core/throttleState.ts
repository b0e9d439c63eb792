/** What the throttle (throttle.ts) needs, read from the database's sync history. */

import type { SqlDatabase } from '../storage/sqlDatabase.ts';
import { type FinishedSyncRun, recentSyncRuns } from '../storage/syncRuns.ts';
import { hasAccountSyncState, lastSuccessfulSyncAt } from '../storage/syncState.ts';
import type { ThrottleState } from './throttle.ts';

/** Enough history to reach the cooldown's cap (1, 2, 4, ... 60 min is 7 steps). */
const COOLDOWN_HISTORY = 10;

const toMs = (iso: string | null | undefined): number | null => (iso ? Date.parse(iso) : null);

/**
 * The end of the wait a 429 that ended `run` asked for, counted from when the run ended. Read
 * from the last sync that reached the cloud: an offline attempt since does not lift it.
 */
function askedToWaitUntil(run: FinishedSyncRun | undefined): number | null {
  const ended = toMs(run?.finishedAt);
  return run?.retryAfterMs != null && ended !== null ? ended + run.retryAfterMs : null;
}

/**
 * With no per-account state at all (nothing to sync yet), the last successful sync run stands
 * in for MAX(last_successful_at), so an empty account list does not make every trigger a sync.
 *
 * A sync that got no answer from the cloud at all (`network`: offline, DNS, refused) does not
 * count toward the cooldown: the cooldown spares the cloud, and such a sync cost it nothing. So
 * coming back online, the next trigger syncs. Any other failure counts, a cloud that answered
 * and then dropped connections included (docs/sync-rules.md, "Throttle").
 */
export function readThrottleState(db: SqlDatabase): ThrottleState {
  const recent = recentSyncRuns(db, COOLDOWN_HISTORY);
  const succeeded = (run: { status: string }) => run.status === 'SUCCEEDED';
  const reachedCloud = recent.filter((run) => run.errorCode !== 'network');
  const firstSuccess = reachedCloud.findIndex(succeeded);
  let lastSuccess = lastSuccessfulSyncAt(db);
  if (lastSuccess === null && !hasAccountSyncState(db)) lastSuccess = recent.find(succeeded)?.finishedAt ?? null;
  return {
    lastSuccessfulAt: toMs(lastSuccess),
    lastAttemptFailed: recent[0] !== undefined && !succeeded(recent[0]),
    lastAttemptAt: toMs(reachedCloud[0]?.startedAt),
    consecutiveFailures: firstSuccess === -1 ? reachedCloud.length : firstSuccess,
    askedToWaitUntil: askedToWaitUntil(reachedCloud[0]),
  };
}
