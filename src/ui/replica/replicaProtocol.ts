/**
 * What a page asks of its replica worker, and what it answers (docs/architecture.md, "The
 * page's copy"). The page holds no database: a dedicated worker per tab keeps the read-only copy,
 * reloads it when a save lands, and answers with the rows the page shows, so opening a large
 * file never blocks the page.
 */
import type {
  AccountView,
  ActivityFilter,
  ActivityView,
  CashView,
  HoldingView,
  SyncHistoryRow,
} from '../../storage/views.ts';

/** What every page draws from, read at once after each load. */
export interface Snapshot {
  accounts: AccountView[];
  lastSyncedAt: string | null;
  /** The finished syncs, newest first. */
  syncHistory: SyncHistoryRow[];
  holdings: HoldingView[];
  cash: CashView[];
  activityTypes: string[];
  /** The activities waiting for review, oldest first. */
  toReview: ActivityView[];
}

/** What the activity list shows, in pixels: how far its top is scrolled past, how much fits on screen, one row's height. */
export interface Viewport {
  top: number;
  height: number;
  rowHeight: number;
}

/** The rows on screen (and a few either side) of the filtered list, and where they start in it. */
export interface ActivityWindow {
  total: number;
  first: number;
  rows: ActivityView[];
}

/** What the activity list asks for: its filter, and what of it is on screen. */
export interface ActivityQuery {
  filter: ActivityFilter;
  viewport: Viewport;
}

/** A load's answer: the views and the activity window of the same copy, shown together. */
export interface Loaded {
  /** Null: nothing is saved there yet. */
  snapshot: Snapshot | null;
  activities: ActivityWindow;
}

export type ReplicaRequest =
  /** Open the newest saved copy of the file at `key`, and answer from it. */
  ({ kind: 'load'; key: string } & ActivityQuery) | ({ kind: 'activities' } & ActivityQuery);

export type ReplicaAnswer<R extends ReplicaRequest> = R extends { kind: 'load' } ? Loaded : ActivityWindow;

export interface ReplicaMessage {
  id: number;
  request: ReplicaRequest;
}

export type ReplicaReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** Either end of the channel: a Worker, the worker's own global scope, or a MessagePort in tests. */
export interface ReplicaPort {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  /** A worker whose script failed (it answers nothing more), or an answer that could not be read. */
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
}
