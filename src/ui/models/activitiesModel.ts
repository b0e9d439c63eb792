/**
 * The activities view at any scale: filters, a search, and a window of rows. Only the rows
 * on screen (plus a few either side) are asked of the replica worker and rendered; SQLite's
 * indexes find them, and the count tells the scroll bar how tall the whole list is.
 */

import { batch, computed, effect, type ReadonlySignal, type Signal, signal } from '@preact/signals';
import type { ActivityFilter, ActivityView } from '../../storage/views.ts';
import type { Replica } from '../replica/replicaClient.ts';
import type { ActivityWindow, Viewport } from '../replica/replicaProtocol.ts';
import type { DataModel } from './dataModel.ts';

export interface ActivitiesModel {
  accountId: Signal<string>;
  type: Signal<string>;
  from: Signal<string>;
  to: Signal<string>;
  needsReview: Signal<boolean>;
  search: Signal<string>;
  types: ReadonlySignal<string[]>;
  total: ReadonlySignal<number>;
  /** Index of the first rendered row. */
  first: ReadonlySignal<number>;
  rows: ReadonlySignal<ActivityView[]>;
  /** The list shown is the newest copy's: from then on, an empty list means no match, or no data yet. */
  settled: ReadonlySignal<boolean>;
  toReview: ReadonlySignal<ActivityView[]>;
  /** Some filter or the search narrows the list. */
  filtering: ReadonlySignal<boolean>;
  /** From is after To: no activity can match. */
  datesReversed: ReadonlySignal<boolean>;
  clearFilters(): void;
  /** Tell the model what the list shows; every row is the same height, which is what lets it be windowed. */
  setViewport(viewport: Viewport): void;
}

export function createActivitiesModel(
  replica: Replica,
  data: Pick<DataModel, 'version' | 'activityTypes' | 'toReview' | 'loadedActivities' | 'followActivities'>,
): ActivitiesModel {
  const accountId = signal('');
  const type = signal('');
  const from = signal('');
  const to = signal('');
  const needsReview = signal(false);
  const search = signal('');
  const viewport = signal<Viewport>({ top: 0, height: 800, rowHeight: 40 });
  /** The newest answer, and the copy and the filter it answered for. */
  const shown = signal<ActivityWindow & { version: number; filter: ActivityFilter | null }>({
    total: 0,
    first: 0,
    rows: [],
    version: 0,
    filter: null,
  });

  const filter = computed<ActivityFilter>(() => ({
    accountId: accountId.value,
    type: type.value,
    from: from.value,
    to: to.value,
    needsReview: needsReview.value,
    search: search.value,
  }));
  const filtering = computed(() => Object.values(filter.value).some((value) => value !== '' && value !== false));

  // A new filter or scroll position, between loads: one request at a time; what changed meanwhile
  // (a scroll goes on) is asked next, only the newest of it.
  let asking = false;
  let wanted: { filter: ActivityFilter; viewport: Viewport } | null = null;
  const ask = async () => {
    if (asking) return;
    asking = true;
    try {
      while (wanted) {
        const request = wanted;
        wanted = null;
        try {
          const answer = await replica.ask({ kind: 'activities', ...request });
          // The worker answers in order: this comes from the newest copy any load so far brought.
          shown.value = { ...answer, version: data.version.peek(), filter: request.filter };
        } catch {
          // The copy could not be read: the list keeps what it shows until the next answer (a
          // load that fails says why, in the data model's banner).
        }
      }
    } finally {
      asking = false;
    }
  };
  // Each load of a new copy brings the window for what the list shows, with the other views.
  data.followActivities(() => ({ filter: filter.peek(), viewport: viewport.peek() }));
  effect(() => {
    const loaded = data.loadedActivities.value;
    if (!loaded) return;
    shown.value = loaded;
    // Asked with what the list showed when the load left; the user has since filtered or scrolled
    // (and that answer came first): ask again for what it shows now.
    if (loaded.filter !== filter.peek() || loaded.viewport !== viewport.peek()) {
      wanted = { filter: filter.peek(), viewport: viewport.peek() };
      void ask();
    }
  });

  effect(() => {
    wanted = { filter: filter.value, viewport: viewport.value };
    // Before the first load there is no copy to ask: its window comes with that load.
    if (data.version.peek() > 0) void ask();
  });

  return {
    accountId,
    type,
    from,
    to,
    needsReview,
    search,
    types: data.activityTypes,
    total: computed(() => shown.value.total),
    first: computed(() => shown.value.first),
    rows: computed(() => shown.value.rows),
    settled: computed(
      () =>
        shown.value.version > 0 && shown.value.version === data.version.value && shown.value.filter === filter.value,
    ),
    toReview: data.toReview,
    filtering,
    datesReversed: computed(() => from.value !== '' && to.value !== '' && from.value > to.value),
    clearFilters() {
      // One query for the cleared list, not one per field.
      batch(() => {
        for (const field of [accountId, type, from, to, search]) field.value = '';
        needsReview.value = false;
      });
    },
    setViewport(next) {
      viewport.value = next;
    },
  };
}
