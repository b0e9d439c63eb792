/**
 * The replica worker's side (docs/architecture.md, "The page's copy"): one read-only copy of the
 * database, reloaded from IndexedDB reading only the chunks a save changed, and the rows a page
 * asks for. Requests are answered one at a time, in order.
 */
import type { SqlJsStatic } from 'sql.js';
import type { SqlDatabase } from '../../storage/sqlDatabase.ts';
import { type ByteStore, idbReader } from '../../storage/sqljs/byteStore.ts';
import { openSqlJsDatabase } from '../../storage/sqljs/sqlJsDatabase.ts';
import { lastSuccessfulSyncAt } from '../../storage/syncState.ts';
import {
  countActivities,
  listAccounts,
  listActivities,
  listActivityTypes,
  listCash,
  listHoldings,
  listSyncHistory,
} from '../../storage/views.ts';
import { showableError, showableView } from '../format/showable.ts';
import type {
  ActivityQuery,
  ActivityWindow,
  Loaded,
  ReplicaAnswer,
  ReplicaMessage,
  ReplicaPort,
  ReplicaReply,
  ReplicaRequest,
  Snapshot,
} from './replicaProtocol.ts';

const HISTORY_ROWS = 30;
/** Rows sent beyond the visible ones, so a fast scroll does not show blank space. */
const OVERSCAN = 10;
/** The review queue is short by nature; this bounds a pathological one. */
const REVIEW_ROWS = 500;

export interface ReplicaHost {
  answer<R extends ReplicaRequest>(request: R): Promise<ReplicaAnswer<R>>;
}

// What the views read is cloud text: shown through showable (src/ui/format/showable.ts).
const snapshotOf = (db: SqlDatabase): Snapshot =>
  showableView({
    accounts: listAccounts(db),
    lastSyncedAt: lastSuccessfulSyncAt(db),
    syncHistory: listSyncHistory(db, HISTORY_ROWS),
    holdings: listHoldings(db),
    cash: listCash(db),
    activityTypes: listActivityTypes(db),
    toReview: listActivities(db, { needsReview: true }, { limit: REVIEW_ROWS, offset: 0 }),
  });

export function createReplicaHost(deps: { sqlJs: () => Promise<SqlJsStatic> }): ReplicaHost {
  // The reader of the file followed, kept: each reload reads only the chunks a save changed. One
  // file at a time: a reader holds a whole copy (and room to grow), so another cloud's is let go.
  let reader: { key: string; store: ByteStore } | null = null;
  const readerOf = (key: string) => {
    if (reader?.key !== key) reader = { key, store: idbReader(key) };
    return reader.store;
  };
  let db: SqlDatabase | null = null;
  /** The filtered list's length, counted once per filter and copy (a scroll asks again and again). */
  let counted: { db: SqlDatabase; filter: string; total: number } | null = null;

  async function load(key: string, query: ActivityQuery): Promise<Loaded> {
    const saved = await readerOf(key).load();
    // Nothing saved yet (a first visit): no wasm and no schema for an empty copy.
    const next = saved ? await openSqlJsDatabase(await deps.sqlJs(), { load: () => Promise.resolve(saved) }) : null;
    let loaded: Loaded;
    try {
      loaded = { snapshot: next ? snapshotOf(next) : null, activities: activities(next, query) };
    } catch (error) {
      next?.close();
      throw error;
    }
    // Swapped only once the new copy answered: a failure leaves the list and the views on the old one.
    db?.close();
    db = next;
    return loaded;
  }

  function activities(copy: SqlDatabase | null, { filter, viewport }: ActivityQuery): ActivityWindow {
    if (!copy) return { total: 0, first: 0, rows: [] };
    const key = JSON.stringify(filter);
    if (counted?.db !== copy || counted.filter !== key) {
      counted = { db: copy, filter: key, total: countActivities(copy, filter) };
    }
    const { total } = counted;
    const count = Math.ceil(viewport.height / viewport.rowHeight) + 2 * OVERSCAN;
    // Clamped, so a list that shrank under a scrolled view still shows its last rows.
    const first = Math.max(0, Math.min(Math.floor(viewport.top / viewport.rowHeight) - OVERSCAN, total - count));
    return { total, first, rows: showableView(listActivities(copy, filter, { limit: count, offset: first })) };
  }

  let queue: Promise<unknown> = Promise.resolve();
  return {
    answer<R extends ReplicaRequest>(request: R): Promise<ReplicaAnswer<R>> {
      const run = async (): Promise<unknown> =>
        request.kind === 'load' ? load(request.key, request) : activities(db, request);
      const answered = queue.then(run, run) as Promise<ReplicaAnswer<R>>;
      queue = answered.catch(() => undefined);
      return answered;
    },
  };
}

/**
 * Answers every request arriving on `port`; a failure is sent back in words, and the copy kept as
 * it was. Every request gets an answer, even one whose rows could not be sent.
 */
export function serveReplica(port: ReplicaPort, host: ReplicaHost): void {
  const fail = (id: number, error: unknown) =>
    port.postMessage({ id, ok: false, error: showableError(error) } satisfies ReplicaReply);
  port.addEventListener('message', (event) => {
    const { id, request } = event.data as ReplicaMessage;
    host.answer(request).then(
      (value) => {
        try {
          port.postMessage({ id, ok: true, value } satisfies ReplicaReply);
        } catch (error) {
          fail(id, error);
        }
      },
      (error: unknown) => fail(id, error),
    );
  });
}
