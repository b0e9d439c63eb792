/**
 * The incremental sync as the browser's worker runs it (issue: "+20 at 100k: ≤ 2 MiB written to
 * IndexedDB and ≤ 2× its time at 10k"): a database of N activities saved in IndexedDB
 * (fake-indexeddb), opened by the worker's writer, synced with 20 new trades at the cloud, and
 * saved; the time from the sync's start to the save, the bytes written to IndexedDB, the cloud
 * requests. The history is the demo cloud's, padded with older activities to reach N.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createStore, type UseStore } from 'idb-keyval';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { performBrokerSync } from '../../src/core/brokerSync.ts';
import { createDemoCloud, type DemoCloud } from '../../src/demo/demoCloud.ts';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.ts';
import { idbWriter } from '../../src/storage/sqljs/byteStore.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';
import type { CredentialStore } from '../../src/transport/authSession.ts';
import { createCloudClient } from '../../src/transport/brokerCloud.ts';
import { handlerHttp } from '../support/handlerHttp.ts';
import { memoryCredentials } from '../support/memoryCredentials.ts';
import { type Figure, median } from './figures.ts';

const CLOUD = 'http://bench.local';
const KEY = 'db:bench';

/** The app's file store, counting the bytes each transaction puts. */
function countingStore() {
  const base = createStore('folio-sync', 'files');
  const counted = { bytes: 0 };
  const store: UseStore = (mode, callback) =>
    base(mode, (objects) => {
      const put = objects.put.bind(objects);
      objects.put = (value: unknown, key?: IDBValidKey) => {
        if (value instanceof Uint8Array) counted.bytes += value.length;
        return put(value, key);
      };
      return callback(objects);
    });
  return { store, counted };
}

const sync = (db: SqlDatabase, demo: DemoCloud, credentials: CredentialStore) =>
  performBrokerSync(
    {
      db,
      cloud: createCloudClient({
        apiUrl: CLOUD,
        authUrl: CLOUD,
        apiKey: '',
        http: handlerHttp({ [CLOUD]: demo.handlers }),
        timers: { clock: { now: Date.now }, sleep: () => Promise.resolve() },
        credentials,
      }),
      clock: { now: Date.now },
      emit: () => undefined,
      log: { warn: () => undefined },
    },
    'manual',
  );

/** Older activities, in the demo's first account, across 50 symbols as a long history would be, so the file holds `total`. */
function pad(db: SqlDatabase, total: number): void {
  const have = db.get<{ n: number }>('SELECT COUNT(*) AS n FROM activities')?.n ?? 0;
  const account = db.get<{ id: string }>('SELECT id FROM accounts ORDER BY id LIMIT 1')?.id ?? '';
  const now = new Date().toISOString();
  db.transaction(() => {
    for (let i = have; i < total; i++) {
      const day = new Date(Date.parse('2015-12-31') - i * 3_600_000).toISOString();
      db.run(
        `INSERT INTO activities (id, account_id, provider_activity_id, activity_type, status, activity_date, symbol,
           quantity, unit_price, amount, currency, description, source_system, source_record_id, idempotency_key,
           created_at, updated_at)
         VALUES (?, ?, ?, 'BUY', 'POSTED', ?, ?, '1', '100', '-100', 'CAD', ?, 'PADDING', ?, ?, ?, ?)`,
        [`pad-${i}`, account, `pad-${i}`, day, `PAD${i % 50}`, `padding #${i}`, `pad-${i}`, `pad-key-${i}`, now, now],
      );
    }
  });
}

interface Incremental {
  ms: number;
  bytes: number;
  requests: number;
  fileBytes: number;
}

async function incremental(sqlJs: SqlJsStatic, total: number): Promise<Incremental> {
  globalThis.indexedDB = new IDBFactory();
  // The demo's two years (5,700 activities) under 10k; nine years (32,000) under 100k.
  const demo = createDemoCloud({ now: Date.now, ...(total > 10_000 ? { historyStart: '2016-01-01' } : {}) });
  const { store, counted } = countingStore();
  // The history, synced and saved as the worker would have.
  const credentials = memoryCredentials();
  const first = await openSqlJsDatabase(sqlJs, idbWriter(KEY, { store }));
  await sync(first, demo, credentials);
  pad(first, total);
  await first.persist();
  first.close();
  // The worker opens the saved file; the cloud has 20 new trades.
  const db = await openSqlJsDatabase(sqlJs, idbWriter(KEY, { store }));
  demo.setScenario({ newTrades: 20 });
  demo.requests.length = 0;
  counted.bytes = 0;
  const started = performance.now();
  await sync(db, demo, credentials);
  const ms = performance.now() - started;
  const fileBytes =
    db.get<{ n: number }>('SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()')?.n ?? 0;
  db.close();
  return { ms, bytes: counted.bytes, requests: demo.requests.length, fileBytes };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

export async function incrementalFigures(runs: number): Promise<Figure[]> {
  const sqlJs = await initSqlJs();
  const small: Incremental[] = [];
  const large: Incremental[] = [];
  for (let i = 0; i < runs; i++) {
    small.push(await incremental(sqlJs, 10_000));
    large.push(await incremental(sqlJs, 100_000));
  }
  const time = (runs: Incremental[]) => median(runs.map((run) => run.ms));
  const bytes = (runs: Incremental[]) => median(runs.map((run) => run.bytes));
  const ratio = time(large) / time(small);
  return [
    {
      name: 'incremental +20 at 10k: click to saved',
      value: `${time(small).toFixed(0)} ms, ${mib(bytes(small))} written of a ${mib(small[0]?.fileBytes ?? 0)} file, ${small[0]?.requests} cloud requests`,
    },
    {
      name: 'incremental +20 at 100k: written to IndexedDB',
      value: `${mib(bytes(large))} of a ${mib(large[0]?.fileBytes ?? 0)} file, ${large[0]?.requests} cloud requests`,
      target: '≤ 2 MiB',
      pass: bytes(large) <= 2 * 1024 * 1024,
    },
    {
      name: 'incremental +20 at 100k: click to saved',
      value: `${time(large).toFixed(0)} ms, ${ratio.toFixed(1)}× its time at 10k`,
      target: '≤ 2×',
      pass: ratio <= 2,
    },
  ];
}
