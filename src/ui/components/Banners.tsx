import { SERVER_SIGNIN_PATH } from '../../pwa/serverMode.ts';
import type { AppModels } from '../appModels.ts';

/** Offline, update and install notices across the top of every page. */
export function Banners({
  models,
}: {
  models: Pick<AppModels, 'online' | 'worker' | 'server' | 'install' | 'sync' | 'data'>;
}) {
  const { online, worker, server, install, sync, data } = models;
  // Only accounts that sync are news (the engine names no excluded one: docs/sync-rules.md, "One sync").
  const found = sync.newAccounts.value;
  return (
    <div class="banners">
      {!online.value && (
        <p class="banner banner-offline" role="status">
          <strong>Offline.</strong> You are seeing the data saved on this device; it syncs when you are back online.
        </p>
      )}
      {worker.failure.value && (
        <p class="banner banner-error" role="alert">
          {worker.failure.value}
        </p>
      )}
      {server?.locked.value && (
        <p class="banner banner-error" role="alert">
          This server asks for its secret before it shows or syncs anything. <a href={SERVER_SIGNIN_PATH}>Sign in</a>
        </p>
      )}
      {data.loadError.value && (
        <p class="banner banner-error" role="alert">
          This tab could not load the latest data ({data.loadError.value}).{' '}
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </p>
      )}
      {worker.updateWaiting.value && (
        <p class="banner banner-update" role="status">
          Update available —{' '}
          <button type="button" onClick={() => void worker.acceptUpdate()}>
            Reload
          </button>
        </p>
      )}
      {found.length > 0 && (
        <p class="banner banner-new" role="status">
          New accounts found: {found.map((account) => account.name).join(', ')}. <a href="#/accounts">View accounts</a>{' '}
          <button type="button" class="small" onClick={() => sync.dismissNewAccounts()}>
            Dismiss
          </button>
        </p>
      )}
      {install.available.value && (
        <p class="banner banner-install">
          <button type="button" onClick={() => void install.install()}>
            Install Folio Sync
          </button>
        </p>
      )}
    </div>
  );
}
