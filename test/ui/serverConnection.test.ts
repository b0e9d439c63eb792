/**
 * The page's connection to a Folio Sync server, against a real server on 127.0.0.1 (its own demo
 * cloud, a real SQLite file), over real HTTP and a real event stream (read by a small EventSource
 * for Node; Chromium's own is in test/e2e/serverMode.test.ts).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncResult } from '../../src/core/syncEvents.ts';
import type { ServerState } from '../../src/pwa/serverMode.ts';
import type { Broadcast, Command } from '../../src/pwa/swProtocol.ts';
import { startAppServer } from '../../src/server/appServer.ts';
import type { SyncServer } from '../../src/server/syncServer.ts';
import { connectServer, detectAppMode } from '../../src/ui/pwa/serverConnection.ts';
import { openTestEventSource } from '../support/eventSource.ts';
import { useSyncServers } from '../support/syncServers.ts';

/** Streams and servers a test opened beyond the file's sync servers. */
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

const servers = useSyncServers();
const { start } = servers;

/** The page's fetch: paths are relative to the server that served it. */
const pageFetch =
  (origin: string, posts: string[] = [], hold?: (path: string) => Promise<void>) =>
  async (input: string | URL | Request, init?: RequestInit) => {
    if (init?.method && init.method !== 'GET') {
      posts.push(`${init.method} ${String(input)}`);
      await hold?.(String(input));
    }
    return fetch(new URL(String(input), origin), init);
  };

const stateOf = async (server: SyncServer) =>
  (await (await fetch(`${server.url}/api/connect/state`)).json()) as ServerState;

interface PageOptions {
  /** Hands the page a stream of the test's making instead of the server's. */
  openEvents?: (url: string) => EventStream;
  /** Holds a POST until the promise settles. */
  hold?: (path: string) => Promise<void>;
  pollMs?: number;
}

type EventStream = Parameters<typeof connectServer>[0]['openEvents'] extends (url: string) => infer S ? S : never;

/** A page connected to `server` as main.tsx connects it: real HTTP, a real event stream; its worker records pulls. */
async function connectPage(server: SyncServer, options: PageOptions = {}) {
  const pulls: (string | null)[] = [];
  const posts: string[] = [];
  const warnings: string[] = [];
  const opened: string[] = [];
  const connection = connectServer({
    worker: {
      send: ((command: Command) => {
        if (command.type !== 'pull-server-copy') throw new Error(`The worker got ${command.type}`);
        pulls.push(command.version);
        return Promise.resolve({ changed: true });
      }) as never,
      onBroadcast: () => () => undefined,
    },
    fetch: pageFetch(server.url, posts, options.hold),
    openEvents: (url) => {
      opened.push(url);
      if (options.openEvents) return options.openEvents(url);
      const source = openTestEventSource(new URL(url, server.url).href);
      closers.push(() => Promise.resolve(source.close()));
      return source;
    },
    version: 'test-build',
    initial: await stateOf(server),
    locked: false,
    warn: (message) => warnings.push(message),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
  });
  const heard: Broadcast[] = [];
  connection.onBroadcast((message) => heard.push(message));
  // As main.tsx does once the page is up.
  await connection.send({ type: 'status' });
  return { connection, pulls, posts, heard, warnings, opened };
}

const completions = (heard: Broadcast[]) => heard.filter((message) => message.type === 'broker:sync-complete');

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
    const plain = await startAppServer({ distDir: join(servers.dir(), 'dist'), host: '127.0.0.1', port: 0 });
    closers.push(plain.close);
    expect((await detectAppMode(pageFetch(plain.url), 'server')).mode).toBe('browser');
    // A static host without the API, or one that answers every path with the app.
    const missing = () => Promise.resolve(new Response('Not found', { status: 404 }));
    expect((await detectAppMode(missing, 'server')).mode).toBe('browser');
    const html = () => Promise.resolve(new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }));
    expect((await detectAppMode(html, 'server')).mode).toBe('browser');
    // Offline, or a proxy's error while the server restarts: what it found last time.
    const offline = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await detectAppMode(offline, 'server')).toEqual({ mode: 'server', state: null, locked: false });
    const restarting = () => Promise.resolve(new Response('Bad gateway', { status: 502 }));
    expect((await detectAppMode(restarting, 'server')).mode).toBe('server');
    expect((await detectAppMode(restarting, 'browser')).mode).toBe('browser');
  });
});

