/**
 * What the views read of the data: the replica worker's snapshot of the newest saved copy
 * (src/ui/replica/), with the activity window on screen from the same copy. A new one is asked
 * for whenever the service worker saves a version (any tab's sync or edit), and swapped in whole,
 * so every view updates together.
 */
import { batch, computed, type ReadonlySignal, signal } from '@preact/signals';
import { errorMessage } from '../../core/syncOutcome.ts';
import type { AccountView, CashView, HoldingView, SyncHistoryRow } from '../../storage/views.ts';
import type { Replica } from '../replica/replicaClient.ts';
import type { ActivityQuery, ActivityWindow, Loaded, Snapshot } from '../replica/replicaProtocol.ts';

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
  /** The activity window each load brought, for the query it was asked with (activitiesModel.ts). */
  loadedActivities: ReadonlySignal<(ActivityWindow & ActivityQuery & { version: number }) | null>;
  /** What the activity list shows, asked with every load: its window comes with the other views. */
  followActivities(query: () => ActivityQuery): void;
  /** Why the newest copy could not be loaded (this tab is older than the data), until one loads. */
  loadError: ReadonlySignal<string | null>;
  /** Loads the newest saved copy; calls that overlap collapse into the last one. Never rejects. */
  reload(): Promise<void>;
}

/** Until an activity list says what it shows: the top of the unfiltered list. */
const NO_QUERY: ActivityQuery = { filter: {}, viewport: { top: 0, height: 800, rowHeight: 40 } };

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
  const loadedActivities = signal<DataModel['loadedActivities']['value']>(null);
  let activityQuery = () => NO_QUERY;
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
    loadedActivities,
    followActivities(query) {
      activityQuery = query;
    },
    loadError,
    async reload() {
      const mine = ++generation;
      let query = NO_QUERY;
      let next: Loaded;
      try {
        const key = await databaseKey();
        // Read as the request leaves: a filter typed while the key was read is in it.
        query = activityQuery();
        next = await replica.ask({ kind: 'load', key, ...query });
      } catch (error) {
        if (mine === generation) loadError.value = errorMessage(error);
        return;
      }
      if (mine !== generation) return;
      batch(() => {
        loadError.value = null;
        snapshot.value = next.snapshot ?? EMPTY;
        version.value++;
        loadedActivities.value = { ...next.activities, version: version.peek(), ...query };
      });
    },
  };
}
