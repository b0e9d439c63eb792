/**
 * What the app says about syncing, derived in one place from one set of facts: whether the
 * worker (or server) is syncing, whether the cloud accepted a sign-in, whether the browser is
 * online, the last finished sync as the database recorded it, and the accounts. Every page reads
 * this shape, and failures are told by their stored code; the one thing read from a sentence is
 * the wait a 429 asked for, which only the cloud client's message carries. Which failure belongs
 * to whom is in docs/sync-rules.md, "Failures".
 */
import type { AccountView, SyncHistoryRow } from '../../storage/views.ts';
import { waitWords } from '../../transport/cloudError.ts';

/** How far a running sync has come: account k of n, and the activities fetched so far. */
export interface OverallProgress {
  accountName: string;
  accountNumber: number;
  accountCount: number;
  activities: number;
}

export type SyncStatus =
  | { kind: 'syncing'; progress: OverallProgress | null }
  | { kind: 'signed-out' }
  | { kind: 'offline' }
  /** The last sync could not reach the cloud while the browser was online. */
  | { kind: 'unreachable' }
  /** The last sync failed as a whole (not an account's failure): its code, the engine's sentence, when it ended. */
  | { kind: 'failed'; code: string; detail: string | null; at: string }
  | { kind: 'attention'; accounts: AccountView[] }
  | { kind: 'ok' }
  | { kind: 'never' };

export interface StatusFacts {
  syncing: boolean;
  progress: OverallProgress | null;
  /** Null until the worker said. */
  signedIn: boolean | null;
  online: boolean;
  /** The newest finished sync that did something, or null. */
  lastSync: SyncHistoryRow | null;
  accounts: AccountView[];
}

/** Only accounts still synced can need attention: not those excluded, nor those the cloud no longer lists. */
const needsAttention = (account: AccountView): boolean =>
  account.syncEnabled &&
  account.removedAt === null &&
  (account.syncStatus === 'FAILED' || account.syncStatus === 'NEEDS_REVIEW');

export function deriveStatus(facts: StatusFacts): SyncStatus {
  if (facts.syncing) return { kind: 'syncing', progress: facts.progress };
  if (facts.signedIn === false) return { kind: 'signed-out' };
  if (!facts.online) return { kind: 'offline' };
  // A sync run carries an error code only when it failed or stopped as a whole (brokerSync.ts),
  // even if some accounts synced before it stopped.
  const last = facts.lastSync;
  if (last && last.errorCode !== null) {
    if (last.errorCode === 'network') return { kind: 'unreachable' };
    return { kind: 'failed', code: last.errorCode, detail: last.message, at: last.finishedAt };
  }
  const attention = facts.accounts.filter(needsAttention);
  if (attention.length > 0) return { kind: 'attention', accounts: attention };
  if (facts.accounts.some((account) => account.syncStatus !== null)) return { kind: 'ok' };
  return { kind: 'never' };
}

/** Green for fine, amber for something to look at, grey for neither. */
export type Tone = 'ok' | 'warn' | 'neutral';

export const toneOf = (status: SyncStatus): Tone =>
  status.kind === 'ok'
    ? 'ok'
    : status.kind === 'attention' || status.kind === 'failed' || status.kind === 'unreachable'
      ? 'warn'
      : 'neutral';

const count = new Intl.NumberFormat('en-US');

/** How long a 429 asked to wait, in ms, read back from the cloud client's message (cloudError.ts `waitWords`). */
const askedWaitMs = (message: string | null): number | null => {
  const [, amount, unit] = message?.match(/it asks to wait (\d+) (s|min)$/) ?? [];
  return amount === undefined ? null : Number(amount) * (unit === 's' ? 1000 : 60_000);
};

/**
 * The cloud's own words in a failure's message, if it sent any (transport/cloudJson.ts writes a
 * 5xx as "The cloud failed on … (HTTP 503: its words)", and a refusal as its words or, without
 * them, "The cloud refused … (HTTP 403)"; platform/fetchHttp.ts a redirect as "The cloud answered
 * with a redirect …"). Null when the sentence is Folio Sync's, which must not be shown as the
 * cloud's, nor its status code to a user. A message cut for showing (showable.ts) keeps its words.
 */
export function cloudsOwnWords(code: string | null, message: string | null): string | null {
  if (message === null) return null;
  switch (code) {
    case 'server-error':
      return message.match(/\(HTTP \d{3}: (.+?)\)?$/s)?.[1] ?? null;
    case 'request-rejected':
      return /^The cloud (refused .+ \(HTTP \d{3}\)|answered with a redirect)/s.test(message) ? null : message;
    default:
      return null;
  }
}

