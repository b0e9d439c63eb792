/**
 * The activities view at any scale: filters, a search, and a window of rows. Only the rows
 * on screen (plus a few either side) are queried and rendered; SQLite's indexes find them,
 * and the count tells the scroll bar how tall the whole list is.
 */

import { batch, computed, type ReadonlySignal, type Signal, signal } from '@preact/signals';
import type { SqlDatabase } from '../../storage/sqlDatabase.ts';
import {
  type ActivityFilter,
  type ActivityView,
  countActivities,
  listActivities,
  listActivityTypes,
} from '../../storage/views.ts';
import { showableView } from '../format/showable.ts';

/** Rows rendered beyond the visible ones, so a fast scroll does not show blank space. */
const OVERSCAN = 10;
/** The review queue is short by nature; this bounds a pathological one. */
const REVIEW_ROWS = 500;

/** What the list shows, in pixels: how far its top is scrolled past, how much of it fits on screen, and one row's height. */
interface Viewport {
  top: number;
  height: number;
  rowHeight: number;
}

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
  toReview: ReadonlySignal<ActivityView[]>;
  /** Some filter or the search narrows the list. */
  filtering: ReadonlySignal<boolean>;
  /** From is after To: no activity can match. */
  datesReversed: ReadonlySignal<boolean>;
  clearFilters(): void;
  /** Tell the model what the list shows; every row is the same height, which is what lets it be windowed. */
  setViewport(viewport: Viewport): void;
}

export function createActivitiesModel(db: ReadonlySignal<SqlDatabase | null>): ActivitiesModel {
  const accountId = signal('');
  const type = signal('');
  const from = signal('');
  const to = signal('');
  const needsReview = signal(false);
  const search = signal('');
  const viewport = signal<Viewport>({ top: 0, height: 800, rowHeight: 40 });

  const filter = computed<ActivityFilter>(() => ({
    accountId: accountId.value,
    type: type.value,
    from: from.value,
    to: to.value,
    needsReview: needsReview.value,
    search: search.value,
  }));
  const total = computed(() => (db.value ? countActivities(db.value, filter.value) : 0));
  const count = computed(() => Math.ceil(viewport.value.height / viewport.value.rowHeight) + 2 * OVERSCAN);
  // Clamped, so a list that shrank under a scrolled view still shows its last rows.
  const first = computed(() =>
    Math.max(
      0,
      Math.min(Math.floor(viewport.value.top / viewport.value.rowHeight) - OVERSCAN, total.value - count.value),
    ),
  );
  const filtering = computed(() => Object.values(filter.value).some((value) => value !== '' && value !== false));

  return {
    accountId,
    type,
    from,
    to,
    needsReview,
    search,
    types: computed(() => (db.value ? listActivityTypes(db.value) : [])),
    total,
    first,
    rows: computed(() =>
      db.value ? showableView(listActivities(db.value, filter.value, { limit: count.value, offset: first.value })) : [],
    ),
    toReview: computed(() =>
      db.value ? showableView(listActivities(db.value, { needsReview: true }, { limit: REVIEW_ROWS, offset: 0 })) : [],
    ),
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