describe('a page following the server', () => {
  it('Sync Now posts to the server and answers with the sync its stream completes; the copy follows', async () => {
    const server = await start();
    const page = await connectPage(server);
    const result = (await page.connection.send({ type: 'sync', trigger: 'manual' })) as SyncResult;
    expect(result).toMatchObject({ success: true, skipped: null });
    expect(result.accountsSynced).toBeGreaterThan(0);
    expect(page.posts).toEqual(['POST /api/connect/sync']);
    const types = page.heard.map((message) => message.type);
    expect(types).toContain('broker:sync-start');
    expect(types).toContain('broker:sync-progress');
    expect(types).toContain('broker:sync-complete');
    const status = page.heard.find((message) => message.type === 'cloud:changed');
    expect(status?.payload).toMatchObject({ signedIn: true, cloud: null, version: 'test-build', server: {} });
    // Asked for the copy of the data the sync left.
    const state = await stateOf(server);
    await expect.poll(() => page.pulls.at(-1)).toBe(state.dataVersion);
  });

  it('a new tab hears what comes next, not the history of every sync before it', async () => {
    const server = await start();
    await fetch(`${server.url}/api/connect/sync`, { method: 'POST' });
    await server.runner.settled();
    const page = await connectPage(server);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(completions(page.heard)).toEqual([]);
    await page.connection.send({ type: 'sync', trigger: 'manual' });
    expect(completions(page.heard)).toHaveLength(1);
  });

  it('answers Sync Now with its own sync, not one that completed while its request was on the way', async () => {
    const server = await start();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const page = await connectPage(server, { hold: () => held });
    const manual = page.connection.send({ type: 'sync', trigger: 'manual' });
    // A scheduled sync with new trades runs and completes while the click's request waits.
    server.demo.setScenario({ newTrades: 2 });
    await server.runner.request('auto');
    await expect.poll(() => completions(page.heard).length).toBe(1);
    server.demo.setScenario({});
    release();
    const result = (await manual) as SyncResult;
    expect(result.activitiesSynced.activitiesUpserted).toBe(0);
    expect(completions(page.heard)).toHaveLength(2);
  });

  it('a tab coming back never syncs the cloud: the server syncs on its schedule', async () => {
    const server = await start();
    const page = await connectPage(server);
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
    const page = await connectPage(server);
    await page.connection.send({ type: 'review-activity', id, decision: { kind: 'confirm' } });
    expect((await flagged()).items).toEqual([]);
    expect(page.pulls.at(-1)).toBe((await stateOf(server)).dataVersion);
    await expect(
      page.connection.send({ type: 'review-activity', id: 'no-such-activity', decision: { kind: 'confirm' } }),
    ).rejects.toThrow(/There is no activity no-such-activity/);
  });

  it('says plainly what only a browser of its own does, and when the server wants its secret', async () => {
    const server = await start();
    const page = await connectPage(server);
    await expect(page.connection.send({ type: 'use-demo' })).rejects.toThrow(/FOLIO_API_URL/);
    await expect(page.connection.send({ type: 'import-database', bytes: new ArrayBuffer(8) })).rejects.toThrow(
      /import files into a browser of your own/,
    );
    // A token the cloud refuses is said at the form's field, as in a browser of its own.
    server.demo.setScenario({ refreshRefused: true });
    await expect(
      page.connection.send({ type: 'sign-in', cloud: { apiUrl: '', authUrl: '', apiKey: '' }, refreshToken: 'dead' }),
    ).rejects.toMatchObject({ name: 'CommandError', field: 'refreshToken', message: expect.stringMatching(/refused/) });
    server.demo.setScenario({});
    const locked = await start({ secret: 'a-long-enough-server-secret' });
    const lockedPage = connectServer({
      worker: { send: (() => Promise.resolve({ changed: false })) as never, onBroadcast: () => () => undefined },
      fetch: pageFetch(locked.url),
      openEvents: () => {
        throw new Error('A locked page opens no stream');
      },
      version: 'test-build',
      initial: null,
      locked: true,
      warn: () => undefined,
    });
    expect(lockedPage.locked.value).toBe(true);
    await expect(lockedPage.send({ type: 'status' })).rejects.toThrow(/needs its secret/);
  });

  it('a Sync Now whose completion the stream never brings ends once the server says twice it is idle', async () => {
    const server = await start();
    // A stream that stays open and says nothing (the server restarted and lost its history, say).
    const silent = { readyState: 1, addEventListener: () => undefined };
    const page = await connectPage(server, { openEvents: () => silent, pollMs: 50 });
    const result = (await page.connection.send({ type: 'sync', trigger: 'manual' })) as SyncResult;
    expect(result).toMatchObject({ skipped: 'busy', message: expect.stringMatching(/did not say how the sync ended/) });
    expect(server.runner.isRunning()).toBe(false);
  });

  it('opens the stream again when it closes for good, from the last event it saw', async () => {
    const server = await start();
    let first = true;
    const page = await connectPage(server, {
      openEvents: (url) => {
        if (first) {
          first = false;
          // A reconnect answered with an error: an EventSource closes and stays closed.
          const listeners: ((event: MessageEvent<string>) => void)[] = [];
          setTimeout(() => {
            for (const listener of listeners) listener(new MessageEvent('error'));
          }, 10);
          return {
            readyState: 2,
            addEventListener: (type: string, listener: (event: MessageEvent<string>) => void) => {
              if (type === 'error') listeners.push(listener);
            },
          };
        }
        const source = openTestEventSource(new URL(url, server.url).href);
        closers.push(() => Promise.resolve(source.close()));
        return source;
      },
    });
    await expect.poll(() => page.opened.length, { timeout: 5000 }).toBe(2);
    expect(page.opened[1]).toMatch(/^\/api\/events\/stream\?after=/);
    await page.connection.send({ type: 'sync', trigger: 'manual' });
    expect(completions(page.heard)).toHaveLength(1);
  });
});
