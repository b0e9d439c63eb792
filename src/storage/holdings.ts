/**
 * `holdings`, `cash_balances` and `holdings_stale`: what each account holds, and which accounts'
 * holdings no longer match their activities. Rows only: the engine computes them
 * (src/core/portfolioUpdate.ts). An account is marked stale in the same transaction that changes
 * its activities, and the mark is cleared in the one that writes its recomputed holdings, so what
 * is committed always says which holdings to trust (docs/sync-rules.md, "Holdings").
 *
 * `holdings_pending` is the cheaper mark: activities a sync added to an account whose holdings
 * were otherwise current. Only their symbols' positions are recomputed, and their cash added to
 * the balances. Anything else that changes activities (an update, a review, a delete, or more new
 * ones than PENDING_LIMIT) marks the whole account stale, which supersedes its pending rows.
 */
import type { SqlDatabase } from './sqlDatabase.ts';

/** An activity as the holdings computation reads it, in the order it must be applied. */
export interface HoldingActivityRow {
  id: string;
  activityType: string;
  status: string;
  symbol: string | null;
  currency: string | null;
  quantity: string | null;
  unitPrice: string | null;
  amount: string | null;
  fee: string | null;
}

export interface AccountHoldings {
  positions: readonly { symbol: string; currency: string; quantity: string; averageCost: string; costBasis: string }[];
  cash: readonly { currency: string; balance: string }[];
}

/** Past this many new activities, recomputing the whole account is no dearer: a first import, say. */
const PENDING_LIMIT = 500;

export function markHoldingsStale(db: SqlDatabase, accountId: string, now: string): void {
  db.run('INSERT OR IGNORE INTO holdings_stale (account_id, marked_at) VALUES (?, ?)', [accountId, now]);
  db.run('DELETE FROM holdings_pending WHERE account_id = ?', [accountId]);
}

/** New activities of an account, for the next portfolio update; the whole account when it is stale already, or they are many. */
export function markActivitiesPending(
  db: SqlDatabase,
  accountId: string,
  activityIds: readonly string[],
  now: string,
): void {
  if (activityIds.length === 0) return;
  if (db.get('SELECT 1 AS stale FROM holdings_stale WHERE account_id = ?', [accountId])) return;
  const pending =
    db.get<{ n: number }>('SELECT COUNT(*) AS n FROM holdings_pending WHERE account_id = ?', [accountId])?.n ?? 0;
  if (pending + activityIds.length > PENDING_LIMIT) {
    markHoldingsStale(db, accountId, now);
    return;
  }
  for (const id of activityIds) {
    db.run('INSERT OR IGNORE INTO holdings_pending (account_id, activity_id) VALUES (?, ?)', [accountId, id]);
  }
}

/** Accounts with new activities to add to holdings that are otherwise current. */
export function listPendingHoldings(db: SqlDatabase): { accountId: string; currency: string | null }[] {
  return db.all<{ accountId: string; currency: string | null }>(
    `SELECT DISTINCT p.account_id AS accountId, a.currency FROM holdings_pending p JOIN accounts a ON a.id = p.account_id
     WHERE p.account_id NOT IN (SELECT account_id FROM holdings_stale)
     ORDER BY p.account_id`,
  );
}

/** The pending activities of an account that count (confirmed), in the order holdings apply them. */
export function readPendingActivities(db: SqlDatabase, accountId: string): HoldingActivityRow[] {
  return db.all<HoldingActivityRow & Record<string, string | null>>(
    // From the pending rows to their activities: as many lookups as there are new activities.
    `SELECT ${HOLDING_COLUMNS} FROM holdings_pending p CROSS JOIN activities ON activities.id = p.activity_id
     WHERE p.account_id = ? AND status = 'POSTED'
     ORDER BY ${holdingOrder('activity_date')}`,
    [accountId],
  );
}

/** An account's cash balances as stored. */
export function readCashBalances(db: SqlDatabase, accountId: string): { currency: string; balance: string }[] {
  return db.all<{ currency: string; balance: string }>(
    'SELECT currency, balance FROM cash_balances WHERE account_id = ? ORDER BY currency',
    [accountId],
  );
}

