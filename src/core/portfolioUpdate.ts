/**
 * The seed's "trigger portfolio update": recompute the holdings of every account marked stale,
 * and add the new activities of accounts with pending ones (only their symbols' positions are
 * recomputed; src/storage/holdings.ts), announcing start and end. The marks are committed with the
 * activity changes that caused them, so this catches up on work a crash cut short, whoever
 * calls it: a sync, the review queue, or a start that finds marks left behind.
 */
import {
  applyPendingHoldings,
  listPendingHoldings,
  listStaleHoldings,
  readCashBalances,
  readHoldingActivities,
  readPendingActivities,
  replaceHoldings,
} from '../storage/holdings.ts';
import type { SqlDatabase } from '../storage/sqlDatabase.ts';
import { type Clock, toIso } from './clock.ts';
import { addCash, computeHoldings } from './holdings.ts';
import type { Logger } from './logger.ts';
import type { EmitSyncEvent } from './syncEvents.ts';

/** Cash with no currency of its own counts in the account's, or in this when the account has none. */
const FALLBACK_CURRENCY = 'USD';

interface HoldingsProblem {
  accountId: string;
  problem: string;
}

export interface PortfolioUpdate {
  /** Accounts whose holdings were recomputed. */
  accountIds: string[];
  /** Activities that could not be counted, or accounts that could not be recomputed. */
  problems: HoldingsProblem[];
}

export function updatePortfolio(deps: {
  db: SqlDatabase;
  clock: Clock;
  emit: EmitSyncEvent;
  log: Logger;
}): PortfolioUpdate {
  const { db, emit, log } = deps;
  const stale = listStaleHoldings(db);
  const pending = listPendingHoldings(db);
  const update: PortfolioUpdate = { accountIds: [], problems: [] };
  if (stale.length + pending.length === 0) return update;
  const accountIds = [...stale, ...pending].map((account) => account.accountId);
  emit({ type: 'portfolio:trigger-update', payload: { accountIds } });
  const leftOut = (accountId: string, problems: { activityId: string; problem: string }[]) => {
    for (const { activityId, problem } of problems) {
      update.problems.push({ accountId, problem: `activity ${activityId} is left out of the holdings: ${problem}` });
    }
  };
  const attempt = (accountId: string, recompute: () => void) => {
    try {
      recompute();
      update.accountIds.push(accountId);
    } catch (error) {
      // The mark stays, so the next update tries again.
      update.problems.push({ accountId, problem: `its holdings could not be recomputed: ${String(error)}` });
    }
  };
  for (const { accountId, currency } of stale) {
    attempt(accountId, () => {
      const holdings = computeHoldings(readHoldingActivities(db, accountId), currency ?? FALLBACK_CURRENCY);
      replaceHoldings(db, accountId, holdings, toIso(deps.clock.now()));
      leftOut(accountId, holdings.problems);
    });
  }
  for (const { accountId, currency } of pending) {
    attempt(accountId, () => {
      const added = readPendingActivities(db, accountId);
      const symbols = [...new Set(added.flatMap((activity) => (activity.symbol ? [activity.symbol] : [])))];
      const positions =
        symbols.length === 0
          ? { positions: [], problems: [] }
          : computeHoldings(readHoldingActivities(db, accountId, symbols), currency ?? FALLBACK_CURRENCY);
      const cash = addCash(readCashBalances(db, accountId), added, currency ?? FALLBACK_CURRENCY);
      applyPendingHoldings(
        db,
        accountId,
        { symbols, positions: positions.positions, cash: cash.cash },
        toIso(deps.clock.now()),
      );
      // An unreadable activity is left out of both; said once.
      const problems = new Map([...positions.problems, ...cash.problems].map((entry) => [entry.activityId, entry]));
      leftOut(accountId, [...problems.values()]);
    });
  }
  for (const { accountId, problem } of update.problems) log.warn(`Holdings of account ${accountId}: ${problem}`);
  emit({ type: 'portfolio:update-complete', payload: { accountIds: update.accountIds } });
  return update;
}
