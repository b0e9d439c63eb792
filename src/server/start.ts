/**
 * `npm start`: build the app if the build is missing or older than its sources, then serve
 * it with the built-in demo cloud (default http://localhost:4173; PORT and HOST respected).
 */
import { startAppServer } from './appServer.ts';
import { ensureBuilt } from './ensureBuilt.ts';

await ensureBuilt();

const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(2);
}
const server = await startAppServer({ distDir: 'dist', host, port });
const shown = host === '127.0.0.1' || host === 'localhost' ? server.url.replace('127.0.0.1', 'localhost') : server.url;
process.stdout.write(`Folio Sync is running at ${shown} (demo cloud at ${shown}/demo-cloud). Ctrl+C stops it.\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
