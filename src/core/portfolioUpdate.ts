/**
 * The seed's "trigger portfolio update": recompute the holdings of every account marked stale
 * (src/storage/holdings.ts), announcing start and end. The marks are committed with the
 * activity changes that caused them, so this catches up on work a crash cut short, whoever
 * calls it: a sync, the review queue, or a start that finds marks left behind.
 */
import { listStaleHoldings, readHoldingActivities, replaceHoldings } from '../storage/holdings.ts';
import type { SqlDatabase } from '../storage/sqlDatabase.ts';
import { type Clock, toIso } from './clock.ts';
import { computeHoldings } from './holdings.ts';
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
  const update: PortfolioUpdate = { accountIds: [], problems: [] };
  if (stale.length === 0) return update;
  emit({ type: 'portfolio:trigger-update', payload: { accountIds: stale.map((account) => account.accountId) } });
  for (const { accountId, currency } of stale) {
    try {
      const holdings = computeHoldings(readHoldingActivities(db, accountId), currency ?? FALLBACK_CURRENCY);
      replaceHoldings(db, accountId, holdings, toIso(deps.clock.now()));
      update.accountIds.push(accountId);
      for (const { activityId, problem } of holdings.problems) {
        update.problems.push({ accountId, problem: `activity ${activityId} is left out of the holdings: ${problem}` });
      }
    } catch (error) {
      // The mark stays, so the next update tries again.
      update.problems.push({ accountId, problem: `its holdings could not be recomputed: ${String(error)}` });
    }
  }
  for (const { accountId, problem } of update.problems) log.warn(`Holdings of account ${accountId}: ${problem}`);
  emit({ type: 'portfolio:update-complete', payload: { accountIds: update.accountIds } });
  return update;
}
