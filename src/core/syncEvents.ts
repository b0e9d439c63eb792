/**
 * The events of a sync (docs/sync-rules.md, "Events"), one typed union for every transport they travel over:
 * in-process listeners, the service worker's broadcast, SSE in server mode, the CLI's --json.
 */
import type { AccountSyncStatus } from '../storage/syncState.ts';

export type SyncTrigger = 'auto' | 'manual';

/**
 * Why a sync did nothing: not due yet or offline (automatic only), nobody is signed in /
 * entitled, or another sync of the same database is running elsewhere (another process, or a
 * copy of the database that was just replaced).
 */
export type SkipReason = 'not-due' | 'offline' | 'not-signed-in' | 'no-plan' | 'busy';

export interface SyncProgress {
  accountId: string;
  accountName: string;
  status: AccountSyncStatus;
  currentPage: number;
  activitiesFetched: number;
  /** This account's place among the sync-enabled accounts of this sync: account k (1-based) of n. */
  accountNumber: number;
  accountCount: number;
}

interface ActivitiesSynced {
  accountsSynced: number;
  activitiesUpserted: number;
  accountsFailed: number;
  accountsWarned: number;
}

export interface NewAccount {
  id: string;
  name: string;
  institutionName: string | null;
}

/** How one account's sync ended; the CLI and the Connect page list these. */
export interface AccountOutcome {
  accountId: string;
  accountName: string;
  status: Exclude<AccountSyncStatus, 'RUNNING'>;
  error: string | null;
  /** Why it failed, as a stable code (a CloudError code, or `internal`). */
  errorCode: string | null;
  fetched: number;
  inserted: number;
  updated: number;
  warnings: number;
}

export interface SyncResult {
  success: boolean;
  message: string;
  /** Set when the sync did nothing on purpose; `success` is then true. */
  skipped: SkipReason | null;
  connectionsSynced: number;
  accountsSynced: number;
  activitiesSynced: ActivitiesSynced;
  newAccounts: NewAccount[];
  accounts: AccountOutcome[];
  /** Ended by a 429 that asked to wait longer than a retry may: how long (automatic syncs wait it out). */
  retryAfterMs?: number;
}

export interface SyncEventMap {
  'broker:sync-start': { trigger: SyncTrigger };
  'broker:sync-progress': SyncProgress;
  'broker:sync-complete': SyncResult;
  'broker:sync-error': { error: string; code: string };
  'portfolio:trigger-update': { accountIds: string[] };
  /** Holdings of these accounts were recomputed. */
  'portfolio:update-complete': { accountIds: string[] };
}

export type SyncEventName = keyof SyncEventMap;

export type SyncEvent = { [K in SyncEventName]: { type: K; payload: SyncEventMap[K] } }[SyncEventName];

export type EmitSyncEvent = (event: SyncEvent) => void;
