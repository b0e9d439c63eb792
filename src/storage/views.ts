/** What the app shows, read from the database: one query per view, shared by every platform. */

import type { SqlDatabase, SqlValue } from './sqlDatabase.ts';
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
  /** When the cloud stopped listing it (its data stays; it is no longer synced), or null. */
  removedAt: string | null;
  /** Null when it was never synced. */
  syncStatus: AccountSyncStatus | null;
  lastError: string | null;
  /** The last error's stable code (a CloudError code, `interrupted`, `internal`). */
  lastErrorCode: string | null;
  lastSuccessfulAt: string | null;
  /** When its sync state last changed (a failure: when it failed); null when never synced. */
  statusAt: string | null;
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
      removed_at: string | null;
      sync_status: AccountSyncStatus | null;
      last_error: string | null;
      last_error_code: string | null;
      last_successful_at: string | null;
      status_at: string | null;
    }>(
      `SELECT a.id, a.name, a.institution_name, p.name AS platform, a.currency, a.balance, a.balance_currency,
         a.sync_enabled, a.removed_at, s.sync_status, s.last_error, s.last_error_code, s.last_successful_at,
         s.updated_at AS status_at
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
      removedAt: row.removed_at,
      syncStatus: row.sync_status,
      lastError: row.last_error,
      lastErrorCode: row.last_error_code,
      lastSuccessfulAt: row.last_successful_at,
      statusAt: row.status_at,
    }));
}

export type ActivityView = {
  id: string;
  date: string;
  accountName: string;
  type: string;
  symbol: string | null;
  quantity: string | null;
  unitPrice: string | null;
  amount: string | null;
  currency: string | null;
  description: string | null;
  needsReview: boolean;
  reviewReasons: string[];
};

/** What the activities view filters by; every field optional. */
export interface ActivityFilter {
  accountId?: string;
  type?: string;
  /** `YYYY-MM-DD`, inclusive. */
  from?: string;
  /** `YYYY-MM-DD`, inclusive. */
  to?: string;
  needsReview?: boolean;
  /** Matched anywhere in the symbol or the description, ignoring case. */
  search?: string;
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);

const isDay = (text: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));

function where(filter: ActivityFilter): { sql: string; params: SqlValue[] } {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  if (filter.accountId) {
    clauses.push('v.account_id = ?');
    params.push(filter.accountId);
  }
  if (filter.type) {
    clauses.push('v.activity_type = ?');
    params.push(filter.type);
  }
  // A date that is not a plain day (half typed, or out of range) filters nothing.
  if (filter.from && isDay(filter.from)) {
    clauses.push('v.activity_date >= ?');
    params.push(filter.from);
  }
  if (filter.to && isDay(filter.to)) {
    clauses.push("v.activity_date < date(?, '+1 day')");
    params.push(filter.to);
  }
  if (filter.needsReview) clauses.push("v.status = 'DRAFT'");
  const search = filter.search?.trim();
  if (search) {
    clauses.push("(v.symbol LIKE ? ESCAPE '\\' OR v.description LIKE ? ESCAPE '\\')");
    const pattern = `%${escapeLike(search)}%`;
    params.push(pattern, pattern);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

type ActivityRow = {
  id: string;
  activity_date: string;
  account_name: string;
  activity_type: string;
  symbol: string | null;
  quantity: string | null;
  unit_price: string | null;
  amount: string | null;
  currency: string | null;
  description: string | null;
  status: string;
  review_reasons: string | null;
};

const ACTIVITY_SELECT = `SELECT v.id, v.activity_date, a.name AS account_name, v.activity_type, v.symbol, v.quantity,
    v.unit_price, v.amount, v.currency, v.description, v.status, v.review_reasons
  FROM activities v JOIN accounts a ON a.id = v.account_id`;

const toActivityView = (row: ActivityRow): ActivityView => ({
  id: row.id,
  date: row.activity_date,
  accountName: row.account_name,
  type: row.activity_type,
  symbol: row.symbol,
  quantity: row.quantity,
  unitPrice: row.unit_price,
  amount: row.amount,
  currency: row.currency,
  description: row.description,
  needsReview: row.status === 'DRAFT',
  reviewReasons: row.review_reasons ? (JSON.parse(row.review_reasons) as string[]) : [],
});

/** Newest first, one window of the filtered list. */
export function listActivities(
  db: SqlDatabase,
  filter: ActivityFilter,
  page: { limit: number; offset: number },
): ActivityView[] {
  const { sql, params } = where(filter);
  return db
    .all<ActivityRow>(`${ACTIVITY_SELECT} ${sql} ORDER BY v.activity_date DESC, v.id DESC LIMIT ? OFFSET ?`, [
      ...params,
      page.limit,
      page.offset,
    ])
    .map(toActivityView);
}

/** One activity by its local id, as the activities view shows it; undefined when there is none. */
export function getActivity(db: SqlDatabase, id: string): ActivityView | undefined {
  const row = db.get<ActivityRow>(`${ACTIVITY_SELECT} WHERE v.id = ?`, [id]);
  return row && toActivityView(row);
}

export function countActivities(db: SqlDatabase, filter: ActivityFilter = {}): number {
  const { sql, params } = where(filter);
  return db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM activities v ${sql}`, params)?.n ?? 0;
}

