/**
 * `brokers_sync_state`: per account, where its sync stands (IDLE → RUNNING → IDLE |
 * NEEDS_REVIEW | FAILED) and when it last succeeded. The global "last synced" time and
 * the throttle read from here.
 */
import type { SqlDatabase } from './sqlDatabase.ts';

export type AccountSyncStatus = 'IDLE' | 'RUNNING' | 'NEEDS_REVIEW' | 'FAILED';

export type SyncStateRow = {
  account_id: string;
  provider: string;
  checkpoint_json: string | null;
  last_attempted_at: string | null;
  last_successful_at: string | null;
  last_error: string | null;
  last_run_id: number | null;
  sync_status: AccountSyncStatus;
  initial_sync_completed_at: string | null;
};

export const INTERRUPTED = 'Sync was interrupted';

export function getSyncState(db: SqlDatabase, accountId: string, provider: string): SyncStateRow | undefined {
  return db.get<SyncStateRow>('SELECT * FROM brokers_sync_state WHERE account_id = ? AND provider = ?', [
    accountId,
    provider,
  ]);
}

/**
 * Starts an account's sync. `wholeHistory`: this sync asks for the whole history, so the history
 * no longer counts as complete until a whole-history sync succeeds (a failure must not leave an
 * untrusted cursor to be trusted later).
 */
export function markAccountRunning(
  db: SqlDatabase,
  accountId: string,
  provider: string,
  run: { id: number; wholeHistory: boolean },
  now: string,
): void {
  db.run(
    `INSERT INTO brokers_sync_state (account_id, provider, last_attempted_at, last_run_id, sync_status, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'RUNNING', ?, ?)
     ON CONFLICT (account_id, provider) DO UPDATE SET last_attempted_at = excluded.last_attempted_at,
       last_run_id = excluded.last_run_id, sync_status = 'RUNNING', updated_at = excluded.updated_at,
       initial_sync_completed_at = CASE WHEN ? THEN NULL ELSE initial_sync_completed_at END`,
    [accountId, provider, now, run.id, now, now, run.wholeHistory ? 1 : 0],
  );
}

/**
 * Whether the account's whole history is known fetched, after a successful sync: `complete` and
 * `incomplete` after a whole-history sync (by what it brought), `unchanged` after an incremental one.
 */
export type HistoryVerdict = 'complete' | 'incomplete' | 'unchanged';

/** Ends an account's sync. IDLE and NEEDS_REVIEW mean the fetch succeeded and move `last_successful_at`. */
export function markAccountFinished(
  db: SqlDatabase,
  accountId: string,
  provider: string,
  outcome: {
    status: Exclude<AccountSyncStatus, 'RUNNING'>;
    error: string | null;
    /** The error's stable code (a CloudError code, `internal`), so the app can say it in plain words. */
    errorCode: string | null;
    checkpoint: unknown;
    history: HistoryVerdict;
  },
  now: string,
): void {
  const succeeded = outcome.status !== 'FAILED';
  const history = succeeded ? outcome.history : 'unchanged';
  db.run(
    `UPDATE brokers_sync_state SET sync_status = ?, last_error = ?, last_error_code = ?,
       last_successful_at = CASE WHEN ? THEN ? ELSE last_successful_at END,
       checkpoint_json = CASE WHEN ? THEN ? ELSE checkpoint_json END,
       initial_sync_completed_at = CASE ? WHEN 'complete' THEN ? WHEN 'incomplete' THEN NULL
         ELSE initial_sync_completed_at END,
       updated_at = ?
     WHERE account_id = ? AND provider = ?`,
    [
      outcome.status,
      outcome.error,
      outcome.errorCode,
      succeeded ? 1 : 0,
      now,
      succeeded ? 1 : 0,
      JSON.stringify(outcome.checkpoint),
      history,
      now,
      now,
      accountId,
      provider,
    ],
  );
}

/** Puts an account back to how it was before a sync that ended without a verdict on it (signed out, or the connection lost, mid-way). */
export function restoreAccountStatus(
  db: SqlDatabase,
  accountId: string,
  provider: string,
  status: Exclude<AccountSyncStatus, 'RUNNING'>,
  now: string,
): void {
  db.run('UPDATE brokers_sync_state SET sync_status = ?, updated_at = ? WHERE account_id = ? AND provider = ?', [
    status,
    now,
    accountId,
    provider,
  ]);
}

/** Whether any account has sync state yet. */
export const hasAccountSyncState = (db: SqlDatabase): boolean =>
  db.get('SELECT 1 AS any FROM brokers_sync_state LIMIT 1') !== undefined;

/** The seed's global "last synced": `SELECT MAX(last_successful_at) FROM brokers_sync_state`. */
export function lastSuccessfulSyncAt(db: SqlDatabase): string | null {
  return db.get<{ at: string | null }>('SELECT MAX(last_successful_at) AS at FROM brokers_sync_state')?.at ?? null;
}

/**
 * A RUNNING row with no live sync was left by a crash or a closed tab: it becomes FAILED
 * ("Sync was interrupted", code `interrupted`), with its import run (whose summary says what it
 * committed) and sync run. Call only while holding the sync lock (then no sync is live).
 * Returns how many rows were recovered.
 */
export function failInterruptedSyncs(db: SqlDatabase, now: string): number {
  return db.transaction(
    () =>
      db.run(`UPDATE import_runs SET status = 'FAILED', error = ?, finished_at = ? WHERE status = 'RUNNING'`, [
        INTERRUPTED,
        now,
      ]).changes +
      db.run(
        `UPDATE sync_runs SET status = 'FAILED', message = ?, error_code = 'interrupted', finished_at = ?
         WHERE status = 'RUNNING'`,
        [INTERRUPTED, now],
      ).changes +
      db.run(
        `UPDATE brokers_sync_state SET sync_status = 'FAILED', last_error = ?, last_error_code = 'interrupted',
           updated_at = ? WHERE sync_status = 'RUNNING'`,
        [INTERRUPTED, now],
      ).changes,
  );
}
