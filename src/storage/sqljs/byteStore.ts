/**
 * Where the browser keeps a database file between visits: IndexedDB, through idb-keyval, as
 * fixed-size chunks, so a save writes only the chunks that changed (docs/architecture.md,
 * "The browser's files").
 *
 * Under `key` lives the file's manifest: its version, its size, and for each chunk the version
 * that last wrote it; under `[key, i]` lives chunk i. A save is one IndexedDB transaction that
 * checks the manifest's version, writes the changed chunks and the new manifest, and drops
 * chunks past the end: a compare-and-swap, so a holder of a stale copy can never overwrite newer
 * data (it gets a StaleCopyError and must reload), and a reader, reading the manifest and the
 * chunks in one transaction too, never sees a mix of two versions.
 *
 * Tabs hold read-only copies (no `save`), each in its replica worker (src/ui/replica/); a reader
 * kept across loads fetches only the chunks whose version moved. The service worker is the one
 * writer, and the version check guards even that.
 * A file saved whole by an older Folio Sync (`{bytes, version}` under `key`) is read as it is and
 * rewritten as chunks by the writer's first load.
 */
import { createStore, type UseStore } from 'idb-keyval';

export interface ByteStore {
  load(): Promise<Uint8Array | undefined>;
  /** Absent on a read-only copy. */
  save?(bytes: Uint8Array): Promise<void>;
}

/** SQLite pages are 4 KiB; four to a chunk keeps a small change small and a big file a few thousand records. */
export const CHUNK_SIZE = 16 * 1024;

interface Manifest {
  /** Names this file, so a reader never reuses chunks of a file that was removed and made anew. */
  id: string;
  version: number;
  size: number;
  chunkSize: number;
  /** The version that last wrote each chunk. */
  chunks: number[];
}

/** How an older Folio Sync saved a file: whole, in one value. */
interface WholeFile {
  bytes: Uint8Array;
  version: number;
}

type Stored = Manifest | WholeFile;

export class StaleCopyError extends Error {
  override readonly name = 'StaleCopyError';
}

/**
 * The browser refused a save for want of room (IndexedDB's QuotaExceededError). Nothing of the
 * file changed: the writer keeps its copy and its last saved version, so the next save writes
 * everything since that one.
 */
export class StorageFullError extends Error {
  override readonly name = 'StorageFullError';
}

/** Why a transaction was abandoned, in words a user can act on where there are some. */
function abortReason(error: DOMException | null): Error {
  if (error?.name === 'QuotaExceededError') {
    return new StorageFullError(
      "this browser has no room left for Folio Sync's data. Free some space; the next sync saves it",
      { cause: error },
    );
  }
  return error ?? new StaleCopyError('The save was abandoned');
}

/** The IndexedDB database and object store every Folio Sync file lives in. */
const fileStore = (): UseStore => createStore('folio-sync', 'files');

const chunkRange = (key: string) => IDBKeyRange.bound([key, 0], [key, Number.MAX_SAFE_INTEGER]);

/** Runs `body` in one transaction and settles when it commits (or rejects when it aborts). */
function transact<T>(
  store: UseStore,
  mode: IDBTransactionMode,
  body: (objects: IDBObjectStore, result: (value: T) => void) => void,
): Promise<T> {
  return store(
    mode,
    (objects) =>
      new Promise<T>((resolve, reject) => {
        let value: T;
        const transaction = objects.transaction;
        transaction.oncomplete = () => resolve(value);
        transaction.onabort = () => reject(abortReason(transaction.error));
        body(objects, (result) => {
          value = result;
        });
      }),
  );
}

/** What a load found: the manifest and every chunk. */
interface Snapshot {
  manifest: Manifest;
  chunks: Uint8Array[];
  /** Saved whole by an older Folio Sync: the writer rewrites it as chunks. */
  whole: boolean;
  /** The chunks this load read (the others were the caller's already); null: all of them. */
  read: number[] | null;
}

