/** `holdings` and `cash_balances`: what each account holds, recomputed from its activities. */
import { computeHoldings, type HoldingActivity } from '../core/holdings.ts';
import type { SqlDatabase } from './sqlDatabase.ts';

/** Recomputes the holdings and cash of `accountIds` from their activities, atomically. */
export function recomputeHoldings(db: SqlDatabase, accountIds: readonly string[], now: string): void {
  db.transaction(() => {
    for (const accountId of accountIds) {
      const account = db.get<{ currency: string | null }>('SELECT currency FROM accounts WHERE id = ?', [accountId]);
      if (!account) continue;
      const activities = db.all<HoldingActivity & Record<string, string | null>>(
        `SELECT activity_type AS activityType, status, symbol, currency, quantity, unit_price AS unitPrice, amount, fee
         FROM activities WHERE account_id = ? AND status = 'POSTED'
         ORDER BY activity_date,
           CASE WHEN activity_type IN ('BUY', 'TRANSFER_IN', 'SPLIT') THEN 0 ELSE 1 END,
           rowid`,
        [accountId],
      );
      const { positions, cash } = computeHoldings(activities, account.currency ?? 'USD');
      db.run('DELETE FROM holdings WHERE account_id = ?', [accountId]);
      db.run('DELETE FROM cash_balances WHERE account_id = ?', [accountId]);
      for (const position of positions) {
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
      for (const balance of cash) {
        db.run('INSERT INTO cash_balances (account_id, currency, balance, updated_at) VALUES (?, ?, ?, ?)', [
          accountId,
          balance.currency,
          balance.balance,
          now,
        ]);
      }
    }
  });
}

/** Every account's holdings, for a database that had activities before holdings existed. */
export function recomputeAllHoldings(db: SqlDatabase, now: string): void {
  recomputeHoldings(
    db,
    db.all<{ id: string }>('SELECT id FROM accounts').map((row) => row.id),
    now,
  );
}
