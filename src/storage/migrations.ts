/**
 * One schema for every platform (browser, server, CLI), created and upgraded by numbered
 * migrations. The version lives in `PRAGMA user_version` and the file is stamped with our
 * `application_id`, so a database file can be recognised (and a stranger's refused) by the
 * `sqlite3` shell and by us alike.
 */

import type { SqlDatabase } from './sqlDatabase.ts';
import { StorageError } from './storageError.ts';

/** "FOLI" in ASCII. */
export const APPLICATION_ID = 0x464f4c49;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const initialSchema = `
CREATE TABLE platforms (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  logo_url TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE connections (
  id TEXT PRIMARY KEY,
  platform_id TEXT REFERENCES platforms(id),
  name TEXT,
  status TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  remote_updated_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  account_type TEXT,
  currency TEXT,
  account_number TEXT,
  institution_name TEXT,
  platform_id TEXT REFERENCES platforms(id),
  connection_id TEXT,
  provider TEXT NOT NULL,
  provider_account_id TEXT NOT NULL,
  balance TEXT,
  balance_currency TEXT,
  sync_enabled INTEGER NOT NULL DEFAULT 1,
  is_paper INTEGER NOT NULL DEFAULT 0,
  status TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (provider, provider_account_id)
);

CREATE TABLE import_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  run_type TEXT NOT NULL DEFAULT 'SYNC',
  mode TEXT NOT NULL CHECK (mode IN ('INITIAL', 'INCREMENTAL')),
  status TEXT NOT NULL CHECK (status IN ('RUNNING', 'APPLIED', 'NEEDS_REVIEW', 'FAILED')),
  window_start TEXT,
  window_end TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  summary_json TEXT,
  error TEXT
);
CREATE INDEX import_runs_account ON import_runs (account_id, started_at DESC);

-- Money and quantities are decimal TEXT: exact, and readable in the sqlite3 shell.
CREATE TABLE activities (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  activity_type TEXT NOT NULL,
  subtype TEXT,
  status TEXT NOT NULL CHECK (status IN ('POSTED', 'DRAFT')),
  activity_date TEXT NOT NULL,
  settlement_date TEXT,
  symbol TEXT,
  symbol_name TEXT,
  quantity TEXT,
  unit_price TEXT,
  amount TEXT,
  fee TEXT,
  fx_rate TEXT,
  currency TEXT,
  description TEXT,
  review_reasons TEXT,
  source_system TEXT NOT NULL,
  source_record_id TEXT,
  source_group_id TEXT,
  idempotency_key TEXT NOT NULL,
  is_user_modified INTEGER NOT NULL DEFAULT 0,
  import_run_id INTEGER REFERENCES import_runs(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX activities_source ON activities (source_system, account_id, source_record_id);
CREATE INDEX activities_idempotency ON activities (account_id, idempotency_key);
CREATE INDEX activities_account_date ON activities (account_id, activity_date DESC);
CREATE INDEX activities_date ON activities (activity_date DESC);
CREATE INDEX activities_status ON activities (status, account_id);

-- What the user deleted, so a later sync does not bring it back.
CREATE TABLE activity_tombstones (
  activity_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  source_system TEXT NOT NULL,
  source_record_id TEXT,
  idempotency_key TEXT NOT NULL,
  deleted_at TEXT NOT NULL
);
CREATE INDEX activity_tombstones_source ON activity_tombstones (source_system, account_id, source_record_id);
CREATE INDEX activity_tombstones_idempotency ON activity_tombstones (account_id, idempotency_key);

CREATE TABLE brokers_sync_state (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  checkpoint_json TEXT,
  last_attempted_at TEXT,
  last_successful_at TEXT,
  last_error TEXT,
  last_run_id INTEGER,
  sync_status TEXT NOT NULL DEFAULT 'IDLE' CHECK (sync_status IN ('IDLE', 'RUNNING', 'NEEDS_REVIEW', 'FAILED')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (account_id, provider)
);

-- One row per sync as a whole (trigger, outcome): the failure cooldown is read from here.
CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('AUTO', 'MANUAL')),
  status TEXT NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED', 'SKIPPED')),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  message TEXT,
  -- Why a FAILED sync failed (a CloudError code such as 'network'), for the cooldown.
  error_code TEXT,
  result_json TEXT
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

const holdingsSchema = `
-- What each account holds, recomputed from its POSTED activities whenever they change.
CREATE TABLE holdings (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  symbol TEXT NOT NULL,
  currency TEXT NOT NULL,
  quantity TEXT NOT NULL,
  average_cost TEXT NOT NULL,
  cost_basis TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (account_id, symbol, currency)
);

CREATE TABLE cash_balances (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  currency TEXT NOT NULL,
  balance TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (account_id, currency)
);

