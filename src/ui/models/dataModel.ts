/**
 * What the views read of the data: the replica worker's snapshot of the newest saved copy
 * (src/ui/replica/). A new one is asked for whenever the service worker saves a version (any
 * tab's sync or edit), and swapped in whole, so every view updates together.
 */
import { batch, computed, type ReadonlySignal, signal } from '@preact/signals';
import type { AccountView, CashView, HoldingView, SyncHistoryRow } from '../../storage/views.ts';
import type { Replica } from '../replica/replicaClient.ts';
import type { Snapshot } from '../replica/replicaProtocol.ts';

export interface DataModel {
  /** Counts the loads applied (0: none yet): what depends on the data asks again when it moves. */
  version: ReadonlySignal<number>;
  accounts: ReadonlySignal<AccountView[]>;
  lastSyncedAt: ReadonlySignal<string | null>;
  /** The finished syncs, newest first (the Connect page's history). */
  syncHistory: ReadonlySignal<SyncHistoryRow[]>;
  /** The newest finished sync, or null. */
  lastSync: ReadonlySignal<SyncHistoryRow | null>;
  holdings: ReadonlySignal<HoldingView[]>;
  cash: ReadonlySignal<CashView[]>;
  activityTypes: ReadonlySignal<string[]>;
  toReview: ReadonlySignal<Snapshot['toReview']>;
  /** Why the newest copy could not be loaded (this tab is older than the data), until one loads. */
  loadError: ReadonlySignal<string | null>;
  /** Loads the newest saved copy; calls that overlap collapse into the last one. Never rejects. */
  reload(): Promise<void>;
}

const EMPTY: Snapshot = {
  accounts: [],
  lastSyncedAt: null,
  syncHistory: [],
  holdings: [],
  cash: [],
  activityTypes: [],
  toReview: [],
};

/** `databaseKey` names the file the page follows (the demo cloud's, another cloud's, the server's copy). */
export function createDataModel(replica: Replica, databaseKey: () => Promise<string>): DataModel {
  const snapshot = signal<Snapshot>(EMPTY);
  const version = signal(0);
  const loadError = signal<string | null>(null);
  let generation = 0;
  const syncHistory = computed(() => snapshot.value.syncHistory);

  return {
    version,
    accounts: computed(() => snapshot.value.accounts),
    lastSyncedAt: computed(() => snapshot.value.lastSyncedAt),
    syncHistory,
    lastSync: computed(() => syncHistory.value[0] ?? null),
    holdings: computed(() => snapshot.value.holdings),
    cash: computed(() => snapshot.value.cash),
    activityTypes: computed(() => snapshot.value.activityTypes),
    toReview: computed(() => snapshot.value.toReview),
    loadError,
    async reload() {
      const mine = ++generation;
      let next: Snapshot | null;
      try {
        next = await replica.ask({ kind: 'load', key: await databaseKey() });
      } catch (error) {
        if (mine === generation) loadError.value = error instanceof Error ? error.message : String(error);
        return;
      }
      if (mine !== generation) return;
      batch(() => {
        loadError.value = null;
        snapshot.value = next ?? EMPTY;
        version.value++;
      });
    },
  };
}
