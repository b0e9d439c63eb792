/**
 * The page's line to a Folio Sync server (server mode; docs/architecture.md, "Server mode"). It
 * answers the same commands and delivers the same broadcasts as the service worker's connection,
 * so the models do not know which one they have. The syncs are the server's: Sync Now posts to
 * it, and every event arrives over its event stream, in every open tab (an EventSource
 * reconnects by itself, and the server replays what it missed from Last-Event-ID). The service
 * worker keeps the offline copy of the server's data, fetched only when the data version moved.
 */
import { type ReadonlySignal, signal } from '@preact/signals';
import type { SyncEventName, SyncResult } from '../../core/syncEvents.ts';
import { skippedResult } from '../../core/syncOutcome.ts';
import type { AppMode } from '../../pwa/cloudSettings.ts';
import { isServerState, SERVER_DATABASE_KEY, SERVER_STATE_PATH, type ServerState } from '../../pwa/serverMode.ts';
import type { Broadcast, CloudStatus, Command, CommandMap, CommandName } from '../../pwa/swProtocol.ts';
import type { WorkerConnection } from './workerConnection.ts';

/** Every event the server's stream carries (src/core/syncEvents.ts). */
const EVENT_NAMES = {
  'broker:sync-start': true,
  'broker:sync-progress': true,
  'broker:sync-complete': true,
  'broker:sync-error': true,
  'portfolio:trigger-update': true,
  'portfolio:update-complete': true,
} satisfies Record<SyncEventName, true>;

/** The part of EventSource used here. */
interface EventStream {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
}

export interface ServerConnectionDeps {
  /** The service worker: it keeps the offline copy and announces each new one. */
  worker: Pick<WorkerConnection, 'send' | 'onBroadcast'>;
  fetch: typeof fetch;
  openEvents(url: string): EventStream;
  /** The app's build, reported as the version. */
  version: string;
  /** What the server said when the page started. */
  initial: ServerState | null;
  /** It asked for its secret when the page started: no stream until the user signed in. */
  locked: boolean;
  /** A background refresh failed (the page shows it; nothing is lost). */
  warn(message: string): void;
}

export interface ServerConnection extends Pick<WorkerConnection, 'send' | 'onBroadcast'> {
  /** The server wants its secret: the page offers its sign-in. */
  locked: ReadonlySignal<boolean>;
}

/** A state answer at most this old is fresh enough for a tab coming back to the foreground. */
const STATE_FRESH_MS = 60_000;

const SERVER_EVENTS_PATH = '/api/events/stream';

class ServerError extends Error {
  override readonly name = 'ServerError';
}

/** The server's `{message}` from an error answer, or its status. */
async function failure(response: Response, what: string): Promise<ServerError> {
  const body = (await response.json().catch(() => null)) as { message?: unknown } | null;
  const detail = typeof body?.message === 'string' ? body.message : `HTTP ${response.status}`;
  return new ServerError(`${what}: ${detail}`);
}

/**
 * Which mode the app runs in: a Folio Sync server answers its state (or asks for its secret);
 * anything else (`npm start`, a static host) is the browser on its own. Offline, the last answer.
 */
