import type { AppModels } from '../appModels.ts';
import { StateBadge } from '../components/StateBadge.tsx';
import { formatDateTime } from '../format/numbers.ts';
import { formatAgo, formatIn } from '../format/relativeTime.ts';

const number = new Intl.NumberFormat();

function SyncStatusCard({ models }: { models: AppModels }) {
  const { sync, lastSynced } = models;
  const progress = sync.progress.value;
  const attention = sync.statusLine.value.includes('attention') || sync.statusLine.value === 'Not connected';
  return (
    <section class="card" aria-labelledby="sync-status-title">
      <header class="card-header">
        <h2 id="sync-status-title">Sync Status</h2>
        <button type="button" class="primary" disabled={sync.syncing.value} onClick={() => void sync.request('manual')}>
          {sync.syncing.value ? 'Syncing…' : 'Sync Now'}
        </button>
      </header>
      <div aria-live="polite">
        <p class={`status-line${attention ? ' attention' : ''}`}>
          <span class="dot" aria-hidden="true" /> {sync.statusLine.value}
        </p>
        {progress && (
          <p class="progress">
            {progress.accountName}: page {progress.currentPage}, {number.format(progress.activitiesFetched)} activities
          </p>
        )}
        {sync.notice.value && (
          <p class="notice" role="alert">
            {sync.notice.value}
          </p>
        )}
      </div>
      <p>{lastSynced.card.value}</p>
      <p class="muted">{nextAutoSync(models)}</p>
    </section>
  );
}

/** In server mode the server's schedule; in the browser, the user's return. */
function nextAutoSync({ server, sync, now }: AppModels): string {
  if (server === null) return 'Next auto-sync: when you return to the app';
  const nextRunAt = sync.cloud.value?.server?.nextRunAt;
  if (nextRunAt === undefined) return "Next auto-sync: on the server's schedule";
  if (nextRunAt === null) return 'Next auto-sync: not scheduled';
  return `Next auto-sync: ${formatIn(Date.parse(nextRunAt), now.value)}`;
}

function AccountRows({ models }: { models: AppModels }) {
  const accounts = models.data.accounts.value;
  const now = models.now.value;
  if (accounts.length === 0) return <p class="muted">No accounts yet: they appear after the first sync.</p>;
  return (
    <ul class="account-rows">
      {accounts.map((account) => (
        <li key={account.id}>
          <div>
            <strong>{account.name}</strong> <span class="muted">{account.institution}</span>
            {account.lastError && <p class="error">{account.lastError}</p>}
          </div>
          <div class="row-end">
            <StateBadge
              status={account.syncStatus}
              syncEnabled={account.syncEnabled}
              removed={account.removedAt !== null}
            />
            {account.lastSuccessfulAt && (
              <small class="muted">{formatAgo(Date.parse(account.lastSuccessfulAt), now, 'long')}</small>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

function SyncHistory({ models }: { models: AppModels }) {
  const runs = models.data.importRuns.value;
  if (runs.length === 0) return <p class="muted">No syncs yet.</p>;
  return (
    <div class="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Account</th>
            <th scope="col">Kind</th>
            <th scope="col">Result</th>
            <th scope="col">Activities</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <td>{formatDateTime(run.startedAt)}</td>
              <td>{run.accountName}</td>
              <td>{run.mode === 'INITIAL' ? 'Initial' : 'Incremental'}</td>
              <td>{run.error ? `${run.status}: ${run.error}` : run.status}</td>
              <td>
                {run.summary
                  ? `${number.format(run.summary.fetched)} fetched, ${number.format(run.summary.inserted)} new, ${number.format(run.summary.updated)} updated`
                  : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ConnectPage({ models }: { models: AppModels }) {
  return (
    <>
      <h1>Connect</h1>
      <SyncStatusCard models={models} />
      <section class="card" aria-labelledby="accounts-title">
        <h2 id="accounts-title">Accounts</h2>
        <AccountRows models={models} />
      </section>
      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title">Sync history</h2>
        <SyncHistory models={models} />
      </section>
    </>
  );
}
