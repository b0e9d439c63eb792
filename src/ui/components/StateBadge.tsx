import type { AccountSyncStatus } from '../../storage/syncState.ts';

const LABELS: Record<AccountSyncStatus, string> = {
  IDLE: 'Up to Date',
  RUNNING: 'Syncing',
  NEEDS_REVIEW: 'Needs Review',
  FAILED: 'Failed',
};

/** An account's sync state as a badge; "Excluded from sync" for accounts the cloud does not sync. */
export function StateBadge({ status, syncEnabled }: { status: AccountSyncStatus | null; syncEnabled: boolean }) {
  if (!syncEnabled) return <span class="badge badge-muted">Excluded from sync</span>;
  if (!status) return <span class="badge badge-muted">Not synced yet</span>;
  return <span class={`badge badge-${status.toLowerCase().replace('_', '-')}`}>{LABELS[status]}</span>;
}
