/**
 * What the CLI prints for people, from strings the cloud chose: nothing in them can steer the
 * terminal (set its title, clear a line, print a fake "Synced OK"), reorder what is shown, or
 * break the layout by its length.
 */
import { describe, expect, it } from 'vitest';
import { describeResult, printable, progressLine } from '../../src/cli/cliOutput.ts';
import { skippedResult } from '../../src/core/syncOutcome.ts';
import { accountOutcome } from '../support/syncOutcome.ts';

const HOSTILE = '\u001b]0;pwned\u0007\u001b[2K\rSynced OK \u202egnp.exe';

describe('CLI output', () => {
  it('shows control characters and reordering marks as �, and cuts what is longer than a line', () => {
    expect(printable(HOSTILE)).toBe('\ufffd]0;pwned\ufffd\ufffd[2K\ufffdSynced OK \ufffdgnp.exe');
    expect(printable('tab\tand\nnewline')).toBe('tab\ufffdand\ufffdnewline');
    expect(printable('x'.repeat(200_000), 60)).toBe(`${'x'.repeat(59)}…`);
    expect(printable('Épargne – CELI 日本')).toBe('Épargne – CELI 日本');
  });

  it('prints an account the cloud named with escapes as text, on one line of its own', () => {
    const result = {
      ...skippedResult('busy', ''),
      skipped: null,
      message: `Synced 1 account ${HOSTILE}`,
      accountsSynced: 1,
      accounts: [
        accountOutcome('a', {
          accountName: HOSTILE,
          status: 'FAILED',
          error: `Rejected: ${HOSTILE}`,
          errorCode: 'request-rejected',
        }),
      ],
      newAccounts: [{ id: 'a', name: HOSTILE, institutionName: HOSTILE }],
    };
    const printed = [
      ...describeResult(result, false),
      progressLine({
        accountId: 'a',
        accountName: HOSTILE,
        status: 'RUNNING',
        currentPage: 1,
        activitiesFetched: 5,
        accountNumber: 1,
        accountCount: 1,
      }),
    ].join('\n');
    for (const steering of ['\u001b', '\u0007', '\r', '\u202e']) expect(printed.includes(steering)).toBe(false);
    expect(printed.split('\n')).toHaveLength(5);
  });

  it('groups thousands in the counts it prints', () => {
    const result = {
      ...skippedResult('busy', ''),
      skipped: null,
      message: 'Synced 1 account: 12,345 new, 0 updated activities',
      accountsSynced: 1,
      accounts: [accountOutcome('a', { accountName: 'Personal', fetched: 12_345, inserted: 1_487 })],
    };
    expect(describeResult(result, false)).toContain('  Personal  Up to date    12,345 fetched, 1,487 new, 0 updated');
  });
});
