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
import {
  type Broadcast,
  type CloudStatus,
  type Command,
  CommandError,
  type CommandMap,
  type CommandName,
} from '../../pwa/swProtocol.ts';
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
  readonly readyState: number;
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
  /** Overrides how often a waiting Sync Now asks the state (tests). */
  pollMs?: number;
}

export interface ServerConnection extends Pick<WorkerConnection, 'send' | 'onBroadcast'> {
  /** The server wants its secret: the page offers its sign-in. */
  locked: ReadonlySignal<boolean>;
}

/** A state answer at most this old is fresh enough for a tab coming back to the foreground. */
const STATE_FRESH_MS = 60_000;
/** While a Sync Now waits, the state is asked this often, in case the stream never tells. */
const POLL_MS = 10_000;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;
/** EventSource.CLOSED. */
const CLOSED = 2;
const UNTOLD = 'The server did not say how the sync ended: its Sync history shows what it synced';

/** Whether event `id` came after event `than`; ids are `<boot>-<n>`, and another boot's are not comparable. */
const isAfter = (id: string, than: string): boolean => {
  const [boot, n] = id.split('-');
  const [thanBoot, thanN] = than.split('-');
  return boot === thanBoot && Number(n) > Number(thanN);
};

const SERVER_EVENTS_PATH = '/api/events/stream';

class ServerError extends Error {
  override readonly name = 'ServerError';
}

/** The server's `{message}` from an error answer, or its status; a form field's error keeps its field. */
async function failure(response: Response, what: string): Promise<Error> {
  const body = (await response.json().catch(() => null)) as {
    message?: unknown;
    error?: unknown;
    field?: unknown;
  } | null;
  const detail = typeof body?.message === 'string' ? body.message : `HTTP ${response.status}`;
  if (body?.field === 'refreshToken') return new CommandError(detail, String(body.error), 'refreshToken');
  return new ServerError(`${what}: ${detail}`);
}

/** How long the page waits to learn its mode before it goes with the one it found last time. */
const DETECT_TIMEOUT_MS = 3000;

/**
 * Which mode the app runs in: a Folio Sync server answers its state (or asks for its secret);
 * a clear "no such thing" (404, or the app's own page) is the browser on its own. Offline, slow,
 * or an error in between (a proxy's 502 while the server restarts): the mode found last time.
 */
export async function detectAppMode(
  fetcher: typeof fetch,
  remembered: AppMode,
): Promise<{ mode: AppMode; state: ServerState | null; locked: boolean }> {
  const unknown = { mode: remembered, state: null, locked: false };
  let response: Response;
  let body: unknown;
  try {
    response = await fetcher(SERVER_STATE_PATH, {
      headers: { accept: 'application/json' },
      cache: 'no-store',
      signal: AbortSignal.timeout(DETECT_TIMEOUT_MS),
    });
    body = await response.json().catch(() => null);
  } catch {
    return unknown;
  }
  if (response.status === 401 && (body as { error?: unknown } | null)?.error === 'unauthorized') {
    return { mode: 'server', state: null, locked: true };
  }
  if (response.ok && isServerState(body)) return { mode: 'server', state: body, locked: false };
  if (response.status === 404 || response.ok) return { mode: 'browser', state: null, locked: false };
  return unknown;
}

