import type { ComponentChildren } from 'preact';
import type { CloudStatus, FormField } from '../../pwa/swProtocol.ts';
import type { AppModels } from '../appModels.ts';
import { bindValue } from '../components/bindValue.ts';

type SettingsModels = Pick<AppModels, 'settings' | 'sync' | 'backup' | 'server'>;

/** The app's version (package.json) and this build's id (vite.config.ts `define`). */
declare const __APP_VERSION__: string;
declare const __BUILD_ID__: string;

/** A labelled input whose error, when the last sign-in failed because of it, is shown under it. */
function Field({
  models,
  field,
  label,
  children,
}: {
  models: SettingsModels;
  field: FormField;
  label: string;
  children: (attributes: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ComponentChildren;
}) {
  const error = models.settings.fieldError.value;
  const mine = error?.field === field ? error.message : null;
  const id = `settings-${field}`;
  const errorId = `${id}-error`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children(mine ? { id, 'aria-invalid': true, 'aria-describedby': errorId } : { id })}
      {mine && (
        <span id={errorId} class="field-error">
          {mine}
        </span>
      )}
    </div>
  );
}

const signedIn = (status: CloudStatus | null) =>
  status && (status.signedIn ? ' (signed in).' : ': not connected. Sign in below to sync.');

/**
 * Which cloud, and signing in and out of it. In the browser the user chooses the cloud here; in
 * server mode the server's configuration names it, and the form only signs the server in or out.
 */
function CloudCard({ models }: { models: SettingsModels }) {
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
            <Field models={models} field="apiUrl" label="Cloud API URL">
              {(invalid) => (
                <input
                  type="url"
                  required
                  placeholder="https://api.wealthfolio.app"
                  {...invalid}
                  {...bindValue(settings.apiUrl)}
                />
              )}
            </Field>
            <Field models={models} field="authUrl" label="Auth URL">
              {(invalid) => (
                <input
                  type="url"
                  required
                  placeholder="https://auth.wealthfolio.app"
                  {...invalid}
                  {...bindValue(settings.authUrl)}
                />
              )}
            </Field>
            <label>
              Publishable key (optional)
              <input type="text" autocomplete="off" {...bindValue(settings.apiKey)} />
            </label>
          </>
        )}
        <Field models={models} field="refreshToken" label="Refresh token">
          {(invalid) => (
            <input type="password" required autocomplete="off" {...invalid} {...bindValue(settings.refreshToken)} />
          )}
        </Field>
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
              disabled={settings.busy.value || (status?.cloud === null && status.signedIn)}
              onClick={() => void settings.useDemo()}
            >
              Use the demo cloud
            </button>
          )}
        </div>
        <p aria-live="polite" class={`form-message${settings.failed.value ? ' error' : ''}`}>
          {settings.message.value}
        </p>
      </form>
    </section>
  );
}

export function SettingsPage({ models }: { models: SettingsModels }) {
  const { backup } = models;
  const server = models.server !== null;
  const staged = backup.staged.value;
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
                  if (file) backup.stageImport(file);
                }}
              />
            </label>
          )}
        </div>
        {staged && (
          // Importing replaces what is here: asked once, with what it will do, before anything changes.
          <fieldset class="confirm">
            <legend>Replace your data?</legend>
            <p>
              Replace the data synced from this cloud with <strong>{staged.name}</strong>? Export first if you may want
              it back.
            </p>
            <div class="actions">
              <button type="button" class="danger" onClick={() => void backup.confirmImport()}>
                Replace my data
              </button>
              <button type="button" onClick={() => backup.cancelImport()}>
                Cancel
              </button>
            </div>
          </fieldset>
        )}
        <p aria-live="polite" class={`form-message${backup.failed.value ? ' error' : ''}`}>
          {backup.message.value}
        </p>
      </section>
      <section class="card" aria-labelledby="about-title">
        <h2 id="about-title">About</h2>
        <p class="muted">
          Folio Sync {__APP_VERSION__} <span class="build">(build {__BUILD_ID__})</span>
        </p>
      </section>
    </>
  );
}
