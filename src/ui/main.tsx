/**
 * The page's composition root: sql.js for the read-only copy of the database, the service
 * worker connection, the models, foreground sync triggers, and the app.
 */
import { render } from 'preact';
import initSqlJs from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import { utcDay } from '../core/clock.ts';
import { browserForegroundEvents, startForegroundSync } from '../core/foregroundSync.ts';
import { systemClock } from '../platform/realTime.ts';
import { databaseKey, loadCloudSettings } from '../pwa/cloudSettings.ts';
import { idbReader } from '../storage/sqljs/byteStore.ts';
import { openSqlJsDatabase } from '../storage/sqljs/sqlJsDatabase.ts';
import { App } from './App.tsx';
import type { AppModels } from './appModels.ts';
import { createActivitiesModel } from './models/activitiesModel.ts';
import { createBackupModel } from './models/backupModel.ts';
import { createInstallPrompt, createOnline, createRoute } from './models/browserModels.ts';
import { createDataModel } from './models/dataModel.ts';
import { createLastSynced } from './models/lastSyncedModel.ts';
import { createNow } from './models/nowModel.ts';
import { createReviewModel } from './models/reviewModel.ts';
import { createSettingsModel } from './models/settingsModel.ts';
import { createSyncModel } from './models/syncModel.ts';
import { connectWorker } from './pwa/workerConnection.ts';
import './styles.css';

const sqlJs = initSqlJs({ locateFile: () => wasmUrl });
const worker = connectWorker('/sw.js');
const clock = systemClock;

const data = createDataModel(async () =>
  openSqlJsDatabase(await sqlJs, idbReader(databaseKey(await loadCloudSettings()))),
);
const { now, refresh: refreshNow } = createNow(clock, {
  setInterval: (callback, ms) => window.setInterval(callback, ms),
  clearInterval: (handle) => window.clearInterval(handle as number),
});
const sync = createSyncModel(worker, data.accounts, () => void data.reload());
const settings = createSettingsModel(worker);

const models: AppModels = {
  route: createRoute(window),
  now,
  online: createOnline(window),
  install: createInstallPrompt(window),
  worker,
  data,
  activities: createActivitiesModel(data.db),
  review: createReviewModel(worker),
  lastSynced: createLastSynced(data.lastSyncedAt, now),
  sync,
  settings,
  backup: createBackupModel(worker, () => utcDay(clock.now())),
};

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
render(<App models={models} />, root);

await data.reload();
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
