/**
 * Server mode over real HTTP on 127.0.0.1, against a real SQLite file and the demo cloud it
 * serves itself: the sync endpoint, the live event stream (two clients, replay, keep-alive), the
 * read and session endpoints, the secret, and the configuration it refuses.
 */
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { HttpResponse, http } from 'msw';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULED_SYNC_INTERVAL_MS } from '../../src/core/syncScheduler.ts';
import { DEMO_REFRESH_TOKEN } from '../../src/demo/demoDefaults.ts';
import { serveHandlers } from '../../src/demo/serveHandlers.ts';
import { startAppServer } from '../../src/server/appServer.ts';
import { createServerAuth } from '../../src/server/serverAuth.ts';
import { ConfigError, readServerConfig } from '../../src/server/serverConfig.ts';
import type { SyncServer } from '../../src/server/syncServer.ts';
import { useSyncServers } from '../support/syncServers.ts';

/** The scheduler's timers, fired by hand. */
const fired: (() => unknown)[] = [];
const servers = useSyncServers({
  setTimer: (fire) => {
    fired.push(fire);
    return () => undefined;
  },
  keepAliveMs: 100,
});
const { start } = servers;

interface StreamedEvent {
  id: string | null;
  event: string | null;
  data: string;
  comment: boolean;
}

