/**
 * The page's read-only copy of the database, and what the views read from it. A new copy is
 * loaded whenever the service worker saves a version (any tab's sync or edit), and swapped in
 * whole, so every view updates together.
 */
import { batch, computed, type ReadonlySignal, signal } from '@preact/signals';
import type { SqlDatabase } from '../../storage/sqlDatabase.ts';
import { lastSuccessfulSyncAt } from '../../storage/syncState.ts';
import {
  type AccountView,
  type CashView,
  type HoldingView,
  listAccounts,
  listCash,
  listHoldings,
  listSyncHistory,
  type SyncHistoryRow,
} from '../../storage/views.ts';
import { showableView } from '../format/showable.ts';

const HISTORY_ROWS = 30;

export interface DataModel {
  /** The current read-only copy; null until the first load, and while nothing is saved yet. */
  db: ReadonlySignal<SqlDatabase | null>;
  /** Whether a load has finished: from then on, no copy means no data yet. */
  loaded: ReadonlySignal<boolean>;
  accounts: ReadonlySignal<AccountView[]>;
  lastSyncedAt: ReadonlySignal<string | null>;
  /** The finished syncs, newest first (the Connect page's history). */
  syncHistory: ReadonlySignal<SyncHistoryRow[]>;
  /** The newest finished sync, or null. */
  lastSync: ReadonlySignal<SyncHistoryRow | null>;
  holdings: ReadonlySignal<HoldingView[]>;
  cash: ReadonlySignal<CashView[]>;
  /** Why the newest copy could not be loaded (this tab is older than the data), until one loads. */
  loadError: ReadonlySignal<string | null>;
  /** Loads the newest saved copy; calls that overlap collapse into the last one. Never rejects. */
  reload(): Promise<void>;
}

/** `openReplica` opens the newest saved copy, or gives null when nothing is saved (a first visit). */
export function createDataModel(openReplica: () => Promise<SqlDatabase | null>): DataModel {
  const db = signal<SqlDatabase | null>(null);
  const loaded = signal(false);
  const loadError = signal<string | null>(null);
  let generation = 0;

  // What the views read is cloud text: shown through showable (src/ui/format/showable.ts).
  const read = <T>(query: (db: SqlDatabase) => T, empty: T) =>
    computed(() => (db.value ? showableView(query(db.value)) : empty));
  const syncHistory = read((current) => listSyncHistory(current, HISTORY_ROWS), []);

  return {
    db,
    loaded,
    accounts: read(listAccounts, []),
    lastSyncedAt: read(lastSuccessfulSyncAt, null),
    syncHistory,
    lastSync: computed(() => syncHistory.value[0] ?? null),
    holdings: read(listHoldings, []),
    cash: read(listCash, []),
    loadError,
    async reload() {
      const mine = ++generation;
      let next: SqlDatabase | null;
      try {
        next = await openReplica();
      } catch (error) {
        if (mine === generation) loadError.value = error instanceof Error ? error.message : String(error);
        return;
      }
      loadError.value = null;
      // Opening took a task; drawing from the new copy takes the next one, so neither is long.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      if (mine !== generation) {
        next?.close();
        return;
      }
      const previous = db.peek();
      batch(() => {
        db.value = next;
        loaded.value = true;
      });
      previous?.close();
    },
  };
}