/**
 * Writes chunks `only` of the file (all of them when absent) into `bytes`, which holds at least the
 * file's size; each as far as the file goes (an older save may have kept a longer last chunk).
 */
function join(
  snapshot: Snapshot,
  bytes: Uint8Array = new Uint8Array(snapshot.manifest.size),
  only?: readonly number[],
): Uint8Array {
  const { size, chunkSize } = snapshot.manifest;
  for (const i of only ?? snapshot.chunks.keys()) {
    const chunk = snapshot.chunks[i] as Uint8Array;
    const offset = i * chunkSize;
    bytes.set(chunk.length > size - offset ? chunk.subarray(0, Math.max(0, size - offset)) : chunk, offset);
  }
  return bytes;
}

function split(file: WholeFile): Snapshot {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < file.bytes.length; offset += CHUNK_SIZE) {
    chunks.push(file.bytes.subarray(offset, offset + CHUNK_SIZE));
  }
  const manifest = {
    id: 'whole',
    version: file.version,
    size: file.bytes.length,
    chunkSize: CHUNK_SIZE,
    chunks: chunks.map(() => file.version),
  };
  return { manifest, chunks, whole: true, read: null };
}

const isWholeFile = (stored: Stored): stored is WholeFile => 'bytes' in stored;

/**
 * Reads the file at `key` in one transaction. `held` is what the caller already has: only the
 * chunks whose version differs from it are read again.
 */
function read(store: UseStore, key: string, held: Snapshot | null): Promise<Snapshot | null> {
  return transact<Snapshot | null>(store, 'readonly', (objects, result) => {
    const manifestRequest = objects.get(key);
    manifestRequest.onsuccess = () => {
      const stored = manifestRequest.result as Stored | undefined;
      if (!stored) return result(null);
      if (isWholeFile(stored)) return result(split(stored));
      const manifest = stored;
      const reusable =
        held?.manifest.id === manifest.id && held.manifest.chunkSize === manifest.chunkSize ? held : null;
      const stale = manifest.chunks.flatMap((version, i) => (reusable?.manifest.chunks[i] === version ? [] : [i]));
      const chunks = manifest.chunks.map((_, i) => reusable?.chunks[i] ?? new Uint8Array());
      const done = () => result({ manifest, chunks, whole: false, read: reusable ? stale : null });
      if (stale.length === 0) return done();
      if (stale.length === manifest.chunks.length) {
        const all = objects.getAll(chunkRange(key));
        all.onsuccess = () => {
          result({ manifest, chunks: all.result as Uint8Array[], whole: false, read: null });
        };
        return;
      }
      let pending = stale.length;
      for (const i of stale) {
        const chunkRequest = objects.get([key, i]);
        chunkRequest.onsuccess = () => {
          chunks[i] = chunkRequest.result as Uint8Array;
          if (--pending === 0) done();
        };
      }
    };
  });
}

/** Whether bytes [start, end) of `a` and `b` differ; compares 4 bytes at a time where it can. */
function differs(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  if (end > b.length) return true;
  let i = start;
  if ((a.byteOffset + i) % 4 === 0 && (b.byteOffset + i) % 4 === 0) {
    const words = Math.floor((end - i) / 4);
    const wa = new Int32Array(a.buffer, a.byteOffset + i, words);
    const wb = new Int32Array(b.buffer, b.byteOffset + i, words);
    for (let w = 0; w < words; w++) if (wa[w] !== wb[w]) return true;
    i += words * 4;
  }
  for (; i < end; i++) if (a[i] !== b[i]) return true;
  return false;
}

/** The saved version of `key`, 0 when never saved; reads the manifest only. */
export async function savedVersion(key: string, store: UseStore = fileStore()): Promise<number> {
  const stored = await transact<Stored | undefined>(store, 'readonly', (objects, result) => {
    const request = objects.get(key);
    request.onsuccess = () => result(request.result as Stored | undefined);
  });
  return stored?.version ?? 0;
}

