/** How the holdings' reads find their rows: by the index that bounds them, not by the account's whole history. */
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { readHoldingActivities } from '../../src/storage/holdings.ts';
import type { SqlDatabase, SqlParams } from '../../src/storage/sqlDatabase.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';

/** The plan SQLite chose for each query `read` ran. */
async function plansOf(read: (db: SqlDatabase) => unknown): Promise<string[]> {
  const db = await openSqlJsDatabase(await initSqlJs(), { load: () => Promise.resolve(undefined) });
  const queries: [string, SqlParams][] = [];
  const all = db.all.bind(db);
  db.all = ((sql: string, params: SqlParams = []) => {
    queries.push([sql, params]);
    return all(sql, params);
  }) as SqlDatabase['all'];
  read(db);
  return queries.map(([sql, params]) =>
    all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)
      .map((row) => row.detail)
      .join('; '),
  );
}

describe('holdings reads', () => {
  it("read new trades' symbols through the (account, symbol) index, not the account's whole history by date", async () => {
    const [plan] = await plansOf((db) => readHoldingActivities(db, 'acc-1', ['VFV.TO', 'XEQT.TO']));
    expect(plan).toContain('USING INDEX activities_account_symbol');
  });

  it("read a whole account's history in date order through its (account, date) index", async () => {
    const [plan] = await plansOf((db) => readHoldingActivities(db, 'acc-1'));
    expect(plan).toMatch(/USING INDEX activities_(account_date|status)/);
  });
});
