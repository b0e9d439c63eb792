/**
 * A database file a user wants to import, checked and brought to the current schema before
 * anything of theirs is replaced: not SQLite, another application's, damaged, or from a newer
 * Folio Sync is refused with a StorageError saying which; an older one is migrated.
 */
import type { SqlJsStatic } from 'sql.js';
import { assertFolioDatabase, schemaProblems } from '../migrations.ts';
import { hasSqliteHeader } from '../sqliteHeader.ts';
import { StorageError } from '../storageError.ts';
import { openSqlJsDatabase } from './sqlJsDatabase.ts';

/**
 * A file in WAL mode (as the CLI and the server write them) says so in header bytes 18 and 19;
 * a closed one has nothing left in its WAL, and marking it rollback-journal lets sql.js, which
 * has no WAL support, open it (https://www.sqlite.org/fileformat2.html#file_format_version_numbers).
 */
function withoutWal(file: Uint8Array): Uint8Array {
  if (file[18] !== 2 && file[19] !== 2) return file;
  const copy = file.slice();
  copy[18] = 1;
  copy[19] = 1;
  return copy;
}

/** A file stamped as ours, once migrated, has exactly a new database's schema (migrations.ts). */
async function assertOurSchema(sqlJs: SqlJsStatic, db: Awaited<ReturnType<typeof openSqlJsDatabase>>): Promise<void> {
  const fresh = await openSqlJsDatabase(sqlJs, { load: () => Promise.resolve(undefined) });
  const problems = schemaProblems(db, fresh);
  fresh.close();
  if (problems) throw new StorageError('foreign-database', `This file is not a sound Folio Sync database: ${problems}`);
}

/** The bytes to save in place of the current database. */
export async function prepareImport(sqlJs: SqlJsStatic, upload: Uint8Array): Promise<Uint8Array> {
  if (!hasSqliteHeader(upload)) throw new StorageError('not-a-database', 'This file is not a SQLite database');
  const file = withoutWal(upload);
  // Checked as it is, before opening migrates it: an empty file would otherwise become a new database.
  const raw = await openSqlJsDatabase(sqlJs, { load: () => Promise.resolve(file) }, { migrate: false }).catch(
    (error: unknown) => {
      throw new StorageError('not-a-database', `This database file cannot be read: ${String(error)}`, { cause: error });
    },
  );
  try {
    assertFolioDatabase(raw);
  } finally {
    raw.close();
  }
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
    await assertOurSchema(sqlJs, db);
    await db.persist();
    return migrated ?? file;
  } finally {
    db.close();
  }
}
