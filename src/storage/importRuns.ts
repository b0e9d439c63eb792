/** `import_runs`: one row per account per sync, the history the Connect page shows. */
import type { SqlDatabase } from './sqlDatabase.ts';

export type ImportMode = 'INITIAL' | 'INCREMENTAL';
export type ImportRunStatus = 'RUNNING' | 'APPLIED' | 'NEEDS_REVIEW' | 'FAILED';

export interface ImportSummary {
  fetched: number;
  inserted: number;
  updated: number;
  skipped: number;
  warnings: number;
  errors: number;
}

export function startImportRun(
  db: SqlDatabase,
  run: { accountId: string; provider: string; mode: ImportMode; windowStart: string | null; windowEnd: string | null },
  now: string,
): number {
  return db.run(
    `INSERT INTO import_runs (account_id, provider, mode, status, window_start, window_end, started_at)
     VALUES (?, ?, ?, 'RUNNING', ?, ?, ?)`,
    [run.accountId, run.provider, run.mode, run.windowStart, run.windowEnd, now],
  ).lastInsertRowid;
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
