/** What one broker sync is handed by its platform's composition root (page, service worker, server, CLI). */
import type { SqlDatabase } from '../storage/sqlDatabase.ts';
import type { BrokerCloud } from '../transport/brokerCloud.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import type { EmitSyncEvent } from './syncEvents.ts';

export interface BrokerSyncDeps {
  db: SqlDatabase;
  cloud: BrokerCloud;
  clock: Clock;
  emit: EmitSyncEvent;
  log: Logger;
  /** Overrides the page cap (tests). */
  maxPages?: number;
}
