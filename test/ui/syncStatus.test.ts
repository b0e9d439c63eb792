/** The words the app uses about syncs, from the facts the database keeps (docs/sync-rules.md, "Failures"). */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { SyncHistoryRow } from '../../src/storage/views.ts';
import { CloudError } from '../../src/transport/cloudError.ts';
import { readJson } from '../../src/transport/cloudJson.ts';
import { showable } from '../../src/ui/format/showable.ts';
import {
  accountProblem,
  cloudsOwnWords,
  historyEntries,
  statusHeadline,
  syncSummary,
} from '../../src/ui/models/syncStatus.ts';
import { accountOutcome } from '../support/syncOutcome.ts';

let nextId = 100;
const run = (startedAt: string, accounts: unknown[], fields: Partial<SyncHistoryRow> = {}): SyncHistoryRow => ({
  id: nextId--,
  status: 'SUCCEEDED',
  startedAt,
  finishedAt: startedAt,
  message: null,
  errorCode: null,
  result: { accounts },
  ...fields,
});

describe('sync words', () => {
  it('sums up a first sync: activities, accounts, and what needs review', () => {
    const first = run('2026-11-28T12:00:00.000Z', [
      accountOutcome('TFSA', { inserted: 1020 }),
      accountOutcome('RRSP', { inserted: 1200 }),
      accountOutcome('Margin', { inserted: 2010 }),
      accountOutcome('Personal', { inserted: 1487, status: 'NEEDS_REVIEW' }),
    ]);
    expect(syncSummary(first)).toBe('5,717 new activities from 4 accounts; 1 needs review');
    expect(syncSummary(run('2026-11-28T12:00:00.000Z', [accountOutcome('TFSA')]))).toBe('No new activities');
    expect(syncSummary(run('x', [], { status: 'FAILED', errorCode: 'network' }))).toBe("The cloud couldn't be reached");
  });

  it('lists one row per sync, folds syncs that found nothing, and says what was dropped', () => {
    const rows = [
      run('2026-11-28T15:00:00.000Z', [accountOutcome('TFSA')]),
      run('2026-11-28T14:00:00.000Z', [accountOutcome('TFSA')]),
      run('2026-11-28T13:00:00.000Z', [accountOutcome('TFSA', { inserted: 1018, warnings: 2, fetched: 1020 })]),
      run('2026-11-28T12:00:00.000Z', [], { status: 'FAILED', errorCode: 'server-error', message: 'HTTP 500' }),
    ];
    const entries = historyEntries(rows);
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({ kind: 'quiet', count: 2, lastAt: '2026-11-28T15:00:00.000Z' });
    expect(entries[1]).toMatchObject({
      kind: 'sync',
      headline: '1,018 new activities from 1 account',
      notes: ['TFSA: 2 records the cloud sent could not be read and were left out'],
    });
    expect(entries[2]).toMatchObject({ kind: 'sync', status: 'FAILED', notes: [] });
    expect((entries[2] as { headline: string }).headline).toMatch(/^The cloud had a problem/);
  });

  it('says account errors in plain words by their code, with the wait a 429 asked for', () => {
    const justNow = { elapsedMs: 0 };
    expect(accountProblem({ lastError: 'Pagination appears stuck', lastErrorCode: 'pagination-stuck' }, justNow)).toBe(
      'The cloud kept sending the same page of activities, so the sync stopped; what came before is kept',
    );
    expect(
      accountProblem(
        { lastError: 'Rate limited by the cloud: it asks to wait 15 s', lastErrorCode: 'rate-limited' },
        justNow,
      ),
    ).toBe('The cloud asked Folio Sync to slow down; try again in 15 s');
    expect(accountProblem({ lastError: 'Account closed', lastErrorCode: 'request-rejected' }, justNow)).toBe(
      "The cloud refused this account's activities: Account closed",
    );
    expect(accountProblem({ lastError: null, lastErrorCode: null }, justNow)).toBeNull();
  });

  it("shows the cloud's own words of a failure, never Folio Sync's sentence or a status code as if the cloud said them", () => {
    /** The message the cloud client makes of an answer, as the engine stores it. */
    const failure = (status: number, body: string) => {
      try {
        readJson({ status, body, header: () => null }, v.unknown(), 'your profile');
      } catch (error) {
        if (error instanceof CloudError) return { code: error.code, message: error.message };
      }
      throw new Error('expected a CloudError');
    };
    const said = (status: number, body: string) => {
      const { code, message } = failure(status, body);
      return cloudsOwnWords(code, message);
    };
    const words = JSON.stringify({ error: 'server_error', message: 'The service is temporarily unavailable' });
    expect(said(503, words)).toBe('The service is temporarily unavailable');
    expect(said(503, '<html>Bad gateway</html>')).toBeNull();
    expect(said(403, JSON.stringify({ message: 'Account closed' }))).toBe('Account closed');
    expect(said(403, '')).toBeNull();
    expect(cloudsOwnWords('rate-limited', 'Rate limited by the cloud: it asks to wait 5 min')).toBeNull();
    // Folio Sync's sentence about a redirect is not the cloud's.
    expect(
      cloudsOwnWords(
        'request-rejected',
        'The cloud answered with a redirect to https://x.test/, which is not followed',
      ),
    ).toBeNull();
    // Words cut for showing (their closing parenthesis with them) are still the cloud's.
    const long = failure(503, JSON.stringify({ message: 'x'.repeat(600) }));
    expect(cloudsOwnWords(long.code, showable(long.message))).toMatch(/^x{400,}…$/);
    const { code, message } = failure(404, '');
    expect(accountProblem({ lastError: message, lastErrorCode: code }, { elapsedMs: 0 })).toBe(
      "The cloud refused this account's activities",
    );
  });

  it('tells a past 429 in the history as past: no "try again in" a wait that ran out long ago', () => {
    const asked = 'Rate limited by the cloud: it asks to wait 5 min';
    const [whole, account] = historyEntries([
      run('2026-11-28T16:00:00.000Z', [], { status: 'FAILED', errorCode: 'rate-limited', message: asked }),
      run(
        '2026-11-28T15:00:00.000Z',
        [accountOutcome('RRSP', { status: 'FAILED', error: asked, errorCode: 'rate-limited' }), accountOutcome('TFSA')],
        { status: 'PARTIAL' },
      ),
    ]);
    expect(whole).toMatchObject({ kind: 'sync', headline: 'The cloud asked Folio Sync to wait 5 min' });
    expect(account).toMatchObject({ kind: 'sync', notes: ['RRSP: The cloud asked Folio Sync to wait 5 min'] });
  });

  it('says the wait a 429 asked for when the whole sync was refused, as much of it as is left', () => {
    const at = '2026-11-28T12:00:00.000Z';
    const refused = (detail: string, minutesLater: number) =>
      statusHeadline(
        { kind: 'failed', code: 'rate-limited', detail, at },
        false,
        Date.parse(at) + minutesLater * 60_000,
      );
    const asked = 'Rate limited by the cloud: it asks to wait 5 min';
    expect(refused(asked, 0)).toBe('The cloud asked Folio Sync to slow down; try again in 5 min');
    expect(refused(asked, 2)).toBe('The cloud asked Folio Sync to slow down; try again in 3 min');
    // A page's clock a minute behind the sync's start: still the whole wait, not more.
    expect(refused(asked, -1)).toBe('The cloud asked Folio Sync to slow down; try again in 5 min');
    // Hours later the wait is over: it does not still read as to come.
    expect(refused(asked, 180)).toBe('The cloud asked Folio Sync to slow down; Sync Now can try again');
    expect(refused('Rate limited by the cloud', 0)).toBe(
      'The cloud asked Folio Sync to slow down; try again in a few minutes',
    );
    // A wait it did not name is over after a few minutes too.
    expect(refused('Rate limited by the cloud', 60)).toBe(
      'The cloud asked Folio Sync to slow down; Sync Now can try again',
    );
  });

  it('headlines each status', () => {
    expect(statusHeadline({ kind: 'offline' })).toBe("You're offline; it will sync when you're back");
    expect(statusHeadline({ kind: 'unreachable' })).toMatch(/^The cloud can't be reached.+come back to the app$/);
    // In server mode the server syncs, on its schedule: the browser coming back changes nothing there.
    expect(statusHeadline({ kind: 'unreachable' }, true)).toMatch(/the server tries again on its schedule$/);
    expect(statusHeadline({ kind: 'offline' }, true)).toMatch(/follows the server when you're back$/);
    expect(statusHeadline({ kind: 'signed-out' })).toBe('Not connected');
    expect(statusHeadline({ kind: 'never' })).toBe('Not synced yet');
  });
});
