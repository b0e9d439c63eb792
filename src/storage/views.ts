/** What the app shows, read from the database: one query per view, shared by every platform. */

import type { SqlDatabase } from './sqlDatabase.ts';
import type { AccountSyncStatus } from './syncState.ts';

export type AccountView = {
  id: string;
  name: string;
  institution: string | null;
  platform: string | null;
  currency: string | null;
  balance: string | null;
  balanceCurrency: string | null;
  syncEnabled: boolean;
  /** Null when it was never synced. */
  syncStatus: AccountSyncStatus | null;
  lastError: string | null;
  lastSuccessfulAt: string | null;
};

export function listAccounts(db: SqlDatabase): AccountView[] {
  return db
    .all<{
      id: string;
      name: string;
      institution_name: string | null;
      platform: string | null;
      currency: string | null;
      balance: string | null;
      balance_currency: string | null;
      sync_enabled: number;
      sync_status: AccountSyncStatus | null;
      last_error: string | null;
      last_successful_at: string | null;
    }>(
      `SELECT a.id, a.name, a.institution_name, p.name AS platform, a.currency, a.balance, a.balance_currency,
         a.sync_enabled, s.sync_status, s.last_error, s.last_successful_at
       FROM accounts a
       LEFT JOIN platforms p ON p.id = a.platform_id
       LEFT JOIN brokers_sync_state s ON s.account_id = a.id
       ORDER BY a.institution_name, a.name`,
    )
    .map((row) => ({
      id: row.id,
      name: row.name,
      institution: row.institution_name,
      platform: row.platform,
      currency: row.currency,
      balance: row.balance,
      balanceCurrency: row.balance_currency,
      syncEnabled: row.sync_enabled === 1,
      syncStatus: row.sync_status,
      lastError: row.last_error,
      lastSuccessfulAt: row.last_successful_at,
    }));
}

export type ActivityView = {
  id: string;
  date: string;
  accountName: string;
  type: string;
  symbol: string | null;
  quantity: string | null;
  amount: string | null;
  currency: string | null;
  description: string | null;
  needsReview: boolean;
  reviewReasons: string[];
};

/** Newest first; only those waiting for review when `needsReview`. */
export function listActivities(
  db: SqlDatabase,
  page: { limit: number; offset: number; needsReview?: boolean },
): ActivityView[] {
  return db
    .all<{
      id: string;
      activity_date: string;
      account_name: string;
      activity_type: string;
      symbol: string | null;
      quantity: string | null;
      amount: string | null;
      currency: string | null;
      description: string | null;
      status: string;
      review_reasons: string | null;
    }>(
      `SELECT v.id, v.activity_date, a.name AS account_name, v.activity_type, v.symbol, v.quantity, v.amount,
         v.currency, v.description, v.status, v.review_reasons
       FROM activities v JOIN accounts a ON a.id = v.account_id
       ${page.needsReview ? "WHERE v.status = 'DRAFT'" : ''}
       ORDER BY v.activity_date DESC, v.id DESC
       LIMIT ? OFFSET ?`,
      [page.limit, page.offset],
    )
    .map((row) => ({
      id: row.id,
      date: row.activity_date,
      accountName: row.account_name,
      type: row.activity_type,
      symbol: row.symbol,
      quantity: row.quantity,
      amount: row.amount,
      currency: row.currency,
      description: row.description,
      needsReview: row.status === 'DRAFT',
      reviewReasons: row.review_reasons ? (JSON.parse(row.review_reasons) as string[]) : [],
    }));
}

export const countActivities = (db: SqlDatabase): number =>
  db.get<{ n: number }>('SELECT COUNT(*) AS n FROM activities')?.n ?? 0;

export type ImportRunView = {
  id: number;
  accountName: string;
  mode: string;
  status: string;
  startedAt: string;
  summary: { fetched: number; inserted: number; updated: number; warnings: number } | null;
  error: string | null;
};

/** The sync history, newest first. */
export function listImportRuns(db: SqlDatabase, limit: number): ImportRunView[] {
  return db
    .all<{
      id: number;
      account_name: string;
      mode: string;
      status: string;
      started_at: string;
      summary_json: string | null;
      error: string | null;
    }>(
      `SELECT r.id, a.name AS account_name, r.mode, r.status, r.started_at, r.summary_json, r.error
       FROM import_runs r JOIN accounts a ON a.id = r.account_id
       ORDER BY r.id DESC LIMIT ?`,
      [limit],
    )
    .map((row) => ({
      id: row.id,
      accountName: row.account_name,
      mode: row.mode,
      status: row.status,
      startedAt: row.started_at,
      summary: row.summary_json ? JSON.parse(row.summary_json) : null,
      error: row.error,
    }));
}
