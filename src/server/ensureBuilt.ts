/** Builds the app when the build is missing or older than its sources (`npm start`, `npm run server`). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src', 'sw', 'public', 'index.html', 'vite.config.ts', 'package.json'];
const DIST = 'dist';

function newestChange(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

export async function ensureBuilt(): Promise<void> {
  const builtAt = statSync(join(DIST, 'index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (builtAt >= Math.max(...SOURCES.map(newestChange))) return;
  process.stdout.write('Building Folio Sync…\n');
  const { build } = await import('vite');
  await build({ logLevel: 'warn' });
}
