/** Everything the components read, wired once in main.tsx. */
import type { ReadonlySignal } from '@preact/signals';
import type { InstallPrompt, Route } from './models/browserModels.ts';
import type { DataModel } from './models/dataModel.ts';
import type { LastSynced } from './models/lastSyncedModel.ts';
import type { SettingsModel } from './models/settingsModel.ts';
import type { SyncModel } from './models/syncModel.ts';
import type { WorkerConnection } from './pwa/workerConnection.ts';

export interface AppModels {
  route: ReadonlySignal<Route>;
  now: ReadonlySignal<number>;
  online: ReadonlySignal<boolean>;
  install: InstallPrompt;
  worker: Pick<WorkerConnection, 'updateWaiting' | 'acceptUpdate' | 'failure'>;
  data: DataModel;
  lastSynced: LastSynced;
  sync: SyncModel;
  settings: SettingsModel;
  confirmActivity(id: string): Promise<void>;
}
