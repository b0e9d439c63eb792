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
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch (error) {
    // An image without build tools (Docker) serves the build it was shipped with, whatever the file times say.
    if (builtAt > 0) return;
    throw error;
  }
  process.stdout.write('Building Folio Sync…\n');
  await vite.build({ logLevel: 'warn' });
}
