/**
 * The service worker's sync host in Node: real sql.js over fake-indexeddb, two demo clouds
 * answered by their msw handlers, the Web Locks API in memory. What a page asks, what the
 * host broadcasts, what ends up stored.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createStore, entries } from 'idb-keyval';
import { HttpResponse, http } from 'msw';
import initSqlJs from 'sql.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDemoCloud, type DemoCloud } from '../../src/demo/demoCloud.ts';
import { DEMO_REFRESH_TOKEN } from '../../src/demo/demoDefaults.ts';
import { databaseKey } from '../../src/pwa/cloudSettings.ts';
import type { Broadcast, Command } from '../../src/pwa/swProtocol.ts';
import { APPLICATION_ID, latestVersion, migrations } from '../../src/storage/migrations.ts';
import { idbReader, idbWriter } from '../../src/storage/sqljs/byteStore.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';
import { listAccounts, listHoldings, listSyncRuns } from '../../src/storage/views.ts';
import type { HttpClient } from '../../src/transport/http.ts';
import { createSyncHost } from '../../sw/syncHost.ts';
import { fakeTime } from '../support/fakeTime.ts';
import { handlerHttp } from '../support/handlerHttp.ts';
import { memoryLocks } from '../support/memoryLocks.ts';

const APP = 'https://app.folio.test';
const OTHER = 'https://other-cloud.test';
/** An auth server that drops every connection. */
const DOWN = 'https://down-auth.test';
const sqlJs = initSqlJs();
const time = fakeTime();

let demo: DemoCloud;
let other: DemoCloud;
let broadcasts: Broadcast[];
let online: boolean;
let host: ReturnType<typeof createSyncHost>;
/** Every request the host sent, with the body of its answer when one came. */
let exchanges: { url: string; body: string; answer: string | null }[];

const recorded =
  (client: HttpClient): HttpClient =>
  async (request) => {
    const exchange = { url: request.url, body: request.body ?? '', answer: null as string | null };
    exchanges.push(exchange);
    const response = await client(request);
    exchange.answer = response.body;
    return response;
  };

beforeEach(() => {
  // A fresh browser profile for each test.
  globalThis.indexedDB = new IDBFactory();
  time.set('2026-11-28T12:00:00.000Z');
  // What the host does, not how much it syncs: a few weeks of history each, not two years.
  demo = createDemoCloud({ now: () => time.clock.now(), size: 'small' });
  // A millisecond ahead: the two clouds never issue the same token (it is made of a count and the time).
  other = createDemoCloud({ now: () => time.clock.now() + 1, size: 'small' });
  broadcasts = [];
  exchanges = [];
  online = true;
  host = createSyncHost({
    sqlJs: () => sqlJs,
    clock: time.clock,
    sleep: time.sleep,
    http: recorded(
      handlerHttp({
        [APP]: demo.handlers,
        [OTHER]: other.handlers,
        [DOWN]: [http.all('*', () => HttpResponse.error())],
      }),
    ),
    fetch: () => Promise.reject(new Error('No server in these tests')),
    locks: memoryLocks(),
    isOnline: () => online,
    origin: APP,
    version: 'test-build',
    broadcast: (message) => broadcasts.push(message),
    log: { warn: () => undefined },
  });
});

/** Sends a command as a page would, and unwraps the reply. */
async function send<C extends Command>(command: C) {
  const reply = await host.handle(command);
  if (!reply.ok) throw new Error(reply.failure.message);
  return reply.value as never;
}
const profileCalls = (cloud: DemoCloud) => cloud.requests.filter((request) => request.path.endsWith('/user/me')).length;
/** What a page would load for `key`. */
const saved = async (key: string) => openSqlJsDatabase(await sqlJs, idbReader(key));
const signIn = {
  type: 'sign-in',
  cloud: { apiUrl: OTHER, authUrl: OTHER, apiKey: '' },
  refreshToken: 'demo-other-user',
} as const;