/** Accounts whose holdings must be recomputed, with the currency their cash defaults to. */
export function listStaleHoldings(db: SqlDatabase): { accountId: string; currency: string | null }[] {
  return db.all<{ accountId: string; currency: string | null }>(
    `SELECT s.account_id AS accountId, a.currency FROM holdings_stale s JOIN accounts a ON a.id = s.account_id
     ORDER BY s.rowid`,
  );
}

const HOLDING_COLUMNS =
  'activities.id AS id, activity_type AS activityType, status, symbol, currency, quantity, unit_price AS unitPrice, amount, fee';
/**
 * By date (`date`: the column, as the query may use it), what adds shares before what removes them
 * at the same instant, then the order they arrived in.
 */
const holdingOrder = (date: string) =>
  `${date}, CASE WHEN activity_type IN ('BUY', 'TRANSFER_IN', 'SPLIT') THEN 0 ELSE 1 END, activities.rowid`;

/** An account's confirmed activities in the order holdings apply them (holdingOrder). */
export function readHoldingActivities(
  db: SqlDatabase,
  accountId: string,
  /** Only these symbols' activities; all of them when absent. */
  symbols?: readonly string[],
): HoldingActivityRow[] {
  // For some symbols, the (account, symbol) index: `+status` keeps the status index out of it, and
  // `+activity_date` the (account, date) index, which SQLite would otherwise take for the order
  // and read the account's whole history through (95,000 rows for a few new trades).
  const [where, order] = symbols
    ? [`account_id = ? AND symbol IN (${symbols.map(() => '?').join(', ')}) AND +status = 'POSTED'`, '+activity_date']
    : [`account_id = ? AND status = 'POSTED'`, 'activity_date'];
  return db.all<HoldingActivityRow & Record<string, string | null>>(
    `SELECT ${HOLDING_COLUMNS} FROM activities WHERE ${where} ORDER BY ${holdingOrder(order)}`,
    [accountId, ...(symbols ?? [])],
  );
}

/**
 * Writes the positions of `symbols` and the cash balances an account's pending activities led
 * to, and clears them, atomically.
 */
export function applyPendingHoldings(
  db: SqlDatabase,
  accountId: string,
  change: { symbols: readonly string[]; positions: AccountHoldings['positions']; cash: AccountHoldings['cash'] },
  now: string,
): void {
  db.transaction(() => {
    for (const symbol of change.symbols) {
      db.run('DELETE FROM holdings WHERE account_id = ? AND symbol = ?', [accountId, symbol]);
    }
    for (const position of change.positions) insertPosition(db, accountId, position, now);
    for (const balance of change.cash) {
      db.run(
        `INSERT INTO cash_balances (account_id, currency, balance, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id, currency) DO UPDATE SET balance = excluded.balance, updated_at = excluded.updated_at`,
        [accountId, balance.currency, balance.balance, now],
      );
    }
    db.run('DELETE FROM holdings_pending WHERE account_id = ?', [accountId]);
  });
}

/** Writes an account's recomputed holdings and clears its stale mark, atomically. */
export function replaceHoldings(db: SqlDatabase, accountId: string, holdings: AccountHoldings, now: string): void {
  db.transaction(() => {
    db.run('DELETE FROM holdings WHERE account_id = ?', [accountId]);
    db.run('DELETE FROM cash_balances WHERE account_id = ?', [accountId]);
    for (const position of holdings.positions) insertPosition(db, accountId, position, now);
    for (const balance of holdings.cash) {
      db.run('INSERT INTO cash_balances (account_id, currency, balance, updated_at) VALUES (?, ?, ?, ?)', [
        accountId,
        balance.currency,
        balance.balance,
        now,
      ]);
    }
    db.run('DELETE FROM holdings_stale WHERE account_id = ?', [accountId]);
    db.run('DELETE FROM holdings_pending WHERE account_id = ?', [accountId]);
  });
}

function insertPosition(
  db: SqlDatabase,
  accountId: string,
  position: AccountHoldings['positions'][number],
  now: string,
): void {
  db.run(
    `INSERT INTO holdings (account_id, symbol, currency, quantity, average_cost, cost_basis, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [accountId, position.symbol, position.currency, position.quantity, position.averageCost, position.costBasis, now],
  );
}
