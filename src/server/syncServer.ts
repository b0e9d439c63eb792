/**
 * Server mode's composition root (docs/architecture.md, "Server mode"): a real SQLite file
 * under DATA_DIR, the same engine as every other platform, the fixed 4-hour scheduler, the API
 * with its live event stream, and the app, on one Hono server. With no cloud configured it syncs
 * the built-in demo cloud it serves itself, over loopback HTTP like any other.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { performBrokerSync } from '../core/brokerSync.ts';
import type { Clock, Sleep } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { EmitSyncEvent } from '../core/syncEvents.ts';
import { recoverInterruptedSync } from '../core/syncRecovery.ts';
import { createSyncRunner, type SyncRunner } from '../core/syncRunner.ts';
import { createSyncScheduler, type SetTimer, type SyncScheduler } from '../core/syncScheduler.ts';
import type { DemoCloud } from '../demo/demoCloud.ts';
import type { DemoSize } from '../demo/demoDataset.ts';
import { DEMO_CLOUD_PATH, DEMO_REFRESH_TOKEN } from '../demo/demoDefaults.ts';
import { listen } from '../demo/serveHandlers.ts';
import { fetchHttp } from '../platform/fetchHttp.ts';
import { openFileDatabase } from '../storage/node/fileDatabase.ts';
import { removeLeftoverSnapshots, shareableSnapshot } from '../storage/node/snapshot.ts';
import { adoptSuppliedRefreshToken } from '../storage/node/suppliedToken.ts';
import { getSetting, setSetting } from '../storage/settings.ts';
import { settingsCredentials } from '../storage/settingsCredentials.ts';
import { lastSyncRunStartedAt } from '../storage/syncRuns.ts';
import { acceptedRefreshToken } from '../transport/authSession.ts';
import { createCloudClient, REQUEST_TIMEOUT_MS } from '../transport/brokerCloud.ts';
import { createAppRoutes } from './appServer.ts';
import { createEventLog, type EventLog } from './eventLog.ts';
import { createServerAuth } from './serverAuth.ts';
import type { ServerConfig } from './serverConfig.ts';
import { createSyncApi } from './syncApi.ts';

export interface SyncServerDeps {
  config: ServerConfig;
  /** The built app to serve. */
  distDir: string;
  clock: Clock;
  sleep: Sleep;
  setTimer: SetTimer;
  log: Logger;
  /** Overrides the event stream's keep-alive interval (tests). */
  keepAliveMs?: number;
  /** The built-in demo cloud's history (tests that need a sync but not its size ask for 'small'). */
  demoSize?: DemoSize;
}

export interface SyncServer {
  url: string;
  runner: SyncRunner;
  scheduler: SyncScheduler;
  events: EventLog;
  /** The built-in demo cloud this server serves (and syncs, when no other cloud is configured). */
  demo: DemoCloud;
  close(): Promise<void>;
}

const DATABASE_FILE = 'folio.sqlite';

export async function startSyncServer(deps: SyncServerDeps): Promise<SyncServer> {
  const { config, clock, log } = deps;
  mkdirSync(config.dataDir, { recursive: true });
  removeLeftoverSnapshots(config.dataDir);
  const db = openFileDatabase(join(config.dataDir, DATABASE_FILE));
  if (config.refreshToken) adoptSuppliedRefreshToken(db, config.refreshToken);
  if (!config.apiUrl && !getSetting(db, 'cloud.refreshToken')) setSetting(db, 'cloud.refreshToken', DEMO_REFRESH_TOKEN);

  const events = createEventLog(clock.now().toString(36));
  const emit: EmitSyncEvent = (event) => void events.append(event);
  await recoverInterruptedSync({ db, clock, emit, log });

  // The cloud client needs this server's own address when it syncs the demo cloud it serves.
  let cloudUrl = { api: config.apiUrl ?? '', auth: config.authUrl ?? '' };
  let client: ReturnType<typeof createCloudClient> | null = null;
  const runner = createSyncRunner({
    db,
    clock,
    throttled: false,
    sync: (trigger) => {
      client ??= createCloudClient({
        apiUrl: cloudUrl.api,
        authUrl: cloudUrl.auth,
        apiKey: '',
        http: fetchHttp(),
        timers: { clock, sleep: deps.sleep },
        credentials: settingsCredentials(db),
      });
      return performBrokerSync({ db, cloud: client, clock, emit, log }, trigger);
    },
  });
  const scheduler = createSyncScheduler({
    clock,
    setTimer: deps.setTimer,
    runner,
    lastScheduledAt: () => {
      const at = lastSyncRunStartedAt(db, 'AUTO');
      return at ? Date.parse(at) : null;
    },
    onError: (error) => log.warn(`Scheduled sync failed: ${String(error)}`),
  });
  const auth = createServerAuth(config.secret, clock.now, config.publicOrigin);
  const api = createSyncApi({
    db,
    clock,
    log,
    runner,
    scheduler,
    events,
    emit,
    cloud: config.apiUrl && config.authUrl ? { apiUrl: config.apiUrl, authUrl: config.authUrl } : null,
    snapshot: () => shareableSnapshot(db, config.dataDir),
    requireSecret: auth.requireSecret,
    onSessionChange: () => {
      client = null;
    },
    checkToken: (token) =>
      acceptedRefreshToken(
        {
          authUrl: cloudUrl.auth,
          apiKey: '',
          http: fetchHttp(),
          timers: { clock, sleep: deps.sleep },
          timeoutMs: REQUEST_TIMEOUT_MS,
        },
        token,
      ),
    ...(deps.keepAliveMs ? { keepAliveMs: deps.keepAliveMs } : {}),
  });
  const { app, demo } = createAppRoutes({
    distDir: deps.distDir,
    now: clock.now,
    host: config.host,
    publicOrigin: config.publicOrigin,
    serveDemo: !config.apiUrl,
    ...(deps.demoSize ? { demoSize: deps.demoSize } : {}),
    mounts: { '/api': api, '/signin': auth.routes },
    log,
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Parameters<typeof listen>[0];
  const listening = await listen(server, config.host, config.port);
  if (!config.apiUrl) {
    const own = `${listening.origin.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]')}${DEMO_CLOUD_PATH}`;
    cloudUrl = { api: own, auth: own };
  }
  scheduler.start();
  let closing: Promise<void> | undefined;
  return {
    url: listening.origin,
    runner,
    scheduler,
    events,
    demo,
    close() {
      closing ??= (async () => {
        scheduler.stop();
        // No new request starts a sync once the server stops listening; then the last one finishes.
        await listening.close();
        await runner.settled();
        db.close();
      })();
      return closing;
    },
  };
}
