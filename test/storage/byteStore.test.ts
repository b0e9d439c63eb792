/**
 * The browser's file store on fake-indexeddb: a save writes the chunks that changed and nothing
 * else, atomically with its version; a reader kept across loads reads only what changed and never
 * sees a mix of two versions; a file saved whole by an older Folio Sync still opens, and its first
 * save turns it into chunks.
 */
import 'fake-indexeddb/auto';
import { createStore, get, set, type UseStore } from 'idb-keyval';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_SIZE,
  idbReader,
  idbWriter,
  StaleCopyError,
  StorageFullError,
  savedVersion,
} from '../../src/storage/sqljs/byteStore.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';

const sqlJs = initSqlJs();
const NOW = '2026-11-28T12:00:00.000Z';

/** The app's file store, with every record written and read counted. */
function countingStore() {
  const base = createStore('folio-sync', 'files');
  const counts = { puts: 0, bytesWritten: 0, gets: 0, getAlls: 0 };
  const store: UseStore = (mode, callback) =>
    base(mode, (objects) =>
      callback(
        new Proxy(objects, {
          get(target, name) {
            if (name === 'put') {
              return (value: unknown, key?: IDBValidKey) => {
                counts.puts++;
                if (value instanceof Uint8Array) counts.bytesWritten += value.length;
                return target.put(value, key);
              };
            }
            if (name === 'get') {
              return (key: IDBValidKey) => {
                counts.gets++;
                return target.get(key);
              };
            }
            if (name === 'getAll') {
              return (query: IDBKeyRange) => {
                counts.getAlls++;
                return target.getAll(query);
              };
            }
            const value = Reflect.get(target, name, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }),
      ),
    );
  const reset = () => Object.assign(counts, { puts: 0, bytesWritten: 0, gets: 0, getAlls: 0 });
  return { store, counts, reset };
}

/** A database of `rows` platforms, a few hundred KiB. */
async function bigDatabase(key: string, rows: number, store: UseStore) {
  const db = await openSqlJsDatabase(await sqlJs, idbWriter(key, { store }));
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      db.run('INSERT INTO platforms (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)', [
        `P${String(i).padStart(6, '0')}`,
        `Platform number ${i} with a longer name to fill pages`,
        NOW,
        NOW,
      ]);
    }
  });
  await db.persist();
  return db;
}

/** Byte-for-byte equality, without a generic deep comparison of a million elements. */
const same = (a: unknown, b: Uint8Array | undefined) =>
  a instanceof Uint8Array && b !== undefined && Buffer.from(a).equals(Buffer.from(b));

