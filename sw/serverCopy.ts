/**
 * Server mode's offline copy (docs/architecture.md, "Server mode"): the service worker, still the
 * one writer of the browser's files, fetches the server's database when its data version moved,
 * checks it like an imported file, saves it under its own key, and tells every tab.
 */
import type { SqlJsStatic } from 'sql.js';
import { loadServerCopyTag, saveServerCopyTag } from '../src/pwa/cloudSettings.ts';
import { SERVER_DATABASE_KEY, SERVER_DATABASE_PATH } from '../src/pwa/serverMode.ts';
import type { Broadcast } from '../src/pwa/swProtocol.ts';
import { idbWriter, savedVersion } from '../src/storage/sqljs/byteStore.ts';
import { prepareImport } from '../src/storage/sqljs/importDatabase.ts';

export interface ServerCopyDeps {
  fetch: typeof fetch;
  /** The app's origin: the server that serves it. */
  origin: string;
  sqlJs: () => Promise<SqlJsStatic>;
  broadcast(message: Broadcast): void;
}

/**
 * Fetches the server's database unless the copy is of data version `version` already (null: ask
 * the server); true when it saved a new copy. The request is conditional: bytes the copy already
 * has (the same data, after a server restart say) cost a 304.
 */
export async function pullServerCopy(deps: ServerCopyDeps, version: string | null): Promise<boolean> {
  const held = (await savedVersion(SERVER_DATABASE_KEY)) > 0 ? await loadServerCopyTag() : null;
  if (version !== null && held?.dataVersion === version) return false;
  let response: Response;
  try {
    response = await deps.fetch(`${deps.origin}${SERVER_DATABASE_PATH}`, {
      headers: held === null ? {} : { 'if-none-match': held.etag },
      cache: 'no-store',
    });
  } catch (error) {
    throw new Error(`The server cannot be reached: ${String(error)}`, { cause: error });
  }
  const tag = { etag: response.headers.get('etag') ?? '', dataVersion: response.headers.get('x-data-version') ?? '' };
  if (response.status === 304) {
    await saveServerCopyTag(tag);
    return false;
  }
  if (response.status === 401) throw new Error('This server needs its secret: sign in to it first');
  if (!response.ok) throw new Error(`The server could not send its data (HTTP ${response.status})`);
  const bytes = await prepareImport(await deps.sqlJs(), new Uint8Array(await response.arrayBuffer()));
  const store = idbWriter(SERVER_DATABASE_KEY, {
    onSaved: (saved) => deps.broadcast({ type: 'db:changed', payload: { key: SERVER_DATABASE_KEY, version: saved } }),
  });
  await store.load();
  await store.save(bytes);
  await saveServerCopyTag(tag);
  return true;
}
