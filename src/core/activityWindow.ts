/**
 * Which activities an account's sync asks for (docs/cloud-protocol.md, "Incremental window"; the rules and
 * why in docs/sync-rules.md, "Window"). The whole history unless every one of these holds:
 * - a whole-history sync already brought the account's history (`initial_sync_completed_at`);
 * - the cloud does not say its own import of the account is incomplete
 *   (`sync_status.transactions.initial_sync_completed` false);
 * - the cursor, `last_successful_at`, is a date, and not in the future: a clock that was ahead
 *   wrote it, and a window from it would skip what was posted in between, for good.
 * Otherwise: from the day before the last success (the overlap dedup absorbs) to today, in UTC;
 * but never from later than the day before the newest activity stored. A cursor written by a
 * clock that ran ahead looks trustworthy once real time has passed it, yet the cloud's own dates
 * say how far the history really reached: what was posted since is dated after that.
 */
import type { ImportMode } from '../storage/importRuns.ts';
import type { HistoryVerdict } from '../storage/syncState.ts';
import { DAY_MS, utcDay } from './clock.ts';

export interface ActivityWindow {
  mode: ImportMode;
  /** `YYYY-MM-DD`; both absent on a whole-history sync. */
  startDate?: string;
  endDate?: string;
}

export interface AccountCursor {
  lastSuccessfulAt: string | null;
  initialSyncCompletedAt: string | null;
  /** The date of the newest activity stored for the account. */
  newestActivityAt: string | null;
}

export function activityWindow(
  cursor: AccountCursor | undefined,
  cloudHistoryComplete: boolean | null,
  now: number,
): ActivityWindow {
  const last = cursor?.lastSuccessfulAt ? Date.parse(cursor.lastSuccessfulAt) : Number.NaN;
  const trusted = cursor?.initialSyncCompletedAt != null && cloudHistoryComplete !== false && last <= now;
  if (!trusted) return { mode: 'INITIAL' };
  const newest = cursor.newestActivityAt ? Date.parse(cursor.newestActivityAt) : Number.NaN;
  const from = Number.isNaN(newest) ? last : Math.min(last, newest);
  return { mode: 'INCREMENTAL', startDate: utcDay(from - DAY_MS), endDate: utcDay(now) };
}

/**
 * After a successful sync: a whole-history sync completes the history only when it brought some
 * and the cloud did not call its import incomplete; an empty first answer may be a cloud still
 * importing the broker's history, so the next sync asks for all of it again.
 */
export function historyVerdict(
  window: ActivityWindow,
  fetched: number,
  cloudHistoryComplete: boolean | null,
): HistoryVerdict {
  if (window.mode === 'INCREMENTAL') return 'unchanged';
  return fetched > 0 && cloudHistoryComplete !== false ? 'complete' : 'incomplete';
}