/** Reads the event stream until `until` says enough, then closes it. */
async function readStream(
  url: string,
  until: (events: StreamedEvent[]) => boolean,
  headers: Record<string, string> = {},
): Promise<StreamedEvent[]> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/events/stream`, { headers, signal: controller.signal });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: StreamedEvent[] = [];
  let buffer = '';
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim() ?? null;
      events.push({
        id: field('id'),
        event: field('event'),
        data: field('data') ?? '',
        comment: block.startsWith(':'),
      });
      end = buffer.indexOf('\n\n');
    }
  }
  controller.abort();
  return events;
}

const completes = (events: StreamedEvent[]) => events.filter((event) => event.event === 'broker:sync-complete');
const profileRequests = (server: SyncServer) =>
  server.demo.requests.filter((request) => request.path.endsWith('/api/v1/user/me')).length;

describe('server mode', () => {
  let server: SyncServer;
  beforeAll(async () => {
    server = await start();
  });

  it('tells every connected browser when a manual and a scheduled sync complete', async () => {
    const listening = [1, 2].map(() => readStream(server.url, (events) => completes(events).length >= 2));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`${server.url}/api/connect/sync`, { method: 'POST' })).status).toBe(202);
    await server.runner.settled();
    // The scheduler's timer fires: a scheduled sync.
    await fired.at(-1)?.();
    for (const events of await Promise.all(listening)) {
      const done = completes(events).map((event) => JSON.parse(event.data) as { success: boolean });
      expect(done).toHaveLength(2);
      expect(done.every((result) => result.success)).toBe(true);
      expect(events.every((event) => event.comment || event.id !== null)).toBe(true);
    }
  });

  it('joins a running sync: two quick requests make one sync', async () => {
    const before = profileRequests(server);
    const answers = await Promise.all(
      [1, 2].map(() => fetch(`${server.url}/api/connect/sync`, { method: 'POST' }).then((response) => response.status)),
    );
    expect(answers).toEqual([202, 202]);
    await server.runner.settled();
    expect(profileRequests(server) - before).toBe(1);
  });

  it('replays what a reconnecting browser missed, from its Last-Event-ID, and a fresh one nothing', async () => {
    const lastSeen = ((await (await fetch(`${server.url}/api/connect/state`)).json()) as { lastEventId: string })
      .lastEventId;
    await fetch(`${server.url}/api/connect/sync`, { method: 'POST' });
    await server.runner.settled();
    const replayed = await readStream(server.url, (events) => completes(events).length > 0, {
      'last-event-id': lastSeen,
    });
    // Everything after the last event it saw, in order, and nothing it had already seen.
    const number = (id: string | null) => Number(id?.split('-')[1]);
    const ids = replayed.filter((event) => !event.comment).map((event) => number(event.id));
    expect(ids[0]).toBe(number(lastSeen) + 1);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(replayed.map((event) => event.event)).toContain('broker:sync-start');
    expect(completes(replayed).length).toBeGreaterThan(0);
    // A browser that names nothing it saw gets what comes next, not the history of every sync.
    const fresh = await readStream(server.url, (events) => events.some((event) => event.comment));
    expect(fresh.filter((event) => !event.comment)).toEqual([]);
  });

  it('keeps a quiet stream alive with comments', async () => {
    const events = await readStream(server.url, (seen) => seen.some((event) => event.comment), {
      'last-event-id': server.events.since(undefined).at(-1)?.id ?? '',
    });
    expect(events.some((event) => event.comment)).toBe(true);
  });

  it('answers what the app shows: state with the next scheduled run, accounts, activities, holdings, history', async () => {
    const state = (await (await fetch(`${server.url}/api/connect/state`)).json()) as Record<string, unknown>;
    expect(state).toMatchObject({ syncing: false, signedIn: true });
    expect(Date.parse(String(state.nextRunAt)) - Date.now()).toBeGreaterThan(SCHEDULED_SYNC_INTERVAL_MS - 60_000);
    expect(JSON.stringify(state)).not.toContain('demo-');
    const accounts = (await (await fetch(`${server.url}/api/accounts`)).json()) as { id: string; name: string }[];
    expect(accounts.map((account) => account.name)).toContain('TFSA');
    const tfsa = accounts.find((account) => account.name === 'TFSA')?.id ?? '';
    const page = (await (await fetch(`${server.url}/api/activities?accountId=${tfsa}&limit=5&offset=5`)).json()) as {
      total: number;
      items: { accountName: string }[];
    };
    expect(page.items).toHaveLength(5);
    expect(page.total).toBe(
      server.demo.dataset().accounts.find((account) => account.plan.name === 'TFSA')?.activities.length,
    );
    expect(page.items.every((item) => item.accountName === 'TFSA')).toBe(true);
    const review = (await (await fetch(`${server.url}/api/activities?needsReview=true`)).json()) as { total: number };
    expect(review.total).toBe(1);
    const holdings = (await (await fetch(`${server.url}/api/holdings`)).json()) as {
      holdings: unknown[];
      cash: unknown[];
    };
    expect(holdings.holdings.length).toBeGreaterThan(0);
    expect(((await (await fetch(`${server.url}/api/import-runs?limit=4`)).json()) as unknown[]).length).toBe(4);
  });

  it('answers HEAD on the stream at once, leaving nothing open behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    for (let i = 0; i < 5; i++) {
      const head = await fetch(`${server.url}/api/events/stream`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toMatch(/^text\/event-stream/);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A stream's keep-alive timer is one per open stream: none may be left by a HEAD.
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('refuses bad input with a clear 4xx', async () => {
    for (const query of ['limit=0', 'limit=abc', 'offset=-1', 'needsReview=maybe']) {
      const response = await fetch(`${server.url}/api/activities?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { message: string }).message).toBeTruthy();
    }
    const put = (body: string) =>
      fetch(`${server.url}/api/session`, { method: 'PUT', body, headers: { 'content-type': 'application/json' } });
    expect((await put('{')).status).toBe(400);
    expect((await put('{"refreshToken": 42}')).status).toBe(400);
    expect((await put(JSON.stringify({ refreshToken: 'x'.repeat(20_000) }))).status).toBe(413);
  });

  it('sets and clears the refresh token, and never sends it back', async () => {
    const del = await fetch(`${server.url}/api/session`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(await (await fetch(`${server.url}/api/connect/state`)).json()).toMatchObject({ signedIn: false });
    // Signed out means signed out: no access token of the old sign-in syncs again.
    const before = server.demo.requests.length;
    await fetch(`${server.url}/api/connect/sync`, { method: 'POST' });
    await server.runner.settled();
    expect(server.demo.requests.length).toBe(before);
    const put = await fetch(`${server.url}/api/session`, {
      method: 'PUT',
      body: JSON.stringify({ refreshToken: DEMO_REFRESH_TOKEN }),
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(202);
    expect(await put.text()).not.toContain(DEMO_REFRESH_TOKEN);
    await server.runner.settled();
    const state = await (await fetch(`${server.url}/api/connect/state`)).text();
    expect(JSON.parse(state)).toMatchObject({ signedIn: true });
    expect(state).not.toContain(DEMO_REFRESH_TOKEN);
  });
  it('keeps a sign-in only when the auth server accepted it, and forgets a token it refuses later', async () => {
    server.demo.setScenario({ refreshRefused: true });
    const put = await fetch(`${server.url}/api/session`, {
      method: 'PUT',
      body: JSON.stringify({ refreshToken: 'demo-revoked' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(422);
    expect(await put.json()).toMatchObject({ error: 'token_refused', field: 'refreshToken' });
    // The token it had is still the one it has: signed in as before.
    expect(await (await fetch(`${server.url}/api/connect/state`)).json()).toMatchObject({ signedIn: true });
    // Revoked at the cloud: its access token is refused, then the refresh. Forgotten, so every
    // browser says Not connected.
    server.demo.setScenario({ refreshRefused: true, unauthorized: 1 });
    await fetch(`${server.url}/api/connect/sync`, { method: 'POST' });
    await server.runner.settled();
    expect(await (await fetch(`${server.url}/api/connect/state`)).json()).toMatchObject({ signedIn: false });
    // Signed in again, for the tests after.
    server.demo.setScenario({});
    const again = await fetch(`${server.url}/api/session`, {
      method: 'PUT',
      body: JSON.stringify({ refreshToken: DEMO_REFRESH_TOKEN }),
      headers: { 'content-type': 'application/json' },
    });
    expect(again.status).toBe(202);
    await server.runner.settled();
  });

  it('hands browsers a copy of its database without secrets, and again only when the data changed', async () => {
    const version = async () =>
      ((await (await fetch(`${server.url}/api/connect/state`)).json()) as { dataVersion: string }).dataVersion;
    const first = await version();
    const response = await fetch(`${server.url}/api/database`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-data-version')).toBe(first);
    const etag = response.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[\w-]{43}"$/);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('content-type')).toBe('application/vnd.sqlite3');
    const bytes = Buffer.from(await response.arrayBuffer());
    // Rollback-journal mode (header bytes 18 and 19), so sql.js opens it as it is.
    expect([bytes[18], bytes[19]]).toEqual([1, 1]);
    // The token the server holds now (the demo cloud rotates it), nowhere in the bytes.
    const held = new Database(join(servers.dataDirOf(server), 'folio.sqlite'), { readonly: true });
    const token = held.prepare("SELECT value FROM settings WHERE key = 'cloud.refreshToken'").get() as {
      value: string;
    };
    held.close();
    expect(token.value.length).toBeGreaterThan(10);
    expect(bytes.includes(Buffer.from(token.value))).toBe(false);
    const copy = new Database(bytes);
    try {
      expect(copy.prepare("SELECT COUNT(*) AS n FROM settings WHERE key = 'cloud.refreshToken'").get()).toEqual({
        n: 0,
      });
      const total = ((await (await fetch(`${server.url}/api/activities?limit=1`)).json()) as { total: number }).total;
      expect(copy.prepare('SELECT COUNT(*) AS n FROM activities').get()).toEqual({ n: total });
    } finally {
      copy.close();
    }

    const again = await fetch(`${server.url}/api/database`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    await fetch(`${server.url}/api/connect/sync`, { method: 'POST' });
    await server.runner.settled();
    expect(await version()).not.toBe(first);
    const changed = await fetch(`${server.url}/api/database`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('applies a review decision only once a running sync has finished', async () => {
    const server = await start();
    await fetch(`${server.url}/api/connect/sync`, { method: 'POST' });
    await server.runner.settled();
    const flagged = (await (await fetch(`${server.url}/api/activities?needsReview=true`)).json()) as {
      items: { id: string }[];
    };
    const id = flagged.items[0]?.id ?? '';
    server.demo.setScenario({ pageDelayMs: 30 });
    try {
      await fetch(`${server.url}/api/connect/sync`, { method: 'POST' });
      expect(server.runner.isRunning()).toBe(true);
      const decided = await fetch(`${server.url}/api/activities/${id}/review`, {
        method: 'POST',
        body: '{"kind": "confirm"}',
        headers: { 'content-type': 'application/json' },
      });
      expect(decided.status).toBe(204);
      expect(server.runner.isRunning()).toBe(false);
      const text = await fetch(`${server.url}/api/activities/${id}/review`, {
        method: 'POST',
        body: '{"kind": "confirm"}',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBe(415);
    } finally {
      server.demo.setScenario({});
    }
  });

  it('tags the same data the same after a restart, so browsers holding it download nothing', async () => {
    const dataDir = join(servers.dir(), 'restarted');
    const before = await start({ dataDir });
    await fetch(`${before.url}/api/connect/sync`, { method: 'POST' });
    await before.runner.settled();
    const etag = (await fetch(`${before.url}/api/database`)).headers.get('etag') ?? '';
    await before.close();
    const after = await start({ dataDir });
    const again = await fetch(`${after.url}/api/database`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('takes review decisions, and refuses a bad one with a clear 4xx', async () => {
    const flagged = async () =>
      (await (await fetch(`${server.url}/api/activities?needsReview=true`)).json()) as {
        total: number;
        items: { id: string }[];
      };
    const id = (await flagged()).items[0]?.id ?? '';
    const review = (target: string, body: string) =>
      fetch(`${server.url}/api/activities/${encodeURIComponent(target)}/review`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
    expect((await review(id, '{')).status).toBe(400);
    expect((await review(id, '{"kind": "approve"}')).status).toBe(400);
    const correction = {
      activityType: 'NOT_A_TYPE',
      quantity: null,
      unitPrice: null,
      amount: '1',
      activityDate: '2026-01-02',
    };
    const refused = await review(id, JSON.stringify({ kind: 'correct', correction }));
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { message: string }).message).toContain('NOT_A_TYPE');
    expect((await review('no-such-activity', '{"kind": "confirm"}')).status).toBe(404);
    expect((await flagged()).total).toBe(1);

    const state = async () =>
      (await (await fetch(`${server.url}/api/connect/state`)).json()) as { dataVersion: string };
    const before = (await state()).dataVersion;
    expect((await review(id, '{"kind": "confirm"}')).status).toBe(204);
    expect((await flagged()).total).toBe(0);
    expect((await state()).dataVersion).not.toBe(before);
  });
});

describe('server mode on a cloud of its choosing', () => {
  it('syncs the cloud FOLIO_API_URL and FOLIO_AUTH_URL name, with FOLIO_REFRESH_TOKEN, and serves no demo cloud', async () => {
    // Another server speaking the cloud protocol: `npm start`'s demo cloud, on its own port.
    const cloud = await startAppServer({ distDir: join(servers.dir(), 'dist'), host: '127.0.0.1', port: 0 });
    try {
      const apiUrl = `${cloud.url}/demo-cloud`;
      const server = await start({ apiUrl, authUrl: apiUrl, refreshToken: DEMO_REFRESH_TOKEN });
      await fetch(`${server.url}/api/connect/sync`, { method: 'POST' });
      await server.runner.settled();
      expect(cloud.demo.requests.some((request) => request.path.endsWith('/api/v1/user/me'))).toBe(true);
      expect(server.demo.requests).toEqual([]);
      const state = (await (await fetch(`${server.url}/api/connect/state`)).json()) as Record<string, unknown>;
      expect(state).toMatchObject({ signedIn: true, cloud: { apiUrl, authUrl: apiUrl } });
      expect(((await (await fetch(`${server.url}/api/accounts`)).json()) as unknown[]).length).toBe(5);
      expect((await fetch(`${server.url}/demo-cloud/api/v1/user/me`)).status).toBe(404);
    } finally {
      await cloud.close();
    }
  });
});

describe('server mode when things fail', () => {
  // The cloud's retries and backoff without their waits; a scheduled sync fired by hand.
  const scheduled: (() => unknown)[] = [];
  const quick = useSyncServers({
    sleep: () => Promise.resolve(),
    setTimer: (fire) => {
      scheduled.push(fire);
      return () => undefined;
    },
  });

  it('answers a failed sign-in generically, keeps the details in its log, and never logs a token', async () => {
    const TYPED = 'typed-refresh-token-7f3a';
    const ROTATED = 'rotated-refresh-token-91c2';
    const DETAIL = 'pg: connection to 10.0.3.7:5432 refused';
    let authFails = true;
    // A cloud that fails in its own words: first the auth server, then every API call.
    const cloud = await serveHandlers([
      http.post('*/auth/v1/token', () =>
        authFails
          ? HttpResponse.json({ error: 'internal', message: DETAIL }, { status: 500 })
          : HttpResponse.json({
              access_token: 'access',
              token_type: 'bearer',
              expires_in: 3600,
              refresh_token: ROTATED,
            }),
      ),
      http.all('*/api/v1/*', () => HttpResponse.json({ error: 'internal', message: DETAIL }, { status: 500 })),
    ]);
    try {
      const server = await quick.start({ apiUrl: cloud.url, authUrl: cloud.url });
      const signIn = () =>
        fetch(`${server.url}/api/session`, {
          method: 'PUT',
          body: JSON.stringify({ refreshToken: TYPED }),
          headers: { 'content-type': 'application/json' },
        });
      const refused = await signIn();
      expect(refused.status).toBe(502);
      const said = await refused.text();
      expect(JSON.parse(said)).toMatchObject({ error: 'auth_failed' });
      expect(said).not.toContain(DETAIL);

      // Signed in, then a scheduled sync fails on every call.
      authFails = false;
      expect((await signIn()).status).toBe(202);
      await server.runner.settled();
      scheduled.at(-1)?.();
      await server.runner.settled();
      const logged = quick.logged.join('\n');
      // The operator's log has what each failure was, in the cloud's words.
      expect(logged).toContain(
        `Sign-in: the auth server failed: CloudError: The cloud failed on the token refresh (HTTP 500: ${DETAIL})`,
      );
      expect(logged).toMatch(new RegExp(`Sync failed: .*${DETAIL}`));
      for (const token of [TYPED, ROTATED]) expect(logged).not.toContain(token);
    } finally {
      await cloud.close();
    }
  });
});

describe('server mode with a secret', () => {
  const SECRET = 'a-long-enough-server-secret';

  it('asks every API and stream request for it, compared in full', async () => {
    const server = await start({ secret: SECRET });
    for (const path of ['/api/connect/state', '/api/events/stream', '/api/accounts']) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(401);
      const wrong = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${SECRET.slice(0, -1)}x` },
      });
      expect(wrong.status, path).toBe(401);
    }
    expect((await fetch(`${server.url}/api/connect/sync`, { method: 'POST' })).status).toBe(401);
    const right = await fetch(`${server.url}/api/connect/state`, { headers: { authorization: `Bearer ${SECRET}` } });
    expect(right.status).toBe(200);
    // The app itself loads without it (its data does not), and so does the health check.
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ ok: true });
  });
});

describe('signing a browser in', () => {
  const SECRET = 'another-long-server-secret';
  const signIn = (server: SyncServer, secret: string) =>
    fetch(`${server.url}/signin`, {
      method: 'POST',
      body: new URLSearchParams({ secret }),
      redirect: 'manual',
    });

  it('sets an HttpOnly, SameSite=Strict cookie for the right secret only, which then opens the API and the stream', async () => {
    const server = await start({ secret: SECRET });
    const form = await fetch(`${server.url}/signin`);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<form method="post" action="/signin">');

    const wrong = await signIn(server, 'not-the-secret-at-all');
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get('location')).toBe('/signin?failed');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await (await fetch(`${server.url}/signin?failed`)).text()).toContain('role="alert"');

    const right = await signIn(server, SECRET);
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/');
    const cookie = right.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^folio_session=\d+\.[0-9a-f]{64};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain(SECRET);
    const session = cookie.split(';')[0] ?? '';
    expect((await fetch(`${server.url}/api/connect/state`, { headers: { cookie: session } })).status).toBe(200);
    const stream = await fetch(`${server.url}/api/events/stream`, { headers: { cookie: session } });
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
    // A cookie made up, or one for another secret, opens nothing.
    const forged = `folio_session=${'9'.repeat(12)}.${'0'.repeat(64)}`;
    expect((await fetch(`${server.url}/api/connect/state`, { headers: { cookie: forged } })).status).toBe(401);
  });

  it('ends a session after 30 days whatever the browser keeps, and one whose expiry was edited at once', async () => {
    let now = Date.parse('2026-11-29T12:00:00.000Z');
    const auth = createServerAuth(SECRET, () => now);
    const app = new Hono();
    app.route('/signin', auth.routes);
    app.use('/api/*', auth.requireSecret);
    app.get('/api/state', (c) => c.json({ ok: true }));
    const signedIn = await app.request('/signin', { method: 'POST', body: new URLSearchParams({ secret: SECRET }) });
    const session = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const state = (cookie: string) => app.request('/api/state', { headers: { cookie } });
    expect((await state(session)).status).toBe(200);
    const [name, value = ''] = session.split('=');
    const [expires = '', mac] = value.split('.');
    expect((await state(`${name}=${Number(expires) + 86_400}.${mac}`)).status).toBe(401);
    now += 29 * 86_400_000;
    expect((await state(session)).status).toBe(200);
    now += 2 * 86_400_000;
    expect((await state(session)).status).toBe(401);
  });

  it('has nothing to sign in to without a secret', async () => {
    const server = await start();
    const response = await fetch(`${server.url}/signin`, { redirect: 'manual' });
    expect(response.status).toBe(303);
  });
});

describe('behind a reverse proxy', () => {
  /** A request as the proxy forwards it: the public Host, the browser's Origin. */
  const viaProxy = (url: string, path: string, headers: Record<string, string>, method = 'GET') =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
      const request = httpRequest(new URL(path, url), { method, headers }, (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, headers: response.headers });
      });
      request.on('error', reject);
      request.end(method === 'POST' && path === '/signin' ? 'secret=a-long-enough-server-secret' : undefined);
    });

  it('answers FOLIO_PUBLIC_ORIGIN on loopback, takes posts from its pages, and marks the cookie Secure', async () => {
    const server = await start({ publicOrigin: 'https://folio.example.com', secret: 'a-long-enough-server-secret' });
    const host = { host: 'folio.example.com' };
    expect((await viaProxy(server.url, '/health', host)).status).toBe(200);
    expect((await viaProxy(server.url, '/health', { host: 'evil.example' })).status).toBe(421);
    const form = { ...host, origin: 'https://folio.example.com', 'content-type': 'application/x-www-form-urlencoded' };
    const signedIn = await viaProxy(server.url, '/signin', form, 'POST');
    expect(signedIn.status).toBe(303);
    expect(String(signedIn.headers['set-cookie'])).toContain('Secure');
    const elsewhere = { ...form, origin: 'https://evil.example' };
    expect((await viaProxy(server.url, '/signin', elsewhere, 'POST')).status).toBe(403);
  });
});

describe('server configuration', () => {
  it('has defaults for everything', () => {
    expect(readServerConfig({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: './data',
      apiUrl: null,
      authUrl: null,
      refreshToken: null,
      secret: null,
      publicOrigin: null,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a port number (0-65535), not "eighty"'],
    [{ PORT: '70000' }, 'PORT must be a port number (0-65535), not "70000"'],
    [{ FOLIO_API_URL: 'https://api.example' }, 'Set FOLIO_API_URL and FOLIO_AUTH_URL together'],
    [
      { FOLIO_API_URL: 'ftp://x', FOLIO_AUTH_URL: 'https://auth' },
      'FOLIO_API_URL: "ftp://x" is not an http or https URL',
    ],
    [
      { FOLIO_API_URL: 'https://api.example', FOLIO_AUTH_URL: 'http://auth.example' },
      'FOLIO_AUTH_URL: "http://auth.example" must use https',
    ],
    [{ HOST: '0.0.0.0' }, 'HOST=0.0.0.0 lets other machines reach the server: set FOLIO_SERVER_SECRET too'],
    [{ FOLIO_SERVER_SECRET: 'short' }, 'FOLIO_SERVER_SECRET must be at least 16 characters'],
    [{ FOLIO_PUBLIC_ORIGIN: 'https://folio.example/app' }, 'FOLIO_PUBLIC_ORIGIN must be an origin such as'],
  ])('refuses %j', (env, message) => {
    expect(() => readServerConfig(env)).toThrow(ConfigError);
    expect(() => readServerConfig(env)).toThrow(message);
  });

  it('npm run server stops at once with one clear line and exit status 2', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/serverMain.ts'], {
      env: { ...process.env, HOST: '0.0.0.0', FOLIO_SERVER_SECRET: '' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'folio-sync server: HOST=0.0.0.0 lets other machines reach the server: set FOLIO_SERVER_SECRET too',
    ]);
  });

  it('lets other machines in only with a secret', () => {
    expect(readServerConfig({ HOST: '0.0.0.0', FOLIO_SERVER_SECRET: 'a-long-enough-server-secret' })).toMatchObject({
      host: '0.0.0.0',
      secret: 'a-long-enough-server-secret',
    });
  });
});