/**
 * Whether words describe a past sync in the history ('then'), or the present, knowing how long
 * ago the failure came: a wait that has run out must not read as still to come.
 */
export type Tense = 'then' | { elapsedMs: number };

/** "A few minutes", for a 429 that named no wait: after this, it is over. */
const UNSAID_WAIT_MS = 5 * 60_000;

const slowDown = (message: string | null, tense: Tense): string => {
  const asked = askedWaitMs(message);
  if (tense === 'then')
    return asked === null
      ? 'The cloud asked Folio Sync to slow down'
      : `The cloud asked Folio Sync to wait ${waitWords(asked)}`;
  // The clock a page reads ticks by the minute: a failure it has not caught up with is just now.
  const left = (asked ?? UNSAID_WAIT_MS) - Math.max(0, tense.elapsedMs);
  if (left <= 0) return 'The cloud asked Folio Sync to slow down; Sync Now can try again';
  return `The cloud asked Folio Sync to slow down; try again ${asked === null ? 'in a few minutes' : `in ${waitWords(left)}`}`;
};

/** A whole-sync failure in words a user can act on, by its code (and a 429's wait, from its message). */
function failedHeadline(code: string, detail: string | null, tense: Tense): string {
  switch (code) {
    case 'server-error':
      return 'The cloud had a problem answering; your data here is safe. Try again later';
    case 'malformed-response':
      return 'The cloud sent an answer Folio Sync could not read; nothing of it was saved';
    case 'rate-limited':
      return slowDown(detail, tense);
    case 'connection-lost':
    case 'timeout':
      return 'The connection to the cloud dropped during the sync; the next one picks up from there';
    case 'interrupted':
      return 'The last sync was interrupted; the next one fetches what it missed';
    case 'no-plan':
      return 'Broker sync needs a paid Wealthfolio Connect plan';
    case 'request-rejected':
      return 'The cloud refused the sync';
    default:
      return 'The last sync failed';
  }
}

/** The Sync Status card's line (docs/sync-rules.md, "What the app says"); `now` tells a wait that ran out. */
export function statusHeadline(status: SyncStatus, serverMode = false, now = Date.now()): string {
  switch (status.kind) {
    case 'syncing':
      return status.progress
        ? `Syncing account ${status.progress.accountNumber} of ${status.progress.accountCount}: ${status.progress.accountName}`
        : 'Syncing: asking the cloud for your accounts';
    case 'signed-out':
      return 'Not connected';
    case 'offline':
      return serverMode
        ? "You're offline; this is the copy on this device, and it follows the server when you're back"
        : "You're offline; it will sync when you're back";
    case 'unreachable':
      return serverMode
        ? "The cloud can't be reached right now; the server tries again on its schedule"
        : "The cloud can't be reached right now; it will try again when you come back to the app";
    case 'failed':
      return failedHeadline(status.code, status.detail, { elapsedMs: now - Date.parse(status.at) });
    case 'attention': {
      const n = status.accounts.length;
      return `${count.format(n)} account${n === 1 ? ' needs' : 's need'} attention`;
    }
    case 'ok':
      return 'All accounts synced';
    case 'never':
      return 'Not synced yet';
  }
}

/** "1,234 activities so far", across the sync's accounts. */
export const activitiesSoFar = (progress: OverallProgress): string =>
  `${count.format(progress.activities)} ${progress.activities === 1 ? 'activity' : 'activities'} so far`;

/** An account's last error in plain words, by its code; the cloud's own words where they help. */
export function accountProblem(account: Pick<AccountView, 'lastError' | 'lastErrorCode'>, tense: Tense): string | null {
  const message = account.lastError;
  if (message === null) return null;
  switch (account.lastErrorCode) {
    case 'rate-limited':
      return slowDown(message, tense);
    case 'pagination-stuck':
      return 'The cloud kept sending the same page of activities, so the sync stopped; what came before is kept';
    case 'too-many-pages':
      return 'The cloud sent more pages of activities than any history has, so the sync stopped';
    case 'server-error':
      return 'The cloud had a problem with this account; the next sync tries again';
    case 'malformed-response':
      return 'The cloud sent activities Folio Sync could not read; nothing of that page was saved';
    case 'network':
    case 'timeout':
      return 'The connection dropped while syncing this account; the next sync picks up from there';
    case 'interrupted':
      return 'The sync was interrupted (the app closed); the next sync fetches what it missed';
    case 'request-rejected': {
      const words = cloudsOwnWords('request-rejected', message);
      return `The cloud refused this account's activities${words ? `: ${words}` : ''}`;
    }
    default:
      return message;
  }
}

