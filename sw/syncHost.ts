/**
 * The service worker's side of the app: the one writer of the browser's database. It opens
 * the current cloud's database file, runs the sync engine with the cloud client (retry
 * policy, tokens in memory and in the worker-only credential store), takes the pages'
 * commands, and broadcasts every event and every saved version to all tabs.
 *
 * Syncs and writes run under one Web Lock, so even two worker instances (during an update)
 * never write at once; the versioned save is the second guard.
 */
import type { SqlJsStatic } from 'sql.js';
import { performBrokerSync } from '../src/core/brokerSync.ts';
import type { Clock, Sleep } from '../src/core/clock.ts';
import type { Logger } from '../src/core/logger.ts';
import { reviewActivity } from '../src/core/review.ts';
import { errorMessage, skippedResult } from '../src/core/syncOutcome.ts';
import { recoverInterruptedSync } from '../src/core/syncRecovery.ts';
import { createSyncRunner, type SyncRunner } from '../src/core/syncRunner.ts';
import { DEMO_CLOUD_PATH } from '../src/demo/demoDefaults.ts';
import { checkCloudUrl } from '../src/platform/cloudUrl.ts';
import { type CloudSettings, databaseKey, loadCloudSettings, saveCloudSettings } from '../src/pwa/cloudSettings.ts';
import {
  type Broadcast,
  type CloudStatus,
  type Command,
  CommandError,
  type CommandFailure,
  type CommandMap,
  type CommandName,
  type CommandReply,
  type FormField,
} from '../src/pwa/swProtocol.ts';
import type { SqlDatabase } from '../src/storage/sqlDatabase.ts';
import { idbWriter, savedVersion } from '../src/storage/sqljs/byteStore.ts';
import { prepareImport } from '../src/storage/sqljs/importDatabase.ts';
import { openSqlJsDatabase } from '../src/storage/sqljs/sqlJsDatabase.ts';
import { acceptedRefreshToken, REFUSED_TOKEN, unreachableAuth } from '../src/transport/authSession.ts';
import { createCloudClient, REQUEST_TIMEOUT_MS } from '../src/transport/brokerCloud.ts';
import { isCloudError } from '../src/transport/cloudError.ts';
import type { HttpClient } from '../src/transport/http.ts';
import { forgetOtherTokens, tokenStore } from './credentialStore.ts';
import { pullServerCopy } from './serverCopy.ts';

/** The part of the Web Locks API the host uses. */
export interface Locks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

export interface SyncHostDeps {
  /** Loaded on first use: a worker may not await at the top level. */
  sqlJs: () => Promise<SqlJsStatic>;
  clock: Clock;
  sleep: Sleep;
  http: HttpClient;
  /** For the server's own API, in server mode (serverCopy.ts). */
  fetch: typeof fetch;
  locks: Locks;
  isOnline: () => boolean;
  /** The app's origin, where the demo cloud is served. */
  origin: string;
  /** This build's id, reported in `status`. */
  version: string;
  broadcast(message: Broadcast): void;
  log: Logger;
}

const WRITER_LOCK = 'folio-sync:writer';

interface OpenDatabase {
  key: string;
  cloud: CloudSettings | null;
  db: SqlDatabase;
  store: ReturnType<typeof idbWriter>;
  runner: SyncRunner;
  credentials: ReturnType<typeof tokenStore>;
  /** Replaced by another copy (cloud switched, signed in or out, file imported): it must not write again. */
  retired: boolean;
}

const normalizeUrl = (url: string, field: FormField): string => {
  const checked = checkCloudUrl(url);
  if ('problem' in checked) throw new CommandError(checked.problem, 'bad-url', field);
  return checked.url;
};

/** A thrown error as the page receives it, code and field included. */
function failureOf(error: unknown): CommandFailure {
  const message = errorMessage(error);
  if (error instanceof CommandError) return { message, code: error.code, field: error.field };
  return { message, code: isCloudError(error) ? error.code : 'internal', field: null };
}