/**
 * The activity types present, in order, for the type filter. One index seek per type
 * (activities_type_date), where a DISTINCT would read the whole index: a few types, a long history.
 */
export const listActivityTypes = (db: SqlDatabase): string[] =>
  db
    .all<{ t: string }>(
      `WITH RECURSIVE types (t) AS (
         SELECT MIN(activity_type) FROM activities
         UNION ALL
         SELECT (SELECT MIN(activity_type) FROM activities WHERE activity_type > types.t) FROM types WHERE types.t IS NOT NULL
       )
       SELECT t FROM types WHERE t IS NOT NULL`,
    )
    .map((row) => row.t);

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

export type HoldingView = {
  accountId: string;
  accountName: string;
  symbol: string;
  currency: string;
  quantity: string;
  averageCost: string;
  costBasis: string;
};

export function listHoldings(db: SqlDatabase): HoldingView[] {
  return db
    .all<{
      account_id: string;
      account_name: string;
      symbol: string;
      currency: string;
      quantity: string;
      average_cost: string;
      cost_basis: string;
    }>(
      `SELECT h.account_id, a.name AS account_name, h.symbol, h.currency, h.quantity, h.average_cost, h.cost_basis
       FROM holdings h JOIN accounts a ON a.id = h.account_id
       ORDER BY a.institution_name, a.name, h.symbol`,
    )
    .map((row) => ({
      accountId: row.account_id,
      accountName: row.account_name,
      symbol: row.symbol,
      currency: row.currency,
      quantity: row.quantity,
      averageCost: row.average_cost,
      costBasis: row.cost_basis,
    }));
}

export type CashView = { accountId: string; currency: string; balance: string };

export function listCash(db: SqlDatabase): CashView[] {
  return db
    .all<{ account_id: string; currency: string; balance: string }>(
      'SELECT account_id, currency, balance FROM cash_balances ORDER BY currency',
    )
    .map((row) => ({ accountId: row.account_id, currency: row.currency, balance: row.balance }));
}

/** The brokerages the cloud has listed, by id. */
export function listPlatforms(db: SqlDatabase): { id: string; name: string }[] {
  return db
    .all<{ id: string; name: string }>('SELECT id, name FROM platforms ORDER BY id')
    .map((row) => ({ id: row.id, name: row.name }));
}

type SyncRunView = { id: number; kind: string; status: string; message: string | null; errorCode: string | null };

/** The syncs as a whole, newest first, a running one included. */
export function listSyncRuns(db: SqlDatabase, limit: number): SyncRunView[] {
  return db
    .all<{ id: number; kind: string; status: string; message: string | null; error_code: string | null }>(
      'SELECT id, kind, status, message, error_code FROM sync_runs ORDER BY id DESC LIMIT ?',
      [limit],
    )
    .map((row) => ({
      id: row.id,
      kind: row.kind,
      status: row.status,
      message: row.message,
      errorCode: row.error_code,
    }));
}

/** A finished sync, as the sync history shows it; `result` is the sync's result as it was stored. */
export type SyncHistoryRow = {
  id: number;
  status: 'SUCCEEDED' | 'PARTIAL' | 'FAILED';
  startedAt: string;
  finishedAt: string;
  message: string | null;
  errorCode: string | null;
  result: unknown;
};

/** The finished syncs that did something (not the skipped ones), newest first. */
export function listSyncHistory(db: SqlDatabase, limit: number): SyncHistoryRow[] {
  return db
    .all<{
      id: number;
      status: SyncHistoryRow['status'];
      started_at: string;
      finished_at: string;
      message: string | null;
      error_code: string | null;
      result_json: string | null;
    }>(
      `SELECT id, status, started_at, COALESCE(finished_at, started_at) AS finished_at, message, error_code, result_json FROM sync_runs
       WHERE status IN ('SUCCEEDED', 'PARTIAL', 'FAILED') ORDER BY id DESC LIMIT ?`,
      [limit],
    )
    .map((row) => ({
      id: row.id,
      status: row.status,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      message: row.message,
      errorCode: row.error_code,
      result: parseResult(row.result_json),
    }));
}

function parseResult(json: string | null): unknown {
  try {
    return json === null ? null : JSON.parse(json);
  } catch {
    return null;
  }
}

/** When each account's holdings were last written (their newest row), by account. */
export function listHoldingsUpdatedAt(db: SqlDatabase): { accountId: string; updatedAt: string }[] {
  return db
    .all<{ account_id: string; updated_at: string }>(
      'SELECT account_id, MAX(updated_at) AS updated_at FROM holdings GROUP BY account_id ORDER BY account_id',
    )
    .map((row) => ({ accountId: row.account_id, updatedAt: row.updated_at }));
}
