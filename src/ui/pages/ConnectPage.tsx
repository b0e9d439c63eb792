import type { ReadonlySignal } from '@preact/signals';
import type { AccountView, SyncHistoryRow } from '../../storage/views.ts';
import type { AppModels } from '../appModels.ts';
import { badgeStatus, StateBadge } from '../components/StateBadge.tsx';
import { formatDateTime } from '../format/numbers.ts';
import { formatAgo, formatIn } from '../format/relativeTime.ts';
import {
  accountProblem,
  activitiesSoFar,
  cloudsOwnWords,
  historyEntries,
  type SyncStatus,
  statusHeadline,
  syncSummary,
  toneOf,
} from '../models/syncStatus.ts';

type ConnectModels = Pick<AppModels, 'sync' | 'data' | 'lastSynced' | 'now' | 'server'>;

function SyncStatusCard({ models }: { models: ConnectModels }) {
  const { sync, lastSynced, data } = models;
  const status = sync.status.value;
  const last = data.lastSync.value;
  const needsReview = data.accounts.value.some(
    (account) => account.syncEnabled && account.removedAt === null && account.syncStatus === 'NEEDS_REVIEW',
  );
  return (
    <section class="card" aria-labelledby="sync-status-title">
      <header class="card-header">
        <h2 id="sync-status-title">Sync Status</h2>
        <button
          type="button"
          class="primary"
          disabled={sync.syncing.value || status.kind === 'signed-out'}
          onClick={() => void sync.request('manual')}
        >
          {sync.syncing.value ? 'Syncing…' : 'Sync Now'}
        </button>
      </header>
      {/* Announced when the status changes: a sync starts, moves to the next account, or ends. */}
      <p class={`status-line tone-${toneOf(status)}`} aria-live="polite">
        <span class="dot" aria-hidden="true" />
        {/* While syncing it names the account: one line, whatever its length, so nothing below moves. */}
        <span class={status.kind === 'syncing' ? 'status-text one-line' : 'status-text'}>
          {statusHeadline(status, models.server !== null, models.now.value)}
        </span>
        {status.kind === 'signed-out' && (
          <>
            {' '}
            <a href="#/settings">Sign in</a>
          </>
        )}
      </p>
      {/* One slot of a fixed height for the summary and, while syncing, the progress: a sync's start
          and end move nothing below. The summary stays while a sync runs (it is the last one's). */}
      <div class="sync-detail">
        <p class="sync-summary" aria-live="polite">
          {last === null ? (
            'No sync has finished yet.'
          ) : // A whole-sync failure is the status line's to say; a summary tells what a sync did.
          last.errorCode === null ? (
            <>
              Last sync: {syncSummary(last)}
              {needsReview && (
                <>
                  {' '}
                  <a href="#/activities">Review it</a>
                </>
              )}
            </>
          ) : null}
        </p>
        {status.kind === 'syncing' && <SyncProgressBar status={status} />}
        {/* A failure's own words from the cloud take the summary's room, not a line below it. */}
        {status.kind === 'failed' && <CloudSaid words={cloudsOwnWords(status.code, status.detail)} />}
      </div>
      {sync.notice.value && (
        <p class="notice" role="alert">
          {sync.notice.value}
        </p>
      )}
      <p>{lastSynced.card.value}</p>
      <p class="muted">{nextAutoSync(models, status)}</p>
    </section>
  );
}

function CloudSaid({ words }: { words: string | null }) {
  return words === null ? null : <p class="muted detail">The cloud said: “{words}”</p>;
}

/** One bar for the whole sync: account k of n, the activities so far (not announced: it moves with every page). */
function SyncProgressBar({ status }: { status: Extract<SyncStatus, { kind: 'syncing' }> }) {
  const progress = status.progress;
  return (
    <div class="sync-progress">
      {progress ? (
        <progress
          aria-label="Sync progress"
          max={progress.accountCount}
          value={progress.accountNumber - 1}
          aria-valuetext={`Account ${progress.accountNumber} of ${progress.accountCount}`}
        />
      ) : (
        <progress aria-label="Sync progress" />
      )}
      <p class="muted">{progress ? activitiesSoFar(progress) : 'Asking the cloud for your accounts…'}</p>
    </div>
  );
}

