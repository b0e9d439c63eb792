/** What the CLI prints for people (the --json mode prints the events themselves). */
import type { AccountOutcome, SyncProgress, SyncResult } from '../core/syncEvents.ts';

const number = new Intl.NumberFormat('en');

/**
 * Control characters (terminal escapes that set the title, clear the line or move the cursor),
 * and the invisible marks that reorder text ("gnp.exe" shown as "exe.png").
 */
const unprintable = (code: number): boolean =>
  code <= 0x1f ||
  (code >= 0x7f && code <= 0x9f) ||
  code === 0x61c ||
  code === 0x200e ||
  code === 0x200f ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069);

/**
 * A string from the cloud (or made of its parts) as a terminal may show it: what could steer the
 * terminal shown as �, and a name longer than a line cut short. Everything the CLI prints for
 * people goes through it; --json leaves escaping to JSON.
 */
export function printable(text: string, max = 120): string {
  const clean = Array.from(text, (char) => (unprintable(char.codePointAt(0) ?? 0) ? '\ufffd' : char)).join('');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

const STATE: Record<AccountOutcome['status'], string> = {
  IDLE: 'Up to date',
  NEEDS_REVIEW: 'Needs review',
  FAILED: 'Failed',
};

export function progressLine(progress: SyncProgress): string {
  return `Syncing ${printable(progress.accountName, 60)}: page ${progress.currentPage}, ${number.format(progress.activitiesFetched)} activities`;
}

export function describeResult(result: SyncResult, demo: boolean): string[] {
  if (result.skipped) return [printable(result.message, 500)];
  const lines: string[] = [];
  const source = demo ? ' from the demo cloud' : '';
  lines.push(
    `${result.success ? 'Synced' : 'Sync failed'}${source}: ${number.format(result.connectionsSynced)} connections, ${number.format(result.accountsSynced)} accounts`,
  );
  const name = (account: { accountName: string }) => printable(account.accountName, 60);
  const width = Math.max(0, ...result.accounts.map((account) => name(account).length));
  for (const account of result.accounts) {
    const counts = `${number.format(account.fetched)} fetched, ${number.format(account.inserted)} new, ${number.format(account.updated)} updated`;
    // Dropped activities and holdings that could not count an activity; stderr names each.
    const warnings = account.warnings > 0 ? `, ${account.warnings} warning${account.warnings === 1 ? '' : 's'}` : '';
    const error = account.error ? ` — ${printable(account.error, 300)}` : '';
    lines.push(`  ${name(account).padEnd(width)}  ${STATE[account.status].padEnd(12)}  ${counts}${warnings}${error}`);
  }
  for (const account of result.newAccounts) {
    const institution = account.institutionName ? ` (${printable(account.institutionName, 60)})` : '';
    lines.push(`  New account: ${printable(account.name, 60)}${institution}`);
  }
  lines.push(printable(result.message, 500));
  return lines;
}
