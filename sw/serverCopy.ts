/**
 * Server mode's offline copy (docs/architecture.md, "Server mode"): the service worker, still the
 * one writer of the browser's files, fetches the server's database when its data version moved,
 * checks it like an imported file, saves it under its own key, and tells every tab.
 */
import type { SqlJsStatic } from 'sql.js';
import { loadServerCopyVersion, saveServerCopyVersion } from '../src/pwa/cloudSettings.ts';
import { SERVER_DATABASE_KEY, SERVER_DATABASE_PATH } from '../src/pwa/serverMode.ts';
import type { Broadcast } from '../src/pwa/swProtocol.ts';
import { idbWriter } from '../src/storage/sqljs/byteStore.ts';
import { prepareImport } from '../src/storage/sqljs/importDatabase.ts';

export interface ServerCopyDeps {
  fetch: typeof fetch;
  /** The app's origin: the server that serves it. */
  origin: string;
  sqlJs: () => Promise<SqlJsStatic>;
  broadcast(message: Broadcast): void;
}

const unquote = (etag: string | null) => etag?.replace(/^(W\/)?"(.*)"$/, '$2') ?? null;

/** Fetches the server's database unless the copy is of `version` already; true when it saved a new copy. */
export async function pullServerCopy(deps: ServerCopyDeps, version: string | null): Promise<boolean> {
  const held = await loadServerCopyVersion();
  if (version !== null && held === version) return false;
  let response: Response;
  try {
    response = await deps.fetch(`${deps.origin}${SERVER_DATABASE_PATH}`, {
      headers: held === null ? {} : { 'if-none-match': `"${held}"` },
      cache: 'no-store',
    });
  } catch (error) {
    throw new Error(`The server cannot be reached: ${String(error)}`, { cause: error });
  }
  if (response.status === 304) return false;
  if (response.status === 401) throw new Error('This server needs its secret: sign in to it first');
  if (!response.ok) throw new Error(`The server could not send its data (HTTP ${response.status})`);
  const bytes = await prepareImport(await deps.sqlJs(), new Uint8Array(await response.arrayBuffer()));
  const store = idbWriter(SERVER_DATABASE_KEY, {
    onSaved: (saved) => deps.broadcast({ type: 'db:changed', payload: { key: SERVER_DATABASE_KEY, version: saved } }),
  });
  await store.load();
  await store.save(bytes);
  await saveServerCopyVersion(unquote(response.headers.get('etag')));
  return true;
}