-- Filters of the activities view at scale.
CREATE INDEX activities_type_date ON activities (activity_type, activity_date DESC);
`;

/**
 * What the sync correctness work needs (docs/sync-rules.md):
 * - `holdings_stale`: accounts whose holdings no longer match their activities, marked in the
 *   transaction that changes the activities and cleared by the recompute, so a crash between the
 *   two is repaired by the next start. Every account starts marked: holdings are derived data,
 *   and a file written before this version may hold stale ones.
 * - `provider_activity_id`: the cloud's id of an activity, matched within its account and source
 *   system only, and unique there; the primary key `id` stays a local id (the same id in two
 *   accounts is two rows). Tombstones keep it too, and the deleted activity's date.
 * - `initial_sync_completed_at`: when a whole-history sync last brought the account's history;
 *   until then every sync of it asks for the whole history again. A file from before starts with
 *   none: one whole-history sync per account repairs what the older rules may have lost (a first
 *   answer that was empty, a cursor from a clock ahead, an activity moved between accounts).
 * - `accounts.removed_at`: the cloud stopped listing the account; its data stays, out of sync.
 * - import runs gain `CANCELLED` (the user signed out during it: not a failure). SQLite cannot
 *   change a CHECK in place, so the table is rebuilt (https://www.sqlite.org/lang_altertable.html#otheralter).
 */
const syncCorrectnessSchema = `
CREATE TABLE holdings_stale (
  account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  marked_at TEXT NOT NULL
);
INSERT INTO holdings_stale (account_id, marked_at) SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM accounts;

ALTER TABLE activities ADD COLUMN provider_activity_id TEXT;
UPDATE activities SET provider_activity_id = id;
CREATE UNIQUE INDEX activities_provider_id ON activities (account_id, source_system, provider_activity_id);

ALTER TABLE activity_tombstones ADD COLUMN provider_activity_id TEXT;
ALTER TABLE activity_tombstones ADD COLUMN activity_date TEXT;
UPDATE activity_tombstones SET provider_activity_id = activity_id;
CREATE INDEX activity_tombstones_provider_id ON activity_tombstones (account_id, source_system, provider_activity_id);

ALTER TABLE brokers_sync_state ADD COLUMN initial_sync_completed_at TEXT;

ALTER TABLE accounts ADD COLUMN removed_at TEXT;