export type HistoryEntry =
  | {
      kind: 'sync';
      id: number;
      startedAt: string;
      status: SyncHistoryRow['status'];
      /** What happened, in words: "12 new activities in 2 accounts", "Failed: …". */
      headline: string;
      /** Per account, only what is worth a line: failures, reviews, dropped records. */
      notes: string[];
    }
  /** Syncs in a row that found nothing new, as one row. */
  | { kind: 'quiet'; id: number; startedAt: string; lastAt: string; count: number };

interface StoredOutcome {
  accountName: string;
  status: string;
  error: string | null;
  errorCode: string | null;
  inserted: number;
  updated: number;
  warnings: number;
}

/** The accounts of a stored sync result, read defensively: files from older builds differ. */
function outcomesOf(result: unknown): StoredOutcome[] {
  const accounts = (result as { accounts?: unknown } | null)?.accounts;
  if (!Array.isArray(accounts)) return [];
  return accounts.flatMap((raw: Record<string, unknown>) =>
    typeof raw.accountName === 'string' && typeof raw.status === 'string'
      ? [
          {
            accountName: raw.accountName,
            status: raw.status,
            error: typeof raw.error === 'string' ? raw.error : null,
            errorCode: typeof raw.errorCode === 'string' ? raw.errorCode : null,
            inserted: Number(raw.inserted) || 0,
            updated: Number(raw.updated) || 0,
            warnings: Number(raw.warnings) || 0,
          },
        ]
      : [],
  );
}

/** "5,717 new activities from 4 accounts; 1 needs review": a finished sync in one line, as the history tells it. */
export function syncSummary(row: Pick<SyncHistoryRow, 'errorCode' | 'message' | 'result'>): string {
  if (row.errorCode !== null) {
    return row.errorCode === 'network'
      ? "The cloud couldn't be reached"
      : failedHeadline(row.errorCode, row.message, 'then');
  }
  const outcomes = outcomesOf(row.result);
  const inserted = outcomes.reduce((sum, outcome) => sum + outcome.inserted, 0);
  const updated = outcomes.reduce((sum, outcome) => sum + outcome.updated, 0);
  const parts = [
    inserted === 0 && updated === 0
      ? 'No new activities'
      : `${count.format(inserted)} new ${inserted === 1 ? 'activity' : 'activities'}${updated > 0 ? `, ${count.format(updated)} updated` : ''} from ${count.format(outcomes.length)} account${outcomes.length === 1 ? '' : 's'}`,
  ];
  const review = outcomes.filter((outcome) => outcome.status === 'NEEDS_REVIEW').length;
  if (review > 0) parts.push(`${review} need${review === 1 ? 's' : ''} review`);
  const failed = outcomes.filter((outcome) => outcome.status === 'FAILED').length;
  if (failed > 0) parts.push(`${failed} failed`);
  return parts.join('; ');
}

const isQuiet = (row: SyncHistoryRow): boolean =>
  row.status === 'SUCCEEDED' &&
  outcomesOf(row.result).every((outcome) => outcome.inserted === 0 && outcome.updated === 0 && outcome.warnings === 0);

/** The sync history, one row per sync (newest first), with syncs in a row that found nothing folded into one. */
export function historyEntries(rows: readonly SyncHistoryRow[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const row of rows) {
    const previous = entries.at(-1);
    if (isQuiet(row)) {
      if (previous?.kind === 'quiet') {
        previous.count++;
        previous.startedAt = row.startedAt;
      } else {
        entries.push({ kind: 'quiet', id: row.id, startedAt: row.startedAt, lastAt: row.startedAt, count: 1 });
      }
      continue;
    }
    const notes = outcomesOf(row.result).flatMap((outcome) => {
      const lines: string[] = [];
      if (outcome.status === 'FAILED') {
        lines.push(
          `${outcome.accountName}: ${accountProblem({ lastError: outcome.error, lastErrorCode: outcome.errorCode }, 'then')}`,
        );
      }
      if (outcome.status === 'NEEDS_REVIEW') lines.push(`${outcome.accountName}: an activity needs review`);
      if (outcome.warnings > 0) {
        lines.push(
          `${outcome.accountName}: ${count.format(outcome.warnings)} record${outcome.warnings === 1 ? '' : 's'} the cloud sent could not be read and ${outcome.warnings === 1 ? 'was' : 'were'} left out`,
        );
      }
      return lines;
    });
    entries.push({
      kind: 'sync',
      id: row.id,
      startedAt: row.startedAt,
      status: row.status,
      headline: syncSummary(row),
      notes,
    });
  }
  return entries;
}