describe('the chunked file store', () => {
  it('saves a small change by writing the few chunks it touched', async () => {
    const { store, counts, reset } = countingStore();
    const db = await bigDatabase('small-change', 8000, store);
    const file = (await idbReader('small-change', store).load()) ?? new Uint8Array();
    expect(file.length).toBeGreaterThan(40 * CHUNK_SIZE);
    reset();
    db.run("UPDATE platforms SET name = 'renamed' WHERE id = 'P004000'");
    await db.persist();
    // The page holding the row, the header page (its change counter), and the manifest.
    expect(counts.bytesWritten).toBeLessThanOrEqual(3 * CHUNK_SIZE);
    expect(counts.puts).toBeLessThanOrEqual(4);
    const again = await openSqlJsDatabase(await sqlJs, idbReader('small-change', store));
    expect(again.get("SELECT name FROM platforms WHERE id = 'P004000'")).toEqual({ name: 'renamed' });
    expect(again.get('SELECT COUNT(*) AS n FROM platforms')).toEqual({ n: 8000 });
  });

  it('a reader kept across loads reads only the chunks that changed', async () => {
    const { store, counts, reset } = countingStore();
    const db = await bigDatabase('kept-reader', 8000, store);
    const reader = idbReader('kept-reader', store);
    await reader.load();
    db.run("UPDATE platforms SET name = 'again' WHERE id = 'P000100'");
    await db.persist();
    reset();
    const bytes = (await reader.load()) ?? new Uint8Array();
    expect(counts.getAlls).toBe(0);
    // The manifest, then the changed chunks only.
    expect(counts.gets).toBeLessThanOrEqual(3);
    expect(same(bytes, await idbReader('kept-reader', store).load())).toBe(true);
  });

  it('a kept reader follows a file that grows, shrinks and grows past its room, reading only what changed', async () => {
    const { store, counts, reset } = countingStore();
    const writer = idbWriter('grows', { store });
    await writer.load();
    const reader = idbReader('grows', store);
    const file = (chunks: number, fill: number) => {
      const bytes = new Uint8Array(chunks * CHUNK_SIZE + 100).fill(fill);
      bytes[0] = chunks; // the header changes with every save, as SQLite's does
      return bytes;
    };
    await writer.save(file(8, 1));
    expect(await reader.load()).toEqual(file(8, 1));
    for (const [chunks, fill] of [
      [9, 1], // one page more: the header and the new tail only
      [3, 1], // shrunk
      [40, 2], // grown past the room the reader kept
      [41, 2],
    ] as const) {
      const bytes = file(chunks, fill);
      bytes.set([fill + 1], 2 * CHUNK_SIZE - 1);
      await writer.save(bytes);
      reset();
      expect(await reader.load()).toEqual(bytes);
      if (chunks === 9 || chunks === 41) expect({ chunks, getAlls: counts.getAlls }).toEqual({ chunks, getAlls: 0 });
      // The stored last chunk is the file's last bytes, no longer (its start was the same as before).
      const last = await store(
        'readonly',
        (objects) =>
          new Promise<unknown>((resolve) => {
            const request = objects.get(['grows', chunks]);
            request.onsuccess = () => resolve(request.result);
          }),
      );
      expect((last as Uint8Array).length).toBe(100);
    }
  });

  it('learns the saved version from the manifest alone', async () => {
    const { store, counts, reset } = countingStore();
    await bigDatabase('version-only', 4000, store);
    reset();
    expect(await savedVersion('version-only', store)).toBe(1);
    expect(counts).toMatchObject({ gets: 1, getAlls: 0 });
  });

  it('never shows a reader a mix of two versions, and never lets a stale copy save', async () => {
    const { store } = countingStore();
    const db = await bigDatabase('atomic', 8000, store);
    const before = (await idbReader('atomic', store).load()) ?? new Uint8Array();
    db.run("UPDATE platforms SET name = 'one' WHERE id = 'P000001'");
    db.run("UPDATE platforms SET name = 'two' WHERE id = 'P007999'");
    const reads = [idbReader('atomic', store).load(), db.persist(), idbReader('atomic', store).load()];
    const [during, , after] = await Promise.all(reads);
    const saved = (await idbReader('atomic', store).load()) ?? new Uint8Array();
    for (const seen of [during, after]) expect(same(seen, before) || same(seen, saved)).toBe(true);

    const stale = idbWriter('atomic', { store });
    await stale.load();
    db.run("UPDATE platforms SET name = 'three' WHERE id = 'P000002'");
    await db.persist();
    await expect(stale.save(new Uint8Array(10))).rejects.toBeInstanceOf(StaleCopyError);
    expect(await savedVersion('atomic', store)).toBe(3);
  });

  it('a save refused for want of room changes nothing, says why, and the next save writes all since the last', async () => {
    const base = createStore('folio-sync', 'files');
    let full = false;
    // As Chromium does at a full quota: the writes are taken, then the transaction aborts with
    // QuotaExceededError when it would commit.
    const store: UseStore = (mode, callback) =>
      base(mode, (objects) =>
        callback(
          new Proxy(objects, {
            get(target, name) {
              if (name === 'put' && full) {
                return (value: unknown, key?: IDBValidKey) => {
                  const request = target.put(value, key);
                  if (!(value instanceof Uint8Array)) {
                    Object.defineProperty(target.transaction, 'error', {
                      value: new DOMException('', 'QuotaExceededError'),
                    });
                    target.transaction.abort();
                  }
                  return request;
                };
              }
              const value = Reflect.get(target, name, target);
              return typeof value === 'function' ? value.bind(target) : value;
            },
          }),
        ),
      );
    const db = await bigDatabase('full', 8000, store);
    full = true;
    db.run("UPDATE platforms SET name = 'first' WHERE id = 'P000010'");
    const refused = db.persist();
    await expect(refused).rejects.toBeInstanceOf(StorageFullError);
    await expect(refused).rejects.toThrow("this browser has no room left for Folio Sync's data");
    expect(await savedVersion('full', store)).toBe(1);
    const saved = async () => openSqlJsDatabase(await sqlJs, idbReader('full', store));
    expect((await saved()).get("SELECT name FROM platforms WHERE id = 'P000010'")).not.toEqual({ name: 'first' });

    // Room again: the next save, of another change in another chunk, holds both.
    full = false;
    db.run("UPDATE platforms SET name = 'second' WHERE id = 'P007990'");
    await db.persist();
    expect(await savedVersion('full', store)).toBe(2);
    expect((await saved()).all("SELECT name FROM platforms WHERE id IN ('P000010', 'P007990') ORDER BY id")).toEqual([
      { name: 'first' },
      { name: 'second' },
    ]);
  });

  it('drops the chunks past the end when the file shrinks', async () => {
    const { store } = countingStore();
    const writer = idbWriter('shrinks', { store });
    await writer.load();
    await writer.save(new Uint8Array(10 * CHUNK_SIZE).fill(7));
    await writer.save(new Uint8Array(2 * CHUNK_SIZE + 5).fill(9));
    const keys = await store(
      'readonly',
      (objects) =>
        new Promise<IDBValidKey[]>((resolve) => {
          const request = objects.getAllKeys();
          request.onsuccess = () => resolve(request.result);
        }),
    );
    expect(keys.filter((key) => Array.isArray(key) && key[0] === 'shrinks')).toHaveLength(3);
    expect(await idbReader('shrinks', store).load()).toEqual(new Uint8Array(2 * CHUNK_SIZE + 5).fill(9));
  });

  it('opens a file an older Folio Sync saved whole, and the first save turns it into chunks', async () => {
    const { store } = countingStore();
    let bytes: Uint8Array = new Uint8Array();
    const old = await openSqlJsDatabase(await sqlJs, {
      load: () => Promise.resolve(undefined),
      save: (saved) => {
        bytes = saved;
        return Promise.resolve();
      },
    });
    old.run("INSERT INTO platforms (id, name, created_at, updated_at) VALUES ('OLD', 'Old', ?, ?)", [NOW, NOW]);
    await old.persist();
    old.close();
    await set('upgraded', { bytes, version: 7 }, createStore('folio-sync', 'files'));

    const tab = await openSqlJsDatabase(await sqlJs, idbReader('upgraded', store));
    expect(tab.all('SELECT id FROM platforms')).toEqual([{ id: 'OLD' }]);
    expect(await savedVersion('upgraded', store)).toBe(7);

    const worker = await openSqlJsDatabase(await sqlJs, idbWriter('upgraded', { store }));
    worker.run("INSERT INTO platforms (id, name, created_at, updated_at) VALUES ('NEW', 'New', ?, ?)", [NOW, NOW]);
    await worker.persist();
    const manifest = await get<{ version: number; chunks: number[] }>('upgraded', createStore('folio-sync', 'files'));
    expect(manifest).toMatchObject({ version: 8 });
    expect(manifest?.chunks.every((version) => version === 8)).toBe(true);
    expect(manifest).not.toHaveProperty('bytes');
    const reopened = await openSqlJsDatabase(await sqlJs, idbReader('upgraded', store));
    expect(reopened.all('SELECT id FROM platforms ORDER BY id')).toEqual([{ id: 'NEW' }, { id: 'OLD' }]);
  });
});
