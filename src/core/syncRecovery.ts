/**
 * What a sync cut short (a crash, a killed process, a closed tab) leaves behind is repaired on
 * start, whatever the throttle decides next (docs/sync-rules.md, "After a crash"):
 * RUNNING rows become FAILED "Sync was interrupted", and holdings still marked stale are
 * recomputed. Each platform calls it once it holds its sync lock (no sync can be live then);
 * performBrokerSync does the same before each sync.
 */
import type { SqlDatabase } from '../storage/sqlDatabase.ts';
import { failInterruptedSyncs } from '../storage/syncState.ts';
import { type Clock, toIso } from './clock.ts';
import type { Logger } from './logger.ts';
import { updatePortfolio } from './portfolioUpdate.ts';
import type { EmitSyncEvent } from './syncEvents.ts';

export async function recoverInterruptedSync(deps: {
  db: SqlDatabase;
  clock: Clock;
  emit: EmitSyncEvent;
  log: Logger;
}): Promise<void> {
  const recovered = failInterruptedSyncs(deps.db, toIso(deps.clock.now()));
  if (recovered > 0) deps.log.warn('A sync was interrupted; the next one fetches again what it missed');
  updatePortfolio(deps);
  await deps.db.persist();
}
