/** What the CLI prints for people (the --json mode prints the events themselves). */
import type { AccountOutcome, SyncProgress, SyncResult } from '../core/syncEvents.ts';

const number = new Intl.NumberFormat('en');

const STATE: Record<AccountOutcome['status'], string> = {
  IDLE: 'Up to date',
  NEEDS_REVIEW: 'Needs review',
  FAILED: 'Failed',
};

export function progressLine(progress: SyncProgress): string {
  return `Syncing ${progress.accountName}: page ${progress.currentPage}, ${number.format(progress.activitiesFetched)} activities`;
}

export function describeResult(result: SyncResult, demo: boolean): string[] {
  if (result.skipped) return [result.message];
  const lines: string[] = [];
  const source = demo ? ' from the demo cloud' : '';
  lines.push(
    `${result.success ? 'Synced' : 'Sync failed'}${source}: ${number.format(result.connectionsSynced)} connections, ${number.format(result.accountsSynced)} accounts`,
  );
  const width = Math.max(0, ...result.accounts.map((account) => account.accountName.length));
  for (const account of result.accounts) {
    const counts = `${number.format(account.fetched)} fetched, ${number.format(account.inserted)} new, ${number.format(account.updated)} updated`;
    // Dropped activities and holdings that could not count an activity; stderr names each.
    const warnings = account.warnings > 0 ? `, ${account.warnings} warning${account.warnings === 1 ? '' : 's'}` : '';
    const error = account.error ? ` — ${account.error}` : '';
    lines.push(
      `  ${account.accountName.padEnd(width)}  ${STATE[account.status].padEnd(12)}  ${counts}${warnings}${error}`,
    );
  }
  for (const account of result.newAccounts) {
    lines.push(`  New account: ${account.name}${account.institutionName ? ` (${account.institutionName})` : ''}`);
  }
  lines.push(result.message);
  return lines;
}
