/**
 * The engine wired as a platform would wire it, for integration tests: real sql.js (kept in
 * memory, or persisted to fake-indexeddb when a ByteStore is given), the real cloud client
 * over fetch (answered by msw/node), fake time, and recorded events and warnings.
 */
import initSqlJs from 'sql.js';
import { performBrokerSync } from '../../src/core/brokerSync.ts';
import type { BrokerSyncDeps } from '../../src/core/syncDeps.ts';
import type { SyncEvent, SyncEventMap, SyncEventName, SyncTrigger } from '../../src/core/syncEvents.ts';
import { DEMO_REFRESH_TOKEN } from '../../src/demo/demoDefaults.ts';
import { fetchHttp } from '../../src/platform/fetchHttp.ts';
import { setSetting } from '../../src/storage/settings.ts';
import { settingsCredentials } from '../../src/storage/settingsCredentials.ts';
import type { SqlDatabase, SqlParams, SqlValue } from '../../src/storage/sqlDatabase.ts';
import type { ByteStore } from '../../src/storage/sqljs/byteStore.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';
import { createCloudClient } from '../../src/transport/brokerCloud.ts';
import type { HttpClient } from '../../src/transport/http.ts';
import { API_URL, AUTH_URL } from './demoCloudMock.ts';
import type { FakeTime } from './fakeTime.ts';

const sqlJs = initSqlJs();

/** A ByteStore in memory, counting its saves. */
export function memoryByteStore(): Required<ByteStore> & { saves: number } {
  let bytes: Uint8Array | undefined;
  const store = {
    saves: 0,
    load: () => Promise.resolve(bytes),
    save: (next: Uint8Array) => {
      bytes = next;
      store.saves++;
      return Promise.resolve();
    },
  };
  return store;
}

export interface Harness {
  db: SqlDatabase;
  events: SyncEvent[];
  warnings: string[];
  sync(
    trigger?: SyncTrigger,
    options?: Partial<Pick<BrokerSyncDeps, 'maxPages'>>,
  ): ReturnType<typeof performBrokerSync>;
  /** The events of `name` recorded so far, payloads only. */
  payloads<K extends SyncEventName>(name: K): SyncEventMap[K][];
  scalar(sql: string, params?: SqlParams): SqlValue;
}

export interface HarnessOptions {
  store?: ByteStore;
  /** Another database (say a file, as the CLI keeps one) instead of sql.js over `store`. */
  db?: SqlDatabase;
  refreshToken?: string | null;
  /** Another cloud than the demo cloud behind msw/node: its URL (API and auth) and how it answers. */
  cloud?: { url: string; http: HttpClient };
}

export async function createHarness(time: FakeTime, options: HarnessOptions = {}): Promise<Harness> {
  const db = options.db ?? (await openSqlJsDatabase(await sqlJs, options.store ?? memoryByteStore()));
  const token = options.refreshToken === undefined ? DEMO_REFRESH_TOKEN : options.refreshToken;
  if (token) setSetting(db, 'cloud.refreshToken', token);
  const events: SyncEvent[] = [];
  const warnings: string[] = [];
  const cloud = createCloudClient({
    apiUrl: options.cloud?.url ?? API_URL,
    authUrl: options.cloud?.url ?? AUTH_URL,
    apiKey: '',
    http: options.cloud?.http ?? fetchHttp(),
    timers: time,
    credentials: settingsCredentials(db),
  });
  return {
    db,
    events,
    warnings,
    sync: (trigger = 'manual', extra = {}) =>
      performBrokerSync(
        {
          db,
          cloud,
          clock: time.clock,
          emit: (event) => events.push(event),
          log: { warn: (message) => warnings.push(message) },
          ...extra,
        },
        trigger,
      ),
    payloads: <K extends SyncEventName>(name: K) =>
      events.filter((event) => event.type === name).map((event) => event.payload as SyncEventMap[K]),
    scalar: (sql, params) => {
      const row = db.get(sql, params);
      return row ? (Object.values(row)[0] ?? null) : null;
    },
  };
}
