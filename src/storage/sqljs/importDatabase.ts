/**
 * A database file a user wants to import, checked and brought to the current schema before
 * anything of theirs is replaced: not SQLite, another application's, damaged, or from a newer
 * Folio Sync is refused with a StorageError saying which; an older one is migrated.
 */
import type { SqlJsStatic } from 'sql.js';
import { hasSqliteHeader } from '../sqliteHeader.ts';
import { StorageError } from '../storageError.ts';
import { openSqlJsDatabase } from './sqlJsDatabase.ts';

/** The bytes to save in place of the current database. */
export async function prepareImport(sqlJs: SqlJsStatic, file: Uint8Array): Promise<Uint8Array> {
  if (!hasSqliteHeader(file)) throw new StorageError('not-a-database', 'This file is not a SQLite database');
  let migrated: Uint8Array | null = null;
  let db: Awaited<ReturnType<typeof openSqlJsDatabase>>;
  try {
    db = await openSqlJsDatabase(sqlJs, {
      load: () => Promise.resolve(file),
      save: (bytes) => {
        migrated = bytes;
        return Promise.resolve();
      },
    });
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw new StorageError('not-a-database', `This database file cannot be read: ${String(error)}`, { cause: error });
  }
  try {
    const check = db.get<{ quick_check: string }>('PRAGMA quick_check')?.quick_check;
    if (check !== 'ok') throw new StorageError('not-a-database', `This database file is damaged (${check})`);
    await db.persist();
    return migrated ?? file;
  } finally {
    db.close();
  }
}