export function createSyncHost(deps: SyncHostDeps) {
  const { clock, broadcast } = deps;
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => deps.locks.request(WRITER_LOCK, fn);

  async function open(cloud: CloudSettings | null): Promise<OpenDatabase> {
    const key = databaseKey(cloud);
    const store = idbWriter(key, {
      onSaved: (version) => broadcast({ type: 'db:changed', payload: { key, version } }),
    });
    const db = await openSqlJsDatabase(await deps.sqlJs(), store);
    const credentials = tokenStore(key, cloud === null);
    const demoUrl = `${deps.origin}${DEMO_CLOUD_PATH}`;
    // A fresh client per open copy: no access token outlives a sign-in, a sign-out or a switch of cloud.
    const client = createCloudClient({
      apiUrl: cloud?.apiUrl ?? demoUrl,
      authUrl: cloud?.authUrl ?? demoUrl,
      apiKey: cloud?.apiKey ?? '',
      http: deps.http,
      timers: { clock, sleep: deps.sleep },
      credentials,
    });
    const opened = { key, cloud, db, store, credentials, retired: false } as OpenDatabase;
    opened.runner = createSyncRunner({
      db,
      clock,
      isOnline: deps.isOnline,
      sync: async (trigger) => {
        const result =
          (await exclusive(async () =>
            opened.retired
              ? null
              : performBrokerSync({ db, cloud: client, clock, emit: broadcast, log: deps.log }, trigger),
          )) ?? skippedResult('busy', 'The database was just replaced: sync again');
        // A refused refresh token was forgotten (credentialStore.ts): every tab now says "Not connected".
        if (result.skipped === 'not-signed-in') await announce();
        return result;
      },
    });
    // What a closed worker's sync left (RUNNING rows, stale holdings) is recovered, and a new file
    // saved so pages can open it; only when no one else is writing (another worker may be mid-sync).
    await deps.locks.request(WRITER_LOCK, { ifAvailable: true }, async (lock) => {
      if (lock) await recoverInterruptedSync({ db, clock, emit: broadcast, log: deps.log });
    });
    return opened;
  }

  /** Stops an open copy from writing, once its running sync (if any) has finished. */
  async function retire(previous: OpenDatabase): Promise<void> {
    previous.retired = true;
    await previous.runner.settled();
    previous.db.close();
  }

  // Opening is chained: commands arriving together (three tabs starting at once) must share
  // one open copy and its runner, or each would pass the throttle and sync.
  let latest: Promise<OpenDatabase | null> = Promise.resolve(null);
  const chain = (step: (previous: OpenDatabase | null) => Promise<OpenDatabase>): Promise<OpenDatabase> => {
    const next = latest.then(step);
    latest = next.catch(() => null);
    return next;
  };

  /** The current cloud's database, reopened when the cloud changed or another writer saved. */
  const current = () =>
    chain(async (previous) => {
      const cloud = await loadCloudSettings();
      const key = databaseKey(cloud);
      const fresh = previous && !previous.retired && previous.key === key;
      if (fresh && (await savedVersion(key)) === previous.store.version()) return previous;
      if (previous) await retire(previous);
      return open(cloud);
    });

  /** A fresh copy of the current cloud's database (after sign-in, sign-out or an import). */
  const reopen = () =>
    chain(async (previous) => {
      if (previous) await retire(previous);
      return open(await loadCloudSettings());
    });

  /** The token as the auth server accepted it, or the reason at the form's field (authSession.ts). */
  async function acceptedToken(cloud: CloudSettings, token: string): Promise<string> {
    try {
      return await acceptedRefreshToken(
        {
          authUrl: cloud.authUrl,
          apiKey: cloud.apiKey,
          http: deps.http,
          timers: { clock, sleep: deps.sleep },
          timeoutMs: REQUEST_TIMEOUT_MS,
        },
        token,
      );
    } catch (error) {
      if (isCloudError(error, 'not-signed-in')) {
        throw new CommandError(REFUSED_TOKEN, error.code, 'refreshToken');
      }
      if (isCloudError(error, 'network') || isCloudError(error, 'timeout')) {
        throw new CommandError(unreachableAuth(cloud.authUrl), error.code, 'authUrl');
      }
      throw error;
    }
  }

  async function status(): Promise<CloudStatus> {
    const { cloud, credentials, runner } = await current();
    const signedIn = (await credentials.getRefreshToken()) !== null;
    return { cloud, signedIn, syncing: runner.isRunning(), version: deps.version, server: null };
  }

  const announce = async () => {
    const now = await status();
    broadcast({ type: 'cloud:changed', payload: now });
    return now;
  };

  const handlers: { [K in CommandName]: (command: Extract<Command, { type: K }>) => Promise<CommandMap[K]['reply']> } =
    {
      sync: async ({ trigger }) => (await current()).runner.request(trigger),
      status,
      async 'sign-in'({ cloud, refreshToken }) {
        const token = refreshToken.trim();
        if (!token) throw new CommandError('A refresh token is needed to sign in', 'bad-token', 'refreshToken');
        const settings = {
          apiUrl: normalizeUrl(cloud.apiUrl, 'apiUrl'),
          authUrl: normalizeUrl(cloud.authUrl, 'authUrl'),
          apiKey: cloud.apiKey.trim(),
        };
        const accepted = await acceptedToken(settings, token);
        await tokenStore(databaseKey(settings), false).setRefreshToken(accepted);
        await forgetOtherTokens(databaseKey(settings));
        await saveCloudSettings(settings);
        const opened = await reopen();
        await announce();
        return opened.runner.request('manual');
      },
      async 'sign-out'() {
        await (await current()).credentials.signOut();
        await reopen();
        return announce();
      },
      async 'use-demo'() {
        await forgetOtherTokens(databaseKey(null));
        // Back to the demo's public token, even after signing out of the demo or its refusal.
        await tokenStore(databaseKey(null), true).forget();
        await saveCloudSettings(null);
        const opened = await current();
        await announce();
        return opened.runner.request('manual');
      },
      async 'review-activity'({ id, decision }) {
        const opened = await current();
        await exclusive(async () => {
          if (opened.retired) throw new Error('The database was just replaced: try again');
          reviewActivity({ db: opened.db, clock, emit: broadcast, log: deps.log }, id, decision);
          await opened.db.persist();
        });
        return null;
      },
      async 'import-database'({ bytes }) {
        const prepared = await prepareImport(await deps.sqlJs(), new Uint8Array(bytes));
        const opened = await current();
        await exclusive(async () => {
          opened.retired = true;
          await opened.store.save(prepared);
        });
        const { db } = await reopen();
        return { activities: db.get<{ n: number }>('SELECT COUNT(*) AS n FROM activities')?.n ?? 0 };
      },
      // One pull at a time, even across two worker versions; a second tab's pull then finds the copy current.
      'pull-server-copy': async ({ version }) => ({
        changed: await exclusive(() => pullServerCopy(deps, version)),
      }),
    };

  return {
    /** Answers one command; never rejects (a failure is an `ok: false` reply). */
    async handle(command: Command): Promise<CommandReply<CommandName>> {
      try {
        const handler = handlers[command.type] as (command: Command) => Promise<CommandMap[CommandName]['reply']>;
        return { ok: true, value: await handler(command) };
      } catch (error) {
        deps.log.warn(`${command.type} failed: ${String(error)}`);
        return { ok: false, failure: failureOf(error) };
      }
    },
  };
}
