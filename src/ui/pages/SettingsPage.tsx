import type { CloudStatus } from '../../pwa/swProtocol.ts';
import type { AppModels } from '../appModels.ts';
import { bindValue } from '../components/bindValue.ts';

const signedIn = (status: CloudStatus | null) => status && (status.signedIn ? ' (signed in).' : ' (not signed in).');

/**
 * Which cloud, and signing in and out of it. In the browser the user chooses the cloud here; in
 * server mode the server's configuration names it, and the form only signs the server in or out.
 */
function CloudCard({ models }: { models: AppModels }) {
  const { settings, sync } = models;
  const status = sync.cloud.value;
  const server = models.server !== null;
  const source = status?.cloud?.apiUrl;
  return (
    <section class="card" aria-labelledby="cloud-title">
      <h2 id="cloud-title">Cloud</h2>
      {server ? (
        <p>
          {source ? `This server syncs from ${source}` : 'This server syncs from its built-in demo cloud'}
          {signedIn(status)} The cloud is part of the server's configuration (<code>FOLIO_API_URL</code>,{' '}
          <code>FOLIO_AUTH_URL</code>).
        </p>
      ) : (
        <p>
          {source ? `Syncing from ${source}` : 'Syncing from the built-in demo cloud'}
          {signedIn(status)}
        </p>
      )}
      <form
        class="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          void settings.signIn();
        }}
      >
        {!server && (
          <>
            <label>
              Cloud API URL
              <input type="url" required placeholder="https://api.wealthfolio.app" {...bindValue(settings.apiUrl)} />
            </label>
            <label>
              Auth URL
              <input type="url" required placeholder="https://auth.wealthfolio.app" {...bindValue(settings.authUrl)} />
            </label>
            <label>
              Publishable key (optional)
              <input type="text" autocomplete="off" {...bindValue(settings.apiKey)} />
            </label>
          </>
        )}
        <label>
          Refresh token
          <input type="password" required autocomplete="off" {...bindValue(settings.refreshToken)} />
        </label>
        <div class="actions">
          <button type="submit" class="primary" disabled={settings.busy.value}>
            Sign in
          </button>
          <button
            type="button"
            disabled={settings.busy.value || !status?.signedIn}
            onClick={() => void settings.signOut()}
          >
            Sign out
          </button>
          {!server && (
            <button
              type="button"
              disabled={settings.busy.value || status?.cloud === null}
              onClick={() => void settings.useDemo()}
            >
              Use the demo cloud
            </button>
          )}
        </div>
        <p aria-live="polite" class="form-message">
          {settings.message.value}
        </p>
      </form>
    </section>
  );
}

export function SettingsPage({ models }: { models: AppModels }) {
  const { sync, backup } = models;
  const status = sync.cloud.value;
  const server = models.server !== null;
  return (
    <>
      <h1>Settings</h1>
      <CloudCard models={models} />
      <section class="card" aria-labelledby="backup-title">
        <h2 id="backup-title">Backup</h2>
        {server ? (
          <p>
            Export the server's data, as this browser holds it, as a <code>.sqlite</code> file (it opens in the{' '}
            <code>sqlite3</code> shell). The server's own database lives in its <code>DATA_DIR</code>.
          </p>
        ) : (
          <p>
            Export this cloud's database as a <code>.sqlite</code> file (it opens in the <code>sqlite3</code> shell), or
            import one back. Importing replaces the data synced from the current cloud.
          </p>
        )}
        <div class="actions">
          <button type="button" disabled={backup.busy.value} onClick={() => void backup.exportFile()}>
            Export database
          </button>
          {!server && (
            <label class="file-button">
              Import database…
              <input
                type="file"
                accept=".sqlite,.sqlite3,.db,application/vnd.sqlite3,application/x-sqlite3"
                disabled={backup.busy.value}
                onChange={(event) => {
                  const input = event.currentTarget as HTMLInputElement;
                  const file = input.files?.[0];
                  input.value = '';
                  if (file) void backup.importFile(file);
                }}
              />
            </label>
          )}
        </div>
        <p aria-live="polite" class="form-message">
          {backup.message.value}
        </p>
      </section>
      <section class="card" aria-labelledby="about-title">
        <h2 id="about-title">About</h2>
        <p class="muted">Version {status?.version ?? 'unknown'}</p>
      </section>
    </>
  );
}
