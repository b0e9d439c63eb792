/**
 * `npm run server`: server mode. Reads its settings from the environment (serverConfig.ts),
 * builds the app if needed, and serves it with the API, syncing every 4 hours on its own.
 */
import { systemClock, systemSleep } from '../platform/realTime.ts';
import { ensureBuilt } from './ensureBuilt.ts';
import { ConfigError, readServerConfig } from './serverConfig.ts';
import { startSyncServer } from './syncServer.ts';

let config: ReturnType<typeof readServerConfig>;
try {
  config = readServerConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`folio-sync server: ${error.message}\n`);
  process.exit(2);
}

await ensureBuilt();
const server = await startSyncServer({
  config,
  distDir: 'dist',
  clock: systemClock,
  sleep: systemSleep,
  setTimer: (fire, delayMs) => {
    const timer = setTimeout(fire, delayMs);
    return () => clearTimeout(timer);
  },
  log: { warn: (message) => process.stderr.write(`warning: ${message}\n`) },
});
const next = server.scheduler.nextRunAt();
process.stdout.write(
  `Folio Sync server mode at ${server.url}, data in ${config.dataDir}; next sync ${next ? new Date(next).toISOString() : 'not scheduled'}. Ctrl+C stops it.\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