/**
 * A read-only view of the file at `key`. Kept across loads (a tab's replica worker keeps one), it
 * reads again only the chunks that changed since its last load, and writes them into the file it
 * returned last time: a loaded file is good until the next load (sql.js copies it when it opens it).
 */
export function idbReader(key: string, store: UseStore = fileStore()): ByteStore {
  let held: Snapshot | null = null;
  /** The file as last loaded, with room to grow: a save that adds a page patches it, not copies it. */
  let buffer: Uint8Array = new Uint8Array();
  return {
    async load() {
      held = await read(store, key, held);
      if (!held) return undefined;
      const { manifest } = held;
      buffer =
        held.read !== null && manifest.size <= buffer.length
          ? join(held, buffer, held.read)
          : join(held, new Uint8Array(Math.ceil((manifest.size * GROWTH) / manifest.chunkSize) * manifest.chunkSize));
      return buffer.subarray(0, manifest.size);
    },
  };
}

/** Room a reader leaves for the file to grow before it copies it whole again. */
const GROWTH = 1.25;

/** A writable, version-checked file at `key`; `onSaved` hears each new version. */
export function idbWriter(
  key: string,
  options: { store?: UseStore; onSaved?: (version: number) => void } = {},
): Required<ByteStore> & { version(): number } {
  const store = options.store ?? fileStore();
  let loaded = 0;
  /** The file as last loaded or saved: a save writes only the chunks that differ from it. */
  let base: Uint8Array = new Uint8Array();
  /** Nothing saved as chunks yet (a new file, or one saved whole): the next save writes every chunk. */
  let rewrite = true;

  return {
    async load() {
      const snapshot = await read(store, key, null);
      loaded = snapshot?.manifest.version ?? 0;
      rewrite = !snapshot || snapshot.whole;
      base = snapshot ? join(snapshot) : new Uint8Array();
      return snapshot ? base : undefined;
    },
    async save(bytes) {
      const version = loaded + 1;
      const count = Math.ceil(bytes.length / CHUNK_SIZE);
      // A whole file of an older version is rewritten whole, as chunks.
      const changed: number[] = [];
      for (let i = 0; i < count; i++) {
        const start = i * CHUNK_SIZE;
        const end = Math.min(start + CHUNK_SIZE, bytes.length);
        // A last chunk that got shorter or longer is changed even where its bytes are the same.
        const stored = Math.max(0, Math.min(CHUNK_SIZE, base.length - start));
        if (rewrite || end - start !== stored || differs(bytes, base, start, end)) changed.push(i);
      }
      const expected = loaded;
      const saved = await transact<boolean>(store, 'readwrite', (objects, result) => {
        const request = objects.get(key);
        request.onsuccess = () => {
          const current = request.result as Stored | undefined;
          if ((current?.version ?? 0) !== expected) {
            result(false);
            return;
          }
          const chunked = current && !isWholeFile(current) ? current : null;
          const previous = chunked?.chunks ?? [];
          const chunks = Array.from({ length: count }, (_, i) => previous[i] ?? version);
          for (const i of changed) {
            objects.put(bytes.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE), [key, i]);
            chunks[i] = version;
          }
          if (previous.length > count) {
            objects.delete(IDBKeyRange.bound([key, count], [key, Number.MAX_SAFE_INTEGER]));
          }
          const id = chunked?.id ?? crypto.randomUUID();
          objects.put({ id, version, size: bytes.length, chunkSize: CHUNK_SIZE, chunks } satisfies Manifest, key);
          result(true);
        };
      });
      if (!saved) throw new StaleCopyError('The database was changed elsewhere: reload it before saving');
      loaded = version;
      base = bytes;
      rewrite = false;
      options.onSaved?.(version);
    },
    version: () => loaded,
  };
}
