/**
 * The page's connection to a Folio Sync server, against a real server on 127.0.0.1 (its own demo
 * cloud, a real SQLite file). The event stream is the server's own event log, delivered as an
 * EventSource would deliver it (Chromium's real EventSource is in test/e2e/serverMode.test.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncResult } from '../../src/core/syncEvents.ts';
import { systemClock, systemSleep } from '../../src/platform/realTime.ts';
import type { ServerState } from '../../src/pwa/serverMode.ts';
import type { Broadcast, Command } from '../../src/pwa/swProtocol.ts';
import { startAppServer } from '../../src/server/appServer.ts';
import type { ServerConfig } from '../../src/server/serverConfig.ts';
import { type SyncServer, startSyncServer } from '../../src/server/syncServer.ts';
import { connectServer, detectAppMode } from '../../src/ui/pwa/serverConnection.ts';

let dir: string;
const closers: (() => Promise<void>)[] = [];

async function start(config: Partial<ServerConfig> = {}): Promise<SyncServer> {
  const server = await startSyncServer({
    config: {
      port: 0,
      host: '127.0.0.1',
      dataDir: join(dir, `data-${closers.length}`),
      apiUrl: null,
      authUrl: null,
      refreshToken: null,
      secret: null,
      ...config,
    },
    distDir: join(dir, 'dist'),
    clock: systemClock,
    sleep: systemSleep,
    setTimer: () => () => undefined,
    log: { warn: () => undefined },
  });
  closers.push(() => server.close());
  return server;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-server-connection-'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>Folio Sync</title>');
});
afterAll(async () => {
  for (const close of closers) await close();
  rmSync(dir, { recursive: true, force: true });
});

/** The page's fetch: paths are relative to the server that served it. */
const pageFetch =
  (origin: string, posts: string[] = []) =>
  (input: string | URL | Request, init?: RequestInit) => {
    if (init?.method && init.method !== 'GET') posts.push(`${init.method} ${String(input)}`);
    return fetch(new URL(String(input), origin), init);
  };

/** A page connected to `server`: its stream is the server's event log; its worker records pulls. */
function connectPage(server: SyncServer, { live = true }: { live?: boolean } = {}) {
  const pulls: (string | null)[] = [];
  const posts: string[] = [];
  const listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  const dispatch = (type: string, data = '') => {
    for (const listener of listeners.get(type) ?? []) listener(new MessageEvent(type, { data }));
  };
  if (live) {
    const unsubscribe = server.events.subscribe((entry) =>
      dispatch(entry.event.type, JSON.stringify(entry.event.payload)),
    );
    closers.push(() => Promise.resolve(void unsubscribe()));
  }
  const warnings: string[] = [];
  const connection = connectServer({
    worker: {
      send: ((command: Command) => {
        if (command.type !== 'pull-server-copy') throw new Error(`The worker got ${command.type}`);
        pulls.push(command.version);
        return Promise.resolve({ changed: true });
      }) as never,
      onBroadcast: () => () => undefined,
    },
    fetch: pageFetch(server.url, posts),
    openEvents: () => ({
      addEventListener: (type, listener) => listeners.set(type, [...(listeners.get(type) ?? []), listener]),
    }),
    version: 'test-build',
    initial: null,
    locked: false,
    warn: (message) => warnings.push(message),
  });
  const heard: Broadcast[] = [];
  connection.onBroadcast((message) => heard.push(message));
  return { connection, pulls, posts, heard, warnings, dispatch };
}

describe('finding the server', () => {
  it('is server mode where a Folio Sync server answers, and the browser on its own anywhere else', async () => {
    const server = await start();
    const found = await detectAppMode(pageFetch(server.url), 'browser');
    expect(found).toMatchObject({ mode: 'server', locked: false, state: { signedIn: true, syncing: false } });

    const locked = await start({ secret: 'a-long-enough-server-secret' });
    expect(await detectAppMode(pageFetch(locked.url), 'browser')).toEqual({
      mode: 'server',
      state: null,
      locked: true,
    });

    // `npm start`: the app and its demo cloud, no API.
    const plain = await startAppServer({ distDir: join(dir, 'dist'), host: '127.0.0.1', port: 0 });
    closers.push(plain.close);
    expect((await detectAppMode(pageFetch(plain.url), 'server')).mode).toBe('browser');
    // A static host that answers every path with the app.
    const html = () => Promise.resolve(new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }));
    expect((await detectAppMode(html, 'server')).mode).toBe('browser');
    // Offline: what it found last time.
    const offline = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await detectAppMode(offline, 'server')).toEqual({ mode: 'server', state: null, locked: false });
  });
});

