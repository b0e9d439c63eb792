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
  type ActivityView,
  countActivities,
  type ImportRunView,
  listAccounts,
  listActivities,
  listImportRuns,
} from '../../storage/views.ts';

const ACTIVITY_PAGE = 100;
const HISTORY_ROWS = 30;
/** The review queue is short by nature (a handful of doubtful activities); this bounds a pathological one. */
const REVIEW_ROWS = 500;

export interface DataModel {
  loaded: ReadonlySignal<boolean>;
  accounts: ReadonlySignal<AccountView[]>;
  lastSyncedAt: ReadonlySignal<string | null>;
  importRuns: ReadonlySignal<ImportRunView[]>;
  activities: ReadonlySignal<ActivityView[]>;
  /** The review queue: every activity waiting for a person to confirm it. */
  toReview: ReadonlySignal<ActivityView[]>;
  activityCount: ReadonlySignal<number>;
  showMoreActivities(): void;
  /** Loads the newest saved copy; calls that overlap collapse into the last one. */
  reload(): Promise<void>;
}

export function createDataModel(openReplica: () => Promise<SqlDatabase>): DataModel {
  const db = signal<SqlDatabase | null>(null);
  const activityLimit = signal(ACTIVITY_PAGE);
  let generation = 0;

  const read = <T>(query: (db: SqlDatabase) => T, empty: T) => computed(() => (db.value ? query(db.value) : empty));

  return {
    loaded: computed(() => db.value !== null),
    accounts: read(listAccounts, []),
    lastSyncedAt: read(lastSuccessfulSyncAt, null),
    importRuns: read((current) => listImportRuns(current, HISTORY_ROWS), []),
    activities: computed(() => (db.value ? listActivities(db.value, { limit: activityLimit.value, offset: 0 }) : [])),
    toReview: read((current) => listActivities(current, { limit: REVIEW_ROWS, offset: 0, needsReview: true }), []),
    activityCount: read(countActivities, 0),
    showMoreActivities() {
      activityLimit.value += ACTIVITY_PAGE;
    },
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