describe('sync host', () => {
  it('syncs the demo cloud on first use and tells every tab', async () => {
    const result = await send({ type: 'sync', trigger: 'auto' });
    expect(result).toMatchObject({ success: true, skipped: null });
    const types = broadcasts.map((message) => message.type);
    expect(types[0]).toBe('db:changed'); // the new, empty file, saved so pages can open it
    expect(types).toContain('broker:sync-start');
    expect(types.at(-1)).toBe('broker:sync-complete');
    const db = await saved('db:demo');
    expect(listHoldings(db)).not.toEqual([]);
  });

  it('joins commands that arrive together into one sync', async () => {
    const results = await Promise.all([
      send({ type: 'sync', trigger: 'auto' }),
      send({ type: 'sync', trigger: 'auto' }),
      send({ type: 'sync', trigger: 'manual' }),
    ]);
    expect(profileCalls(demo)).toBe(1);
    expect(results[1]).toEqual(results[0]);
  });

  it('does nothing on an automatic trigger while offline', async () => {
    online = false;
    expect(await send({ type: 'sync', trigger: 'auto' })).toMatchObject({ skipped: 'offline' });
    expect(demo.requests).toEqual([]);
  });

  it('signing in while a sync runs: the token goes to the new cloud, which is synced next', async () => {
    // Small pages, each slow: the sync takes several hundred ms.
    demo.setScenario({ pageDelayMs: 30, maxPageSize: 20 });
    const running = send({ type: 'sync', trigger: 'auto' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const types = broadcasts.map((message) => message.type);
    expect(types).toContain('broker:sync-start');
    expect(types).not.toContain('broker:sync-complete');
    const signedIn = await send(signIn);
    await running;
    expect(signedIn).toMatchObject({ success: true, skipped: null, accountsSynced: 4 });
    // The token was checked with the auth server alone; the profile was asked once, by the sync.
    expect(profileCalls(other)).toBe(1);
    expect(other.requests[0]).toMatchObject({
      method: 'POST',
      path: '/auth/v1/token?grant_type=refresh_token',
      status: 200,
    });
    expect(await send({ type: 'status' })).toMatchObject({
      cloud: { apiUrl: OTHER },
      signedIn: true,
      version: 'test-build',
    });
    // Both clouds' data, each in its own file.
    expect((await saved(databaseKey(signIn.cloud))).get('SELECT COUNT(*) AS n FROM accounts')).toEqual({ n: 5 });
    expect((await saved('db:demo')).get('SELECT COUNT(*) AS n FROM accounts')).toEqual({ n: 5 });
  });

  it('sends each refresh token only to the auth server that issued it, also when the cloud changes mid-sync', async () => {
    // Small slow pages on both clouds: each sync lasts long enough to change clouds in.
    demo.setScenario({ pageDelayMs: 30, maxPageSize: 20 });
    other.setScenario({ pageDelayMs: 30, maxPageSize: 20 });
    /** Waits a little, and checks a sync is still running then. */
    const midSync = async () => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      const types = broadcasts.map((message) => message.type);
      expect(types.lastIndexOf('broker:sync-start')).toBeGreaterThan(types.lastIndexOf('broker:sync-complete'));
    };
    const first = send({ type: 'sync', trigger: 'auto' });
    await midSync();
    await send(signIn);
    await first;
    // Mid-sync again, of the other cloud, back to the demo cloud; then one more sync of it.
    time.advance(1000);
    const second = send({ type: 'sync', trigger: 'manual' });
    await midSync();
    await send({ type: 'use-demo' });
    await second;
    time.advance(1000);
    await send({ type: 'sync', trigger: 'manual' });

    // Whose each token is: typed for a cloud, or issued by its auth server (never by both).
    const owner = new Map<string, string>([
      [DEMO_REFRESH_TOKEN, APP],
      [signIn.refreshToken, OTHER],
    ]);
    for (const { url, answer } of exchanges) {
      const issued = answer?.match(/"refresh_token":"([^"]+)"/)?.[1];
      if (!issued) continue;
      expect(owner.get(issued) ?? new URL(url).origin, issued).toBe(new URL(url).origin);
      owner.set(issued, new URL(url).origin);
    }
    const carried = exchanges.flatMap(({ url, body }) => {
      const token = body.match(/"refresh_token":"([^"]+)"/)?.[1];
      const { origin, pathname } = new URL(url);
      return token ? [{ to: origin, path: pathname, owner: owner.get(token) ?? 'nobody' }] : [];
    });
    expect(new Set(carried.map(({ to }) => to))).toEqual(new Set([APP, OTHER]));
    expect(carried.filter(({ to, path, owner }) => to !== owner || !path.endsWith('/auth/v1/token'))).toEqual([]);
    // And never in a URL.
    const tokens = [...owner.keys()];
    expect(exchanges.filter(({ url }) => tokens.some((token) => url.includes(token)))).toEqual([]);
  });

  it('keeps a sign-in only when the cloud accepted it, and says which field was wrong', async () => {
    await send({ type: 'sync', trigger: 'auto' });
    other.setScenario({ refreshRefused: true });
    const refused = await host.handle(signIn);
    expect(refused).toMatchObject({
      ok: false,
      failure: { code: 'not-signed-in', field: 'refreshToken', message: expect.stringContaining('refused') },
    });
    expect(await host.handle({ ...signIn, cloud: { ...signIn.cloud, authUrl: DOWN } })).toMatchObject({
      ok: false,
      failure: { code: 'network', field: 'authUrl', message: expect.stringContaining("can't be reached") },
    });
    expect(await host.handle({ ...signIn, cloud: { ...signIn.cloud, authUrl: 'ftp://x' } })).toMatchObject({
      ok: false,
      failure: { code: 'bad-url', field: 'authUrl' },
    });
    // Nothing changed: still the demo cloud, signed in.
    expect(await send({ type: 'status' })).toMatchObject({ cloud: null, signedIn: true });
    // Accepted by the auth server, then the API is down: signed in (with the rotated token), the sync failed.
    other.setScenario({ networkDown: true });
    expect(await send(signIn)).toMatchObject({ success: false, message: 'Network unavailable' });
    expect(await send({ type: 'status' })).toMatchObject({ cloud: { apiUrl: OTHER }, signedIn: true });
    other.setScenario({});
    expect(await send({ type: 'sync', trigger: 'manual' })).toMatchObject({ success: true, skipped: null });
  });

  it('a refresh token the cloud refuses later is forgotten: every tab hears "not signed in"', async () => {
    await send(signIn);
    broadcasts.length = 0;
    other.setScenario({ refreshRefused: true });
    time.advance(2 * 60 * 60_000);
    expect(await send({ type: 'sync', trigger: 'manual' })).toMatchObject({ skipped: 'not-signed-in' });
    expect(broadcasts).toContainEqual({ type: 'cloud:changed', payload: expect.objectContaining({ signedIn: false }) });
    expect(await send({ type: 'status' })).toMatchObject({ cloud: { apiUrl: OTHER }, signedIn: false });
  });

  it('after signing out, no request reaches the cloud, not even with the access token it had', async () => {
    await send(signIn);
    other.requests.length = 0;
    await send({ type: 'sign-out' });
    expect(await send({ type: 'sync', trigger: 'manual' })).toMatchObject({ skipped: 'not-signed-in' });
    expect(other.requests).toEqual([]);
    expect(broadcasts.some((message) => message.type === 'cloud:changed' && !message.payload.signedIn)).toBe(true);
  });

  it('goes back to the demo cloud and its data', async () => {
    await send({ type: 'sync', trigger: 'auto' });
    await send(signIn);
    const result = await send({ type: 'use-demo' });
    expect(result).toMatchObject({ success: true });
    expect(await send({ type: 'status' })).toMatchObject({ cloud: null, signedIn: true });
    // Signed out of the demo (or its token refused): the demo cloud signs in again with its public token.
    await send({ type: 'sign-out' });
    expect(await send({ type: 'status' })).toMatchObject({ cloud: null, signedIn: false });
    await send({ type: 'use-demo' });
    expect(await send({ type: 'status' })).toMatchObject({ cloud: null, signedIn: true });
  });

  it("keeps only the current cloud's refresh token: switching forgets the others", async () => {
    const stored = () => entries(createStore('folio-sync-credentials', 'tokens'));
    await send({ type: 'sign-out' });
    expect((await stored()).map(([key]) => key)).toEqual([databaseKey(null)]);
    await send(signIn);
    const other = databaseKey({ apiUrl: OTHER, authUrl: OTHER, apiKey: '' });
    expect(await stored()).toHaveLength(1);
    expect((await stored())[0]?.[0]).toBe(other);
    await send({ type: 'use-demo' });
    expect((await stored()).map(([key]) => key)).not.toContain(other);
    expect(JSON.stringify(await stored())).not.toContain('demo-other-user');
  });

  it('reviews an activity: the account leaves NEEDS_REVIEW, holdings follow, tabs hear of it', async () => {
    await send({ type: 'sync', trigger: 'auto' });
    const before = await saved('db:demo');
    const flagged = before.get<{ id: string; account_id: string; activity_date: string }>(
      "SELECT id, account_id, activity_date FROM activities WHERE status = 'DRAFT'",
    );
    broadcasts.length = 0;
    await send({
      type: 'review-activity',
      id: flagged?.id ?? '',
      decision: {
        kind: 'correct',
        correction: {
          activityType: 'TRANSFER_IN',
          quantity: '2',
          unitPrice: '150',
          amount: '0',
          activityDate: flagged?.activity_date.slice(0, 10) ?? '',
        },
      },
    });
    expect(broadcasts.map((message) => message.type)).toEqual([
      'portfolio:trigger-update',
      'portfolio:update-complete',
      'db:changed',
    ]);
    const after = await saved('db:demo');
    expect(
      after.get('SELECT sync_status FROM brokers_sync_state WHERE account_id = ?', [flagged?.account_id ?? '']),
    ).toEqual({
      sync_status: 'IDLE',
    });
    const shop = "SELECT quantity FROM holdings WHERE account_id = ? AND symbol = 'SHOP.TO'";
    const quantity = (db: typeof after) =>
      Number(db.get<{ quantity: string }>(shop, [flagged?.account_id ?? ''])?.quantity ?? 0);
    expect(quantity(after)).toBe(quantity(before) + 2);
  });

  it('recovers a sync a closed worker left RUNNING, when it opens the file', async () => {
    // The file as a worker killed mid-sync left it, before this worker opens it.
    const left = await openSqlJsDatabase(await sqlJs, idbWriter('db:demo'));
    left.run(
      `INSERT INTO accounts (id, name, provider, provider_account_id, created_at, updated_at)
       VALUES ('a1', 'TFSA', 'snaptrade', 'a1', ?, ?)`,
      [time.iso(), time.iso()],
    );
    left.run(
      `INSERT INTO brokers_sync_state (account_id, provider, sync_status, created_at, updated_at)
       VALUES ('a1', 'snaptrade', 'RUNNING', ?, ?)`,
      [time.iso(), time.iso()],
    );
    left.run("INSERT INTO sync_runs (kind, status, started_at) VALUES ('AUTO', 'RUNNING', ?)", [time.iso()]);
    await left.persist();

    await send({ type: 'status' });
    const db = await saved('db:demo');
    expect(listAccounts(db).map(({ syncStatus, lastError }) => ({ syncStatus, lastError }))).toEqual([
      { syncStatus: 'FAILED', lastError: 'Sync was interrupted' },
    ]);
    expect(listSyncRuns(db, 10).map((run) => run.status)).toEqual(['FAILED']);
  });
});

