/**
 * The page's read-only copy of the database, and what the views read from it. A new copy is
 * loaded whenever the service worker saves a version (any tab's sync or edit), and swapped in
 * whole, so every view updates together.
 */
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import type { SqlDatabase } from '../../storage/sqlDatabase.ts';
import { lastSuccessfulSyncAt } from '../../storage/syncState.ts';
import {
  type AccountView,
  type CashView,
  type HoldingView,
  type ImportRunView,
  listAccounts,
  listCash,
  listHoldings,
  listImportRuns,
} from '../../storage/views.ts';

const HISTORY_ROWS = 30;

export interface DataModel {
  /** The current read-only copy; null until the first load. */
  db: ReadonlySignal<SqlDatabase | null>;
  accounts: ReadonlySignal<AccountView[]>;
  lastSyncedAt: ReadonlySignal<string | null>;
  importRuns: ReadonlySignal<ImportRunView[]>;
  holdings: ReadonlySignal<HoldingView[]>;
  cash: ReadonlySignal<CashView[]>;
  /** Loads the newest saved copy; calls that overlap collapse into the last one. */
  reload(): Promise<void>;
}

export function createDataModel(openReplica: () => Promise<SqlDatabase>): DataModel {
  const db = signal<SqlDatabase | null>(null);
  let generation = 0;

  const read = <T>(query: (db: SqlDatabase) => T, empty: T) => computed(() => (db.value ? query(db.value) : empty));

  return {
    db,
    accounts: read(listAccounts, []),
    lastSyncedAt: read(lastSuccessfulSyncAt, null),
    importRuns: read((current) => listImportRuns(current, HISTORY_ROWS), []),
    holdings: read(listHoldings, []),
    cash: read(listCash, []),
    async reload() {
      const mine = ++generation;
      const next = await openReplica();
      if (mine !== generation) {
        next.close();
        return;
      }
      const previous = db.peek();
      db.value = next;
      previous?.close();
    },
  };
}
