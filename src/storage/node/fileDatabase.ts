/**
 * The SQLite contract on a real file, for the server and the CLI (better-sqlite3).
 * Opening validates before it writes: a file that is not SQLite, is another application's,
 * or is from a newer Folio Sync is refused with a StorageError and left byte-for-byte as it was.
 */
import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { assertMigratable, migrate, migrations, schemaProblems } from '../migrations.ts';
import { createTransactor, type SqlDatabase, type SqlParams, type SqlRow } from '../sqlDatabase.ts';
import { hasSqliteHeader, SQLITE_HEADER_LENGTH } from '../sqliteHeader.ts';
import { StorageError } from '../storageError.ts';

/** Refuses a non-empty file that does not start with SQLite's magic header, without opening it for writing. */
function assertSqliteFile(path: string): void {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new StorageError('cannot-open', `${path} is a folder, not a database file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof StorageError) throw error;
    return; // Does not exist yet: it will be created.
  }
  if (size === 0) return;
  const header = Buffer.alloc(SQLITE_HEADER_LENGTH);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!hasSqliteHeader(header)) {
    throw new StorageError('not-a-database', `${path} is not a SQLite database file`);
  }
}

function wrap(db: Database.Database): SqlDatabase {
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const transactor = createTransactor((sql) => db.exec(sql));
  const all = <Row extends SqlRow>(sql: string, params: SqlParams = []): Row[] => prepare(sql).all(...params) as Row[];
  return {
    run(sql, params = []) {
      return { changes: prepare(sql).run(...params).changes };
    },
    all,
    get: <Row extends SqlRow>(sql: string, params: SqlParams = []) => prepare(sql).get(...params) as Row | undefined,
    exec: (sql) => db.exec(sql),
    transaction: (fn) => transactor.transaction(fn),
    // Every commit is already on disk.
    persist: () => Promise.resolve(),
    close: () => db.close(),
  };
}

/**
 * A new file is created readable by its owner only: it will hold the refresh token. SQLite gives
 * its `-wal` and `-shm` files the same permissions.
 */
function createPrivately(path: string): void {
  if (existsSync(path)) return;
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch {
    // Created meanwhile by another process (it is that one's file now), or not creatable here:
    // the open below says so, with the path.
  }
}

/**
 * A file (or folder) it cannot write is refused before SQLite opens it: SQLite would open it
 * read-only, leave `-wal` and `-shm` files beside it, and fail at the first write.
 */
function assertWritable(path: string): void {
  const writable = (target: string) => {
    try {
      accessSync(target, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (existsSync(path) && !writable(path))
    throw new StorageError('cannot-open', `Cannot write ${path}: it is read-only`);
  if (!writable(dirname(path))) {
    throw new StorageError('cannot-open', `Cannot write the folder of ${path}: it is read-only`);
  }
}

/** Opens (creating when new, owner-only) and migrates the database file at `path`. */
/** New databases in memory, as the migrations make one up to a version: the schema a file of ours at that version has. */
const fresh = new Map<number, SqlDatabase>();
function freshSchema(version: number): SqlDatabase {
  let db = fresh.get(version);
  if (!db) {
    db = wrap(new Database(':memory:'));
    migrate(db, migrations.slice(0, version));
    fresh.set(version, db);
  }
  return db;
}

export function openFileDatabase(path: string): SqlDatabase {
  assertSqliteFile(path);
  assertWritable(path);
  createPrivately(path);
  let raw: Database.Database;
  try {
    raw = new Database(path);
  } catch (error) {
    throw new StorageError('cannot-open', `Cannot open ${path}: ${(error as Error).message}`, { cause: error });
  }
  const db = wrap(raw);
  try {
    const version = assertMigratable(db);
    // A file given as --db may be anyone's: only one with exactly our schema (for its version) is
    // written to, so no trigger or view of someone else's runs on a sync's writes; it is checked
    // before anything is written, so a refused file is left as it was (docs/architecture.md, "Data").
    const problems = version > 0 ? schemaProblems(db, freshSchema(version)) : null;
    if (problems) throw new StorageError('foreign-database', `${path} is not a sound Folio Sync database: ${problems}`);
    raw.pragma('journal_mode = WAL');
    // In WAL mode, NORMAL syncs at checkpoints, not at every commit: a commit survives the
    // process dying (the crash tests kill it mid-sync), and a power cut can lose at most the last
    // commits, never the file's consistency (https://www.sqlite.org/pragma.html#pragma_synchronous).
    raw.pragma('synchronous = NORMAL');
    raw.pragma('busy_timeout = 5000');
    raw.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    raw.close();
    if (error instanceof StorageError) throw error;
    const code = (error as { code?: unknown }).code === 'SQLITE_NOTADB' ? 'not-a-database' : 'cannot-open';
    throw new StorageError(code, `Cannot use ${path}: ${(error as Error).message}`, { cause: error });
  }
  return db;
}