export async function detectAppMode(
  fetcher: typeof fetch,
  remembered: AppMode,
): Promise<{ mode: AppMode; state: ServerState | null; locked: boolean }> {
  let response: Response;
  try {
    response = await fetcher(SERVER_STATE_PATH, { headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch {
    return { mode: remembered, state: null, locked: false };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 401 && (body as { error?: unknown } | null)?.error === 'unauthorized') {
    return { mode: 'server', state: null, locked: true };
  }
  if (response.ok && isServerState(body)) return { mode: 'server', state: body, locked: false };
  return { mode: 'browser', state: null, locked: false };
}

export function connectServer(deps: ServerConnectionDeps): ServerConnection {
  const { worker } = deps;
  const listeners = new Set<(message: Broadcast) => void>();
  const deliver = (message: Broadcast) => {
    for (const listener of listeners) listener(message);
  };
  const locked = signal(deps.locked);

  let state = deps.initial;
  let stateAt = state ? Date.now() : 0;
  let announced = '';
  const status = (current: ServerState): CloudStatus => ({
    cloud: current.cloud ? { ...current.cloud, apiKey: '' } : null,
    signedIn: current.signedIn,
    syncing: current.syncing,
    version: deps.version,
    server: { nextRunAt: current.nextRunAt },
  });

  const request = async (path: string, init: RequestInit, what: string): Promise<Response> => {
    let response: Response;
    try {
      response = await deps.fetch(path, { ...init, cache: 'no-store' });
    } catch {
      throw new ServerError(`${what}: the server cannot be reached`);
    }
    if (response.status === 401) {
      locked.value = true;
      throw await failure(response, what);
    }
    if (!response.ok) throw await failure(response, what);
    locked.value = false;
    return response;
  };

  /** Brings the offline copy to `version` (the worker skips it when it is there already). */
  const pull = (version: string | null) => worker.send({ type: 'pull-server-copy', version });

  /** Asks the server where it stands; tells the tab when that changed, and pulls new data. */
  async function refresh(): Promise<ServerState> {
    const response = await request(SERVER_STATE_PATH, { headers: { accept: 'application/json' } }, 'Server state');
    const body: unknown = await response.json();
    if (!isServerState(body)) throw new ServerError('The server answered its state in a shape this app does not know');
    state = body;
    stateAt = Date.now();
    const next = status(body);
    const key = JSON.stringify(next);
    if (key !== announced) {
      announced = key;
      deliver({ type: 'cloud:changed', payload: next });
    }
    await pull(body.dataVersion);
    return body;
  }
  const refreshInBackground = () =>
    refresh().catch((error: unknown) => deps.warn(error instanceof Error ? error.message : String(error)));

  // A manual sync's caller waits for its completion on the stream.
  let waiting: ((result: SyncResult | null) => void)[] = [];
  const nextCompletion = () => new Promise<SyncResult | null>((resolve) => waiting.push(resolve));
  const settle = (result: SyncResult | null) => {
    const waiters = waiting;
    waiting = [];
    for (const resolve of waiters) resolve(result);
  };

  const events = deps.locked ? null : deps.openEvents(SERVER_EVENTS_PATH);
  for (const type of Object.keys(EVENT_NAMES) as SyncEventName[]) {
    events?.addEventListener(type, (event) => {
      const message = { type, payload: JSON.parse(event.data) } as Broadcast;
      deliver(message);
      if (message.type === 'broker:sync-complete') settle(message.payload);
      // The data changed at the end of a sync or a portfolio update: the copy follows.
      if (message.type === 'broker:sync-complete' || message.type === 'portfolio:update-complete') {
        void refreshInBackground();
      }
    });
  }
  // (Re)connected: what happened while the stream was down is replayed, but a server that
  // restarted mid-sync never completes that sync; its state says so.
  events?.addEventListener('open', () => {
    void refresh().then(
      (current) => {
        if (!current.syncing) settle(null);
      },
      (error: unknown) => deps.warn(error instanceof Error ? error.message : String(error)),
    );
  });
  worker.onBroadcast((message) => {
    if (message.type === 'db:changed' && message.payload.key === SERVER_DATABASE_KEY) deliver(message);
  });

  /** Starts what makes the server sync, then waits for that sync's completion on the stream. */
  async function syncAfter(start: () => Promise<unknown>): Promise<SyncResult | null> {
    const done = nextCompletion();
    try {
      await start();
    } catch (error) {
      settle(null);
      throw error;
    }
    return done;
  }

  const json = (body: unknown): RequestInit => ({
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  const handlers: { [K in CommandName]: (command: Extract<Command, { type: K }>) => Promise<CommandMap[K]['reply']> } =
    {
      async sync({ trigger }) {
        if (trigger === 'manual') {
          const result = await syncAfter(() => request('/api/connect/sync', { method: 'POST' }, 'Sync Now'));
          return result ?? skippedResult('busy', 'The server stopped before the sync finished: sync again');
        }
        // The user is back: the stream kept the tab current, so a fresh state is all there is to check.
        if (Date.now() - stateAt > STATE_FRESH_MS) {
          try {
            await refresh();
          } catch {
            return skippedResult('offline', 'The server cannot be reached: showing the copy on this device');
          }
        }
        return skippedResult('not-due', 'The server syncs on its own schedule');
      },
      status: async () => status(await refresh()),
      async 'sign-in'({ refreshToken }) {
        const token = refreshToken.trim();
        if (!token) throw new ServerError('A refresh token is needed to sign in');
        const result = await syncAfter(() =>
          request('/api/session', { method: 'PUT', ...json({ refreshToken: token }) }, 'Sign in'),
        );
        void refreshInBackground();
        return result ?? skippedResult('busy', 'Signed in; the server stopped before its first sync finished');
      },
      async 'sign-out'() {
        await request('/api/session', { method: 'DELETE' }, 'Sign out');
        return status(await refresh());
      },
      'use-demo': () =>
        Promise.reject(new ServerError('The server chooses its cloud: set FOLIO_API_URL and FOLIO_AUTH_URL on it')),
      async 'review-activity'({ id, decision }) {
        await request(
          `/api/activities/${encodeURIComponent(id)}/review`,
          { method: 'POST', ...json(decision) },
          'Review',
        );
        // Done when every tab can see it: the copy with the decision is saved.
        await refresh();
        return null;
      },
      'import-database': () =>
        Promise.reject(
          new ServerError("The server's database is the one it syncs: import files into a browser of your own"),
        ),
      'pull-server-copy': ({ version }) => pull(version),
    };

  return {
    locked,
    send(command) {
      const handler = handlers[command.type] as (command: Command) => Promise<CommandMap[CommandName]['reply']>;
      return handler(command) as never;
    },
    onBroadcast(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
