/**
 * The page's composition root: the replica worker that keeps this tab's read-only copy of the
 * database, the service worker connection, the models, foreground sync triggers, and the app.
 */

import { computed } from '@preact/signals';
import { render } from 'preact';
import { utcDay } from '../core/clock.ts';
import { browserForegroundEvents, startForegroundSync } from '../core/foregroundSync.ts';
import { systemClock } from '../platform/realTime.ts';
import { databaseKey, loadAppMode, loadCloudSettings, saveAppMode } from '../pwa/cloudSettings.ts';
import { SERVER_DATABASE_KEY } from '../pwa/serverMode.ts';
import type { Command, CommandMap, CommandName } from '../pwa/swProtocol.ts';
import { App } from './App.tsx';
import type { AppModels } from './appModels.ts';
import { createActivitiesModel } from './models/activitiesModel.ts';
import { createBackupModel } from './models/backupModel.ts';
import { createInstallPrompt, createOnline, createRoute, firstPaint } from './models/browserModels.ts';
import { createDataModel } from './models/dataModel.ts';
import { createLastSynced } from './models/lastSyncedModel.ts';
import { createNow } from './models/nowModel.ts';
import { createReviewModel } from './models/reviewModel.ts';
import { createSettingsModel } from './models/settingsModel.ts';
import { createSyncModel } from './models/syncModel.ts';
import { connectServer, detectAppMode } from './pwa/serverConnection.ts';
import { connectWorker, type WorkerConnection } from './pwa/workerConnection.ts';
import { connectReplica } from './replica/replicaClient.ts';
import './styles.css';

/** Changes with every build (vite.config.ts `define`). */
declare const __BUILD_ID__: string;

const painted = firstPaint(window);
// Started once the first screen is painted: its script and sql.js's wasm are not needed for it.
const replica = connectReplica(
  painted.then(() => new Worker(new URL('./replica/replicaWorker.ts', import.meta.url), { type: 'module' })),
);
const worker = connectWorker('/sw.js');
const clock = systemClock;
// Before the first await: the browser fires these once, possibly while the page is still starting.
const route = createRoute(window);
const online = createOnline(window);
const install = createInstallPrompt(window);

// Served by a Folio Sync server, the app follows it and syncs nothing itself (docs/architecture.md,
// "Server mode"). Known to be one, the page waits for the server's state. Otherwise it is drawn at
// once, the browser syncing by itself, and the question asked once it is painted, as the replica
// worker is started then: nothing on the network delays the first screen. Its commands to the
// service worker wait for the answer.
const remembered = await loadAppMode();
const detect = () => detectAppMode((input, init) => fetch(input, init), remembered);
const detected = remembered === 'server' ? await detect() : { mode: 'browser' as const, state: null, locked: false };
const detection = remembered === 'server' ? Promise.resolve(detected) : painted.then(detect);
/**
 * Settles once the mode the page started in is confirmed. When it was not, the page reloads (and
 * this never settles); if the answer could not even be kept, reloading would only start the same
 * way again: this fails, and so does every command, saying so.
 */
const confirmed = detection.then(async (found) => {
  const saved = await saveAppMode(found.mode).then(
    () => true,
    () => false,
  );
  if (found.mode === detected.mode) return;
  if (!saved)
    throw new Error('A Folio Sync server serves this address, but this browser could not keep that: reload the page');
  // A Folio Sync server serves this address now: start again as its page, before any sync here.
  location.reload();
  await new Promise<never>(() => undefined);
});
const server =
  detected.mode === 'server'
    ? connectServer({
        worker,
        fetch: (input, init) => fetch(input, init),
        openEvents: (url) => new EventSource(url),
        version: __BUILD_ID__,
        initial: detected.state,
        locked: detected.locked,
        warn: (message) => console.warn(message),
      })
    : null;
/** A command to the service worker waits until the page is known not to be a server's. */
async function sendOnceConfirmed<K extends CommandName>(
  command: Extract<Command, { type: K }>,
): Promise<CommandMap[K]['reply']> {
  await confirmed;
  return worker.send(command);
}
const backend: Pick<WorkerConnection, 'send' | 'onBroadcast'> = server ?? {
  send: sendOnceConfirmed,
  onBroadcast: (listener) => worker.onBroadcast(listener),
};
const currentDatabaseKey = async () => (server ? SERVER_DATABASE_KEY : databaseKey(await loadCloudSettings()));

const data = createDataModel(replica, currentDatabaseKey);
const { now, refresh: refreshNow } = createNow(clock, {
  setInterval: (callback, ms) => window.setInterval(callback, ms),
  clearInterval: (handle) => window.clearInterval(handle as number),
});
const sync = createSyncModel({
  worker: backend,
  accounts: data.accounts,
  lastSync: data.lastSync,
  online,
  onDataChanged: () => void data.reload(),
});
const settings = createSettingsModel(backend);

const models: AppModels = {
  route,
  now,
  online,
  install,
  worker,
  server: server ? { locked: server.locked } : null,
  data,
  activities: createActivitiesModel(replica, data),
  review: createReviewModel(backend),
  lastSynced: createLastSynced(
    data.lastSyncedAt,
    computed(() => {
      const last = data.lastSync.value;
      return last && last.status !== 'SUCCEEDED' ? last.startedAt : null;
    }),
    now,
  ),
  sync,
  settings,
  backup: createBackupModel(backend, currentDatabaseKey, () => utcDay(clock.now())),
};

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
render(<App models={models} />, root);

await data.reload();
// Nothing below syncs on a page whose mode is unknown: the failure is said by each command.
await confirmed.catch((error: unknown) => {
  console.error(error);
  return new Promise<never>(() => undefined);
});
await sync.refreshStatus();
settings.fill(sync.cloud.value);
// App start, focus, visibility, bfcache restore and reconnecting each ask for an automatic
// (throttled) sync; the worker joins them into one.
startForegroundSync(
  () => {
    refreshNow();
    return sync.request('auto');
  },
  browserForegroundEvents(window, document),
  (error) => console.error(error),
);
