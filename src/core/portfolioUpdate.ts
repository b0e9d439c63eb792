/**
 * The seed's "trigger portfolio update": after activities of some accounts changed (a sync,
 * or the user's review), recompute those accounts' holdings, announcing start and end.
 */
import { recomputeHoldings } from '../storage/holdings.ts';
import type { SqlDatabase } from '../storage/sqlDatabase.ts';
import { type Clock, toIso } from './clock.ts';
import type { EmitSyncEvent } from './syncEvents.ts';

export function updatePortfolio(
  deps: { db: SqlDatabase; clock: Clock; emit: EmitSyncEvent },
  accountIds: readonly string[],
): void {
  if (accountIds.length === 0) return;
  deps.emit({ type: 'portfolio:trigger-update', payload: { accountIds: [...accountIds] } });
  recomputeHoldings(deps.db, accountIds, toIso(deps.clock.now()));
  deps.emit({ type: 'portfolio:update-complete', payload: { accountIds: [...accountIds] } });
}
