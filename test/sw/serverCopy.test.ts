/**
 * Server mode's offline copy, as the service worker keeps it: real sql.js over fake-indexeddb,
 * fetching from a real server on 127.0.0.1 (its own demo cloud, a real SQLite file).
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createStore, del } from 'idb-keyval';
import initSqlJs from 'sql.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { SERVER_DATABASE_KEY } from '../../src/pwa/serverMode.ts';
import type { Broadcast } from '../../src/pwa/swProtocol.ts';
import type { SyncServer } from '../../src/server/syncServer.ts';
import { getSetting } from '../../src/storage/settings.ts';
import { idbReader } from '../../src/storage/sqljs/byteStore.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';
import { countActivities, listAccounts } from '../../src/storage/views.ts';
import { pullServerCopy } from '../../sw/serverCopy.ts';
import { useSyncServers } from '../support/syncServers.ts';

const sqlJs = initSqlJs();
let broadcasts: Broadcast[];
/** What the worker asked the server, with its If-None-Match. */
let asked: { path: string; ifNoneMatch: string | null; status: number }[];

const { start } = useSyncServers();

const deps = (server: SyncServer) => ({
  origin: server.url,
  sqlJs: () => sqlJs,
  broadcast: (message: Broadcast) => broadcasts.push(message),
  fetch: async (input: string | URL | Request, init?: RequestInit) => {
    const response = await fetch(input, init);
    const headers = new Headers(init?.headers);
    asked.push({
      path: new URL(String(input)).pathname,
      ifNoneMatch: headers.get('if-none-match'),
      status: response.status,
    });
    return response;
  },
});

const stateOf = async (server: SyncServer) =>
  (await (await fetch(`${server.url}/api/connect/state`)).json()) as { dataVersion: string };

/** The copy as a tab opens it. */
const openCopy = async () => openSqlJsDatabase(await sqlJs, idbReader(SERVER_DATABASE_KEY));

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  broadcasts = [];
  asked = [];
});

describe("the offline copy of the server's data", () => {
  it('is fetched, checked and saved once per data version, and every tab hears of each new copy', async () => {
    const server = await start();
    await fetch(`${server.url}/api/connect/sync`, { method: 'POST' });
    await server.runner.settled();

    expect(await pullServerCopy(deps(server), (await stateOf(server)).dataVersion)).toBe(true);
    expect(broadcasts).toEqual([{ type: 'db:changed', payload: { key: SERVER_DATABASE_KEY, version: 1 } }]);
    const copy = await openCopy();
    expect(listAccounts(copy).map((account) => account.name)).toContain('TFSA');
    const activities = countActivities(copy);
    const synced = server.demo.dataset().accounts.filter((account) => account.plan.syncEnabled);
    expect(activities).toBe(synced.reduce((sum, account) => sum + account.activities.length, 0));
    // The server's refresh token stays on the server.
    expect(getSetting(copy, 'cloud.refreshToken')).toBeNull();
    copy.close();

    // Told the version it holds: nothing is asked. Not told: a conditional request, answered 304.
    expect(await pullServerCopy(deps(server), (await stateOf(server)).dataVersion)).toBe(false);
    expect(asked).toHaveLength(1);
    expect(await pullServerCopy(deps(server), null)).toBe(false);
    const etag = (await fetch(`${server.url}/api/database`)).headers.get('etag');
    expect(asked[1]).toMatchObject({ status: 304, ifNoneMatch: etag });

    server.demo.setScenario({ newTrades: 2 });
    await fetch(`${server.url}/api/connect/sync`, { method: 'POST' });
    await server.runner.settled();
    expect(await pullServerCopy(deps(server), (await stateOf(server)).dataVersion)).toBe(true);
    expect(broadcasts.at(-1)).toEqual({ type: 'db:changed', payload: { key: SERVER_DATABASE_KEY, version: 2 } });
    const newer = await openCopy();
    expect(countActivities(newer)).toBe(activities + 2);
    newer.close();
  });

  it('says the server wants its secret, and keeps what it had', async () => {
    const open = await start();
    expect(await pullServerCopy(deps(open), null)).toBe(true);
    const kept = await idbReader(SERVER_DATABASE_KEY).load();
    const locked = await start({ secret: 'a-long-enough-server-secret' });
    await expect(pullServerCopy(deps(locked), 'another-version')).rejects.toThrow(/needs its secret/);
    expect(broadcasts).toHaveLength(1);
    const after = await idbReader(SERVER_DATABASE_KEY).load();
    expect(after && kept && Buffer.from(after).equals(Buffer.from(kept))).toBe(true);
  });

  it('fetches the copy again if it went missing, whatever version it was of', async () => {
    const server = await start();
    const version = (await stateOf(server)).dataVersion;
    expect(await pullServerCopy(deps(server), version)).toBe(true);
    await del(SERVER_DATABASE_KEY, createStore('folio-sync', 'files'));
    expect(await pullServerCopy(deps(server), version)).toBe(true);
    expect(asked.map((request) => request.ifNoneMatch)).toEqual([null, null]);
  });
});