/** In server mode the server's schedule; in the browser, the user's return (once signed in). */
function nextAutoSync({ server, sync, now }: ConnectModels, status: SyncStatus): string {
  if (status.kind === 'signed-out') return 'Next auto-sync: after you sign in';
  if (status.kind === 'offline' && server === null) return 'Next auto-sync: when you are back online';
  if (server === null) return 'Next auto-sync: when you return to the app';
  const nextRunAt = sync.cloud.value?.server?.nextRunAt;
  if (nextRunAt === undefined) return "Next auto-sync: on the server's schedule";
  if (nextRunAt === null) return 'Next auto-sync: not scheduled';
  return `Next auto-sync: ${formatIn(Date.parse(nextRunAt), now.value)}`;
}

function AccountRows({
  accounts,
  syncing,
  lastSync,
  now,
}: {
  accounts: AccountView[];
  syncing: boolean;
  /** The newest finished sync; null: none yet, the accounts are coming, room is kept for them. */
  lastSync: SyncHistoryRow | null;
  now: ReadonlySignal<number>;
}) {
  const firstSync = lastSync === null;
  if (accounts.length === 0) {
    return (
      <p class={syncing || firstSync ? 'muted accounts-pending' : 'muted'}>
        {syncing ? 'Asking the cloud for your accounts…' : 'No accounts yet: they appear after the first sync.'}
      </p>
    );
  }
  return (
    <ul class="account-rows">
      {accounts.map((account) => {
        // A wait the cloud asked for is told from when this account failed.
        const elapsedMs = account.statusAt ? now.value - Date.parse(account.statusAt) : 0;
        const problem = account.syncStatus === 'FAILED' ? accountProblem(account, { elapsedMs }) : null;
        return (
          <li key={account.id}>
            <div>
              <strong>{account.name}</strong> <span class="muted">{account.institution}</span>
              {problem && <p class="error">{problem}</p>}
            </div>
            <div class="row-end">
              <StateBadge
                status={badgeStatus(account, syncing)}
                syncEnabled={account.syncEnabled}
                removed={account.removedAt !== null}
              />
              {/* On every synced account, a first sync included: rows keep their height as it goes. */}
              {account.syncEnabled && account.removedAt === null && (
                <small class="muted">
                  {account.lastSuccessfulAt
                    ? `Last success: ${formatAgo(Date.parse(account.lastSuccessfulAt), now.value, 'long')}`
                    : 'No successful sync yet'}
                </small>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function SyncHistory({ models }: { models: ConnectModels }) {
  const entries = historyEntries(models.data.syncHistory.value);
  if (entries.length === 0) return <p class="muted">No syncs yet.</p>;
  return (
    <ol class="history">
      {entries.map((entry) =>
        entry.kind === 'quiet' ? (
          <li key={entry.id} class="history-quiet">
            <span class="when">{formatDateTime(entry.lastAt)}</span>
            <span>
              No new activities
              {entry.count > 1 && ` (${entry.count} syncs since ${formatDateTime(entry.startedAt)})`}
            </span>
          </li>
        ) : (
          <li key={entry.id} class={`history-${entry.status.toLowerCase()}`}>
            <span class="when">{formatDateTime(entry.startedAt)}</span>
            <span>{entry.headline}</span>
            {entry.notes.length > 0 && (
              <ul class="history-notes">
                {entry.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            )}
          </li>
        ),
      )}
    </ol>
  );
}

export function ConnectPage({ models }: { models: ConnectModels }) {
  return (
    <>
      <h1>Connect</h1>
      <SyncStatusCard models={models} />
      <section class="card" aria-labelledby="accounts-title">
        <h2 id="accounts-title">Accounts</h2>
        <AccountRows
          accounts={models.data.accounts.value}
          syncing={models.sync.syncing.value}
          lastSync={models.data.lastSync.value}
          now={models.now}
        />
      </section>
      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title">Sync history</h2>
        <SyncHistory models={models} />
      </section>
    </>
  );
}
