/**
 * What must hold after any sync, however the ones before it ended (docs/sync-rules.md): nothing
 * left RUNNING, and holdings equal to a recompute from scratch of what is stored.
 */
import { expect } from 'vitest';
import { computeHoldings } from '../../src/core/holdings.ts';
import { readHoldingActivities } from '../../src/storage/holdings.ts';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.ts';
import { listAccounts, listCash, listHoldings, listImportRuns, listSyncRuns } from '../../src/storage/views.ts';

export function expectNothingRunning(db: SqlDatabase): void {
  expect(listAccounts(db).filter((account) => account.syncStatus === 'RUNNING')).toEqual([]);
  expect(listImportRuns(db, 1_000_000).filter((run) => run.status === 'RUNNING')).toEqual([]);
  expect(listSyncRuns(db, 1_000_000).filter((run) => run.status === 'RUNNING')).toEqual([]);
}

const bySymbol = <T extends { symbol: string; currency: string }>(rows: T[]): T[] =>
  [...rows].sort((a, b) => (a.symbol + a.currency < b.symbol + b.currency ? -1 : 1));

/** Every account's stored holdings and cash are what its stored activities add up to. */
export function expectHoldingsRecomputed(db: SqlDatabase): void {
  const holdings = listHoldings(db);
  const cash = listCash(db);
  for (const account of listAccounts(db)) {
    const fresh = computeHoldings(readHoldingActivities(db, account.id), account.currency ?? 'USD');
    const stored = holdings
      .filter((holding) => holding.accountId === account.id)
      .map(({ symbol, currency, quantity, averageCost, costBasis }) => ({
        symbol,
        currency,
        quantity,
        averageCost,
        costBasis,
      }));
    expect(bySymbol(stored), `holdings of ${account.name}`).toEqual(bySymbol(fresh.positions));
    expect(
      cash
        .filter((balance) => balance.accountId === account.id)
        .map(({ currency, balance }) => ({ currency, balance })),
      `cash of ${account.name}`,
    ).toEqual(fresh.cash);
  }
}
