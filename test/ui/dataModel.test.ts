/** The page's copy of the database: loaded, swapped whole, and "nothing saved yet" told apart from "not loaded yet". */
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';
import { createDataModel } from '../../src/ui/models/dataModel.ts';

const sqlJs = await initSqlJs();
const emptyDatabase = () => openSqlJsDatabase(sqlJs, { load: () => Promise.resolve(undefined) });

describe('the data model', () => {
  it('with nothing saved yet, opens no copy but says it has loaded', async () => {
    const data = createDataModel(() => Promise.resolve(null));
    expect(data.loaded.value).toBe(false);
    await data.reload();
    expect(data.loaded.value).toBe(true);
    expect(data.db.value).toBeNull();
    expect(data.accounts.value).toEqual([]);
    expect(data.lastSync.value).toBeNull();
  });

  it('swaps in the newest copy and closes the one before; overlapping loads keep only the last', async () => {
    const opened: SqlDatabase[] = [];
    const closed: SqlDatabase[] = [];
    const data = createDataModel(async () => {
      const db = await emptyDatabase();
      const close = db.close.bind(db);
      db.close = () => {
        closed.push(db);
        close();
      };
      opened.push(db);
      return db;
    });
    await data.reload();
    const first = data.db.value;
    expect(first).toBe(opened[0]);
    await Promise.all([data.reload(), data.reload()]);
    // The second of the two overlapping loads won; the first of them and the copy before were closed.
    expect(data.db.value).toBe(opened[2]);
    expect(closed).toEqual(expect.arrayContaining([opened[0], opened[1]]));
    expect(closed).not.toContain(opened[2]);
  });

  it('keeps the copy it has when a load fails, and says why', async () => {
    let fail = false;
    const data = createDataModel(async () => {
      if (fail) throw new Error('This copy of Folio Sync is older than the data');
      return emptyDatabase();
    });
    await data.reload();
    const kept = data.db.value;
    fail = true;
    await data.reload();
    expect(data.db.value).toBe(kept);
    expect(data.loadError.value).toBe('This copy of Folio Sync is older than the data');
  });
});
