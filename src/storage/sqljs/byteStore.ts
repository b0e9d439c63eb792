/**
 * Where the browser keeps a database file between visits: IndexedDB, through idb-keyval.
 *
 * Each save is a compare-and-swap on a version number: a copy saves only over the version
 * it was loaded from (or last saved), so a holder of a stale copy can never overwrite newer
 * data; it gets a StaleCopyError and must reload. Tabs hold read-only copies (no `save`);
 * the service worker is the one writer, and the version check guards even that.
 */
import { createStore, get, type UseStore, update } from 'idb-keyval';

export interface ByteStore {
  load(): Promise<Uint8Array | undefined>;
  /** Absent on a read-only copy. */
  save?(bytes: Uint8Array): Promise<void>;
}

interface Versioned {
  bytes: Uint8Array;
  version: number;
}

export class StaleCopyError extends Error {
  override readonly name = 'StaleCopyError';
}

/** The IndexedDB database and object store every Folio Sync file lives in. */
const fileStore = (): UseStore => createStore('folio-sync', 'files');

/** The saved version of `key`, 0 when never saved. */
export async function savedVersion(key: string, store: UseStore = fileStore()): Promise<number> {
  return (await get<Versioned>(key, store))?.version ?? 0;
}

/** A read-only view of the file at `key`. */
export function idbReader(key: string, store: UseStore = fileStore()): ByteStore {
  return { load: async () => (await get<Versioned>(key, store))?.bytes };
}

/** A writable, version-checked file at `key`; `onSaved` hears each new version. */
export function idbWriter(
  key: string,
  options: { store?: UseStore; onSaved?: (version: number) => void } = {},
): Required<ByteStore> & { version(): number } {
  const store = options.store ?? fileStore();
  let loaded = 0;
  return {
    async load() {
      const value = await get<Versioned>(key, store);
      loaded = value?.version ?? 0;
      return value?.bytes;
    },
    async save(bytes) {
      let saved: number | null = null;
      await update<Versioned | undefined>(
        key,
        (current) => {
          if ((current?.version ?? 0) !== loaded) return current;
          saved = loaded + 1;
          return { bytes, version: saved };
        },
        store,
      );
      if (saved === null) throw new StaleCopyError('The database was changed elsewhere: reload it before saving');
      loaded = saved;
      options.onSaved?.(saved);
    },
    version: () => loaded,
  };
}
