/**
 * The activities view at any scale: filters, a search, and a window of rows. Only the rows
 * on screen (plus a few either side) are queried and rendered; SQLite's indexes find them,
 * and the count tells the scroll bar how tall the whole list is.
 */
import { computed, type ReadonlySignal, type Signal, signal } from '@preact/signals';
import type { SqlDatabase } from '../../storage/sqlDatabase.ts';
import {
  type ActivityFilter,
  type ActivityView,
  countActivities,
  listActivities,
  listActivityTypes,
} from '../../storage/views.ts';

/** Every row is this tall (CSS keeps it so), which is what lets the list be windowed. */
export const ROW_HEIGHT = 40;
/** Rows rendered beyond the visible ones, so a fast scroll does not show blank space. */
const OVERSCAN = 10;
/** The review queue is short by nature; this bounds a pathological one. */
const REVIEW_ROWS = 500;

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
  /** Tell the model what the list shows: its scroll offset and height, in pixels. */
  setViewport(scrollTop: number, height: number): void;
}

export function createActivitiesModel(db: ReadonlySignal<SqlDatabase | null>): ActivitiesModel {
  const accountId = signal('');
  const type = signal('');
  const from = signal('');
  const to = signal('');
  const needsReview = signal(false);
  const search = signal('');
  const scrollTop = signal(0);
  const height = signal(800);

  const filter = computed<ActivityFilter>(() => ({
    accountId: accountId.value,
    type: type.value,
    from: from.value,
    to: to.value,
    needsReview: needsReview.value,
    search: search.value,
  }));
  const total = computed(() => (db.value ? countActivities(db.value, filter.value) : 0));
  const count = computed(() => Math.ceil(height.value / ROW_HEIGHT) + 2 * OVERSCAN);
  // Clamped, so a list that shrank under a scrolled view still shows its last rows.
  const first = computed(() =>
    Math.max(0, Math.min(Math.floor(scrollTop.value / ROW_HEIGHT) - OVERSCAN, total.value - count.value)),
  );

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
      db.value ? listActivities(db.value, filter.value, { limit: count.value, offset: first.value }) : [],
    ),
    toReview: computed(() =>
      db.value ? listActivities(db.value, { needsReview: true }, { limit: REVIEW_ROWS, offset: 0 }) : [],
    ),
    setViewport(top, visibleHeight) {
      scrollTop.value = top;
      height.value = visibleHeight;
    },
  };
}
