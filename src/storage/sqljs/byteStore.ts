/**
 * Where the browser keeps the database file between visits: one IndexedDB value, through
 * idb-keyval. An interface so tests (and later, other stores) can stand in.
 */
import { createStore, get, set } from 'idb-keyval';

export interface ByteStore {
  load(): Promise<Uint8Array | undefined>;
  save(bytes: Uint8Array): Promise<void>;
}

export function idbByteStore(key = 'folio-sync.sqlite', dbName = 'folio-sync', storeName = 'files'): ByteStore {
  const store = createStore(dbName, storeName);
  return {
    load: () => get<Uint8Array>(key, store),
    save: (bytes) => set(key, bytes, store),
  };
}
