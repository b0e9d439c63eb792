/** Everything the components read, wired once in main.tsx. */
import type { ReadonlySignal } from '@preact/signals';
import type { ActivitiesModel } from './models/activitiesModel.ts';
import type { BackupModel } from './models/backupModel.ts';
import type { InstallPrompt, Route } from './models/browserModels.ts';
import type { DataModel } from './models/dataModel.ts';
import type { LastSynced } from './models/lastSyncedModel.ts';
import type { ReviewModel } from './models/reviewModel.ts';
import type { SettingsModel } from './models/settingsModel.ts';
import type { SyncModel } from './models/syncModel.ts';
import type { ServerConnection } from './pwa/serverConnection.ts';
import type { WorkerConnection } from './pwa/workerConnection.ts';

export interface AppModels {
  route: ReadonlySignal<Route>;
  now: ReadonlySignal<number>;
  online: ReadonlySignal<boolean>;
  install: InstallPrompt;
  worker: Pick<WorkerConnection, 'updateWaiting' | 'acceptUpdate' | 'failure'>;
  /** Set in server mode: the server syncs, and may want its secret first. */
  server: Pick<ServerConnection, 'locked'> | null;
  data: DataModel;
  activities: ActivitiesModel;
  review: ReviewModel;
  lastSynced: LastSynced;
  sync: SyncModel;
  settings: SettingsModel;
  backup: BackupModel;
}
