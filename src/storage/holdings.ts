/**
 * `holdings`, `cash_balances` and `holdings_stale`: what each account holds, and which accounts'
 * holdings no longer match their activities. Rows only: the engine computes them
 * (src/core/portfolioUpdate.ts). An account is marked stale in the same transaction that changes
 * its activities, and the mark is cleared in the one that writes its recomputed holdings, so what
 * is committed always says which holdings to trust (docs/sync-rules.md, "Holdings").
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

export function markHoldingsStale(db: SqlDatabase, accountId: string, now: string): void {
  db.run('INSERT OR IGNORE INTO holdings_stale (account_id, marked_at) VALUES (?, ?)', [accountId, now]);
}

/** Accounts whose holdings must be recomputed, with the currency their cash defaults to. */
export function listStaleHoldings(db: SqlDatabase): { accountId: string; currency: string | null }[] {
  return db.all<{ accountId: string; currency: string | null }>(
    `SELECT s.account_id AS accountId, a.currency FROM holdings_stale s JOIN accounts a ON a.id = s.account_id
     ORDER BY s.rowid`,
  );
}

/**
 * An account's confirmed activities in the order holdings apply them: by date, what adds shares
 * before what removes them at the same instant, then the order they arrived in.
 */
export function readHoldingActivities(db: SqlDatabase, accountId: string): HoldingActivityRow[] {
  return db.all<HoldingActivityRow & Record<string, string | null>>(
    `SELECT id, activity_type AS activityType, status, symbol, currency, quantity, unit_price AS unitPrice, amount, fee
     FROM activities WHERE account_id = ? AND status = 'POSTED'
     ORDER BY activity_date,
       CASE WHEN activity_type IN ('BUY', 'TRANSFER_IN', 'SPLIT') THEN 0 ELSE 1 END,
       rowid`,
    [accountId],
  );
}

/** Writes an account's recomputed holdings and clears its stale mark, atomically. */
export function replaceHoldings(db: SqlDatabase, accountId: string, holdings: AccountHoldings, now: string): void {
  db.transaction(() => {
    db.run('DELETE FROM holdings WHERE account_id = ?', [accountId]);
    db.run('DELETE FROM cash_balances WHERE account_id = ?', [accountId]);
    for (const position of holdings.positions) {
      db.run(
        `INSERT INTO holdings (account_id, symbol, currency, quantity, average_cost, cost_basis, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [
          accountId,
          position.symbol,
          position.currency,
          position.quantity,
          position.averageCost,
          position.costBasis,
          now,
        ],
      );
    }
    for (const balance of holdings.cash) {
      db.run('INSERT INTO cash_balances (account_id, currency, balance, updated_at) VALUES (?, ?, ?, ?)', [
        accountId,
        balance.currency,
        balance.balance,
        now,
      ]);
    }
    db.run('DELETE FROM holdings_stale WHERE account_id = ?', [accountId]);
  });
}
