import type { AccountSyncStatus } from '../../storage/syncState.ts';
import type { AccountView } from '../../storage/views.ts';

const LABELS: Record<AccountSyncStatus, string> = {
  IDLE: 'Up to Date',
  RUNNING: 'Syncing',
  NEEDS_REVIEW: 'Needs Review',
  FAILED: 'Failed',
};

/**
 * An account's sync state as a badge; "Excluded from sync" for accounts the cloud does not sync,
 * "Removed at the broker" for those it no longer lists.
 */
export function StateBadge({
  status,
  syncEnabled,
  removed,
}: {
  status: AccountSyncStatus | null;
  syncEnabled: boolean;
  removed: boolean;
}) {
  if (removed) return <span class="badge badge-muted">Removed at the broker</span>;
  if (!syncEnabled) return <span class="badge badge-muted">Excluded from sync</span>;
  if (!status) return <span class="badge badge-muted">Not synced yet</span>;
  return <span class={`badge badge-${status.toLowerCase().replace('_', '-')}`}>{LABELS[status]}</span>;
}

/** The status a badge shows: while a sync runs, an account it has not finished yet is "Syncing". */
export function badgeStatus(account: AccountView, syncing: boolean): AccountSyncStatus | null {
  const pending = account.syncStatus === null || account.syncStatus === 'RUNNING';
  return syncing && account.syncEnabled && account.removedAt === null && pending ? 'RUNNING' : account.syncStatus;
}