CREATE TABLE import_runs_v3 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  run_type TEXT NOT NULL DEFAULT 'SYNC',
  mode TEXT NOT NULL CHECK (mode IN ('INITIAL', 'INCREMENTAL')),
  status TEXT NOT NULL CHECK (status IN ('RUNNING', 'APPLIED', 'NEEDS_REVIEW', 'FAILED', 'CANCELLED')),
  window_start TEXT,
  window_end TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  summary_json TEXT,
  error TEXT
);
INSERT INTO import_runs_v3 SELECT * FROM import_runs;
DROP TABLE import_runs;
ALTER TABLE import_runs_v3 RENAME TO import_runs;
CREATE INDEX import_runs_account ON import_runs (account_id, started_at DESC);
`;

/**
 * Holdings that grow with the change (docs/sync-rules.md, "Holdings"): the activities a sync
 * added to an account whose holdings were otherwise current. The next portfolio update recomputes
 * only their symbols' positions and adds their cash to the balances, then clears them; in the
 * same transactions as always, so a crash in between leaves them for the next start.
 */
const pendingHoldingsSchema = `
CREATE TABLE holdings_pending (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  activity_id TEXT NOT NULL,
  PRIMARY KEY (account_id, activity_id)
);
-- A symbol's activities, for recomputing its position alone.
CREATE INDEX activities_account_symbol ON activities (account_id, symbol);
`;

/**
 * An account's last error keeps its code beside its sentence (a CloudError code such as
 * `rate-limited`, or `internal`), so the app can say what it means without parsing the text.
 */
const errorCodeSchema = `
ALTER TABLE brokers_sync_state ADD COLUMN last_error_code TEXT;
`;

export const migrations: readonly Migration[] = [
  { version: 1, name: 'broker sync schema', sql: initialSchema },
  // Holdings are filled by the recompute that version 3 asks for.
  { version: 2, name: 'holdings', sql: holdingsSchema },
  { version: 3, name: 'sync correctness', sql: syncCorrectnessSchema },
  { version: 4, name: 'pending holdings', sql: pendingHoldingsSchema },
  { version: 5, name: 'error codes', sql: errorCodeSchema },
];

export const latestVersion = (list: readonly Migration[] = migrations): number => list.at(-1)?.version ?? 0;

/**
 * Checks that `db` is ours (or empty) and not newer than this build, before anything is
 * written; so a refused file is left exactly as it was.
 */
export function assertMigratable(db: SqlDatabase, list: readonly Migration[] = migrations): number {
  const applicationId = db.get<{ application_id: number }>('PRAGMA application_id')?.application_id ?? 0;
  const version = db.get<{ user_version: number }>('PRAGMA user_version')?.user_version ?? 0;
  const tables = db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'")?.n ?? 0;
  const ours = applicationId === APPLICATION_ID || (applicationId === 0 && version === 0 && tables === 0);
  if (!ours) {
    throw new StorageError('foreign-database', 'This SQLite file is not a Folio Sync database');
  }
  if (version > latestVersion(list)) {
    throw new StorageError(
      'newer-schema',
      `This database was written by a newer Folio Sync (schema ${version}; this version reads up to ${latestVersion(list)}): update Folio Sync to open it`,
    );
  }
  return version;
}

/**
 * Brings `db` to the latest schema in one transaction: every pending migration, or nothing at all.
 * Foreign keys are off meanwhile, as SQLite's procedure for rebuilding a table asks: dropping a
 * parent table would otherwise null its children's references (the rebuild keeps every id).
 */
export function migrate(db: SqlDatabase, list: readonly Migration[] = migrations): { from: number; to: number } {
  const from = assertMigratable(db, list);
  const pending = list.filter((migration) => migration.version > from);
  if (pending.length > 0) {
    const foreignKeys = db.get<{ foreign_keys: number }>('PRAGMA foreign_keys')?.foreign_keys ?? 0;
    db.exec('PRAGMA foreign_keys = OFF');
    try {
      db.transaction(() => {
        for (const migration of pending) db.exec(migration.sql);
        db.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${latestVersion(list)}`);
      });
    } finally {
      db.exec(`PRAGMA foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }
  return { from, to: latestVersion(list) };
}

/** The tables a Folio Sync file of each version has; a file stamped as ours without them is not ours. */
const REQUIRED_TABLES: readonly [version: number, tables: readonly string[]][] = [
  [1, ['platforms', 'accounts', 'activities', 'import_runs', 'brokers_sync_state', 'sync_runs', 'settings']],
  [2, ['holdings', 'cash_balances']],
  [3, ['holdings_stale']],
  [4, ['holdings_pending']],
];

/**
 * Stricter than opening: a file a user imports must be a Folio Sync database already (stamped
 * with our application id, with the tables of its version), not an empty or foreign one that
 * opening would happily turn into a new, empty database over their data.
 */
export function assertFolioDatabase(db: SqlDatabase): void {
  assertMigratable(db);
  const applicationId = db.get<{ application_id: number }>('PRAGMA application_id')?.application_id ?? 0;
  const version = db.get<{ user_version: number }>('PRAGMA user_version')?.user_version ?? 0;
  if (applicationId !== APPLICATION_ID || version < 1) {
    throw new StorageError('foreign-database', 'This SQLite file is not a Folio Sync database');
  }
  const present = new Set(
    db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").map((row) => row.name),
  );
  const missing = REQUIRED_TABLES.filter(([since]) => since <= version)
    .flatMap(([, tables]) => tables)
    .filter((table) => !present.has(table));
  if (missing.length > 0) {
    throw new StorageError(
      'foreign-database',
      `This Folio Sync database is incomplete (no ${missing.join(', ')} table)`,
    );
  }
}

interface SchemaObject {
  type: string;
  name: string;
  sql: string | null;
}

const schemaOf = (db: SqlDatabase): Map<string, SchemaObject> =>
  new Map(
    db
      .all<SchemaObject & Record<string, string | null>>(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
      )
      .map((object) => [`${object.type} ${object.name}`, object]),
  );

/**
 * How a migrated database differs from `fresh`, a new one the same migrations wrote: a file of
 * ours has exactly its schema. Anything else (a table's columns changed, a trigger or view added,
 * a table that is not ours) could change what syncs write or carry someone else's data. Empty
 * when sound; otherwise the first three differences named, and how many more.
 */
export function schemaProblems(db: SqlDatabase, fresh: SqlDatabase): string | null {
  const expected = schemaOf(fresh);
  const found = schemaOf(db);
  const problems: string[] = [];
  for (const [key, object] of found) {
    const ours = expected.get(key);
    if (!ours) problems.push(`an unexpected ${object.type} "${object.name}"`);
    else if (ours.sql !== object.sql)
      problems.push(`the ${object.type} "${object.name}" is not as Folio Sync makes it`);
  }
  for (const [key, object] of expected) {
    if (!found.has(key)) problems.push(`no ${object.type} "${object.name}"`);
  }
  if (problems.length === 0) return null;
  return problems.slice(0, 3).join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : '');
}
