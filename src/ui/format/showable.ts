/**
 * Cloud text as a page shows it. The cloud is untrusted (docs/architecture.md, "Untrusted
 * input"): the invisible controls that embed, override or isolate a direction would let a name
 * pass for another ("Bought \u202Egnp.exe" is drawn "Bought exe.png"), so they are shown as �,
 * as the CLI does. Marks (LRM, RLM) stay: right-to-left text needs them and they cannot reverse
 * a word. A text of hundreds of thousands of characters is cut to a few lines' worth. The
 * database keeps what the cloud sent.
 */
import type { SqlDatabase, SqlParams, SqlRow } from '../../storage/sqlDatabase.ts';

const STEERING = /[\u202A-\u202E\u2066-\u2069]/g;

/** Longer than any real name or description: the rest of a longer one is cut, so it cannot fill a page. */
export const MAX_SHOWN = 500;

export function showable(text: string): string {
  const shown = text.replace(STEERING, '\uFFFD');
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN - 1)}…` : shown;
}

/** Ids are not shown: they go back to the worker whole (a review decision names its activity). */
const isId = (column: string) => column === 'id' || column.endsWith('Id');

function showableRow<Row extends SqlRow>(row: Row): Row {
  const shown: SqlRow = {};
  for (const [column, value] of Object.entries(row)) {
    shown[column] = typeof value === 'string' && !isId(column) ? showable(value) : value;
  }
  return shown as Row;
}

/** The page's read-only copy, whose text comes out showable: every view reads through it. */
export function showableDatabase(db: SqlDatabase): SqlDatabase {
  return {
    run: (sql, params) => db.run(sql, params),
    all: <Row extends SqlRow>(sql: string, params?: SqlParams) => db.all<Row>(sql, params).map(showableRow),
    get: <Row extends SqlRow>(sql: string, params?: SqlParams) => {
      const row = db.get<Row>(sql, params);
      return row && showableRow(row);
    },
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    persist: () => db.persist(),
    close: () => db.close(),
  };
}
