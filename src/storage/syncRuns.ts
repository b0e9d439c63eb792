/** `sync_runs`: one row per sync as a whole. The failure cooldown is read from its tail (src/core/throttleState.ts). */
import type { SqlDatabase } from './sqlDatabase.ts';

export type SyncRunKind = 'AUTO' | 'MANUAL';
export type SyncRunStatus = 'RUNNING' | 'SUCCEEDED' | 'PARTIAL' | 'FAILED' | 'SKIPPED';

export interface FinishedSyncRun {
  status: Exclude<SyncRunStatus, 'RUNNING'>;
  startedAt: string;
  finishedAt: string | null;
  /** Why it failed as a whole, as a stable code (`network`: no answer from the cloud at all). */
  errorCode: string | null;
  /** How long a 429 that ended it asked to wait, from its stored result. */
  retryAfterMs: number | null;
}

export function startSyncRun(db: SqlDatabase, kind: SyncRunKind, now: string): number {
  const row = db.get<{ id: number }>(
    "INSERT INTO sync_runs (kind, status, started_at) VALUES (?, 'RUNNING', ?) RETURNING id",
    [kind, now],
  );
  return row?.id ?? 0;
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

/** When the last sync of `kind` started (server mode's scheduler counts from its own, AUTO), or null. */
export function lastSyncRunStartedAt(db: SqlDatabase, kind: SyncRunKind): string | null {
  return (
    db.get<{ at: string | null }>('SELECT MAX(started_at) AS at FROM sync_runs WHERE kind = ?', [kind])?.at ?? null
  );
}

/** The last `limit` finished sync runs, newest first. */
export function recentSyncRuns(db: SqlDatabase, limit: number): FinishedSyncRun[] {
  return db.all<FinishedSyncRun & Record<string, string | number | null>>(
    `SELECT status, started_at AS startedAt, finished_at AS finishedAt, error_code AS errorCode,
       json_extract(result_json, '$.retryAfterMs') AS retryAfterMs
     FROM sync_runs WHERE status != 'RUNNING' ORDER BY id DESC LIMIT ?`,
    [limit],
  );
}