describe('backup', () => {
  it('an exported file imports back with identical rows', async () => {
    await send({ type: 'sync', trigger: 'auto' });
    const exported = (await idbReader('db:demo').load()) ?? new Uint8Array();
    const tables = [
      'accounts',
      'activities',
      'holdings',
      'cash_balances',
      'import_runs',
      'brokers_sync_state',
      'platforms',
    ];
    const dump = async () => {
      const db = await saved('db:demo');
      return Object.fromEntries(tables.map((table) => [table, db.all(`SELECT * FROM ${table} ORDER BY 1, 2`)]));
    };
    const before = await dump();
    globalThis.indexedDB = new IDBFactory(); // another device
    expect(await send({ type: 'import-database', bytes: exported.slice().buffer })).toEqual({
      activities: before.activities?.length,
    });
    expect(await dump()).toEqual(before);
  });

  it('refuses what is not a Folio Sync database, or is newer, leaving the data as it was', async () => {
    await send({ type: 'sync', trigger: 'auto' });
    const count = async () => (await saved('db:demo')).get('SELECT COUNT(*) AS n FROM activities');
    const before = await count();
    const SQL = await sqlJs;
    const foreign = new SQL.Database();
    foreign.run('CREATE TABLE recipes (name TEXT)');
    const newer = new SQL.Database();
    newer.run(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = 99`);
    const stampedButEmpty = new SQL.Database();
    stampedButEmpty.run(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = 2`);
    // A Folio Sync file, then changed the ways an attacker would: each is refused, naming what.
    const ours = await (async () => {
      let bytes: Uint8Array = new Uint8Array();
      const fresh = await openSqlJsDatabase(SQL, {
        load: () => Promise.resolve(undefined),
        save: (saved) => {
          bytes = saved;
          return Promise.resolve();
        },
      });
      fresh.run("INSERT INTO platforms (id, name, created_at, updated_at) VALUES ('p', 'p', '', '')");
      await fresh.persist();
      fresh.close();
      return bytes;
    })();
    const tampered = (sql: string) => {
      const copy = new SQL.Database(ours);
      copy.run(sql);
      const bytes = copy.export();
      copy.close();
      return bytes;
    };
    const attempts: [Uint8Array, string][] = [
      [
        tampered(
          "CREATE TRIGGER zero AFTER INSERT ON activities BEGIN UPDATE activities SET amount = '0' WHERE id = NEW.id; END",
        ),
        'an unexpected trigger "zero"',
      ],
      [tampered('ALTER TABLE activities ADD COLUMN junk TEXT'), 'the table "activities" is not as Folio Sync makes it'],
      [tampered('CREATE TABLE junk (payload BLOB)'), 'an unexpected table "junk"'],
      [tampered('CREATE VIEW everything AS SELECT * FROM activities'), 'an unexpected view "everything"'],
      [tampered('DROP INDEX activities_account_symbol'), 'no index "activities_account_symbol"'],
      [new TextEncoder().encode('my notes'), 'This file is not a SQLite database'],
      [new Uint8Array(), 'This file is not a SQLite database'],
      [new SQL.Database().export(), 'This SQLite file is not a Folio Sync database'],
      [foreign.export(), 'This SQLite file is not a Folio Sync database'],
      [stampedButEmpty.export(), 'This Folio Sync database is incomplete'],
      [newer.export(), 'This database was written by a newer Folio Sync'],
    ];
    for (const [bytes, message] of attempts) {
      const reply = await host.handle({ type: 'import-database', bytes: bytes.slice().buffer });
      expect(reply).toMatchObject({ ok: false, failure: { message: expect.stringContaining(message) } });
    }
    expect(await count()).toEqual(before);
  });

  it('migrates a file from an older version, holdings included', async () => {
    // A file as the first release wrote it: schema 1, no holdings table.
    const SQL = await sqlJs;
    const v1 = new SQL.Database();
    v1.exec(migrations[0]?.sql ?? '');
    v1.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = 1`);
    const now = time.iso();
    v1.run(
      `INSERT INTO accounts (id, name, currency, provider, provider_account_id, created_at, updated_at)
       VALUES ('a1', 'TFSA', 'CAD', 'snaptrade', 'a1', ?, ?)`,
      [now, now],
    );
    for (const [id, units] of [
      ['b1', '1'],
      ['b2', '2'],
    ]) {
      v1.run(
        `INSERT INTO activities (id, account_id, activity_type, status, activity_date, symbol, quantity, unit_price,
           amount, currency, source_system, idempotency_key, created_at, updated_at)
         VALUES (?, 'a1', 'BUY', 'POSTED', ?, 'VFV.TO', ?, '100', ?, 'CAD', 'SNAPTRADE', ?, ?, ?)`,
        [id ?? '', now, units ?? '', `-${Number(units) * 100}`, id ?? '', now, now],
      );
    }
    expect(await send({ type: 'import-database', bytes: v1.export().slice().buffer })).toEqual({ activities: 2 });
    const db = await saved('db:demo');
    expect(db.get('PRAGMA user_version')).toEqual({ user_version: latestVersion() });
    expect(listHoldings(db).map(({ symbol, quantity, costBasis }) => ({ symbol, quantity, costBasis }))).toEqual([
      { symbol: 'VFV.TO', quantity: '3', costBasis: '300' },
    ]);
  });
});
