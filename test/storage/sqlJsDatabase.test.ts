import 'fake-indexeddb/auto';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { latestVersion } from '../../src/storage/migrations.ts';
import { idbReader, idbWriter, StaleCopyError, savedVersion } from '../../src/storage/sqljs/byteStore.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';
import { memoryByteStore } from '../support/syncHarness.ts';

const sqlJs = initSqlJs();
const NOW = '2026-11-28T12:00:00.000Z';

const insertPlatform = (db: Awaited<ReturnType<typeof openSqlJsDatabase>>, id: string) =>
  db.run('INSERT INTO platforms (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)', [id, id, NOW, NOW]);

describe('sql.js database', () => {
  it('round-trips through IndexedDB (fake-indexeddb)', async () => {
    const store = idbWriter('round-trip');
    const db = await openSqlJsDatabase(await sqlJs, store);
    insertPlatform(db, 'QUESTRADE');
    await db.persist();
    db.close();

    const again = await openSqlJsDatabase(await sqlJs, idbWriter('round-trip'));
    expect(again.all('SELECT id FROM platforms')).toEqual([{ id: 'QUESTRADE' }]);
    expect(again.get('PRAGMA user_version')).toEqual({ user_version: latestVersion() });
  });

  it('never lets a stale copy overwrite newer data', async () => {
    const first = await openSqlJsDatabase(await sqlJs, idbWriter('stale'));
    const second = await openSqlJsDatabase(await sqlJs, idbWriter('stale'));
    insertPlatform(second, 'NEWER');
    await second.persist();
    insertPlatform(first, 'STALE');
    await expect(first.persist()).rejects.toBeInstanceOf(StaleCopyError);
    const saved = await openSqlJsDatabase(await sqlJs, idbReader('stale'));
    expect(saved.all('SELECT id FROM platforms')).toEqual([{ id: 'NEWER' }]);
    expect(await savedVersion('stale')).toBe(1);
  });

  it('counts versions and tells who saved', async () => {
    const versions: number[] = [];
    const db = await openSqlJsDatabase(await sqlJs, idbWriter('versions', { onSaved: (v) => versions.push(v) }));
    insertPlatform(db, 'A');
    await db.persist();
    insertPlatform(db, 'B');
    await db.persist();
    expect(versions).toEqual([1, 2]);
  });

  it('saves a write made through a read (INSERT … RETURNING)', async () => {
    const db = await openSqlJsDatabase(await sqlJs, idbWriter('returning'));
    const row = db.get<{ id: string }>(
      "INSERT INTO platforms (id, name, created_at, updated_at) VALUES ('R', 'R', ?, ?) RETURNING id",
      [NOW, NOW],
    );
    expect(row).toEqual({ id: 'R' });
    await db.persist();
    const saved = await openSqlJsDatabase(await sqlJs, idbReader('returning'));
    expect(saved.all('SELECT id FROM platforms')).toEqual([{ id: 'R' }]);
  });

  it('keeps a read-only copy read-only', async () => {
    const db = await openSqlJsDatabase(await sqlJs, idbReader('read-only'));
    insertPlatform(db, 'A');
    await expect(db.persist()).rejects.toThrow('read-only');
  });

  it('starts empty and migrated when nothing was saved', async () => {
    const db = await openSqlJsDatabase(await sqlJs, idbWriter('never-saved'));
    expect(db.get<{ n: number }>('SELECT COUNT(*) AS n FROM activities')?.n).toBe(0);
  });

  it('refuses to persist inside a transaction, which would silently drop the open work', async () => {
    const db = await openSqlJsDatabase(await sqlJs, memoryByteStore());
    let attempt: Promise<void> | undefined;
    db.transaction(() => {
      insertPlatform(db, 'A');
      attempt = db.persist();
    });
    await expect(attempt).rejects.toThrow('inside a transaction');
  });

  it('does not save when nothing changed since the last save', async () => {
    const store = memoryByteStore();
    const db = await openSqlJsDatabase(await sqlJs, store);
    await db.persist();
    const saves = store.saves;
    await db.persist();
    db.all('SELECT * FROM platforms');
    await db.persist();
    expect(store.saves).toBe(saves);
    insertPlatform(db, 'B');
    await db.persist();
    expect(store.saves).toBe(saves + 1);
  });

  it('keeps foreign keys enforced and statements usable after an export', async () => {
    const db = await openSqlJsDatabase(await sqlJs, memoryByteStore());
    insertPlatform(db, 'A');
    await db.persist();
    insertPlatform(db, 'B'); // a cached statement, prepared before the export
    expect(() =>
      db.run('INSERT INTO connections (id, platform_id, created_at, updated_at) VALUES (?, ?, ?, ?)', [
        'c1',
        'NO-SUCH-PLATFORM',
        NOW,
        NOW,
      ]),
    ).toThrow(/FOREIGN KEY/);
    expect(db.all('SELECT id FROM platforms ORDER BY id')).toEqual([{ id: 'A' }, { id: 'B' }]);
  });

  it('rolls back a failed transaction, and only the inner part of a failed nested one', async () => {
    const db = await openSqlJsDatabase(await sqlJs, memoryByteStore());
    expect(() =>
      db.transaction(() => {
        insertPlatform(db, 'A');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    db.transaction(() => {
      insertPlatform(db, 'B');
      try {
        db.transaction(() => {
          insertPlatform(db, 'C');
          throw new Error('inner');
        });
      } catch {
        // The outer transaction goes on.
      }
    });
    expect(db.all('SELECT id FROM platforms ORDER BY id')).toEqual([{ id: 'B' }]);
  });

  it('rejects an asynchronous transaction callback', async () => {
    const db = await openSqlJsDatabase(await sqlJs, memoryByteStore());
    expect(() => db.transaction(async () => insertPlatform(db, 'A'))).toThrow('synchronous');
    expect(db.all('SELECT id FROM platforms')).toEqual([]);
  });
});