describe('a page following the server', () => {
  it('Sync Now posts to the server and answers with the sync its stream completes; the copy follows', async () => {
    const server = await start();
    const page = connectPage(server);
    const result = (await page.connection.send({ type: 'sync', trigger: 'manual' })) as SyncResult;
    expect(result).toMatchObject({ success: true, skipped: null });
    expect(result.accountsSynced).toBeGreaterThan(0);
    expect(page.posts).toEqual(['POST /api/connect/sync']);
    const types = page.heard.map((message) => message.type);
    expect(types).toContain('broker:sync-start');
    expect(types).toContain('broker:sync-progress');
    expect(types).toContain('broker:sync-complete');
    // The status the tab shows comes from the server, with its schedule.
    await expect.poll(() => page.heard.some((message) => message.type === 'cloud:changed')).toBe(true);
    const status = page.heard.find((message) => message.type === 'cloud:changed');
    expect(status?.payload).toMatchObject({ signedIn: true, cloud: null, version: 'test-build', server: {} });
    // Asked for the copy of the data the sync left.
    const state = (await (await fetch(`${server.url}/api/connect/state`)).json()) as ServerState;
    await expect.poll(() => page.pulls.at(-1)).toBe(state.dataVersion);
  });

  it('a tab coming back never syncs the cloud: the server syncs on its schedule', async () => {
    const server = await start();
    const page = connectPage(server);
    const result = (await page.connection.send({ type: 'sync', trigger: 'auto' })) as SyncResult;
    expect(result.skipped).toBe('not-due');
    expect(page.posts).toEqual([]);
    expect(server.demo.requests).toEqual([]);
  });

  it('reviews on the server, and is done once the copy with the decision is asked for', async () => {
    const server = await start();
    await fetch(`${server.url}/api/connect/sync`, { method: 'POST' });
    await server.runner.settled();
    const flagged = async () =>
      (await (await fetch(`${server.url}/api/activities?needsReview=true`)).json()) as { items: { id: string }[] };
    const id = (await flagged()).items[0]?.id ?? '';
    const page = connectPage(server);
    await page.connection.send({ type: 'review-activity', id, decision: { kind: 'confirm' } });
    expect((await flagged()).items).toEqual([]);
    const state = (await (await fetch(`${server.url}/api/connect/state`)).json()) as ServerState;
    expect(page.pulls.at(-1)).toBe(state.dataVersion);
    await expect(
      page.connection.send({ type: 'review-activity', id: 'no-such-activity', decision: { kind: 'confirm' } }),
    ).rejects.toThrow(/There is no activity no-such-activity/);
  });

  it('says plainly what only a browser of its own does, and when the server wants its secret', async () => {
    const server = await start({ secret: 'a-long-enough-server-secret' });
    const page = connectPage(server);
    await expect(page.connection.send({ type: 'use-demo' })).rejects.toThrow(/FOLIO_API_URL/);
    await expect(page.connection.send({ type: 'import-database', bytes: new ArrayBuffer(8) })).rejects.toThrow(
      /import files into a browser of your own/,
    );
    expect(page.connection.locked.value).toBe(false);
    await expect(page.connection.send({ type: 'status' })).rejects.toThrow(/needs its secret/);
    expect(page.connection.locked.value).toBe(true);
  });

  it('a Sync Now whose completion the stream never brought ends when the stream reconnects', async () => {
    const server = await start();
    // The stream is down (the server restarted mid-sync, say): no event reaches this page.
    const page = connectPage(server, { live: false });
    const waiting = page.connection.send({ type: 'sync', trigger: 'manual' });
    await expect.poll(() => server.demo.requests.length).toBeGreaterThan(0);
    await server.runner.settled();
    // Reconnected: the server is not syncing, so no completion is coming; the page stops waiting.
    page.dispatch('open');
    const result = (await waiting) as SyncResult;
    expect(result).toMatchObject({ skipped: 'busy', message: expect.stringMatching(/sync again/) });
  });
});
