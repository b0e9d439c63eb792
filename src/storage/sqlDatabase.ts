/**
 * The SQLite contract, one file: what the engine and the repositories may ask of a database.
 * It is synchronous because both engines we run on are (sql.js in the browser,
 * better-sqlite3 in Node); only `persist` is asynchronous, for the browser's IndexedDB save.
 * Parameters are positional (`?`): the two drivers disagree on named-parameter syntax.
 */
export type SqlValue = string | number | null | Uint8Array;
export type SqlParams = readonly SqlValue[];
export type SqlRow = Record<string, SqlValue>;

/** What a write changed. (A new row's id comes back with `INSERT … RETURNING id`, read with `get`.) */
export interface RunResult {
  changes: number;
}

export interface SqlDatabase {
  run(sql: string, params?: SqlParams): RunResult;
  all<Row extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Row[];
  get<Row extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Row | undefined;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): void;
  /**
   * Runs `fn` atomically; nests through savepoints. `fn` must be synchronous: an await inside
   * would let other work interleave with an open transaction.
   */
  transaction<T>(fn: () => T): T;
  /** Makes committed changes durable where the driver needs an explicit step (the browser). */
  persist(): Promise<void>;
  close(): void;
}

export interface Transactor {
  transaction<T>(fn: () => T): T;
  /** True while a transaction is open (sql.js must not export then: it would drop the open work). */
  isOpen(): boolean;
}

/** The nesting transaction helper both drivers share: BEGIN at depth 0, savepoints below. */
export function createTransactor(exec: (sql: string) => void): Transactor {
  let depth = 0;
  return {
    isOpen: () => depth > 0,
    transaction<T>(fn: () => T): T {
      const outer = depth === 0;
      const savepoint = `sp_${depth}`;
      exec(outer ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
      depth++;
      let result: T;
      try {
        result = fn();
        if (result instanceof Promise) throw new TypeError('transaction() callbacks must be synchronous');
        exec(outer ? 'COMMIT' : `RELEASE ${savepoint}`);
      } catch (error) {
        exec(outer ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
        throw error;
      } finally {
        depth--;
      }
      return result;
    },
  };
}
