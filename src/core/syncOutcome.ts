/** How a sync's result reads (docs/sync-rules.md, "Events": `broker:sync-complete`), and what its sync run records. */
import type { SyncRunStatus } from '../storage/syncRuns.ts';
import type { AccountOutcome, NewAccount, SkipReason, SyncResult } from './syncEvents.ts';

/** What a sync has done so far; a sync cut short still reports it. */
export interface SyncProgressState {
  connectionsSynced: number;
  accountsSynced: number;
  newAccounts: NewAccount[];
  accounts: AccountOutcome[];
  /** Some answer came from the cloud's API in this sync: a failure is then not just being offline. */
  reachedCloud: boolean;
}

export const emptyProgress = (): SyncProgressState => ({
  connectionsSynced: 0,
  accountsSynced: 0,
  newAccounts: [],
  accounts: [],
  reachedCloud: false,
});

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summarize(state: SyncProgressState): SyncResult {
  const failed = state.accounts.filter((account) => account.status === 'FAILED');
  const review = state.accounts.filter((account) => account.status === 'NEEDS_REVIEW');
  const inserted = state.accounts.reduce((sum, account) => sum + account.inserted, 0);
  const updated = state.accounts.reduce((sum, account) => sum + account.updated, 0);
  let message: string;
  if (failed.length > 0) {
    message = `${failed.length} of ${plural(state.accounts.length, 'account')} failed: ${failed[0]?.error}`;
  } else {
    message = `Synced ${plural(state.accounts.length, 'account')}: ${inserted} new, ${updated} updated activities`;
    if (review.length > 0)
      message += `; ${plural(review.length, 'account')} need${review.length === 1 ? 's' : ''} review`;
  }
  return {
    success: failed.length === 0,
    message,
    skipped: null,
    connectionsSynced: state.connectionsSynced,
    accountsSynced: state.accountsSynced,
    activitiesSynced: {
      accountsSynced: state.accounts.length - failed.length,
      activitiesUpserted: inserted + updated,
      accountsFailed: failed.length,
      accountsWarned: state.accounts.filter((account) => account.status === 'NEEDS_REVIEW' || account.warnings > 0)
        .length,
    },
    newAccounts: state.newAccounts,
    accounts: state.accounts,
  };
}

export const skippedResult = (skipped: SkipReason, message: string): SyncResult => ({
  ...summarize(emptyProgress()),
  skipped,
  message,
});

export function syncRunStatus(result: SyncResult): Exclude<SyncRunStatus, 'RUNNING'> {
  if (result.skipped) return 'SKIPPED';
  if (result.success) return 'SUCCEEDED';
  const { accountsFailed } = result.activitiesSynced;
  return accountsFailed > 0 && accountsFailed < result.accounts.length ? 'PARTIAL' : 'FAILED';
}
