/**
 * Server mode on 127.0.0.1 for Node tests: each server with a data folder of its own under one
 * temporary folder (beside a stand-in for the built app), all stopped and removed after the file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Clock, Sleep } from '../../src/core/clock.ts';
import type { SetTimer } from '../../src/core/syncScheduler.ts';
import { systemClock, systemSleep } from '../../src/platform/realTime.ts';
import type { ServerConfig } from '../../src/server/serverConfig.ts';
import { type SyncServer, startSyncServer } from '../../src/server/syncServer.ts';

export interface SyncServers {
  /** A server on its own data folder (or `config.dataDir`), syncing its built-in demo cloud unless told otherwise. */
  start(config?: Partial<ServerConfig>): Promise<SyncServer>;
  /** The temporary folder the servers live in. */
  dir(): string;
  dataDirOf(server: SyncServer): string;
  /** What the servers logged, in order. */
  logged: string[];
}

export function useSyncServers(
  options: { setTimer?: SetTimer; keepAliveMs?: number; clock?: Clock; sleep?: Sleep } = {},
): SyncServers {
  let dir = '';
  const started = new Map<SyncServer, string>();
  const logged: string[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'folio-servers-'));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>Folio Sync</title>');
  });
  afterAll(async () => {
    for (const server of started.keys()) await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    async start(config = {}) {
      const dataDir = config.dataDir ?? join(dir, `data-${started.size}`);
      const server = await startSyncServer({
        config: {
          port: 0,
          host: '127.0.0.1',
          apiUrl: null,
          authUrl: null,
          refreshToken: null,
          secret: null,
          publicOrigin: null,
          ...config,
          dataDir,
        },
        distDir: join(dir, 'dist'),
        clock: options.clock ?? systemClock,
        sleep: options.sleep ?? systemSleep,
        // No schedule fires unless the test fires it: a test has no 4 hours to wait.
        setTimer: options.setTimer ?? (() => () => undefined),
        log: { warn: (message) => logged.push(message) },
        demoSize: 'small',
        ...(options.keepAliveMs ? { keepAliveMs: options.keepAliveMs } : {}),
      });
      started.set(server, dataDir);
      return server;
    },
    dir: () => dir,
    dataDirOf: (server) => started.get(server) ?? '',
    logged,
  };
}
