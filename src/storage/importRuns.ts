/** `import_runs`: one row per account per sync, the history the Connect page shows. */
import type { SqlDatabase } from './sqlDatabase.ts';

export type ImportMode = 'INITIAL' | 'INCREMENTAL';
/** CANCELLED: the user signed out during it, which is not a failure (docs/sync-rules.md, "One sync"). */
export type ImportRunStatus = 'RUNNING' | 'APPLIED' | 'NEEDS_REVIEW' | 'FAILED' | 'CANCELLED';

export interface ImportSummary {
  fetched: number;
  inserted: number;
  updated: number;
  skipped: number;
  warnings: number;
  errors: number;
}

export const emptySummary = (): ImportSummary => ({
  fetched: 0,
  inserted: 0,
  updated: 0,
  skipped: 0,
  warnings: 0,
  errors: 0,
});

export function startImportRun(
  db: SqlDatabase,
  run: { accountId: string; provider: string; mode: ImportMode; windowStart: string | null; windowEnd: string | null },
  now: string,
): number {
  const row = db.get<{ id: number }>(
    `INSERT INTO import_runs (account_id, provider, mode, status, window_start, window_end, started_at, summary_json)
     VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, ?) RETURNING id`,
    [run.accountId, run.provider, run.mode, run.windowStart, run.windowEnd, now, JSON.stringify(emptySummary())],
  );
  return row?.id ?? 0;
}

/** Records what a committed page brought, in its transaction: a run cut short still says what it wrote. */
export function recordImportProgress(db: SqlDatabase, id: number, summary: ImportSummary): void {
  db.run('UPDATE import_runs SET summary_json = ? WHERE id = ?', [JSON.stringify(summary), id]);
}

export function finishImportRun(
  db: SqlDatabase,
  id: number,
  outcome: { status: Exclude<ImportRunStatus, 'RUNNING'>; summary: ImportSummary; error: string | null },
  now: string,
): void {
  db.run('UPDATE import_runs SET status = ?, summary_json = ?, error = ?, finished_at = ? WHERE id = ?', [
    outcome.status,
    JSON.stringify(outcome.summary),
    outcome.error,
    now,
    id,
  ]);
}
