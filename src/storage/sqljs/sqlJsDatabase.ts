/**
 * The SQLite contract on sql.js, for the browser: an in-memory database loaded from and
 * saved to a ByteStore (IndexedDB).
 *
 * `db.export()` (sql.js 1.17) copies the database through SQLite's backup API, keeping the
 * connection, its prepared statements and its pragmas; it refuses to run inside a write
 * transaction, and `persist()` refuses first, with a message that says why.
 */
import type { Database, SqlJsStatic, Statement } from 'sql.js';
import { migrate } from '../migrations.ts';
import { createTransactor, type RunResult, type SqlDatabase, type SqlParams, type SqlRow } from '../sqlDatabase.ts';
import type { ByteStore } from './byteStore.ts';

const CONNECTION_PRAGMAS = 'PRAGMA foreign_keys = ON';

/** Loads the saved database (or starts an empty one) and migrates it to the latest schema (unless told not to). */
export async function openSqlJsDatabase(
  sqlJs: SqlJsStatic,
  store: ByteStore,
  options: { migrate?: boolean } = {},
): Promise<SqlDatabase> {
  const saved = await store.load();
  const db: Database = new sqlJs.Database(saved ?? null);
  db.exec(CONNECTION_PRAGMAS);

  let dirty = false;
  const statements = new Map<string, Statement>();
  const prepare = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const exec = (sql: string): void => {
    dirty = true;
    db.exec(sql);
  };
  const transactor = createTransactor(exec);

  function all<Row extends SqlRow>(sql: string, params: SqlParams = []): Row[] {
    const statement = prepare(sql);
    // `INSERT … RETURNING` writes through a read.
    if (!dirty && !/^\s*(SELECT|PRAGMA|WITH)\b/i.test(sql)) dirty = true;
    try {
      statement.bind(params as SqlJsParams);
      const rows: Row[] = [];
      while (statement.step()) rows.push(statement.getAsObject() as Row);
      return rows;
    } finally {
      statement.reset();
    }
  }

  const database: SqlDatabase = {
    run(sql, params = []): RunResult {
      const statement = prepare(sql);
      try {
        statement.run(params as SqlJsParams);
      } finally {
        statement.reset();
      }
      dirty = true;
      return { changes: db.getRowsModified() };
    },
    all,
    get: <Row extends SqlRow>(sql: string, params?: SqlParams) => all<Row>(sql, params)[0],
    exec,
    transaction: (fn) => transactor.transaction(fn),
    async persist() {
      if (transactor.isOpen()) throw new Error('persist() inside a transaction would save without the open work');
      if (!dirty) return;
      if (!store.save) throw new Error('This copy of the database is read-only');
      const bytes = db.export();
      dirty = false;
      try {
        await store.save(bytes);
      } catch (error) {
        dirty = true;
        throw error;
      }
    },
    close() {
      statements.clear();
      db.close();
    },
  };
  try {
    if (options.migrate !== false) migrate(database);
  } catch (error) {
    db.close();
    throw error;
  }
  return database;
}

type SqlJsParams = Parameters<Statement['bind']>[0];
