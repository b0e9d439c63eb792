/**
 * `npm start`: build the app if the build is missing or older than its sources, then serve
 * it with the built-in demo cloud (default http://localhost:4173; PORT and HOST respected).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startAppServer } from './appServer.ts';

const SOURCES = ['src', 'sw', 'public', 'index.html', 'vite.config.ts', 'package.json'];
const DIST = 'dist';

function newestChange(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

const builtAt = statSync(join(DIST, 'index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (builtAt < Math.max(...SOURCES.map(newestChange))) {
  process.stdout.write('Building Folio Sync…\n');
  const { build } = await import('vite');
  await build({ logLevel: 'warn' });
}

const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(2);
}
const server = await startAppServer({ distDir: DIST, host, port });
const shown = host === '127.0.0.1' || host === 'localhost' ? server.url.replace('127.0.0.1', 'localhost') : server.url;
process.stdout.write(`Folio Sync is running at ${shown} (demo cloud at ${shown}/demo-cloud). Ctrl+C stops it.\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