export function connectServer(deps: ServerConnectionDeps): ServerConnection {
  const { worker } = deps;
  const listeners = new Set<(message: Broadcast) => void>();
  const deliver = (message: Broadcast) => {
    for (const listener of listeners) listener(message);
  };
  const locked = signal(deps.locked);

  /** When the state was last asked (to skip asking again on a quick return to the tab). */
  let stateAt = deps.initial ? Date.now() : 0;
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
  const report = (error: unknown) => deps.warn(error instanceof Error ? error.message : String(error));

  /** Asks the server where it stands, tells the tab when that changed, and has the copy follow (in the background). */
  async function refresh(): Promise<ServerState> {
    const response = await request(SERVER_STATE_PATH, { headers: { accept: 'application/json' } }, 'Server state');
    const body: unknown = await response.json();
    if (!isServerState(body)) throw new ServerError('The server answered its state in a shape this app does not know');
    stateAt = Date.now();
    const next = status(body);
    const key = JSON.stringify(next);
    if (key !== announced) {
      announced = key;
      deliver({ type: 'cloud:changed', payload: next });
    }
    pull(body.dataVersion).catch(report);
    return body;
  }
  const refreshInBackground = () => refresh().catch(report);

  // A manual sync's caller waits for the completion of the sync it started or joined: the first
  // `broker:sync-complete` after the event its request named (an earlier one is another sync's).
  interface Waiter {
    after: string;
    resolve(result: SyncResult | null): void;
  }
  let waiters: Waiter[] = [];
  /** Completions seen lately, for a waiter whose request is answered after its sync completed. */
  const completed: { id: string; result: SyncResult }[] = [];
  const settle = (id: string, result: SyncResult) => {
    completed.push({ id, result });
    if (completed.length > 10) completed.shift();
    const done = waiters.filter((waiter) => isAfter(id, waiter.after));
    waiters = waiters.filter((waiter) => !done.includes(waiter));
    for (const waiter of done) waiter.resolve(result);
  };

  // The stream can end for good (the server answered a reconnect with an error, or restarted with
  // its history gone): while anyone waits, the state is asked every so often, and a server that
  // says twice it is not syncing has no completion left to send.
  let idlePolls = 0;
  setInterval(() => {
    if (waiters.length === 0) {
      idlePolls = 0;
      return;
    }
    refresh().then((current) => {
      idlePolls = current.syncing ? 0 : idlePolls + 1;
      if (idlePolls < 2) return;
      const given = waiters;
      waiters = [];
      for (const waiter of given) waiter.resolve(null);
    }, report);
  }, deps.pollMs ?? POLL_MS);

  /** The id of the last event this tab saw: a reopened stream asks from there. */
  let lastSeen = deps.initial?.lastEventId ?? null;
  let retryMs = RETRY_MIN_MS;
  function openStream(): void {
    const events = deps.openEvents(
      lastSeen === null ? SERVER_EVENTS_PATH : `${SERVER_EVENTS_PATH}?after=${encodeURIComponent(lastSeen)}`,
    );
    for (const type of Object.keys(EVENT_NAMES) as SyncEventName[]) {
      events.addEventListener(type, (event) => {
        if (event.lastEventId) lastSeen = event.lastEventId;
        const message = { type, payload: JSON.parse(event.data) } as Broadcast;
        deliver(message);
        if (message.type === 'broker:sync-complete') settle(event.lastEventId, message.payload);
        // The data changed at the end of a sync or a portfolio update: the copy follows.
        if (message.type === 'broker:sync-complete' || message.type === 'portfolio:update-complete') {
          void refreshInBackground();
        }
      });
    }
    events.addEventListener('open', () => {
      retryMs = RETRY_MIN_MS;
      void refreshInBackground();
    });
    // An EventSource retries a dropped connection itself, but not one answered with an error
    // (a proxy's 502 while the server restarts, a 401): it closes, and is opened again later,
    // unless the server wants its secret.
    events.addEventListener('error', () => {
      if (events.readyState !== CLOSED) return;
      setTimeout(() => {
        refresh().then(openStream, (error: unknown) => {
          report(error);
          if (!locked.value) openStream();
        });
      }, retryMs);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    });
  }
  if (!deps.locked) openStream();
  worker.onBroadcast((message) => {
    if (message.type === 'db:changed' && message.payload.key === SERVER_DATABASE_KEY) deliver(message);
  });

  /** Starts what makes the server sync (a request answering `{after}`), then waits for that sync's completion. */
  async function syncAfter(start: () => Promise<Response>): Promise<SyncResult | null> {
    const response = await start();
    const after = ((await response.json().catch(() => null)) as { after?: unknown } | null)?.after;
    if (typeof after !== 'string') return null;
    const seen = completed.find((entry) => isAfter(entry.id, after));
    if (seen) return seen.result;
    return new Promise((resolve) => waiters.push({ after, resolve }));
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
          return result ?? skippedResult('busy', UNTOLD);
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
        return result ?? skippedResult('busy', `Signed in. ${UNTOLD}`);
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
