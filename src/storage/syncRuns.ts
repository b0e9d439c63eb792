/** `sync_runs`: one row per sync as a whole. The failure cooldown is read from its tail. */
import type { ThrottleState } from '../core/throttle.ts';
import type { SqlDatabase } from './sqlDatabase.ts';
import { lastSuccessfulSyncAt } from './syncState.ts';

export type SyncRunKind = 'AUTO' | 'MANUAL';
export type SyncRunStatus = 'RUNNING' | 'SUCCEEDED' | 'PARTIAL' | 'FAILED' | 'SKIPPED';

/** Enough history to reach the cooldown's cap (1, 2, 4, ... 60 min is 7 steps). */
const COOLDOWN_HISTORY = 10;

export function startSyncRun(db: SqlDatabase, kind: SyncRunKind, now: string): number {
  return db.run("INSERT INTO sync_runs (kind, status, started_at) VALUES (?, 'RUNNING', ?)", [kind, now])
    .lastInsertRowid;
}

export function finishSyncRun(
  db: SqlDatabase,
  id: number,
  outcome: { status: Exclude<SyncRunStatus, 'RUNNING'>; message: string; errorCode: string | null; result: unknown },
  now: string,
): void {
  db.run(
    'UPDATE sync_runs SET status = ?, message = ?, error_code = ?, result_json = ?, finished_at = ? WHERE id = ?',
    [outcome.status, outcome.message, outcome.errorCode, JSON.stringify(outcome.result), now, id],
  );
}

const toMs = (iso: string | null | undefined): number | null => (iso ? Date.parse(iso) : null);

/**
 * What the throttle needs. With no per-account state at all (nothing to sync yet), the last
 * successful sync run stands in for MAX(last_successful_at), so an empty account list does
 * not make every trigger a sync.
 *
 * Failures that never reached the cloud (`network`: offline, DNS, refused) do not count
 * toward the cooldown: it exists to spare the cloud, and they cost it nothing. So coming back
 * online, the next trigger syncs.
 */
export function readThrottleState(db: SqlDatabase): ThrottleState {
  const recent = db.all<{
    status: SyncRunStatus;
    started_at: string;
    finished_at: string | null;
    error_code: string | null;
  }>(
    "SELECT status, started_at, finished_at, error_code FROM sync_runs WHERE status != 'RUNNING' ORDER BY id DESC LIMIT ?",
    [COOLDOWN_HISTORY],
  );
  const succeeded = (run: { status: SyncRunStatus }) => run.status === 'SUCCEEDED';
  const reachedCloud = recent.filter((run) => run.error_code !== 'network');
  const firstSuccess = reachedCloud.findIndex(succeeded);
  let lastSuccess = lastSuccessfulSyncAt(db);
  if (lastSuccess === null && db.get('SELECT 1 AS any FROM brokers_sync_state LIMIT 1') === undefined) {
    lastSuccess = recent.find(succeeded)?.finished_at ?? null;
  }
  return {
    lastSuccessfulAt: toMs(lastSuccess),
    lastAttemptFailed: recent[0] !== undefined && !succeeded(recent[0]),
    lastAttemptAt: toMs(reachedCloud[0]?.started_at),
    consecutiveFailures: firstSuccess === -1 ? reachedCloud.length : firstSuccess,
  };
}
